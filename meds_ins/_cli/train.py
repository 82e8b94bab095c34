"""`meds-ins export`: training files in chat format, with caps and mixing."""

from __future__ import annotations

from pathlib import Path

import click

from meds_ins._cli.options import echo_json, json_option, out_option, store_option, table


@click.command()
@out_option(folder=False, required=True, help="File to write.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "parquet"]),
    default="jsonl",
    show_default=True,
    help="Chat JSON Lines ({id, task, messages}) or parquet with the same columns.",
)
@store_option(hub=True)
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
@json_option("Print each task's contribution as JSON.")
def export(
    out: Path,
    fmt: str,
    store: str | None,
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
    as_json: bool,
) -> None:
    """Write a training file in chat format (system, user, assistant messages) for SFT tools.

    \b
    Example: a mixture of every question-answering task, at most 5,000 records per task:
      meds-ins export --out qa.jsonl --category "Question Answering" --cap 5000 --temperature 2
    """
    from meds_ins._training.export import export as run

    shares = run(
        store,
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
    if as_json:
        echo_json({"out": out, "records": written, "tasks": [vars(s) for s in shares]})
        return
    rows = [
        (
            s.task,
            f"{s.available:,}",
            f"{s.selected:,}",
            f"{100 * s.selected / written:.1f}%" if written else "-",
        )
        for s in shares
    ]
    table(("TASK", "AVAILABLE", "EXPORTED", "SHARE"), rows)
    click.echo(f"\nWrote {written:,} records from {sum(1 for s in shares if s.selected)} task(s) to {out}.")
