"""PubMed long-document summarization (Cohan et al., 2018): PubMed Central articles and their abstracts.

JSON Lines named `.txt`, one article per line: `article_id`, `article_text` (the body as a list of
sentences), `abstract_text` (sentences wrapped in `<S> ... </S>`), `section_names`, `sections`; the text is
lower-cased and tokenised, with `@xmath` / `@xcite` placeholders for formulas and citations. The files
are several GB, so they are read line by line. Official split: train and val are train, test is test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
)
from meds_ins.formats.jsonfiles import iter_json_lines, require

FILES = {
    "pubmed-dataset/train.txt": "train",
    "pubmed-dataset/val.txt": "train",
    "pubmed-dataset/test.txt": "test",
}
KEYS = ("article_id", "article_text", "abstract_text")

CORPUS = Corpus(
    id="pubmed_summarization",
    name="PubMed summarization dataset (Cohan et al.)",
    paper_names=("PubMed",),
    homepage="https://github.com/armancohan/long-summarization",
    download="pubmed-dataset.zip linked from the README of github.com/armancohan/long-summarization "
    "(about 5 GB unpacked: pubmed-dataset/{train,val,test}.txt)",
    citation="""@inproceedings{cohan2018discourse,
  title = {A Discourse-Aware Attention Model for Abstractive Summarization of Long Documents},
  author = {Cohan, Arman and Dernoncourt, Franck and Kim, Doo Soon and Bui, Trung and Kim, Seokhwan and
            Chang, Walter and Goharian, Nazli},
  booktitle = {Proceedings of NAACL-HLT 2018, Volume 2 (Short Papers)},
  pages = {615--621},
  year = {2018}
}""",
    license="unknown",
    license_source="github.com/armancohan/long-summarization has no licence file and its README states none "
    "(the articles come from the PubMed Central open-access subset, whose articles carry their own licences)",
    redistribution=Withheld(
        "no licence or statement allowing redistribution found: the README gives download links "
        "only, and the PubMed Central articles carry licences of their own, some without "
        "redistribution"
    ),
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=tuple(
        RawFile(path, f"JSON Lines, one article per line ({split} part)") for path, split in FILES.items()
    ),
    sources=(
        Download(
            "https://archive.org/download/armancohan-long-summarization-paper-code/pubmed-dataset.zip",
            unpack="zip",
            members=(
                "pubmed-dataset/train.txt",
                "pubmed-dataset/val.txt",
                "pubmed-dataset/test.txt",
            ),
            note="the archive.org copy the authors link (about 5 GB); no checksum is published. Their other link is on Google Drive",
        ),
    ),
)

TASKS = (
    Task(
        "task111",
        "task111_pubmed_text_summarization",
        "Text Summarization",
        "Below is the full text of a biomedical research article, one sentence per line, lower-cased, with "
        "formulas and citations replaced by placeholders. Write the article's abstract.",
        notes="Input: article_text (one sentence per line); output: the abstract sentences without their "
        "<S> </S> markers. Official split: train and val -> train, test -> test.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    seen: set[str] = set()
    for name, split in FILES.items():
        path = ctx.file(name)
        for line, record in iter_json_lines(path):
            article_id, article, abstract = _fields(record, path, line)
            if article_id in seen:
                ctx.skip("repeated article_id")
                continue
            seen.add(article_id)
            if not abstract:
                ctx.skip("article without an abstract")
                continue
            if not article:
                ctx.skip("abstract without article text")
                continue
            yield Example("task111", article_id, article, abstract, split=split)


def _fields(record: Any, path: Path, line: int) -> tuple[str, str, str]:
    where = f"line {line}"
    require(record, KEYS, path, where)
    article_id = str(record["article_id"]).strip()
    if not article_id:
        raise RawFormatError(path, where, "empty article_id")
    article = _sentences(record["article_text"], path, where, "article_text")
    tagged = _sentences(record["abstract_text"], path, where, "abstract_text")
    abstract = [s.replace("<S>", "").replace("</S>", "").strip() for s in tagged]
    return article_id.replace(" ", "_"), "\n".join(article), " ".join(s for s in abstract if s)


def _sentences(value: Any, path: Path, where: str, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise RawFormatError(path, where, f"{key} must be a list of strings, found {type(value).__name__}")
    return [s.strip() for s in value if s.strip()]


BUILDER = Builder(CORPUS, TASKS, generate)
