"""WikiDoc question answering, as released by the MedAlpaca project in its Medical Meadow collection.

WikiDoc is a collaborative medical wiki with two parts. MedAlpaca crawled both and published them as
Alpaca-style records {instruction, input, output} (instruction: one fixed sentence; input: the question;
output: the answer):

- medical_meadow_wikidoc.json: the "Living Textbook"; GPT-3.5 turned each paragraph heading into a
  question and the paragraph is the answer (the authors warn that about 30% of the conversions are poor);
- medical_meadow_wikidoc_patient_info.json: the "Patient Information" pages, whose section headings
  already are questions.

No official split: 9:1 by question, so a question asked twice stays on one side.
"""

from __future__ import annotations

from collections.abc import Iterator

from meds_ins.builders._medical_meadow import CITATION, SOURCE_CHOICE, question_answer_examples

from meds_ins.builder import BuildContext, Builder, Corpus, Download, Example, RawFile, Task, Withheld

FILES = {
    "task69": "medical_meadow_wikidoc.json",
    "task70": "medical_meadow_wikidoc_patient_info.json",
}

CORPUS = Corpus(
    id="wikidoc",
    name="WikiDoc (Medical Meadow)",
    paper_names=("WikiDoc",),
    homepage="https://www.wikidoc.org",
    download="medical_meadow_wikidoc.json from huggingface.co/datasets/medalpaca/medical_meadow_wikidoc and "
    "medical_meadow_wikidoc_patient_info.json from "
    "huggingface.co/datasets/medalpaca/medical_meadow_wikidoc_patient_information",
    citation=CITATION,
    license="unknown",
    license_source="the Hugging Face card of medalpaca/medical_meadow_wikidoc is tagged 'license: cc' without "
    "naming a Creative Commons licence; DATA_DESCIPTION.md of github.com/kbressem/medAlpaca states none",
    redistribution=Withheld(
        "its card is tagged 'license: cc' without naming which Creative Commons licence, so its "
        "conditions (non-commercial, share-alike, no derivatives) are unknown"
    ),
    access="public",
    languages=("en",),
    text_source="Medical Knowledge",
    raw_files=(
        RawFile(
            FILES["task69"], "Living Textbook Q&A: JSON array of {instruction, input, output}", required=False
        ),
        RawFile(
            FILES["task70"],
            "Patient Information Q&A: JSON array of {instruction, input, output}",
            required=False,
        ),
    ),
    sources=(
        Download(
            "hf://datasets/medalpaca/medical_meadow_wikidoc@main/medical_meadow_wikidoc.json",
            target="medical_meadow_wikidoc.json",
            note="revision main; no checksum could be read",
        ),
        Download(
            "hf://datasets/medalpaca/medical_meadow_wikidoc_patient_information@main/medical_meadow_wikidoc_patient_info.json",
            target="medical_meadow_wikidoc_patient_info.json",
            note="revision main; no checksum could be read",
        ),
    ),
    notes="Answers are WikiDoc paragraphs; the Living Textbook questions were written by GPT-3.5 from "
    "headings and MedAlpaca reports that about 30% of them are poor. A question-answer pair repeated word "
    "for word is kept once.",
)

TASKS = (
    Task(
        "task69",
        "task69_wikidoc_textbook_question_answering",
        "Question Answering",
        "Answer the following question as a physician would, drawing on standard medical knowledge. Write the "
        "answer as a short explanatory paragraph.",
        split_policy="random-9:1",
        notes=SOURCE_CHOICE
        + "which describe task 69 as professional medical questions: the WikiDoc Living Textbook.",
    ),
    Task(
        "task70",
        "task70_wikidoc_patient_information_question_answering",
        "Question Answering",
        "Answer the question below about a disease or condition: what it is, its causes, symptoms, diagnosis, "
        "treatment or outlook. Write a clear paragraph a patient can follow.",
        split_policy="random-9:1",
        notes=SOURCE_CHOICE
        + "which describe task 70 as questions about different diseases: the WikiDoc Patient "
        "Information pages, written disease by disease.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    for task_id, name in FILES.items():
        path = ctx.optional(name)
        if path is None:
            continue
        yield from question_answer_examples(ctx, task_id, path)


BUILDER = Builder(CORPUS, TASKS, generate)
