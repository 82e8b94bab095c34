"""`meds-ins push`: publishing the redistributable part of a store to the Hugging Face Hub."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from meds_ins._cli.options import echo_json, human_bytes, json_option, store_option, store_path, table


@click.command()
@store_option(help="Store folder to publish from (default: the local store in $MEDS_INS_HOME)")
@click.option("--repo-id", required=True, help="Hub dataset repository, ORG/NAME.")
@click.option("--create-pr", is_flag=True, help="Open a pull request instead of committing to main.")
@click.option(
    "--private", is_flag=True, help="Create the repository private (refused if it exists and is public)."
)
@click.option("--dry-run", is_flag=True, help="List what would be uploaded and deleted; send nothing.")
@click.option(
    "--corpus",
    "corpora",
    multiple=True,
    help="Publish only this corpus (repeatable); the others on the repository stay as they are.",
)
@click.option(
    "--include-demo",
    is_flag=True,
    help="Also publish corpora built from the demo miniatures (made-up records), for a scratch repository.",
)
@click.option(
    "--commit-files",
    type=click.IntRange(4),
    default=None,
    help="Most files per commit (default 100, as the Hub recommends; at least 4); more make several commits.",
)
@json_option("Print the plan and the result as JSON.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
def push(
    store: str | None,
    repo_id: str,
    create_pr: bool,
    private: bool,
    dry_run: bool,
    corpora: Sequence[str],
    include_demo: bool,
    commit_files: int | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Publish the redistributable part of a store (default: the local store) to a Hub dataset repository.

    \b
    Only corpora with a stated basis of redistribution are published: a licence that lets anyone
    share the data, or the authors' statement that does (`meds-ins corpora` shows each basis).
    The others are never published, whatever the options (credentialed or data-use-agreement data
    such as MIMIC, MedNLI, SEER; corpora with no licence or statement found that allows it); the
    push says what it left out and why. Corpora built from the demo miniatures are left out too
    unless --include-demo.

    The published corpora replace the same corpora in the repository; other corpora already
    there stay. The card (README.md) and meta/*.json are regenerated for what the repository
    then holds, so `datasets.load_dataset("ORG/NAME", "<task>")` works. One commit when the
    push fits, else several through a pull request (merged at the end unless --create-pr).
    The token comes from HF_TOKEN or `hf auth login` and is never printed.

    \b
    Example:
      meds-ins push --repo-id meds-ins/meds-ins --dry-run
      meds-ins push --repo-id meds-ins/meds-ins --create-pr
    """
    from meds_ins._publish import transport as hub

    echo = (lambda message: click.echo(message, err=True)) if as_json else click.echo
    result = hub.push(
        store_path(store, writes=False),
        repo_id,
        create_pr=create_pr,
        private=private,
        dry_run=dry_run,
        corpora=list(corpora) or None,
        include_demo=include_demo,
        max_files=commit_files or hub.MAX_COMMIT_FILES,
        progress=not quiet,
        echo=echo,
    )
    if as_json:
        echo_json(result.to_dict())
    else:
        _show_push(result)


def _show_push(result: Any) -> None:
    plan = result.plan
    where = f"{plan.repo_id} on {plan.endpoint}" + ("" if plan.remote else " (new repository)")
    if not plan.batches:
        click.echo(f"Nothing to push: {where} already holds this.")
        return
    size = sum(u.size for u in plan.uploads)
    upload, delete = ("Would upload", "delete") if result.dry_run else ("Uploaded", "deleted")
    click.echo(
        f"{upload} {len(plan.uploads)} file(s) ({human_bytes(size)}) and {delete} {len(plan.deletions)} "
        f"in {len(plan.batches)} commit(s) to {where}; {len(plan.unchanged)} file(s) unchanged."
    )
    if result.dry_run:
        rows = [(f"+ {u.path}", human_bytes(u.size)) for u in plan.uploads]
        rows += [(f"- {p}", "") for p in plan.deletions]
        table(("FILE", "SIZE"), rows)
        click.echo("Dry run: nothing was sent.")
        return
    if result.pr_url and not result.merged:
        click.echo(f"Pull request: {result.pr_url}")
    elif result.pr_url:
        click.echo(f"Merged pull request: {result.pr_url}")
    for url in result.commit_urls[-1:]:
        click.echo(f"Commit: {url}")
