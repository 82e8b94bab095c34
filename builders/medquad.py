"""MedQuAD: question-answer pairs built from 12 NIH websites, one XML document per topic.

No official split: a deterministic 9:1 split by document keeps all questions about one topic together.
Three MedlinePlus collections (A.D.A.M. encyclopedia, drugs, herbs and supplements) were released with
empty answers on purpose, for copyright reasons; their questions are counted as skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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
            "one XML document per topic in each collection folder (<Document>, with <QAPairs> of <Question> and "
            "<Answer>)",
        ),
    ),
    sources=(
        Download(
            "https://codeload.github.com/abachaa/MedQuAD/zip/577bd37b96c02d1833b2c9eed2de9f96964e96cb",
            mirrors=(
                "https://github.com/abachaa/MedQuAD/archive/577bd37b96c02d1833b2c9eed2de9f96964e96cb.zip",
            ),
            unpack="zip",
            strip="MedQuAD-577bd37b96c02d1833b2c9eed2de9f96964e96cb/",
            members=("*_QA*/*.xml",),
            content_sha256="f435689408badb8552f156e749e9c2b830b37922179d47ea7e453bce59b02de7",
            note="the repository at the commit, as GitHub packs it on request; the 11,274 XML files kept are checked",
        ),
    ),
    notes="Document ids repeat across collections (0000001 exists in several folders), so record keys "
    "carry the collection folder. Answers of the A.D.A.M., MedlinePlus Drugs and Herbs collections are "
    "empty upstream and skipped. Variants, read: the root <DiseaseFile> (id in 'fid'; 9_CDC_QA/0000397.xml) "
    "and an older lower-case schema <doc docid corpus>, <doctitle-focus>, <qaPairs>/<pair>/<question>, "
    "<answer> (four files of 6_NINDS_QA); any other root stops the build. The sub-topic files of two "
    "CancerGov pages (1_CancerGov_QA/0000013_2_1.xml ... 0000013_3_4.xml) repeat their parent's document "
    "id and question ids for different questions: they are distinct items, keyed "
    "<collection>/<file stem>/<qid> and kept with their parent page in the split; every other key is "
    "<collection>/<qid>. Defects, skipped and counted: a pair with an empty answer (5 in GARD), a pair "
    "without a question or its id or with several, a document without pairs. A question asked again (same wording) is "
    "merged into its first record and counted.",
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


@dataclass(frozen=True)
class Schema:
    """Where one XML schema of the release keeps what a record needs."""

    id: str  # attribute of the root: the document id
    source: str  # attribute of the root: the website
    focus: str
    pairs: str
    pair: str
    question: str
    answer: str


# By root element. Nearly every file is a <Document>; 9_CDC_QA/0000397.xml has the root <DiseaseFile>,
# and four NINDS files (0000007, 0000018, 0000182, 0000244) an older lower-case schema.
SCHEMAS = {
    "Document": Schema("id", "source", "Focus", "QAPairs", "QAPair", "Question", "Answer"),
    "DiseaseFile": Schema("fid", "source", "Focus", "QAPairs", "QAPair", "Question", "Answer"),
    "doc": Schema("docid", "corpus", "doctitle-focus", "qaPairs", "pair", "question", "answer"),
}


def generate(ctx: BuildContext) -> Iterator[Example]:
    examples = []
    for path in ctx.files(DOCUMENTS):
        examples += _document(ctx, path)
    yield from merge_same_input(ctx, examples)


def _document(ctx: BuildContext, path: Path) -> list[Example]:
    root = read_xml(path)
    schema = SCHEMAS.get(root.tag)
    if schema is None:
        expected = " or ".join(f"<{tag}>" for tag in SCHEMAS)
        raise RawFormatError(path, "root element", f"expected {expected}, found <{root.tag}>")
    collection = path.parent.name
    doc_id = attribute(root, schema.id, path, f"<{root.tag}>")
    # Sub-topic files (1_CancerGov_QA/0000013_2_1.xml ...) repeat their parent page's document id and
    # question ids; their keys carry the file name, and every other key stays <collection>/<qid>.
    prefix = f"{collection}/" if path.stem == doc_id else f"{collection}/{path.stem}/"
    pairs = child(root, schema.pairs, path, f"{root.tag} {doc_id}", required=False)
    if pairs is None:
        ctx.skip("document without question-answer pairs")
        return []
    examples = []
    for pair in children(pairs, schema.pair):
        questions, answers = children(pair, schema.question), children(pair, schema.answer)
        if len(questions) > 1 or len(answers) > 1:
            ctx.skip("question-answer pair with several questions or answers")
            continue
        question = questions[0] if questions else None
        qid = question.get("qid") if question is not None else None
        question_text = text_of(question, flat=True)
        answer = text_of(answers[0]) if answers else ""
        if not qid or not question_text:
            ctx.skip("question-answer pair without a question or its id")
            continue
        if not answer:
            removed = collection in ANSWERS_REMOVED
            ctx.skip("answer removed upstream (MedlinePlus copyright)" if removed else "empty answer")
            continue
        meta = {
            "qid": qid,
            "qtype": question.get("qtype", ""),
            "focus": text_of(root.find(schema.focus), flat=True),
            "source": root.get(schema.source, ""),
            "url": root.get("url", ""),
            "file": f"{collection}/{path.name}",
        }
        group = f"{collection}/{doc_id}"
        examples.append(Example("task103", prefix + qid, question_text, answer, group=group, meta=meta))
    return examples


BUILDER = Builder(CORPUS, TASKS, generate)
