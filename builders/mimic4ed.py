"""MIMIC-IV-ED benchmark (nliulab/mimic4ed-benchmark): emergency-department stays with three outcomes.

Recipe only: MIMIC-IV and MIMIC-IV-ED are credentialed PhysioNet data. This builder runs on the
master_dataset.csv that the benchmark's extract_master_dataset.py writes from a user's own MIMIC copy
(or on the train.csv / test.csv of its data_general_processing.py); its records are never published.

Split: train.csv / test.csv when given (the benchmark's own split), else a deterministic 9:1 split of
master_dataset.csv by patient (subject_id), so that no patient appears on both sides.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
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
    random_split,
)
from meds_ins.formats.tables import iter_csv

OUTCOMES = {
    "task117": "outcome_hospitalization",
    "task118": "outcome_ed_revisit_3d",
    "task119": "outcome_critical",
}
TRUE, FALSE = "True", "False"
BOOLEANS = {"true": True, "1": True, "1.0": True, "false": False, "0": False, "0.0": False}

# Triage-time information (all three tasks), as (column, label).
TRIAGE = (
    ("age", "Age"),
    ("gender", "Sex"),
    ("n_ed_30d", "ED visits in the previous 30 days"),
    ("n_ed_90d", "ED visits in the previous 90 days"),
    ("n_ed_365d", "ED visits in the previous year"),
    ("n_hosp_30d", "Hospital admissions in the previous 30 days"),
    ("n_hosp_90d", "Hospital admissions in the previous 90 days"),
    ("n_hosp_365d", "Hospital admissions in the previous year"),
    ("n_icu_30d", "ICU stays in the previous 30 days"),
    ("n_icu_90d", "ICU stays in the previous 90 days"),
    ("n_icu_365d", "ICU stays in the previous year"),
    ("triage_temperature", "Triage temperature"),
    ("triage_heartrate", "Triage heart rate (/min)"),
    ("triage_resprate", "Triage respiratory rate (/min)"),
    ("triage_o2sat", "Triage oxygen saturation (%)"),
    ("triage_sbp", "Triage systolic blood pressure (mmHg)"),
    ("triage_dbp", "Triage diastolic blood pressure (mmHg)"),
    ("triage_pain", "Triage pain score (0-10)"),
    ("triage_acuity", "Triage acuity (ESI, 1 = most urgent)"),
    ("chiefcomplaint", "Chief complaint"),
)
# Information known at ED disposition (the revisit task, decided at discharge from the ED).
DISPOSITION = (
    ("ed_temperature_last", "Last ED temperature"),
    ("ed_heartrate_last", "Last ED heart rate (/min)"),
    ("ed_resprate_last", "Last ED respiratory rate (/min)"),
    ("ed_o2sat_last", "Last ED oxygen saturation (%)"),
    ("ed_sbp_last", "Last ED systolic blood pressure (mmHg)"),
    ("ed_dbp_last", "Last ED diastolic blood pressure (mmHg)"),
    ("ed_los", "Length of ED stay"),
    ("n_med", "Medications given in the ED"),
    ("n_medrecon", "Medications reconciled at ED arrival"),
)
# Charlson (cci_) and Elixhauser (eci_) comorbidity flags of the benchmark, in plain words.
COMORBIDITIES = {
    "cci_MI": "myocardial infarction",
    "cci_CHF": "congestive heart failure",
    "cci_PVD": "peripheral vascular disease",
    "cci_Stroke": "cerebrovascular disease",
    "cci_Dementia": "dementia",
    "cci_Pulmonary": "chronic pulmonary disease",
    "cci_Rheumatic": "rheumatic disease",
    "cci_PUD": "peptic ulcer disease",
    "cci_Liver1": "mild liver disease",
    "cci_DM1": "diabetes without complications",
    "cci_DM2": "diabetes with complications",
    "cci_Paralysis": "hemiplegia or paraplegia",
    "cci_Renal": "renal disease",
    "cci_Cancer1": "cancer",
    "cci_Liver2": "moderate or severe liver disease",
    "cci_Cancer2": "metastatic solid tumour",
    "cci_HIV": "HIV/AIDS",
    "eci_Arrhythmia": "cardiac arrhythmia",
    "eci_Valvular": "valvular disease",
    "eci_PHTN": "pulmonary circulation disorder",
    "eci_HTN1": "hypertension without complications",
    "eci_HTN2": "hypertension with complications",
    "eci_NeuroOther": "other neurological disorder",
    "eci_Hypothyroid": "hypothyroidism",
    "eci_Lymphoma": "lymphoma",
    "eci_Coagulopathy": "coagulopathy",
    "eci_Obesity": "obesity",
    "eci_WeightLoss": "weight loss",
    "eci_FluidsLytes": "fluid and electrolyte disorder",
    "eci_BloodLoss": "blood loss anaemia",
    "eci_Anemia": "deficiency anaemia",
    "eci_Alcohol": "alcohol abuse",
    "eci_Drugs": "drug abuse",
    "eci_Psychoses": "psychosis",
    "eci_Depression": "depression",
}
REQUIRED = ("subject_id", "stay_id", *OUTCOMES.values(), *(c for c, _ in TRIAGE))

CORPUS = Corpus(
    id="mimic4ed",
    name="MIMIC-IV-ED benchmark",
    paper_names=("MIMIC4ED Benchmark",),
    homepage="https://github.com/nliulab/mimic4ed-benchmark",
    download="MIMIC-IV and MIMIC-IV-ED from PhysioNet (credentialed access, signed data use agreement), then "
    "master_dataset.csv from the benchmark's Benchmark_scripts/extract_master_dataset.py",
    citation="""@article{xie2022benchmarking,
  title = {Benchmarking emergency department prediction models with machine learning and public electronic
           health records},
  author = {Xie, Feng and Zhou, Jun and Lee, Jin Wee and Tan, Mingrui and Li, Siqi and Rajnthern, Logasan and
            Chee, Marcel Lucas and Chakraborty, Bibhas and Wong, An-Kwok Ian and Dagan, Alon and Ong, Marcus Eng
            Hock and Gao, Fei and Liu, Nan},
  journal = {Scientific Data},
  volume = {9},
  pages = {658},
  year = {2022}
}""",
    license="PhysioNet-Credentialed-Health-Data-License-1.5.0",
    license_source="PhysioNet page of MIMIC-IV (physionet.org/content/mimiciv); MIMIC-IV-ED is distributed by "
    "PhysioNet under credentialed access as well",
    redistribution=Withheld(
        "credentialed access: the PhysioNet Credentialed Health Data License 1.5.0 and its data use agreement"
    ),
    access="credentialed",
    languages=("en",),
    text_source="Clinical Text",
    raw_files=(
        RawFile(
            "master_dataset.csv", "one row per ED stay, written by extract_master_dataset.py", required=False
        ),
        RawFile("train.csv", "training part written by data_general_processing.py", required=False),
        RawFile("test.csv", "test part written by data_general_processing.py", required=False),
    ),
    notes="Recipe only: records built from MIMIC must never be published. Stays of patients under 18 are left "
    "out, as in the benchmark's cohort.",
)

_SHARED = "Answer with one word, True or False."
TASKS = (
    Task(
        "task117",
        "task117_mimic4ed_benchmark_hospitalization",
        "Clinical Outcome Prediction",
        "From the triage information of an emergency department visit below, predict whether the patient will "
        "be admitted to the hospital. " + _SHARED,
        split_policy="official",
        in_bench=True,
        notes="Outcome column outcome_hospitalization.",
    ),
    Task(
        "task118",
        "task118_mimic4ed_72h_ed_revisit_disposition",
        "Clinical Outcome Prediction",
        "A patient is being discharged from the emergency department. From the visit information below, predict "
        "whether they will return to the emergency department within 72 hours. " + _SHARED,
        split_policy="official",
        in_bench=True,
        notes="Outcome column outcome_ed_revisit_3d; only stays not admitted to hospital, as in the benchmark.",
    ),
    Task(
        "task119",
        "task119_mimic4ed_benchmark_critical_triage",
        "Clinical Outcome Prediction",
        "From the triage information of an emergency department visit below, predict whether the patient will "
        "have a critical outcome (death in hospital or transfer to intensive care within 12 hours). "
        + _SHARED,
        split_policy="official",
        in_bench=True,
        notes="Outcome column outcome_critical.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    train, test = ctx.optional("train.csv"), ctx.optional("test.csv")
    if train or test:
        sources = [(p, s) for p, s in ((train, "train"), (test, "test")) if p is not None]
    else:
        sources = [(ctx.file("master_dataset.csv"), None)]
    for path, split in sources:
        for line, row in iter_csv(path, REQUIRED):
            where = f"line {line}"
            age = _number(row["age"])
            if age is not None and age < 18:
                ctx.skip("patient under 18 (outside the benchmark cohort)")
                continue
            outcomes = {task: _boolean(row, column, path, where) for task, column in OUTCOMES.items()}
            triage = _describe(row, TRIAGE)
            common = {
                "split": split or random_split(CORPUS.id, row["subject_id"]),
                "group": row["subject_id"],
            }
            key = row["stay_id"].strip()
            for task in ("task117", "task119"):
                yield Example(task, key, triage, TRUE if outcomes[task] else FALSE, **common)
            if outcomes["task117"]:
                ctx.skip("task118: stay admitted to hospital (no ED discharge to revisit from)")
            else:
                text = triage + "\n" + _describe(row, DISPOSITION)
                yield Example("task118", key, text.strip(), TRUE if outcomes["task118"] else FALSE, **common)


def _describe(row: Mapping[str, str], fields: tuple[tuple[str, str], ...]) -> str:
    lines = [
        f"{label}: {_value(row[column])}"
        for column, label in fields
        if column in row and _value(row[column]) is not None
    ]
    if fields is TRIAGE:
        present = [
            name for column, name in COMORBIDITIES.items() if BOOLEANS.get(row.get(column, "").lower())
        ]
        lines.append("Comorbidities: " + (", ".join(present) if present else "none recorded"))
    return "\n".join(lines)


def _value(raw: str) -> str | None:
    text = raw.strip()
    if not text or text.lower() in ("nan", "none", "null"):
        return None
    number = _number(text)
    if number is not None and number.is_integer() and "." in text:
        return str(int(number))
    return text


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return None if math.isnan(value) else value


def _boolean(row: Mapping[str, str], column: str, path: Path, where: str) -> bool:
    value = BOOLEANS.get(row[column].strip().lower())
    if value is None:
        raise RawFormatError(path, where, f"{column} is {row[column]!r}; expected True/False or 1/0")
    return value


BUILDER = Builder(CORPUS, TASKS, generate)
