"""`meds-ins validate` and `meds-ins import`: checking task files, builders and stores; importing task
files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from meds_ins._cli.options import (
    echo_json,
    json_option,
    moved_out_option,
    split_option,
    store_option,
    store_path,
    table,
    workers_option,
)


@click.command()
@click.argument("targets", nargs=-1)
@click.option(
    "--raw",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    default=None,
    help="For a builder: build it on these raw files (a folder) instead of its fixture.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Turn the released-format variants (and audits that could not run) from warnings into errors, "
    "and report audit exceptions that explain nothing.",
)
@split_option("Split of the instances of task files without `Split Type` (for the train/test audits).")
@workers_option("For a store: validate this many corpora in parallel processes.")
@json_option("Print findings as JSON.")
@click.option("--github", is_flag=True, help="Print findings as GitHub Actions annotations (file and line).")
@click.option(
    "--no-audits",
    is_flag=True,
    help="Leave out the data audits (audit.* checks): check files, metadata and every record against "
    "the schemas only (the audits take most of the time a large store needs).",
)
@click.option("--list-checks", is_flag=True, help="List every check with its code and severity, then exit.")
@click.option(
    "--from-changes",
    is_flag=True,
    help="TARGETS are changed files (from git, pre-commit or CI): validate the builders, the builders "
    "of changed fixtures, and the task files among them; ignore the rest.",
)
def validate(
    targets: Sequence[str],
    raw: Path | None,
    strict: bool,
    default_split: str,
    workers: int,
    as_json: bool,
    github: bool,
    no_audits: bool,
    list_checks: bool,
    from_changes: bool,
) -> int:
    """Validate task files, builders and stores; exit 1 if there are errors.

    \b
    A TARGET is:
      - a task file (task<N>_<name>.json or .jsonl, in the released MedS-Ins format) or a folder of them;
      - a builder module (builders/<corpus>.py) or a corpus id: built on its fixture
        (tests/fixtures/<corpus>/) or on --raw, and the result validated;
      - a store folder, or a Hub dataset repository id ORG/NAME holding a published store
        (downloaded whole into the Hugging Face cache first).

    Each finding has a severity, a code, a location (file:line for task files, task and record id
    for stores) and a fix. Data audits (constant outputs, label skew, duplicate inputs, train/test
    leakage, truncated references, encoding, personal data) run on every target unless --no-audits;
    they need the extra `pip install 'meds-ins[audits]'` (polars), and without it the report says
    they did not run (setup.audits-not-run).

    Exit codes: 0 no errors (warnings allowed), 1 errors, 2 bad usage or unreadable input.
    """
    from meds_ins._validation.engine import list_checks as table
    from meds_ins._validation.engine import targets_from_changes
    from meds_ins._validation.engine import validate as run
    from meds_ins._validation.findings import has_errors, to_json

    if list_checks:
        click.echo(table())
        return 0
    if from_changes:
        targets = targets_from_changes(targets)
        if not targets:
            click.echo("No builder, fixture or task file among the changes: nothing to validate.")
            return 0
    if not targets:
        raise click.UsageError("give at least one TARGET (a task file or folder, a builder, a store)")
    report = run(
        targets,
        raw=raw,
        default_split=default_split,
        strict_mode=strict,
        workers=workers,
        audits=not no_audits,
    )
    findings = report.findings
    if as_json:
        click.echo(to_json(findings))
    elif github:
        for f in findings:
            click.echo(f.github())
    else:
        for f in findings:
            click.echo(str(f))
        errors = sum(f.severity == "error" for f in findings)
        explained = f", {report.explained} explained by audit_exceptions" if report.explained else ""
        click.echo(
            f"{errors} error(s), {len(findings) - errors} warning(s){explained} in {len(targets)} target(s)."
        )
    return 1 if has_errors(findings) else 0


@click.command("import")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path), metavar="PATHS...")
@store_option(help="Store folder to import into (default: the local store in $MEDS_INS_HOME)")
@moved_out_option()
@split_option("Split of the instances of files without `Split Type` (use test for MedS-Bench files).")
@click.option(
    "--paraphrases",
    type=click.Path(path_type=Path),
    default=None,
    help="A paraphrase file {taskN: {original_def, auto_rewrite_def: [...]}} to store with the tasks.",
)
@click.option(
    "--allow-errors",
    is_flag=True,
    help="Import despite validation errors, leaving out (and counting) instances that cannot be records.",
)
@click.option(
    "--from-hub",
    "repo_id",
    metavar="ORG/NAME",
    default=None,
    help="Download the task files from this Hub dataset repository and import them (the original "
    "release: Henrychur/MedS-Ins, and Henrychur/MedS-Bench with --split test).",
)
@click.option(
    "--task",
    "tasks",
    multiple=True,
    help="With --from-hub: only this task (id such as task71, or name); repeat for more. Default: all.",
)
@click.option("--revision", default=None, help="With --from-hub: a branch, tag or commit (default: main).")
@click.option("--quiet", is_flag=True, help="No progress bar, no warnings; errors and the summary only.")
@json_option("Print the result (tasks imported, findings, what was left out) as JSON.")
def import_(
    sources: Sequence[Path],
    store: str | None,
    default_split: str,
    paraphrases: Path | None,
    allow_errors: bool,
    repo_id: str | None,
    tasks: Sequence[str],
    revision: str | None,
    quiet: bool,
    as_json: bool,
) -> int:
    """Import released MedS-Ins task files into a store.

    PATHS are task files (task<N>_<name>.json, or .jsonl) or folders of them, in any variant of the
    released format: lists or plain strings, instances without ids, the contributor variant with
    `Split Type`, .jsonl files holding one JSON document, and single multi-GB files holding many tasks
    or records (read as a stream). The files are validated while they are read (as by
    `meds-ins validate`, the data audits included when `meds-ins[audits]` is installed); if there are
    errors, nothing is written.

    Splits: `Split Type` decides (Train/Test is split 9:1 by a hash of the input); files without it
    go to --split. An import replaces only the task splits it brings: importing a task's training
    file, then its benchmark file with --split test, gives the task both splits.

    With --from-hub, the task files come from a Hub dataset repository laid out as the original release
    (files task<N>_<name>.json or .jsonl, at any depth): only those of the --task options are
    downloaded, at one commit. This reaches tasks that no builder makes from raw data (task71, task72,
    task132 to task136). Imported tasks are marked so in the manifest (`imported`: repository, commit
    and files) and in `meds-ins info`.

    \b
    Example:
      meds-ins import MedS-Ins/ --store store
      meds-ins import MedS-Bench/ --split test --store store
      meds-ins import --paraphrases paraphrases.json --store store
      meds-ins import --from-hub Henrychur/MedS-Ins --task task71 --task task132
      meds-ins import --from-hub Henrychur/MedS-Bench --split test
    """
    from meds_ins._validation.importer import import_files, import_from_hub

    progress = not (quiet or as_json)
    if repo_id is not None:
        if sources or paraphrases:
            raise click.UsageError(
                "--from-hub imports a repository's task files; give no PATHS or --paraphrases"
            )
        report = import_from_hub(
            repo_id,
            store_path(store),
            tasks=list(tasks) or None,
            revision=revision,
            default_split=default_split,
            allow_errors=allow_errors,
            progress=progress,
        )
    elif tasks or revision:
        raise click.UsageError("--task and --revision apply to --from-hub")
    else:
        report = import_files(
            list(sources),
            store_path(store),
            default_split=default_split,
            paraphrases=paraphrases,
            allow_errors=allow_errors,
            progress=progress,
        )
    if as_json:
        echo_json(report.to_dict())
        return 0 if report.store is not None else 1
    errors = [f for f in report.findings if f.severity == "error"]
    for f in report.findings:
        if f.severity == "error" or not quiet:
            click.echo(str(f))
    warnings = len(report.findings) - len(errors)
    if report.store is None:
        click.echo(
            f"\nImport refused: {len(errors)} error(s), {warnings} warning(s); nothing was written. "
            "Fix the files, or use --allow-errors to import what can be imported."
        )
        return 1
    rows = [(name, f"{c['train']:,}", f"{c['test']:,}") for name, c in report.tasks.items()]
    if rows:
        click.echo()
        table(("TASK", "TRAIN", "TEST"), rows)
    skipped = ", ".join(f"{n:,} {reason}" for reason, n in report.skipped.items())
    origin = report.origin
    click.echo(
        f"\nImported {len(rows)} task(s) into {report.store.root} in {report.seconds:.1f} s "
        + (f"from {origin['repo']} at commit {origin['revision']} " if origin else "")
        + f"({len(errors)} error(s), {warnings} warning(s)"
        + (f"; left out: {skipped}" if skipped else "")
        + ")."
    )
    if paraphrases is not None:
        missing = ", ".join(report.paraphrases_unmatched[:10])
        click.echo(
            f"Paraphrases stored for {report.paraphrased} task(s)"
            + (f"; not in the store (import their task files first): {missing}" if missing else "")
            + "."
        )
    return 0
