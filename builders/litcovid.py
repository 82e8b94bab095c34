"""LitCovid topic classification (BioCreative VII track 5): COVID-19 articles with one or more topics.

CSV with a header: pmid, journal, title, abstract, keywords, pub_type, authors, doi, label; `label` joins
the topics with `;`. Official split: Train and Dev are train, Test-GS (the gold test set) is test.
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
    label_set,
    labelled,
)
from meds_ins.formats.tables import iter_csv

FILES = {
    "BC7-LitCovid-Train.csv": "train",
    "BC7-LitCovid-Dev.csv": "train",
    "BC7-LitCovid-Test-GS.csv": "test",
}
COLUMNS = ("pmid", "title", "abstract", "label")
TOPICS = (
    "Treatment",
    "Mechanism",
    "Prevention",
    "Case Report",
    "Diagnosis",
    "Transmission",
    "Epidemic Forecasting",
)

CORPUS = Corpus(
    id="litcovid",
    name="LitCovid (BioCreative VII LitCovid track)",
    paper_names=("LitCovid",),
    homepage="https://biocreative.bioinformatics.udel.edu/tasks/biocreative-vii/track-5/",
    download="BC7-LitCovid-Train.csv, BC7-LitCovid-Dev.csv and BC7-LitCovid-Test-GS.csv from "
    "ftp.ncbi.nlm.nih.gov/pub/lu/LitCovid/biocreative/",
    citation="""@inproceedings{chen2021overview,
  title = {Overview of the BioCreative VII LitCovid Track: multi-label topic classification for COVID-19
           literature annotation},
  author = {Chen, Qingyu and Allot, Alexis and Leaman, Robert and Do{\\u{g}}an, Rezarta Islamaj and Lu, Zhiyong},
  booktitle = {Proceedings of the Seventh BioCreative Challenge Evaluation Workshop},
  year = {2021}
}""",
    license="unknown",
    license_source="no licence statement found with the release files; the BigBio card bc7_litcovid lists the "
    "licence as unknown",
    redistribution=Withheld("no licence or statement allowing redistribution found with the release files"),
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=tuple(
        RawFile(name, f"articles of the {split} part with their topics") for name, split in FILES.items()
    ),
    sources=(
        Download(
            "https://ftp.ncbi.nlm.nih.gov/pub/lu/LitCovid/biocreative/BC7-LitCovid-Train.csv",
            target="BC7-LitCovid-Train.csv",
            note="NCBI's BioCreative VII LitCovid files; no checksum is published",
        ),
        Download(
            "https://ftp.ncbi.nlm.nih.gov/pub/lu/LitCovid/biocreative/BC7-LitCovid-Dev.csv",
            target="BC7-LitCovid-Dev.csv",
            note="NCBI's BioCreative VII LitCovid files; no checksum is published",
        ),
        Download(
            "https://ftp.ncbi.nlm.nih.gov/pub/lu/LitCovid/biocreative/BC7-LitCovid-Test-GS.csv",
            target="BC7-LitCovid-Test-GS.csv",
            note="NCBI's BioCreative VII LitCovid files; no checksum is published",
        ),
    ),
)

TASKS = (
    Task(
        "task108",
        "task108_litcovid_text_classification",
        "Text Classification",
        "Assign COVID-19 research topics to the article below from its title and abstract. Choose every "
        "topic that applies from: Treatment, Mechanism, Prevention, Case Report, Diagnosis, Transmission, "
        "Epidemic Forecasting. Separate several topics with semicolons.",
        notes="The reference's definition speaks of 8 categories; the BioCreative VII release uses 7 (the "
        "LitCovid portal also shows 'General Info', which the track left out). A label outside the 7 is an "
        "error. Topics are listed in the fixed order of the instruction.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    seen: set[str] = set()
    for name, split in FILES.items():
        path = ctx.file(name)
        for line, row in iter_csv(path, COLUMNS):
            pmid = row["pmid"].strip()
            if not pmid:
                raise RawFormatError(path, f"line {line}", "empty pmid")
            if pmid in seen:
                ctx.skip("repeated pmid")
                continue
            seen.add(pmid)
            topics = [t.strip() for t in row["label"].split(";") if t.strip()]
            unknown = [t for t in topics if t not in TOPICS]
            if unknown:
                raise RawFormatError(
                    path,
                    f"line {line}",
                    f"unknown topic(s) {', '.join(map(repr, unknown))}; expected {TOPICS}",
                )
            if not topics:
                ctx.skip("article without a topic")
                continue
            if not row["abstract"].strip():
                ctx.skip("article without an abstract")
                continue
            output, meta = label_set(topics, TOPICS, "")
            text = labelled(("Title", row["title"]), ("Abstract", row["abstract"]))
            yield Example("task108", pmid, text, output, split=split, meta=meta)


BUILDER = Builder(CORPUS, TASKS, generate)
