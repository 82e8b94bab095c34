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
    Example,
    MissingRawFilesError,
    RawFile,
    RawFormatError,
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
    notes="The README restricts use to non-commercial research although the licence file is GPL-3.0. The "
    "data is anonymised by its authors. Wrong-answer candidates are not used.",
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
    parts = {part: _right_answers(ctx, part) for part in PARTS}
    if not any(parts.values()):
        return
    questions = _texts(ctx, "question", "question_id")
    answers = _texts(ctx, "answer", "ans_id")
    emitted: set[str] = set()
    for part, split in PARTS.items():
        for qid, (path, line, answer_ids) in parts[part].items():
            if qid in emitted:
                ctx.skip(f"question already used by an earlier split ({part} copy left out)")
                continue
            emitted.add(qid)
            if qid not in questions:
                raise RawFormatError(path, f"line {line}", f"question_id {qid} is not in question.csv")
            if not answer_ids:
                ctx.skip("no candidate answer marked right (label 1)")
                continue
            missing = [a for a in answer_ids if a not in answers]
            if missing:
                raise RawFormatError(
                    path, f"line {line}", f"answer id(s) {', '.join(missing)} not in answer.csv"
                )
            texts = [answers[a] for a in answer_ids if answers[a].strip()]
            if not questions[qid].strip() or not texts:
                ctx.skip("question or all its right answers empty")
                continue
            yield Example("task120", qid, questions[qid], texts, split=split, meta={"answer_ids": answer_ids})


def _rows(ctx: BuildContext, table: str, needed: bool = False) -> Iterator[tuple[Path, int, dict[str, str]]]:
    """(file, line, row) of a table, from the extracted file or else from its zip archive."""
    extracted, columns = TABLES[table]
    path = ctx.optional(extracted)
    if path is not None:
        for line, row in iter_csv(path, columns):
            yield path, line, row
        return
    archive = ctx.optional(f"{table}.zip")
    if archive is not None:
        yield from iter_zipped_csv(archive, columns)
    elif needed:
        wanted = [f for f in CORPUS.raw_files if f.path in (extracted, f"{table}.zip")]
        raise MissingRawFilesError(missing_message(CORPUS, ctx.raw_root, wanted))


def _texts(ctx: BuildContext, table: str, id_column: str) -> dict[str, str]:
    """id -> content of the question or answer table, which every split needs."""
    return {row[id_column].strip(): row["content"] for _, _, row in _rows(ctx, table, needed=True)}


def _right_answers(ctx: BuildContext, part: str) -> dict[str, tuple[Path, int, list[str]]]:
    """question_id -> (file, first line, right answer ids in first-seen order) of one split file."""
    found: dict[str, tuple[Path, int, list[str]]] = {}
    for path, line, row in _rows(ctx, part):
        qid = row["question_id"].strip()
        entry = found.setdefault(qid, (path, line, []))
        if part == "train_candidates":
            answer = row["pos_ans_id"].strip()
        elif row["label"].strip() == "1":
            answer = row["ans_id"].strip()
        elif row["label"].strip() == "0":
            continue
        else:
            raise RawFormatError(path, f"line {line}", f"label {row['label']!r} is not 0 or 1")
        if answer not in entry[2]:
            entry[2].append(answer)
    return found


BUILDER = Builder(CORPUS, TASKS, generate)
