"""PMC-Patients: patient summaries taken from case reports in PubMed Central, with demographics and the
articles relevant to each patient.

The builder reads PMC-Patients.csv of the Hugging Face release (zhengyun21/PMC-Patients): patient_id,
patient_uid (PMID-x), PMID, file_path, title (of the source article), patient (the summary), age (a list of
[value, unit] pairs written as a Python literal, e.g. "[[1.0, 'year'], [2.0, 'month']]"), gender (M/F),
relevant_articles (PMIDs of relevant articles with a relevance score, a dict literal) and similar_patients.
The table is read twice, streaming: once for the titles of the source articles, once for the tasks.

No official split for these tasks: 9:1 by source article (PMID), so the patients of one article stay together.
"""

from __future__ import annotations

import ast
import hashlib
import re
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
    multiple_choice,
)
from meds_ins.formats.tables import iter_csv

TABLE = "PMC-Patients.csv"
COLUMNS = ("patient_uid", "PMID", "title", "patient", "age", "gender", "relevant_articles")
GENDERS = {"M": "male", "F": "female"}
UNITS = ("year", "month", "week", "day", "hour")
OPTIONS = 5  # answer options of the retrieval task
MAX_RELEVANT = 2
MIN_SENTENCES = 4

CORPUS = Corpus(
    id="pmc_patients",
    name="PMC-Patients",
    paper_names=("PMC-Patient",),
    homepage="https://github.com/pmc-patients/pmc-patients",
    download="PMC-Patients.csv from huggingface.co/datasets/zhengyun21/PMC-Patients",
    citation="""@article{zhao2023pmcpatients,
  title = {A large-scale dataset of patient summaries for retrieval-based clinical decision support systems},
  author = {Zhao, Zhengyun and Jin, Qiao and Chen, Fangyuan and Peng, Tuorui and Yu, Sheng},
  journal = {Scientific Data},
  volume = {10},
  pages = {909},
  year = {2023}
}""",
    license="CC-BY-NC-SA-4.0",
    license_source="dataset card of huggingface.co/datasets/zhengyun21/PMC-Patients (license: cc-by-nc-sa-4.0); the "
    "MedS-Ins reference recorded CC-BY-SA-4.0 from the ncbi/Open-Patients licence, a different redistribution",
    redistribution=BY_LICENCE,
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=(RawFile(TABLE, "one row per patient summary (167k in the 2023 release)"),),
    sources=(
        Download(
            "hf://datasets/zhengyun21/PMC-Patients@e5fbe0205e8fcc14332cc455539797c2853f88d3/PMC-Patients.csv",
            target="PMC-Patients.csv",
            size=544_883_095,
            sha256="97f41501c8fb05e1c5e0ec35b6509d0f354cca86777ae8db9ff2f204ce2eef20",
            mirrors=(
                "hf://datasets/THUMedInfo/PMC-Patients@640b0dd9279f6ff81de4ebd997f88aed3d884de5/PMC-Patients.csv",
            ),
            note="the 2023 upload of the authors' Hub dataset (the THUMedInfo copy has the same sha256)",
        ),
    ),
    notes="Non-commercial, share-alike licence. Summaries are split into sentences with a simple rule (end "
    "punctuation before a capital, common abbreviations kept together). The retrieval task uses only relevant "
    "articles that are themselves PMC-Patients source articles, since only their titles are in the table.",
)

TASKS = (
    Task(
        "task73",
        "task73_pmc_patient_case_report_completion",
        "Text Completion",
        "Here is the beginning of a patient summary from a published case report. Continue it: write the rest "
        "of the case, as the report would go on to describe it.",
        split_policy="random-9:1",
        notes="Name chosen here (the reference gives none) and source inferred. The last third of the summary's "
        f"sentences (at least one) is the answer; summaries of fewer than {MIN_SENTENCES} sentences are "
        "skipped. 9:1 by source article.",
    ),
    Task(
        "task74",
        "task74_pmc_patient_case_report_basic_information_extraction",
        "Information Extraction",
        "Read the patient summary from a case report and extract the patient's sex and age. Answer in two "
        "lines: 'Gender: male' or 'Gender: female', then 'Age: ' followed by the age with its unit (for "
        "example 'Age: 45 years' or 'Age: 1 year 2 months').",
        split_policy="random-9:1",
        in_bench=True,
        notes="Answers from the gender and age columns (the release wrote them as 'Gender: F' and the raw age "
        "list; here in words, with the raw values in meta). 9:1 by source article.",
    ),
    Task(
        "task75",
        "task75_pmc_patient_relevant_article_retrieval",
        "Text Retrieval",
        "Below is a patient summary and a list of article titles. Pick the articles that are relevant to this "
        "patient (articles on similar cases or cited for them). Answer with the letters of all relevant "
        "articles.",
        split_policy="random-9:1",
        notes="Name chosen here (the reference gives none) and source inferred: patient-to-article retrieval as "
        f"in the PMC-Patients benchmark, as a choice among {OPTIONS} titles, up to {MAX_RELEVANT} of them "
        "relevant and the others drawn from unrelated source articles by a hash of the patient id. 9:1 by source "
        "article.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    path = ctx.file(TABLE)
    titles: dict[str, str] = {}
    for _, row in iter_csv(path, COLUMNS):
        titles.setdefault(row["PMID"].strip(), " ".join(row["title"].split()))
    pool = sorted(p for p, t in titles.items() if t)
    for line, row in iter_csv(path, COLUMNS):
        where = f"line {line}"
        uid, pmid, summary = row["patient_uid"].strip(), row["PMID"].strip(), " ".join(row["patient"].split())
        if not uid or not pmid:
            raise RawFormatError(path, where, "patient_uid and PMID must not be empty")
        if not summary:
            ctx.skip("empty patient summary")
            continue
        yield from _completion(ctx, uid, pmid, summary)
        yield from _demographics(ctx, path, where, uid, pmid, summary, row)
        yield from _retrieval(ctx, path, where, uid, pmid, summary, row, titles, pool)


def _completion(ctx: BuildContext, uid: str, pmid: str, summary: str) -> Iterator[Example]:
    sentences = split_sentences(summary)
    if len(sentences) < MIN_SENTENCES:
        ctx.skip(f"task73: summary of fewer than {MIN_SENTENCES} sentences")
        return
    cut = len(sentences) - max(1, len(sentences) // 3)
    yield Example("task73", uid, " ".join(sentences[:cut]), " ".join(sentences[cut:]), group=pmid)


def _demographics(
    ctx: BuildContext, path: Path, where: str, uid: str, pmid: str, summary: str, row: Mapping[str, str]
) -> Iterator[Example]:
    gender = row["gender"].strip()
    if gender and gender not in GENDERS:
        raise RawFormatError(path, where, f"gender {gender!r} is not M or F")
    age = _age(row["age"], path, where)
    if not gender or not age:
        ctx.skip("task74: gender or age not given")
        return
    answer = f"Gender: {GENDERS[gender]}\nAge: {describe_age(age)}"
    meta = {"gender": gender, "age": [list(part) for part in age]}
    yield Example("task74", uid, summary, answer, group=pmid, meta=meta)


def _retrieval(
    ctx: BuildContext,
    path: Path,
    where: str,
    uid: str,
    pmid: str,
    summary: str,
    row: Mapping[str, str],
    titles: Mapping[str, str],
    pool: list[str],
) -> Iterator[Example]:
    relevant_all = [p for p in _pmids(row["relevant_articles"], path, where) if p != pmid and titles.get(p)]
    if not relevant_all:
        ctx.skip("task75: no relevant article among the PMC-Patients source articles")
        return
    relevant = sorted(relevant_all)[:MAX_RELEVANT]
    excluded = {pmid, *relevant_all}
    seen_titles = {titles[p] for p in relevant}
    distractors: list[str] = []
    for attempt in range(20 * OPTIONS):  # draws by hash; a few collisions are expected
        if len(relevant) + len(distractors) == OPTIONS:
            break
        candidate = pool[_hash(f"{uid}\x00{attempt}") % len(pool)]
        if candidate not in excluded and titles[candidate] not in seen_titles:
            distractors.append(candidate)
            seen_titles.add(titles[candidate])
    if not distractors:
        ctx.skip("task75: too few other source articles to draw distractors from")
        return
    chosen = sorted(relevant + distractors, key=lambda p: _hash(f"{uid}\x00{p}"))
    letters = "ABCDEFGHIJ"
    options = {letters[i]: titles[p] for i, p in enumerate(chosen)}
    answers = [letters[i] for i, p in enumerate(chosen) if p in relevant]
    text, outputs, meta = multiple_choice(
        f"Patient summary: {summary}", options, answers, options_label="Articles"
    )
    meta |= {"pmids": chosen, "relevant": relevant}
    yield Example("task75", uid, text, outputs, group=pmid, meta=meta)


# ---------------------------------------------------------------------------------------------
# Field parsers


def _literal(value: str, column: str, path: Path, where: str) -> Any:
    text = value.strip()
    if not text:
        return None
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        raise RawFormatError(path, where, f"{column} is not a Python literal: {text[:60]!r}") from None


def _age(value: str, path: Path, where: str) -> list[tuple[float, str]]:
    parsed = _literal(value, "age", path, where) or []
    if not isinstance(parsed, (list, tuple)) or not all(_is_age_part(part) for part in parsed):
        raise RawFormatError(
            path, where, f"age must be a list of [value, unit] pairs (unit in {', '.join(UNITS)})"
        )
    return [(float(value), unit) for value, unit in parsed]


def _is_age_part(part: Any) -> bool:
    return (
        isinstance(part, (list, tuple))
        and len(part) == 2
        and isinstance(part[0], (int, float))
        and part[1] in UNITS
    )


def describe_age(age: list[tuple[float, str]]) -> str:
    """[[1.0, 'year'], [2.0, 'month']] -> '1 year 2 months'."""
    parts = []
    for value, unit in age:
        number = str(int(value)) if value.is_integer() else f"{value:g}"
        parts.append(f"{number} {unit}{'' if value == 1 else 's'}")
    return " ".join(parts)


def _pmids(value: str, path: Path, where: str) -> list[str]:
    parsed = _literal(value, "relevant_articles", path, where)
    if parsed is None:
        return []
    if isinstance(parsed, dict):
        parsed = list(parsed)
    if not isinstance(parsed, (list, tuple)):
        raise RawFormatError(path, where, "relevant_articles must be a dict or a list of PMIDs")
    return [str(p).strip() for p in parsed]


# Sentence ends: . ! or ? followed by space and a capital, digit or bracket; not after these abbreviations.
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Dr|Mr|Mrs|Ms|Prof|St|Jr|vs|al|Fig|Figs|No|approx|ca|e\.g|i\.e)|\b[A-Z])\.$"
)


def split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for piece in _BOUNDARY.split(text.strip()):
        if sentences and _ABBREVIATION.search(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return [s for s in sentences if s]


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


BUILDER = Builder(CORPUS, TASKS, generate)
