"""Building a large raw corpus: records/s and peak memory as the input grows 10x and 100x.

    python benchmarks/bench_build.py [--base 20000] [--workers 2]

The corpus is DDXPlus in its native layout (release_conditions.json, release_evidences.json, patient
CSVs), generated from the fixture's conditions and evidences with random answers; it goes through the
real builder (builders/ddxplus.py) and the store writer. Memory must not grow with the input: the CSV
is streamed, examples are converted in batches and row groups flushed as they fill.

A second table builds two corpora at once, DDXPlus as above and MedQA (its fixture's questions
repeated, as one JSON Lines file of the release layout), with `workers=1` and with `--workers`.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import tempfile
from pathlib import Path

from measure import machine, run, table

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
FIXTURE = FIXTURES / "ddxplus"
MEDQA_TRAIN = "data_clean/questions/US/4_options/phrases_no_exclude_train.jsonl"
IMPORTS = "from pathlib import Path\nfrom meds_ins import build"


def write_corpus(folder: Path, patients: int, seed: int = 0) -> int:
    """A DDXPlus-shaped raw folder with `patients` rows in release_train_patients.csv; returns its size."""
    folder.mkdir(parents=True)
    for name in ("release_conditions.json", "release_evidences.json"):
        shutil.copy(FIXTURE / name, folder / name)
    conditions = list(json.loads((FIXTURE / "release_conditions.json").read_text()))
    evidences = json.loads((FIXTURE / "release_evidences.json").read_text())
    codes = []
    for code, item in evidences.items():
        values = list(item["value_meaning"]) or [str(v) for v in item["possible-values"]]
        codes.append([code] if not values else [f"{code}_@_{v}" for v in values])
    rng = random.Random(seed)
    with open(folder / "release_train_patients.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["AGE", "DIFFERENTIAL_DIAGNOSIS", "SEX", "PATHOLOGY", "EVIDENCES", "INITIAL_EVIDENCE"]
        )
        for _ in range(patients):
            chosen = [rng.choice(options) for options in rng.sample(codes, rng.randint(2, len(codes)))]
            pathology = rng.choice(conditions)
            initial = chosen[0].split("_@_")[0]
            writer.writerow(
                [
                    rng.randint(1, 95),
                    str([[pathology, 1.0]]),
                    rng.choice("MF"),
                    pathology,
                    str(chosen),
                    initial,
                ]
            )
    return sum(p.stat().st_size for p in folder.iterdir())


def write_medqa(folder: Path, questions: int) -> None:
    """A MedQA-shaped raw folder: the fixture's US training questions repeated `questions` times in all."""
    lines = (FIXTURES / "medqa" / MEDQA_TRAIN).read_text().splitlines(keepends=True)
    target = folder / MEDQA_TRAIN
    target.parent.mkdir(parents=True)
    with open(target, "w") as handle:
        for i in range(questions):
            handle.write(lines[i % len(lines)])


def measure(raw: Path, out: Path, workers: int = 1, corpora: str = "['ddxplus']") -> dict:
    body = f"""
report = build({corpora}, Path({str(raw)!r}), Path({str(out)!r}), workers={workers}, progress=False)
result = {{"records": report.store.manifest["totals"]["rows"]}}
"""
    return run(IMPORTS, body, {"MEDS_INS_HOME": str(out) + "-home"})  # its Arrow copies go there


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=20_000, help="patients at 1x")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for factor in (1, 10, 100):
            raw = Path(tmp) / f"raw{factor}"
            size = write_corpus(raw, args.base * factor)
            r = measure(raw, Path(tmp) / f"store{factor}")
            rate = r["records"] / r["seconds"]
            rows.append(
                [
                    f"{factor}x",
                    f"{r['records']:,}",
                    f"{size / 2**20:,.0f} MB",
                    f"{r['seconds']:.1f} s",
                    f"{rate:,.0f}",
                    f"{r['peak_mb']:.0f} MB",
                ]
            )
            shutil.rmtree(raw)
        parallel = parallel_rows(Path(tmp), args.base * 10, args.workers)
    print(f"machine: {machine()}")
    print(table(["input", "records", "raw size", "time", "records/s", "peak memory (RSS)"], rows))
    print()
    print(table(["two corpora", "records", "time", "records/s", "speed-up"], parallel))


def parallel_rows(tmp: Path, patients: int, workers: int) -> list[list[str]]:
    """DDXPlus and MedQA built together, in one process and in `workers` processes."""
    raw = tmp / "both"
    write_corpus(raw / "ddxplus", patients)
    write_medqa(raw / "medqa", patients * 2)
    rows = []
    both = "['ddxplus', 'medqa']"
    results = [measure(raw, tmp / f"both{n}", workers=n, corpora=both) for n in (1, workers)]
    single = results[0]["seconds"]
    for n, r in zip((1, workers), results):
        rows.append(
            [
                f"workers={n}",
                f"{r['records']:,}",
                f"{r['seconds']:.1f} s",
                f"{r['records'] / r['seconds']:,.0f}",
                f"{single / r['seconds']:.2f}x",
            ]
        )
    return rows


if __name__ == "__main__":
    main()
