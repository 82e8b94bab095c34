"""Loading from a large store: meds_ins.load_dataset against what a user without meds-ins would write.

    MEDS_INS_HOME=/tmp/meds-13.5M/home python benchmarks/synthetic.py --out /tmp/meds-13.5M/store
    python benchmarks/bench_load.py --store /tmp/meds-13.5M/store --home /tmp/meds-13.5M/home

Baselines, each with plain `datasets`:
- selection's files: `datasets.load_dataset("parquet", data_files={split: <the selection's files>})`,
  the files the user picked by hand (the speed-up is against this one);
- card configs: `datasets.load_dataset(store, "<task>")` through the card's `configs:`, one config per
  task of the selection, concatenated (and, for a language, filtered by row);
- all files, filters: `datasets.load_dataset("parquet", data_files=<every file of the store>,
  filters=<selection>)`, the filter pushed down to the parquet statistics.
One task is also read with polars (`pl.read_parquet` of that task's files, into memory).

Each measurement runs in a fresh process; times are beyond interpreter start-up and `import datasets,
meds_ins` (and polars), memory is the peak resident memory beyond what the process held after those
imports, CPU the process's user + system time (on a shared machine wall times vary far more).

- meds-ins, first load: the home of the build (`--home`), whose Arrow cache the build filled;
- meds-ins, no copy: an empty home, so the first load converts the selected files (a store downloaded
  from the Hub, or built with --no-arrow-cache);
- datasets, first load: an empty Hugging Face cache; then both again, warm.

Every first load follows a discarded identical run with its own empty caches, so that both sides find
the files in the operating system's page cache (reading from disk would measure the disk). `--repeat N`
measures every cell N times and reports the median.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from measure import load, machine, ratio, run, table

from meds_ins._loading.loader import select
from meds_ins._store.layout import open_store

IMPORTS = "import datasets, meds_ins"
OFFLINE = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}  # no network calls from either side
ROWS = "result = {'rows': sum(d.num_rows for d in ds.values())}"


def ours(store: Path, selection: dict, home: Path) -> dict:
    body = f"ds = meds_ins.load_dataset({str(store)!r}, **{selection!r})\n{ROWS}"
    return run(IMPORTS, body, {"MEDS_INS_HOME": str(home), "HF_HOME": str(home / "hf"), **OFFLINE})


def selection_files(store: Path, selection: dict) -> dict[str, list[str]]:
    """The parquet files of the selected tasks, by split (what meds-ins reads)."""
    opened = open_store(store)
    tasks = select(opened, **selection).tasks
    files = {s: [str(p) for name in tasks for p in opened.files(name, s)] for s in ("train", "test")}
    return {s: f for s, f in files.items() if f}


def language_filter(selection: dict) -> str:
    """The row filter a user adds for a language (meds-ins applies it to tasks that mix languages)."""
    if "language" not in selection:
        return ""
    code = selection["language"]
    return (
        f"\nds = ds.filter(lambda b: [i == {code!r} or o == {code!r} for i, o in "
        "zip(b['input_language'], b['output_language'])], batched=True)"
    )


def body_selection_files(store: Path, selection: dict) -> str:
    files = selection_files(store, selection)
    return f"ds = datasets.load_dataset('parquet', data_files={files!r}){language_filter(selection)}\n{ROWS}"


def body_card_configs(store: Path, selection: dict) -> str:
    tasks = select(open_store(store), **selection).tasks
    splits = list(selection_files(store, selection))
    return (
        f"parts = [datasets.load_dataset({str(store)!r}, t) for t in {tasks!r}]\n"
        "ds = datasets.DatasetDict({s: datasets.concatenate_datasets([p[s] for p in parts if s in p]) "
        f"for s in {splits!r}}})"
        f"{language_filter(selection)}\n{ROWS}"
    )


def body_all_files(store: Path, selection: dict) -> str:
    files = sorted(str(p) for p in (store / "data").glob("*/*.parquet"))
    data_files = {s: [f for f in files if f"/{s}-" in f] for s in ("train", "test")}
    column, value = next(iter(selection.items()))
    column = {"task": "task", "category": "category", "language": "input_language"}[column]
    if column == "task":
        value = select(open_store(store), task=value).tasks[0]  # the full name: the column holds it
    return (
        f"ds = datasets.load_dataset('parquet', data_files={data_files!r}, "
        f"filters=[({column!r}, '==', {value!r})])\n{ROWS}"
    )


BASELINES = {
    "selection's files": body_selection_files,
    "card configs": body_card_configs,
    "all files, filters": body_all_files,
}


def theirs(body: str, home: Path) -> dict:
    return run(IMPORTS, body, {"HF_HOME": str(home / "hf"), **OFFLINE})


def median(results: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in results) for k in ("seconds", "extra_mb", "cpu_s", "rows")}


def timed(result: dict) -> str:
    return f"{result['seconds']:.2f} s (CPU {result['cpu_s']:.2f} s)"


def first_load(measure, repeat: int) -> dict:
    """Median of `repeat` first loads, each after a discarded one with its own empty caches (so that
    the page cache holds the files); returns also the home of the last, for a warm load."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeat):
            measure(Path(tmp) / f"discarded{i}")
            results.append(measure(Path(tmp) / f"measured{i}"))
        warm = [measure(Path(tmp) / f"measured{i}") for i in range(repeat)]
        return median(results) | {"warm": median(warm)}


def compare(store: Path, home: Path, label: str, selection: dict, repeat: int) -> list[list[str]]:
    built = median([ours(store, selection, home) for _ in range(repeat + 1)][1:])  # copies from the build
    unconverted = first_load(lambda h: ours(store, selection, h), repeat)
    bodies = {name: make(store, selection) for name, make in BASELINES.items()}
    baselines = {name: first_load(lambda h, b=body: theirs(b, h), repeat) for name, body in bodies.items()}
    for name, result in baselines.items():
        if result["rows"] != built["rows"]:
            raise SystemExit(f"{label}: meds-ins loaded {built['rows']} rows, {name} {result['rows']}")
    rows = []
    for state, m, key in (
        ("first load", built, None),
        ("first load, no copy", unconverted, None),
        ("warm", unconverted["warm"], "warm"),
    ):
        t = {name: (b[key] if key else b) for name, b in baselines.items()}
        files = t["selection's files"]
        rows.append(
            [
                label,
                state,
                f"{int(m['rows']):,}",
                timed(m),
                *(timed(t[name]) for name in BASELINES),
                ratio(files["seconds"], m["seconds"]),
                f"{m['extra_mb']:.0f} MB",
                f"{files['extra_mb']:.0f} MB",
                ratio(max(files["extra_mb"], 1), max(m["extra_mb"], 1)),
            ]
        )
    return rows


def with_polars(store: Path, home: Path, task: str, repeat: int) -> list[list[str]]:
    """One task: meds-ins against `pl.read_parquet` of the task's files (one frame of both splits)."""
    files = [f for split in selection_files(store, {"task": task}).values() for f in split]
    body = f"df = pl.read_parquet({files!r})\nresult = {{'rows': df.height}}"
    polars = median([run("import polars as pl", body) for _ in range(repeat + 1)][1:])
    built = median([ours(store, {"task": task}, home) for _ in range(repeat + 1)][1:])
    unconverted = first_load(lambda h: ours(store, {"task": task}, h), repeat)
    if polars["rows"] != built["rows"]:
        raise SystemExit(f"task {task}: meds-ins loaded {built['rows']} rows, polars {polars['rows']}")
    rows = []
    states = (("first load", built), ("first load, no copy", unconverted), ("warm", unconverted["warm"]))
    for state, m in states:
        rows.append(
            [
                f"task {task}",
                state,
                f"{int(m['rows']):,}",
                timed(m),
                timed(polars),
                ratio(polars["seconds"], m["seconds"]),
                f"{m['extra_mb']:.0f} MB",
                f"{polars['extra_mb']:.0f} MB",
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
    parser.add_argument("--repeat", type=int, default=1, help="measure each cell this many times (median)")
    args = parser.parse_args()
    task = args.task or typical_task(args.store)
    print(f"machine: {machine()}; {load()} at the start")
    rows = []
    for label, selection in (
        (f"task {task}", {"task": task}),
        (f"category {args.category}", {"category": args.category}),
        (f"language {args.language}", {"language": args.language}),
    ):
        rows += compare(args.store, args.home, label, selection, args.repeat)
    polars = with_polars(args.store, args.home, task, args.repeat)
    print(f"{load()} at the end")
    header = ["selection", "caches", "rows", "meds-ins"]
    header += [f"datasets ({name})" for name in BASELINES]
    header += ["speed-up (selection's files)", "meds-ins memory", "datasets memory (selection's files)"]
    print(table([*header, "memory ratio"], rows))
    print()
    header = ["selection", "caches", "rows", "meds-ins", "polars read_parquet", "speed-up"]
    print(table([*header, "meds-ins memory", "polars memory"], polars))


if __name__ == "__main__":
    main()
