"""`meds-ins build`, `new-corpus` and `quickstart`: from raw files (or the demo miniatures) to a store."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from meds_ins._cli.options import store_option, table, workers_option
from meds_ins._common import paths


@click.command()
@click.argument("corpora", nargs=-1, required=True)
@click.option(
    "--raw",
    "raw",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder with the corpus's raw files in their native layout, or with one sub-folder per corpus id.",
)
@store_option("--out")
@workers_option("Build this many corpora in parallel processes.")
@click.option(
    "--arrow-cache/--no-arrow-cache",
    default=True,
    show_default=True,
    help="Also write the memory-mappable Arrow copy of each file (in $MEDS_INS_HOME/arrow), so that "
    "loading needs no conversion; it takes about twice the store's size on disk.",
)
@click.option("--quiet", is_flag=True, help="No progress bars.")
def build(
    corpora: Sequence[str], raw: Path, out: Path | None, workers: int, arrow_cache: bool, quiet: bool
) -> None:
    """Build CORPORA (corpus ids, or 'all') from raw files into a store.

    Only the tasks of these corpora are replaced; the rest of the store stays as it was. The write
    is atomic: if the build fails or is interrupted, the previous store is untouched.

    \b
    Example:
      meds-ins build pubmedqa --raw ~/data/pubmedqa
      meds-ins build all --raw ~/data --workers 2     # ~/data/<corpus id>/... for each corpus
    """
    from meds_ins._build.run import build as run

    report = run(
        list(corpora),
        raw,
        out or paths.default_store(),
        workers=workers,
        progress=not quiet,
        arrow_copies=arrow_cache,
    )
    rows = []
    for r in report.results:
        counts = {
            s: sum(t["splits"].get(s, {}).get("rows", 0) for t in r.written.values())
            for s in ("train", "test")
        }
        skipped = ", ".join(f"{n} {reason}" for reason, n in r.skipped.items()) or "-"
        rows.append(
            (r.corpus["id"], str(len(r.written)), f"{counts['train']:,}", f"{counts['test']:,}", skipped)
        )
        empty = [t["name"] for t in r.tasks if t["name"] not in r.written]
        if empty:
            rows.append(("", "", "", "", f"no records for {', '.join(empty)} (their raw files are absent)"))
    table(("CORPUS", "TASKS", "TRAIN", "TEST", "SKIPPED ON PURPOSE"), rows)
    click.echo(
        f"\nStore: {report.store.root} ({report.store.manifest['totals']['rows']:,} records in "
        f"{report.store.manifest['totals']['tasks']} tasks), built in {report.seconds:.1f} s."
    )


@click.command("new-corpus")
@click.argument("corpus_id")
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="The repository to write into.",
)
def new_corpus(corpus_id: str, root: Path) -> None:
    """Scaffold a builder for CORPUS_ID: builders/<id>.py, tests/fixtures/<id>/ and a test, with TODOs.

    When the catalog lists the corpus (`meds-ins corpora --planned`), its tasks come filled in with
    their ids, names and categories. The scaffold builds and validates as it is; then replace each
    TODO and follow CONTRIBUTING.md.
    """
    from meds_ins._build.scaffold import new_corpus as scaffold

    made = scaffold(corpus_id, root)
    click.echo(f"Wrote {made.builder}, {made.fixture}/data.jsonl and {made.test} ({', '.join(made.tasks)}).")
    click.echo("Next: fill in the TODOs, write the fixture in the corpus's native format, then")
    click.echo(f"  meds-ins validate {made.builder}")


@click.command()
@store_option("--store")
def quickstart(store: Path | None) -> None:
    """Build the demo miniature corpora shipped with meds-ins, validate, load a task, show what next.

    The miniatures are small files written by the meds-ins authors in each corpus's native format;
    their records are made up. Corpora already built from real raw files are left alone.
    """
    from meds_ins._quickstart import run

    run(store or paths.default_store(), click.echo)
