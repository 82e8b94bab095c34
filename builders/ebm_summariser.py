"""EBM Summariser corpus: clinical questions from the Clinical Inquiries section of The Journal of Family
Practice, with evidence-based answers and the justifications behind them (one XML file).

Each <record> holds a <question> and an <answer> made of answer components (<snip>: a <sniptext>
statement with its strength-of-recommendation grade <sor>), each justified by one or more <long>
texts citing the studies (<ref>). No official split: 9:1 by record, shared by both tasks, so a
question's answer and its justifications are on the same side.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

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
    merge_same_input,
)
from meds_ins.formats.xmlfiles import attribute, child, children, read_xml, text_of

XML = "ClinicalInquiries.xml"

CORPUS = Corpus(
    id="ebm_summariser",
    name="EBM Summariser corpus",
    paper_names=("EBMSummariserCorpus",),
    homepage="https://sourceforge.net/projects/ebmsumcorpus/",
    download=f"{XML} from the code repository of sourceforge.net/projects/ebmsumcorpus (the Abstracts "
    "folder is not needed)",
    citation="""@inproceedings{molla2011development,
  title = {Development of a Corpus for Evidence Based Medicine Summarisation},
  author = {Moll{\\'a}, Diego and Santiago-Mart{\\'i}nez, Mar{\\'i}a Elena},
  booktitle = {Proceedings of the Australasian Language Technology Association Workshop 2011},
  pages = {86--94},
  year = {2011}
}""",
    license="unknown",
    license_source="README of sourceforge.net/projects/ebmsumcorpus: sourced from the Clinical Inquiries of "
    "The Journal of Family Practice 'with kind permission of the publishers to distribute to the research "
    "community'; no licence is named",
    redistribution=Withheld(
        "the publisher's permission covers distribution to the research community by the authors; "
        "no licence for copies is stated"
    ),
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=(
        RawFile(
            XML,
            "<record id> elements with <question> and <answer>/<snip id> (<sniptext>, <sor>, "
            "<long> with <longtext> and <ref>)",
        ),
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/GabrielPadure/healthAdvisorChatbot/a57783e7c7999f4b0d98150013b33b826dd97a36/PythonImplementation/Resources/RawData/ClinicalInquiries.xml",
            target="ClinicalInquiries.xml",
            size=2_636_737,
            sha256="44bee528717a0304e46aa851c7d794390269f2c3932591cefc0c1c5dcca7403e",
            note="third-party copy of ClinicalInquiries.xml (the SourceForge original could not be reached)",
        ),
    ),
    notes="Not marked redistributable: the publisher's permission covers distribution of the corpus to the "
    "research community by its authors, and no licence for derived copies is stated.",
)

TASKS = (
    Task(
        "task99",
        "task99_ebms_question_answering",
        "Question Answering",
        "Answer the clinical question below the way an evidence-based review for family physicians would: "
        "give the bottom-line answer in a few sentences.",
        split_policy="random-9:1",
        notes="The reference names no file for this task and infers its source; the EBM Summariser corpus "
        "fits its definition (clinical questions with evidence-based answers). The answer is the record's "
        "answer statements (sniptext) joined in order. 9:1 by a hash of the record id.",
    ),
    Task(
        "task100",
        "task100_ebms_answer_vertification",
        "Fact Verification",
        "Below is a clinical question and one statement from an evidence-based answer to it. Justify the "
        "statement: summarise the evidence from the studies that supports it.",
        split_policy="random-9:1",
        in_bench=True,
        notes="The released benchmark file paired each answer statement alone with one justification, so "
        "one statement recurred with many different references (304 instances over 110 distinct inputs). "
        "Here the input also carries the question, which makes statements of different records distinct, "
        "and all justifications (<long>) of a statement are the outputs of its single record, in document "
        "order. 9:1 by a hash of the record id, the same as task99.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    path = ctx.file(XML)
    examples = []
    for number, record in enumerate(children(read_xml(path), "record"), start=1):
        examples += _record(ctx, path, record, number)
    yield from merge_same_input(ctx, examples)


def _record(ctx: BuildContext, path: Path, record: ET.Element, number: int) -> list[Example]:
    record_id = attribute(record, "id", path, f"record number {number}")
    where = f"record {record_id}"
    question = text_of(child(record, "question", path, where), flat=True)
    if not question:
        raise RawFormatError(path, where, "empty <question>")
    answer = child(record, "answer", path, where, required=False)
    snips = children(answer, "snip") if answer is not None else []
    statements, examples = [], []
    for position, snip in enumerate(snips, start=1):
        snip_id = snip.get("id") or str(position)
        at = f"{where}, snip {snip_id}"
        statement = text_of(child(snip, "sniptext", path, at), flat=True)
        if not statement:
            ctx.skip("empty answer statement (sniptext)")
            continue
        statements.append(statement)
        texts = [
            text_of(child(long, "longtext", path, at, required=False), flat=True)
            for long in children(snip, "long")
        ]
        justifications = [t for t in texts if t]
        if len(justifications) < len(texts):
            ctx.skip("empty justification (longtext)", len(texts) - len(justifications))
        if not justifications:
            ctx.skip("answer statement without a justification")
            continue
        sor = snip.find("sor")
        meta = {"record": record_id, "snip": snip_id, "sor": sor.get("type", "") if sor is not None else ""}
        examples.append(
            Example(
                "task100",
                f"{record_id}-{snip_id}",
                labelled(("Question", question), ("Answer statement", statement)),
                justifications,
                group=record_id,
                meta=meta,
            )
        )
    if not statements:
        ctx.skip("question without an answer")
        return examples
    url = text_of(record.find("url"), flat=True)
    qa = Example("task99", record_id, question, " ".join(statements), group=record_id, meta={"url": url})
    return [qa, *examples]


BUILDER = Builder(CORPUS, TASKS, generate)
