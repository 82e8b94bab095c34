"""Findings and the registry of every check the validator runs.

A finding has a severity, a stable code, a location precise enough to act on (a file and line for task
files, a task and record id for stores) and a one-line fix. Each check is registered once in CHECKS with
its code, severity and fix, so `meds-ins validate --list-checks`, the docs and the tests all read the
same table.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from meds_ins._common import extras

Severity = Literal["error", "warning"]
SAMPLES = 5  # locations shown per finding


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    summary: str
    fix: str
    variant: bool = False  # a warning, an error under --strict (mostly variants of the released format)


def _checks(*items: Check) -> dict[str, Check]:
    return {c.code: c for c in items}


CHECKS: dict[str, Check] = _checks(
    # -- JSON files -------------------------------------------------------------------------
    Check("json.syntax", "error", "the file is not valid JSON", "fix the JSON at the line shown"),
    Check(
        "json.duplicate-key",
        "error",
        "an object repeats a key (JSON parsers silently keep the last one)",
        "remove or rename the repeated key",
    ),
    Check(
        "json.encoding",
        "error",
        "bytes that are not UTF-8",
        "re-save the file as UTF-8",
    ),
    # -- task structure (the Super-NaturalInstructions checks, done right) ------------------
    Check(
        "task.not-a-task",
        "error",
        "a JSON value that is neither a task object nor a record",
        "give each task the keys of task-format.md (Definition, Instances, ...)",
    ),
    Check("task.missing-key", "error", "a required task key is absent", "add the key"),
    Check(
        "task.unknown-key",
        "warning",
        "a task key that the format does not define (often a typo)",
        "rename it to the documented key or remove it",
    ),
    Check("task.type", "error", "a task key has the wrong type", "use the documented type"),
    Check(
        "task.name",
        "error",
        "the task name (file name) is not task<N>_<words>",
        "name the file task<N>_<source>_<what>.json",
    ),
    Check(
        "task.name-case",
        "warning",
        "the task name has upper-case letters",
        "use a lower-case file name",
    ),
    Check(
        "task.duplicate-task",
        "error",
        "two task files give the same task number in one split",
        "keep one file per task and split",
    ),
    Check(
        "task.category",
        "error",
        "a category outside the 19 MedS-Ins categories (exact match)",
        "use one of the categories in schemas/defs.json",
    ),
    Check(
        "task.domain",
        "warning",
        "a domain outside the controlled list (exact match)",
        "use a domain from schemas/defs.json, or add a new one there in the same pull request",
    ),
    Check(
        "task.language",
        "error",
        "a language that is not an ISO 639 language name or code",
        "use an English language name such as 'English' or 'Chinese'",
    ),
    Check(
        "task.definition-language",
        "warning",
        "the definition does not name a non-English input language",
        "say in the definition which language the input is in",
    ),
    Check(
        "task.split-type",
        "error",
        "`Split Type` is not Train, Test or Train/Test",
        "set `Split Type` to Train, Test or Train/Test",
    ),
    Check("task.no-instances", "error", "the task has no instances", "add instances"),
    Check(
        "task.few-instances",
        "warning",
        "fewer instances than a task needs to be trained or scored reliably",
        "add instances, or merge the task with a related one",
    ),
    Check(
        "task.example-in-instances",
        "error",
        "a demonstration example reappears as an instance (few-shot prompts would leak the answer)",
        "drop the example from the instances",
    ),
    Check(
        "instance.not-object", "error", "an instance is not a JSON object", "write it as {id, input, output}"
    ),
    Check(
        "instance.missing-key",
        "error",
        "an instance has no `input` or no `output`",
        "give every instance an input and a list of outputs",
    ),
    Check(
        "instance.type",
        "error",
        "an instance field has the wrong type",
        "input: string; output: list of strings",
    ),
    Check(
        "instance.unknown-key",
        "warning",
        "an instance key other than id, input, output",
        "remove it, or move the information into the input",
    ),
    Check(
        "instance.duplicate-id",
        "error",
        "two instances share an id",
        "give every instance a distinct id",
    ),
    # -- variants of the released format: accepted, warned about, errors under --strict ----
    Check(
        "variant.string-field",
        "warning",
        "Contributors, Source or URL written as a plain string instead of a list",
        'write it as a list: ["..."]',
        variant=True,
    ),
    Check(
        "variant.output-string",
        "warning",
        "an instance output written as a plain string instead of a list of strings",
        'write it as a list: ["..."]',
        variant=True,
    ),
    Check(
        "variant.missing-id",
        "warning",
        "instances without `id`",
        "give every instance an id such as task<N>-<hash>",
        variant=True,
    ),
    Check(
        "variant.contributor",
        "warning",
        "the contributor variant: no Reasoning / Positive Examples / Negative Examples; `Split Type` added",
        "add the missing keys (empty lists are fine)",
        variant=True,
    ),
    Check(
        "variant.jsonl-name",
        "warning",
        "a file named .jsonl that holds one JSON document, not JSON Lines",
        "rename it to .json",
        variant=True,
    ),
    Check(
        "variant.record",
        "warning",
        "records without a task object (a repacked file): task metadata comes from the catalog",
        "write one task object per task",
        variant=True,
    ),
    # -- records (compiled from schemas/record.json by checks.py) --------------------------
    Check(
        "record.columns",
        "error",
        "record columns differ from schemas/record.json",
        "write records through meds_ins",
    ),
    Check("record.missing", "error", "a required record field is null", "set it on every record"),
    Check("record.blank", "error", "an empty or whitespace-only text field", "give every record text"),
    Check("record.too-short", "error", "a field shorter than the schema allows", "lengthen the field"),
    Check(
        "record.pattern", "error", "a field that does not match its pattern in the schema", "fix the value"
    ),
    Check(
        "record.not-allowed", "error", "a value outside the schema's allowed values", "use an allowed value"
    ),
    Check("record.too-few-items", "error", "an output list with no reference", "give every record an output"),
    # -- stores --------------------------------------------------------------------------------
    Check("store.manifest", "error", "meta/manifest.json breaks schemas/manifest.json", "rebuild the store"),
    Check(
        "store.task-metadata",
        "error",
        "task metadata missing or breaking schemas/task.json",
        "rebuild the store",
    ),
    Check(
        "store.corpus-metadata", "error", "corpus metadata breaking schemas/corpus.json", "rebuild the store"
    ),
    Check(
        "store.paraphrases",
        "error",
        "meta/paraphrases.json is malformed or names unknown tasks",
        "re-import the paraphrases",
    ),
    Check(
        "store.card", "error", "the dataset card is missing or has no YAML front matter", "rebuild the store"
    ),
    Check(
        "store.card-configs", "error", "the card's configs do not match the data files", "rebuild the store"
    ),
    Check("store.missing-file", "error", "a data file listed in the manifest is absent", "rebuild the store"),
    Check("store.checksum", "error", "a data file differs from the manifest's checksum", "rebuild the store"),
    Check("store.unreadable", "error", "a data file is not readable parquet", "rebuild the store"),
    Check(
        "store.row-count", "error", "a data file's row count differs from the manifest", "rebuild the store"
    ),
    Check(
        "store.arrow-schema",
        "error",
        "a data file's columns differ from the record schema",
        "rebuild the store",
    ),
    Check(
        "store.task-consistency",
        "error",
        "records that disagree with their task's metadata",
        "records must carry their task's metadata; rebuild the store",
    ),
    Check(
        "store.duplicate-id", "error", "record ids repeat within a task", "give every example a distinct key"
    ),
    Check(
        "store.bench-split",
        "warning",
        "a MedS-Bench task without a test split",
        "build the task's test split, or set in_bench=False",
    ),
    # -- builders --------------------------------------------------------------------------------
    Check(
        "builder.declaration", "error", "the builder's declarations break the schemas", "fix the declarations"
    ),
    Check("builder.build", "error", "the builder fails on its fixture", "make the builder read its fixture"),
    Check("builder.empty-task", "warning", "a declared task got no records", "extend the fixture"),
    Check(
        "exception.unknown-code",
        "error",
        "an audit exception names a code that is not an audit",
        "name an audit code (meds-ins validate --list-checks)",
    ),
    Check(
        "exception.unused",
        "warning",
        "a declared audit exception explains nothing",
        "remove the exception, or check why the audit no longer fires",
    ),
    Check(
        "setup.audits-not-run",
        "warning",
        "the data audits did not run: their extra (polars) is not installed; an error under --strict",
        "pip install 'meds-ins[audits]', or pass --no-audits to say that schema checks are enough",
        variant=True,
    ),
    # -- data audits ------------------------------------------------------------------------------
    Check(
        "audit.constant-output",
        "error",
        "every reference of a split is the same (a constant answer scores 100%)",
        "check the labels against the source corpus",
    ),
    Check(
        "audit.label-skew",
        "warning",
        "the references of a classification-like split are heavily skewed",
        "check the labels; if the skew is real, explain it in audit_exceptions",
    ),
    Check(
        "audit.duplicate-input",
        "warning",
        "an input repeats within a split with the same references",
        "keep one instance per input",
    ),
    Check(
        "audit.conflicting-references",
        "warning",
        "an input repeats within a split with different references",
        "merge the references into one instance's output list, or tell the inputs apart",
    ),
    Check(
        "audit.train-test-overlap",
        "warning",
        "test inputs that also occur in the task's train split",
        "drop them from train (or from test)",
    ),
    Check(
        "audit.train-test-near-duplicate",
        "warning",
        "test inputs equal to train inputs after normalizing case, punctuation and spacing",
        "drop them from train (or from test)",
    ),
    Check(
        "audit.cross-task-overlap",
        "warning",
        "test inputs that occur (normalized) in the train split of another task of the same corpus",
        "keep the corpus's test items out of all its training tasks, or explain it in audit_exceptions",
    ),
    Check(
        "audit.truncated-reference",
        "warning",
        "references that look cut off",
        "restore the full reference from the source",
    ),
    Check(
        "audit.control-characters",
        "warning",
        "text with control characters other than tab and newline",
        "strip the control characters",
    ),
    Check(
        "audit.broken-encoding",
        "warning",
        "text with replacement characters or mojibake (UTF-8 read as Latin-1)",
        "re-decode the source with the right encoding",
    ),
    Check(
        "audit.personal-data",
        "warning",
        "text that looks like personal data in a public corpus",
        "check the source; remove or mask the data if it is real",
    ),
)

AUDITS = frozenset(code for code in CHECKS if code.startswith("audit."))


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    location: str
    message: str
    fix: str
    file: str | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def __str__(self) -> str:
        head = f"{self.severity.upper():7} {self.code:30} {self.location}: {self.message}"
        return f"{head}\n{'':39}fix: {self.fix}"

    def github(self) -> str:
        """A GitHub Actions workflow command, so CI shows the finding on the changed line."""
        kind = "error" if self.severity == "error" else "warning"
        where = f" file={self.file}" + (f",line={self.line}" if self.line else "") if self.file else ""
        text = f"{self.code} {self.location}: {self.message} (fix: {self.fix})".replace("\n", " ")
        return f"::{kind}{where}::{text}"


def finding(
    code: str,
    location: str,
    message: str,
    *,
    fix: str | None = None,
    file: str | None = None,
    line: int | None = None,
) -> Finding:
    """A finding of a registered check; its severity (and default fix) come from CHECKS."""
    check = CHECKS[code]
    return Finding(check.severity, code, location, message, fix or check.fix, file, line)


def strict(findings: Iterable[Finding]) -> list[Finding]:
    """--strict: the released-format variants become errors."""
    return [replace(f, severity="error") if CHECKS[f.code].variant else f for f in findings]


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def to_json(findings: list[Finding]) -> str:
    errors = sum(f.severity == "error" for f in findings)
    return json.dumps(
        {"errors": errors, "warnings": len(findings) - errors, "findings": [f.to_dict() for f in findings]},
        indent=2,
        ensure_ascii=False,
    )


def shown(locations: list[str], total: int) -> str:
    """'a, b, c and 7 more' for the first SAMPLES locations of `total`."""
    more = f" and {total - len(locations)} more" if total > len(locations) else ""
    return ", ".join(locations) + more


def also(first: str, others: list[str], total: int, in_file: bool = False) -> str:
    """'; also lines 40, 47 and 3 more' (or other locations) after a finding's first location."""
    if total <= 0:
        return ""
    path = first.rpartition(":")[0]
    if in_file and all(o.rpartition(":")[0] == path and o.rpartition(":")[2].isdigit() for o in others):
        return f"; also lines {shown([o.rpartition(':')[2] for o in others], total)}"
    return f"; also {shown(others, total)}"


@dataclass
class Tally:
    """Per-instance problems counted by code, with the first few locations, for one finding per code."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    samples: dict[tuple[str, str], list[tuple[str, str | None, int | None]]] = field(default_factory=dict)

    def add(
        self,
        code: str,
        detail: str,
        location: str,
        line: int | None = None,
        n: int = 1,
        file: str | None = None,
    ) -> None:
        key = (code, detail)
        self.counts[key] = self.counts.get(key, 0) + n
        kept = self.samples.setdefault(key, [])
        if len(kept) < SAMPLES:
            if file is None and line is not None:
                file = location.rpartition(":")[0] or None
            kept.append((location, file, line))

    def findings(self) -> list[Finding]:
        result = []
        for (code, detail), count in self.counts.items():
            samples = self.samples[(code, detail)]
            first, file, line = samples[0]
            others = [loc for loc, _, _ in samples[1:]]
            more = also(first, others, count - 1, in_file=file is not None)
            result.append(finding(code, first, f"{detail} ({count}x{more})", file=file, line=line))
        return result


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    explained: int = 0  # audit findings left out because a builder explains them

    def __iadd__(self, other: Report) -> Report:
        self.findings += other.findings
        self.explained += other.explained
        return self


def audits_available() -> tuple[bool, list[Finding]]:
    """Whether the data audits can run here, and if not the finding that says so (an error under
    --strict: a strict validation that skipped the audits would pass what it never looked at)."""
    if not (absent := extras.missing("audits")):
        return True, []
    message = f"the data audits (audit.* checks) were not run: {', '.join(absent)} is not installed"
    return False, [finding("setup.audits-not-run", "meds-ins", message)]


Describe = Callable[[Any], tuple[str, str | None, int | None]]


def count_locations(
    tally: Tally, code: str, detail: str, sample: list[Any], total: int, describe: Describe
) -> None:
    """Count `total` occurrences of a problem in a tally, keeping the first locations described."""
    if not total:
        return
    for loc in sample:
        location, _, line = describe(loc)
        tally.add(code, detail, location, line, n=0)
    tally.counts[(code, detail)] += total
