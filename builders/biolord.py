"""BioLORD: biomedical concept names paired with definitions and descriptions of the concepts.

The BioLORD dataset was built to train embedding models that place a concept's name next to its
definition. Its pairs come from the definitions in UMLS and from short descriptions derived from a
knowledge graph of biomedical ontologies; many concepts have several descriptions.

Every pair feeds three tasks: explain a name (50), name a description (49), and pick the described
concept among four names (48), where the three wrong names are other concepts read nearby in the file
(chosen by a hash of the row, so builds are repeatable and memory stays bounded on a release listed at
about 25M rows).
No official split: 9:1 by concept name, so all descriptions of a concept share a side.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from meds_ins.builder import BuildContext, Builder, Corpus, Example, RawFile, Task, Withheld, multiple_choice
from meds_ins.formats.tables import iter_csv

FILE = "BioLORD-Dataset.csv"
COLUMNS = ("name", "definition")
WINDOW = 1000  # rows read together; the wrong candidates of task 48 come from the same window
LETTERS = "ABCD"

CORPUS = Corpus(
    id="biolord",
    name="BioLORD Dataset",
    paper_names=("BioLORD",),
    homepage="https://huggingface.co/datasets/FremyCompany/BioLORD-Dataset",
    download="huggingface.co/datasets/FremyCompany/BioLORD-Dataset (gated: request access and accept the terms "
    f"on the page), saved as a CSV file {FILE} with the columns name and definition",
    citation="""@inproceedings{remy-etal-2022-biolord,
  title = {BioLORD: Learning Ontological Representations from Definitions for Biomedical Concepts and their
           Textual Descriptions},
  author = {Remy, Fran{\\c{c}}ois and Demuynck, Kris and Demeester, Thomas},
  booktitle = {Findings of the Association for Computational Linguistics: EMNLP 2022},
  pages = {1454--1465},
  year = {2022}
}""",
    license="unknown",
    license_source="the dataset card is behind the access gate and was not read; the BioLORD-2023 models trained "
    "on it are published under 'other: ihtsdo-and-nlm-licences' (the SNOMED CT and UMLS licence terms)",
    redistribution=Withheld(
        "gated dataset derived from UMLS sources (SNOMED CT among them), whose licences restrict "
        "sharing to licensees"
    ),
    access="registration",
    languages=("en",),
    text_source="Medical Knowledge",
    raw_files=(
        RawFile(FILE, "concept name and definition pairs: CSV with a header naming name and definition"),
    ),
    notes="Not redistributable: the pairs are derived from UMLS sources (SNOMED CT among them), whose licences "
    "restrict sharing to licensees. The file layout (a CSV with name and definition columns) is assumed from the dataset's "
    "description, since the gated release could not be inspected when this builder was written; a different "
    "layout fails with an error naming the header. Concepts with several descriptions give several task 50 "
    "records with the same input and different references.",
)

TASKS = (
    Task(
        "task48",
        "task48_biolord_concept_retrieval",
        "Text Retrieval",
        "Below is the definition of a biomedical concept, followed by four candidate concept names. Choose the "
        "name the definition describes and reply with its letter and the name.",
        split_policy="random-9:1",
        notes="The three wrong candidates are other concepts from the same stretch of the file, picked by a hash "
        "of the row; the answer's position is hashed too, so letters are balanced.",
    ),
    Task(
        "task49",
        "task49_biolord_concept_name_generation",
        "Text Summarization",
        "Read the description of a biomedical concept below and condense it into the concept's name: a term of "
        "a few words.",
        split_policy="random-9:1",
    ),
    Task(
        "task50",
        "task50_biolord_explanation",
        "Explanation",
        "Explain the biomedical concept named below. Write a definition that says what it is, what kind of "
        "thing it is and what distinguishes it.",
        split_policy="random-9:1",
        in_bench=True,
        notes="Benchmark part: the 1-in-10 hash split of concept names.",
        audit_exceptions={
            "audit.conflicting-references": "BioLORD holds several definitions of one concept (from different "
            "ontologies and descriptions); each record keeps one of them as its reference, and all records of a "
            "concept share a split"
        },
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    path = ctx.file(FILE)
    window: list[tuple[int, str, str]] = []
    for line, row in iter_csv(path, COLUMNS):
        name, definition = " ".join(row["name"].split()), row["definition"].strip()
        if not name or not definition:
            ctx.skip("concept name or definition empty")
            continue
        window.append((line, name, definition))
        if len(window) == WINDOW:
            yield from _examples(ctx, window)
            window = []
    yield from _examples(ctx, window)


def _examples(ctx: BuildContext, window: list[tuple[int, str, str]]) -> Iterator[Example]:
    distinct: dict[str, str] = {}
    for _, name, _ in window:
        distinct.setdefault(name.casefold(), name)
    names = list(distinct.values())
    for line, name, definition in window:
        key = f"line{line}"
        yield Example("task50", key, name, definition, group=name.casefold())
        yield Example("task49", key, definition, name, group=name.casefold())
        wrong = _wrong_candidates(key, name, names)
        if len(wrong) < len(LETTERS) - 1:
            ctx.skip("fewer than three other concepts nearby for the retrieval candidates")
            continue
        candidates = list(wrong)
        candidates.insert(_hash(key + "#answer") % len(LETTERS), name)
        options = dict(zip(LETTERS, candidates))
        answer = LETTERS[candidates.index(name)]
        text, outputs, meta = multiple_choice(
            definition, options, [answer], options_label="Candidate concepts"
        )
        yield Example("task48", key, text, outputs, group=name.casefold(), meta=meta)


def _wrong_candidates(key: str, name: str, names: list[str]) -> list[str]:
    """Three names other than `name` (ignoring case), walking the window's names from a hashed start."""
    start = _hash(key) % len(names)
    wrong: list[str] = []
    for offset in range(len(names)):
        other = names[(start + offset) % len(names)]
        if other.casefold() != name.casefold():
            wrong.append(other)
            if len(wrong) == len(LETTERS) - 1:
                break
    return wrong


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


BUILDER = Builder(CORPUS, TASKS, generate)
