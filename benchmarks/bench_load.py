"""Loading from a large store: meds_ins.load_dataset vs plain `datasets` over the store's parquet files.

    python benchmarks/bench_load.py --store /tmp/meds-ins-13.5M [--task NAME] [--category C] [--language L]

Baseline: `datasets.load_dataset("parquet", data_files=<every file of the store>, filters=<selection>)`,
what a user without meds-ins would write. Each measurement runs in a fresh process; "cold" starts with
empty caches (meds-ins's Arrow cache, the Hugging Face datasets cache), "warm" is the second load with
the caches the first one left. Times are beyond interpreter start-up and `import datasets, meds_ins`.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from measure import machine, ratio, run, store_files, table

IMPORTS = "import datasets, meds_ins"


def ours(store: Path, selection: dict, home: Path) -> dict:
    body = f"""
ds = meds_ins.load_dataset({str(store)!r}, **{selection!r})
result = {{"rows": sum(d.num_rows for d in ds.values())}}
"""
    return run(IMPORTS, body, {"MEDS_INS_HOME": str(home), "HF_HOME": str(home / "hf")})


def baseline(store: Path, selection: dict, home: Path) -> dict:
    files = store_files(store)
    data_files = {s: [f for f in files if f"/{s}-" in f] for s in ("train", "test")}
    column, value = next(iter(selection.items()))
    column = {"task": "task", "category": "category", "language": "input_language"}[column]
    body = f"""
ds = datasets.load_dataset("parquet", data_files={data_files!r}, filters=[({column!r}, "==", {value!r})])
result = {{"rows": sum(d.num_rows for d in ds.values())}}
"""
    return run(IMPORTS, body, {"HF_HOME": str(home / "hf"), "HF_DATASETS_OFFLINE": "1"})


def compare(store: Path, label: str, selection: dict) -> list[list[str]]:
    rows = []
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        mine = [ours(store, selection, Path(a)) for _ in range(2)]
        theirs = [baseline(store, selection, Path(b)) for _ in range(2)]
    if mine[0]["rows"] != theirs[0]["rows"]:
        raise SystemExit(f"{label}: meds-ins loaded {mine[0]['rows']} rows, the baseline {theirs[0]['rows']}")
    for state, m, t in (("cold", mine[0], theirs[0]), ("warm", mine[1], theirs[1])):
        rows.append(
            [
                label,
                state,
                f"{m['rows']:,}",
                f"{m['seconds']:.2f} s",
                f"{t['seconds']:.2f} s",
                ratio(t["seconds"], m["seconds"]),
                f"{m['extra_mb']:.0f} MB",
                f"{t['extra_mb']:.0f} MB",
                ratio(max(t["extra_mb"], 1), max(m["extra_mb"], 1)),
            ]
        )
    return rows


def typical_task(store: Path) -> str:
    manifest = json.loads((store / "meta" / "manifest.json").read_text())
    sizes = sorted(
        (sum(s["rows"] for s in t["splits"].values()), name) for name, t in manifest["tasks"].items()
    )
    return sizes[len(sizes) // 2][1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--task", help="default: the task of median size")
    parser.add_argument("--category", default="Diagnosis")
    parser.add_argument("--language", default="zh")
    args = parser.parse_args()
    task = args.task or typical_task(args.store)
    rows = compare(args.store, f"task {task}", {"task": task})
    rows += compare(args.store, f"category {args.category}", {"category": args.category})
    rows += compare(args.store, f"language {args.language}", {"language": args.language})
    print(f"machine: {machine()}")
    print(
        table(
            [
                "selection",
                "caches",
                "rows",
                "meds-ins",
                "datasets",
                "speed-up",
                "meds-ins memory",
                "datasets memory",
                "memory ratio",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
