"""Items a release lists more than once: identical copies kept once, disagreeing copies left out
(`settle_repeats`), or questions asked again folded into one record (`merge_same_input`); each counted."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator

from meds_ins.builder._api import BuildContext, Example


def settle_repeats(
    ctx: BuildContext,
    examples: Iterable[Example],
    what: str,
    same_item: Callable[[Example], Hashable] | None = None,
) -> Iterator[Example]:
    """The examples with each repeated source item settled: kept once if its copies agree, else left out.

    `same_item` says which examples are copies of one item (default: the same task and key, i.e. the
    source's own id). Copies that agree in input and outputs are an identical repeat: one is kept (a
    test copy when the copies straddle the split, so the test set keeps the item and training does not
    see it) and the others are counted as "<what> repeated identically (kept once)". Copies that
    disagree are a conflicting repeat: no copy can be trusted, so every one is left out and counted as
    "<what> repeated with different content (every copy left out)". Examples come out in source order.
    Every example is held until the end, since a conflicting copy may come last.
    """
    identify = same_item or (lambda ex: (ex.task, ex.key))
    items = list(examples)
    copies: dict[Hashable, list[int]] = {}
    for index, ex in enumerate(items):
        copies.setdefault(identify(ex), []).append(index)
    kept = set()
    for indices in copies.values():
        if len(indices) > 1 and len({(items[i].input, _outputs(items[i])) for i in indices}) > 1:
            ctx.skip(f"{what} repeated with different content (every copy left out)", len(indices))
            continue
        if len(indices) > 1:
            ctx.skip(f"{what} repeated identically (kept once)", len(indices) - 1)
        kept.add(next((i for i in indices if items[i].split == "test"), indices[0]))
    return (ex for index, ex in enumerate(items) if index in kept)


def merge_same_input(ctx: BuildContext, examples: Iterable[Example], what: str = "question") -> list[Example]:
    """One example per task, split and input: repeats of an input add their outputs to the first one.

    Some corpora ask one question several times with different answers (MedQuAD, MedicationQA, the
    EBM Summariser corpus); a task file with repeated inputs teaches contradictory targets and lets
    benchmark items leak into few-shot prompts. Inputs are compared with whitespace collapsed and case
    folded. The first occurrence keeps its key, group and meta; its outputs are extended with the
    repeats' distinct outputs, and `meta["merged_keys"]` lists the keys folded into it. Each repeat is
    counted: "<what> repeated with the same answers (kept once)" when it brings no new output, else
    "<what> repeated (answers merged into one record)".
    """
    merged: dict[tuple[str, str | None, str], Example] = {}
    for ex in examples:
        slot = (ex.task, ex.split, " ".join(ex.input.split()).casefold())
        first = merged.get(slot)
        if first is None:
            merged[slot] = ex
            continue
        before = [o.strip() for o in _outputs(first)]
        outputs = list(dict.fromkeys(before + [o.strip() for o in _outputs(ex)]))
        if len(outputs) == len(dict.fromkeys(before)):
            ctx.skip(f"{what} repeated with the same answers (kept once)")
        else:
            ctx.skip(f"{what} repeated (answers merged into one record)")
        first.output = outputs
        meta = dict(first.meta or {})
        meta["merged_keys"] = [*meta.get("merged_keys", []), ex.key]
        first.meta = meta
    return list(merged.values())


def _outputs(ex: Example) -> tuple[str, ...]:
    return (ex.output,) if isinstance(ex.output, str) else tuple(ex.output)
