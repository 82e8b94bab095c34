"""COVID-QA: questions about COVID-19 scientific articles, annotated by biomedical experts in SQuAD format.

Each article of the CORD-19 collection is one paragraph whose context is the whole article; answers are
spans of it. No official split (the authors evaluated by cross-validation): 9:1 by article, so all
questions about one article are on the same side.
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
    RawFile,
    RawFormatError,
    Task,
    labelled,
    merge_same_input,
)
from meds_ins.formats.squad import SquadQuestion, iter_squad, locate_answer

FINAL = "data/question-answering/COVID-QA.json"
EARLY = "data/question-answering/200423_covidQA.json"

CORPUS = Corpus(
    id="covid_qa",
    name="COVID-QA",
    paper_names=("COVID-QA",),
    homepage="https://github.com/deepset-ai/COVID-QA",
    download=f"{FINAL} of github.com/deepset-ai/COVID-QA",
    citation="""@inproceedings{moller2020covid,
  title = {COVID-QA: A Question Answering Dataset for COVID-19},
  author = {M{\\"o}ller, Timo and Reina, Anthony and Jayakumar, Raghavan and Pietsch, Malte},
  booktitle = {Proceedings of the 1st Workshop on NLP for COVID-19 at ACL 2020},
  year = {2020}
}""",
    license="Apache-2.0",
    license_source="LICENSE of github.com/deepset-ai/COVID-QA (the articles themselves come from CORD-19 "
    "under their own licences, stated in each context's License line)",
    redistribution=BY_LICENCE,
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=(
        RawFile(FINAL, "the final release: 2,019 questions on 147 articles (SQuAD format)", required=False),
        RawFile(
            EARLY,
            "the 2020-04-23 release of the same annotations, read only when COVID-QA.json is absent",
            required=False,
        ),
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/deepset-ai/COVID-QA/fb2eb5e249618457e5359806601086c635c8eb8f/data/question-answering/COVID-QA.json",
            target="data/question-answering/COVID-QA.json",
            git_blob="44acbc040efdd5efca2171dd376e485fb7779f14",
        ),
    ),
    notes="Some released answer_start offsets are off by a character (an answer that begins with a space); "
    "answers are located in the article text again and records keep the corrected offset in meta.",
)

TASKS = (
    Task(
        "task105",
        "task105_covidqa_question_answering",
        "Question Answering",
        "Read the COVID-19 research article below and answer the question about it. Reply with the passage "
        "of the article that answers it, quoted exactly.",
        split_policy="random-9:1",
        notes="Input is the whole article (title, metadata and text, often over 20,000 characters) followed "
        "by the question; outputs are the annotated answer spans. 9:1 by a hash of the article's "
        "document_id. The same question asked twice about one article is one record with both answer spans; "
        "each such repeat is counted.",
        audit_exceptions={
            "audit.personal-data": "the contexts are published scientific articles, which print their authors' correspondence addresses",
            "audit.broken-encoding": "a few articles of the release lost characters before it, replaced by U+FFFD ('(n \ufffd 12376)', '(CT) \ufffd 40'); what they stood for cannot be recovered, so the text is kept as released",
        },
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    path = ctx.optional(FINAL) or ctx.optional(EARLY)
    if path is None:  # check_raw_files already requires one of them
        return
    paragraph, examples = None, []
    for question in iter_squad(path):
        if question.paragraph is not paragraph:  # questions come grouped by article
            yield from merge_same_input(ctx, examples)
            paragraph, examples = question.paragraph, []
        example = _example(ctx, path, question)
        if example is not None:
            examples.append(example)
    yield from merge_same_input(ctx, examples)


def _example(ctx: BuildContext, path: Path, question: SquadQuestion) -> Example | None:
    if not question.id:
        raise RawFormatError(path, question.where, "question without an id")
    if question.is_impossible or not question.answers:
        ctx.skip("question without an answer")
        return None
    article = question.paragraph.get("document_id", "")
    outputs, starts = [], []
    for answer in question.answers:
        start = locate_answer(question.context, answer.text, answer.start)
        if start is None or not answer.text.strip():
            raise RawFormatError(path, question.where, f"answer {answer.text[:60]!r} is not in the article")
        stripped = answer.text.strip()
        starts.append(start + answer.text.index(stripped))
        outputs.append(stripped)
    text = labelled(("Article", question.context), ("Question", question.question))
    meta = {"document_id": article, "answer_start": starts}
    return Example("task105", question.id, text, outputs, group=f"doc{article}", meta=meta)


BUILDER = Builder(CORPUS, TASKS, generate)
