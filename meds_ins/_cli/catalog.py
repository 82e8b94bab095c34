"""`meds-ins tasks` and `meds-ins corpora`: what the collection holds and which parts have a builder."""

from __future__ import annotations

import json

import click

from meds_ins._cli.options import table


@click.command()
@click.option("--category", help="Only tasks of this category, e.g. 'Question Answering'.")
@click.option(
    "--language", help="Only tasks whose input or output is in this language (ISO 639-1 code or name)."
)
@click.option("--source", help="Only tasks of this corpus id, e.g. pubmedqa.")
@click.option(
    "--built/--planned", "built", default=None, help="Only tasks with a builder / still without one."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def tasks(
    category: str | None, language: str | None, source: str | None, built: bool | None, as_json: bool
) -> None:
    """List the tasks of MedS-Ins and MedS-Bench, and which have a builder.

    The catalog comes from the builders and from the index of the whole collection, so tasks that
    cannot be built yet are listed too (BUILDER '-').
    """
    from meds_ins._building.catalog import load_catalog

    found = load_catalog().tasks(category=category, language=language, source=source, built=built)
    if as_json:
        click.echo(json.dumps([t.to_dict() for t in found], indent=2, ensure_ascii=False))
        return
    rows = [
        (
            t.id,
            t.name or "(unnamed)",
            t.category,
            t.source or "?",
            ",".join(t.languages) or "?",
            {True: "yes", False: "no", None: "?"}[t.in_bench],
            "yes" if t.built else "-",
        )
        for t in found
    ]
    table(("TASK", "NAME", "CATEGORY", "SOURCE", "LANG", "BENCH", "BUILDER"), rows)
    click.echo(f"\n{len(found)} task(s), {sum(t.built for t in found)} with a builder.")


@click.command()
@click.option(
    "--built/--planned", "built", default=None, help="Only corpora with a builder / still without one."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def corpora(built: bool | None, as_json: bool) -> None:
    """List the source corpora: licence, access, on what basis records may be published, how to get the
    raw files (GET: `download` when `meds-ins download` fetches them, else by hand), tasks.

    PUBLISH says what publishing a corpus rests on: its licence, its authors' release statement, or
    'no' (withheld: credentialed access, terms that forbid it, or no licence or statement found that
    allows it). --json gives each corpus's `redistribution`: the basis with where it was read, or why
    it is withheld.
    """
    from meds_ins._building.catalog import load_catalog
    from meds_ins._store import terms

    found = load_catalog().corpora(built=built)
    if as_json:
        click.echo(json.dumps([c.to_dict() for c in found], indent=2, ensure_ascii=False))
        return
    builders = load_catalog().builders
    rows = []
    for c in found:
        m = c.metadata or {}
        corpus = builders[c.id].corpus if c.id in builders else None
        get = "-" if corpus is None else "download" if corpus.downloadable else "by hand"
        rows.append(
            (
                c.id,
                c.name,
                m.get("license", "-"),
                m.get("access", "-"),
                terms.publish_label(m) if m else "-",
                get,
                ",".join(c.tasks),
                "yes" if c.built else "-",
            )
        )
    table(("CORPUS", "NAME", "LICENCE", "ACCESS", "PUBLISH", "GET", "TASKS", "BUILDER"), rows)
    click.echo(f"\n{len(found)} corpora, {sum(c.built for c in found)} with a builder.")
