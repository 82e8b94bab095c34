"""Peak memory and speed of the clinical-note builders on a generated note table of a given size.

    python benchmarks/clinical_notes_memory.py [--corpus mimic_iv_radiology] [--gb 1.0] [--gzip]

Writes a synthetic MIMIC-IV-Note table (radiology.csv with radiology_detail.csv, or discharge.csv) of at
least `--gb` GB into a temporary folder, builds it into a temporary store in a fresh process, and prints
the input size, the records written per second and the peak resident memory of the build process (and
its highest resident memory in each tenth of the build time, sampled from /proc on Linux). The
generated data are deleted afterwards; nothing of it is kept or committed. The reports are made up from a
few templates with random numbers, so they only exercise the parsing and writing paths, not realism.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUILD = """
import json, sys, time
from pathlib import Path
from meds_ins import build
started = time.perf_counter()
report = build([sys.argv[1]], Path(sys.argv[2]), Path(sys.argv[3]), progress=False)
manifest = report.store.manifest
print(json.dumps({"seconds": time.perf_counter() - started, "records": manifest["totals"]["rows"],
                  "skipped": manifest["corpora"][sys.argv[1]]["skipped"]}))
"""

EXAMS = [
    "CHEST (PA AND LAT)",
    "CT HEAD W/O CONTRAST",
    "CT ABD & PELVIS WITH CONTRAST",
    "CTA CHEST W&W/O C&RECONS, NON-CORONARY",
    "MR HEAD W & W/O CONTRAST",
    "MR L SPINE W/O CONTRAST",
    "US ABD LIMIT, SINGLE ORGAN",
    "KNEE (AP, LAT AND OBLIQUE) RIGHT",
]
SENTENCES = [
    "There is no focal consolidation, pleural effusion or pneumothorax.",
    "A {n} mm nodule in the {side} lower lobe is unchanged from the prior study.",
    "The ventricles and sulci are normal in size and configuration for age.",
    "There is mild degenerative disease at L{n}-L{m} without canal stenosis.",
    "The liver measures {n} cm and is normal in echotexture.",
    "No free air or drainable fluid collection is seen.",
    "Heart size is normal. The mediastinal and hilar contours are unremarkable.",
    "Postoperative changes are noted in the {side} hemithorax with a small residual effusion.",
]


def sentence(rng: random.Random) -> str:
    n = rng.randint(2, 9)
    return rng.choice(SENTENCES).format(n=n, m=n + 1, side=rng.choice(["left", "right"]))


def radiology_note(rng: random.Random, exam: str) -> str:
    findings = "\n".join(sentence(rng) for _ in range(rng.randint(6, 14)))
    impression = "\n".join(f"{i}. {sentence(rng)}" for i in range(1, rng.randint(2, 4)))
    return (
        f"EXAMINATION:  {exam}\n\nINDICATION:  ___ year old patient with ___.\n\n"
        f"TECHNIQUE:  Routine protocol.\n\nCOMPARISON:  ___\n\nFINDINGS: \n\n{findings}\n\n"
        f"IMPRESSION: \n\n{impression}\n"
    )


def discharge_note(rng: random.Random) -> str:
    results = "\n".join(
        f"___ 07:{rng.randint(10, 59)}AM BLOOD WBC-{rng.randint(3, 15)} Hct-3{rng.randint(0, 9)}"
        for _ in range(rng.randint(40, 120))
    )
    course = "\n".join(sentence(rng) for _ in range(rng.randint(20, 60)))
    return (
        " \nName:  ___                     Unit No:   ___\n \nService: MEDICINE\n \n"
        f"Chief Complaint:\nShortness of breath\n \nPertinent Results:\n{results}\n \n"
        f"Brief Hospital Course:\n{course}\n \nDischarge Instructions:\nDear ___,\n\n"
        "You were admitted for shortness of breath. Please take your medicines as\nprescribed.\n"
        " \nFollowup Instructions:\n___\n"
    )


def open_table(path: Path, gz: bool):
    return gzip.open(f"{path}.gz", "wt", newline="", compresslevel=1) if gz else open(path, "w", newline="")


def generate(corpus: str, folder: Path, target_bytes: int, gz: bool) -> tuple[int, int]:
    """Write the note table (and the radiology detail table); returns (notes, bytes of the note table)."""
    rng = random.Random(9)
    note_dir = folder / corpus / "note"
    note_dir.mkdir(parents=True)
    table = "radiology" if corpus == "mimic_iv_radiology" else "discharge"
    kind = "RR" if table == "radiology" else "DS"
    written = notes = 0
    columns = ["note_id", "subject_id", "hadm_id", "note_type", "note_seq", "charttime", "storetime", "text"]
    with open_table(note_dir / f"{table}.csv", gz) as handle:
        notes_out = csv.writer(handle, lineterminator="\n")
        notes_out.writerow(columns)
        detail_handle = open_table(note_dir / "radiology_detail.csv", gz) if table == "radiology" else None
        detail_out = csv.writer(detail_handle, lineterminator="\n") if detail_handle else None
        if detail_out:
            detail_out.writerow(["note_id", "subject_id", "field_name", "field_value", "field_ordinal"])
        while written < target_bytes:
            subject = 10_000_000 + notes // 7
            note_id = f"{subject}-{kind}-{notes % 7 + 1}"
            exam = EXAMS[notes % len(EXAMS)]
            text = radiology_note(rng, exam) if table == "radiology" else discharge_note(rng)
            row = [note_id, subject, 20_000_000 + notes, kind, notes % 7 + 1, "2180-01-01 00:00:00", "", text]
            notes_out.writerow(row)
            if detail_out:
                detail_out.writerow([note_id, subject, "exam_name", exam, 1])
                detail_out.writerow([note_id, subject, "cpt_code", 70000 + notes % 999, 1])
            written += len(text) + 60
            notes += 1
        if detail_handle:
            detail_handle.close()
    return notes, written


def run_sampled(command: list[str]) -> tuple[str, list[int]]:
    """Run `command`, sampling its resident memory every 0.5 s (Linux /proc); (stdout, max RSS per tenth)."""
    samples: list[tuple[float, float]] = []
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, subprocess.Popen(command, stdout=out, text=True) as child:
        while child.poll() is None:
            try:
                status = Path(f"/proc/{child.pid}/status").read_text()
                rss_kb = next(int(x.split()[1]) for x in status.splitlines() if x.startswith("VmRSS"))
                samples.append((time.perf_counter() - started, rss_kb / 1024))
            except (OSError, StopIteration):
                pass
            time.sleep(0.5)
        if child.returncode:
            raise SystemExit(f"the build failed with exit code {child.returncode}")
        out.seek(0)
        stdout = out.read()
    total = time.perf_counter() - started
    tenths = [[mb for t, mb in samples if i * total / 10 <= t < (i + 1) * total / 10] for i in range(10)]
    return stdout, [round(max(t)) if t else 0 for t in tenths]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpora = ["mimic_iv_radiology", "mimic_iv_discharge"]
    parser.add_argument("--corpus", default=corpora[0], choices=corpora)
    parser.add_argument("--gb", type=float, default=1.0, help="size of the note table to generate, in GB")
    parser.add_argument("--gzip", action="store_true", help="write gzip-compressed tables, as distributed")
    parser.add_argument("--tmp", default=None, help="folder for the temporary data (default: the system's)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="meds-ins-notes-", dir=args.tmp) as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        notes, table_bytes = generate(args.corpus, folder / "raw", int(args.gb * 1e9), args.gzip)
        on_disk = sum(p.stat().st_size for p in (folder / "raw").rglob("*") if p.is_file())
        seconds = time.perf_counter() - started
        print(f"generated {notes:,} notes, {on_disk / 1e9:.2f} GB on disk ({seconds:.0f} s)", flush=True)
        stdout, timeline = run_sampled(
            [sys.executable, "-c", BUILD, args.corpus, str(folder / "raw"), str(folder / "store")]
        )
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        stats = json.loads(stdout.strip().splitlines()[-1])
        store_gb = sum(p.stat().st_size for p in (folder / "store").rglob("*") if p.is_file()) / 1e9
    print(
        json.dumps(
            {
                "corpus": args.corpus,
                "gzip": args.gzip,
                "notes": notes,
                "table_gb": round(table_bytes / 1e9, 3),  # uncompressed note table
                "input_gb": round(on_disk / 1e9, 3),  # files on disk (compressed with --gzip)
                "records": stats["records"],
                "build_s": round(stats["seconds"], 1),
                "records_per_s": round(stats["records"] / stats["seconds"]),
                "notes_per_s": round(notes / stats["seconds"]),
                "peak_rss_mb": round(peak_mb),
                "rss_mb_by_tenth_of_build": timeline,  # highest resident memory in each tenth of the time
                "store_gb": round(store_gb, 3),
                "skipped": stats["skipped"],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
