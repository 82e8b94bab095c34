"""BioCreative II Gene Mention (BC2GM): gene and protein mentions in PubMed sentences (IOB release).

One instance is one sentence (the IOB files keep no document boundaries); the answer is the set of
distinct gene mentions, tokens joined by single spaces as in the sentence. Official split: train and
devel are train, test is test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from meds_ins.builder import BuildContext, Builder, Corpus, Example, RawFile, Task
from meds_ins.formats.iob import iter_sentences
from meds_ins.layouts import entity_list

FILES = {"BC2GM-IOB/train.tsv": "train", "BC2GM-IOB/devel.tsv": "train", "BC2GM-IOB/test.tsv": "test"}
TYPES = {"GENE", None}  # typed MTL tags, or the bare B/I tags of the BioBERT copy

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
    access="public",
    redistributable=True,
    languages=("en",),
    text_source="Academic Papers",
    raw_files=tuple(
        RawFile(name, f"IOB sentences of the {Path(name).stem} part (token<TAB>tag)", required=False)
        for name in FILES
    ),
)

TASKS = (
    Task(
        "task31",
        "task31_gene_extraction_bc2gm_dataset",
        "Named Entity Recognition",
        "List every gene or protein mentioned in the sentence below. Give each distinct mention once, exactly "
        "as written, separated by commas, in order of appearance. If there is none, reply: There is no "
        "related entity.",
        notes="Sentence-level, as the IOB release has no document boundaries.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    for name, split in FILES.items():
        path = ctx.optional(name)
        if path is None:
            continue
        for sentence in iter_sentences(path, types=TYPES):
            output, meta = entity_list(sentence.entities())
            key = f"{Path(name).stem}-{sentence.line}"
            yield Example("task31", key, sentence.text, output, split=split, meta=meta)


BUILDER = Builder(CORPUS, TASKS, generate)
