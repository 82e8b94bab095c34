"""cMedQA2: Chinese questions from an online medical community, each with one or more doctors' answers.

The release ships every table zipped on its own: question.zip (question.csv: question_id, content),
answer.zip (answer.csv: ans_id, question_id, content) and the split files train_candidates.zip
(question_id, pos_ans_id, neg_ans_id: one row per right/wrong answer pair) and dev_/test_candidates.zip
(question_id, ans_id, cnt, label: a ranked candidate list, label 1 for a right answer). Extracted
.csv/.txt files are read as well. Official split: train and dev questions are training data, test
questions the test set; each record is a question with its right answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from meds_ins.builder import (
    BY_LICENCE,
    BuildContext,
    Builder,
    Corpus,
    Download,
    Example,
    MissingRawFilesError,
    RawFile,
    Task,
    missing_message,
)
from meds_ins.formats.tables import iter_csv, iter_zipped_csv

# table -> (extracted file name, columns)
TABLES = {
    "question": ("question.csv", ("question_id", "content")),
    "answer": ("answer.csv", ("ans_id", "question_id", "content")),
    "train_candidates": ("train_candidates.txt", ("question_id", "pos_ans_id", "neg_ans_id")),
    "dev_candidates": ("dev_candidates.txt", ("question_id", "ans_id", "cnt", "label")),
    "test_candidates": ("test_candidates.txt", ("question_id", "ans_id", "cnt", "label")),
}
PARTS = {"test_candidates": "test", "dev_candidates": "train", "train_candidates": "train"}  # test first
DESCRIPTIONS = {
    "question": "every question: question_id, content",
    "answer": "every answer: ans_id, question_id, content",
    "train_candidates": "training split: question_id, pos_ans_id, neg_ans_id",
    "dev_candidates": "dev split: question_id, ans_id, cnt, label",
    "test_candidates": "test split: question_id, ans_id, cnt, label",
}

CORPUS = Corpus(
    id="cmedqa2",
    name="cMedQA2",
    paper_names=("CMedQA2",),
    homepage="https://github.com/zhangsheng93/cMedQA2",
    download="the five zip files of github.com/zhangsheng93/cMedQA2 (question, answer, train/dev/test "
    "candidates); extracted files work too",
    citation="""@article{zhang2018multiscale,
  title = {Multi-Scale Attentive Interaction Networks for {C}hinese Medical Question Answer Selection},
  author = {Zhang, Sheng and Zhang, Xin and Wang, Hui and Guo, Lixiang and Liu, Shanshan},
  journal = {IEEE Access},
  volume = {6},
  pages = {74061--74071},
  year = {2018},
  doi = {10.1109/ACCESS.2018.2883637}
}""",
    license="GPL-3.0",
    license_source="LICENSE file of github.com/zhangsheng93/cMedQA2 (GPL-3.0); its README says the data is "
    "available for non-commercial research",
    redistribution=BY_LICENCE,
    access="public",
    languages=("zh",),
    text_source="Daily Conversation",
    raw_files=tuple(
        RawFile(f"{table}.{ext}", f"{DESCRIPTIONS[table]} ({kind})", required=False)
        for table, (extracted, _) in TABLES.items()
        for ext, kind in ((extracted.rsplit(".", 1)[1], "extracted"), ("zip", "zip archive as released"))
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/zhangsheng93/cMedQA2/85feb9278c3ae552c591205cbf3e828368c91f8f/question.zip",
            target="question.zip",
            git_blob="d2a52ca01f33b513b00c6c110dc963d69c716130",
        ),
        Download(
            "https://raw.githubusercontent.com/zhangsheng93/cMedQA2/85feb9278c3ae552c591205cbf3e828368c91f8f/answer.zip",
            target="answer.zip",
            git_blob="592508bb7500a3656ea76cf817009d4625acd83d",
        ),
        Download(
            "https://raw.githubusercontent.com/zhangsheng93/cMedQA2/85feb9278c3ae552c591205cbf3e828368c91f8f/train_candidates.zip",
            target="train_candidates.zip",
            git_blob="728eab844e477a75f8e10dde517d222d130f9e69",
        ),
        Download(
            "https://raw.githubusercontent.com/zhangsheng93/cMedQA2/85feb9278c3ae552c591205cbf3e828368c91f8f/dev_candidates.zip",
            target="dev_candidates.zip",
            size=2_395_726,
            sha256="3301b55cddbdd512f6960fb4ed72fd27c7b00db2ed3f10e88d0c2764263a379e",
        ),
        Download(
            "https://raw.githubusercontent.com/zhangsheng93/cMedQA2/85feb9278c3ae552c591205cbf3e828368c91f8f/test_candidates.zip",
            target="test_candidates.zip",
            size=2_394_296,
            sha256="d358f5d6b5711a39942e3798f45b5a66887393d1858e88aa1953925e0b630c07",
        ),
    ),
    notes="The README restricts use to non-commercial research although the licence file is GPL-3.0. The "
    "data is anonymised by its authors. Wrong-answer candidates are not used. Both the question and the "
    "answer table are needed by every split; a missing one is named before anything is read. Defects, "
    "skipped and counted: a candidate row whose label is neither 0 nor 1, a question missing from the "
    "question table, a question whose right answer is missing from the answer table.",
)

TASKS = (
    Task(
        "task120",
        "task120_cmedqa2_question_answering",
        "Question Answering",
        "A patient asked this question on a Chinese online health forum. Answer it in Chinese as a doctor "
        "would: briefly, with practical advice.",
        input_languages=("zh",),
        notes="One record per question; its outputs are all the answers the candidate files mark right "
        "(pos_ans_id for train, label 1 for dev and test). Official split: train and dev for training, test for "
        "testing; a question listed in the test candidates is never used for training.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    if not any(_table_file(ctx, part) for part in PARTS):
        return
    absent = [
        RawFile(f"{table}.zip (or the extracted {TABLES[table][0]})", DESCRIPTIONS[table])
        for table in ("question", "answer")
        if not _table_file(ctx, table)
    ]
    if absent:  # every split needs both tables: say so before reading anything
        raise MissingRawFilesError(missing_message(CORPUS, ctx.raw_root, absent))
    parts = {part: _right_answers(ctx, part) for part in PARTS}
    questions = _texts(ctx, "question", "question_id")
    answers = _texts(ctx, "answer", "ans_id")
    emitted: set[str] = set()
    for part, split in PARTS.items():
        for qid, answer_ids in parts[part].items():
            if qid in emitted:
                ctx.skip(f"question already used by an earlier split ({part} copy left out)")
                continue
            emitted.add(qid)
            if qid not in questions:
                ctx.skip("question whose question_id is not in the question table")
                continue
            if not answer_ids:
                ctx.skip("no candidate answer marked right (label 1)")
                continue
            if any(a not in answers for a in answer_ids):
                ctx.skip("question with a right answer id that is not in the answer table")
                continue
            texts = [answers[a] for a in answer_ids if answers[a].strip()]
            if not questions[qid].strip() or not texts:
                ctx.skip("question or all its right answers empty")
                continue
            yield Example("task120", qid, questions[qid], texts, split=split, meta={"answer_ids": answer_ids})


def _table_file(ctx: BuildContext, table: str) -> Path | None:
    """The extracted file of a table, or else its zip archive; None when the user has neither."""
    return ctx.optional(TABLES[table][0]) or ctx.optional(f"{table}.zip")


def _rows(ctx: BuildContext, table: str) -> Iterator[dict[str, str]]:
    """The rows of a table, from the extracted file or else from its zip archive."""
    path, columns = _table_file(ctx, table), TABLES[table][1]
    if path is None:
        return
    if path.suffix == ".zip":
        yield from (row for _, _, row in iter_zipped_csv(path, columns))
    else:
        yield from (row for _, row in iter_csv(path, columns))


def _texts(ctx: BuildContext, table: str, id_column: str) -> dict[str, str]:
    """id -> content of the question or answer table, which every split needs."""
    return {row[id_column].strip(): row["content"] for row in _rows(ctx, table)}


def _right_answers(ctx: BuildContext, part: str) -> dict[str, list[str]]:
    """question_id -> right answer ids in first-seen order, for one split file."""
    found: dict[str, list[str]] = {}
    for row in _rows(ctx, part):
        right = found.setdefault(row["question_id"].strip(), [])
        if part == "train_candidates":
            answer = row["pos_ans_id"].strip()
        elif row["label"].strip() == "1":
            answer = row["ans_id"].strip()
        elif row["label"].strip() == "0":
            continue
        else:
            ctx.skip("candidate row with a label other than 0 or 1")
            continue
        if answer not in right:
            right.append(answer)
    return found


BUILDER = Builder(CORPUS, TASKS, generate)
