"""`meds-ins bench run`: a model server's answers to the MedS-Bench prompts, scored and placed on the
leaderboard, in one step.

The prompts are those of `bench prompts` (the same examples, drawn by the same seed), sent as chat
messages or as text to an OpenAI-compatible endpoint by a few concurrent workers. Every answer is kept
on disk as it arrives (answers.py), so an interrupted run resumes where it stopped and a rerun sends
nothing. The run folder then holds:

    predictions.jsonl   {"id": record id, "output": ..., "finish_reason": ...} per test record
    results.json        `bench score`'s results, plus the generation settings and the endpoint
    leaderboard/        `bench leaderboard` of this model (and any --compare results)
    answers.sqlite3     the answers, keyed by request
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from meds_ins._bench.answers import AnswerCache, request_key
from meds_ins._bench.endpoint import Answer, Endpoint, EndpointError, RefusedError, Session, parse_endpoint
from meds_ins._bench.generation import SEED, STOP, TEMPERATURE, Decoding, cut_at_stop
from meds_ins._bench.prompting import bench_task_names, task_prompts
from meds_ins._common.errors import UsageError
from meds_ins._common.version import VERSION
from meds_ins._store.layout import Store
from meds_ins._training.prompts import Prompt


@dataclass(frozen=True)
class Request:
    record_id: str
    key: str
    body: dict[str, Any]


def default_out(model: str) -> Path:
    """meds-bench/<model> in the working directory ('org/name' becomes 'org--name')."""
    return Path("meds-bench") / (re.sub(r"[^\w.-]+", "-", model.replace("/", "--")).strip("-") or "model")


def request_body(endpoint: Endpoint, prompt: Prompt, decoding: Decoding, task_id: str) -> dict[str, Any]:
    """What is sent for one prompt (the keys lm-evaluation-harness's API models send, too)."""
    body: dict[str, Any] = {"model": endpoint.model}
    if endpoint.api == "chat":
        body["messages"] = prompt.messages()
    else:
        body["prompt"] = prompt.text()
    body["max_tokens"] = decoding.max_tokens_for(task_id)
    body["temperature"] = decoding.temperature
    body["seed"] = decoding.seed
    body["stop"] = list(decoding.stop)
    return body


def run_bench(
    endpoint: str,
    model: str,
    *,
    store: str | os.PathLike[str] | Store | None = None,
    out: str | os.PathLike[str] | None = None,
    tasks: Sequence[str] = (),
    categories: Sequence[str] = (),
    shots: int | None = None,
    seed: int = 0,
    api: str | None = None,
    concurrency: int = 8,
    max_tokens: int | None = None,
    temperature: float = TEMPERATURE,
    sampling_seed: int = SEED,
    timeout: float = 300.0,
    retries: int = 6,
    backoff: float = 1.0,
    api_key_env: str | None = None,
    allow_refused: bool = False,
    compare: Sequence[str | os.PathLike[str]] = (),
    leaderboard: bool = True,
    progress: bool = True,
) -> dict[str, Any]:
    """Send the MedS-Bench prompts of `store` to an OpenAI-compatible `endpoint` serving `model`, then
    score the answers and write the leaderboard into `out` (default meds-bench/<model>).

    `api` is "chat" (default) or "completions"; `shots` overrides the published number of examples;
    `seed` draws the examples (as in `bench prompts`), `sampling_seed` goes to the server. The API key
    is read from `api_key_env` (default OPENAI_API_KEY, optional). Prompts the server refuses (HTTP 400,
    413, 422) stop the run, unless `allow_refused` scores them as wrong. The leaderboard places the
    model beside the published figures and the `compare` results files (`leaderboard=False` skips it:
    its charts take seconds). Returns the results of `score_predictions` with the run's files and counts.
    """
    from meds_ins._bench.leaderboard import write as write_leaderboard
    from meds_ins._bench.score import score_files
    from meds_ins._hub.reading import resolve_store

    for name, value, least in (
        ("concurrency", concurrency, 1),
        ("max_tokens", max_tokens, 1),
        ("retries", retries, 0),
    ):
        if value is not None and value < least:
            raise UsageError(f"{name} must be at least {least}, not {value}")
    if timeout <= 0:
        raise UsageError(f"timeout must be positive, not {timeout}")
    target = parse_endpoint(endpoint, model, api=api, api_key_env=api_key_env)
    opened = resolve_store(store)
    decoding = Decoding(temperature, sampling_seed, STOP, max_tokens)
    selected = [
        task_prompts(opened, n, shots=shots, seed=seed) for n in bench_task_names(opened, tasks, categories)
    ]
    requests = []
    for task in selected:
        for prompt in task.prompts:
            body = request_body(target, prompt, decoding, task.task_id)
            requests.append(Request(prompt.record["id"], request_key(target.api, body), body))
    folder = Path(out) if out is not None else default_out(model)
    folder.mkdir(parents=True, exist_ok=True)
    session = Session(target, concurrency=concurrency, timeout=timeout, retries=retries, backoff=backoff)
    answers, refused, counts = _collect(
        requests, folder, session, allow_refused=allow_refused, progress=progress
    )

    predictions = folder / "predictions.jsonl"
    _write_predictions(predictions, requests, answers, refused, decoding.stop)
    results = score_files([predictions], opened, model=model, allow_empty=True)
    shots_of = {t.task_id: t.shots for t in selected}
    results["generation"] = {
        "endpoint": target.shown,
        "api": target.api,
        "model": model,
        **decoding.record(list(results["tasks"])),
        "shots": {t: shots_of[t] for t in results["tasks"]},
        "examples_seed": seed,
        "refused": sorted(r.record_id for r in requests if r.key in refused),
        "meds_ins": VERSION,
    }
    results_file = folder / "results.json"
    results_file.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    board = (
        write_leaderboard([results_file, *map(Path, compare)], folder / "leaderboard") if leaderboard else []
    )
    return {
        "out": folder,
        "predictions": predictions,
        "results_file": results_file,
        "leaderboard": board,
        "prompts": len(requests),
        **counts,
        "refused": len(results["generation"]["refused"]),
        "length_limited": sum(
            1 for r in requests if r.key in answers and answers[r.key].finish_reason == "length"
        ),
        "results": results,
    }


def _collect(
    requests: list[Request], folder: Path, session: Session, *, allow_refused: bool, progress: bool
) -> tuple[dict[str, Answer], dict[str, str], dict[str, Any]]:
    """The answers to every request: those kept in the folder's cache, and the others asked for now
    (identical requests once). Returns them by key, the refusals by key, and what was done."""
    cache = AnswerCache(folder)
    try:
        answered = cache.get(r.key for r in requests)
        pending = list({r.key: r for r in requests if r.key not in answered}.values())
        started = time.perf_counter()
        refused: dict[str, str] = {}
        if pending:
            try:
                refused = asyncio.run(
                    _ask(
                        pending,
                        cache,
                        session,
                        before=len(answered),
                        allow_refused=allow_refused,
                        progress=progress,
                    )
                )
            except EndpointError as e:
                hint = (
                    " (allow_refused / --allow-refused scores such prompts as wrong)"
                    if isinstance(e, RefusedError)
                    else ""
                )
                raise type(e)(
                    f"{e}{hint}; {len(cache)} answers are kept in {cache.path}: run again to resume"
                ) from None
        seconds = time.perf_counter() - started
        answers = cache.get(r.key for r in requests)
    finally:
        cache.close()
    if pending and len(refused) == len(pending) and not answered:
        raise EndpointError(
            f"{session.endpoint.shown} refused every prompt; the first: {next(iter(refused.values()))}"
        )
    return (
        answers,
        refused,
        {
            "answered_before": len(answered),
            "answered_now": len(pending) - len(refused),
            "sent": session.sent,
            "retried": session.retried,
            "seconds": round(seconds, 3),
            "prompts_per_second": round(len(pending) / seconds, 2) if pending and seconds else None,
        },
    )


async def _ask(
    pending: list[Request],
    cache: AnswerCache,
    session: Session,
    *,
    before: int,
    allow_refused: bool,
    progress: bool,
) -> dict[str, str]:
    """Answer the pending requests with `session.concurrency` workers, caching each answer as it comes;
    returns the refusals by key. `before` requests were answered by an earlier run."""
    from tqdm import tqdm

    refused: dict[str, str] = {}
    bar = tqdm(
        total=before + len(pending),
        initial=before,
        desc="answering",
        unit=" prompts",
        disable=not progress or None,
        mininterval=0.5,
    )
    queue = iter(pending)  # shared: each worker takes the next request

    async def worker() -> None:
        for request in queue:
            try:
                answer = await session.complete(request.body, request.record_id)
            except RefusedError as e:
                if not allow_refused:
                    raise
                refused[request.key] = str(e)
            else:
                cache.put(request.key, answer)
            bar.update()
            if session.retried:
                bar.set_postfix(retries=session.retried, refused=len(refused), refresh=False)

    async with session:
        workers = [asyncio.ensure_future(worker()) for _ in range(min(session.concurrency, len(pending)))]
        try:
            await asyncio.gather(*workers)
        finally:
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            bar.close()
    return refused


def _write_predictions(
    path: Path,
    requests: list[Request],
    answers: dict[str, Answer],
    refused: dict[str, str],
    stop: Sequence[str],
) -> None:
    """One line per test record, in prompt order; refused prompts have an empty output (scored wrong)."""
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        for request in requests:
            answer = answers.get(request.key)
            line: dict[str, Any] = {"id": request.record_id}
            if answer is None:
                line |= {"output": "", "refused": refused.get(request.key, "no answer")}
            else:
                line |= {"output": cut_at_stop(answer.text, stop), "finish_reason": answer.finish_reason}
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    os.replace(temporary, path)
