"""MS^2 (Multi-Document Summarization of Medical Studies), in the MSLR 2022 shared-task layout.

For each systematic review: the titles and abstracts of the studies it includes (inputs), its background
(reviews-info) and the summary of its findings (targets); see meds_ins.formats.mslr. The test targets
were never released (leaderboard), so the official train part is train and the dev part is test.
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
from meds_ins.formats.mslr import review_texts

SPLITS = {"train": "train", "dev": "test"}

CORPUS = Corpus(
    id="ms2",
    name="MS^2: Multi-Document Summarization of Medical Studies",
    paper_names=("MS2",),
    homepage="https://github.com/allenai/ms2",
    download="mslr-ms2-data.zip (or the ms2/ folder of mslr_data.tar.gz), linked from "
    "github.com/allenai/mslr-shared-task",
    citation="""@inproceedings{deyoung2021ms2,
  title = {MS2: Multi-Document Summarization of Medical Studies},
  author = {DeYoung, Jay and Beltagy, Iz and van Zuylen, Madeleine and Kuehl, Bailey and Wang, Lucy Lu},
  booktitle = {Proceedings of the 2021 Conference on Empirical Methods in Natural Language Processing},
  pages = {7494--7513},
  year = {2021}
}""",
    license="Semantic Scholar API and Dataset License Agreement",
    license_source="README.md of github.com/allenai/ms2 ('MS^2 is licensed under the Semantic Scholar API and "
    "Dataset License Agreement'); the Hugging Face card allenai/mslr2022 says apache-2.0",
    redistribution=Withheld(
        "the Semantic Scholar API and Dataset License Agreement named by its README is a separate "
        "agreement that was not read"
    ),
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=(
        *(RawFile(f"ms2/{part}-inputs.csv", f"studies of the {part} reviews") for part in SPLITS),
        *(RawFile(f"ms2/{part}-targets.csv", f"summaries of the {part} reviews") for part in SPLITS),
        *(
            RawFile(f"ms2/{part}-reviews-info.csv", f"backgrounds of the {part} reviews", required=False)
            for part in SPLITS
        ),
    ),
    sources=(
        Download(
            "https://ai2-s2-mslr.s3.us-west-2.amazonaws.com/mslr_data.tar.gz",
            unpack="tar.gz",
            strip="mslr_data/",
            members=("ms2/*.csv",),
            note="the MSLR 2022 archive (253 MB); an unversioned S3 object with no full checksum published",
        ),
    ),
    notes="Not marked redistributable: the licence agreement named by the MS^2 README was not read here and "
    "is a separate agreement with Semantic Scholar. Inputs are long (a review includes 23 studies on average).",
)

TASKS = (
    Task(
        "task109",
        "task109_ms2_text_summurization",
        "Text Summarization",
        "Below are the background of a systematic review and the titles and abstracts of the studies it "
        "includes. Write the review's conclusion: a short summary of what the studies together show.",
        notes="Official MSLR split with the unreleased test part left out: train -> train, dev -> test. The "
        "background is included when the reviews-info file is given.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    backgrounds: dict[str, str] = {}
    for part in SPLITS:
        info = ctx.optional(f"ms2/{part}-reviews-info.csv")
        if info is not None:
            backgrounds |= review_texts(info, "Background")
    for split, review, target, studies in summarized_reviews(ctx, SPLITS, "ms2/"):
        parts = [("Background", backgrounds.get(review.id, ""))]
        parts += [(f"Study {i}", study.text) for i, study in enumerate(studies, start=1)]
        meta = {"review_id": review.id, "pmids": [s.pmid for s in studies]}
        yield Example("task109", review.id, labelled(*parts), target, split=split, meta=meta)


BUILDER = Builder(CORPUS, TASKS, generate)
