"""Several meds-ins processes writing one store: no lost update, a clear wait or refusal, no staging
left behind. Real processes (`python -m meds_ins`), real locks."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

from meds_ins._store.layout import open_store
from meds_ins._store.lock import lock_path
from meds_ins._validation.stores import validate_store

FIXTURES = Path(__file__).parent / "fixtures"
CORPORA = ("pubmedqa", "medqa", "bioasq")


def start(*args: object, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "meds_ins", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def finish(process: subprocess.Popen[str], timeout: float = 240) -> tuple[int, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out + err


def corpora_in(store: Path) -> set[str]:
    return set(open_store(store).manifest["corpora"])


def wait_for(condition, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_builds_of_different_corpora_at_the_same_time_keep_every_corpus(tmp_path: Path):
    store = tmp_path / "store"
    # Run together, repeatedly: before the store had a lock, each build swapped in a version without
    # the others' corpora whenever their merges overlapped.
    for round_ in range(2):
        processes = [start("build", c, "--raw", FIXTURES, "--store", store, "--quiet") for c in CORPORA]
        results = [finish(p) for p in processes]
        assert all(code == 0 for code, _ in results), results
        assert corpora_in(store) == set(CORPORA), f"round {round_}: a build's corpus was lost"
    assert validate_store(store) == []
    assert not list(tmp_path.glob(".store.staging-*"))


def test_imports_at_the_same_time_keep_every_task(tmp_path: Path):
    store = tmp_path / "store"
    source = json.loads((FIXTURES / "validator" / "task9001_toy_fact_verification.json").read_text())
    files = []
    for number in (9001, 9002, 9003):
        path = tmp_path / f"task{number}_toy_fact_verification.json"
        path.write_text(json.dumps(source))
        files.append(path)
    processes = [start("import", f, "--store", store, "--quiet") for f in files]
    results = [finish(p) for p in processes]
    assert all(code == 0 for code, _ in results), results
    names = set(open_store(store).manifest["tasks"])
    assert {n.split("_")[0] for n in names} == {"task9001", "task9002", "task9003"}


def test_a_build_waits_for_the_lock_and_says_so(tmp_path: Path):
    store = tmp_path / "store"
    assert finish(start("build", "pubmedqa", "--raw", FIXTURES, "--store", store, "--quiet"))[0] == 0
    before = (store / "meta" / "manifest.json").read_bytes()
    lock = FileLock(lock_path(store))
    lock.acquire()  # as a push or another build would
    try:
        process = start("build", "medqa", "--raw", FIXTURES, "--store", store, "--quiet")
        # The build does its work, then waits at the swap, saying so (its staging holds the result).
        note = process.stderr.readline()
        assert "another process is writing or publishing the store" in note, note + finish(process)[1]
        time.sleep(0.5)
        assert process.poll() is None, finish(process)
        assert (store / "meta" / "manifest.json").read_bytes() == before
        assert list(tmp_path.glob(".store.staging-*/data/task*/*.parquet"))
    finally:
        lock.release()
    code, shown = finish(process)
    assert code == 0, shown
    assert corpora_in(store) == {"pubmedqa", "medqa"}


def test_a_build_refuses_after_the_lock_timeout_and_writes_nothing(tmp_path: Path):
    store = tmp_path / "store"
    assert finish(start("build", "pubmedqa", "--raw", FIXTURES, "--store", store, "--quiet"))[0] == 0
    before = (store / "meta" / "manifest.json").read_bytes()
    with FileLock(lock_path(store)):
        process = start(
            "build",
            "medqa",
            "--raw",
            FIXTURES,
            "--store",
            store,
            "--quiet",
            env={"MEDS_INS_LOCK_TIMEOUT": "1"},
        )
        code, shown = finish(process)
    assert code == 1, shown
    assert f"error: the store {store} is busy" in shown and "Traceback" not in shown
    assert (store / "meta" / "manifest.json").read_bytes() == before
    assert not list(tmp_path.glob(".store.staging-*"))


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_build_is_reported_by_info_and_cleaned_by_the_next_build(tmp_path: Path):
    store = tmp_path / "store"
    assert finish(start("build", "pubmedqa", "--raw", FIXTURES, "--store", store, "--quiet"))[0] == 0
    with FileLock(lock_path(store)):  # holds the build at its swap, so the kill lands mid-build
        process = start("build", "medqa", "--raw", FIXTURES, "--store", store, "--quiet")
        assert "waits for it" in process.stderr.readline()
        running = finish(start("info", "--store", store))
        assert running[0] == 0 and "a build or import into this store is running" in running[1]
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    left = list(tmp_path.glob(".store.staging-*"))
    assert len(left) == 1
    code, shown = finish(start("info", "--store", store))
    assert code == 0 and f"note: {left[0]} was left by a build or import that was killed" in shown
    assert corpora_in(store) == {"pubmedqa"} and validate_store(store) == []
    assert finish(start("build", "bioasq", "--raw", FIXTURES, "--store", store, "--quiet"))[0] == 0
    assert not left[0].exists()
    assert "note:" not in finish(start("info", "--store", store))[1]
    shutil.rmtree(store)


def test_a_push_waits_while_the_store_is_being_written(tmp_path: Path):
    """A push reads and uploads the store's files under its lock: while a build swaps a new version in
    (here: while the test holds the lock), the push waits, then goes on with the store as it is."""
    from hub_server import HubServer

    store = tmp_path / "store"
    assert finish(start("build", "pubmedqa", "--raw", FIXTURES, "--store", store, "--quiet"))[0] == 0
    token = "hf_maintainer_Xw3Lq8Rt5N"
    with HubServer({token: ("maintainer", ("meds-ins",))}) as server:
        hub = {
            "HF_ENDPOINT": server.url,
            "HF_TOKEN": token,
            "HF_HOME": str(tmp_path / "hf"),
            "HF_HUB_DISABLE_XET": "1",
            "HF_HUB_OFFLINE": "0",
            "HF_DATASETS_OFFLINE": "0",
        }
        with FileLock(lock_path(store)):
            process = start("push", "--store", store, "--repo-id", "meds-ins/x", "--quiet", env=hub)
            note = process.stderr.readline()
            assert "waits for it" in note and "pushing to meds-ins/x" in note, note + finish(process)[1]
            time.sleep(0.5)
            assert process.poll() is None
        code, shown = finish(process)
    assert code == 0, shown
    assert "Commit:" in shown
