"""`meds-ins bench`: MedS-Bench prompts, scoring and leaderboard."""

from __future__ import annotations

import json
from pathlib import Path

import click

from meds_ins._bench.generation import SEED, TEMPERATURE
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
    A model behind an OpenAI-compatible server (vLLM, TGI, llama.cpp, Ollama, a hosted API), in one step:
      meds-ins bench run --endpoint http://127.0.0.1:8000/v1 --model NAME
    With lm-evaluation-harness:
      meds-ins bench lm-eval --out tasks/ && lm_eval --tasks meds_bench --include_path tasks/ ...
    Any other way, step by step:
      1. meds-ins bench prompts --out prompts/          one JSONL of prompts per benchmark task
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
@click.option(
    "--unmatched",
    type=click.Choice(["error", "gt"]),
    default="error",
    show_default=True,
    help="A CSV row that matches no test record of the store: an error naming the row, or (gt) scored "
    "from its GT column alone (no answer options or entity lists) and listed in the results.",
)
@json_option("Print the results as JSON.")
def bench_score(
    predictions: tuple[Path, ...],
    store: str | None,
    model: str | None,
    out: Path | None,
    allow_empty: bool,
    unmatched: str,
    as_json: bool,
) -> None:
    """Score prediction files per task and per MedS-Bench category.

    PREDICTIONS are the published submission CSV (task_id,input,GT,output; task_id a bare id such as
    task126 or the full task name; an optional id column of record ids) or JSON Lines of
    {"id": record id, "output": text}. Each prediction is scored against its test record in the
    store (references, answer options, entity lists), so both formats score alike. A CSV row finds its
    record by the id column, else by its input: the record's input, or the prompt `bench prompts`
    wrote (whitespace and case aside).
    """
    from meds_ins._bench.score import score_files
    from meds_ins._store.layout import is_store

    opened = read_store(store) if store is not None or is_store(paths.default_store()) else None
    results = score_files(
        list(predictions),
        opened,
        model=model or predictions[0].stem,
        allow_empty=allow_empty,
        unmatched=unmatched,
    )
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if as_json:
        echo_json(results)
        return
    _print_results(results)
    if out:
        click.echo(f"\nResults written to {out}.")


def _print_results(results: dict) -> None:
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
    matching = results.get("matching")
    if matching:
        matched = matching["matched_by"]
        click.echo(
            "\nPredictions matched by " + ", ".join(f"{how}: {n:,}" for how, n in matched.items()) + "."
        )
        unmatched_rows = matching["unmatched_rows"]
        if unmatched_rows:
            click.echo(
                f"{len(unmatched_rows):,} row(s) matched no test record and were scored from their GT alone, "
                f"first {unmatched_rows[0]}."
            )


@bench.command("leaderboard")
@click.argument("results", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@out_option(folder=True, required=True, help="Folder to write into.")
@json_option("Print the files written as JSON.")
def bench_leaderboard(results: tuple[Path, ...], out: Path, as_json: bool) -> None:
    """Place scored models (results of `bench score`) beside the published figures.

    Writes leaderboard.md, leaderboard.html and one chart per table, each showing every model in every
    column; a value averaging fewer tasks than the published figure is marked * (hatched in the charts,
    with how many tasks it averages).
    """
    from meds_ins._bench.leaderboard import write

    written = write(list(results), out)
    if as_json:
        echo_json({"files": written})
        return
    for path in written:
        click.echo(str(path))


def _selection_options(command):
    """--task, --category, --shots and --seed: which prompts, as `bench prompts` makes them."""
    for option in reversed(
        (
            click.option(
                "--task", multiple=True, help="Only these benchmark tasks, by id or name (repeatable)."
            ),
            click.option(
                "--category",
                multiple=True,
                help='Only the tasks of these categories, e.g. "NER" (repeatable).',
            ),
            click.option(
                "--shots",
                type=click.IntRange(min=0),
                default=None,
                help="Examples per prompt  [default: as published: 0 for multiple-choice QA, 3 otherwise]",
            ),
            click.option("--seed", type=int, default=0, show_default=True, help="Seed of the example draws."),
        )
    ):
        command = option(command)
    return command


@bench.command("run")
@click.option(
    "--endpoint",
    required=True,
    help="API base of an OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1.",
)
@click.option("--model", required=True, help="Model name the server serves (sent with every request).")
@store_option(hub=True)
@_selection_options
@click.option(
    "--api",
    type=click.Choice(["chat", "completions"]),
    default=None,
    help="Send chat messages (system: instruction and examples; user: the item) or one text prompt "
    "[default: chat, or what --endpoint ends with].",
)
@click.option(
    "--concurrency", type=click.IntRange(min=1), default=8, show_default=True, help="Requests in flight."
)
@click.option(
    "--max-tokens",
    type=click.IntRange(min=1),
    default=None,
    help="Token budget of every answer  [default: per metric, 64 for labels up to 512 for summaries]",
)
@click.option(
    "--temperature", type=float, default=TEMPERATURE, show_default=True, help="0 is greedy decoding."
)
@click.option("--sampling-seed", type=int, default=SEED, show_default=True, help="Seed sent to the server.")
@click.option(
    "--timeout", type=float, default=300.0, show_default=True, help="Seconds to wait for one answer."
)
@click.option(
    "--retries", type=click.IntRange(min=0), default=6, show_default=True, help="Retries of a failed request."
)
@click.option(
    "--api-key-env",
    default=None,
    metavar="NAME",
    help="Environment variable holding the API key  [default: OPENAI_API_KEY, if set]",
)
@click.option(
    "--allow-refused",
    is_flag=True,
    help="Score prompts the server refuses (HTTP 400/413/422, e.g. longer than its context) as wrong "
    "instead of stopping.",
)
@click.option(
    "--compare",
    multiple=True,
    type=click.Path(path_type=Path, exists=True),
    help="Results of other models (results.json) to place on the leaderboard too (repeatable).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=None,
    help="Run folder  [default: meds-bench/<model>]",
)
@json_option("Print the run's counts, files and results as JSON.")
def bench_run(
    endpoint: str,
    model: str,
    store: str | None,
    task: tuple[str, ...],
    category: tuple[str, ...],
    shots: int | None,
    seed: int,
    api: str | None,
    concurrency: int,
    max_tokens: int | None,
    temperature: float,
    sampling_seed: int,
    timeout: float,
    retries: int,
    api_key_env: str | None,
    allow_refused: bool,
    compare: tuple[Path, ...],
    out: Path | None,
    as_json: bool,
) -> None:
    """Send the MedS-Bench prompts to a model server, score the answers and write the leaderboard.

    Every answer is kept in the run folder as it arrives: an interrupted run resumes where it stopped,
    and a rerun sends nothing. Failed requests (HTTP 429, 5xx, time-outs, dropped connections) are
    retried with back-off, honouring Retry-After. Decoding is greedy with a fixed seed, and the
    settings are recorded in results.json. The API key is read from the environment, never written.

    \b
    The run folder holds predictions.jsonl, results.json, leaderboard/ and answers.sqlite3.
    """
    from meds_ins._bench.run import default_out, run_bench

    folder = out or default_out(model)
    try:
        summary = run_bench(
            endpoint,
            model,
            store=read_store(store),
            out=folder,
            tasks=task,
            categories=category,
            shots=shots,
            seed=seed,
            api=api,
            concurrency=concurrency,
            max_tokens=max_tokens,
            temperature=temperature,
            sampling_seed=sampling_seed,
            timeout=timeout,
            retries=retries,
            api_key_env=api_key_env,
            allow_refused=allow_refused,
            compare=compare,
            progress=not as_json,
        )
    except KeyboardInterrupt:
        click.echo(
            f"Interrupted; the answers so far are kept in {folder}: run the same command to resume.", err=True
        )
        raise SystemExit(130) from None
    if as_json:
        echo_json(summary)
        return
    _print_results(summary["results"])
    click.echo(f"\n{_run_text(summary)}")


def _run_text(s: dict) -> str:
    """What a run did and wrote, for people."""
    rate = f", {s['prompts_per_second']:.1f} prompts/s" if s["prompts_per_second"] else ""
    lines = [
        f"{s['prompts']:,} prompts: {s['answered_now']:,} answered now in {s['seconds']:.1f} s{rate} "
        f"({s['sent']:,} requests, {s['retried']:,} retried); "
        f"{s['answered_before']:,} answered by an earlier run."
    ]
    if s["refused"]:
        lines.append(f"note: {s['refused']} prompt(s) refused by the server were scored as wrong.")
    if s["length_limited"]:
        lines.append(f"note: {s['length_limited']} answer(s) stopped at the token budget (--max-tokens).")
    lines += [f"Predictions: {s['predictions']}", f"Results:     {s['results_file']}"]
    lines += [f"Leaderboard: {s['leaderboard'][0]}"] if s["leaderboard"] else []
    return "\n".join(lines)


@bench.command("lm-eval")
@click.option(
    "--out", "out", type=click.Path(path_type=Path), required=True, help="Folder for the task configs."
)
@store_option(hub=True)
@_selection_options
@json_option("Print what was written per task as JSON.")
def bench_lm_eval(
    out: Path,
    store: str | None,
    task: tuple[str, ...],
    category: tuple[str, ...],
    shots: int | None,
    seed: int,
    as_json: bool,
) -> None:
    """Write lm-evaluation-harness tasks for the store's MedS-Bench tasks, grouped as meds_bench and per
    category, with the prompts, decoding settings and metrics of `bench run` and `bench score`.

    \b
    Then, with meds-ins installed beside lm-eval[api]:
      lm_eval --tasks meds_bench --include_path OUT --model local-chat-completions --apply_chat_template \\
        --model_args model=NAME,base_url=http://127.0.0.1:8000/v1/chat/completions
    """
    from meds_ins._bench.lmeval import write_lm_eval_tasks

    summary = write_lm_eval_tasks(
        read_store(store), out, tasks=task, categories=category, shots=shots, seed=seed
    )
    if as_json:
        echo_json({"out": out, "tasks": summary})
        return
    table(
        ("LM-EVAL TASK", "GROUP", "ITEMS", "SHOTS", "MAX TOKENS"),
        [(s["lm_eval_task"], s["group"], f"{s['items']:,}", s["shots"], s["max_tokens"]) for s in summary],
    )
    click.echo(
        f"\nWrote {len(summary)} task(s) to {out}. Run: lm_eval --tasks meds_bench --include_path {out} ..."
    )
