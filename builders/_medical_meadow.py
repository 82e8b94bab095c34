"""Shared by the builders of Medical Meadow releases (wikidoc, medalpaca): the MedAlpaca project's files of
Alpaca-style records {instruction, input, output}, where `instruction` is one fixed sentence, `input` the
question and `output` the answer. Not a builder itself (the leading underscore keeps it out of the catalog).

Tasks 40 and 69-71 come from WikiDoc, MedAlpaca or LIMA according to the reference. Task 40 is built from
the MedAlpaca flashcards, 69 and 70 from the two WikiDoc files. Task 71 is not built: its description
(professional medical questions) matches 69 and the only source left, LIMA, is general-domain instruction
data with no marker of medical content, so using it would mean inventing a selection.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from meds_ins.builder import BuildContext, Example
from meds_ins.formats.jsonfiles import iter_text_records

CITATION = """@article{han2023medalpaca,
  title = {MedAlpaca -- An Open-Source Collection of Medical Conversational AI Models and Training Data},
  author = {Han, Tianyu and Adams, Lisa C. and Papaioannou, Jens-Michalis and Grundmann, Paul and
            Oberhauser, Tom and L{\\"o}ser, Alexander and Truhn, Daniel and Bressem, Keno K.},
  journal = {arXiv preprint arXiv:2304.08247},
  year = {2023}
}"""

# Why tasks 40 and 69-71 go where they go; each task's notes finish the sentence.
SOURCE_CHOICE = (
    "The reference names WikiDoc, MedAlpaca and LIMA as the sources of tasks 40 and 69-71 without saying "
    "which is which; the source chosen here follows the MedS-Ins task definitions "
    "(Evaluation/RewriteDefinitions.json of github.com/MAGIC-AI4Med/MedS-Ins), "
)


def question_answer_examples(ctx: BuildContext, task_id: str, path: Path) -> Iterator[Example]:
    """One example per record: the question in, the answer out; split 9:1 by question."""
    seen: set[tuple[str, str]] = set()
    for where, texts in iter_text_records(path, ("instruction", "input", "output")):
        question, answer = texts["input"], texts["output"]
        if not question or not answer:
            ctx.skip(f"{path.name}: question or answer empty")
            continue
        if (question, answer) in seen:
            ctx.skip(f"{path.name}: question-answer pair repeated word for word")
            continue
        seen.add((question, answer))
        yield Example(task_id, where.replace(" ", ""), question, answer, group=question)
