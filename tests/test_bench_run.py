"""`bench run` against the OpenAI-compatible server of tests/openai_server.py on 127.0.0.1: the real httpx2
client, real HTTP, scripted failures; a killed run resumes without re-sending what was answered."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openai_server import ModelServer, answers_from_prompts, normalized, prompt_of

from meds_ins._bench.answers import CACHE_FILE, request_key
from meds_ins._bench.endpoint import EndpointError, RefusedError, parse_endpoint, retry_after
from meds_ins._bench.generation import MAX_TOKENS, SEED, STOP
from meds_ins._bench.prompting import write_prompts
from meds_ins._bench.run import run_bench
from meds_ins._bench.score import score_files
from meds_ins._bench.tasks import bench_task
from meds_ins._building.run import build
from meds_ins._cli import main
from meds_ins._common.errors import UnknownNameError, UsageError
from meds_ins._store.layout import open_store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPORA = ["pubmedqa", "medqa", "bc5cdr", "ddxplus", "mimic4ed", "meqsum"]


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    """A store of six fixture corpora (11 MedS-Bench tasks) and its `bench prompts` files."""
    root = tmp_path_factory.mktemp("bench")
    report = build(CORPORA, FIXTURES, root / "store", progress=False, arrow_copies=False)
    store = open_store(report.store.root)
    write_prompts(store, root / "prompts")
    prompts = [
        json.loads(line) for path in sorted((root / "prompts").glob("*.jsonl")) for line in path.open()
    ]
    return store, root / "prompts", prompts


@pytest.fixture
def server(bench):
    with ModelServer(answers_from_prompts(bench[1])) as running:
        yield running


def run(server, bench, out, **options):
    options = {"store": bench[0], "out": out, "progress": False, "leaderboard": False, **options}
    return run_bench(server.url, "echo", **options)


def all_100(results) -> bool:
    return all(v == 100 for task in results["tasks"].values() for v in task["scores"].values())


def test_answers_of_the_references_score_100_and_a_rerun_sends_nothing(server, bench, tmp_path):
    store, _, prompts = bench
    summary = run(server, bench, tmp_path / "run")
    results = summary["results"]
    assert all_100(results) and len(results["tasks"]) == 11
    assert summary["sent"] == len(prompts) == len(server.received) and summary["retried"] == 0
    # chat: the system turn holds instruction and examples, the user turn the item, as `bench prompts`
    by_id = {p["id"]: p for p in prompts}
    lines = [json.loads(line) for line in (tmp_path / "run" / "predictions.jsonl").open()]
    assert sorted(line["id"] for line in lines) == sorted(by_id)
    assert sorted(map(json.dumps, (b["messages"] for b in server.received))) == sorted(
        json.dumps(p["messages"]) for p in prompts
    )
    body = server.received[0]
    assert {k: body[k] for k in ("model", "temperature", "seed", "stop")} == {
        "model": "echo",
        "temperature": 0.0,
        "seed": SEED,
        "stop": list(STOP),
    }
    assert set(body) == {"model", "messages", "max_tokens", "temperature", "seed", "stop"}
    generation = results["generation"]
    assert generation["max_tokens"]["task57"] == MAX_TOKENS[bench_task("task57").metric] == 64
    assert generation["max_tokens"]["task114"] == 512
    assert generation["shots"]["task57"] == 0 and generation["shots"]["task126"] == 3
    assert generation["endpoint"] == server.url + "/chat/completions" and generation["refused"] == []
    saved = json.loads((tmp_path / "run" / "results.json").read_text())
    assert saved["tasks"] == results["tasks"] and saved["generation"] == generation

    again = run(server, bench, tmp_path / "run")
    assert again["sent"] == 0 and again["answered_before"] == len(prompts)
    assert len(server.received) == len(prompts)
    assert again["results"]["tasks"] == results["tasks"]


def test_completions_send_the_prompt_text_and_answers_are_cut_at_the_stop_sequence(server, bench, tmp_path):
    _, _, prompts = bench
    # a completion model answers, then invents the next example
    server.reply = lambda prompt: server.answers[prompt] + "\n\nInput:\nAn invented case\nOutput:\nno"
    summary = run(server, bench, tmp_path / "run", api="completions", max_tokens=100)
    assert all_100(summary["results"])
    assert sorted(b["prompt"] for b in server.received) == sorted(p["prompt"] for p in prompts)
    assert {b["max_tokens"] for b in server.received} == {100}
    assert summary["results"]["generation"]["api"] == "completions"


def test_garbage_answers_score_as_bench_score_scores_them(server, bench, tmp_path):
    store, _, prompts = bench
    server.reply = lambda prompt: "zebra " + server.answers[prompt][: len(prompt) % 7]
    summary = run(server, bench, tmp_path / "run")
    assert not all_100(summary["results"])
    by_text = {normalized(p["prompt"]): p["id"] for p in prompts}
    hand = tmp_path / "hand.jsonl"
    hand.write_text(
        "".join(
            json.dumps({"id": by_text[text], "output": server.reply(text)}) + "\n" for text in sorted(by_text)
        )
    )
    expected = score_files([hand], store, model="echo", allow_empty=True)
    assert summary["results"]["tasks"] == expected["tasks"]
    assert summary["results"]["categories"] == expected["categories"]


def test_rate_limits_honour_retry_after_and_other_failures_back_off(server, bench, tmp_path):
    server.script = ["429", "429"]
    started = time.monotonic()
    summary = run(server, bench, tmp_path / "a", concurrency=1, backoff=0.01, tasks=["task57"])
    assert time.monotonic() - started >= 2.0  # two waits of Retry-After: 1, not the 0.01 s back-off
    assert summary["retried"] == 2 and summary["sent"] == 2 + 2 and all_100(summary["results"])

    server.script = ["429-bare", "500", "502", "drop", "cut"]
    summary = run(server, bench, tmp_path / "b", concurrency=1, backoff=0.01, tasks=["task126"])
    assert summary["retried"] == 5 and all_100(summary["results"])


def test_a_slow_server_times_out_and_is_asked_again(server, bench, tmp_path):
    server.script = ["slow"]
    summary = run(server, bench, tmp_path / "run", concurrency=1, timeout=0.5, backoff=0.01, tasks=["task57"])
    assert summary["retried"] == 1 and all_100(summary["results"])


def test_concurrency_bounds_the_requests_in_flight(server, bench, tmp_path):
    _, _, prompts = bench
    server.delay = 0.25
    started = time.monotonic()
    summary = run(server, bench, tmp_path / "run", concurrency=8)
    elapsed = time.monotonic() - started
    assert server.max_in_flight == 8 and all_100(summary["results"])
    assert elapsed < len(prompts) * 0.25 / 2  # in parallel, not one after the other


def test_a_server_that_keeps_failing_stops_the_run_and_the_next_run_resumes(server, bench, tmp_path):
    _, _, prompts = bench
    server.script = [None] * 5 + ["500"] * 3
    with pytest.raises(EndpointError, match=r"failed 3 times for task\d+:.*HTTP 500.*5 answers are kept"):
        run(server, bench, tmp_path / "run", concurrency=1, retries=2, backoff=0.01)
    received = len(server.received)
    summary = run(server, bench, tmp_path / "run", concurrency=1)
    assert summary["answered_before"] == 5 and summary["sent"] == len(prompts) - 5
    assert len(server.received) == received + len(prompts) - 5 and all_100(summary["results"])


def test_a_refused_prompt_stops_the_run_unless_refusals_are_scored_wrong(server, bench, tmp_path):
    server.script = ["400"]
    with pytest.raises(RefusedError, match=r"refused task57:\S+ \(HTTP 400\): This model's maximum context"):
        run(server, bench, tmp_path / "run", concurrency=1, tasks=["task57"])
    server.script = ["400"]
    summary = run(server, bench, tmp_path / "run2", concurrency=1, tasks=["task57"], allow_refused=True)
    refused = summary["results"]["generation"]["refused"]
    assert len(refused) == 1 and summary["refused"] == 1
    assert summary["results"]["tasks"]["task57"]["scores"]["accuracy"] == 50  # 1 of 2 answered
    line = next(json.loads(x) for x in (tmp_path / "run2" / "predictions.jsonl").open() if refused[0] in x)
    assert line["output"] == "" and "maximum context length" in line["refused"]


def test_wrong_addresses_and_keys_fail_with_what_to_check(server, bench, tmp_path, monkeypatch):
    with pytest.raises(EndpointError, match="check --endpoint"):
        run_bench(server.url[:-3] + "/v2", "echo", store=bench[0], out=tmp_path / "a", progress=False)
    with pytest.raises(EndpointError, match="not an OpenAI chat completion"):
        server.script = ["malformed"]
        run(server, bench, tmp_path / "b", retries=0, tasks=["task57"], concurrency=1)

    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(EndpointError, match="cannot reach .* is the server running"):
        run_bench(f"http://127.0.0.1:{port}/v1", "echo", store=bench[0], out=tmp_path / "c", progress=False)
    assert time.monotonic() - started < 10  # no back-off against a server that is not there


def test_a_missing_or_wrong_key_is_named(bench, tmp_path, monkeypatch):
    with ModelServer(answers_from_prompts(bench[1]), api_key="sk-right") as keyed:
        monkeypatch.delenv("OPENAI_API_KEY", raising=False)
        with pytest.raises(EndpointError, match=r"refused the API key \(HTTP 401\).*\$OPENAI_API_KEY"):
            run(keyed, bench, tmp_path / "run", tasks=["task57"])
        monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong")
        with pytest.raises(EndpointError, match="refused the API key"):
            run(keyed, bench, tmp_path / "run", tasks=["task57"])
        monkeypatch.setenv("OPENAI_API_KEY", "sk-right")
        assert all_100(run(keyed, bench, tmp_path / "run", tasks=["task57"])["results"])
    with pytest.raises(UsageError, match="NOT_SET_ANYWHERE is not set"):
        parse_endpoint("http://127.0.0.1:1/v1", "m", api_key_env="NOT_SET_ANYWHERE")


def test_endpoints_and_retry_after_are_read_as_servers_write_them():
    assert parse_endpoint("http://h:8000/v1/", "m").url == "http://h:8000/v1/chat/completions"
    completions = parse_endpoint("http://h:8000/v1/completions", "m")
    assert completions.api == "completions" and completions.url == "http://h:8000/v1/completions"
    hidden = parse_endpoint("https://user:pw@h/openai/v1/chat/completions?api-version=1&key=x", "m")
    assert hidden.shown == "https://h/openai/v1/chat/completions"
    assert hidden.url == "https://user:pw@h/openai/v1/chat/completions?api-version=1&key=x"
    for bad in ("localhost:8000", "ftp://h/v1"):
        with pytest.raises(UsageError, match="not an http"):
            parse_endpoint(bad, "m")
    with pytest.raises(UsageError, match="is the completions API but --api chat"):
        parse_endpoint("http://h/v1/completions", "m", api="chat")

    assert retry_after({"retry-after": "3"}) == 3.0
    assert retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:10 GMT"}, now=1445412480.0) == 10.0
    assert retry_after({"retry-after": "soon"}) is None and retry_after({}) is None


def test_the_command_prints_scores_and_where_everything_is_but_never_the_key(
    bench, tmp_path, capsys, monkeypatch
):
    secret = "sk-test-0123456789abcdef"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MY_KEY", secret)
    with ModelServer(answers_from_prompts(bench[1]), api_key=secret) as keyed:
        with pytest.raises(SystemExit) as done:
            main(["bench", "run", "--endpoint", keyed.url, "--model", "org/echo-1", "--api-key-env", "MY_KEY",
                  "--store", str(bench[0].root), "--category", "NER", "--category", "Diagnosis"])  # fmt: skip
        assert done.value.code == 0
        printed = capsys.readouterr()
        assert "task126" in printed.out and "task130" in printed.out and "task57" not in printed.out
        assert "6 prompts: 6 answered now" in printed.out
        assert "Leaderboard: meds-bench/org--echo-1/leaderboard/leaderboard.md" in printed.out
        board = (tmp_path / "meds-bench" / "org--echo-1" / "leaderboard" / "leaderboard.md").read_text()
        assert "| **org/echo-1** |" in board
        assert secret not in printed.out + printed.err
        for path in (tmp_path / "meds-bench").rglob("*"):
            assert path.is_dir() or secret.encode() not in path.read_bytes(), path

    for argv, message in (
        (["--category", "Radiology"], "unknown MedS-Bench category 'Radiology'"),
        (["--concurrency", "0"], "0 is not in the range x>=1"),
        (["--api-key-env", "NOT_SET_ANYWHERE"], "the API key variable NOT_SET_ANYWHERE is not set"),
    ):
        with pytest.raises(SystemExit) as done:
            main(["bench", "run", "--endpoint", "http://127.0.0.1:1/v1", "--model", "m",
                  "--store", str(bench[0].root), *argv])  # fmt: skip
        assert done.value.code == 2
        assert message in capsys.readouterr().err


def test_unknown_task_and_category_names_are_refused(bench, tmp_path):
    with pytest.raises(UnknownNameError, match="Did you mean: NER"):
        run_bench("http://127.0.0.1:1/v1", "m", store=bench[0], out=tmp_path, categories=["NERR"])
    with pytest.raises(UnknownNameError, match="unknown task 'task999'"):
        run_bench("http://127.0.0.1:1/v1", "m", store=bench[0], out=tmp_path, tasks=["task999"])


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_a_killed_run_resumes_without_sending_answered_prompts_again(server, bench, tmp_path, how):
    _, _, prompts = bench
    server.delay = 0.2
    out = tmp_path / "run"
    command = [sys.executable, "-m", "meds_ins", "bench", "run", "--endpoint", server.url, "--model", "echo",
               "--store", str(bench[0].root), "--out", str(out), "--concurrency", "2"]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ
    )
    deadline = time.monotonic() + 120
    while len(server.answered) < 8 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    process.send_signal(how)
    _, err = process.communicate(timeout=60)
    assert process.returncode == (-9 if how == signal.SIGKILL else 130), err
    if how == signal.SIGINT:
        assert "Interrupted; the answers so far are kept in" in err and "Traceback" not in err
    with sqlite3.connect(out / CACHE_FILE) as db:
        kept = {key for (key,) in db.execute("SELECT key FROM answers")}
    assert 6 <= len(kept) < len(prompts)
    first = len(server.received)

    server.delay = 0
    summary = run(server, bench, out)
    resent = server.received[first:]
    assert [request_key("chat", body) for body in resent if request_key("chat", body) in kept] == []
    assert len(resent) == len(prompts) - len(kept) == summary["sent"]
    assert {prompt_of(b) for b in server.answered} == {normalized(p["prompt"]) for p in prompts}
    assert all_100(summary["results"])
    assert run(server, bench, out)["sent"] == 0
