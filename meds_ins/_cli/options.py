"""Options and output helpers shared by the command groups, so every command spells them the same way."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from meds_ins._common import paths
from meds_ins._common.errors import UsageError

if TYPE_CHECKING:
    from meds_ins._store.layout import Store

STORE_HELP = "Store folder (default: the local store in $MEDS_INS_HOME, now {})"


def store_option(*, hub: bool = False, help: str | None = None) -> Any:
    """--store STORE, the one way every command names a store (read or written); by default the local
    store. With `hub`, the command reads the store, and a Hub dataset repository id works too."""
    text = help or STORE_HELP.format(paths.default_store())
    if hub:
        text += "; or a Hub dataset repository id ORG/NAME (a local folder of that name wins)"
    return click.option("--store", "store", metavar="STORE", default=None, help=text + ".")


def store_path(value: str | None, *, writes: bool = True) -> Path:
    """The folder of a local store; one that the command `writes` is checked first (a folder that can
    be written)."""
    path = Path(value).expanduser() if value else paths.default_store()
    return paths.check_output(path, folder=True) if writes else path


def out_option(*, folder: bool, required: bool = False, help: str) -> Any:
    """--out FILE or --out DIR, checked before any work: a folder where a file belongs (or the reverse),
    a device, a path below a file or a place that cannot be written is a usage error (exit 2)."""

    def check(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
        if value is None:
            return None
        try:
            return paths.check_output(value, folder=folder)
        except UsageError as e:
            raise click.BadParameter(str(e), ctx, param) from None

    return click.option(
        "--out",
        "out",
        type=click.Path(path_type=Path),
        required=required,
        default=None,
        callback=check,
        metavar="DIR" if folder else "FILE",
        help=help,
    )


def read_store(value: str | None) -> Store:
    """The store a command reads: a folder, the default local store, or a Hub repository's metadata."""
    from meds_ins._hub.reading import resolve_store

    return resolve_store(value)


def moved_out_option() -> Any:
    """--out where it used to name the store (build, import): refused with the new spelling."""

    def refuse(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if value is not None:
            raise click.UsageError("the store is given with --store STORE; --out names output files only")

    return click.option("--out", hidden=True, expose_value=False, callback=refuse, is_eager=False)


def json_option(help: str = "Print the result as JSON (for scripts) instead of tables.") -> Any:
    return click.option("--json", "as_json", is_flag=True, help=help)


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers_option(help: str) -> Any:
    """--workers N: processes; more than the cores available is capped, with a note."""

    def cap(ctx: click.Context, param: click.Parameter, value: int) -> int:
        cores = available_cores()
        if value > cores:
            click.echo(
                f"note: --workers {value} is more than the {cores} core(s) here; using {cores}.", err=True
            )
            return cores
        return value

    return click.option(
        "--workers", type=click.IntRange(min=1), default=1, show_default=True, callback=cap, help=help
    )


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


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
    """Columns as wide as their cells. On a terminal (or with COLUMNS set), narrowed to its width: the
    widest column but the first (the key) gives way first, and a cut cell ends in '…'; piped output
    keeps whole cells, for grep and files (--json has everything, always)."""
    cells = [[str(x) for x in row] for row in (header, *rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    room = shutil.get_terminal_size((0, 0)).columns - 2 * (len(widths) - 1)
    floors = [widths[0], *(max(len(h), 6) for h in header[1:])]
    while room > 0 and len(widths) > 1 and sum(widths) > room:
        widest = max(range(1, len(widths)), key=lambda i: widths[i] if widths[i] > floors[i] else -1)
        if widths[widest] <= floors[widest]:
            break
        widths[widest] -= 1
    for row in cells:
        cut = [x if len(x) <= w else x[: w - 1] + "…" for x, w in zip(row, widths)]
        click.echo("  ".join(x.ljust(w) for x, w in zip(cut, widths)).rstrip())
