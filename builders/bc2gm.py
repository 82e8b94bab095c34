"""BioCreative II Gene Mention (BC2GM): gene and protein mentions in PubMed sentences (IOB release).

One instance is one sentence (the IOB files keep no document boundaries); the answer is the set of
distinct gene mentions, tokens joined by single spaces as in the sentence. Official split: train and
devel are train, test is test.
"""

from __future__ import annotations

from meds_ins.builder import BY_LICENCE, Builder, Corpus, Download, IOBEntities, Task, entity_instruction

FILES = {"BC2GM-IOB/train.tsv": "train", "BC2GM-IOB/devel.tsv": "train", "BC2GM-IOB/test.tsv": "test"}
TYPES = {"GENE", None}  # typed MTL tags, or the bare B/I tags of the BioBERT copy
RECIPE = IOBEntities("task31", FILES, frozenset(TYPES))

CORPUS = Corpus(
    id="bc2gm",
    name="BioCreative II Gene Mention (BC2GM)",
    paper_names=("BC2GM",),
    homepage="https://biocreative.bioinformatics.udel.edu/tasks/biocreative-ii/task-1a-gene-mention-tagging/",
    download="data/BC2GM-IOB/{train,devel,test}.tsv of github.com/cambridgeltl/MTL-Bioinformatics-2016",
    citation="""@article{smith2008overview,
  title = {Overview of BioCreative II gene mention recognition},
  author = {Smith, Larry and Tanabe, Lorraine K. and Ando, Rie Johnson nee and Kuo, Cheng-Ju and Chung, I-Fang and
            Hsu, Chun-Nan and Lin, Yu-Shi and Klinger, Roman and Friedrich, Christoph M. and Ganchev, Kuzman and
            others},
  journal = {Genome Biology},
  volume = {9},
  number = {Suppl 2},
  pages = {S2},
  year = {2008}
}""",
    license="CC-BY-4.0",
    license_source="LICENSE.md and README of github.com/cambridgeltl/MTL-Bioinformatics-2016, which distributes "
    "the IOB files (code MIT, other materials CC BY 4.0); the BioCreative II release itself was not read",
    redistribution=BY_LICENCE,
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=RECIPE.raw_files("token<TAB>tag"),
    sources=(
        Download(
            "https://raw.githubusercontent.com/cambridgeltl/MTL-Bioinformatics-2016/df0df02fae6dbb87d88ffcf323b9096528f06f84/data/BC2GM-IOB/train.tsv",
            target="BC2GM-IOB/train.tsv",
            size=2_894_167,
            sha256="46e17f4e1509483b82c03f27d6f0214020f738fb71704356fb3445eb824ab38d",
        ),
        Download(
            "https://raw.githubusercontent.com/cambridgeltl/MTL-Bioinformatics-2016/df0df02fae6dbb87d88ffcf323b9096528f06f84/data/BC2GM-IOB/devel.tsv",
            target="BC2GM-IOB/devel.tsv",
            size=577_660,
            sha256="33a94577aa22f1e70ec9e02781a05baa4e1390e866d28bf2b344888e4e3d4103",
        ),
        Download(
            "https://raw.githubusercontent.com/cambridgeltl/MTL-Bioinformatics-2016/df0df02fae6dbb87d88ffcf323b9096528f06f84/data/BC2GM-IOB/test.tsv",
            target="BC2GM-IOB/test.tsv",
            size=1_165_057,
            sha256="30d7a4f571ca8ed22a044528063ba5d0388d666d8b8b329733d6927e5fb30764",
        ),
    ),
)

TASKS = (
    Task(
        "task31",
        "task31_gene_extraction_bc2gm_dataset",
        "Named Entity Recognition",
        entity_instruction("gene or protein"),
        notes="Sentence-level, as the IOB release has no document boundaries.",
    ),
)


BUILDER = Builder(CORPUS, TASKS, RECIPE)
