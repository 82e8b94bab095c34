"""ICD-10-CM and ICD-10-PCS: explain what a code stands for, from the official code tables.

The builder reads the yearly code files published by CMS and NCHS: the order files
icd10cm_order_YYYY.txt (diagnoses) and icd10pcs_order_YYYY.txt (procedures), or, without them, the code
files icd10cm_codes_YYYY.txt and icd10pcs_codes_YYYY.txt (billable codes only). Releases from 2026 spell
the names with hyphens (icd10cm-order-2026.txt, April updates icd10cm-order-April-1-2026.txt): read as
well. The addenda files (changes only) are left aside. Keep one release in the folder. No official split: 9:1 by category (the first three characters), so a category's codes stay on
one side.
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
    RawFormatError,
    Task,
    Withheld,
)
from meds_ins.formats.icd10 import (
    CODE_FILES,
    ORDER_FILES,
    dotted,
    iter_code_file,
    iter_order_file,
    one_release,
)

SYSTEMS = {"cm": "ICD-10-CM", "pcs": "ICD-10-PCS"}

CORPUS = Corpus(
    id="icd10_cm",
    name="ICD-10-CM and ICD-10-PCS code tables",
    paper_names=("ICD-10-CM",),
    homepage="https://www.cms.gov/medicare/coding-billing/icd-10-codes",
    download="the yearly 'Code Descriptions in Tabular Order' files from cms.gov/medicare/coding-billing/icd-10-codes "
    "(ICD-10-CM, also at cdc.gov/nchs/icd/icd-10-cm) and the ICD-10-PCS 'Codes file' of the same year",
    citation="""@misc{icd10cm,
  title = {{ICD-10-CM} and {ICD-10-PCS} code descriptions},
  author = {{Centers for Medicare \\& Medicaid Services} and {National Center for Health Statistics}},
  howpublished = {\\url{https://www.cms.gov/medicare/coding-billing/icd-10-codes}}
}""",
    license="unknown",
    license_source="no licence statement was read: the files are published for free download by CMS and NCHS "
    "(US government agencies), while ICD-10, on which ICD-10-CM builds, is a WHO classification; the MedS-Ins "
    "reference lists the licence as unverified",
    redistribution=Withheld(
        "no statement allowing redistribution was read: CMS and NCHS publish the files for "
        "download, and ICD-10-CM builds on the WHO's ICD-10"
    ),
    access="public",
    languages=("en",),
    text_source="Medical Knowledge",
    raw_files=(
        RawFile(
            ORDER_FILES["cm"],
            "ICD-10-CM codes in tabular order, with short and long descriptions",
            required=False,
        ),
        RawFile(ORDER_FILES["pcs"], "ICD-10-PCS codes in tabular order, with descriptions", required=False),
        RawFile(CODE_FILES["cm"], "ICD-10-CM billable codes (used without the order file)", required=False),
        RawFile(CODE_FILES["pcs"], "ICD-10-PCS codes (used without the order file)", required=False),
    ),
    sources=(
        Download(
            "https://www.cms.gov/medicare/coding-billing/icd-10-codes",
            target="<year>-code-descriptions-tabular-order.zip",
            manual="CMS re-issues each year's zip under the same address without a checksum: download 'Code Descriptions in Tabular Order' (and the ICD-10-PCS codes file) of one fiscal year and unpack them into the corpus folder",
        ),
    ),
    notes="The MedS-Ins release crawled the descriptions from a website (icd10data.com); this builder uses the "
    "official code tables instead. Header codes (categories) are included. ICD-10-CM codes are shown with "
    "their dot (E11.9), ICD-10-PCS codes have none. Variant, read: the hyphenated file names of releases "
    "from 2026 (icd10cm-order-2026.txt). The addenda files list only changes and are not read.",
)

TASKS = (
    Task(
        "task115",
        "task115_icd10_code_explanation",
        "Explanation",
        "Explain the ICD-10 code below: give the full official description of the diagnosis (ICD-10-CM) or the "
        "procedure (ICD-10-PCS) it stands for.",
        split_policy="random-9:1",
        notes="One instance per code of both code sets; the long description is the primary answer, the short "
        "one (when it differs) is also accepted. No official split; 9:1 by three-character category.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    for system, name in SYSTEMS.items():
        path = one_release(ctx.files(ORDER_FILES[system]), f"{name} order file")
        if path is not None:
            entries = iter_order_file(path)
        else:
            path = one_release(ctx.files(CODE_FILES[system]), f"{name} code file")
            if path is None:
                continue
            entries = iter_code_file(path)
        seen: dict[str, int] = {}
        for line, entry in entries:
            if entry.code in seen:
                raise RawFormatError(
                    path, f"line {line}", f"code {entry.code} repeats line {seen[entry.code]}"
                )
            seen[entry.code] = line
            shown = dotted(entry.code) if system == "cm" else entry.code
            outputs = list(dict.fromkeys((entry.long, entry.short)))
            meta = {"code": entry.code, "system": name, "billable": entry.billable}
            group = f"{system}-{entry.code[:3]}"
            yield Example(
                "task115", f"{system}-{entry.code}", f"{name} code: {shown}", outputs, group=group, meta=meta
            )


BUILDER = Builder(CORPUS, TASKS, generate)
