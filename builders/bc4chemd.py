"""BioCreative IV CHEMDNER (BC4CHEMD): chemical and drug mentions in PubMed abstracts (IOB release).

One instance is one sentence (the IOB files keep no document boundaries); the answer is the set of
distinct chemical mentions, tokens joined by single spaces as in the sentence. Official split: train
and devel are train, test is test.
"""

from __future__ import annotations

from meds_ins.builder import Builder, Corpus, Download, IOBEntities, Task, Withheld, entity_instruction

FILES = {"BC4CHEMD/train.tsv": "train", "BC4CHEMD/devel.tsv": "train", "BC4CHEMD/test.tsv": "test"}
TYPES = {"Chemical", None}  # typed MTL tags, or the bare B/I tags of the BioBERT copy
RECIPE = IOBEntities("task125", FILES, frozenset(TYPES))

CORPUS = Corpus(
    id="bc4chemd",
    name="BioCreative IV CHEMDNER (BC4CHEMD)",
    paper_names=("BC4-Chem",),
    homepage="https://biocreative.bioinformatics.udel.edu/tasks/biocreative-iv/chemdner/",
    download="data/BC4CHEMD/{train,devel,test}.tsv of github.com/cambridgeltl/MTL-Bioinformatics-2016 "
    "(the BioBERT NER data set folder BC4CHEMD has the same file names)",
    citation="""@article{krallinger2015chemdner,
  title = {The CHEMDNER corpus of chemicals and drugs and its annotation principles},
  author = {Krallinger, Martin and Rabal, Obdulia and Leitner, Florian and Vazquez, Miguel and Salgado, David and
            Lu, Zhiyong and Leaman, Robert and Lu, Yanan and Ji, Donghong and Lowe, Daniel M. and others},
  journal = {Journal of Cheminformatics},
  volume = {7},
  number = {Suppl 1},
  pages = {S2},
  year = {2015}
}""",
    license="unknown",
    license_source="no licence statement found; the README of github.com/cambridgeltl/MTL-Bioinformatics-2016 "
    "says the re-distribution status of BC4CHEMD is unclear although the corpus is publicly accessible",
    redistribution=Withheld(
        "no licence found; the README of its IOB redistribution calls its re-distribution status unclear"
    ),
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=RECIPE.raw_files("token<TAB>tag"),
    sources=(
        Download(
            "https://raw.githubusercontent.com/cambridgeltl/MTL-Bioinformatics-2016/df0df02fae6dbb87d88ffcf323b9096528f06f84/data/BC4CHEMD/train.tsv",
            target="BC4CHEMD/train.tsv",
            git_blob="f46f93b33d2152d83bbe6302557f48b809b53d2f",
        ),
        Download(
            "https://raw.githubusercontent.com/cambridgeltl/MTL-Bioinformatics-2016/df0df02fae6dbb87d88ffcf323b9096528f06f84/data/BC4CHEMD/devel.tsv",
            target="BC4CHEMD/devel.tsv",
            git_blob="607eed70e400da4ce4fd6efea26910458dc71626",
        ),
        Download(
            "https://raw.githubusercontent.com/cambridgeltl/MTL-Bioinformatics-2016/df0df02fae6dbb87d88ffcf323b9096528f06f84/data/BC4CHEMD/test.tsv",
            target="BC4CHEMD/test.tsv",
            git_blob="ce2aeda424709c92e05b022f4f8429970e47444e",
        ),
    ),
    notes="Marked not redistributable because its only IOB redistributor calls the re-distribution status "
    "unclear. No real sample was available to test on (every file is over 4 MiB); the builder reads the "
    "same IOB layout as the other MTL-Bioinformatics-2016 sets.",
)

TASKS = (
    Task(
        "task125",
        "task125_bc4chem_named_enetity_recognition",
        "Named Entity Recognition",
        entity_instruction("chemical or drug"),
        in_bench=True,
        notes="Both splits: the reference lists no separate training task for BC4CHEMD. The published benchmark "
        "file holds 1,500 test sentences; here the test split is the whole official test set.",
    ),
)


BUILDER = Builder(CORPUS, TASKS, RECIPE)
