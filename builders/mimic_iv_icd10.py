"""MIMIC-IV-ICD (ICD-10): assign the ICD-10 codes of a hospital admission from its discharge summary.

Recipe only: built from MIMIC-IV and MIMIC-IV-Note, credentialed PhysioNet data. The builder reads the
files that the Mimic-IV-ICD benchmark (github.com/thomasnguyen92/MIMIC-IV-ICD-data-processing) writes
from a user's own copy: mimicdata/mimic4_icd10/disch_{train,dev,test}_split.csv, with columns subject_id,
hadm_id, text (the discharge summary, lower-cased and stripped of punctuation by the benchmark's
preprocessing) and labels (the admission's ICD-10-CM and ICD-10-PCS codes without dots, joined by ';').

When the CMS code tables (icd10cm_order_YYYY.txt, icd10pcs_order_YYYY.txt or the code files) are put in
the same folder, each code is followed by its description. Official split: train and dev are train.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from meds_ins.builder import BuildContext, Builder, Corpus, Example, RawFile, RawFormatError, Task, Withheld
from meds_ins.formats.icd10 import CODE, CODE_FILES, ORDER_FILES, one_release, read_descriptions
from meds_ins.formats.tables import iter_csv

SPLIT_FILES = {
    "mimic4_icd10/disch_train_split.csv": "train",
    "mimic4_icd10/disch_dev_split.csv": "train",
    "mimic4_icd10/disch_test_split.csv": "test",
}
COLUMNS = ("subject_id", "hadm_id", "text", "labels")

CORPUS = Corpus(
    id="mimic_iv_icd10",
    name="MIMIC-IV-ICD (ICD-10)",
    paper_names=("MIMIC4ICD-10",),
    homepage="https://github.com/thomasnguyen92/MIMIC-IV-ICD-data-processing",
    download="MIMIC-IV 2.2 and MIMIC-IV-Note from PhysioNet (credentialed access and a signed data use agreement), "
    "then the benchmark's notebooks/dataproc_mimic_IV_exploration_icd10.ipynb, which writes "
    "mimicdata/mimic4_icd10/disch_{train,dev,test}_split.csv; optionally the CMS ICD-10-CM/PCS code tables for "
    "the code descriptions",
    citation="""@misc{nguyen2023mimicivicd,
  title = {Mimic-IV-ICD: A new benchmark for eXtreme MultiLabel Classification},
  author = {Nguyen, Thanh-Tung and Schlegel, Viktor and Kashyap, Abhinav and Winkler, Stefan and Huang, Shao-Syuan
            and Liu, Jie-Jyun and Lin, Chih-Jen},
  year = {2023},
  eprint = {2304.13998},
  archivePrefix = {arXiv}
}""",
    license="PhysioNet-Credentialed-Health-Data-License-1.5.0",
    license_source="PhysioNet page of MIMIC-IV (physionet.org/content/mimiciv); the benchmark repository ships only "
    "admission ids and code lists, the texts come from the user's credentialed copy",
    redistribution=Withheld(
        "credentialed access: the PhysioNet Credentialed Health Data License 1.5.0 and its data use agreement"
    ),
    access="credentialed",
    languages=("en",),
    text_source="Clinical Text",
    raw_files=(
        *(
            RawFile(path, f"{split} part written by the benchmark", required=False)
            for path, split in SPLIT_FILES.items()
        ),
        RawFile(ORDER_FILES["cm"], "ICD-10-CM order file, for code descriptions", required=False),
        RawFile(ORDER_FILES["pcs"], "ICD-10-PCS order file, for code descriptions", required=False),
        RawFile(CODE_FILES["cm"], "ICD-10-CM code file (without the order file)", required=False),
        RawFile(CODE_FILES["pcs"], "ICD-10-PCS code file (without the order file)", required=False),
    ),
    notes="Recipe only: records built from MIMIC must never be published. Admissions without codes or text are "
    "skipped and counted. The texts keep the benchmark's preprocessing (lower case, no punctuation).",
)

TASKS = (
    Task(
        "task116",
        "task116_mimic4_icd10_text_clissification",
        "Text Classification",
        "Below is the discharge summary of a hospital admission (lower-cased, punctuation removed). List all the "
        "ICD-10 codes billed for this admission, diagnoses (ICD-10-CM) and procedures (ICD-10-PCS), written "
        "without dots and separated by semicolons; you may follow each code with its description.",
        split_policy="official",
        notes="The benchmark's split (train and dev as train). The primary answer gives each code with its CMS "
        "description when the code tables are supplied; the codes alone are also accepted.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    descriptions = read_descriptions(_code_tables(ctx))
    seen: dict[str, str] = {}
    for name, split in SPLIT_FILES.items():
        path = ctx.optional(name)
        if path is None:
            continue
        for line, row in iter_csv(path, COLUMNS):
            where = f"line {line}"
            hadm, subject = row["hadm_id"].strip(), row["subject_id"].strip()
            if not hadm or not subject:
                raise RawFormatError(path, where, "subject_id and hadm_id must not be empty")
            if hadm in seen:
                raise RawFormatError(path, where, f"hadm_id {hadm} appears again (first in {seen[hadm]})")
            seen[hadm] = f"{Path(name).name}"
            codes = _codes(row["labels"], path, where)
            if not codes:
                ctx.skip("admission without codes")
                continue
            if not row["text"].strip():
                ctx.skip("admission without discharge text")
                continue
            bare = "; ".join(codes)
            described = "; ".join(f"{c}: {descriptions[c]}" if c in descriptions else c for c in codes)
            outputs = list(dict.fromkeys((described, bare)))
            meta = {"hadm_id": hadm, "codes": codes}
            yield Example("task116", hadm, row["text"], outputs, split=split, group=subject, meta=meta)


def _code_tables(ctx: BuildContext) -> list[Path]:
    """The CMS tables present, order files before code files, diagnoses before procedures."""
    tables = []
    for system in ("cm", "pcs"):
        for patterns in (ORDER_FILES, CODE_FILES):
            path = one_release(ctx.files(patterns[system]), f"ICD-10-{system.upper()} code table")
            if path is not None:
                tables.append(path)
                break
    return tables


def _codes(labels: str, path: Path, where: str) -> list[str]:
    codes = [c.strip().replace(".", "").upper() for c in labels.split(";") if c.strip()]
    bad = [c for c in codes if not CODE.match(c)]
    if bad:
        raise RawFormatError(path, where, f"labels hold {', '.join(map(repr, bad))}, not ICD-10 codes")
    return list(dict.fromkeys(codes))


BUILDER = Builder(CORPUS, TASKS, generate)
