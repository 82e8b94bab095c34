"""MeQSum: consumer health questions paired with short summaries written by medical experts (xlsx).

The release has no split; a deterministic 9:1 split by the source file name gives the test part.
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
    RawFormatError,
    Task,
)
from meds_ins.formats.tables import iter_xlsx

WORKBOOK = "MeQSum_ACL2019_BenAbacha_Demner-Fushman.xlsx"
SHEET = "QS"

CORPUS = Corpus(
    id="meqsum",
    name="MeQSum",
    paper_names=("MeQSum",),
    homepage="https://github.com/abachaa/MeQSum",
    download=f"{WORKBOOK} from github.com/abachaa/MeQSum",
    citation="""@inproceedings{abacha2019summarization,
  title = {On the Summarization of Consumer Health Questions},
  author = {Ben Abacha, Asma and Demner-Fushman, Dina},
  booktitle = {Proceedings of ACL 2019},
  pages = {2228--2234},
  year = {2019}
}""",
    license="CC-BY-4.0",
    license_source="README.md of github.com/abachaa/MeQSum (no separate licence file)",
    redistribution=BY_LICENCE,
    access="public",
    languages=("en",),
    text_source="Daily Conversation",
    raw_files=(RawFile(WORKBOOK, f"workbook with sheet {SHEET!r}: columns File, CHQ (question), Summary"),),
    sources=(
        Download(
            "https://raw.githubusercontent.com/abachaa/MeQSum/51e36cf65c12602333b6fdc3ae8ecf10430529f7/MeQSum_ACL2019_BenAbacha_Demner-Fushman.xlsx",
            target="MeQSum_ACL2019_BenAbacha_Demner-Fushman.xlsx",
            size=216_310,
            sha256="abedd939d5014306ca576522416bf69103e85dc8fcf1668a4099e8b84a39eeea",
        ),
    ),
)

TASKS = (
    Task(
        "task114",
        "task114_medqsum_text_summurization",
        "Text Summarization",
        "A patient or caregiver wrote the health question below, often with background details. Rewrite it "
        "as one short question that keeps only what the person wants to know.",
        split_policy="random-9:1",
        in_bench=True,
        notes="No official split; 9:1 by a hash of the source file name.",
        audit_exceptions={
            "audit.personal-data": "one consumer wrote a birth year into a question that NLM published in the corpus; kept as released",
        },
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    path = ctx.file(WORKBOOK)
    seen: dict[str, int] = {}
    for row, cells in iter_xlsx(path, SHEET, ("File", "CHQ", "Summary")):
        if not cells["CHQ"] or not cells["Summary"]:
            ctx.skip("question or summary empty")
            continue
        key = cells["File"] or f"row{row}"
        if key in seen:
            raise RawFormatError(
                path,
                f"sheet {SHEET!r}, row {row}",
                f"File {key!r} repeats row {seen[key]}; expected one row per question",
            )
        seen[key] = row
        yield Example("task114", key.replace(" ", "_"), cells["CHQ"], cells["Summary"], group=key)


BUILDER = Builder(CORPUS, TASKS, generate)
