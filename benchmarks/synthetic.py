"""A synthetic store of any size, shaped like MedS-Ins, written through the real builder API and store writer.

    MEDS_INS_HOME=/tmp/meds-13.5M/home python benchmarks/synthetic.py --out /tmp/meds-13.5M/store --workers 2

Records are spread over the collection's task names with the published category mix (categories.md),
and their inputs and outputs have lengths typical of each category. The text is made of random
pseudo-words: the store measures the machinery, it holds no data. One synthetic corpus per category, so
`--workers` builds categories in parallel. Memory stays bounded: examples are generated lazily and the
writer flushes row groups as it goes.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import zlib
from collections import defaultdict
from functools import cache
from pathlib import Path

from meds_ins._building.catalog import load_catalog
from meds_ins._building.run import build
from meds_ins.builder import BuildContext, Builder, Corpus, Example, RawFile, Task, Withheld

# Share of the 13.5M samples per category (categories.md).
CATEGORY_SHARE = {
    "Clinical Outcome Prediction": 22.4,
    "Diagnosis": 20.0,
    "Question Answering": 14.9,
    "Text Summarization": 11.0,
    "Text Completion": 9.1,
    "Explanation": 6.3,
    "Text Classification": 4.8,
    "Text Retrieval": 3.2,
    "Information Extraction": 3.0,
    "Dialogue": 2.2,
    "Named Entity Recognition": 0.8,
    "Treatment Planning": 0.6,
    "Sentence Composition Analysis": 0.6,
    "Natural Language Inference": 0.3,
    "Translation": 0.2,
    "Word Relation Classification": 0.2,
    "Intent Identification": 0.2,
    "Fact Verification": 0.2,
    "Wrong Candidate Generation": 0.07,
}
# Typical (input, output) lengths in characters per category, judged from the corpora the tasks come from.
LENGTHS = {
    "Clinical Outcome Prediction": (1400, 5),
    "Diagnosis": (900, 20),
    "Question Answering": (700, 120),
    "Text Summarization": (3000, 300),
    "Text Completion": (1500, 250),
    "Explanation": (500, 400),
    "Text Classification": (1200, 30),
    "Text Retrieval": (400, 200),
    "Information Extraction": (1500, 80),
    "Dialogue": (600, 700),
    "Named Entity Recognition": (300, 60),
    "Treatment Planning": (600, 40),
    "Sentence Composition Analysis": (300, 120),
    "Natural Language Inference": (200, 60),
    "Translation": (200, 200),
    "Word Relation Classification": (120, 15),
    "Intent Identification": (250, 15),
    "Fact Verification": (1200, 10),
    "Wrong Candidate Generation": (200, 60),
}
TEXT_POOL_CHARS = 32 * 2**20
CJK_LANGUAGES = {"zh", "ja"}


@cache
def text_pool(script: str = "latin", seed: int = 0) -> str:
    """32 MiB of pseudo-prose that records take slices of (cheap, and looks like prose to codecs).

    What the validator's audits and normalization have to work through is there in realistic amounts:
    sentences with capitals, commas and full stops, line breaks, and numbers (about one token in
    sixteen: ages, doses, ratios, years, percentages, as in clinical and biomedical text). "cjk" gives
    runs of common CJK characters with full-width punctuation and ASCII numbers, for zh and ja tasks.
    """
    import numpy as np

    rng = np.random.default_rng([seed, zlib.crc32(script.encode())])
    numbers = np.array(
        [str(n) for n in rng.integers(0, 1000, 2000)]
        + [f"{x:.1f}" for x in rng.uniform(0, 40, 800)]
        + [f"{a}/{b}" for a, b in zip(rng.integers(90, 180, 400), rng.integers(50, 110, 400))]
        + [f"{n}%" for n in rng.integers(1, 100, 400)]
        + [str(y) for y in rng.integers(1950, 2025, 400)],
        dtype=object,
    )
    if script == "cjk":
        characters = np.array([chr(c) for c in rng.choice(np.arange(0x4E00, 0x9FA6), 3000, replace=False)])
        weights = 1 / np.arange(1, len(characters) + 1)  # a few characters are far more common than most
        lengths = rng.integers(1, 4, size=20_000)
        chars = rng.choice(characters, size=int(lengths.sum()), p=weights / weights.sum())
        vocabulary = np.array(["".join(w) for w in np.split(chars, np.cumsum(lengths)[:-1])], dtype=object)
        capitals, space, comma, stop = vocabulary, "", "\uff0c", "\u3002"
    else:
        letters = np.array(list("etaoinshrdlucmfwypvbgkqjxz"))
        frequency = np.array(
            [12, 9, 8, 8, 7, 7, 6, 6, 4, 4, 3, 3, 2, 2, 2, 2, 2, 1.5, 1.5, 1, 0.8, 0.2, 0.2, 0.2, 0.2, 0.1]
        )
        lengths = rng.integers(2, 12, size=20_000)
        chars = rng.choice(letters, size=int(lengths.sum()), p=frequency / frequency.sum())
        words = ["".join(w) for w in np.split(chars, np.cumsum(lengths)[:-1])]
        vocabulary = np.array(words, dtype=object)
        capitals = np.array([w.capitalize() for w in words], dtype=object)
        space, comma, stop = " ", ",", "."
    parts, size = [], 0
    while size < TEXT_POOL_CHARS:  # in chunks, so that no more than a chunk of token objects is alive
        n = 2**20
        ids = rng.integers(0, len(vocabulary), size=n)
        ends = rng.random(n) < 1 / 14  # a sentence ends after this token
        starts = np.roll(ends, 1)
        tokens = np.where(starts, capitals[ids], vocabulary[ids])
        is_number = rng.random(n) < 1 / 16
        tokens[is_number] = numbers[rng.integers(0, len(numbers), int(is_number.sum()))]
        after = np.full(n, space, dtype=object)
        after[rng.random(n) < 0.07] = comma + space
        after[ends] = stop + space
        after[ends & (rng.random(n) < 0.15)] = stop + "\n"
        part = "".join(map(str.__add__, tokens, after))
        parts.append(part)
        size += len(part)
    return "".join(parts)[:TEXT_POOL_CHARS]


def _script(languages: tuple[str, ...]) -> str:
    return "cjk" if languages[0] in CJK_LANGUAGES else "latin"


def _slug(category: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", category.lower()).strip("_")


def _task(info, category: str) -> Task:
    """A synthetic task with the real task's id, name, category and languages."""
    meta = info.metadata or {}
    inputs = tuple(meta.get("input_languages") or info.languages[:1] or ["en"])
    outputs = tuple(meta.get("output_languages") or inputs)
    return Task(
        info.id,
        info.name,
        category,
        f"Synthetic task of the category {category}.",
        split_policy="random-9:1",
        input_languages=inputs,
        output_languages=outputs,
    )


def plan(total: int) -> dict[str, list[tuple[Task, int]]]:
    """Records per task, grouped by category: the category's share split evenly over its tasks."""
    tasks = [t for t in load_catalog().tasks() if t.name]
    by_category: dict[str, list] = defaultdict(list)
    for t in tasks:
        by_category[t.category].append(t)
    weight = sum(CATEGORY_SHARE[c] for c in by_category)
    result: dict[str, list[tuple[Task, int]]] = {}
    for category, members in by_category.items():
        count = round(total * CATEGORY_SHARE[category] / weight)
        each, extra = divmod(count, len(members))
        result[category] = [(_task(t, category), each + (i < extra)) for i, t in enumerate(members)]
    return result


class SyntheticRecords:
    """The `generate` of one synthetic corpus (a class, so that builders pickle into worker processes)."""

    def __init__(self, category: str, counts: list[tuple[Task, int]], seed: int) -> None:
        self.category, self.counts, self.seed = category, counts, seed

    def __call__(self, ctx: BuildContext):
        import numpy as np

        rng = np.random.default_rng([self.seed, zlib.crc32(self.category.encode())])
        size_in, size_out = LENGTHS[self.category]
        limit = TEXT_POOL_CHARS - 4 * max(size_in, size_out)
        for task, n in self.counts:
            pool_in = text_pool(_script(task.input_languages))
            pool_out = text_pool(_script(task.output_languages))
            for start in range(0, n, 65_536):  # offsets and lengths drawn a chunk at a time
                k = min(65_536, n - start)
                a, b = rng.integers(0, limit, size=k).tolist(), rng.integers(0, limit, size=k).tolist()
                la = rng.integers(size_in // 2, size_in * 3 // 2 + 1, size=k).tolist()
                lb = rng.integers(max(1, size_out // 2), size_out * 3 // 2 + 1, size=k).tolist()
                for i in range(k):
                    yield Example(
                        task.id, str(start + i), pool_in[a[i] : a[i] + la[i]], pool_out[b[i] : b[i] + lb[i]]
                    )


def builders(total: int, seed: int = 0) -> list[Builder]:
    result = []
    for category, counts in plan(total).items():
        if not any(n for _, n in counts):
            continue
        corpus = Corpus(
            id=f"synthetic_{_slug(category)}",
            name=f"Synthetic {category}",
            homepage="https://example.org/synthetic",
            download="generated by benchmarks/synthetic.py",
            citation="none (synthetic benchmark data)",
            license="CC0-1.0",
            license_source="generated",
            redistribution=Withheld("synthetic benchmark data, not a corpus"),
            access="public",
            languages=("en",),
            text_source="Medical Knowledge",
            raw_files=(RawFile("nothing", "no raw files: the records are generated", required=False),),
        )
        result.append(
            Builder(corpus, tuple(t for t, n in counts if n), SyntheticRecords(category, counts, seed))
        )
    return result


def write_store(total: int, out: Path, *, workers: int = 1, seed: int = 0, progress: bool = True) -> float:
    """Build the synthetic store into `out`; returns the seconds it took."""
    empty = out.parent / ".synthetic-raw"
    empty.mkdir(parents=True, exist_ok=True)
    (empty / "nothing").write_text("")
    started = time.perf_counter()
    build(builders(total, seed), empty, out, workers=workers, progress=progress)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=13_500_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    seconds = write_store(args.records, args.out, workers=args.workers, seed=args.seed)
    print(
        f"wrote {args.records:,} synthetic records to {args.out} in {seconds:.0f} s "
        f"({args.records / seconds:,.0f} records/s)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
