"""Loading from a large store: meds_ins.load_dataset vs plain `datasets` over the store's parquet files.

    MEDS_INS_HOME=/tmp/meds-13.5M/home python benchmarks/synthetic.py --out /tmp/meds-13.5M/store
    python benchmarks/bench_load.py --store /tmp/meds-13.5M/store --home /tmp/meds-13.5M/home

Baseline: `datasets.load_dataset("parquet", data_files=<every file of the store>, filters=<selection>)`,
what a user without meds-ins would write (the filter is pushed down to the parquet statistics). Each
measurement runs in a fresh process; times are beyond interpreter start-up and `import datasets,
meds_ins`, memory is the peak resident memory beyond what the process held after those imports.

- meds-ins, first load: the home of the build (`--home`), whose Arrow cache the build filled;
- meds-ins, no copy: an empty home, so the first load converts the selected files (a store downloaded
  from the Hub, or built with --no-arrow-cache);
- datasets, first load: an empty Hugging Face cache; then both again, warm.

Every first load follows a discarded identical run with its own empty caches, so that both sides find
the files in the operating system's page cache (reading from disk would measure the disk).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from measure import machine, ratio, run, store_files, table

IMPORTS = "import datasets, meds_ins"
OFFLINE = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}  # no network calls from either side


def ours(store: Path, selection: dict, home: Path) -> dict:
    body = f"""
ds = meds_ins.load_dataset({str(store)!r}, **{selection!r})
result = {{"rows": sum(d.num_rows for d in ds.values())}}
"""
    return run(IMPORTS, body, {"MEDS_INS_HOME": str(home), "HF_HOME": str(home / "hf"), **OFFLINE})


def baseline(store: Path, selection: dict, home: Path) -> dict:
    files = store_files(store)
    data_files = {s: [f for f in files if f"/{s}-" in f] for s in ("train", "test")}
    column, value = next(iter(selection.items()))
    column = {"task": "task", "category": "category", "language": "input_language"}[column]
    body = f"""
ds = datasets.load_dataset("parquet", data_files={data_files!r}, filters=[({column!r}, "==", {value!r})])
result = {{"rows": sum(d.num_rows for d in ds.values())}}
"""
    return run(IMPORTS, body, {"HF_HOME": str(home / "hf"), **OFFLINE})


def compare(store: Path, home: Path, label: str, selection: dict) -> list[list[str]]:
    # Each first load is measured after a discarded identical one (with its own empty cache), so that
    # the operating system's page cache holds the files on both sides; only the libraries' caches are cold.
    with tempfile.TemporaryDirectory() as tmp:
        empty = [Path(tmp) / f"ours{i}" for i in range(2)]
        hf = [Path(tmp) / f"theirs{i}" for i in range(2)]
        built = [ours(store, selection, home) for _ in range(2)][-1]  # the build wrote the Arrow copies
        unconverted = [ours(store, selection, folder) for folder in empty][-1]  # converts on first load
        warm = ours(store, selection, empty[-1])
        first = [baseline(store, selection, folder) for folder in hf][-1]
        theirs = [first, baseline(store, selection, hf[-1])]
    if built["rows"] != theirs[0]["rows"]:
        raise SystemExit(f"{label}: meds-ins loaded {built['rows']} rows, the baseline {theirs[0]['rows']}")
    rows = []
    for state, m, t in (
        ("first load", built, theirs[0]),
        ("first load, no copy", unconverted, theirs[0]),
        ("warm", warm, theirs[1]),
    ):
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
    parser.add_argument("--home", type=Path, required=True, help="the MEDS_INS_HOME the store was built with")
    parser.add_argument("--task", help="default: the task of median size")
    parser.add_argument("--category", default="Diagnosis")
    parser.add_argument("--language", default="zh")
    args = parser.parse_args()
    task = args.task or typical_task(args.store)
    rows = compare(args.store, args.home, f"task {task}", {"task": task})
    rows += compare(args.store, args.home, f"category {args.category}", {"category": args.category})
    rows += compare(args.store, args.home, f"language {args.language}", {"language": args.language})
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
