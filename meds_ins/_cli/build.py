"""`meds-ins build`, `new-corpus` and `quickstart`: from raw files (or the demo miniatures) to a store."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from meds_ins._cli.options import (
    echo_json,
    json_option,
    moved_out_option,
    store_option,
    store_path,
    table,
    workers_option,
)


@click.command()
@click.argument("corpora", nargs=-1, required=True)
@click.option(
    "--raw",
    "raw",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder with the corpus's raw files in their native layout, or with one sub-folder per corpus id.",
)
@store_option(help="Store folder to build into (default: the local store in $MEDS_INS_HOME)")
@moved_out_option()
@workers_option("Build this many corpora in parallel processes.")
@click.option(
    "--arrow-cache/--no-arrow-cache",
    default=True,
    show_default=True,
    help="Also write the memory-mappable Arrow copy of each file (in $MEDS_INS_HOME/arrow), so that "
    "loading needs no conversion; it takes about twice the store's size on disk.",
)
@click.option("--quiet", is_flag=True, help="No progress bars.")
@json_option()
def build(
    corpora: Sequence[str],
    raw: Path,
    store: str | None,
    workers: int,
    arrow_cache: bool,
    quiet: bool,
    as_json: bool,
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
        store_path(store),
        workers=workers,
        progress=not (quiet or as_json),
        arrow_copies=arrow_cache,
    )
    if as_json:
        echo_json(report.to_dict())
        return
    rows = []
    for corpus in report.to_dict()["corpora"]:
        counts = {s: sum(t.get(s, 0) for t in corpus["tasks"].values()) for s in ("train", "test")}
        skipped = ", ".join(f"{n} {reason}" for reason, n in corpus["skipped"].items()) or "-"
        rows.append(
            (corpus["id"], str(len(corpus["tasks"])), f"{counts['train']:,}", f"{counts['test']:,}", skipped)
        )
        if corpus["normalized"]:
            repaired = ", ".join(f"{n} {repair}" for repair, n in corpus["normalized"].items())
            rows.append(("", "", "", "", f"text fields repaired: {repaired}"))
        if corpus["empty_tasks"]:
            empty = ", ".join(corpus["empty_tasks"])
            rows.append(("", "", "", "", f"no records for {empty} (their raw files are absent)"))
    table(("CORPUS", "TASKS", "TRAIN", "TEST", "SKIPPED ON PURPOSE"), rows)
    totals = report.store.manifest["totals"]
    click.echo(
        f"\nStore: {report.store.root} ({totals['rows']:,} records in {totals['tasks']} tasks), "
        f"built in {report.seconds:.1f} s."
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
@json_option()
def new_corpus(corpus_id: str, root: Path, as_json: bool) -> None:
    """Scaffold a builder for CORPUS_ID: builders/<id>.py, tests/fixtures/<id>/ and a test, with TODOs.

    When the catalog lists the corpus (`meds-ins corpora --planned`), its tasks come filled in with
    their ids, names and categories. The scaffold builds and validates as it is; then replace each
    TODO and follow CONTRIBUTING.md.
    """
    from meds_ins._build.scaffold import new_corpus as scaffold

    made = scaffold(corpus_id, root)
    if as_json:
        echo_json({"builder": made.builder, "fixture": made.fixture, "test": made.test, "tasks": made.tasks})
        return
    click.echo(f"Wrote {made.builder}, {made.fixture}/data.jsonl and {made.test} ({', '.join(made.tasks)}).")
    click.echo("Next: fill in the TODOs, write the fixture in the corpus's native format, then")
    click.echo(f"  meds-ins validate {made.builder}")


@click.command()
@store_option(help="Store folder for the demo (default: the local store in $MEDS_INS_HOME)")
@json_option("Print only a JSON summary (store, corpora built, findings, records loaded).")
def quickstart(store: str | None, as_json: bool) -> int:
    """Build the demo miniature corpora shipped with meds-ins, validate, load a task, show what next.

    The miniatures are small files written by the meds-ins authors in each corpus's native format;
    their records are made up. Corpora already built from real raw files are left alone.
    """
    from meds_ins._quickstart import run

    summary = run(store_path(store), (lambda _: None) if as_json else click.echo)
    if as_json:
        echo_json(summary)
    return 1 if summary["errors"] else 0
