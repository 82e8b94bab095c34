"""MIMIC-IV-Note discharge summaries: write the patient's discharge instructions from the rest of the summary.

Recipe only: MIMIC-IV-Note is credentialed PhysioNet data. The builder streams the user's own
note/discharge.csv.gz (one summary per row: note_id, subject_id, hadm_id, note_type, note_seq, charttime,
storetime, text), compressed or not. Each summary is cut at its "Discharge Instructions:" header: what
comes before is the input, the section itself (up to "Followup Instructions:") the output.

No official split: 9:1 by patient (subject_id), so a patient's admissions stay on one side.
"""

from __future__ import annotations

from collections.abc import Iterator

from meds_ins.builders._mimic_iv_note import DOWNLOAD, NOTE_CORPUS

from meds_ins.builder import BuildContext, Builder, Corpus, Example, RawFile, RawFormatError, Task
from meds_ins.formats.clinical_notes import DISCHARGE, is_blank, iter_note_table, normalise_newlines, tidy

NOTES = ("note/discharge.csv.gz", "note/discharge.csv")
COLUMNS = ("note_id", "subject_id", "hadm_id", "text")

CORPUS = Corpus(
    id="mimic_iv_discharge",
    name="MIMIC-IV-Note discharge summaries",
    paper_names=("MIMIC-IV-Notes",),
    download=DOWNLOAD + "note/discharge.csv.gz",
    **NOTE_CORPUS,
    raw_files=(
        RawFile(NOTES[0], "discharge summaries, one per row (as distributed, gzip)", required=False),
        RawFile(NOTES[1], "discharge summaries, uncompressed", required=False),
    ),
    notes="Recipe only: records built from MIMIC must never be published. Summaries without a Discharge "
    "Instructions section, or whose section holds only de-identification placeholders, are skipped and "
    "counted. Hard-wrapped lines are joined and runs of spaces collapsed; the placeholders (___) are kept.",
)

TASKS = (
    Task(
        "task76",
        "task76_mimic_iv_note_discharge_instruction_completion",
        "Text Completion",
        "Below is a hospital discharge summary without its last part. Write the missing Discharge Instructions "
        "section: addressed to the patient in plain language, say why they were in hospital, what was done, "
        "and what they should do and watch for after going home.",
        split_policy="random-9:1",
        notes="The output is the Discharge Instructions section only, without the Followup Instructions that "
        "follow it in the summaries (almost always a de-identified placeholder). No official split; 9:1 by "
        "patient.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    path = ctx.optional(NOTES[0]) or ctx.optional(NOTES[1]) or ctx.file(NOTES[0])
    for line, row in iter_note_table(path, COLUMNS):
        note_id, subject = row["note_id"].strip(), row["subject_id"].strip()
        if not note_id or not subject:
            raise RawFormatError(path, f"line {line}", "note_id and subject_id must not be empty")
        text = normalise_newlines(row["text"])
        instructions = next((s for s in DISCHARGE.split(text) if s.name == "discharge instructions"), None)
        if instructions is None:
            ctx.skip("no Discharge Instructions section")
            continue
        if is_blank(instructions.body):
            ctx.skip("Discharge Instructions empty or only de-identified placeholders")
            continue
        summary = tidy(text[: instructions.start])
        if is_blank(summary):
            ctx.skip("nothing before the Discharge Instructions")
            continue
        meta = {"note_id": note_id, "hadm_id": row["hadm_id"].strip()}
        yield Example("task76", note_id, summary, tidy(instructions.body), group=subject, meta=meta)


BUILDER = Builder(CORPUS, TASKS, generate)
