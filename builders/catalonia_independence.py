"""Catalonia Independence Corpus (CIC): Catalan and Spanish tweets labelled with their stance towards the
independence of Catalonia (AGAINST, FAVOR, NEUTRAL).

The release ships one zip per language (01_CIC_CA.zip, 02_CIC_ES.zip) with train, val and test files.
Despite the .csv name they are tab-separated, CRLF, with CSV quoting; many tweet ids were turned into
float notation upstream (1.10e+18), so ids are kept only as metadata and records are keyed by file and
line. Official split: test files are the test set, train and val files are training data.
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
    Task,
    settle_repeats,
)
from meds_ins.formats.tables import iter_csv

LANGUAGES = {"ca": ("01_CIC_CA", "catalan"), "es": ("02_CIC_ES", "spanish")}
FILE_SPLITS = {"train": "train", "val": "train", "test": "test"}
STANCES = ("AGAINST", "FAVOR", "NEUTRAL")
COLUMNS = ("id_str", "TWEET", "LABEL")


def raw_path(language: str, file_split: str) -> str:
    folder, stem = LANGUAGES[language]
    return f"{folder}/{stem}_{file_split}.csv"


CORPUS = Corpus(
    id="catalonia_independence",
    name="Catalonia Independence Corpus",
    paper_names=("Catalonia Independence Corpus",),
    homepage="https://github.com/ixa-ehu/catalonia-independence-corpus",
    download="01_CIC_CA.zip and 02_CIC_ES.zip from github.com/ixa-ehu/catalonia-independence-corpus "
    "(unzip each into a folder named after the zip)",
    citation="""@inproceedings{zotova2020multilingual,
  title = {Multilingual Stance Detection in Social Media Political Debates: The Case of Catalan Independence},
  author = {Zotova, Elena and Agerri, Rodrigo and Nu{\\~n}ez, Manuel and Rigau, German},
  booktitle = {Proceedings of the 12th Language Resources and Evaluation Conference (LREC 2020)},
  pages = {1368--1375},
  year = {2020}
}""",
    license="CC-BY-NC-SA-4.0",
    license_source="LICENSE.md of github.com/ixa-ehu/catalonia-independence-corpus",
    redistribution=BY_LICENCE,
    markup="html",  # the tweets keep Twitter's HTML escapes (&gt;, &amp;, &lt;)
    access="public",
    languages=("ca", "es"),
    text_source="Daily Conversation",
    raw_files=tuple(
        RawFile(
            raw_path(language, file_split),
            f"{'Catalan' if language == 'ca' else 'Spanish'} tweets, {file_split} split "
            "(tab-separated despite the .csv name: id_str, TWEET, LABEL)",
            required=False,
        )
        for language in LANGUAGES
        for file_split in FILE_SPLITS
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/ixa-ehu/catalonia-independence-corpus/ab1359326cfad0723046719f04cfac57e84c6bac/01_CIC_CA.zip",
            size=995_415,
            sha256="c8312c4d1355e414171d166cac5ba3fa97734ebc639b02c2b6f7995cb15c75d9",
            unpack="zip",
            into="01_CIC_CA",
        ),
        Download(
            "https://raw.githubusercontent.com/ixa-ehu/catalonia-independence-corpus/ab1359326cfad0723046719f04cfac57e84c6bac/02_CIC_ES.zip",
            size=1_070_281,
            sha256="eb717f7074d5a7c9ef596049bab890ca8a1bae9ac0bad12ef70dc3ae09f068ab",
            unpack="zip",
            into="02_CIC_ES",
        ),
    ),
    notes="Licensed for non-commercial use only (CC BY-NC-SA 4.0); redistribution must keep the licence. "
    "The tweets are political, not medical: MedS-Ins includes the corpus as a stance task. Some tweets "
    "occur in several rows (12 under one id in the Spanish files, 5 texts in both languages under two ids): "
    "rows are taken to be one tweet when their text is the same (spacing aside). A tweet repeated with one "
    "label is kept once (its test copy when the rows straddle the split) and counted; a tweet repeated with "
    "different labels (14 in the release, 4 of them across train and test) is a defect: every row of it is "
    "left out and counted. A row with an empty tweet or a label outside the three is skipped and counted.",
)

TASKS = (
    Task(
        "task39",
        "task39_catalonia_independence_stance_detection",
        "Intent Identification",
        "The tweet below is written in Spanish or Catalan and comes from the debate about the independence of "
        "Catalonia. Decide which stance it takes on independence: FAVOR if it supports it, AGAINST if it "
        "opposes or criticises it, NEUTRAL if it reports news or facts without taking a side. Answer with "
        "one of the three words.",
        input_languages=("es", "ca"),
        output_languages=("en",),
        notes="Stance towards Catalan independence, read as the intent of the tweet. Each record's "
        "input_language is that of its file (catalan_* ca, spanish_* es); the labels are the corpus's "
        "English words. Official split; the val files are folded into train.",
        audit_exceptions={
            "audit.personal-data": "the corpus is public tweets as its authors published them; an address a user posted in a tweet is kept as released",
        },
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    # The same tweet text in several rows (under one id, or under the ids of both languages) is one item.
    yield from settle_repeats(ctx, _tweets(ctx), "tweet", lambda ex: " ".join(ex.input.split()))


def _tweets(ctx: BuildContext) -> Iterator[Example]:
    for language in LANGUAGES:
        for file_split, split in FILE_SPLITS.items():
            path = ctx.optional(raw_path(language, file_split))
            if path is None:
                continue
            for line, row in iter_csv(path, COLUMNS, delimiter="\t"):
                stance = row["LABEL"].strip()
                tweet = row["TWEET"].strip()
                if stance not in STANCES:
                    ctx.skip(f"tweet with a LABEL other than {', '.join(STANCES)}")
                    continue
                if not tweet:
                    ctx.skip("empty tweet")
                    continue
                yield Example(
                    "task39",
                    f"{language}-{file_split}-{line}",
                    tweet,
                    stance,
                    split=split,
                    meta={"id_str": row["id_str"].strip()},
                    input_language=language,
                    output_language="en",
                )


BUILDER = Builder(CORPUS, TASKS, generate)
