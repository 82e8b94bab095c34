"""Readability-controllable summarization corpus (Luo et al., 2022): PLOS articles with their lay summaries.

28,124 articles from six PLOS journals, each with its abstract (technical summary) and its Author Summary
(the plain-language summary written by the authors). JSON Lines in plos_corpus/, one article per line
with at least `title`, `article` and `plain language summary`. The article text can contain the lay
summary itself, which is removed from the input. Official split by file: train, and val/test (1,000 each).
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
)
from meds_ins.formats.jsonfiles import iter_json_lines, require

PATTERN = "plos_corpus/*_plos.jsonl"
PARTS = {"train": "train", "val": "train", "valid": "train", "dev": "train", "test": "test"}
SUMMARY = "plain language summary"

CORPUS = Corpus(
    id="readability_plos",
    name="Readability-controllable biomedical summarization corpus (PLOS)",
    paper_names=("Readibility",),
    homepage="https://www.nactem.ac.uk/readability/",
    download="the corpus download on www.nactem.ac.uk/readability/ (JSON Lines files plos_corpus/<part>_plos.jsonl)",
    citation="""@inproceedings{luo2022readability,
  title = {Readability Controllable Biomedical Document Summarization},
  author = {Luo, Zheheng and Xie, Qianqian and Ananiadou, Sophia},
  booktitle = {Findings of the Association for Computational Linguistics: EMNLP 2022},
  pages = {4667--4680},
  year = {2022}
}""",
    license="CC-BY-4.0",
    license_source="the records are PLOS articles and their Author Summaries, and PLOS applies the CC BY 4.0 "
    "licence to the articles it publishes ('Licenses and Copyright', journals.plos.org/plosone/s/"
    "licenses-and-copyright); the corpus page www.nactem.ac.uk/readability/ (as read here) and the authors' "
    "repository zhehengluoK/Readability-Controllable-Biomedical-Document-Summarization state no licence of "
    "their own",
    redistribution=BY_LICENCE,
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=(
        RawFile(PATTERN, "one file per part (train_plos.jsonl, ...): JSON Lines, one article per line"),
    ),
    sources=(
        Download(
            "https://www.nactem.ac.uk/readability/",
            target="plos_corpus",
            manual="the corpus is offered from its project page: download the PLOS part and keep plos_corpus/<part>_plos.jsonl in the corpus folder",
        ),
    ),
)

TASKS = (
    Task(
        "task113",
        "task113_readibility_text_summurization",
        "Text Summarization",
        "Read the biomedical research article below and write a short summary of it for readers without a "
        "scientific background: plain words, no unexplained jargon, and why the work matters.",
        notes="Target: the authors' Author Summary; input: title and article text with that summary removed "
        "(as the reference script did). Split by file: train (and val, if present) -> train, test -> test; "
        "the reference used train_plos.jsonl only.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    for path in ctx.files(PATTERN):
        part = path.name[: -len("_plos.jsonl")]
        if part not in PARTS:
            raise RawFormatError(path, None, f"unknown part {part!r}; expected one of {', '.join(PARTS)}")
        yield from _articles(ctx, path, part)


def _articles(ctx: BuildContext, path: Path, part: str) -> Iterator[Example]:
    for line, record in iter_json_lines(path):
        require(record, ("article", SUMMARY), path, f"line {line}")
        summary = _text(record[SUMMARY], path, line, SUMMARY)
        article = _text(record["article"], path, line, "article")
        if summary:
            article = article.replace(summary, "").strip()
        if not summary or not article:
            ctx.skip("article or plain-language summary empty")
            continue
        title = _text(record.get("title", ""), path, line, "title")
        text = labelled(("Title", title), ("Article", article))
        yield Example("task113", f"{part}-{line}", text, summary, split=PARTS[part])


def _text(value: object, path: Path, line: int, key: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RawFormatError(path, f"line {line}", f"{key!r} must be a string, found {type(value).__name__}")
    return value.strip()


BUILDER = Builder(CORPUS, TASKS, generate)
