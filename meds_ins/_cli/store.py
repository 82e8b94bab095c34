"""`meds-ins info` and `meds-ins card`: what a store holds, and its dataset card."""

from __future__ import annotations

import json
from pathlib import Path

import click

from meds_ins._cli.options import table
from meds_ins._common import paths


@click.command()
@click.argument("store", required=False, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON.")
def info(store: Path | None, as_json: bool) -> None:
    """Show what a store holds: corpora, licences, tasks and record counts."""
    from meds_ins._store.layout import open_store

    s = open_store(store or paths.default_store())
    if as_json:
        click.echo(json.dumps(s.manifest, indent=2, ensure_ascii=False))
        return
    totals = s.manifest["totals"]
    click.echo(
        f"{s.root}: {totals['rows']:,} records, {totals['tasks']} tasks, {totals['corpora']} corpora "
        f"(schema {s.manifest['schema_version']}, built by meds-ins {s.manifest['package_version']})\n"
    )
    rows = []
    for cid, built in s.manifest["corpora"].items():
        c = s.corpora[cid]
        origin = "miniature demo" if built["miniature"] else "raw files"
        rows.append((cid, c["license"], c["access"], "yes" if c["redistributable"] else "no", origin))
    table(("CORPUS", "LICENCE", "ACCESS", "PUBLISH", "BUILT FROM"), rows)
    click.echo()
    rows = [
        (name, s.tasks[name]["category"], f"{s.rows(name, 'train'):,}", f"{s.rows(name, 'test'):,}")
        for name in s.manifest["tasks"]
    ]
    table(("TASK", "CATEGORY", "TRAIN", "TEST"), rows)


@click.command()
@click.argument("store", required=False, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the card here instead of STORE/README.md.",
)
def card(store: Path | None, out: Path | None) -> None:
    """Write the dataset card (README.md) of STORE (default: the local store) from its manifest.

    The card's YAML metadata (licence, languages, task categories, size, one `configs:` entry per
    task plus `default`) is checked with huggingface_hub's and datasets' own card classes before it
    is written. Builds write the card too; `meds-ins push` uploads the card of what it publishes.
    """
    from meds_ins._store import card as cards
    from meds_ins._store.layout import open_store

    s = open_store(store or paths.default_store())
    click.echo(f"Wrote {cards.write(s, out)}")
