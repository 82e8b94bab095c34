"""Peak memory of `meds-ins import` on one multi-GB file holding many tasks, against `json.load`.

    python benchmarks/import_memory.py [--gb 2] [--baseline-mb 256] [--keep DIR]

Generates (never commits) a single JSON file shaped like the repacked releases: a list of task objects
in the natural-instructions layout, pretty-printed, 2 KB instances, every tenth task a test task.
Imports it in a fresh process and reports the peak resident memory beyond the process's state after
imports (warm), with the time.
The baseline is what a reader that loads the file whole (`json.load`) needs: measured on a smaller file
of the same shape (loading several GB whole would exhaust the machine) and given per MB of file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PER_TASK = 20_000
PAD = "x" * 1900

IMPORT = """
import json, resource, sys, time
from pathlib import Path
import polars as pl, pyarrow as pa
from meds_ins import catalog as load_catalog, import_task_files as import_files
from meds_ins._common.languages import iso_language
load_catalog(), iso_language("English"), pa.array(["x" * 2000] * 5000), pl.Series(["x"]).hash()  # warm up
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
report = import_files([Path(sys.argv[1])], Path(sys.argv[2]), progress=False)
seconds = time.perf_counter() - started
rows = sum(sum(c.values()) for c in report.tasks.values())
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"base_mb": base / 1024, "peak_mb": peak / 1024, "seconds": seconds, "rows": rows,
                  "errors": sum(f.severity == "error" for f in report.findings)}))
"""

LOAD = """
import json, resource, sys
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with open(sys.argv[1], encoding="utf-8") as handle:
    value = json.load(handle)
print(json.dumps({"growth_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024}))
"""


def generate(path: Path, size_mb: float) -> int:
    """Write tasks of PER_TASK instances until the file reaches size_mb; returns the instance count."""
    rows = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write("[\n")
        task = 0
        while out.tell() < size_mb * 2**20:
            head = {
                "Contributors": ["benchmark"],
                "Source": ["generated"],
                "URL": ["https://example.org/generated"],
                "Categories": ["Question Answering"],
                "Reasoning": [],
                "Definition": ["Answer the question."],
                "Input_language": ["English"],
                "Output_language": ["English"],
                "Instruction_language": ["English"],
                "Domains": ["Medicine"],
                "Positive Examples": [],
                "Negative Examples": [],
                "Task": f"task{9600 + task}_generated_questions",
            }
            if task % 10 == 9:  # some benchmark (test) tasks, so the cross-task audit has work to do
                head["Split Type"] = "Test"
            out.write(("," if task else "") + json.dumps(head, indent=4)[:-2] + ',\n    "Instances": [\n')
            for i in range(PER_TASK):
                row = {
                    "id": f"task{9600 + task}-{i}",
                    "input": f"Question {task}-{i}: {PAD}",
                    "output": [f"A{i % 9}"],
                }
                out.write(("," if i else "") + "        " + json.dumps(row) + "\n")
            out.write("    ]\n}\n")
            rows += PER_TASK
            task += 1
        out.write("]\n")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gb", type=float, default=2.0, help="size of the generated stream")
    parser.add_argument("--baseline-mb", type=float, default=256, help="file size for the json.load baseline")
    parser.add_argument("--keep", type=Path, help="folder to keep the generated file and store in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        big = folder / "all_tasks.json"
        started = time.perf_counter()
        rows = generate(big, args.gb * 1024)
        size_mb = big.stat().st_size / 2**20
        print(f"generated {size_mb:,.0f} MB, {rows:,} instances in {time.perf_counter() - started:.0f} s")
        out = subprocess.run(
            [sys.executable, "-c", IMPORT, str(big), str(folder / "store")],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(out)
        big.unlink()
        small = folder / "baseline.json"
        generate(small, args.baseline_mb)
        small_mb = small.stat().st_size / 2**20
        load = json.loads(
            subprocess.run(
                [sys.executable, "-c", LOAD, str(small)], check=True, capture_output=True, text=True
            ).stdout
        )
    growth = result["peak_mb"] - result["base_mb"]
    per_mb = load["growth_mb"] / small_mb
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        f"meds-ins import: {size_mb:,.0f} MB file, {result['rows']:,} records in {result['seconds']:.0f} s "
        f"({size_mb / result['seconds']:.1f} MB/s); peak RSS {result['peak_mb']:,.0f} MB, "
        f"{growth:,.0f} MB beyond the {result['base_mb']:,.0f} MB after imports ({result['errors']} errors)"
    )
    print(
        f"json.load baseline: {load['growth_mb']:,.0f} MB for a {small_mb:,.0f} MB file = {per_mb:.1f} MB "
        f"per MB, so about {per_mb * size_mb:,.0f} MB for the {size_mb:,.0f} MB file "
        f"({per_mb * size_mb / growth:.1f}x the importer's growth)"
    )


if __name__ == "__main__":
    main()
