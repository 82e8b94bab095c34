"""Clinical-Trials.gov eligibility criteria annotated with entities and relations (UW BioNLP, SpERT format).

Each SpERT entry is one criterion of a trial (`orig_id` = `<line>_<NCT id>`) as tokens with typed entity
spans. The tokens drop the spaces between words, so the builder finds each entry in the trial's criteria
text (`data/docs/brat/batchN/<NCT id>.txt`) and takes the criterion and its mentions from there, exactly
as written (whitespace runs, such as a line break inside a criterion, become single spaces). One
instance is one criterion; the answer lists its clinical concepts as 'Type: mention' lines, and
`meta["spans"]` keeps their offsets in the criterion as written here. Official
split: train.json and dev.json are train, test.json is test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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
    located_entity_list,
)
from meds_ins.formats import brat, spert

SPERT = "data/ner/spert/{}.json"
FILES = {"train": "train", "dev": "train", "test": "test"}
TYPES = "data/ner/spert/types.json"
TEXTS = "data/docs/brat/*/NCT*.txt"
# The clinical concept types of the annotation schema. Left out: the '-Name' spans that repeat their
# concept, attribute values ('Type___value'), parts of numeric and temporal expressions ('Eq-'), and the
# linguistic markers (Assertion, Negation, Modifier, Coreference, Criteria, Exception, Other, ...).
CONCEPTS = (
    "Age",
    "Allergy",
    "Birth",
    "Code",
    "Condition",
    "Contraindication",
    "Death",
    "Drug",
    "Encounter",
    "Ethnicity",
    "Family-Member",
    "Immunization",
    "Indication",
    "Insurance",
    "Language",
    "Location",
    "Observation",
    "Organism",
    "Procedure",
    "Provider",
    "Risk",
    "Specimen",
    "Study",
)

CORPUS = Corpus(
    id="clinical_trials_gov",
    name="Clinical-Trials.gov eligibility criteria (UW BioNLP clinical-trials-gov-data)",
    paper_names=("Clinical-Trials.gov",),
    homepage="https://github.com/uw-bionlp/clinical-trials-gov-data",
    download="data/ner/spert/{train,dev,test,types}.json and data/docs/brat/ of "
    "github.com/uw-bionlp/clinical-trials-gov-data",
    citation="""@article{dobbins2022leaf,
  title = {The Leaf Clinical Trials Corpus: a new resource for query generation from clinical trial eligibility
           criteria},
  author = {Dobbins, Nicholas J. and Mullen, Tony and Uzuner, {\\\"O}zlem and Yetisgen, Meliha},
  journal = {Scientific Data},
  volume = {9},
  pages = {490},
  year = {2022}
}""",
    license="unknown",
    license_source="no licence file in github.com/uw-bionlp/clinical-trials-gov-data (its README is a title "
    "only); the criteria texts come from ClinicalTrials.gov",
    redistribution=Withheld(
        "no licence or statement allowing redistribution found: the repository has no licence "
        "file and its README is a title only"
    ),
    access="public",
    languages=("en",),
    text_source="Clinical Text",
    raw_files=tuple(
        RawFile(SPERT.format(name), f"SpERT entries of the {name} part", required=False) for name in FILES
    )
    + (
        RawFile(TYPES, "the entity and relation types of the annotation schema"),
        RawFile(TEXTS, "criteria text of each trial, one file per NCT id in batch folders"),
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/uw-bionlp/clinical-trials-gov-data/62d54af08ba52e8196e664fcec01122a4d4e38ab/data/ner/spert/train.json",
            target="data/ner/spert/train.json",
            git_blob="d4284e4f3aad684afb237d8543d40fe65f2fd3c4",
        ),
        Download(
            "https://raw.githubusercontent.com/uw-bionlp/clinical-trials-gov-data/62d54af08ba52e8196e664fcec01122a4d4e38ab/data/ner/spert/dev.json",
            target="data/ner/spert/dev.json",
            size=1_490_289,
            sha256="3f2ca5a7394986f25a18cdb85ebf30448f07b5e634437ae759a985745893947e",
        ),
        Download(
            "https://raw.githubusercontent.com/uw-bionlp/clinical-trials-gov-data/62d54af08ba52e8196e664fcec01122a4d4e38ab/data/ner/spert/test.json",
            target="data/ner/spert/test.json",
            size=1_438_136,
            sha256="1ae2219889bad26c2fc41acfc7dc722cb1862d7ceb1833413b0211a89cfae44e",
        ),
        Download(
            "https://raw.githubusercontent.com/uw-bionlp/clinical-trials-gov-data/62d54af08ba52e8196e664fcec01122a4d4e38ab/data/ner/spert/types.json",
            target="data/ner/spert/types.json",
            size=19_865,
            sha256="ab1e2c7d3d539b19cdbb9fb793e2f2580d3ded14da758005eeeed92e0ce6723a",
        ),
        Download(
            "https://codeload.github.com/uw-bionlp/clinical-trials-gov-data/zip/62d54af08ba52e8196e664fcec01122a4d4e38ab",
            unpack="zip",
            strip="clinical-trials-gov-data-62d54af08ba52e8196e664fcec01122a4d4e38ab/",
            members=("data/docs/brat/*/NCT*.txt",),
            content_sha256="3e1328937bbdc6a0506221ebe98d3d6107fc98e178554e1cde22824657bb15f1",
            note="the repository at the commit, as GitHub packs it on request (so the archive's own bytes are not stable; the texts kept are checked instead)",
        ),
    ),
    notes="The repository names no paper; the citation is the Leaf Clinical Trials corpus paper, which "
    "describes this annotation schema. The '<line>' of an orig_id is not always the line of the criterion in the text file (some criteria "
    "span two lines), so entries are found in the text by their tokens. Relations are not used. "
    "Variant, read: some trial texts write punctuation in a fullwidth or compatibility form where the "
    "tokens have the plain sign ('women，or', 'Age＜18', 'BMI ≧ 18.0', 'pH˂5.8' against ',', '<', '≥'; 8 "
    "entries of dev and test): such entries are found by comparing the two character for character in "
    "folded form, and the criterion and mentions are quoted from the text as written. Defects, skipped and "
    "counted: an entry whose tokens do not occur in its trial's text even so (dev and test have 3: "
    "NCT03862326, where two criteria share one line of the text, twice, and NCT03865537, where the text has "
    "a reference number the tokens lack), an entry that is whitespace only, a concept span over "
    "whitespace only, and a malformed entry. A trial without its text file stops the build (the release is "
    "incomplete).",
)

TASKS = (
    Task(
        "task77",
        "task77_clinical_trials_gov_data_named_entity_recognition",
        "Named Entity Recognition",
        "Below is one eligibility criterion of a clinical trial. List the clinical concepts it mentions, one "
        f"per line as 'Type: mention', with the mention copied exactly and the type one of: {', '.join(CONCEPTS)}. "
        "List them in order of appearance. If there is none, reply: There is no related entity.",
        notes="One instance per criterion (SpERT entry) rather than per trial, and entities only: the MedS-Ins "
        "file put a whole trial's criteria in one instance and asked for entities and relations as JSON. "
        "Only the clinical concept types are asked for (see CONCEPTS in the builder).",
        audit_exceptions={
            "audit.duplicate-input": "common criteria lines (such as pregnancy or consent criteria) recur word for word across trials, each with the same annotation",
        },
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    types_path = ctx.file(TYPES)
    entity_types, relation_types = spert.read_types(types_path)
    texts = _texts(ctx.files(TEXTS))
    for name, split in FILES.items():
        path = ctx.optional(SPERT.format(name))
        if path is None:
            continue
        for entry in spert.iter_entries(path, entity_types, relation_types, ctx.skip):
            nct = entry.orig_id.rpartition("_")[2]
            if nct not in texts:
                where = f"entry {entry.number} ({entry.orig_id})"
                raise RawFormatError(path, where, f"no criteria text {nct}.txt under data/docs/brat/")
            example = _example(ctx, entry, texts[nct], split)
            if example is not None:
                yield example


def _example(ctx: BuildContext, entry: spert.Entry, text: str, split: str) -> Example | None:
    try:
        spans = spert.locate_tokens(entry.tokens, text)
    except ValueError:
        ctx.skip("criterion whose tokens do not occur in the trial's text")
        return None
    words = [s for s in spans if s is not None]
    if not words:
        ctx.skip("criterion without words")
        return None
    base = words[0][0]
    criterion, moved = _squeeze(text[base : words[-1][1]])
    mentions = []
    for entity in entry.entities:
        if entity.type in CONCEPTS:
            covered = [s for s in spans[entity.start : entity.end] if s is not None]
            if not covered:
                ctx.skip("criterion with a concept span over whitespace only")
                return None
            first, last = covered[0][0] - base, covered[-1][1] - 1 - base
            mentions.append((moved[first], moved[last] + 1, entity.type))
    output, meta = located_entity_list(criterion, mentions)
    return Example("task77", entry.orig_id, criterion, output, split=split, meta=meta)


def _texts(paths: list[Path]) -> dict[str, str]:
    """Criteria texts by NCT id; a trial in two batch folders must have the same text in both."""
    found: dict[str, str] = {}
    for path in paths:
        text = brat.read_text(path)
        if found.setdefault(path.stem, text) != text:
            raise RawFormatError(path, None, "differs from another criteria text of the same trial")
    return found


def _squeeze(text: str) -> tuple[str, list[int]]:
    """The text with each whitespace run as one space (it starts and ends with a word), and where each of
    its characters moved to, so that mention offsets follow."""
    squeezed: list[str] = []
    moved = []
    for char in text:
        if not char.isspace():
            squeezed.append(char)
        elif squeezed[-1] != " ":
            squeezed.append(" ")
        moved.append(len(squeezed) - 1)
    return "".join(squeezed), moved


BUILDER = Builder(CORPUS, TASKS, generate)
