"""`meds-ins build`, `new-corpus` and `quickstart`: from raw files (or the demo miniatures) to a store."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from meds_ins._cli.options import (
    echo_json,
    human_bytes,
    json_option,
    moved_out_option,
    store_option,
    store_path,
    table,
    workers_option,
)
from meds_ins._common import paths

if TYPE_CHECKING:
    from meds_ins._building.download import DownloadReport


RAW_HELP = (
    "Folder with the corpus's raw files in their native layout, or with one sub-folder per corpus id "
    "(default: where `meds-ins download` puts them, {})."
)


@click.command()
@click.argument("corpora", nargs=-1, required=True)
@click.option(
    "--raw",
    "raw",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help=RAW_HELP.format(paths.raw_folder()),
)
@click.option(
    "--download",
    is_flag=True,
    help="First download the raw files of the public corpora among CORPORA into the raw folder "
    "(what is there already is not fetched again).",
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
    raw: Path | None,
    download: bool,
    store: str | None,
    workers: int,
    arrow_cache: bool,
    quiet: bool,
    as_json: bool,
) -> int:
    """Build CORPORA (corpus ids, or 'all') from raw files into a store.

    Only the tasks of these corpora are replaced; the rest of the store stays as it was. The write
    is atomic: if the build fails or is interrupted, the previous store is untouched.

    With several corpora (or 'all'), each is built, skipped (its raw files are absent: the report
    names them and how to get them) or failed (the error); the corpora that built are written, and
    the exit code is 1 only if one failed. With one corpus, absent files are an error (exit 2).

    \b
    Example:
      meds-ins download pubmedqa && meds-ins build pubmedqa
      meds-ins build pubmedqa --raw ~/data/pubmedqa
      meds-ins build all --raw ~/data --workers 2     # ~/data/<corpus id>/... for each corpus
      meds-ins build all --download                   # fetch the public corpora first
    """
    from meds_ins._building.run import build as run

    report = run(
        list(corpora),
        raw,
        store_path(store),
        workers=workers,
        progress=not (quiet or as_json),
        arrow_copies=arrow_cache,
        download=download,
    )
    failed = 1 if report.by_status("failed") else 0
    if as_json:
        echo_json(report.to_dict())
        return failed
    if report.downloads is not None:
        show_downloads(report.downloads, brief=True)
        click.echo()
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
    if rows:
        table(("CORPUS", "TASKS", "TRAIN", "TEST", "SKIPPED ON PURPOSE"), rows)
    absent = report.by_status("skipped")
    if absent:
        click.echo(f"\nSkipped, raw files absent ({len(absent)}):")
        table(
            ("  CORPUS", "MISSING", "GET THEM"),
            [(f"  {o.id}", _shorten(", ".join(o.missing)), o.get) for o in absent],
        )
    for o in report.by_status("failed"):
        click.echo(f"\nFailed: {o.id}: {o.message}")
    if report.store is not None:
        totals = report.store.manifest["totals"]
        click.echo(
            f"\nStore: {report.store.root} ({totals['rows']:,} records in {totals['tasks']} tasks), "
            f"{len(report.by_status('built'))} corpora built in {report.seconds:.1f} s."
        )
    else:
        click.echo("\nNothing was built; the store was left as it was.")
    return failed


def _shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


@click.command()
@click.argument("corpora", nargs=-1, required=True)
@click.option(
    "--to",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help=f"Folder to download into, one sub-folder per corpus id (default: {paths.raw_folder()}, "
    "where `meds-ins build` looks).",
)
@click.option("--quiet", is_flag=True, help="No progress bars.")
@json_option("Print what was downloaded, per corpus and file, as JSON.")
def download(corpora: Sequence[str], to: Path | None, quiet: bool, as_json: bool) -> int:
    """Download the raw files of public CORPORA (corpus ids, or 'all') into their native layout.

    Each builder declares where its files live (pinned to a release or a commit), their size and
    checksums where known, and how archives unpack. Downloads show progress, resume after an
    interruption, retry with back-off, fall back to mirrors, and are verified: a file that does not
    match its checksum is deleted and reported. Files already downloaded are not fetched again.
    Hub-hosted files come through huggingface_hub (HF_ENDPOINT and HF_TOKEN apply); the environment
    variable MEDS_INS_MIRROR=URL fetches every other file from a mirror of the sources instead
    (as URL/<host>/<path>).

    Corpora that need registration or credentials are not downloaded, nor files that live behind
    pages a program cannot pass (Google Drive confirmations, forms): the command says what to get and
    where. Exit code 1 if a download failed.

    \b
    Example:
      meds-ins download pubmedqa && meds-ins build pubmedqa
      meds-ins download ncbi_disease medquad --to ~/data && meds-ins build all --raw ~/data
    """
    from meds_ins._building.download import download as run

    report = run(list(corpora), to, progress=not (quiet or as_json))
    if as_json:
        echo_json(report.to_dict())
    else:
        show_downloads(report)
    return 1 if report.failed else 0


def show_downloads(report: DownloadReport, brief: bool = False) -> None:
    """The outcome per corpus; then what is left to get by hand, what was not downloaded, what failed."""
    rows = []
    for c in report.corpora:
        size = sum(f["bytes"] for f in c.files)
        checks = sorted({check for f in c.files for check in f["verified"]})
        unchecked = any(not f["verified"] for f in c.files)
        checked = ", ".join(checks) + (" (some files: none published)" if checks and unchecked else "")
        rows.append((c.id, c.status, human_bytes(size) if c.files else "-", checked or "-"))
    table(("CORPUS", "STATUS", "SIZE", "CHECKED"), rows)
    by_hand = [(c.id, m) for c in report.corpora for m in c.manual if not (brief and m["optional"])]
    if by_hand:
        click.echo("\nTo get by hand (a program cannot fetch these):")
        for cid, m in by_hand:
            optional = ", optional" if m["optional"] else ""
            click.echo(f"  {cid}: {m['name']}{optional}, from {m['url']}\n      {m['instructions']}")
    held_back = [c for c in report.corpora if c.status in ("registration", "credentialed")]
    if held_back and not brief:
        click.echo("\nNot downloaded (registration or credentials needed):")
        for c in held_back:
            click.echo(f"  {c.id}: {c.message}")
    failed = report.failed
    if failed:
        click.echo("\nFailed:")
        for c in failed:
            click.echo("  " + c.message.replace("\n", "\n  "))
    done = [c.id for c in report.corpora if c.files and c.status == "downloaded"]
    if done and not brief:
        where = "" if report.to == paths.raw_folder() else f" --raw {report.to}"
        click.echo(f"\nFiles are in {report.to}; build them with: meds-ins build {' '.join(done)}{where}")


@click.command("new-corpus")
@click.argument("corpus_id")
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="The checkout of the meds-ins repository to write into.",
)
@json_option()
def new_corpus(corpus_id: str, root: Path, as_json: bool) -> None:
    """Scaffold a builder for CORPUS_ID: builders/<id>.py, tests/fixtures/<id>/ and a test, with TODOs.

    When the catalog lists the corpus (`meds-ins corpora --planned`), its tasks come filled in with
    their ids, names and categories. The scaffold builds and validates as it is; then replace each
    TODO and follow CONTRIBUTING.md.
    """
    from meds_ins._building.scaffold import new_corpus as scaffold

    made = scaffold(corpus_id, root)
    if as_json:
        echo_json(
            {
                "builder": made.builder,
                "fixture": made.fixture,
                "test": made.test,
                "tasks": made.tasks,
                "installed": made.seen,
            }
        )
        return
    click.echo(f"Wrote {made.builder}, {made.fixture}/data.jsonl and {made.test} ({', '.join(made.tasks)}).")
    click.echo("Next: fill in the TODOs, write the fixture in the corpus's native format, then")
    click.echo(f"  meds-ins validate {made.builder}")
    if not made.seen:
        click.echo(
            f"The installed meds-ins does not load builders from {root.resolve()}: install this checkout "
            f"with `pip install -e {root.resolve()}` so that `meds-ins build {corpus_id}` finds the builder."
        )


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
