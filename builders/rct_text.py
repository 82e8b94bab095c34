"""RCT summarization (Wallace et al.): the titles and abstracts of the randomized controlled trials a
Cochrane review includes, and the authors' conclusions of that review.

The release has the MSLR layout (see meds_ins.formats.mslr): {train,dev,test}-inputs.csv with one row per
trial and {train,dev,test}-targets.csv with one conclusion per review. Official split: train and dev are
train, test is test.
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
    labelled,
    summarized_reviews,
)

SPLITS = {"train": "train", "dev": "train", "test": "test"}

CORPUS = Corpus(
    id="rct_text",
    name="RCT summarization (Cochrane conclusions from trial abstracts)",
    paper_names=("RCT",),
    homepage="https://github.com/bwallace/RCT-summarization-data",
    download="the six CSV files of github.com/bwallace/RCT-summarization-data (the same data, without test "
    "targets, is the Cochrane part of the MSLR 2022 shared task)",
    citation="""@inproceedings{wallace2021generating,
  title = {Generating (Factual?) Narrative Summaries of RCTs: Experiments with Neural Multi-Document Summarization},
  author = {Wallace, Byron C. and Saha, Sayantan and Soboczenski, Frank and Marshall, Iain J.},
  booktitle = {Proceedings of the AMIA Informatics Summit},
  year = {2021}
}""",
    license="unknown",
    license_source="README.md of github.com/bwallace/RCT-summarization-data states no licence (inputs are "
    "PubMed abstracts, targets the conclusions of Cochrane review abstracts); the repository has no licence file",
    redistribution=Withheld(
        "no licence or statement allowing redistribution found: the README describes the data "
        "only (the targets are Cochrane review conclusions)"
    ),
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=(
        *(
            RawFile(f"{part}-inputs.csv", f"trials (PMID, title, abstract) of the {part} reviews")
            for part in SPLITS
        ),
        *(RawFile(f"{part}-targets.csv", f"authors' conclusions of the {part} reviews") for part in SPLITS),
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/bwallace/RCT-summarization-data/de10c2712873efa1733859f2d7113af60427d7b2/train-inputs.csv",
            target="train-inputs.csv",
            git_blob="78a57f9ad2bb0887fa4cb71f5510677dc3c1fe55",
        ),
        Download(
            "https://raw.githubusercontent.com/bwallace/RCT-summarization-data/de10c2712873efa1733859f2d7113af60427d7b2/train-targets.csv",
            target="train-targets.csv",
            size=1_785_037,
            sha256="558718e9588c714de4159b3817d52faf51114f0a8babd8b312e64bd7910ba28e",
        ),
        Download(
            "https://raw.githubusercontent.com/bwallace/RCT-summarization-data/de10c2712873efa1733859f2d7113af60427d7b2/dev-inputs.csv",
            target="dev-inputs.csv",
            git_blob="a257c714681577ade41addb46be11becdc856fe2",
        ),
        Download(
            "https://raw.githubusercontent.com/bwallace/RCT-summarization-data/de10c2712873efa1733859f2d7113af60427d7b2/dev-targets.csv",
            target="dev-targets.csv",
            size=230_267,
            sha256="ca8062280ffa8c12293ee20e34c142c1a3e315f06aed7b5c166c32c09a358bd1",
        ),
        Download(
            "https://raw.githubusercontent.com/bwallace/RCT-summarization-data/de10c2712873efa1733859f2d7113af60427d7b2/test-inputs.csv",
            target="test-inputs.csv",
            git_blob="e349e199b8ba0871cb81b30ca39f415462c59d5f",
        ),
        Download(
            "https://raw.githubusercontent.com/bwallace/RCT-summarization-data/de10c2712873efa1733859f2d7113af60427d7b2/test-targets.csv",
            target="test-targets.csv",
            size=223_814,
            sha256="b11f08cb9e7a8006ae561598bbe4b0dd622872650f59b916c07f032ff3d9cd84",
        ),
    ),
)

TASKS = (
    Task(
        "task110",
        "task110_rct_text_summurization",
        "Text Summarization",
        "Below are the titles and abstracts of randomized controlled trials that one systematic review "
        "examined. Write the review authors' conclusions: what the trials together show and how certain "
        "that evidence is.",
        in_bench=True,
        notes="The reference describes RCT-Text as clinical-study titles and abstracts -> conclusions, which "
        "is this release (trial reports -> Cochrane authors' conclusions); PubMed 200k RCT, the other "
        "candidate, has neither titles nor several studies per target. The benchmark file held 100 items, a "
        "sample of the test part.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    for split, review, target, trials in summarized_reviews(ctx, SPLITS, study="trial", summary="conclusion"):
        text = labelled(*((f"Trial {i}", trial.text) for i, trial in enumerate(trials, start=1)))
        meta = {"review_id": review.id, "pmids": [t.pmid for t in trials]}
        yield Example("task110", review.id, text, target, split=split, meta=meta)


BUILDER = Builder(CORPUS, TASKS, generate)
