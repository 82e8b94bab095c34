"""MedicationQA: consumers' questions about medicines with answers from trusted sources (xlsx).

Annotators answered some questions with several rows (one per aspect or source section); those rows
are one record whose answer joins them in row order. Rows the annotators marked as unanswerable carry
placeholder answers ('No answers', 'Unanswerable', 'n/a') and are skipped. No official split: 9:1 by a
hash of the row of the question's first answer.
"""

from __future__ import annotations

from collections.abc import Iterator

from meds_ins.builder import (
    BuildContext,
    Builder,
    Corpus,
    Download,
    Example,
    RawFile,
    RawFormatError,
    Task,
    Withheld,
)
from meds_ins.formats.tables import iter_xlsx

WORKBOOK = "MedInfo2019-QA-Medications.xlsx"
SHEET = "DrugQA"
COLUMNS = ("Question", "Focus (Drug)", "Question Type", "Answer", "Section Title", "URL")
PLACEHOLDERS = {"no answers", "no answer", "unanswerable", "n/a", "na"}

CORPUS = Corpus(
    id="medicationqa",
    name="MedicationQA",
    paper_names=("MedicationQA",),
    homepage="https://github.com/abachaa/Medication_QA_MedInfo2019",
    download=f"{WORKBOOK} from github.com/abachaa/Medication_QA_MedInfo2019",
    citation="""@inproceedings{benabacha2019bridging,
  title = {Bridging the Gap Between Consumers' Medication Questions and Trusted Answers},
  author = {Ben Abacha, Asma and Mrabet, Yassine and Sharp, Mark and Goodwin, Travis R. and
            Shooshan, Sonya E. and Demner-Fushman, Dina},
  booktitle = {MEDINFO 2019: Health and Wellbeing e-Networks for All},
  pages = {25--29},
  year = {2019}
}""",
    license="unknown",
    license_source="github.com/abachaa/Medication_QA_MedInfo2019 states no licence (no licence file; the "
    "README asks for a citation only)",
    redistribution=Withheld(
        "no licence or statement allowing redistribution found: the README asks for a citation only"
    ),
    access="public",
    languages=("en",),
    text_source="Daily Conversation",
    raw_files=(RawFile(WORKBOOK, f"workbook with sheet {SHEET!r}: columns {', '.join(COLUMNS)}"),),
    sources=(
        Download(
            "https://raw.githubusercontent.com/abachaa/Medication_QA_MedInfo2019/8756adc5f4bb99f6bcff690a13921337d9f9bb7e/MedInfo2019-QA-Medications.xlsx",
            target="MedInfo2019-QA-Medications.xlsx",
            size=163_497,
            sha256="4f13d0e3b195bd6a5d72a1872f9118cb5f69fd02c370001695330cfc9e3b5832",
        ),
    ),
)

TASKS = (
    Task(
        "task65",
        "task65_medicationqa_question_answering",
        "Question Answering",
        "Someone asked the question below about a medicine, in their own words. Answer it with accurate "
        "information of the kind found in drug labels and consumer drug references.",
        split_policy="random-9:1",
        notes="No official split; 9:1 by a hash of the question's wording (case, punctuation and spacing "
        "aside), so near-identical questions stay on one side. Rows answering the same question (same "
        "wording, case and spacing aside) are joined into one answer in row order, so every input is "
        "distinct, and each joined row is counted; rows whose answer is a placeholder for 'unanswerable' "
        "are skipped and counted.",
        audit_exceptions={
            "audit.truncated-reference": "some answers were cut off with an ellipsis by the curators where they quote long drug-label passages",
            "audit.personal-data": "answers quote the public phone numbers of manufacturers and poison centres given in drug information",
        },
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    path = ctx.file(WORKBOOK)
    questions: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for row, cells in iter_xlsx(path, SHEET, ("Question", "Answer")):
        if not cells["Question"]:
            raise RawFormatError(path, f"sheet {SHEET!r}, row {row}", "an answer without a question")
        if not cells["Answer"] or cells["Answer"].casefold() in PLACEHOLDERS:
            ctx.skip("no answer (the question was marked unanswerable)")
            continue
        same = " ".join(cells["Question"].split()).casefold()
        questions.setdefault(same, []).append((row, cells))
    for rows in questions.values():
        first_row, first = rows[0]
        answers = list(dict.fromkeys(cells["Answer"] for _, cells in rows))
        if len(rows) > len(answers):
            ctx.skip("question repeated with the same answer (kept once)", len(rows) - len(answers))
        if len(answers) > 1:
            ctx.skip("question repeated (answers joined into one record)", len(answers) - 1)
        meta = {
            "rows": [row for row, _ in rows],
            "focus": first.get("Focus (Drug)", ""),
            "question_types": list(dict.fromkeys(c.get("Question Type", "") for _, c in rows)),
            "urls": [c.get("URL", "") for _, c in rows],
        }
        yield Example("task65", f"row{first_row}", first["Question"], "\n\n".join(answers), meta=meta)


BUILDER = Builder(CORPUS, TASKS, generate)
