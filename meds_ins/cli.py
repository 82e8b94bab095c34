"""The `meds-ins` command line. Bad input gives a one-line error and an exit code, never a traceback.

Exit codes: 0 success, 1 the data or the work failed (validation errors, malformed raw files),
2 usage errors (unknown names, missing files or stores), 130 interrupted.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from meds_ins import __version__, paths
from meds_ins.errors import MedsInsError

STORE_HELP = "Store folder (default: the local store in $MEDS_INS_HOME, now {})."


def store_option(flag: str) -> Any:
    """--out or --store: a store folder, by default the local store."""
    return click.option(
        flag, type=click.Path(path_type=Path), default=None, help=STORE_HELP.format(paths.default_store())
    )


def workers_option(help: str) -> Any:
    """--workers N: processes, at most one per core."""
    return click.option(
        "--workers", type=click.IntRange(1, os.cpu_count() or 1), default=1, show_default=True, help=help
    )


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


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="meds-ins")
def cli() -> None:
    """Build, validate, load and publish MedS-Ins, the medical instruction-tuning collection,
    and its held-out benchmark MedS-Bench.

    \b
    New here? Run `meds-ins quickstart`.
    Then: `meds-ins tasks` to see the collection, `meds-ins build CORPUS --raw DIR` to build
    a corpus from its raw files, and in Python `meds_ins.load_dataset(task=...)`.
    """


# ---------------------------------------------------------------------------------------------
# Catalog


@cli.command()
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
    from meds_ins import schema
    from meds_ins.catalog import load_catalog
    from meds_ins.errors import unknown
    from meds_ins.loader import language_code

    catalog = load_catalog()
    if category is not None:
        categories = {c.lower(): c for c in schema.enum("category")}
        if category.lower() not in categories:
            raise unknown("category", category, set(categories.values()))
    if source is not None and source not in {c.id for c in catalog.corpora()}:
        raise unknown("corpus", source, {c.id for c in catalog.corpora()})
    code = language_code(language) if language else None
    found = catalog.tasks(category=category, language=code, source=source, built=built)
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
    _table(("TASK", "NAME", "CATEGORY", "SOURCE", "LANG", "BENCH", "BUILDER"), rows)
    click.echo(f"\n{len(found)} task(s), {sum(t.built for t in found)} with a builder.")


@cli.command()
@click.option(
    "--built/--planned", "built", default=None, help="Only corpora with a builder / still without one."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def corpora(built: bool | None, as_json: bool) -> None:
    """List the source corpora: licence, access, whether records may be published, tasks."""
    from meds_ins.catalog import load_catalog

    found = load_catalog().corpora(built=built)
    if as_json:
        click.echo(json.dumps([c.to_dict() for c in found], indent=2, ensure_ascii=False))
        return
    rows = []
    for c in found:
        m = c.metadata or {}
        rows.append(
            (
                c.id,
                c.name,
                m.get("license", "-"),
                m.get("access", "-"),
                {True: "yes", False: "no"}.get(m.get("redistributable"), "-"),
                ",".join(c.tasks),
                "yes" if c.built else "-",
            )
        )
    _table(("CORPUS", "NAME", "LICENCE", "ACCESS", "PUBLISH", "TASKS", "BUILDER"), rows)
    click.echo(f"\n{len(found)} corpora, {sum(c.built for c in found)} with a builder.")


# ---------------------------------------------------------------------------------------------
# Build, validate, inspect


@cli.command()
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
    from meds_ins.build import build as run
    from meds_ins.catalog import load_catalog

    ids = list(load_catalog().builders) if list(corpora) == ["all"] else list(corpora)
    report = run(
        ids, raw, out or paths.default_store(), workers=workers, progress=not quiet, arrow_copies=arrow_cache
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
    _table(("CORPUS", "TASKS", "TRAIN", "TEST", "SKIPPED ON PURPOSE"), rows)
    click.echo(
        f"\nStore: {report.store.root} ({report.store.manifest['totals']['rows']:,} records in "
        f"{report.store.manifest['totals']['tasks']} tasks), built in {report.seconds:.1f} s."
    )


@cli.command()
@click.argument("targets", nargs=-1)
@click.option(
    "--raw",
    type=click.Path(path_type=Path, exists=True),
    default=None,
    help="For a builder: build it on these raw files instead of its fixture.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Turn the released-format variants from warnings into errors, and report audit exceptions that "
    "explain nothing.",
)
@split_option("Split of the instances of task files without `Split Type` (for the train/test audits).")
@workers_option("For a store: validate this many corpora in parallel processes.")
@click.option("--json", "as_json", is_flag=True, help="Print findings as JSON.")
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
      - a store folder.

    Each finding has a severity, a code, a location (file:line for task files, task and record id
    for stores) and a fix. Data audits (constant outputs, label skew, duplicate inputs, train/test
    leakage, truncated references, encoding, personal data) run on every target unless --no-audits.

    Exit codes: 0 no errors (warnings allowed), 1 errors, 2 bad usage or unreadable input.
    """
    from meds_ins.validate import has_errors, targets_from_changes, to_json
    from meds_ins.validate import list_checks as table
    from meds_ins.validate import validate as run

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


@cli.command("import")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path), metavar="PATHS...")
@store_option("--out")
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
@click.option("--quiet", is_flag=True, help="No progress bar, no warnings; errors and the summary only.")
def import_(
    sources: Sequence[Path],
    out: Path | None,
    default_split: str,
    paraphrases: Path | None,
    allow_errors: bool,
    quiet: bool,
) -> int:
    """Import released MedS-Ins task files into a store.

    PATHS are task files (task<N>_<name>.json, or .jsonl) or folders of them, in any variant of the
    released format: lists or plain strings, instances without ids, the contributor variant with
    `Split Type`, .jsonl files holding one JSON document, and single multi-GB files holding many tasks
    or records (read as a stream). The files are validated while they are read (as by
    `meds-ins validate`); if there are errors, nothing is written.

    Splits: `Split Type` decides (Train/Test is split 9:1 by a hash of the input); files without it
    go to --split. An import replaces only the task splits it brings: importing a task's training
    file, then its benchmark file with --split test, gives the task both splits.

    \b
    Example:
      meds-ins import MedS-Ins/ --out store
      meds-ins import MedS-Bench/ --split test --out store
      meds-ins import --paraphrases paraphrases.json --out store
    """
    from meds_ins.importer import import_files

    report = import_files(
        list(sources),
        out or paths.default_store(),
        default_split=default_split,
        paraphrases=paraphrases,
        allow_errors=allow_errors,
        progress=not quiet,
    )
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
        _table(("TASK", "TRAIN", "TEST"), rows)
    skipped = ", ".join(f"{n:,} {reason}" for reason, n in report.skipped.items())
    click.echo(
        f"\nImported {len(rows)} task(s) into {report.store.root} in {report.seconds:.1f} s "
        f"({len(errors)} error(s), {warnings} warning(s)"
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


@cli.command("new-corpus")
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
    from meds_ins.scaffold import new_corpus as scaffold

    made = scaffold(corpus_id, root)
    click.echo(f"Wrote {made.builder}, {made.fixture}/data.jsonl and {made.test} ({', '.join(made.tasks)}).")
    click.echo("Next: fill in the TODOs, write the fixture in the corpus's native format, then")
    click.echo(f"  meds-ins validate {made.builder}")


@cli.command()
@click.argument("store", required=False, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON.")
def info(store: Path | None, as_json: bool) -> None:
    """Show what a store holds: corpora, licences, tasks and record counts."""
    from meds_ins.store import open_store

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
    _table(("CORPUS", "LICENCE", "ACCESS", "PUBLISH", "BUILT FROM"), rows)
    click.echo()
    rows = [
        (name, s.tasks[name]["category"], f"{s.rows(name, 'train'):,}", f"{s.rows(name, 'test'):,}")
        for name in s.manifest["tasks"]
    ]
    _table(("TASK", "CATEGORY", "TRAIN", "TEST"), rows)


@cli.command()
@store_option("--store")
def quickstart(store: Path | None) -> None:
    """Build the demo miniature corpora shipped with meds-ins, validate, load a task, show what next.

    The miniatures are small files written by the meds-ins authors in each corpus's native format;
    their records are made up. Corpora already built from real raw files are left alone.
    """
    from meds_ins.quickstart import run

    run(store or paths.default_store(), click.echo)


# ---------------------------------------------------------------------------------------------
# Training export and MedS-Bench


@cli.command()
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="File to write.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "parquet"]),
    default="jsonl",
    show_default=True,
    help="Chat JSON Lines ({id, task, messages}) or parquet with the same columns.",
)
@store_option("--store")
@click.option("--task", multiple=True, help="Task name or id (repeatable).")
@click.option("--category", multiple=True, help="Task category (repeatable).")
@click.option("--language", multiple=True, help="Language code or name (repeatable).")
@click.option("--split", type=click.Choice(["train", "test"]), default="train", show_default=True)
@click.option("--cap", type=click.IntRange(min=1), default=None, help="At most this many records per task.")
@click.option(
    "--temperature",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    show_default=True,
    help="Mixing temperature: shares follow min(n, cap)^(1/T); above 1 flattens towards equal shares.",
)
@click.option(
    "--total",
    type=click.IntRange(min=1),
    default=None,
    help="Total records (default: the sum of the capped task sizes).",
)
@click.option(
    "--shots",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Worked examples from the task's train split in each prompt (never the record itself).",
)
@click.option(
    "--paraphrase",
    is_flag=True,
    help="Use a paraphrased instruction, drawn from the seed, where the store has paraphrases.",
)
@click.option("--seed", type=int, default=0, show_default=True)
def export(
    out: Path,
    fmt: str,
    store: Path | None,
    task: tuple[str, ...],
    category: tuple[str, ...],
    language: tuple[str, ...],
    split: str,
    cap: int | None,
    temperature: float,
    total: int | None,
    shots: int,
    paraphrase: bool,
    seed: int,
) -> None:
    """Write a training file in chat format (system, user, assistant messages) for SFT tools.

    \b
    Example: a mixture of every question-answering task, at most 5,000 records per task:
      meds-ins export --out qa.jsonl --category "Question Answering" --cap 5000 --temperature 2
    """
    from meds_ins.export import export as run

    shares = run(
        store or paths.default_store(),
        out,
        fmt=fmt,
        task=list(task) or None,
        category=list(category) or None,
        language=list(language) or None,
        split=split,
        cap=cap,
        temperature=temperature,
        total=total,
        shots=shots,
        paraphrase=paraphrase,
        seed=seed,
    )
    written = sum(s.selected for s in shares)
    rows = [
        (
            s.task,
            f"{s.available:,}",
            f"{s.selected:,}",
            f"{100 * s.selected / written:.1f}%" if written else "-",
        )
        for s in shares
    ]
    _table(("TASK", "AVAILABLE", "EXPORTED", "SHARE"), rows)
    click.echo(f"\nWrote {written:,} records from {sum(1 for s in shares if s.selected)} task(s) to {out}.")


@cli.group()
def bench() -> None:
    """MedS-Bench: prompts for the test split, scoring of model outputs, leaderboard.

    \b
    1. meds-ins bench prompts --out prompts/            one JSONL of prompts per benchmark task
    2. run your model; write {"id": ..., "output": ...} lines (or the published CSV layout)
    3. meds-ins bench score outputs.jsonl --model NAME --out results.json
    4. meds-ins bench leaderboard results.json --out board/
    """


@bench.command("prompts")
@click.option(
    "--out", "out", type=click.Path(path_type=Path), required=True, help="Folder for the prompt files."
)
@store_option("--store")
@click.option("--task", multiple=True, help="Only these benchmark tasks (repeatable).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the example draws.")
def bench_prompts(out: Path, store: Path | None, task: tuple[str, ...], seed: int) -> None:
    """Write the benchmark prompts of the store's test split: multiple-choice QA zero-shot, others 3-shot.

    Each line holds the record id, the prompt as text and as chat messages, the references and the ids
    of the examples used (drawn from training data, never the item itself).
    """
    from meds_ins.bench.prompting import write_prompts
    from meds_ins.store import open_store

    summary = write_prompts(open_store(store or paths.default_store()), out, tasks=list(task), seed=seed)
    _table(
        ("TASK", "CATEGORY", "ITEMS", "SHOTS", "EXAMPLES FROM"),
        [(s["task"], s["category"], f"{s['items']:,}", s["shots"], s["examples_from"]) for s in summary],
    )
    click.echo(f"\nWrote {len(summary)} prompt file(s) to {out}.")


@bench.command("score")
@click.argument("predictions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--store",
    type=click.Path(path_type=Path),
    default=None,
    help="Store with the test records (needed for JSONL predictions; enriches CSV ones). "
    "Default: the local store if it exists.",
)
@click.option("--model", default=None, help="Model name for the results (default: the first file's name).")
@click.option(
    "--out", "out", type=click.Path(path_type=Path), default=None, help="Write the results as JSON."
)
@click.option(
    "--allow-empty", is_flag=True, help="Score empty outputs as wrong instead of refusing the file."
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def bench_score(
    predictions: tuple[Path, ...],
    store: Path | None,
    model: str | None,
    out: Path | None,
    allow_empty: bool,
    as_json: bool,
) -> None:
    """Score prediction files per task and per MedS-Bench category.

    PREDICTIONS are the published submission CSV (task_id,input,GT,output; task_id a bare id such as
    task126 or the full task name) or JSON Lines of {"id": record id, "output": text}.
    """
    from meds_ins.bench.score import score_files
    from meds_ins.store import is_store, open_store

    location = store or paths.default_store()
    opened = open_store(location) if store is not None or is_store(location) else None
    results = score_files(
        list(predictions), opened, model=model or predictions[0].stem, allow_empty=allow_empty
    )
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if as_json:
        click.echo(json.dumps(results, indent=2, ensure_ascii=False))
        return
    rows = [
        (t, r["category"], r["metric"], f"{r['n']:,}", _scores(r["scores"]))
        for t, r in results["tasks"].items()
    ]
    _table(("TASK", "CATEGORY", "METRIC", "ITEMS", "SCORE"), rows)
    click.echo()
    rows = [
        (
            name,
            _scores(c["scores"]) or "-",
            ", ".join(c["average_over"]) or "(no average published)",
            ", ".join(c["missing_from_average"]) or "-",
        )
        for name, c in results["categories"].items()
    ]
    _table(("CATEGORY", "AVERAGE", "OVER", "MISSING"), rows)
    if out:
        click.echo(f"\nResults written to {out}.")


def _scores(scores: dict[str, float]) -> str:
    return " ".join(f"{k}={v:.2f}" for k, v in scores.items())


@bench.command("leaderboard")
@click.argument("results", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Folder to write into.")
def bench_leaderboard(results: tuple[Path, ...], out: Path) -> None:
    """Place scored models (results of `bench score`) beside the published figures: Markdown, HTML, charts."""
    from meds_ins.bench.leaderboard import write

    for path in write(list(results), out):
        click.echo(str(path))


# ---------------------------------------------------------------------------------------------
# Publish


@cli.command()
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
    from meds_ins import card as cards
    from meds_ins.store import open_store

    s = open_store(store or paths.default_store())
    click.echo(f"Wrote {cards.write(s, out)}")


@cli.command()
@click.argument("store", required=False, type=click.Path(path_type=Path))
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
@click.option("--json", "as_json", is_flag=True, help="Print the plan and the result as JSON.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
def push(
    store: Path | None,
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
    """Publish the redistributable part of STORE (default: the local store) to a Hub dataset repository.

    \b
    Never published, whatever the options: corpora that are not redistributable (credentialed
    or data-use-agreement data such as MIMIC, MedNLI, SEER); the push says what it left out and
    why. Corpora built from the demo miniatures are left out too unless --include-demo.

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
    from meds_ins import hub

    echo = (lambda message: click.echo(message, err=True)) if as_json else click.echo
    result = hub.push(
        store or paths.default_store(),
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
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
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
        f"{upload} {len(plan.uploads)} file(s) ({_bytes(size)}) and {delete} {len(plan.deletions)} "
        f"in {len(plan.batches)} commit(s) to {where}; {len(plan.unchanged)} file(s) unchanged."
    )
    if result.dry_run:
        rows = [(f"+ {u.path}", _bytes(u.size)) for u in plan.uploads]
        rows += [(f"- {p}", "") for p in plan.deletions]
        _table(("FILE", "SIZE"), rows)
        click.echo("Dry run: nothing was sent.")
        return
    if result.pr_url and not result.merged:
        click.echo(f"Pull request: {result.pr_url}")
    elif result.pr_url:
        click.echo(f"Merged pull request: {result.pr_url}")
    for url in result.commit_urls[-1:]:
        click.echo(f"Commit: {url}")


def _bytes(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


# ---------------------------------------------------------------------------------------------


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    widths = (
        [max(len(str(x)) for x in col) for col in zip(header, *rows)] if rows else [len(h) for h in header]
    )
    for row in (header, *rows):
        click.echo("  ".join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip())


def main(argv: Sequence[str] | None = None) -> None:
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None, prog_name="meds-ins", standalone_mode=False
        )
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
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
