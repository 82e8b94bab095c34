"""The `meds-ins` command line. Bad input gives a one-line error and an exit code, never a traceback.

Exit codes: 0 success, 1 the data or the work failed (validation errors, malformed raw files, a
damaged or busy store), 2 usage errors (unknown names, missing files or stores, output paths that
cannot be written), 3 a bug in meds-ins (never bad input), 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click

from meds_ins._cli import bench, build, cache, catalog, hub, store, train, validate
from meds_ins._common.errors import MedsInsError
from meds_ins._common.version import VERSION


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(VERSION, prog_name="meds-ins")
def cli() -> None:
    """Build, validate, load and publish MedS-Ins, the medical instruction-tuning collection,
    and its held-out benchmark MedS-Bench.

    \b
    New here? Run `meds-ins quickstart`.
    Then: `meds-ins tasks` to see the collection, `meds-ins download CORPUS` and
    `meds-ins build CORPUS` to build a corpus from its raw files, and in Python
    `meds_ins.load_dataset(task=...)`.
    """


for command in (
    catalog.tasks,
    catalog.corpora,
    build.download,
    build.build,
    validate.validate,
    validate.import_,
    build.new_corpus,
    store.info,
    build.quickstart,
    train.export,
    bench.bench,
    store.card,
    hub.push,
    cache.cache,
):
    cli.add_command(command)


def main(argv: Sequence[str] | None = None) -> None:
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None, prog_name="meds-ins", standalone_mode=False
        )
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        _hint_store_option(e)
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("Interrupted; the store is unchanged.", err=True)
        sys.exit(130)
    except MedsInsError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(e.exit_code)
    except Exception as e:  # a bug, not bad input: say so briefly, show the traceback only on request
        if os.environ.get("MEDS_INS_DEBUG"):
            raise
        click.echo(
            f"internal error: {type(e).__name__}: {e}\n(set MEDS_INS_DEBUG=1 to see the traceback, "
            "and please report it)",
            err=True,
        )
        sys.exit(3)
    sys.exit(result if isinstance(result, int) else 0)


def _hint_store_option(error: click.ClickException) -> None:
    """`meds-ins info STORE` (the old spelling) to a command that takes --store: say so."""
    ctx = getattr(error, "ctx", None)
    takes_store = ctx is not None and any(p.name == "store" for p in ctx.command.params)
    if takes_store and "unexpected extra argument" in error.message:
        error.message += " (a store is given with --store STORE)"
