"""MedQuAD: question-answer pairs built from 12 NIH websites, one XML document per topic.

No official split: a deterministic 9:1 split by document keeps all questions about one topic together.
Three MedlinePlus collections (A.D.A.M. encyclopedia, drugs, herbs and supplements) were released with
empty answers on purpose, for copyright reasons; their questions are counted as skipped.
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
    RawFile,
    RawFormatError,
    Task,
    merge_same_input,
)
from meds_ins.formats.xmlfiles import attribute, child, children, read_xml, text_of

DOCUMENTS = "*_QA*/*.xml"
# Collections whose answers the authors removed before release (MedlinePlus copyright), per the readme.
ANSWERS_REMOVED = {"10_MPlus_ADAM_QA", "11_MPlusDrugs_QA", "12_MPlusHerbsSupplements_QA"}

CORPUS = Corpus(
    id="medquad",
    name="MedQuAD",
    paper_names=("MedQuAD",),
    homepage="https://github.com/abachaa/MedQuAD",
    download="the 12 collection folders (1_CancerGov_QA ... 12_MPlusHerbsSupplements_QA) of github.com/abachaa/MedQuAD",
    citation="""@article{benabacha2019question,
  title = {A Question-Entailment Approach to Question Answering},
  author = {Ben Abacha, Asma and Demner-Fushman, Dina},
  journal = {BMC Bioinformatics},
  volume = {20},
  number = {1},
  pages = {511},
  year = {2019}
}""",
    license="CC-BY-4.0",
    license_source="LICENSE.txt and readme.txt of github.com/abachaa/MedQuAD",
    redistribution=BY_LICENCE,
    access="public",
    languages=("en",),
    text_source="Medical Knowledge",
    raw_files=(
        RawFile(
            DOCUMENTS,
            "one XML <Document> per topic in each collection folder, with <QAPairs> of <Question> and <Answer>",
        ),
    ),
    notes="Document ids repeat across collections (0000001 exists in several folders), so record keys "
    "carry the collection folder. Answers of the A.D.A.M., MedlinePlus Drugs and Herbs collections are "
    "empty upstream and skipped.",
)

TASKS = (
    Task(
        "task103",
        "task103_medquad_question_answering",
        "Question Answering",
        "Answer the health question below the way a trusted consumer health website of the U.S. National "
        "Institutes of Health would: accurate, complete and in plain language.",
        split_policy="random-9:1",
        notes="No official split; 9:1 by a hash of the source document, so questions on one topic stay "
        "together. A question asked in several documents (same wording) is one record whose outputs are "
        "all the distinct answers given to it.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    examples = []
    for path in ctx.files(DOCUMENTS):
        examples += _document(ctx, path)
    yield from merge_same_input(examples)


def _document(ctx: BuildContext, path: Path) -> list[Example]:
    root = read_xml(path)
    if root.tag != "Document":
        raise RawFormatError(path, "root element", f"expected <Document>, found <{root.tag}>")
    collection = path.parent.name
    doc_id = attribute(root, "id", path, "<Document>")
    where_doc = f"Document {doc_id}"
    pairs = child(root, "QAPairs", path, where_doc)
    examples = []
    for pair in children(pairs, "QAPair"):
        where = f"{where_doc}, QAPair {pair.get('pid', '?')}"
        question = child(pair, "Question", path, where)
        qid = attribute(question, "qid", path, where)
        question_text = text_of(question, flat=True)
        answer = text_of(child(pair, "Answer", path, where))
        if not question_text:
            raise RawFormatError(path, where, "empty <Question>")
        if not answer:
            removed = collection in ANSWERS_REMOVED
            ctx.skip("answer removed upstream (MedlinePlus copyright)" if removed else "empty answer")
            continue
        meta = {
            "qid": qid,
            "qtype": question.get("qtype", ""),
            "focus": text_of(root.find("Focus"), flat=True),
            "source": root.get("source", ""),
            "url": root.get("url", ""),
        }
        examples.append(
            Example(
                "task103",
                f"{collection}/{qid}",
                question_text,
                answer,
                group=f"{collection}/{doc_id}",
                meta=meta,
            )
        )
    return examples


BUILDER = Builder(CORPUS, TASKS, generate)
