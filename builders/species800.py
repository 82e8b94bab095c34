"""Species-800 (S800): organism mentions in 800 PubMed abstracts, in the IOB release of the BioBERT sets.

One instance is one sentence (the IOB files keep no document boundaries); the answer is the set of
distinct organism mentions, tokens joined by single spaces as in the sentence. Official split: train and
devel are train, test is test.
"""

from __future__ import annotations

from meds_ins.builder import Builder, Corpus, Download, IOBEntities, Task, Withheld, entity_instruction

FILES = {"s800/train.tsv": "train", "s800/devel.tsv": "train", "s800/test.tsv": "test"}
TYPES = {None, "Species"}  # bare B/I tags as BioBERT writes them; typed tags accepted too
RECIPE = IOBEntities("task128", FILES, frozenset(TYPES))

CORPUS = Corpus(
    id="species800",
    name="Species-800 (S800)",
    paper_names=("Species-800",),
    homepage="https://species.jensenlab.org/",
    download="the s800 folder ({train,devel,test}.tsv) of the BioBERT NER data sets, which the Hugging Face "
    "species_800 loader downloads",
    citation="""@article{pafilis2013species,
  title = {The SPECIES and ORGANISMS Resources for Fast and Accurate Identification of Taxonomic Names in Text},
  author = {Pafilis, Evangelos and Frankild, Sune P. and Fanini, Lucia and Faulwetter, Sarah and Pavloudi, Christina
            and Vasileiadou, Aikaterini and Arvanitidis, Christos and Jensen, Lars Juhl},
  journal = {PLoS ONE},
  volume = {8},
  number = {6},
  pages = {e65390},
  year = {2013}
}""",
    license="unknown",
    license_source="no licence statement found; the Hugging Face species_800 card gives 'unknown'",
    redistribution=Withheld(
        "the corpus page (species.jensenlab.org) offers it 'subject to Medline restrictions'"
    ),
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=RECIPE.raw_files("token<TAB>B/I/O"),
    sources=(
        Download(
            "https://drive.google.com/uc?id=1OletxmPYNkz2ltOr9pyT0b0iBtUWxslh&export=download",
            target="NERdata.zip",
            manual="Google Drive asks a browser to confirm the download, which a program cannot do reliably: open the link, download the file (BioBERT's NER data sets) and unpack its s800 folder into the corpus folder (s800/train.tsv, devel.tsv, test.tsv)",
        ),
    ),
    notes="No real sample was available to test on: the S800 repositories hold split lists and a revised "
    "brat version, not these IOB files. The builder reads the BioBERT layout the MedS-Ins script used.",
)

TASKS = (
    Task(
        "task128",
        "task128_species800_named_enetity_recognition",
        "Named Entity Recognition",
        entity_instruction("organism or species name"),
        in_bench=True,
        notes="Both splits: the reference lists no separate training task for Species-800 (the MedS-Ins script "
        "read test.tsv only). The published benchmark file holds 1,500 test sentences; here the test split is "
        "the whole official test set, and sentences keep single spaces before punctuation so that every "
        "entity is a substring of its sentence.",
    ),
)


BUILDER = Builder(CORPUS, TASKS, RECIPE)
