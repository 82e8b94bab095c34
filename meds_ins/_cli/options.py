"""Options and output helpers shared by the command groups, so every command spells them the same way."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from meds_ins._common import paths

STORE_HELP = "Store folder (default: the local store in $MEDS_INS_HOME, now {})."


def store_option(flag: str) -> Any:
    """--out or --store: a store folder, by default the local store."""
    return click.option(
        flag, type=click.Path(path_type=Path), default=None, help=STORE_HELP.format(paths.default_store())
    )


def workers_option(help: str) -> Any:
    """--workers N: processes, at most one per core."""
    return click.option(
        "--workers", type=click.IntRange(1, os.cpu_count() or 1), default=1, show_default=True, help=help
    )


def split_option(help: str) -> Any:
    """--split: the split of task-file instances that do not say theirs."""
    return click.option(
        "--split",
        "default_split",
        type=click.Choice(["train", "test"]),
        default="train",
        show_default=True,
        help=help,
    )


def scores_text(scores: dict[str, float]) -> str:
    return " ".join(f"{k}={v:.2f}" for k, v in scores.items())


def human_bytes(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    widths = (
        [max(len(str(x)) for x in col) for col in zip(header, *rows)] if rows else [len(h) for h in header]
    )
    for row in (header, *rows):
        click.echo("  ".join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip())
