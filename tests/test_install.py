"""A non-editable install into a fresh virtual environment works from any directory, without the
evaluation extra: the quick start, the README's calls, the published collection on a local Hub, the
cache commands, the bench commands' hint, and new-corpus in a checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest
from conftest import REPO
from hub_server import HubServer

TOKEN = "hf_installer_Q7wLp2Xz9K"
EXTRA_MODULES = ("janome", "jieba", "nltk", "rouge_score", "matplotlib", "polars")
# `pip install .` into a new virtual environment (pip included) weighed 977 MB before the extras were
# split off (Python 3.11, x86_64); the core install must stay within half of it.
CORE_LIMIT_MB = 977 / 2

# The README's calls (Using it), on the quick start's store and on the collection published on the
# local Hub; what they return is printed as JSON.
README_CALLS = """
import json, datasets, meds_ins
from meds_ins import UsageError

store = {store!r}
out = {{}}
ds = meds_ins.load_dataset("meds_ins", "task124")
out["dict"] = {{s: ds[s].num_rows for s in ds}}
out["qa"] = sorted(set(meds_ins.load_dataset(category="Question Answering", split="test")["category"]))
few = meds_ins.load_dataset(task=124, split="train[:50%]+test")
out["few"] = [few.num_rows, str(few.split)]
zh = meds_ins.load_dataset(store, language="zh")
out["zh"] = sorted({{language for s in zh for language in zh[s]["input_language"]}})
stream = meds_ins.load_dataset(task=["task57", "task58"], streaming=True)
out["stream"] = sorted({{r["task"] for s in stream for r in stream[s]}})
hub = meds_ins.load_dataset("meds-ins/meds-ins", "task124")
out["hub"] = {{s: hub[s].num_rows for s in hub}}
typed = meds_ins.load_dataset(task="task57", split="test", decode_meta=True)
out["options"] = sorted(k for k, v in typed[0]["meta"]["options"].items() if v)
out["decoded"] = meds_ins.decode_meta(ds)["train"][0]["meta"] is not None
out["plain"] = datasets.load_dataset(store, "task124_pubmedqa_train_set")["train"].num_rows
out["plain_hub"] = datasets.load_dataset("meds-ins/meds-ins", "task124_pubmedqa_train_set")["train"].num_rows
out["cache"] = meds_ins.cache_info().files > 0
try:
    meds_ins.load_dataset(store, data_files="x.parquet")
except UsageError as e:
    out["refused"] = str(e)
print(json.dumps(out))
"""


def run(argv: list[str], env: dict[str, str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
def test_wheel_install_without_extras_from_elsewhere(tmp_path: Path):
    # install from a copy, so the build leaves nothing behind in the repository; the copy is a checkout
    source = tmp_path / "source"
    shutil.copytree(
        REPO, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__")
    )
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python, meds_ins = env_dir / "bin" / "python", env_dir / "bin" / "meds-ins"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(source)],
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env = {k: v for k, v in env.items() if not k.startswith(("HF_", "HUGGING_FACE"))}
    env |= {
        "MEDS_INS_HOME": str(tmp_path / "home"),
        "HF_HOME": str(tmp_path / "hf"),
        "HF_HUB_DISABLE_XET": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
    }
    offline = env | {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}

    # the core install leaves the evaluation stack and the audits' engine out, and weighs half as much
    found = run(
        [
            str(python),
            "-c",
            f"import importlib.util as u; print([m for m in {EXTRA_MODULES!r} if u.find_spec(m)])",
        ],
        env,
        elsewhere,
    )
    assert found.stdout.strip() == "[]", found.stdout + found.stderr
    site = next((env_dir / "lib").glob("python3*/site-packages"))
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file() and not p.is_symlink())
    assert size / 2**20 <= CORE_LIMIT_MB, f"core install: {size / 2**20:.0f} MB"

    result = run([str(meds_ins), "quickstart"], offline, elsewhere)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stdout and "task124_pubmedqa_train_set" in result.stdout
    assert "setup.audits-not-run" in result.stdout  # said, not silently skipped
    store = tmp_path / "home" / "store"
    checked = run([str(meds_ins), "validate", str(store)], offline, elsewhere)
    assert checked.returncode == 0 and "polars is not installed" in checked.stdout, checked.stderr
    assert "meds-ins[audits]" in checked.stdout
    strict = run([str(meds_ins), "validate", "--strict", str(store)], offline, elsewhere)
    assert strict.returncode == 1 and "ERROR   setup.audits-not-run" in strict.stdout, strict.stdout

    # the README's calls, the collection published on a local Hub among them
    with HubServer({TOKEN: ("maintainer", ("meds-ins",))}) as server:
        hub_env = env | {"HF_ENDPOINT": server.url, "HF_TOKEN": TOKEN}
        pushed = run(
            [
                str(meds_ins),
                "push",
                "--store",
                str(store),
                "--repo-id",
                "meds-ins/meds-ins",
                "--include-demo",
            ],
            hub_env,
            elsewhere,
        )
        assert pushed.returncode == 0, pushed.stdout + pushed.stderr
        calls = run([str(python), "-c", README_CALLS.format(store=str(store))], hub_env, elsewhere)
        assert calls.returncode == 0, calls.stderr[-3000:]
        out = json.loads(calls.stdout.splitlines()[-1])
        # the collection, read from the Hub by a user without a local store
        fresh = hub_env | {"MEDS_INS_HOME": str(tmp_path / "fresh")}
        collection = run(
            [
                str(python),
                "-c",
                "import meds_ins; print(meds_ins.load_dataset(task=124, split='train').num_rows)",
            ],
            fresh,
            elsewhere,
        )
    assert out["dict"] == {"train": 4, "test": 0} and out["hub"] == out["dict"] and out["plain"] == 4
    assert out["qa"] == ["Question Answering"] and out["few"] == [2, "train[:50%]+test"]
    assert out["zh"] == ["zh"] and out["stream"] == [
        "task57_medqa_question_answering_en",
        "task58_medqa_question_answering_zh",
    ]
    assert out["options"][:4] == ["A", "B", "C", "D"] and out["decoded"] and out["plain_hub"] == 4
    assert out["cache"] and "does not take `data_files`" in out["refused"]
    assert collection.returncode == 0 and collection.stdout.split() == ["4"], collection.stderr

    # the Arrow cache, from the command line
    info = run([str(meds_ins), "cache", "info", "--json"], offline, elsewhere)
    assert info.returncode == 0 and json.loads(info.stdout)["files"] > 0, info.stderr
    cleared = run([str(meds_ins), "cache", "clear"], offline, elsewhere)
    assert cleared.returncode == 0 and cleared.stdout.startswith("Removed "), cleared.stderr
    assert (
        json.loads(run([str(meds_ins), "cache", "info", "--json"], offline, elsewhere).stdout)["files"] == 0
    )

    # bench: prompts work in the core install; scoring and the leaderboard say what to install
    prompts = run([str(meds_ins), "bench", "prompts", "--out", str(tmp_path / "prompts")], offline, elsewhere)
    assert prompts.returncode == 0, prompts.stderr
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text(json.dumps({"id": "task57:x", "output": "A"}) + "\n")
    for argv in (
        ["bench", "score", str(predictions)],
        ["bench", "leaderboard", str(predictions), "--out", "x"],
    ):
        refused = run([str(meds_ins), *argv], offline, elsewhere)
        assert refused.returncode == 2 and "pip install 'meds-ins[bench]'" in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr

    # new-corpus writes into a checkout of the repository only, and says how the installed package
    # gets to see the builder; until then `build` says so, and the builder validates by path
    outside = run([str(meds_ins), "new-corpus", "demo_corpus", "--root", str(elsewhere)], offline, elsewhere)
    assert outside.returncode == 2 and "is not a checkout of the meds-ins repository" in outside.stderr
    made = run([str(meds_ins), "new-corpus", "demo_corpus", "--root", str(source)], offline, elsewhere)
    assert made.returncode == 0 and f"pip install -e {source}" in made.stdout, made.stderr
    unseen = run([str(meds_ins), "build", "demo_corpus", "--raw", str(tmp_path)], offline, source)
    assert (
        unseen.returncode == 2 and "exists, but the installed meds-ins loads builders from" in unseen.stderr
    )
    assert f"pip install -e {source}" in unseen.stderr
    check = run([str(meds_ins), "validate", str(source / "builders" / "demo_corpus.py")], offline, elsewhere)
    assert check.returncode == 0 and "0 error(s), 1 warning(s)" in check.stdout, check.stdout + check.stderr
    assert "setup.audits-not-run" in check.stdout  # the only warning: the audits' extra is not here

    # the package really runs from site-packages, with its schemas, card template and miniatures inside
    where = run(
        [
            str(python),
            "-c",
            textwrap.dedent(
                """
                import meds_ins, meds_ins._common.schema as s
                print(meds_ins.__file__)
                print(len(s.load('record')['properties']))
                """
            ),
        ],
        offline,
        elsewhere,
    )
    location, properties = where.stdout.split()
    assert "site-packages" in location and str(source) not in location and properties == "12"
    assert sys.prefix != str(env_dir)
