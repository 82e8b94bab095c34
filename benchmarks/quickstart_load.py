"""Time `meds-ins quickstart` and loading one task of the store it makes (cold and warm), with peak memory.

    python benchmarks/quickstart_load.py [--repeat 3]

Each measurement runs in a fresh process so that imports and caches are counted honestly. Load time is
reported beyond interpreter start-up and `import meds_ins, datasets`, which are measured separately.
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

PROBE = """
import json, resource, sys, time
t0 = time.perf_counter()
import datasets, meds_ins
t1 = time.perf_counter()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
ds = meds_ins.load_dataset(task=sys.argv[1], split="train")
n = ds.num_rows
t2 = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "rows": n, "rss_before_mb": before / 1024,
                  "rss_peak_mb": peak / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--task", default="task124_pubmedqa_train_set")
    args = parser.parse_args()
    quickstart, cold, warm = [], [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as home:
            env = {**os.environ, "MEDS_INS_HOME": home, "HF_HOME": str(Path(home) / "hf")}
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "meds_ins", "quickstart"],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            quickstart.append(time.perf_counter() - started)
            # quickstart already loaded the demo task once: drop the Arrow cache for a cold load
            for cached in (Path(home) / "arrow").glob("*.arrow"):
                cached.unlink()
            for target in (cold, warm):
                out = subprocess.run(
                    [sys.executable, "-c", PROBE, args.task],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                target.append(json.loads(out))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    seconds = statistics.median(quickstart)
    print(f"meds-ins quickstart (build 5 demo corpora, validate, load): median {seconds:.2f} s")
    for label, runs in (("cold (parquet -> Arrow cache)", cold), ("warm (memory-mapped)", warm)):
        load = statistics.median(r["load_s"] for r in runs)
        imports = statistics.median(r["import_s"] for r in runs)
        extra = statistics.median(r["rss_peak_mb"] - r["rss_before_mb"] for r in runs)
        base = runs[0]["rss_before_mb"]
        print(
            f"load {args.task} {label}: {load * 1000:.0f} ms beyond imports ({imports:.2f} s), "
            f"{runs[0]['rows']} rows, peak RSS +{extra:.1f} MB over {base:.0f} MB after imports"
        )


if __name__ == "__main__":
    main()
