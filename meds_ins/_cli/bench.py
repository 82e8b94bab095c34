"""`meds-ins bench`: MedS-Bench prompts, scoring and leaderboard."""

from __future__ import annotations

import json
from pathlib import Path

import click

from meds_ins._cli.options import (
    echo_json,
    json_option,
    out_option,
    read_store,
    scores_text,
    store_option,
    table,
)
from meds_ins._common import paths


@click.group()
def bench() -> None:
    """MedS-Bench: prompts for the test split, scoring of model outputs, leaderboard.

    \b
    1. meds-ins bench prompts --out prompts/            one JSONL of prompts per benchmark task
    2. run your model; write {"id": ..., "output": ...} lines (or the published CSV layout)
    3. meds-ins bench score outputs.jsonl --model NAME --out results.json
    4. meds-ins bench leaderboard results.json --out board/
    """


@bench.command("prompts")
@out_option(folder=True, required=True, help="Folder for the prompt files.")
@store_option(hub=True)
@click.option("--task", multiple=True, help="Only these benchmark tasks (repeatable).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the example draws.")
@json_option("Print what was written per task as JSON.")
def bench_prompts(out: Path, store: str | None, task: tuple[str, ...], seed: int, as_json: bool) -> None:
    """Write the benchmark prompts of the store's test split: multiple-choice QA zero-shot, others 3-shot.

    Each line holds the record id, the prompt as text and as chat messages, the references and the ids
    of the examples used (drawn from training data, never the item itself).
    """
    from meds_ins._bench.prompting import write_prompts

    summary = write_prompts(read_store(store), out, tasks=list(task), seed=seed)
    if as_json:
        echo_json({"out": out, "tasks": summary})
        return
    table(
        ("TASK", "CATEGORY", "ITEMS", "SHOTS", "EXAMPLES FROM"),
        [(s["task"], s["category"], f"{s['items']:,}", s["shots"], s["examples_from"]) for s in summary],
    )
    click.echo(f"\nWrote {len(summary)} prompt file(s) to {out}.")


@bench.command("score")
@click.argument("predictions", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option(
    hub=True,
    help="Store with the test records (needed for JSONL predictions; enriches CSV ones). "
    "Default: the local store if it exists",
)
@click.option("--model", default=None, help="Model name for the results (default: the first file's name).")
@out_option(folder=False, help="Write the results as JSON.")
@click.option(
    "--allow-empty", is_flag=True, help="Score empty outputs as wrong instead of refusing the file."
)
@json_option("Print the results as JSON.")
def bench_score(
    predictions: tuple[Path, ...],
    store: str | None,
    model: str | None,
    out: Path | None,
    allow_empty: bool,
    as_json: bool,
) -> None:
    """Score prediction files per task and per MedS-Bench category.

    PREDICTIONS are the published submission CSV (task_id,input,GT,output; task_id a bare id such as
    task126 or the full task name) or JSON Lines of {"id": record id, "output": text}.
    """
    from meds_ins._bench.score import score_files
    from meds_ins._store.layout import is_store

    opened = read_store(store) if store is not None or is_store(paths.default_store()) else None
    results = score_files(
        list(predictions), opened, model=model or predictions[0].stem, allow_empty=allow_empty
    )
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if as_json:
        echo_json(results)
        return
    rows = [
        (t, r["category"], r["metric"], f"{r['n']:,}", scores_text(r["scores"]))
        for t, r in results["tasks"].items()
    ]
    table(("TASK", "CATEGORY", "METRIC", "ITEMS", "SCORE"), rows)
    click.echo()
    rows = [
        (
            name,
            scores_text(c["scores"]) or "-",
            ", ".join(c["average_over"]) or "(no average published)",
            ", ".join(c["missing_from_average"]) or "-",
        )
        for name, c in results["categories"].items()
    ]
    table(("CATEGORY", "AVERAGE", "OVER", "MISSING"), rows)
    if out:
        click.echo(f"\nResults written to {out}.")


@bench.command("leaderboard")
@click.argument("results", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@out_option(folder=True, required=True, help="Folder to write into.")
@json_option("Print the files written as JSON.")
def bench_leaderboard(results: tuple[Path, ...], out: Path, as_json: bool) -> None:
    """Place scored models (results of `bench score`) beside the published figures: Markdown, HTML, charts."""
    from meds_ins._bench.leaderboard import write

    written = write(list(results), out)
    if as_json:
        echo_json({"files": written})
        return
    for path in written:
        click.echo(str(path))
