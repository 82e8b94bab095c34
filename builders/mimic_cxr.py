"""MIMIC-CXR chest X-ray reports: write the IMPRESSION from the FINDINGS.

Recipe only: MIMIC-CXR is credentialed PhysioNet data. Reports are one text file per study,
files/pXX/pSUBJECT/sSTUDY.txt, read from mimic-cxr-reports.zip as distributed or, without it, from the
extracted folder. The official split is mimic-cxr-2.0.0-split.csv.gz of MIMIC-CXR-JPG (dicom_id, study_id,
subject_id, split = train / validate / test; validate counts as train). Without it, studies are split
9:1 by patient.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from meds_ins.builder import (
    BuildContext,
    Builder,
    Corpus,
    Example,
    RawFile,
    RawFormatError,
    Task,
    Withheld,
    labelled,
    random_split,
)
from meds_ins.formats.clinical_notes import findings_and_impression, iter_note_table
from meds_ins.formats.tables import ZIP_ERRORS

REPORT_FILES = "**/files/p*/p*/s*.txt"
REPORT_ZIP = "mimic-cxr-reports.zip"
SPLIT_FILES = ("mimic-cxr-2.0.0-split.csv.gz", "mimic-cxr-2.0.0-split.csv")
SPLITS = {"train": "train", "validate": "train", "test": "test"}
REPORT_PATH = re.compile(r"(?:^|/)p(\d+)/s(\d+)\.txt$")

CORPUS = Corpus(
    id="mimic_cxr",
    name="MIMIC-CXR",
    paper_names=("MIMIC-CXR",),
    homepage="https://physionet.org/content/mimic-cxr/2.0.0/",
    download="MIMIC-CXR 2.0.0 from PhysioNet (credentialed access and a signed data use agreement): "
    "mimic-cxr-reports.zip; the official split mimic-cxr-2.0.0-split.csv.gz comes with MIMIC-CXR-JPG "
    "(physionet.org/content/mimic-cxr-jpg)",
    citation="""@article{johnson2019mimiccxr,
  title = {{MIMIC-CXR}, a de-identified publicly available database of chest radiographs with free-text reports},
  author = {Johnson, Alistair E. W. and Pollard, Tom J. and Berkowitz, Seth J. and Greenbaum, Nathaniel R. and
            Lungren, Matthew P. and Deng, Chih-ying and Mark, Roger G. and Horng, Steven},
  journal = {Scientific Data},
  volume = {6},
  pages = {317},
  year = {2019}
}""",
    license="PhysioNet-Credentialed-Health-Data-License-1.5.0",
    license_source="PhysioNet project page of MIMIC-CXR 2.0.0 (credentialed access); the licence is the one of "
    "the MIMIC family; the licence line of the MIMIC-CXR page itself was not read",
    redistribution=Withheld(
        "credentialed access: the PhysioNet Credentialed Health Data License 1.5.0 and its data use agreement"
    ),
    access="credentialed",
    languages=("en",),
    text_source="Clinical Text",
    raw_files=(
        RawFile(REPORT_ZIP, "the free-text reports, files/pXX/pSUBJECT/sSTUDY.txt", required=False),
        RawFile(REPORT_FILES, "the same reports, extracted (read when the zip is absent)", required=False),
        RawFile(SPLIT_FILES[0], "official split by study (from MIMIC-CXR-JPG)", required=False),
        RawFile(SPLIT_FILES[1], "the same split, uncompressed", required=False),
    ),
    notes="Recipe only: records built from MIMIC must never be published. Reports without both a FINDINGS and an "
    "IMPRESSION section (a large share of MIMIC-CXR: many reports have only an impression) are skipped and "
    "counted, as are studies missing from the split file. Hard-wrapped lines are joined. Normal studies often "
    "share word-for-word findings and impressions; such duplicates are kept, as in the source.",
)

TASKS = (
    Task(
        "task112",
        "task112_mimic_cxr_text_summurization",
        "Text Summarization",
        "Below are the findings of a chest X-ray report. Write the report's impression: a brief summary of the "
        "findings that matter most for the patient's care.",
        split_policy="official",
        in_bench=True,
        notes="Official split of MIMIC-CXR-JPG (validate counts as train); 9:1 by patient when the split file is "
        "absent.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    split_file = ctx.optional(SPLIT_FILES[0]) or ctx.optional(SPLIT_FILES[1])
    splits = _official_splits(split_file) if split_file is not None else None
    for subject, study, text in _reports(ctx):
        if splits is None:
            split = random_split(CORPUS.id, subject)
        elif study in splits:
            split = splits[study]
        else:
            ctx.skip("study not in the official split file")
            continue
        pair = findings_and_impression(text)
        if isinstance(pair, str):
            ctx.skip(pair)
            continue
        findings, impression = pair
        meta = {"subject_id": subject, "study_id": study}
        yield Example(
            "task112",
            f"s{study}",
            labelled(("Findings", findings)),
            impression,
            split=split,
            group=subject,
            meta=meta,
        )


def _reports(ctx: BuildContext) -> Iterator[tuple[str, str, str]]:
    """(subject_id, study_id, text) of every report: the zip's members, else the extracted files."""
    archive_path = ctx.optional(REPORT_ZIP)
    if archive_path is None:
        files = ctx.files(REPORT_FILES)
        if not files:
            ctx.file(REPORT_ZIP)  # raises, naming what to get
        for path in files:
            subject, study = _ids(path, path.as_posix())
            yield subject, study, _decode(path, path.read_bytes())
        return
    try:
        archive = zipfile.ZipFile(archive_path)
    except ZIP_ERRORS as e:
        raise RawFormatError(archive_path, None, f"not a readable zip archive ({e})") from None
    with archive:
        names = sorted(n for n in archive.namelist() if n.endswith(".txt"))
        if not names:
            raise RawFormatError(archive_path, None, "holds no report files (files/pXX/pSUBJECT/sSTUDY.txt)")
        for name in names:
            member = archive_path / name  # names the member in messages
            subject, study = _ids(member, name)
            try:
                data = archive.read(name)
            except ZIP_ERRORS as e:
                raise RawFormatError(member, None, f"damaged in its zip archive ({e})") from None
            yield subject, study, _decode(member, data)


def _ids(path: Path, name: str) -> tuple[str, str]:
    match = REPORT_PATH.search(name)
    if match is None:
        raise RawFormatError(path, None, "a report must be named files/pXX/pSUBJECT/sSTUDY.txt")
    return match[1], match[2]


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise RawFormatError(path, f"byte {e.start}", "not valid UTF-8") from None


def _official_splits(path: Path) -> dict[str, str]:
    """study_id -> train/test. The file has one row per image; a study's images must agree."""
    splits: dict[str, str] = {}
    for line, row in iter_note_table(path, ("study_id", "split")):
        split = SPLITS.get(row["split"].strip())
        if split is None:
            raise RawFormatError(
                path, f"line {line}", f"split {row['split']!r} is not train, validate or test"
            )
        study = row["study_id"].strip()
        if splits.setdefault(study, split) != split:
            raise RawFormatError(
                path, f"line {line}", f"study {study} is in both the train and the test split"
            )
    return splits


BUILDER = Builder(CORPUS, TASKS, generate)
