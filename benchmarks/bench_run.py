"""Prompts per second of `meds-ins bench run` against a local OpenAI-compatible server, at concurrency 1, 8
and 32, beside the loop a user would otherwise write.

    python benchmarks/bench_run.py [--prompts 2000] [--repeat 3]

There is no model here, so the server (tests/openai_server.py, in its own process) answers each prompt
with its reference at once: the numbers measure the client side (prompt building aside): HTTP,
concurrency, the answer cache and the progress bookkeeping. A real model is slower by orders of
magnitude, and its server's batching decides what concurrency is worth.

- `bench run`: `meds_ins.run_bench` into a fresh folder, chat API; prompts/s over the sending phase
  (each answer committed to the cache as it arrives); the whole call (prompts, scoring) is also timed.
- bare httpx2: an `httpx2.AsyncClient` with a semaphore sending the same request bodies, nothing kept:
  the least a user could write. `openai.AsyncOpenAI` the same way, if the package is installed.
- rerun: `run_bench` again on a finished folder (nothing is sent).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
CONCURRENCY = (1, 8, 32)


def build_store(root: Path, prompts: int) -> Path:
    """A store holding one MedS-Bench task (task57's name, zero-shot) of `prompts` made-up test questions."""
    from builders_test_helpers import make_corpus

    from meds_ins._building.run import build
    from meds_ins.builder import Builder, Example, RawFile, Task, multiple_choice

    corpus = make_corpus(
        id="benchqa",
        name="Made-up questions",
        raw_files=(RawFile("count.txt", "how many questions to make up"),),
    )
    task = Task(
        "task57",
        "task57_medqa_question_answering_en",
        "Question Answering",
        "Answer the multiple-choice question with the letter and text of the correct option.",
        split_policy="test-only",
    )

    def generate(ctx):
        for i in range(int(ctx.file("count.txt").read_text())):
            options = {letter: f"treatment {i % 7 + n}" for n, letter in enumerate("ABCD")}
            question = f"A patient of {20 + i % 60} years presents with case {i}. Which treatment is best?"
            text, outputs, meta = multiple_choice(question, options, ["ABCD"[i % 4]])
            yield Example("task57", f"q{i}", text, outputs, meta=meta)

    (root / "raw" / "benchqa").mkdir(parents=True)
    (root / "raw" / "benchqa" / "count.txt").write_text(str(prompts))
    builder = Builder(corpus, (task,), generate)
    return build([builder], root / "raw", root / "store", progress=False).store.root


def start_server(prompts: Path) -> tuple[subprocess.Popen, str]:
    server = subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "openai_server.py"), str(prompts)],
        stdout=subprocess.PIPE,
        text=True,
    )
    return server, server.stdout.readline().strip()


async def bare_httpx2(url: str, bodies: list[dict], concurrency: int) -> float:
    import httpx2

    limits = httpx2.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx2.AsyncClient(limits=limits, timeout=60) as client:
        gate = asyncio.Semaphore(concurrency)

        async def one(body: dict) -> str:
            async with gate:
                response = await client.post(f"{url}/chat/completions", json=body)
                response.raise_for_status()
                return response.json()["choices"][0]["message"]["content"]

        started = time.perf_counter()
        await asyncio.gather(*(one(b) for b in bodies))
        return len(bodies) / (time.perf_counter() - started)


async def bare_openai(url: str, bodies: list[dict], concurrency: int) -> float:
    import openai

    client = openai.AsyncOpenAI(base_url=url, api_key="unused", max_retries=0)
    gate = asyncio.Semaphore(concurrency)

    async def one(body: dict) -> str:
        async with gate:
            return (await client.chat.completions.create(**body)).choices[0].message.content

    started = time.perf_counter()
    await asyncio.gather(*(one(b) for b in bodies))
    await client.close()
    return len(bodies) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["MEDS_INS_HOME"] = str(root / "home")
        os.environ["HF_HOME"] = str(root / "hf")
        from meds_ins._bench.endpoint import parse_endpoint
        from meds_ins._bench.generation import Decoding
        from meds_ins._bench.prompting import task_prompts, write_prompts
        from meds_ins._bench.run import request_body, run_bench
        from meds_ins._store.layout import open_store

        store = open_store(build_store(root, args.prompts))
        write_prompts(store, root / "prompts")
        server, url = start_server(root / "prompts")
        try:
            endpoint = parse_endpoint(url, "bench")
            prompts = task_prompts(store, "task57_medqa_question_answering_en").prompts
            bodies = [request_body(endpoint, p, Decoding(), "task57") for p in prompts]
            try:
                import openai  # noqa: F401

                clients = ("bare httpx2", "openai")
            except ImportError:
                clients = ("bare httpx2",)
            rates: dict[tuple[str, int], list[float]] = {}
            whole: dict[int, list[float]] = {}
            rerun = []
            options = {"store": store, "progress": False, "leaderboard": False}
            for i in range(args.repeat):
                for concurrency in CONCURRENCY:
                    out = root / f"run-{concurrency}-{i}"
                    started = time.perf_counter()
                    summary = run_bench(
                        url,
                        "bench",
                        store=store,
                        out=out,
                        concurrency=concurrency,
                        progress=False,
                        leaderboard=False,
                    )
                    whole.setdefault(concurrency, []).append(time.perf_counter() - started)
                    assert summary["results"]["tasks"]["task57"]["scores"]["accuracy"] == 100
                    rates.setdefault(("bench run", concurrency), []).append(summary["prompts_per_second"])
                    for client in clients:
                        measure = bare_httpx2 if client == "bare httpx2" else bare_openai
                        rates.setdefault((client, concurrency), []).append(
                            asyncio.run(measure(url, bodies, concurrency))
                        )
                started = time.perf_counter()
                again = run_bench(url, "bench", out=out, **options)
                rerun.append(time.perf_counter() - started)
                assert again["sent"] == 0
        finally:
            server.terminate()
            server.wait()

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    python = platform.python_version()
    print(f"machine: {platform.machine()}, {cores} cores, Python {python}, load average {load:.1f}")
    print(f"{args.prompts:,} prompts, chat API, server in its own process; median of {args.repeat} run(s)\n")
    print("| concurrency | bench run (prompts/s) | " + " | ".join(f"{c} (prompts/s)" for c in clients)
          + " | bench run / bare httpx2 | whole bench run call (s) |")  # fmt: skip
    print("|---" * (4 + len(clients)) + "|")
    for concurrency in CONCURRENCY:
        ours = statistics.median(rates[("bench run", concurrency)])
        others = [statistics.median(rates[(c, concurrency)]) for c in clients]
        print(
            f"| {concurrency} | {ours:.0f} | " + " | ".join(f"{o:.0f}" for o in others)
            + f" | {ours / others[0]:.2f} | {statistics.median(whole[concurrency]):.1f} |"
        )  # fmt: skip
    kept = f"{args.prompts:,} answers kept, nothing sent"
    print(f"\nrerun of a finished run ({kept}): {statistics.median(rerun):.1f} s")


if __name__ == "__main__":
    main()
