"""MIMIC-IV-Note radiology reports: FINDINGS -> IMPRESSION summaries by modality and anatomy, and the
classification of a report's imaging modality and body region.

Recipe only: MIMIC-IV-Note is credentialed PhysioNet data. The builder reads the user's own
note/radiology.csv.gz (one report per row: note_id, subject_id, hadm_id, note_type, note_seq, charttime,
storetime, text) and, when present, note/radiology_detail.csv.gz (note_id, subject_id, field_name,
field_value, field_ordinal), whose `exam_name` rows name the examination. Without the detail table (or
for a report it does not cover) the report's own EXAMINATION line is used. Both tables are streamed;
the exam names are held in a compact index (about 12 bytes per report) rather than a dict of strings.

Modality and anatomy come from keywords of the exam name (see MODALITY_WORDS and ANATOMY_WORDS). Every
task is split 9:1 by patient (subject_id), so a patient's reports stay on one side.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from meds_ins.builders._mimic_iv_note import DOWNLOAD, NOTE_CORPUS

from meds_ins.builder import BuildContext, Builder, Corpus, Example, RawFile, RawFormatError, Task, labelled
from meds_ins.formats.clinical_notes import RADIOLOGY, findings_and_impression, is_blank, iter_note_table

REPORTS = ("note/radiology.csv.gz", "note/radiology.csv")
DETAILS = ("note/radiology_detail.csv.gz", "note/radiology_detail.csv")
REPORT_COLUMNS = ("note_id", "subject_id", "text")
DETAIL_COLUMNS = ("note_id", "field_name", "field_value", "field_ordinal")

MODALITIES = ("X-ray", "CT", "MRI", "Ultrasound", "Angiography", "Mammography", "Pathology", "Fluoroscopy")
ANATOMIES = ("Chest", "Head and neck", "Brain", "Abdomen", "Pelvis", "Spine")

# Words of an exam name that show each modality: whole words, or word beginnings (ending in '*').
MODALITY_WORDS = {
    "CT": ("CT", "CTA", "CTU", "CTV"),
    "MRI": ("MR", "MRI", "MRA", "MRV", "MRCP"),
    "Ultrasound": ("US", "ULTRASOUND", "DUPLEX", "DOPPLER", "DOPP", "SONOGRA*"),
    "Angiography": ("CTA", "MRA", "ANGIOGRA*", "ANGIO", "ARTERIOGRA*", "VENOGRA*"),
    "Mammography": ("MAMMO*",),
    "Pathology": ("PATHOLOGY", "SPECIMEN"),
    "Fluoroscopy": ("FLUORO*", "ESOPHAGRAM", "ESOPHAGOGRAM", "BARIUM"),
}
# Plain radiographs are named by their views; they count only when no other modality is named.
XRAY_WORDS = ("XRAY", "XR", "RADIOGRAPH*", "PORTABLE", "VIEW", "VIEWS", "PA", "AP", "LAT", "LATERAL")
ANATOMY_WORDS = {
    "Chest": ("CHEST", "THORAX", "THORACIC", "LUNG", "LUNGS", "RIB", "RIBS", "STERNUM", "CARDIAC", "HEART"),
    "Head and neck": (
        "HEADNECK",
        "NECK",
        "SINUS",
        "SINUSES",
        "FACE",
        "FACIAL",
        "ORBIT",
        "ORBITS",
        "MAXILLOFACIAL",
        "MANDIBLE",
        "TEMPORAL",
        "IAC",
        "THYROID",
        "PAROTID",
        "CAROTID",
        "LARYNX",
        "TMJ",
    ),
    "Brain": ("BRAIN", "HEAD", "SKULL", "PITUITARY", "SELLA", "INTRACRANIAL"),
    "Abdomen": (
        "ABD",
        "ABDOMEN",
        "ABDOMINAL",
        "LIVER",
        "HEPATIC",
        "GALLBLADDER",
        "BILIARY",
        "RUQ",
        "PANCREAS",
        "PANCREATIC",
        "KIDNEY",
        "KIDNEYS",
        "RENAL",
        "SPLEEN",
        "ADRENAL",
        "MRCP",
        "ENTEROGRAPHY",
    ),
    "Pelvis": (
        "PELVIS",
        "PELVIC",
        "PEL",
        "PROSTATE",
        "BLADDER",
        "UTERUS",
        "OVARY",
        "OVARIES",
        "TRANSVAGINAL",
    ),
    "Spine": ("SPINE", "SPINAL", "LUMBAR", "LUMBOSACRAL", "SACRUM", "SACRAL", "COCCYX", "MYELOGRAM"),
}

# Summary tasks by modality (the five without an anatomy split) and by (modality, anatomy) for CT and MRI.
MODALITY_TASKS = {"Ultrasound": "task78", "Angiography": "task79", "Mammography": "task80"}
MODALITY_TASKS |= {"Pathology": "task81", "Fluoroscopy": "task82"}
ANATOMY_TASKS = {
    (modality, anatomy): f"task{83 + 6 * m + a}"
    for m, modality in enumerate(("CT", "MRI"))
    for a, anatomy in enumerate(ANATOMIES)
}

CORPUS = Corpus(
    id="mimic_iv_radiology",
    name="MIMIC-IV-Note radiology reports",
    paper_names=("MIMIC-IV",),
    download=DOWNLOAD + "note/radiology.csv.gz, and note/radiology_detail.csv.gz for the exam names",
    **NOTE_CORPUS,
    raw_files=(
        RawFile(REPORTS[0], "radiology reports, one per row (as distributed, gzip)", required=False),
        RawFile(REPORTS[1], "radiology reports, uncompressed", required=False),
        RawFile(DETAILS[0], "exam name, CPT code and links of each report (as distributed)", required=False),
        RawFile(DETAILS[1], "the same detail table, uncompressed", required=False),
    ),
    notes="Recipe only: records built from MIMIC must never be published. Reports without both a FINDINGS and an "
    "IMPRESSION section (addenda, reports with one combined section, empty or placeholder-only sections) are "
    "skipped and counted. Modality and anatomy come from keywords of the exam name (radiology_detail "
    "exam_name, else the report's EXAMINATION line): CTA and MRA count as CT or MRI and as angiography; a "
    "plain head scan counts as brain, head-and-neck needs the neck, face, sinuses, orbits or the like; the "
    "summary tasks by anatomy use the first region the exam name mentions. Chest radiographs dominate the "
    "modality and anatomy classification tasks (label skew of the source, not corrected), and normal studies "
    "often share word-for-word findings and impressions (duplicates kept, as in the source).",
)


def _summary_task(number: str, name: str, what: str, in_bench: bool) -> Task:
    return Task(
        number,
        name,
        "Text Summarization",
        f"Below are the exam name and the findings section of a radiology report of {what}. Write the "
        "report's impression: a short conclusion that gives the most important findings and what they mean "
        "clinically.",
        split_policy="random-9:1",
        in_bench=in_bench,
        notes="No official split; 9:1 by patient.",
    )


_WHAT = {
    "Ultrasound": "an ultrasound examination",
    "Angiography": "an angiographic examination",
    "Mammography": "a mammogram",
    "Pathology": "a specimen (pathology) examination",
    "Fluoroscopy": "a fluoroscopic examination",
}
_NAMES = {
    "Ultrasound": "ultrasound",
    "Angiography": "angiography",
    "Mammography": "mammogram",
    "Pathology": "pathology",
    "Fluoroscopy": "fluoroscopy",
}
_REGION = {
    "Chest": ("chest", "the chest"),
    "Head and neck": ("head_and_neck", "the head and neck"),
    "Brain": ("brain", "the brain"),
    "Abdomen": ("abdomen", "the abdomen"),
    "Pelvis": ("pelvis", "the pelvis"),
    "Spine": ("spine", "the spine"),
}

TASKS = (
    *(
        _summary_task(
            number, f"{number}_mimic_{_NAMES[modality]}_summarization", _WHAT[modality], number == "task78"
        )
        for modality, number in MODALITY_TASKS.items()
    ),
    *(
        _summary_task(
            number,
            f"{number}_mimic_{modality.lower()}_{_REGION[anatomy][0]}_summarization",
            f"{'a CT' if modality == 'CT' else 'an MRI'} examination of {_REGION[anatomy][1]}",
            True,
        )
        for (modality, anatomy), number in ANATOMY_TASKS.items()
    ),
    Task(
        "task95",
        "task95_mimic_modality_classification",
        "Text Classification",
        "Read the findings and impression of a radiology report and name the imaging modality that was used. "
        f"Choose from: {', '.join(MODALITIES)}. If several were used, list them separated by commas.",
        split_policy="random-9:1",
        notes="Labels from the exam name; an exam can have two (CTA: CT, Angiography), listed in the order of "
        "the choice list. 9:1 by patient.",
    ),
    Task(
        "task96",
        "task96_mimic_anatomy_classification",
        "Text Classification",
        "Read the findings and impression of a radiology report and name the body region that was examined. "
        f"Choose from: {', '.join(ANATOMIES)}. If several were examined, list them separated by commas.",
        split_policy="random-9:1",
        notes="Labels from the exam name; exams outside the six regions (limbs, joints) are left out. 9:1 by "
        "patient.",
    ),
)


@dataclass(frozen=True)
class Exam:
    name: str
    modalities: tuple[str, ...]  # in the order of MODALITIES
    anatomies: tuple[str, ...]  # in the order the exam name mentions them


@lru_cache(maxsize=65_536)
def classify_exam(name: str) -> Exam:
    """The modalities and body regions an exam name mentions (cached: a few thousand distinct names)."""
    words = _words(name)
    modalities = [m for m, keys in MODALITY_WORDS.items() if any(_matches(w, keys) for w in words)]
    if not modalities and any(_matches(w, XRAY_WORDS) for w in words):
        modalities = ["X-ray"]
    anatomies: list[str] = []
    for i, word in enumerate(words):
        spine_level = (
            word in ("CERVICAL", "THORACIC", "LUMBAR") and i + 1 < len(words) and words[i + 1] == "SPINE"
        )
        region = (
            "Spine" if spine_level else next((a for a, keys in ANATOMY_WORDS.items() if word in keys), None)
        )
        if region and region not in anatomies:
            anatomies.append(region)
    ordered = tuple(m for m in MODALITIES if m in modalities)
    return Exam(" ".join(name.split()), ordered, tuple(anatomies))


def _words(name: str) -> list[str]:
    text = re.sub(r"X-?RAY", "XRAY", name.upper())
    text = re.sub(r"HEAD\s*(?:AND|&|/)\s*NECK", "HEADNECK", text)
    return re.findall(r"[A-Z]+", text)


def _matches(word: str, keys: Sequence[str]) -> bool:
    return any(word == k or (k.endswith("*") and word.startswith(k[:-1])) for k in keys)


def generate(ctx: BuildContext) -> Iterator[Example]:
    reports = ctx.optional(REPORTS[0]) or ctx.optional(REPORTS[1]) or ctx.file(REPORTS[0])
    detail = ctx.optional(DETAILS[0]) or ctx.optional(DETAILS[1])
    exam_names = ExamNames.read(detail) if detail is not None else None
    for line, row in iter_note_table(reports, REPORT_COLUMNS):
        note_id, subject = row["note_id"].strip(), row["subject_id"].strip()
        if not note_id or not subject:
            raise RawFormatError(reports, f"line {line}", "note_id and subject_id must not be empty")
        sections = RADIOLOGY.split(row["text"])
        pair = findings_and_impression(sections)
        if isinstance(pair, str):
            ctx.skip(pair)
            continue
        names = exam_names.get(note_id) if exam_names is not None else []
        if not names:
            names = [
                s.body.split("\n")[0] for s in sections if s.name == "examination" and not is_blank(s.body)
            ]
        if not names:
            ctx.skip("no exam name (no radiology_detail exam_name and no EXAMINATION line)")
            continue
        yield from _examples(ctx, note_id, subject, classify_exam(" ; ".join(names)), *pair)


def _examples(
    ctx: BuildContext, note_id: str, subject: str, exam: Exam, findings: str, impression: str
) -> Iterator[Example]:
    common = {"group": subject, "meta": {"note_id": note_id, "exam_name": exam.name}}
    summary_input = labelled(("Examination", exam.name), ("Findings", findings))
    for modality in exam.modalities:
        task = MODALITY_TASKS.get(modality)
        if task is None and exam.anatomies:
            task = ANATOMY_TASKS.get((modality, exam.anatomies[0]))
        if task is not None:
            yield Example(task, note_id, summary_input, impression, **common)
    report = labelled(("Findings", findings), ("Impression", impression))
    if exam.modalities:
        meta = {**common["meta"], "modalities": list(exam.modalities)}
        yield Example("task95", note_id, report, ", ".join(exam.modalities), group=subject, meta=meta)
    else:
        ctx.skip("task95: the exam name names no known modality")
    if exam.anatomies:
        ordered = [a for a in ANATOMIES if a in exam.anatomies]
        meta = {**common["meta"], "anatomies": ordered}
        yield Example("task96", note_id, report, ", ".join(ordered), group=subject, meta=meta)
    else:
        ctx.skip("task96: the exam is outside the six body regions")


# ---------------------------------------------------------------------------------------------
# Exam names by note


class ExamNames:
    """note_id -> exam names, from the exam_name rows of radiology_detail.

    The detail table covers millions of reports, so the index holds one 64-bit key per exam name (packed
    from the note id `subject-TYPE-seq` and the field ordinal) and the number of a distinct exam name,
    sorted for binary search. Note ids of another form go to a small dict.
    """

    _ID = re.compile(r"^(\d{1,9})-([A-Z]{2})-(\d{1,6})$")

    def __init__(self) -> None:
        self._keys = array("q")
        self._values = array("i")
        self._names: list[str] = []
        self._numbers: dict[str, int] = {}
        self._types: dict[str, int] = {}
        self._other: dict[str, list[tuple[int, str]]] = {}

    @classmethod
    def read(cls, path: Path) -> ExamNames:
        index = cls()
        for line, row in iter_note_table(path, DETAIL_COLUMNS):
            if row["field_name"].strip() != "exam_name" or not row["field_value"].strip():
                continue
            try:
                ordinal = int(row["field_ordinal"])
            except ValueError:
                raise RawFormatError(
                    path, f"line {line}", f"field_ordinal {row['field_ordinal']!r} is not an integer"
                ) from None
            index.add(row["note_id"].strip(), ordinal, row["field_value"].strip())
        index.freeze()
        return index

    def add(self, note_id: str, ordinal: int, name: str) -> None:
        number = self._numbers.setdefault(name, len(self._numbers))
        if number == len(self._names):
            self._names.append(name)
        base = self._base(note_id)
        if base is None:
            self._other.setdefault(note_id, []).append((ordinal, name))
        else:
            self._keys.append(base * 16 + min(max(ordinal, 0), 15))
            self._values.append(number)

    def freeze(self) -> None:
        import numpy as np

        keys = np.frombuffer(self._keys, dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        self._sorted_keys = keys[order]
        self._sorted_values = np.frombuffer(self._values, dtype=np.int32)[order]
        self._keys, self._values = array("q"), array("i")

    def get(self, note_id: str) -> list[str]:
        base = self._base(note_id, adding=False)
        if base is None:
            return [name for _, name in sorted(self._other.get(note_id, []))]
        lo, hi = self._sorted_keys.searchsorted([base * 16, base * 16 + 16])
        return [self._names[n] for n in self._sorted_values[lo:hi]]

    def _base(self, note_id: str, adding: bool = True) -> int | None:
        match = self._ID.match(note_id)
        if match is None:
            return None
        subject, kind, seq = int(match[1]), match[2], int(match[3])
        code = self._types.get(kind)
        if code is None:
            if not adding or len(self._types) >= 8:
                return None
            code = self._types[kind] = len(self._types)
        return (subject * 8 + code) * 2**20 + seq


BUILDER = Builder(CORPUS, TASKS, generate)
