"""DDXPlus: synthetic patients (age, sex, answers to a symptom questionnaire) with their pathology.

Patient files are CSV (or the zip archives they are distributed in) with columns AGE, SEX, PATHOLOGY,
EVIDENCES, INITIAL_EVIDENCE, DIFFERENTIAL_DIAGNOSIS; EVIDENCES holds codes such as `E_91`,
`E_55_@_V_14` (categorical value) or `E_56_@_4` (numeric value), explained by release_evidences.json.
Official split: train and validate files are train, the test file is test.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from meds_ins.builder import (
    BY_LICENCE,
    BuildContext,
    Builder,
    Corpus,
    Download,
    Example,
    RawFile,
    RawFormatError,
    Task,
)
from meds_ins.formats.jsonfiles import read_json, require
from meds_ins.formats.tables import iter_csv, iter_zipped_csv

PATIENT_COLUMNS = ("AGE", "SEX", "PATHOLOGY", "EVIDENCES", "INITIAL_EVIDENCE", "DIFFERENTIAL_DIAGNOSIS")
PATIENT_FILES = {"train": "train", "validate": "train", "test": "test"}
SEXES = {"M": "male", "F": "female"}

CORPUS = Corpus(
    id="ddxplus",
    name="DDXPlus",
    paper_names=("DDXPlus",),
    homepage="https://github.com/mila-iqia/ddxplus",
    download="the figshare release linked from github.com/mila-iqia/ddxplus: release_conditions.json, "
    "release_evidences.json and release_{train,validate,test}_patients (.zip or extracted .csv)",
    citation="""@inproceedings{tchango2022ddxplus,
  title = {DDXPlus: A New Dataset For Automatic Medical Diagnosis},
  author = {Fansi Tchango, Arsene and Goel, Rishab and Wen, Zhi and Martel, Julien and Ghosn, Joumana},
  booktitle = {Advances in Neural Information Processing Systems 35, Datasets and Benchmarks Track},
  year = {2022}
}""",
    license="CC-BY-4.0",
    license_source="README of github.com/mila-iqia/ddxplus ('released under CC-BY'; version not stated there)",
    redistribution=BY_LICENCE,
    access="public",
    languages=("en",),
    text_source="Clinical Text",
    raw_files=(
        RawFile("release_conditions.json", "the 49 pathologies with English and French names"),
        RawFile("release_evidences.json", "the evidences (questions) and the meaning of their values"),
        *(
            RawFile(f"release_{name}_patients.{ext}", f"patients of the {name} part ({kind})", required=False)
            for name in PATIENT_FILES
            for ext, kind in (("csv", "CSV"), ("zip", "zip archive holding the CSV"))
        ),
    ),
    sources=(
        Download(
            "https://figshare.com/articles/dataset/DDXPlus_Dataset_English_/22687585",
            target="DDXPlus (English release)",
            manual="figshare lists the files on the article page: download release_conditions.json, release_evidences.json and the three release_*_patients zips into the corpus folder",
        ),
    ),
    notes="Patients are synthetic (generated from a medical knowledge base), so the data holds no personal data.",
)

TASKS = (
    Task(
        "task130",
        "task130_DDXPlus_text_classification_train",
        "Diagnosis",
        "Below are a patient's age and sex and their answers to a questionnaire about symptoms and medical "
        "history, followed by a list of possible diagnoses. Reply with the single most likely diagnosis, "
        "written exactly as in the list.",
        in_bench=True,
        notes="The candidate diagnoses are listed in each input (the release definition embedded them in the "
        "instruction); the differential diagnosis of the release is kept in meta.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    conditions_path = ctx.file("release_conditions.json")
    evidences_path = ctx.file("release_evidences.json")
    names = _condition_names(conditions_path)
    evidences = _evidences(evidences_path)
    candidates = "Possible diagnoses: " + "; ".join(sorted(set(names.values()), key=str.lower))
    for part, split in PATIENT_FILES.items():
        for path, line, row in _patient_rows(ctx, part):
            where = f"line {line}"
            pathology = names.get(row["PATHOLOGY"])
            if pathology is None:
                raise RawFormatError(
                    path, where, f"PATHOLOGY {row['PATHOLOGY']!r} is not in release_conditions.json"
                )
            text = _describe(row, evidences, path, where)
            differential = _literal(row, "DIFFERENTIAL_DIAGNOSIS", path, where)
            meta = {"differential": [[names.get(n, n), p] for n, p in differential]}
            yield Example(
                "task130", f"{part}-{line}", f"{text}\n\n{candidates}", pathology, split=split, meta=meta
            )


def _patient_rows(ctx: BuildContext, part: str) -> Iterator[tuple[Path, int, dict[str, str]]]:
    """(file, line, row) of one part's patient table, from the .csv or from inside the .zip."""
    csv_path = ctx.optional(f"release_{part}_patients.csv")
    if csv_path is not None:
        for line, row in iter_csv(csv_path, PATIENT_COLUMNS):
            yield csv_path, line, row
        return
    zip_path = ctx.optional(f"release_{part}_patients.zip")
    if zip_path is not None:
        yield from iter_zipped_csv(zip_path, PATIENT_COLUMNS)


def _condition_names(path: Path) -> dict[str, str]:
    """Every spelling of a pathology (key, French, English) -> its English name."""
    data = read_json(path)
    if not isinstance(data, dict):
        raise RawFormatError(path, None, "expected an object keyed by pathology name")
    names = {}
    for key, item in data.items():
        require(item, ("condition_name", "cond-name-eng"), path, f"condition {key!r}")
        if not isinstance(item["cond-name-eng"], str):
            raise RawFormatError(path, f"condition {key!r}", "cond-name-eng must be a string")
        english = item["cond-name-eng"].strip()
        for spelling in (key, item["condition_name"], item.get("cond-name-fr"), english):
            if spelling:
                names[spelling] = english
    return names


def _evidences(path: Path) -> dict[str, Mapping[str, Any]]:
    data = read_json(path)
    if not isinstance(data, dict):
        raise RawFormatError(path, None, "expected an object keyed by evidence code")
    for code, item in data.items():
        require(
            item, ("question_en", "is_antecedent", "value_meaning", "data_type"), path, f"evidence {code!r}"
        )
    return data


def _literal(row: Mapping[str, str], column: str, path: Path, where: str) -> list[Any]:
    """A Python list literal of the release ("['E_48', 'E_54_@_V_161']").

    Read as JSON once single quotes are swapped, which is many times faster than ast.literal_eval on
    millions of rows; strings that hold an apostrophe (written with double quotes) fall back to ast.
    """
    text = row[column]
    try:
        value = json.loads(text.replace("'", '"'))
    except ValueError:
        value = None
    try:
        if value is None:
            value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise RawFormatError(path, where, f"{column} is not a list literal: {row[column][:80]!r}") from None
    if not isinstance(value, list):
        raise RawFormatError(path, where, f"{column} must be a list, got {type(value).__name__}")
    return value


def _describe(
    row: Mapping[str, str], evidences: Mapping[str, Mapping[str, Any]], path: Path, where: str
) -> str:
    """The patient in plain English: demographics, initial complaint, symptoms, medical history."""
    answers: dict[str, list[str]] = {}
    for token in _literal(row, "EVIDENCES", path, where):
        code, _, value = str(token).partition("_@_")
        item = evidences.get(code)
        if item is None:
            raise RawFormatError(path, where, f"evidence {code!r} is not in release_evidences.json")
        answers.setdefault(code, [])
        if value:
            meaning = item["value_meaning"].get(value)
            answers[code].append(meaning["en"].strip() if meaning else value)
    initial = evidences.get(row["INITIAL_EVIDENCE"])
    if initial is None:
        raise RawFormatError(path, where, f"INITIAL_EVIDENCE {row['INITIAL_EVIDENCE']!r} is unknown")
    sex = SEXES.get(row["SEX"].strip().upper())
    if sex is None:
        raise RawFormatError(path, where, f"SEX {row['SEX']!r} is not M or F")
    lines = [
        f"Patient: {sex}, age {row['AGE'].strip()}.",
        f"First complaint: {initial['question_en'].strip()}",
    ]
    for heading, antecedent in (("Symptoms", False), ("Medical history", True)):
        entries = [
            f"- {evidences[c]['question_en'].strip()} {', '.join(v) if v else 'Yes'}"
            for c, v in answers.items()
            if bool(evidences[c]["is_antecedent"]) is antecedent
        ]
        if entries:
            lines += [f"{heading}:", *entries]
    return "\n".join(lines)


BUILDER = Builder(CORPUS, TASKS, generate)
