"""RuMedBench (sb-ai-lab/MedBench): RuMedDaNet, yes/no questions about Russian medical passages.

Only RuMedDaNet feeds MedS-Ins (task61). Files are JSON Lines with context, question, answer (да/нет) and
pairID. Split: train_v1 is training data and dev_v1 (256 items, the size of the MedS-Bench file and of
MMedBench's Russian test set) is the test set. test_v1 is not used; see the task notes.
"""

from __future__ import annotations

from collections.abc import Iterator

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
    labelled,
)
from meds_ins.formats.jsonfiles import iter_json_lines, require

FOLDER = "data/RuMedDaNet"
FILE_SPLITS = {f"{FOLDER}/train_v1.jsonl": "train", f"{FOLDER}/dev_v1.jsonl": "test"}
UNUSED = f"{FOLDER}/test_v1.jsonl"
ANSWERS = {"да": "yes", "нет": "no"}

CORPUS = Corpus(
    id="rumedbench",
    name="RuMedBench",
    paper_names=("RuMedBench",),
    homepage="https://github.com/sb-ai-lab/MedBench",
    download="data/RuMedDaNet/ of github.com/sb-ai-lab/MedBench (train_v1.jsonl, dev_v1.jsonl)",
    citation="""@inproceedings{blinov2022rumedbench,
  title = {{RuMedBench}: A {R}ussian Medical Language Understanding Benchmark},
  author = {Blinov, Pavel and Reshetnikova, Arina and Nesterov, Aleksandr and Zubkova, Galina and
            Kokh, Vladimir},
  booktitle = {Artificial Intelligence in Medicine (AIME 2022)},
  series = {Lecture Notes in Computer Science},
  volume = {13263},
  pages = {383--392},
  year = {2022}
}""",
    license="Apache-2.0",
    license_source="LICENSE file of github.com/sb-ai-lab/MedBench",
    redistribution=BY_LICENCE,
    access="public",
    languages=("ru",),
    text_source="Medical Knowledge",
    raw_files=(
        RawFile(
            f"{FOLDER}/train_v1.jsonl", "RuMedDaNet training items, 1,052 lines (JSON Lines)", required=False
        ),
        RawFile(
            f"{FOLDER}/dev_v1.jsonl",
            "RuMedDaNet dev items, 256 lines; the MedS-Bench test set",
            required=False,
        ),
        RawFile(UNUSED, "RuMedDaNet test items (read only to count them as left out)", required=False),
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/sb-ai-lab/MedBench/dd57f4f4f11aebe4fd18011b109d96b6d331a1bf/data/RuMedDaNet/train_v1.jsonl",
            target="data/RuMedDaNet/train_v1.jsonl",
            size=1_184_847,
            sha256="d578427338e53635bcf11f4b0aaaa94f1f6dac6cbfffdc15c1440fce7f859de8",
        ),
        Download(
            "https://raw.githubusercontent.com/sb-ai-lab/MedBench/dd57f4f4f11aebe4fd18011b109d96b6d331a1bf/data/RuMedDaNet/dev_v1.jsonl",
            target="data/RuMedDaNet/dev_v1.jsonl",
            size=290_100,
            sha256="546531142765f55856f971fb748d6aa15ac51c52607f61f553fb6e8726cf590c",
        ),
        Download(
            "https://raw.githubusercontent.com/sb-ai-lab/MedBench/dd57f4f4f11aebe4fd18011b109d96b6d331a1bf/data/RuMedDaNet/test_v1.jsonl",
            target="data/RuMedDaNet/test_v1.jsonl",
            size=284_065,
            sha256="995519f1a354978369396870fb23e9ab62f25b60fc3a676bbe78d82edf726443",
        ),
    ),
    notes="The other RuMedBench tasks (RuMedTest, RuMedNLI, RuMedTop3, ...) are not part of MedS-Ins' task61 "
    "and are not read.",
)

TASKS = (
    Task(
        "task61",
        "task61_rumedbench_question_answering",
        "Question Answering",
        "Read the Russian medical passage and answer the yes/no question about it with one Russian word: "
        "да (yes) or нет (no).",
        input_languages=("ru",),
        in_bench=True,
        notes="Answers stay in Russian as in the source: да = yes, нет = no. dev_v1 is the test split (256 "
        "items, as in MedS-Bench); test_v1 has the same size, and which of the two MMedBench used is not "
        "recorded, so test_v1 is left out (counted as skips) rather than put in training.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    for name, split in FILE_SPLITS.items():
        path = ctx.optional(name)
        if path is None:
            continue
        for line, item in iter_json_lines(path):
            where = f"line {line}"
            require(item, ("context", "question", "answer", "pairID"), path, where)
            answer = item["answer"]
            if answer not in ANSWERS:
                raise RawFormatError(path, where, f"answer {answer!r} is not one of {', '.join(ANSWERS)}")
            text = labelled(("Context", item["context"]), ("Question", item["question"]))
            yield Example(
                "task61", str(item["pairID"]), text, answer, split=split, meta={"pair_id": item["pairID"]}
            )
    unused = ctx.optional(UNUSED)
    if unused is not None:
        ctx.skip(
            "RuMedDaNet test_v1 item (kept out of training and test)", sum(1 for _ in iter_json_lines(unused))
        )


BUILDER = Builder(CORPUS, TASKS, generate)
