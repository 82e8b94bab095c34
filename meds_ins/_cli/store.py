"""`meds-ins info` and `meds-ins card`: what a store holds, and its dataset card."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from meds_ins._cli.options import (
    echo_json,
    json_option,
    out_option,
    read_store,
    store_option,
    store_path,
    table,
)


@click.command()
@store_option(hub=True)
@json_option("Print the manifest (counts, checksums, versions) as JSON.")
def info(store: str | None, as_json: bool) -> None:
    """Show what a store holds: corpora, licences, tasks and record counts, and the source items each
    build skipped, with the reason.

    \b
    Example:
      meds-ins info                          # the local store
      meds-ins info --store ORG/NAME         # a store published on the Hub (reads meta/*.json only)
    """
    from meds_ins._store import terms

    s = read_store(store)
    if not getattr(s, "repo_id", ""):  # a local store: say what a build or import left beside it
        _staging_notes(s.root)
    if as_json:
        echo_json(s.manifest)
        return
    totals = s.manifest["totals"]
    click.echo(
        f"{getattr(s, 'repo_id', '') or s.root}: {totals['rows']:,} records, {totals['tasks']} tasks, "
        f"{totals['corpora']} corpora (schema {s.manifest['schema_version']}, built by meds-ins "
        f"{s.manifest['package_version']})\n"
    )
    tasks = s.manifest["tasks"]
    rows = []
    for cid, built in s.manifest["corpora"].items():
        c = s.corpora[cid]
        own = [name for name, entry in tasks.items() if entry["source"] == cid]
        imported = sum("imported" in tasks[name] for name in own)
        origin = "miniature demo" if built["miniature"] else "raw files"
        if imported:
            origin = "task files" if imported == len(own) else f"{origin}; {imported} task(s) imported"
        rows.append((cid, c["license"], c["access"], terms.publish_label(c), origin))
    table(("CORPUS", "LICENCE", "ACCESS", "PUBLISH", "BUILT FROM"), rows)
    click.echo()
    # Source items that did not become one record each: left out, merged or repaired, by reason.
    rows = [
        (cid, f"{n:,}", reason)
        for cid, built in s.manifest["corpora"].items()
        for reason, n in built["skipped"].items()
    ]
    if rows:
        table(("CORPUS", "SKIPPED", "REASON (source items left out, merged or repaired)"), rows)
        click.echo()
    rows = [
        (
            name,
            s.tasks[name]["category"],
            f"{s.rows(name, 'train'):,}",
            f"{s.rows(name, 'test'):,}",
            _origin(entry.get("imported")),
        )
        for name, entry in tasks.items()
    ]
    table(("TASK", "CATEGORY", "TRAIN", "TEST", "FROM"), rows)


def _origin(imported: dict[str, Any] | None) -> str:
    """How a task got into the store: built by its builder, or imported from task files (where from)."""
    if imported is None:
        return "built"
    if imported["repo"] is None:
        return "imported (local task files)"
    return f"imported ({imported['repo']}@{(imported['revision'] or '')[:7]})"


@click.command()
@store_option()
@out_option(folder=False, help="Write the card to this file instead of the store's README.md.")
@json_option("Print the path written as JSON.")
def card(store: str | None, out: Path | None, as_json: bool) -> None:
    """Write the dataset card (README.md) of a store (default: the local store) from its manifest.

    The card's YAML metadata (licence, languages, task categories, size, one `configs:` entry per
    task plus `default`) is checked with huggingface_hub's and datasets' own card classes before it
    is written. Builds write the card too; `meds-ins push` uploads the card of what it publishes.
    """
    from meds_ins._store import card as cards
    from meds_ins._store.layout import open_store

    written = cards.write(open_store(store_path(store)), out)
    if as_json:
        echo_json({"card": written})
    else:
        click.echo(f"Wrote {written}")


def _staging_notes(root: Path) -> None:
    from meds_ins._store.transaction import staging_folders

    for folder, running in staging_folders(root):
        if running:
            click.echo(f"note: a build or import into this store is running (staging in {folder}).", err=True)
        else:
            click.echo(
                f"note: {folder} was left by a build or import that was killed; the store is intact, "
                "and the next build or import into it removes the folder.",
                err=True,
            )
