"""What a `load_dataset` call asks for, in the terms `datasets.load_dataset` users know.

The configuration name is a task (or `default`, every task), as in the store's card; tasks are named,
given by id (`task124`) or by number (`124`); splits follow `datasets`' split instructions
(`"train[:10%]+test"`), parsed by `datasets.ReadInstruction` itself. Arguments of `datasets.load_dataset`
that mean nothing for a meds-ins store are refused with what to do instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from numbers import Integral
from typing import TYPE_CHECKING, Any

from meds_ins._common.errors import UsageError
from meds_ins._common.names import unknown

if TYPE_CHECKING:
    import datasets

SPLITS = ("train", "test")
DEFAULT_CONFIG = "default"  # the card's configuration with every task

TaskNames = str | int | Sequence[str | int] | None
Names = str | Sequence[str] | None

# Arguments of `datasets.load_dataset` that a meds-ins store does not use, and what to do instead.
REFUSED = {
    "data_dir": "a store's files are found from its manifest; pass the store folder as `path`",
    "data_files": "a store's files are found from its manifest; select with `name`/`task`, `category`, "
    "`language` and `split`, or read other files with `datasets.load_dataset('parquet', data_files=...)`",
    "features": "the record features are fixed by the store's schema; cast afterwards with "
    "`ds.cast(features)`",
    "download_config": "pass `cache_dir`, `token` or `num_proc` directly",
    "download_mode": "downloads are checked by checksum and reused when unchanged; to fetch them again, "
    "delete them from the Hugging Face cache (`hf cache rm`) or pass a new `cache_dir`",
    "verification_mode": "every file is checked against the store's manifest checksums; "
    "`meds-ins validate STORE` checks a whole store",
    "save_infos": "the store's manifest already holds its counts and checksums "
    "(`meds-ins info --store STORE`)",
    "storage_options": "stores are local folders or Hub repositories; copy other stores to a folder first",
    "trust_remote_code": "meds-ins stores run no code",
    "source": "the store is the first argument, `path`, as in `datasets.load_dataset`",
}


def refuse_unsupported(arguments: dict[str, Any]) -> None:
    """Refuse keyword arguments that `load_dataset` does not take, saying what to do instead."""
    for key in arguments:
        if key in REFUSED:
            raise UsageError(f"meds_ins.load_dataset does not take `{key}`: {REFUSED[key]}")
        raise UsageError(
            f"meds_ins.load_dataset got an unknown argument `{key}`; it takes path, name, task, category, "
            "language, split, streaming, revision, token, cache_dir, num_proc, keep_in_memory, "
            "paraphrase_seed and decode_meta (help(meds_ins.load_dataset) explains each)"
        )


# ---------------------------------------------------------------------------------------------
# Tasks, categories, languages


def requested_tasks(task: TaskNames, name: str | int | None) -> list[str] | None:
    """The tasks asked for by `task` or by the configuration `name` (None: every task)."""
    if name is not None:
        if task is not None:
            raise UsageError(
                "give the task either as the configuration name (`name`, the second argument, as in "
                "datasets.load_dataset) or as `task=`, not both; `task=` also takes a list"
            )
        if isinstance(name, str) and name == DEFAULT_CONFIG:
            return None
        if not isinstance(name, (str, Integral)) or isinstance(name, bool):
            raise UsageError(
                f"the configuration name is one task (a name, an id such as 'task124' or a number), or "
                f"'default' for every task; not {name!r} (use `task=[...]` for several)"
            )
        return [_task_name(name)]
    if task is None:
        return None
    values = [task] if isinstance(task, (str, Integral)) else task
    if not isinstance(values, Iterable) or isinstance(values, bytes):
        raise UsageError(f"`task` takes a task name, id or number, or a list of them; not {task!r}")
    names = [_task_name(v) for v in values]
    if not names:
        raise UsageError("`task` is an empty list; leave it out to load every task")
    return names


def _task_name(value: Any) -> str:
    """'task124_pubmedqa_train_set', 'task124', 124 or '124' -> the name or id the store knows."""
    if isinstance(value, bool) or not isinstance(value, (str, Integral)):
        raise UsageError(
            f"a task is a name ('task124_pubmedqa_train_set'), an id ('task124') or a number (124); "
            f"not {value!r}"
        )
    if isinstance(value, Integral) or value.strip().isdigit():
        return f"task{int(value)}"
    return value


def names(kind: str, value: Names) -> list[str] | None:
    """A category or language filter as a list of strings (None: no filter)."""
    if value is None:
        return None
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, Iterable) or not all(isinstance(v, str) for v in values):
        raise UsageError(f"`{kind}` takes a name or a list of names; not {value!r}")
    values = list(values)
    if not values:
        raise UsageError(f"`{kind}` is an empty list; leave it out to keep every {kind}")
    return values


# ---------------------------------------------------------------------------------------------
# Splits


@dataclass(frozen=True)
class SplitRequest:
    """One split instruction: `label` as given ("train[:10%]+test"), parsed by `datasets`."""

    label: str
    instruction: datasets.ReadInstruction

    @property
    def splits(self) -> list[str]:
        """The splits it reads, in order, each once."""
        parts = [part.split("[", 1)[0].strip() for part in str(self.instruction).split("+")]
        return list(dict.fromkeys(parts))

    @property
    def sliced(self) -> bool:
        """Whether it takes part of a split ("train[:10]"), not only whole splits ("train+test")."""
        return "[" in str(self.instruction)

    @property
    def whole(self) -> bool:
        """A plain split name, without slicing."""
        return not self.sliced and "+" not in str(self.instruction)

    def ranges(self, lengths: dict[str, int]) -> list[tuple[str, int, int]]:
        """(split, start, stop) row ranges, concatenated in this order, for splits of these lengths
        (`datasets`' own arithmetic: negative bounds, percentages rounded as asked)."""
        try:
            absolute = self.instruction.to_absolute(lengths)
        except ValueError as e:  # pct1_dropremainder on fewer than 100 rows
            raise UsageError(f"split {self.label!r}: {e}") from None
        return [(a.splitname, a.from_, a.to) for a in absolute]


def split_requests(split: Any) -> tuple[list[SplitRequest] | None, bool]:
    """The split instructions asked for, and whether the result is a list (a list of splits was given).
    None: every split, as a DatasetDict."""
    if split is None:
        return None, False
    if isinstance(split, (list, tuple)):
        if not split:
            raise UsageError("`split` is an empty list; leave it out to get every split")
        return [_split_request(s) for s in split], True
    return [_split_request(split)], False


def _split_request(split: Any) -> SplitRequest:
    import datasets

    if isinstance(split, datasets.ReadInstruction):
        instruction = split
    elif isinstance(split, (str, datasets.NamedSplit)):  # e.g. datasets.Split.TEST
        try:
            instruction = datasets.ReadInstruction.from_spec(str(split))
        except (ValueError, AssertionError) as e:
            raise UsageError(
                f"split {str(split)!r} is not a split instruction ({e}): write a split name, a slice of "
                "one ('train[:100]', 'test[10:20]', 'train[:10%]', 'train[-5:]') or several joined "
                "with '+' ('train+test'), as in datasets.load_dataset"
            ) from None
    else:
        raise UsageError(f"`split` takes a split name or instruction such as 'train[:10%]'; not {split!r}")
    request = SplitRequest(str(split), instruction)
    for name in request.splits:
        if name not in SPLITS:
            error = unknown("split", name, set(SPLITS))
            raise type(error)(f"{error} A store has 'train' (MedS-Ins) and 'test' (MedS-Bench).")
    return request


def check_options(
    *, streaming: Any, keep_in_memory: Any, decode_meta: Any, num_proc: Any, paraphrase_seed: Any
) -> None:
    flags = {"streaming": streaming, "keep_in_memory": keep_in_memory, "decode_meta": decode_meta}
    for key, value in flags.items():
        if not isinstance(value, bool):
            raise UsageError(f"`{key}` is True or False; not {value!r}")
    if streaming and keep_in_memory:
        raise UsageError(
            "`keep_in_memory` applies to map-style datasets; a streamed one reads its files as it goes "
            "(leave out streaming=True to hold the records in memory)"
        )
    if num_proc is not None and (
        isinstance(num_proc, bool) or not isinstance(num_proc, Integral) or num_proc < 1
    ):
        raise UsageError(f"`num_proc` is a number of processes, 1 or more (or None); not {num_proc!r}")
    if paraphrase_seed is not None and (
        isinstance(paraphrase_seed, bool) or not isinstance(paraphrase_seed, Integral)
    ):
        raise UsageError(f"`paraphrase_seed` is an integer (or None); not {paraphrase_seed!r}")
