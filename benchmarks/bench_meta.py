"""Decoding `meta`: meds_ins.decode_meta vs json.loads row by row, what a user would otherwise write.

    python benchmarks/bench_meta.py --rows 1000000

The records' `meta` mixes the shapes of the collection's tasks: multiple-choice options (A-E), entity
lists, source identifiers, and null. They are saved once as a memory-mapped dataset; each measurement
loads it in a fresh process (not timed) and then decodes the whole column:
- baseline: `[json.loads(m) if m else None for m in ds["meta"][:]]`, a list of dictionaries (the
  column read as one list first: iterating `ds["meta"]` itself formats one row at a time, far slower);
- decode_meta: `meds_ins.decode_meta(ds)`, the dataset with a typed `meta` column;
- decode_meta, then dictionaries: the same, then `ds["meta"]` as Python objects.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
from pathlib import Path

from measure import machine, ratio, run, table

IMPORTS = "import json, datasets, meds_ins"
LOAD = "ds = datasets.load_from_disk({path!r})\n# start\n"


def meta(i: int, rng: random.Random) -> str | None:
    kind = i % 4
    if kind == 0:
        options = {k: f"option {k} {rng.randrange(10**6)}" for k in "ABCDE"[: rng.choice((4, 5))]}
        return json.dumps({"options": options, "exam": "USMLE"}, sort_keys=True)
    if kind == 1:
        entities = [f"entity {rng.randrange(10**5)}" for _ in range(rng.randrange(0, 6))]
        return json.dumps({"entities": entities}, sort_keys=True)
    if kind == 2:
        return json.dumps({"pmid": str(rng.randrange(10**8)), "year": "2019"}, sort_keys=True)
    return None


def make(path: Path, rows: int) -> None:
    import datasets

    rng = random.Random(0)
    data = {"id": [f"task:{i}" for i in range(rows)], "meta": [meta(i, rng) for i in range(rows)]}
    datasets.Dataset.from_dict(data).save_to_disk(str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ds"
        make(path, args.rows)
        load = LOAD.format(path=str(path))
        baseline = 'metas = [json.loads(m) if m else None for m in ds["meta"][:]]\nresult = {}'
        base = run(IMPORTS, load + baseline)
        typed = run(IMPORTS, load + "typed = meds_ins.decode_meta(ds)\nresult = {}")
        dicts = run(IMPORTS, load + 'metas = meds_ins.decode_meta(ds)["meta"][:]\nresult = {}')
    rows = [
        ["json.loads per row", f"{base['seconds']:.2f} s", "1.0x", f"{base['extra_mb']:.0f} MB"],
        [
            "decode_meta",
            f"{typed['seconds']:.2f} s",
            ratio(base["seconds"], typed["seconds"]),
            f"{typed['extra_mb']:.0f} MB",
        ],
        [
            "decode_meta, then dictionaries",
            f"{dicts['seconds']:.2f} s",
            ratio(base["seconds"], dicts["seconds"]),
            f"{dicts['extra_mb']:.0f} MB",
        ],
    ]
    print(f"{machine()}, load average {os.getloadavg()[0]:.1f}; {args.rows:,} records")
    print(table(["decoding meta", "time", "speed-up", "memory beyond imports"], rows))


if __name__ == "__main__":
    main()
