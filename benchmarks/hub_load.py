"""Publishing and loading through a Hub, meds-ins side by side with what a user would otherwise run.

    python benchmarks/hub_load.py [--rows 200000] [--repeat 3]

There is no internet here, so the Hub is the test Hub of tests/hub_server.py on 127.0.0.1, driven by
the real clients. The store holds the PubMedQA fixture (7 small tasks) and one synthetic task of
`--rows` records. Measured, each run in a fresh process with a fresh Hugging Face cache:

- push: `meds-ins push` (plan, checksum and record-source checks, card check, upload) against
  `HfApi().upload_folder` of the same folder (upload only);
- load one task, cold (download) and warm (cached): `meds_ins.load_dataset(repo, task=...)` against
  `datasets.load_dataset(repo, task)`; times exclude interpreter start-up and imports.
"""

from __future__ import annotations

import argparse
import json
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

TOKEN = "hf_benchmark_token"
TASK = "task9001_toy_question_answering"

PROBE = """
import json, sys, time
t0 = time.perf_counter()
import datasets, meds_ins
t1 = time.perf_counter()
if sys.argv[1] == "meds-ins":
    ds = meds_ins.load_dataset(sys.argv[2], task=sys.argv[3], split="train")
else:
    ds = datasets.load_dataset(sys.argv[2], sys.argv[3], split="train")
n = ds.num_rows
print(json.dumps({"import_s": t1 - t0, "load_s": time.perf_counter() - t1, "rows": n}))
"""

UPLOAD = """
import sys, time
from huggingface_hub import HfApi
api = HfApi()
t0 = time.perf_counter()
api.create_repo(sys.argv[2], repo_type="dataset")
api.upload_folder(folder_path=sys.argv[1], repo_id=sys.argv[2], repo_type="dataset")
print(time.perf_counter() - t0)
"""


def build_store(root: Path, rows: int) -> Path:
    from builders_test_helpers import toy_builder, write_toy_raw

    from meds_ins._building.run import build

    raw = root / "raw"
    write_toy_raw(
        raw / "toy",
        [(f"q{i}", "en", f"Question {i} about dosage {i % 97} mg?", f"Answer {i % 13}") for i in range(rows)],
    )
    (raw / "pubmedqa").symlink_to(REPO / "tests" / "fixtures" / "pubmedqa")
    return build(["pubmedqa", toy_builder()], raw, root / "store", progress=False).store.root


def run(argv: list[str], env: dict[str, str]) -> str:
    return subprocess.run(argv, env=env, check=True, capture_output=True, text=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from hub_server import HubServer

    with tempfile.TemporaryDirectory() as tmp, HubServer({TOKEN: ("bench", ("bench",))}) as server:
        root = Path(tmp)
        store = build_store(root, args.rows)
        size = sum(f.stat().st_size for f in (store / "data").rglob("*.parquet"))
        base = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
        base |= {"HF_ENDPOINT": server.url, "HF_TOKEN": TOKEN, "HF_HUB_DISABLE_XET": "1"}
        base |= {"HF_HUB_DISABLE_PROGRESS_BARS": "1", "HF_HUB_DISABLE_TELEMETRY": "1"}

        def env(name: str) -> dict[str, str]:
            home = root / name
            return base | {"HF_HOME": str(home / "hf"), "MEDS_INS_HOME": str(home / "meds_ins")}

        push, upload = [], []
        for i in range(args.repeat):
            started = time.perf_counter()
            run(
                [
                    sys.executable,
                    "-m",
                    "meds_ins",
                    "push",
                    "--store",
                    str(store),
                    "--repo-id",
                    f"bench/p{i}",
                    "--quiet",
                ],
                env("push"),
            )
            push.append(time.perf_counter() - started)
            started = time.perf_counter()
            run([sys.executable, "-c", UPLOAD, str(store), f"bench/u{i}"], env("upload"))
            upload.append(time.perf_counter() - started)

        loads: dict[tuple[str, str], list[float]] = {}
        rows = {}
        for i in range(args.repeat):
            for tool in ("meds-ins", "datasets"):
                fresh = env(f"load-{tool}-{i}")
                for state in ("cold", "warm"):
                    out = json.loads(run([sys.executable, "-c", PROBE, tool, "bench/p0", TASK], fresh))
                    loads.setdefault((tool, state), []).append(out["load_s"])
                    rows[tool] = out["rows"]
        assert rows["meds-ins"] == rows["datasets"]

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        f"store: 8 tasks, {args.rows:,} records in {TASK}, {size / 1e6:.1f} MB of parquet; "
        f"median of {args.repeat} run(s)"
    )
    p, u = statistics.median(push), statistics.median(upload)
    print(f"push (whole process): meds-ins push {p:.2f} s, HfApi.upload_folder {u:.2f} s, ratio {p / u:.2f}")
    for state in ("cold", "warm"):
        m, d = (statistics.median(loads[(tool, state)]) for tool in ("meds-ins", "datasets"))
        print(
            f"load {TASK} train, {state}: meds_ins.load_dataset {m * 1000:.0f} ms, "
            f"datasets.load_dataset {d * 1000:.0f} ms, ratio {m / d:.2f} (beyond imports)"
        )


if __name__ == "__main__":
    main()
