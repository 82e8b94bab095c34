"""PubMed multi-label classification by MeSH category (the "PubMed MultiLabel Text Classification Dataset").

About 50,000 PubMed articles from the BioASQ Task A training data, with their MeSH headings mapped to
the 14 top-level MeSH tree categories. One CSV with a header: Title, abstractText, meshMajor (the
headings, as a Python list), pmid, meshid, meshroot, then one 0/1 column per category letter (A ... Z).
No official split: 9:1 by a hash of the PMID.
"""

from __future__ import annotations

from collections.abc import Iterator

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
    label_set,
    labelled,
)
from meds_ins.formats.tables import iter_csv

FILE = "PubMed Multi Label Text Classification Dataset Processed.csv"
# The MeSH tree categories the release keeps (it drops K Humanities and V Publication Characteristics).
CATEGORIES = {
    "A": "Anatomy",
    "B": "Organisms",
    "C": "Diseases",
    "D": "Chemicals and Drugs",
    "E": "Analytical, Diagnostic and Therapeutic Techniques, and Equipment",
    "F": "Psychiatry and Psychology",
    "G": "Phenomena and Processes",
    "H": "Disciplines and Occupations",
    "I": "Anthropology, Education, Sociology, and Social Phenomena",
    "J": "Technology, Industry, and Agriculture",
    "L": "Information Science",
    "M": "Named Groups",
    "N": "Health Care",
    "Z": "Geographicals",
}
LABELS = tuple(f"{name} [{letter}]" for letter, name in CATEGORIES.items())

CORPUS = Corpus(
    id="pubmed_mesh",
    name="PubMed MultiLabel Text Classification Dataset (MeSH)",
    paper_names=("PubMed MeSH",),
    homepage="https://huggingface.co/datasets/owaiskha9654/PubMed_MultiLabel_Text_Classification_Dataset_MeSH",
    download=f"'{FILE}' from kaggle.com/datasets/owaiskhan9654/pubmed-multilabel-text-classification or the "
    "Hugging Face dataset owaiskha9654/PubMed_MultiLabel_Text_Classification_Dataset_MeSH",
    citation="""@misc{pubmed_multilabel_mesh,
  title = {PubMed MultiLabel Text Classification Dataset MeSH},
  author = {{owaiskhan9654}},
  howpublished = {Kaggle, kaggle.com/datasets/owaiskhan9654/pubmed-multilabel-text-classification},
  note = {Articles and MeSH headings from the BioASQ Task A training data}
}""",
    license="AFL-3.0",
    license_source="Hugging Face card of owaiskha9654/PubMed_MultiLabel_Text_Classification_Dataset_MeSH "
    "(license: afl-3.0); the articles and headings come from PubMed through the BioASQ Task A training data",
    redistribution=BY_LICENCE,
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=(RawFile(FILE, "one row per article: title, abstract, MeSH headings and 14 category columns"),),
    sources=(
        Download(
            "hf://datasets/owaiskha9654/PubMed_MultiLabel_Text_Classification_Dataset_MeSH@4221e374edfb28fb35a50254dfb2f8d843dc3cb2/PubMed Multi Label Text Classification Dataset Processed.csv",
            target="PubMed Multi Label Text Classification Dataset Processed.csv",
            size=119_799_320,
            sha256="2ee8157c622ccd61f5f98521749a65c4c82f6dc80ebc651d7712808b4e21fc4d",
            note="Hub copy of the Kaggle data set (Kaggle needs a login)",
        ),
    ),
)

TASKS = (
    Task(
        "task107",
        "task107_pubmedmesh_text_classification",
        "Text Classification",
        "Indexers describe each PubMed article with MeSH headings, which fall into broad MeSH categories. "
        "From the title and abstract below, list every category the article's headings belong to, chosen "
        "from: " + "; ".join(LABELS) + ". Separate categories with semicolons.",
        split_policy="random-9:1",
        notes="Source choice: the reference names the corpus only 'PubMed MeSH'; this is the public PubMed "
        "MeSH multi-label release built from BioASQ Task A (headings mapped to 14 MeSH categories), whose "
        "name matches. BioASQ Task A itself, with its tens of thousands of headings, is the alternative. No "
        "official split: 9:1 by PMID.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    path = ctx.file(FILE)
    seen: set[str] = set()
    for line, row in iter_csv(path, ("Title", "abstractText", "pmid", *CATEGORIES)):
        pmid = row["pmid"].strip()
        if not pmid:
            raise RawFormatError(path, f"line {line}", "empty pmid")
        if pmid in seen:
            ctx.skip("repeated pmid")
            continue
        seen.add(pmid)
        flags = {letter: row[letter].strip() for letter in CATEGORIES}
        bad = {letter: value for letter, value in flags.items() if value not in ("0", "1")}
        if bad:
            raise RawFormatError(path, f"line {line}", f"category columns must hold 0 or 1, found {bad}")
        labels = [f"{CATEGORIES[letter]} [{letter}]" for letter, value in flags.items() if value == "1"]
        if not labels:
            ctx.skip("article without any MeSH category")
            continue
        if not row["abstractText"].strip():
            ctx.skip("article without an abstract")
            continue
        output, meta = label_set(labels, LABELS, "")
        text = labelled(("Title", row["Title"]), ("Abstract", row["abstractText"]))
        yield Example("task107", pmid, text, output, group=pmid, meta=meta)


BUILDER = Builder(CORPUS, TASKS, generate)
