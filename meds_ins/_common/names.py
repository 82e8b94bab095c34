"""Names: task-name ordering and 'did you mean' hints for unknown names."""

from __future__ import annotations

from meds_ins._common.errors import UnknownNameError


def task_number(name: str) -> int:
    """The number of a task name or id: 124 for 'task124' and 'task124_pubmedqa_train_set'."""
    return int(name[4:].split("_", 1)[0])


def task_sort_key(name: str) -> tuple[int, str]:
    return task_number(name), name


def closest(name: str, choices: list[str] | set[str], n: int = 3) -> list[str]:
    """The choices that look most like `name`, for 'did you mean' hints."""
    import difflib

    lowered = {c.lower(): c for c in choices}
    hits = difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.5)
    prefix = [
        c
        for c in sorted(choices)
        if c.lower().startswith(name.lower() + "_") and lowered[c.lower()] not in hits
    ]
    return [lowered[h] for h in hits] + prefix[: max(0, n - len(hits))]


LISTED_IN_FULL = 25  # up to this many valid names, an error lists them all


def unknown(kind: str, name: str, choices: list[str] | set[str]) -> UnknownNameError:
    """The error for a name that is none of `choices`: the closest ones, and all of them when few."""
    hints = closest(name, choices)
    hint = f" Did you mean: {', '.join(hints)}?" if hints else ""
    valid = f" Valid: {', '.join(sorted(choices))}." if 0 < len(choices) <= LISTED_IN_FULL else ""
    return UnknownNameError(f"unknown {kind} {name!r}.{hint}{valid}")
