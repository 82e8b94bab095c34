"""BioCreative V CDR: PubMed titles and abstracts with chemical and disease mentions (PubTator format).

One instance is one document (title and abstract); the answer is the set of distinct mention strings
of one type, in order of first appearance, and `meta["spans"]` keeps each mention's offsets. Official split: training and development sets are train,
the test set is test.
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
    Task,
    Withheld,
    entity_instruction,
    located_entity_list,
)
from meds_ins.formats.pubtator import iter_documents

FILES = {
    "CDR_TrainingSet.PubTator.txt": "train",
    "CDR_DevelopmentSet.PubTator.txt": "train",
    "CDR_TestSet.PubTator.txt": "test",
}

CORPUS = Corpus(
    id="bc5cdr",
    name="BioCreative V CDR",
    paper_names=("BC5-Chem", "BioCreative V"),
    homepage="https://biocreative.bioinformatics.udel.edu/tasks/biocreative-v/track-3-cdr/",
    download="CDR_Data.zip from the BioCreative V CDR track page; the PubTator files are "
    "in CDR_Data/CDR.Corpus.v010516/",
    citation="""@article{li2016biocreative,
  title = {BioCreative V CDR task corpus: a resource for chemical disease relation extraction},
  author = {Li, Jiao and Sun, Yueping and Johnson, Robin J. and Sciaky, Daniela and Wei, Chih-Hsuan and
            Leaman, Robert and Davis, Allan Peter and Mattingly, Carolyn J. and Wiegers, Thomas C. and Lu, Zhiyong},
  journal = {Database},
  volume = {2016},
  pages = {baw068},
  year = {2016}
}""",
    license="unknown",
    license_source="the PubTator release carries no licence file; the bigbio/bc5cdr card lists 'other'",
    redistribution=Withheld(
        "no licence or statement allowing redistribution found: the release's readme.txt "
        "describes the files and formats only"
    ),
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=tuple(
        RawFile(name, f"PubTator file of the {split} part", required=False) for name, split in FILES.items()
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/cambridgeltl/bmip-2018/0b66ee9245653b622cb6c36ba13d018b21b5b80e/BC5-CDR/original-data/CDR_TrainingSet.PubTator.txt",
            target="CDR_TrainingSet.PubTator.txt",
            size=1_129_998,
            sha256="7afcec134e3d4871e74b0398d92850d3c9ac94c0bdc780003f2d60184c012bd8",
            note="third-party copy of the PubTator files of CDR_Data.zip (BioCreative V CDR)",
        ),
        Download(
            "https://raw.githubusercontent.com/cambridgeltl/bmip-2018/0b66ee9245653b622cb6c36ba13d018b21b5b80e/BC5-CDR/original-data/CDR_DevelopmentSet.PubTator.txt",
            target="CDR_DevelopmentSet.PubTator.txt",
            size=1_127_990,
            sha256="9e18d8e700168887a7919e62f67ac2ce2357e3f409a48ee992906abdd80fe3e5",
            note="third-party copy of the PubTator files of CDR_Data.zip (BioCreative V CDR)",
        ),
        Download(
            "https://raw.githubusercontent.com/cambridgeltl/bmip-2018/0b66ee9245653b622cb6c36ba13d018b21b5b80e/BC5-CDR/original-data/CDR_TestSet.PubTator.txt",
            target="CDR_TestSet.PubTator.txt",
            size=1_168_687,
            sha256="a3c48d5f35bdfce20c2371778abedc9fd24d1da092207072e5181ad53c8d0e2f",
            note="third-party copy of the PubTator files of CDR_Data.zip (BioCreative V CDR)",
        ),
    ),
    notes="Counts as two corpora in the MedS-Ins paper (BC5-Chem for chemicals, BioCreative V for diseases).",
)

DISEASE_INSTRUCTION = entity_instruction("disease or medical condition", "PubMed title and abstract")
CHEMICAL_INSTRUCTION = entity_instruction("chemical or drug", "PubMed title and abstract")

TASKS = (
    Task(
        "task28",
        "task28_disease_entity_extraction_bc5cdr_dataset",
        "Named Entity Recognition",
        DISEASE_INSTRUCTION,
        splits=("train",),
        split_policy="train-only",
        notes="Training and development documents; task127 holds the test documents of the same task.",
    ),
    Task(
        "task126",
        "task126_bc5chem_named_enetity_recognition",
        "Named Entity Recognition",
        CHEMICAL_INSTRUCTION,
        in_bench=True,
        notes="Both splits: the reference lists no separate training task for chemicals.",
    ),
    Task(
        "task127",
        "task127_test_bc5disease_named_enetity_recognition",
        "Named Entity Recognition",
        DISEASE_INSTRUCTION,
        splits=("test",),
        split_policy="test-only",
        in_bench=True,
        notes="Test documents of the disease task; task28 holds the training part.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    for name, split in FILES.items():
        path = ctx.optional(name)
        if path is None:
            continue
        for doc in iter_documents(path, ctx.skip):
            text, diseases = doc.stripped_text_and_spans("Disease")
            if not text:
                ctx.skip("document without title and abstract")
                continue
            disease, disease_meta = located_entity_list(text, diseases)
            chemical, chemical_meta = located_entity_list(text, doc.stripped_text_and_spans("Chemical")[1])
            yield Example(
                "task28" if split == "train" else "task127", doc.pmid, text, disease, meta=disease_meta
            )
            yield Example("task126", doc.pmid, text, chemical, split=split, meta=chemical_meta)


BUILDER = Builder(CORPUS, TASKS, generate)
