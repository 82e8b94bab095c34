"""Build whole public releases and report, per corpus, what the release holds and what the build made of it.

    python benchmarks/real_releases.py --raw DIR [--corpus ID ...] [--json FILE]

DIR holds one folder per corpus id with the release in its native layout (DIR/<corpus_id>/...), as
`meds-ins build all --raw DIR` reads it. Every corpus found there is built on its own, in a fresh process
(`measure.run`), into a temporary store that is deleted afterwards. Per corpus the table gives:

- source items: what the release holds, counted by this script's own small reader for that corpus
  (standard library only, never the package's parsers), so that records and skips can be checked
  against an independent figure;
- records written, and the skips by reason (source items left out, merged or repaired);
- time (the build call, imports excluded) and peak memory (maximum resident set size of the process).

This is a check the maintainers run on the releases they hold; it is not run in CI, and no data is
committed. A corpus whose raw files are incomplete is listed with the build's message.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from xml.etree import ElementTree as ET

from measure import machine, run, table

import meds_ins

csv.field_size_limit(sys.maxsize)

# -- independent counters: one per corpus, reading the release with the standard library ------------


def lines(paths: Iterable[Path]) -> int:
    """Non-blank lines."""
    return sum(1 for p in paths for line in p.open(encoding="utf-8-sig") if line.strip())


def blocks(paths: Iterable[Path]) -> int:
    """Runs of non-blank lines separated by blank lines: sentences of IOB/CoNLL files, PubTator documents."""
    total = 0
    for p in paths:
        inside = False
        for line in p.open(encoding="utf-8-sig"):
            if line.strip() and not inside:
                total += 1
            inside = bool(line.strip())
    return total


def json_items(paths: Iterable[Path], pick: Callable[[object], Iterable[object]] = lambda d: d) -> int:
    return sum(len(list(pick(json.loads(p.read_text(encoding="utf-8-sig"))))) for p in paths)


def csv_rows(paths: Iterable[Path], delimiter: str = ",") -> int:
    """Data rows (header excluded) of delimited files with quoting."""
    total = 0
    for p in paths:
        with p.open(encoding="utf-8-sig", newline="") as handle:
            total += sum(1 for _ in csv.reader(handle, delimiter=delimiter)) - 1
    return total


def xlsx_rows(path: Path) -> int:
    """Data rows (header excluded, empty rows ignored) of a workbook's single sheet."""
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        if len(sheets) != 1:
            raise SystemExit(f"{path}: expected one worksheet, found {len(sheets)}")
        root = ET.fromstring(z.read(sheets[0]))
    filled = [row for row in root.iter() if row.tag.endswith("}row") and any(e.text for e in row.iter())]
    return len(filled) - 1


def xml_elements(paths: Iterable[Path], *tags: str) -> int:
    return sum(1 for p in paths for e in ET.parse(p).getroot().iter() if e.tag in tags)


def squad_questions(path: Path) -> int:
    return sum(len(par["qas"]) for doc in json.loads(path.read_text())["data"] for par in doc["paragraphs"])


def obo_terms(path: Path) -> int:
    return sum(1 for line in path.open(encoding="utf-8") if line.strip() == "[Term]")


def headqa_questions(root: Path) -> int:
    """Questions of the train/dev/test files of both languages."""
    files = [p for p in root.glob("HEAD*/*_HEAD*.json")]
    return sum(len(exam["data"]) for p in files for exam in json.loads(p.read_text())["exams"].values())


def ade_lines(root: Path) -> int:
    return sum(lines(root.glob(f"**/{name}")) for name in ("DRUG-AE.rel", "DRUG-DOSE.rel", "ADE-NEG.txt"))


def spert_entries(root: Path) -> int:
    return json_items(
        p for n in ("train", "dev", "test") if (p := root / f"data/ner/spert/{n}.json").is_file()
    )


def cmedqa2_questions(root: Path) -> int:
    """Distinct questions of the candidate files (zipped, one member each, or extracted)."""
    total = 0
    for part in ("train", "dev", "test"):
        for path in root.glob(f"{part}_candidates.*"):
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as z:
                    text = z.read(z.namelist()[0]).decode("utf-8-sig")
            else:
                text = path.read_text(encoding="utf-8-sig")
            total += len({row[0] for row in csv.reader(text.splitlines()[1:]) if row})
    return total


def ddxplus_patients(root: Path) -> int:
    total = 0
    for path in root.glob("release_*_patients.*"):
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as z:
                total += sum(1 for _ in csv.reader(z.read(z.namelist()[0]).decode().splitlines())) - 1
        else:
            total += csv_rows([path])
    return total


def liveqa_questions(root: Path) -> int:
    # the builder reads the file with summaries, else the plain test file (the same 104 questions)
    path = next(root.glob("**/*-w-summaries.xml"), None) or next(root.glob("**/*Medical-Test.xml"))
    return xml_elements([path], "NLM-QUESTION")


# corpus id -> (what a source item is, counter of the corpus folder)
COUNTERS: dict[str, tuple[str, Callable[[Path], int]]] = {
    "ade_corpus_v2": ("relation and NEG lines", ade_lines),
    "anem": ("sentences", lambda r: blocks(r.glob("**/AnEM.*"))),
    "bc2gm": ("sentences", lambda r: blocks(r.glob("**/*.tsv"))),
    "bc5cdr": ("documents", lambda r: blocks(r.glob("*.PubTator.txt"))),
    "bioasq": ("questions", lambda r: json_items(r.glob("**/*_golden.json"), lambda d: d["questions"])),
    "catalonia_independence": ("tweets (rows)", lambda r: csv_rows(r.glob("*/*.csv"), "\t")),
    "chatdoctor": ("conversations", lambda r: json_items(r.glob("*.json"))),
    "clinical_trials_gov": ("SpERT entries", spert_entries),
    "cmedqa2": ("questions with candidates", cmedqa2_questions),
    "covid_qa": ("questions", lambda r: sum(map(squad_questions, r.glob("data/question-answering/*.json")))),
    "ddxplus": ("patients", ddxplus_patients),
    "disease_ontology": ("terms", lambda r: obo_terms(r / "doid.obo")),
    "ebm_summariser": ("records", lambda r: xml_elements([r / "ClinicalInquiries.xml"], "record")),
    "frenchmedmcqa": ("questions", lambda r: json_items(r.glob("corpus/*.json"))),
    "headqa": ("questions x 2 languages", headqa_questions),
    "hoc": ("abstracts", lambda r: len(list(r.glob("text/*.txt")))),
    "igakuqa": ("questions", lambda r: lines(r.glob("data/*/[0-9][0-9][0-9]-[A-Z].jsonl"))),
    "linnaeus": ("sentences", lambda r: blocks(r.glob("**/*.tsv"))),
    "liveqa_medical": ("questions", liveqa_questions),
    "medical_question_pairs": (
        "question pairs",
        lambda r: sum(1 for _ in csv.reader((r / "mqp.csv").open())),
    ),
    "medicationqa": ("rows", lambda r: xlsx_rows(next(r.glob("*.xlsx")))),
    "medmcqa": ("questions", lambda r: lines(r.glob("*.json"))),
    "medqa": ("questions", lambda r: lines(r.glob("data_clean/questions/**/*.jsonl"))),
    "medquad": ("question-answer pairs", lambda r: xml_elements(r.glob("*_QA*/*.xml"), "QAPair", "pair")),
    "meqsum": ("rows", lambda r: xlsx_rows(next(r.glob("*.xlsx")))),
    "ncbi_disease": ("abstracts", lambda r: blocks(r.glob("NCBI*_corpus.txt"))),
    "pubmedqa": ("questions", lambda r: json_items(r.glob("ori_pq*.json"))),
    "rumedbench": ("items", lambda r: lines(r.glob("data/*/*.jsonl"))),
}

BUILD = """
try:
    report = build([corpus], Path(raw), Path(store), progress=False, arrow_copies=False)
    built = [c for c in report.to_dict()["corpora"] if c["id"] == corpus]
    result = {"records": report.store.manifest["totals"]["rows"],
              "skipped": built[0]["skipped"] if built else {}}
except MedsInsError as e:
    first, *rest = str(e).splitlines()
    files = [line.strip()[2:].split(": ", 1)[0] for line in rest if line.strip().startswith("- ")]
    result = {"error": f"{type(e).__name__}: {first}" + (" " + "; ".join(files) if files else "")}
"""


def measure(corpus: str, raw: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"real-{corpus}-") as tmp:
        body = f"corpus, raw, store = {corpus!r}, {str(raw)!r}, {str(Path(tmp) / 'store')!r}\n" + BUILD
        try:
            return run("from pathlib import Path\nfrom meds_ins import MedsInsError, build", body)
        except RuntimeError as e:  # the build process died (a bug, not bad raw files): report, go on
            return {"error": f"crashed: {str(e).strip().splitlines()[-1]}", "seconds": None, "peak_mb": None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, required=True, help="folder with one sub-folder per corpus id")
    parser.add_argument("--corpus", action="append", help="only this corpus (repeatable)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    known = set(meds_ins.catalog().builders)
    found = sorted(p.name for p in args.raw.iterdir() if p.is_dir())
    corpora = [c for c in found if c in known and (not args.corpus or c in args.corpus)]
    results = {}
    for corpus in corpora:
        what, count = COUNTERS.get(corpus, ("(no counter in this script)", lambda _: None))
        result = {
            "source_items": count(args.raw / corpus),
            "unit": what,
            **measure(corpus, args.raw / corpus),
        }
        results[corpus] = result
        print(f"{corpus}: {json.dumps(result, ensure_ascii=False)}", file=sys.stderr, flush=True)
    rows = []
    for corpus, r in results.items():
        items = "n/a" if r["source_items"] is None else f"{r['source_items']:,}"
        skipped = "; ".join(f"{n:,} {reason}" for reason, n in r.get("skipped", {}).items()) or "-"
        records = f"{r['records']:,}" if "records" in r else f"not built ({r['error']})"
        seconds = "-" if r["seconds"] is None else f"{r['seconds']:.1f}"
        peak = "-" if r["peak_mb"] is None else f"{r['peak_mb']:.0f}"
        rows.append([corpus, f"{items} {r['unit']}", records, skipped, seconds, peak])
    print(f"Real releases under {args.raw} ({machine()}); each build in a fresh process:\n")
    print(table(["corpus", "source items", "records", "skipped (reason)", "time (s)", "peak RSS (MB)"], rows))
    others = [c for c in found if c not in known]
    if others:
        print(f"\nFolders that are not a corpus id, left aside: {', '.join(others)}")
    if args.json:
        args.json.write_text(
            json.dumps({"machine": machine(), "corpora": results}, indent=2, ensure_ascii=False)
        )


if __name__ == "__main__":
    main()
