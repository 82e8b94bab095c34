"""HealthFact (PUBHEALTH): public-health claims with a verdict, the fact-checkers' explanation and article.

Tab-separated with a header and quoted fields (texts hold tabs, line breaks and doubled quotes).
train.tsv and dev.tsv have the columns claim_id, claim, date_published, explanation, fact_checkers,
main_text, sources, label, subjects; test.tsv has an extra unnamed index column in front. Missing values
are empty or the string `nan`; a few rows carry a stray value instead of one of the four verdicts.
Official split: train and dev are train, test is test.
"""

from __future__ import annotations

from collections.abc import Iterator

from meds_ins.builder import (
    BY_LICENCE,
    BuildContext,
    Builder,
    Corpus,
    Download,
    Example,
    RawFile,
    Task,
    labelled,
)
from meds_ins.formats.tables import iter_csv

FILES = {"PUBHEALTH/train.tsv": "train", "PUBHEALTH/dev.tsv": "train", "PUBHEALTH/test.tsv": "test"}
COLUMNS = ("claim_id", "claim", "explanation", "main_text", "label")
VERDICTS = ("true", "false", "mixture", "unproven")

CORPUS = Corpus(
    id="healthfact",
    name="PUBHEALTH (HealthFact)",
    paper_names=("HealthFact",),
    homepage="https://github.com/neemakot/Health-Fact-Checking",
    download="the PUBHEALTH archive linked from data/README.md of github.com/neemakot/Health-Fact-Checking "
    "(Google Drive); it unpacks to PUBHEALTH/{train,dev,test}.tsv",
    citation="""@inproceedings{kotonya2020explainable,
  title = {Explainable Automated Fact-Checking for Public Health Claims},
  author = {Kotonya, Neema and Toni, Francesca},
  booktitle = {Proceedings of the 2020 Conference on Empirical Methods in Natural Language Processing (EMNLP)},
  pages = {7740--7754},
  year = {2020}
}""",
    license="MIT",
    license_source="LICENSE file of github.com/neemakot/Health-Fact-Checking (MIT, worded for the software; "
    "the data README and DATASHEET state no other terms)",
    redistribution=BY_LICENCE,
    access="public",
    languages=("en",),
    text_source="Medical Knowledge",
    raw_files=tuple(RawFile(path, f"claims of the {path.split('/')[1][:-4]} part") for path in FILES),
    sources=(
        Download(
            "https://drive.google.com/uc?export=download&id=1eTtRs5cUlBP5dXsx-FTAlmXuB6JQi2qj",
            target="PUBHEALTH.zip",
            manual="Google Drive asks a browser to confirm the download, which a program cannot do reliably: open the link, download the file PUBHEALTH.zip and unpack it into the corpus folder (PUBHEALTH/train.tsv, dev.tsv, test.tsv)",
        ),
    ),
    notes="Claims come from fact-checking and news-review sites (Snopes, Politifact, Reuters, "
    "HealthNewsReview, ...).",
)

TASKS = (
    Task(
        "task16",
        "task16_healthfact_classification",
        "Fact Verification",
        "Judge the public-health claim below using the fact-checking article that follows it. On the first "
        "line, answer with one word: true, false, mixture (partly true and partly false) or unproven (the "
        "evidence cannot settle it).",
        in_bench=True,
        notes="Input: the claim and the article's main text; output: the verdict. Rows whose label is not "
        "one of the four verdicts, or without main text, are skipped and counted.",
    ),
    Task(
        "task17",
        "task17_healthfact_sentence_generation",
        "Sentence Composition Analysis",
        "A fact-checker wrote the explanation below about a health claim that circulated in the media or "
        "online. Compose the claim itself: one sentence stating what was asserted.",
        notes="The reference gives only the file name; read as composing the checked claim from the "
        "fact-checkers' explanation (explanation -> claim). Every row with a claim and an explanation "
        "counts, whatever its label.",
    ),
    Task(
        "task18",
        "task18_healthfact_sentence_generation",
        "Explanation",
        "Here is a public-health claim and the verdict fact-checkers reached on it. Explain in a few "
        "sentences why the claim deserves that verdict.",
        in_bench=True,
        notes="Claim and verdict -> the fact-checkers' explanation. The benchmark file held all 1,235 rows "
        "of test.tsv; rows without a valid verdict or without an explanation are skipped here and counted.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    seen: set[str] = set()
    for name, split in FILES.items():
        path = ctx.file(name)
        for line, row in iter_csv(path, COLUMNS, delimiter="\t"):
            cells = {column: _value(row[column]) for column in COLUMNS}
            # ids become record keys, which hold no whitespace; rows without one are keyed by file and line
            key = "_".join(cells["claim_id"].split()) or f"{name.split('/')[1][:-4]}-line{line}"
            if key in seen:
                ctx.skip("repeated claim_id")
                continue
            seen.add(key)
            if not cells["claim"]:
                ctx.skip("row without a claim")
                continue
            yield from _examples(ctx, key, cells, split)


def _examples(ctx: BuildContext, key: str, cells: dict[str, str], split: str) -> Iterator[Example]:
    claim, explanation, article = cells["claim"], cells["explanation"], cells["main_text"]
    verdict = cells["label"].lower()
    if explanation:
        yield Example("task17", key, explanation, claim, split=split)
    else:
        ctx.skip("no explanation (tasks 17 and 18)")
    if verdict not in VERDICTS:
        ctx.skip("label not one of true, false, mixture, unproven (tasks 16 and 18)")
        return
    meta = {"label": verdict}
    if article:
        yield Example(
            "task16", key, labelled(("Claim", claim), ("Article", article)), verdict, split=split, meta=meta
        )
    else:
        ctx.skip("no main text (task 16)")
    if explanation:
        yield Example(
            "task18",
            key,
            labelled(("Claim", claim), ("Verdict", verdict)),
            explanation,
            split=split,
            meta=meta,
        )


def _value(cell: str) -> str:
    """The cell's text; the release writes some missing values as the string 'nan'."""
    text = cell.strip()
    return "" if text == "nan" else text


BUILDER = Builder(CORPUS, TASKS, generate)
