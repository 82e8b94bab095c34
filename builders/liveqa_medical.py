"""TREC 2017 LiveQA Medical: questions consumers sent to the U.S. National Library of Medicine, with
reference answers that NLM assessors found on trusted websites (XML).

The released test set is the only part still distributed: the authors withdrew the training files
from their repository. Without an official train part, the 104 test questions are split 9:1.
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
    merge_same_input,
)
from meds_ins.formats.xmlfiles import attribute, child, children, read_xml, text_of

# Two releases of the same questions; the one with NLM summaries is read when both are present.
QUESTIONS = (
    "TestDataset/TREC-2017-LiveQA-Medical-Test-Questions-w-summaries.xml",
    "TestDataset/TREC-2017-LiveQA-Medical-Test.xml",
)
# The release spells the answer element two ways, sometimes in the same file.
ANSWER_TAGS = ("ReferenceAnswer", "RefAnswer")

CORPUS = Corpus(
    id="liveqa_medical",
    name="TREC 2017 LiveQA Medical",
    paper_names=("LiveQA",),
    homepage="https://github.com/abachaa/LiveQA_MedicalTask_TREC2017",
    download="TestDataset/ of github.com/abachaa/LiveQA_MedicalTask_TREC2017",
    citation="""@inproceedings{benabacha2017overview,
  title = {Overview of the Medical Question Answering Task at TREC 2017 LiveQA},
  author = {Ben Abacha, Asma and Agichtein, Eugene and Pinter, Yuval and Demner-Fushman, Dina},
  booktitle = {Proceedings of the Twenty-Sixth Text REtrieval Conference (TREC 2017)},
  year = {2017}
}""",
    license="unknown",
    license_source="github.com/abachaa/LiveQA_MedicalTask_TREC2017 states no licence (no licence file; "
    "Readme.txt asks for a citation)",
    redistribution=Withheld(
        "no licence or statement allowing redistribution found: Readme.txt asks for a citation only"
    ),
    access="public",
    languages=("en",),
    text_source="Daily Conversation",
    raw_files=(
        RawFile(
            QUESTIONS[0], "test questions with reference answers and NLM question summaries", required=False
        ),
        RawFile(
            QUESTIONS[1],
            "the same test questions and reference answers without summaries (read only when the "
            "file with summaries is absent)",
            required=False,
        ),
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/abachaa/LiveQA_MedicalTask_TREC2017/3f5a42ccbaa0b8ff1c665a6dc23785740ab0f09f/TestDataset/TREC-2017-LiveQA-Medical-Test-Questions-w-summaries.xml",
            target="TestDataset/TREC-2017-LiveQA-Medical-Test-Questions-w-summaries.xml",
            size=266_041,
            sha256="f6384fcf03e9b1bd0d9a15f6ea1a1aafc9491082e63fef0922ae2d6bc451805b",
        ),
        Download(
            "https://raw.githubusercontent.com/abachaa/LiveQA_MedicalTask_TREC2017/3f5a42ccbaa0b8ff1c665a6dc23785740ab0f09f/TestDataset/TREC-2017-LiveQA-Medical-Test.xml",
            target="TestDataset/TREC-2017-LiveQA-Medical-Test.xml",
            size=256_744,
            sha256="be321b6708d1cfffe7117ac36fb98c88ad0b457185b48cc6cec80fbf810e8046",
        ),
    ),
    notes="The training files (TREC-2017-LiveQA-Medical-Train-1/2.xml) were deleted by the authors and are "
    "not used. The qrels file judges answers of participating systems, not reference answers, and is "
    "not used either.",
)

TASKS = (
    Task(
        "task62",
        "task62_liveqa_medical_filtered_conversation",
        "Dialogue",
        "A member of the public sent the message below to a medical library's question service. Reply to "
        "them with a helpful, accurate answer drawn from trusted health information.",
        split_policy="random-9:1",
        notes="Input is the consumer's original message (subject and message); outputs are the reference "
        "answers NLM assessors selected for it, the first one primary. 'Filtered' is read as keeping only "
        "these vetted reference answers, not the judged answers of participating systems. The training "
        "files were withdrawn upstream, so the 104 test questions are split 9:1 by a hash of the message's "
        "wording (case, punctuation and spacing aside), which keeps near-identical messages on one side.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    path = next(filter(None, (ctx.optional(name) for name in QUESTIONS)), None)
    if path is None:  # check_raw_files already requires one of them
        return
    root = read_xml(path)
    examples = []
    for question in children(root, "NLM-QUESTION"):
        qid = attribute(question, "qid", path, "<NLM-QUESTION>")
        where = f"NLM-QUESTION {qid}"
        original = child(question, "Original-Question", path, where)
        subject = text_of(child(original, "SUBJECT", path, where, required=False), flat=True)
        message = text_of(child(original, "MESSAGE", path, where, required=False), flat=True)
        if not subject and not message:
            raise RawFormatError(path, where, "the original question has neither SUBJECT nor MESSAGE text")
        answers = []
        references = child(question, "ReferenceAnswers", path, where, required=False)
        found = list(references) if references is not None else []
        unknown = sorted({a.tag for a in found} - set(ANSWER_TAGS))
        if unknown:
            raise RawFormatError(
                path, where, f"<{unknown[0]}> inside <ReferenceAnswers>; expected {' or '.join(ANSWER_TAGS)}"
            )
        for answer in found:
            text = text_of(
                child(answer, "ANSWER", path, f"{where}, answer {answer.get('aid', '?')}"), flat=True
            )
            if text:
                answers.append(text)
            else:
                ctx.skip("empty reference answer")
        if not answers:
            ctx.skip("question without a reference answer")
            continue
        meta = {
            "qfile": attribute(original, ("qfile", "qFile"), path, where, required=False),
            "paraphrase": text_of(question.find("NIST-PARAPHRASE"), flat=True),
            "answer_urls": [text_of(a.find("AnswerURL"), flat=True) for a in found],
        }
        message_input = labelled(("Subject", subject), ("Message", message))
        examples.append(Example("task62", qid, message_input, answers, meta=meta))
    yield from merge_same_input(ctx, examples)


BUILDER = Builder(CORPUS, TASKS, generate)
