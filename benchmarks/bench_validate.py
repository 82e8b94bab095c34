"""Validating a whole store: `meds-ins validate` against `jsonschema` applied to every record.

    python benchmarks/bench_validate.py --store /tmp/meds-13.5M/store      # a store made by synthetic.py
    python benchmarks/bench_validate.py --records 1000000                  # make one first (then removed)

The baseline is what a user would otherwise write: `jsonschema` with schemas/record.json on each record,
timed on a random sample of the store's records and extrapolated to the whole store (per record it would
take hours). meds-ins is timed twice, in fresh processes and --workers processes: `meds-ins validate
--no-audits` (checksums, metadata, card, every record against the schema, task consistency, unique ids:
jsonschema's job and more), and the whole validation with every data audit.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
from measure import load, machine, ratio, run, store_files, table

from meds_ins._common import schema

VALIDATE = (
    "found = validate_store(Path({store!r}), workers={workers}, audits={audits}, progress=False)\n"
    "result = {{'findings': len(found)}}"
)
IMPORTS = "from pathlib import Path\nfrom meds_ins._validation.stores import validate_store"


def sample_records(files: list[str], n: int, seed: int = 1) -> list[dict]:
    """`n` records from random row groups of random files (the store is never read whole)."""
    rng = random.Random(seed)
    records: list[dict] = []
    while len(records) < n:
        parquet = pq.ParquetFile(rng.choice(files))
        group = parquet.read_row_group(rng.randrange(parquet.num_row_groups)).to_pylist()
        records += rng.sample(group, min(len(group), max(1, n // 20), n - len(records)))
    return records


def jsonschema_rate(records: list[dict]) -> tuple[float, int]:
    """Records per second of jsonschema's validator on these records, and the errors it found."""
    import time

    validator = schema.validator("record")
    started = time.perf_counter()
    errors = sum(1 for record in records for _ in validator.iter_errors(record))
    return len(records) / (time.perf_counter() - started), errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: generate one of --records)")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000, help="records validated with jsonschema")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="validate_store's worker processes"
    )
    args = parser.parse_args()
    started = load()
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store
        if store is None:
            import synthetic

            store = Path(tmp) / "store"
            synthetic.write_store(args.records, store, progress=False)
        total = json.loads((store / "meta" / "manifest.json").read_text())["totals"]["rows"]
        files = store_files(store)
        quick = run(IMPORTS, VALIDATE.format(store=str(store), workers=args.workers, audits=False))
        full = run(IMPORTS, VALIDATE.format(store=str(store), workers=args.workers, audits=True))
        rate, errors = jsonschema_rate(sample_records(files, args.sample))
    baseline = total / rate
    workers = f"{args.workers} worker(s)"
    rows = [
        [
            f"meds-ins validate --no-audits, {workers} (files, metadata, records)",
            f"{quick['seconds']:.1f} s (CPU {quick['cpu_s']:.0f} s)",
            f"{total / quick['seconds']:,.0f}",
            ratio(baseline, quick["seconds"]),
            f"{quick['findings']} findings, peak +{quick['extra_mb']:.0f} MB",
        ],
        [
            f"meds-ins validate, {workers} (the same + every data audit)",
            f"{full['seconds']:.1f} s (CPU {full['cpu_s']:.0f} s)",
            f"{total / full['seconds']:,.0f}",
            ratio(baseline, full["seconds"]),
            f"{full['findings']} findings, peak +{full['extra_mb']:.0f} MB"
            + (f" (largest worker {full['child_mb']:.0f} MB)" if args.workers > 1 else ""),
        ],
        [
            f"jsonschema per record (from {args.sample:,})",
            f"{baseline:,.0f} s (extrapolated)",
            f"{rate:,.0f}",
            "1.0x",
            f"{errors} errors",
        ],
    ]
    print(f"machine: {machine()}; store: {total:,} records in {len(files)} files")
    print(f"{started} at the start, {load()} at the end")
    print(table(["validation", "time", "records/s", "speed-up", "result"], rows))


if __name__ == "__main__":
    main()
