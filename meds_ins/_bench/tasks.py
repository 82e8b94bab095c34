"""The MedS-Bench categories: which tasks each holds, how each task is scored, and how categories average.

Facts from the benchmark's description (see the reference notes): metric per category, the tasks in each
category average, and the column names of the published leaderboard tables that the tasks map to.
"""

from __future__ import annotations

from dataclasses import dataclass

# Metrics (implemented in metrics.py)
CHOICE = "choice accuracy"  # the option, label or yes/no word the prediction commits to
OVERLAP = "BLEU-1 / ROUGE-L"
SUBSTRING = "substring accuracy"  # the normalized reference occurs in the normalized prediction
ENTITY_F1 = "entity-set micro F1"
TRUE_FALSE = "true/false accuracy"  # the right word present, the opposite absent
HALLMARK_F1 = "hallmark macro P/R/F1"
FIRST_LINE = "first-line accuracy"  # the reference label is a word of the prediction's first line


@dataclass(frozen=True)
class BenchTask:
    id: str
    metric: str
    column: str  # column of the published table this task's score sits in


@dataclass(frozen=True)
class Category:
    name: str
    published_table: str  # title of the published per-category table
    overview_column: str | None  # column of the published overview table, if the category has one
    tasks: tuple[BenchTask, ...]
    averaged: tuple[str, ...]  # task ids in the category average ('Avg.' of the published table)

    def task(self, task_id: str) -> BenchTask | None:
        return next((t for t in self.tasks if t.id == task_id), None)


def _tasks(metric: str, *pairs: tuple[str, str]) -> tuple[BenchTask, ...]:
    return tuple(BenchTask(f"task{n}", metric, column) for n, column in pairs)


CATEGORIES: tuple[Category, ...] = (
    Category(
        "Multiple-choice QA",
        "Multilingual Multiple-choice Question-answering(Accuracy)",
        "MCQA",
        _tasks(
            CHOICE,
            ("57", "MedQA"),
            ("122", "MedMCQA"),
            ("123", "PubMedQA"),
            ("58", "MMedBench(ZH)"),
            ("59", "MMedBench(JA)"),
            ("60", "MMedBench(FR)"),
            ("61", "MMedBench(RU)"),
            ("129", "MMedBench(ES)"),
        ),
        ("task57", "task122", "task123", "task58", "task59", "task60", "task61", "task129"),
    ),
    Category(
        "Text summarization",
        "Text Summarization(BLEU/ROUGE)",
        "Text Summarization",
        _tasks(
            OVERLAP,
            ("114", "MedQSum"),
            ("110", "RCT-Text"),
            ("112", "MIMIC-CXR"),
            ("78", "MIMICIV(Ultrasound)"),
            *((str(n), "MIMICIV(CT)") for n in range(83, 89)),
            *((str(n), "MIMICIV(MRI)") for n in range(89, 95)),
        ),
        ("task78", "task110", "task112", "task114"),
    ),
    Category(
        "Information extraction",
        "Information Extraction(Accuracy)",
        "Information Extraction",
        _tasks(
            SUBSTRING,
            ("1", "PICO Participant Ext."),
            ("2", "PICO Intervention Ext."),
            ("3", "PICO Outcome Ext."),
            ("29", "ADE Drug Dose Ext."),
            ("74", "PMC-patient Basic Info. Ext."),
        ),
        ("task1", "task2", "task3", "task29", "task74"),
    ),
    Category(
        "Concept explanation",
        "Concept Explanation(BLEU/ROUGE)",
        "Concept Explanation",
        _tasks(OVERLAP, ("18", "Health Fact Exp."), ("46", "Do Entity Exp."), ("50", "BioLORD Concept Exp.")),
        ("task18", "task46", "task50"),
    ),
    Category(
        "Rationale",
        "Rationale(BLEU/ROUGE)",
        "Rationale",
        _tasks(
            OVERLAP,
            ("51", "MMedBench(ZH)"),
            ("52", "MMedBench(EN)"),
            ("53", "MMedBench(FR)"),
            ("54", "MMedBench(JA)"),
            ("55", "MMedBench(RU)"),
            ("56", "MMedBench(ES)"),
        ),
        ("task51", "task52", "task53", "task54", "task55", "task56"),
    ),
    Category(
        "NER",
        "Name Entity Recognition (F1)",
        "NER",
        _tasks(
            ENTITY_F1, ("125", "BC4Chem"), ("126", "BC5Chem"), ("127", "BC5Disease"), ("128", "Species800")
        ),
        ("task125", "task126", "task127", "task128"),
    ),
    Category(
        "Diagnosis", "Diagnosis(Accuracy)", "Diagnosis", _tasks(SUBSTRING, ("130", "DDXPlus")), ("task130",)
    ),
    Category(
        "Treatment planning",
        "Treatment Planning(Accuracy)",
        "Treatment planning",
        _tasks(SUBSTRING, ("131", "SEER")),
        ("task131",),
    ),
    Category(
        "Clinical outcome prediction",
        "Clinical Outcome Prediction(Accuracy)",
        "Clinical Outcome Prediction",
        _tasks(
            TRUE_FALSE,
            ("117", "MIMIC4ED(Hospitalization)"),
            ("118", "MIMIC4ED(72h ED Revisit)"),
            ("119", "MIMIC4ED(Critical Triage)"),
        ),
        ("task117", "task118", "task119"),
    ),
    Category(
        "Text classification",
        "Text Classification(P,R,F1)",
        "Text classification(F1)",
        _tasks(HALLMARK_F1, ("106", "HoC")),
        ("task106",),
    ),
    Category(
        "Fact verification",
        "Fact Verification(Accuracy, BLEU/ROUGE)",
        None,
        (
            BenchTask("task12", FIRST_LINE, "PubMedQA Answer Ver."),
            BenchTask("task16", FIRST_LINE, "PUBLICHEALTH Health Fact Ver."),
            BenchTask("task100", OVERLAP, "EMBS Justification Ver."),
        ),
        (),
    ),
    Category(
        "NLI",
        "Natural Language Inference(Accuracy, BLEU/ROUGE)",
        None,
        (
            BenchTask("task41", CHOICE, "MedNLI Discriminative Task"),
            BenchTask("task42", OVERLAP, "MedNLI Generative Task"),
        ),
        (),
    ),
)

# Multiple-choice QA is evaluated zero-shot; every other category with three examples.
ZERO_SHOT = {"Multiple-choice QA"}
DEFAULT_SHOTS = 3


def category_of(task_id: str) -> Category | None:
    return next((c for c in CATEGORIES if c.task(task_id)), None)


def bench_task(task_id: str) -> BenchTask | None:
    category = category_of(task_id)
    return category.task(task_id) if category else None


def shots_for(task_id: str) -> int:
    category = category_of(task_id)
    return 0 if category is None or category.name in ZERO_SHOT else DEFAULT_SHOTS
