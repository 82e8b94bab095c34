"""NCBI Disease corpus: disease mentions in PubMed abstracts.

Reads either the original NCBI release (PubTator-like text: title, abstract and mention lines per
document) or the IOB release of the MTL-Bioinformatics-2016 sets. With the original files an instance is
one abstract (title and abstract); with the IOB files, which keep no document boundaries, it is one
sentence. When both are present the original release is used and the IOB files are not read. The answer
is the set of distinct disease mentions of all four classes, in order of appearance. Official split:
train and devel(op) sets are train, the test set is test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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
    settle_repeats,
)
from meds_ins.formats.iob import iter_sentences
from meds_ins.formats.pubtator import iter_documents

ORIGINAL = {
    "NCBItrainset_corpus.txt": "train",
    "NCBIdevelopset_corpus.txt": "train",
    "NCBItestset_corpus.txt": "test",
}
IOB = {
    "NCBI-disease-IOB/train.tsv": "train",
    "NCBI-disease-IOB/devel.tsv": "train",
    "NCBI-disease-IOB/test.tsv": "test",
}
CLASSES = {"SpecificDisease", "DiseaseClass", "Modifier", "CompositeMention"}
TASK = "task27"

CORPUS = Corpus(
    id="ncbi_disease",
    name="NCBI Disease Corpus",
    paper_names=("NCBI Disease Corpus",),
    homepage="https://www.ncbi.nlm.nih.gov/CBBresearch/Dogan/DISEASE/",
    download="NCBI{train,develop,test}set_corpus.txt from the corpus page (zipped), also in original-data/ of "
    "github.com/spyysalo/ncbi-disease; or data/NCBI-disease-IOB/{train,devel,test}.tsv of "
    "github.com/cambridgeltl/MTL-Bioinformatics-2016",
    citation="""@article{dogan2014ncbi,
  title = {NCBI disease corpus: A resource for disease name recognition and concept normalization},
  author = {Do{\\u{g}}an, Rezarta Islamaj and Leaman, Robert and Lu, Zhiyong},
  journal = {Journal of Biomedical Informatics},
  volume = {47},
  pages = {1--10},
  year = {2014}
}""",
    license="public-domain",
    license_source="original-data/LICENSE of github.com/spyysalo/ncbi-disease: the NLM 'PUBLIC DOMAIN NOTICE' "
    "for a US Government work (the bigbio/ncbi_disease card gives cc0-1.0; the MTL IOB copy says CC BY 4.0)",
    redistribution=BY_LICENCE,
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=tuple(
        RawFile(name, f"original release, {split} part: PMID|t|, PMID|a| and mention lines", required=False)
        for name, split in ORIGINAL.items()
    )
    + tuple(
        RawFile(name, f"IOB sentences of the {Path(name).stem} part (token<TAB>tag)", required=False)
        for name in IOB
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/spyysalo/ncbi-disease/5a266c6fc76fb2b5184cfa397ff0a5ecdb133aec/original-data/train/NCBItrainset_corpus.txt",
            target="NCBItrainset_corpus.txt",
            size=1_045_967,
            sha256="f311381b28a6d0f641f57f4a963bb83619c2bdec5cd9caabb1381f894d5db817",
            note="third-party copy (spyysalo/ncbi-disease) of the files NCBI distributes zipped on the corpus page",
        ),
        Download(
            "https://raw.githubusercontent.com/spyysalo/ncbi-disease/5a266c6fc76fb2b5184cfa397ff0a5ecdb133aec/original-data/devel/NCBIdevelopset_corpus.txt",
            target="NCBIdevelopset_corpus.txt",
            size=178_373,
            sha256="02db559974624ae9cbe6cd95d64d953e6926bb63afb6b25b63e53bd8b41a4b55",
            note="third-party copy (spyysalo/ncbi-disease) of the files NCBI distributes zipped on the corpus page",
        ),
        Download(
            "https://raw.githubusercontent.com/spyysalo/ncbi-disease/5a266c6fc76fb2b5184cfa397ff0a5ecdb133aec/original-data/test/NCBItestset_corpus.txt",
            target="NCBItestset_corpus.txt",
            size=189_219,
            sha256="61c8050bf6979ef7b943ec1158dfc03b651ea3367d4c37356f9de4841e85c9a3",
            note="third-party copy (spyysalo/ncbi-disease) of the files NCBI distributes zipped on the corpus page",
        ),
    ),
    notes="Instances are abstracts when built from the original release and sentences when built from the "
    "IOB release; the entity sets agree in kind (all disease mentions). In the original release, a mention "
    "whose text differs from the text at its offsets only by surrounding spaces is a padded field, read as "
    "the text at its offsets and counted (one in NCBItrainset_corpus.txt: PMID 10923035, offsets 711-761). "
    "An abstract listed twice with the same text and mentions is kept once and counted (PMID 8528200, twice "
    "in the training file); copies that differ are all left out and counted. Defects of one abstract, "
    "skipped and counted: a mention that does not match its offsets otherwise, a mention class other than "
    "the four, a line that is neither a mention nor a relation.",
)

TASKS = (
    Task(
        TASK,
        "task27_disease_entity_extraction_ncbi_dataset",
        "Named Entity Recognition",
        entity_instruction("disease", "biomedical text"),
        notes="All four mention classes of the corpus (specific disease, disease class, modifier, composite "
        "mention) count as diseases.",
        audit_exceptions={
            "audit.duplicate-input": "the IOB release repeats some sentences (titles and abstracts that recur in the collection) with the same annotation",
        },
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    originals = {name: ctx.optional(name) for name in ORIGINAL}
    if any(originals.values()):
        abstracts = (
            example
            for name, path in originals.items()
            if path is not None
            for example in _abstracts(ctx, path, ORIGINAL[name])
        )
        yield from settle_repeats(ctx, abstracts, "abstract")
        return
    for name, split in IOB.items():
        path = ctx.optional(name)
        if path is None:
            continue
        for sentence in iter_sentences(path, types={"Disease", None}):
            output, meta = located_entity_list(sentence.text, sentence.spans())
            yield Example(
                TASK, f"{Path(name).stem}-{sentence.line}", sentence.text, output, split=split, meta=meta
            )


def _abstracts(ctx: BuildContext, path: Path, split: str) -> Iterator[Example]:
    for doc in iter_documents(path, ctx.skip):
        if not doc.text.strip():
            ctx.skip("document without title and abstract")
            continue
        if {m.type for m in doc.mentions} - CLASSES:
            ctx.skip(f"abstract with a mention class other than {', '.join(sorted(CLASSES))}")
            continue
        text, spans = doc.stripped_text_and_spans()
        output, meta = located_entity_list(text, spans)
        yield Example(TASK, doc.pmid, text, output, split=split, meta=meta)


BUILDER = Builder(CORPUS, TASKS, generate)
