"""LINNAEUS: species mentions in full-text biomedical articles (IOB release).

One instance is one sentence (the IOB files keep no document boundaries); the answer is the set of
distinct species mentions, tokens joined by single spaces as in the sentence. Official split: train and
devel are train, test is test.
"""

from __future__ import annotations

from meds_ins.builder import BY_LICENCE, Builder, Corpus, Download, IOBEntities, Task, entity_instruction

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
    sources=(
        Download(
            "https://raw.githubusercontent.com/cambridgeltl/MTL-Bioinformatics-2016/df0df02fae6dbb87d88ffcf323b9096528f06f84/data/linnaeus-IOB/train.tsv",
            target="linnaeus-IOB/train.tsv",
            size=2_088_795,
            sha256="74c8612944a4de87665680989a3d589c843562d3ec175e3b512295691b221d9a",
        ),
        Download(
            "https://raw.githubusercontent.com/cambridgeltl/MTL-Bioinformatics-2016/df0df02fae6dbb87d88ffcf323b9096528f06f84/data/linnaeus-IOB/devel.tsv",
            target="linnaeus-IOB/devel.tsv",
            size=696_409,
            sha256="042b5676d4f541995d617f43e2926afdf6653ed60ad9010c2f45b78ae869f2b6",
        ),
        Download(
            "https://raw.githubusercontent.com/cambridgeltl/MTL-Bioinformatics-2016/df0df02fae6dbb87d88ffcf323b9096528f06f84/data/linnaeus-IOB/test.tsv",
            target="linnaeus-IOB/test.tsv",
            size=1_228_864,
            sha256="1792b82f7cf9159fd71de38b139a457dbc5ca126c13ac9e355a5fad3e65930ad",
        ),
    ),
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
