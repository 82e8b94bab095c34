"""MedAlpaca's medical flashcards (Medical Meadow): question-answer pairs made from the Anki Medical
Curriculum flashcards.

Medical students write and maintain these Anki cards across the curriculum (anatomy, physiology,
pathology, pharmacology...). The MedAlpaca authors dropped cards with images and had GPT-3.5 rephrase the
rest into short question-answer pairs, published as medical_meadow_wikidoc_medical_flashcards.json:
Alpaca-style records {instruction, input, output} with the question in `input`. No official split: 9:1 by
question.
"""

from __future__ import annotations

from collections.abc import Iterator

from meds_ins.builders._medical_meadow import CITATION, SOURCE_CHOICE, question_answer_examples

from meds_ins.builder import BuildContext, Builder, Corpus, Download, Example, RawFile, Task, Withheld

FILE = "medical_meadow_wikidoc_medical_flashcards.json"

CORPUS = Corpus(
    id="medalpaca",
    name="MedAlpaca Medical Flashcards (Medical Meadow)",
    paper_names=("MedAlpaca",),
    homepage="https://github.com/kbressem/medAlpaca",
    download=f"{FILE} from huggingface.co/datasets/medalpaca/medical_meadow_medical_flashcards",
    citation=CITATION,
    license="unknown",
    license_source="the Hugging Face card of medalpaca/medical_meadow_medical_flashcards is tagged 'license: cc' "
    "without naming a Creative Commons licence; DATA_DESCIPTION.md of github.com/kbressem/medAlpaca states none",
    redistribution=Withheld(
        "its card is tagged 'license: cc' without naming which Creative Commons licence, so its "
        "conditions (non-commercial, share-alike, no derivatives) are unknown"
    ),
    access="public",
    languages=("en",),
    text_source="Medical Knowledge",
    raw_files=(RawFile(FILE, "JSON array of {instruction, input, output}: flashcard question and answer"),),
    sources=(
        Download(
            "hf://datasets/medalpaca/medical_meadow_medical_flashcards@main/medical_meadow_wikidoc_medical_flashcards.json",
            target="medical_meadow_wikidoc_medical_flashcards.json",
            sha256="662df293582782ba1eb2aa7f73127dc320c677ba0d7c2c2bec219efc257f939c",
            note="revision main: its commit id could not be read, but the sha256 pins the file",
        ),
    ),
    notes="Only the flashcards are read: the other Medical Meadow files repackage other public corpora "
    "(MedQA, MEDIQA, MMLU, CORD-19, PubMed health advice and causal language) or are WikiDoc, which has its "
    "own builder. A question-answer pair repeated word for word is kept once.",
)

TASKS = (
    Task(
        "task40",
        "task40_medalpaca_medical_flashcards_question_answering",
        "Question Answering",
        "Here is a short medical question of the kind found on study flashcards, about drugs, diseases, "
        "diagnosis, treatment or the basic sciences. Answer it briefly: a word, a phrase or a sentence or two "
        "is enough.",
        split_policy="random-9:1",
        notes=SOURCE_CHOICE
        + "which describe task 40 as informally asked medical questions whose answer may be "
        "a word, a phrase or a sentence: the Anki flashcard pairs of MedAlpaca.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    yield from question_answer_examples(ctx, "task40", ctx.file(FILE))


BUILDER = Builder(CORPUS, TASKS, generate)
