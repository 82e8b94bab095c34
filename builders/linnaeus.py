"""LINNAEUS: species mentions in full-text biomedical articles (IOB release).

One instance is one sentence (the IOB files keep no document boundaries); the answer is the set of
distinct species mentions, tokens joined by single spaces as in the sentence. Official split: train and
devel are train, test is test.
"""

from __future__ import annotations

from meds_ins.builder import BY_LICENCE, Builder, Corpus, IOBEntities, Task, entity_instruction

FILES = {
    "linnaeus-IOB/train.tsv": "train",
    "linnaeus-IOB/devel.tsv": "train",
    "linnaeus-IOB/test.tsv": "test",
}
TYPES = {"Species", None}  # typed MTL tags, or the bare B/I tags of the BioBERT copy
RECIPE = IOBEntities("task33", FILES, frozenset(TYPES))

CORPUS = Corpus(
    id="linnaeus",
    name="LINNAEUS",
    paper_names=("Linnaeus Corpus",),
    homepage="http://linnaeus.sourceforge.net/",
    download="data/linnaeus-IOB/{train,devel,test}.tsv of github.com/cambridgeltl/MTL-Bioinformatics-2016",
    citation="""@article{gerner2010linnaeus,
  title = {LINNAEUS: A species name identification system for biomedical literature},
  author = {Gerner, Martin and Nenadic, Goran and Bergman, Casey M.},
  journal = {BMC Bioinformatics},
  volume = {11},
  pages = {85},
  year = {2010}
}""",
    license="CC-BY-4.0",
    license_source="LICENSE.md and README of github.com/cambridgeltl/MTL-Bioinformatics-2016, which distributes "
    "the IOB files (code MIT, other materials CC BY 4.0); the bigbio/linnaeus card also gives cc-by-4.0",
    redistribution=BY_LICENCE,
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=RECIPE.raw_files("token<TAB>tag"),
    notes="The articles are full texts: section headings ('Abstract', 'RESULTS') and figure labels recur as "
    "identical one-line sentences with the empty answer; they are kept, as in the release.",
)

TASKS = (
    Task(
        "task33",
        "task33_gene_extraction_linnaeus_dataset",
        "Named Entity Recognition",
        entity_instruction("species or organism name"),
        notes="The reference file name says 'gene', but LINNAEUS annotates species names (so did the "
        "Super-NaturalInstructions task it comes from); the instruction asks for species. Sentence-level, "
        "as the IOB release has no document boundaries.",
        audit_exceptions={
            "audit.label-skew": "most sentences of the full-text articles name no species, so the empty answer dominates",
            "audit.duplicate-input": "section headings and boilerplate sentences (such as 'Abstract') recur across articles with the same answer",
            "audit.train-test-overlap": "the same headings and boilerplate sentences occur in the train and test articles of the official split",
        },
    ),
)


BUILDER = Builder(CORPUS, TASKS, RECIPE)
