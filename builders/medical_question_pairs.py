"""Medical Question Pairs (MQP, Curai): patient questions paired with a doctor's rewrite that asks the same
thing or something different.

One header-less CSV (CRLF): doctor id, question 1, question 2, label (1 similar, 0 different). For each
question 1 the doctors wrote one similar and one different question 2, so the rows come in pairs. No
official split: 9:1 by question 1, so both rewrites of a question stay on the same side.
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
    labelled,
)
from meds_ins.formats.tables import iter_csv

FILE = "mqp.csv"
COLUMNS = ("dr_id", "question_1", "question_2", "label")
LABELS = {"1": "Similar", "0": "Dissimilar"}

CORPUS = Corpus(
    id="medical_question_pairs",
    name="Medical Question Pairs",
    paper_names=("Medical Question Pair Dataset",),
    homepage="https://github.com/curai/medical-question-pair-dataset",
    download=f"{FILE} from github.com/curai/medical-question-pair-dataset",
    citation="""@inproceedings{mccreery2020effective,
  title = {Effective Transfer Learning for Identifying Similar Questions: Matching User Questions to COVID-19 FAQs},
  author = {McCreery, Clara H. and Katariya, Namit and Kannan, Anitha and Chablani, Manish and Amatriain, Xavier},
  booktitle = {Proceedings of the 26th ACM SIGKDD International Conference on Knowledge Discovery and Data Mining},
  pages = {3458--3465},
  year = {2020}
}""",
    license="unknown",
    license_source="github.com/curai/medical-question-pair-dataset has no licence file and its README states no licence",
    redistribution=Withheld(
        "no licence or statement allowing redistribution found: the README describes the data "
        "only (the first questions are rewritten from a HealthTap crawl)"
    ),
    access="public",
    languages=("en",),
    text_source="Daily Conversation",
    raw_files=(
        RawFile(FILE, "header-less CSV: doctor id, question 1, question 2, label (1 similar, 0 different)"),
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/curai/medical-question-pair-dataset/6c7f7fd7a53cedc6fec105c0c6cb78f2e9a82cd1/mqp.csv",
            target="mqp.csv",
            size=665_688,
            sha256="94ecd609a9ca9350e1cff2438aa55a034762f01c1a68732aaae3e4be7b03cf57",
        ),
    ),
)

TASKS = (
    Task(
        "task38",
        "task38_medical_question_pairs_similarity",
        "Text Retrieval",
        "Two questions a patient might ask are shown below. Decide whether the second one asks for the same "
        "information as the first, even if it is worded differently. Answer 'Similar' if it does and "
        "'Dissimilar' if it asks about something else.",
        split_policy="random-9:1",
        notes="Framed as in MedS-Ins: judging whether a candidate question matches the query question (the "
        "relevance decision of retrieval). No official split; 9:1 by question 1, so the similar and the "
        "different rewrite of a question stay together.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    path = ctx.file(FILE)
    for line, row in iter_csv(path, COLUMNS, columns=COLUMNS):
        label = row["label"].strip()
        if label not in LABELS:
            raise RawFormatError(path, f"line {line}", f"label {label!r} is not 1 (similar) or 0 (different)")
        first, second = row["question_1"].strip(), row["question_2"].strip()
        if not first or not second:
            ctx.skip("question 1 or question 2 empty")
            continue
        yield Example(
            "task38",
            f"line{line}",
            labelled(("Question 1", first), ("Question 2", second)),
            LABELS[label],
            group=first,
            meta={"dr_id": row["dr_id"].strip()},
        )


BUILDER = Builder(CORPUS, TASKS, generate)
