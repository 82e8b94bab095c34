"""Streaming a large store: time to the first record and records per second with streaming=True.

    python benchmarks/bench_streaming.py --store /tmp/meds-13.5M/store [--records 200000]

Side by side: meds_ins.load_dataset(..., streaming=True) over the whole collection (train split) and
plain `datasets.load_dataset("parquet", data_files=<train files>, streaming=True)`, record by record and
in batches of 1,000 (`.iter(batch_size=1000)`). Both read the same parquet files lazily through the
same `datasets` machinery, in the same order; meds-ins asks it to decode 10,000 records at a time where
its default decodes a whole row group. Each run is a fresh process with the Hub switched off
(HF_HUB_OFFLINE=1).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from measure import machine, ratio, run, table

from meds_ins._common.names import task_sort_key
from meds_ins._store.layout import open_store

IMPORTS = "import datasets, meds_ins, time"
LOOP = """
first = None
n = 0
for item in ({iterate}):
    if first is None:
        first = time.perf_counter() - _t0
    n += {count}
    if n >= {limit}:
        break
result = {{"first_s": first, "rows": n}}
"""
MODES = {"one by one": ("ds", "1"), "batches of 1,000": ("ds.iter(batch_size=1000)", "len(item['id'])")}
OFFLINE = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--records", type=int, default=200_000, help="records to read in each run")
    args = parser.parse_args()
    # The same files in the same (task) order for both, so that both read the same records.
    store = open_store(args.store)
    names = sorted(store.manifest["tasks"], key=task_sort_key)
    files = [str(path) for name in names for path in store.files(name, "train")]
    readers = {
        "meds-ins": f"ds = meds_ins.load_dataset({str(args.store)!r}, split='train', streaming=True)",
        "datasets": f"ds = datasets.load_dataset('parquet', data_files={files!r}, split='train', "
        "streaming=True)",
    }
    # A first read, not reported, so that every measured run finds the same files in the page cache.
    warm_up = LOOP.format(iterate="ds", count="1", limit=args.records)
    run(IMPORTS, readers["datasets"] + "\n" + warm_up, OFFLINE)
    rows = []
    for mode, (iterate, count) in MODES.items():
        found = {}
        for label, opening in readers.items():
            body = opening + "\n" + LOOP.format(iterate=iterate, count=count, limit=args.records)
            r = found[label] = run(IMPORTS, body, OFFLINE)
            rate = r["rows"] / r["seconds"]
            rows.append(
                [
                    label,
                    mode,
                    f"{r['first_s']:.2f} s",
                    f"{r['rows']:,}",
                    f"{rate:,.0f}/s",
                    f"{r['extra_mb']:.0f} MB",
                ]
            )
        ours, plain = found["meds-ins"], found["datasets"]
        relative = ratio(plain["seconds"] / plain["rows"], ours["seconds"] / ours["rows"])
        rows[-2].append(f"{relative} the baseline's rate")
        rows[-1].append("")
    print(f"machine: {machine()}")
    header = ["reader", "iteration", "first record", "records read", "records/s", "memory", "ratio"]
    print(table(header, rows))


if __name__ == "__main__":
    main()
