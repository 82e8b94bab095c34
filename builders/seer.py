"""SEER breast cancer records: choose the sequence of radiation and surgery for a patient.

Recipe only: SEER data are released under a signed SEER Research Data Use Agreement, which forbids
passing individual-level data to anyone else. The builder reads the user's own Query_5_years.csv, the
SEER*Stat case listing of breast cancers used by MedS-Ins: one row per patient, with columns such as
"Age at diagnosis", "ER Status Recode Breast Cancer (1990+)", "CS tumor size (2004-2015)" and the target
"Radiation sequence with surgery".

The input lists the patient's characteristics at diagnosis as "column: value" lines, in file order. Columns
that give the answer away or describe what happened after treatment are left out of the input
(LEFT_OUT). No official split: 9:1 by patient profile (identical inputs stay together).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from meds_ins.builder import BuildContext, Builder, Corpus, Example, RawFile, RawFormatError, Task, Withheld
from meds_ins.formats.tables import iter_csv

TABLE = "Query_5_years.csv"
TARGET = "Radiation sequence with surgery"
PLANS = (
    "No radiation and/or cancer-directed surgery",
    "Radiation after surgery",
    "Radiation prior to surgery",
    "Radiation before and after surgery",
    "Intraoperative radiation",
    "Intraoperative rad with other rad before/after surgery",
    "Surgery both before and after radiation",
)
UNKNOWN_SEQUENCE = "Sequence unknown, but both were given"
# Compared after folding case and spaces. The radiation given gives the answer away; the rest are outcomes.
LEFT_OUT = (
    "radiation recode",
    "cod to site recode",
    "vital status recode (study cutoff used)",
    "last_fu _year",
    "interva_years",
    "stutus_5_years",
    "survival months",
    "patient id",
)
READABLE = {"diagnosis_year": "Year of diagnosis"}

CORPUS = Corpus(
    id="seer",
    name="SEER breast cancer treatment records",
    paper_names=("SEER",),
    homepage="https://seer.cancer.gov/data/",
    download="a case listing of breast cancers exported with SEER*Stat after signing the SEER Research Data Use "
    "Agreement (seer.cancer.gov/data/access.html), saved as Query_5_years.csv",
    citation="""@misc{seer_research_data,
  title = {Surveillance, Epidemiology, and End Results ({SEER}) Program Research Data},
  author = {{National Cancer Institute, DCCPS, Surveillance Research Program}},
  howpublished = {\\url{https://seer.cancer.gov}},
  note = {released under the SEER Research Data Use Agreement}
}""",
    license="SEER-Research-Data-Use-Agreement",
    license_source="SEER Research Data Use Agreement (seer.cancer.gov/data/agreements.html and sample-dua.html): "
    "use for research only, no release of the data to any other person",
    redistribution=Withheld(
        "SEER Research Data Use Agreement: research use only, no release of the data to any other person"
    ),
    access="credentialed",
    languages=("en",),
    text_source="Clinical Text",
    raw_files=(RawFile(TABLE, f"one row per patient; the target column is {TARGET!r}"),),
    notes="Recipe only: data under a signed data use agreement; records must never be published. The input "
    "leaves out the radiation given (Radiation recode, which reveals the answer) and what is known only after "
    "treatment (cause of death, vital status, follow-up years, 5-year status); the chemotherapy given is kept "
    "as context. Rows whose sequence is 'Sequence unknown, but both were given' or empty are skipped and "
    "counted, and so are rows repeating an earlier row's characteristics and plan (a case listing with few "
    "columns has many); patients with the same characteristics but different plans are kept, on one side of "
    "the split. Labels are skewed towards 'No radiation and/or cancer-directed surgery' and 'Radiation after "
    "surgery', as in the source.",
)

TASKS = (
    Task(
        "task131",
        "task131_SEER_text_classification_train",
        "Treatment Planning",
        "You are a doctor planning the treatment of a woman or man with breast cancer. From the patient's "
        "characteristics at diagnosis below, choose how radiation therapy and surgery should be sequenced. "
        f"Answer with exactly one of: {'; '.join(PLANS)}.",
        split_policy="random-9:1",
        in_bench=True,
        notes="Input: every column of Query_5_years.csv except the target and the columns named in the corpus "
        "notes, as 'column: value' lines. Output: the value of 'Radiation sequence with surgery' (the release "
        "prefixed it with 'The treatment planning is:'; the bench scorer looks for the plan itself). No official "
        "split; 9:1 by patient profile, so that rows with identical inputs stay on one side.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    path = ctx.file(TABLE)
    seen: set[bytes] = set()  # digests of (characteristics, plan) already yielded
    for line, row in iter_csv(path, (TARGET,)):
        plan = " ".join(row[TARGET].split())
        if not plan:
            ctx.skip("no radiation sequence recorded")
            continue
        if plan == UNKNOWN_SEQUENCE:
            ctx.skip("radiation and surgery both given, sequence unknown")
            continue
        if plan not in PLANS:
            raise RawFormatError(
                path,
                f"line {line}",
                f"{TARGET} is {plan!r}; expected one of {', '.join(PLANS)} or {UNKNOWN_SEQUENCE}",
            )
        fields = [
            f"{READABLE.get(_fold(column), column)}: {' '.join(value.split())}"
            for column, value in row.items()
            if column != TARGET and _fold(column) not in LEFT_OUT and value.strip()
        ]
        if not fields:
            raise RawFormatError(
                path, f"line {line}", "the row has no patient characteristics besides the target"
            )
        text = "\n".join(fields)
        digest = hashlib.blake2b(f"{text}\x00{plan}".encode(), digest_size=16).digest()
        if digest in seen:
            ctx.skip("same characteristics and plan as an earlier row")
            continue
        seen.add(digest)
        # Patients with the same characteristics stay on one side of the split (no copy of a test input in train).
        yield Example("task131", f"row{line}", text, plan, group=text)


def _fold(column: str) -> str:
    return " ".join(column.split()).lower()


BUILDER = Builder(CORPUS, TASKS, generate)
