"""The validator's front door (`meds-ins validate`): each target routed to its checks, one report.

A target is a store folder (stores.py), a builder module or corpus id (builders.py: built on its fixture
or on raw files, then validated as a store), or task files and folders of them (task_files.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from meds_ins._common.errors import UsageError
from meds_ins._hub.reading import download_store
from meds_ins._hub.repo import looks_like_repo_id
from meds_ins._store.layout import is_store
from meds_ins._validation.builders import validate_builder
from meds_ins._validation.findings import (
    Report,
    audits_available,
    strict,
)
from meds_ins._validation.stores import validate_store
from meds_ins._validation.task_files import validate_task_files
from meds_ins._validation.taskfile_rules import (
    task_files,
)


def validate(
    targets: Iterable[str],
    *,
    raw: Path | None = None,
    default_split: str = "train",
    strict_mode: bool = False,
    workers: int = 1,
    audits: bool = True,
) -> Report:
    """Validate each target: a store folder or Hub repository id ("ORG/NAME", downloaded whole), a
    builder module or corpus id, task files or folders of them.

    audits=False leaves out the data audits: the files, the metadata and every record against the
    schemas are still checked."""
    report = Report()
    if audits:  # said once here for every target (stores and task files say it when called alone)
        audits, report.findings = audits_available()
    files: list[Path] = []
    for target in targets:
        path = Path(target)
        if path.is_dir() and is_store(path):
            report += validate_store(
                path, explain=True, unused_exceptions=strict_mode, workers=workers, audits=audits
            )
        elif path.is_dir() or path.suffix in (".json", ".jsonl"):
            found = task_files([path])
            if not found:
                raise UsageError(
                    f"{target} is not a meds-ins store and holds no task files (*.json, *.jsonl)"
                )
            files += found
        elif path.suffix == ".py" or (not path.exists() and "/" not in target and "\\" not in target):
            report += validate_builder(
                target, raw, explain=True, unused_exceptions=strict_mode, audits=audits
            )
        elif not path.exists() and looks_like_repo_id(target):
            # a store published on the Hub: downloaded whole into the Hugging Face cache, then checked
            report += validate_store(
                download_store(target),
                explain=True,
                unused_exceptions=strict_mode,
                workers=workers,
                audits=audits,
            )
        elif not path.exists():
            raise UsageError(f"no such file or folder: {target}")
        else:
            raise UsageError(
                f"{target}: not a store, a builder (.py or corpus id) or a task file (.json, .jsonl)"
            )
    if files:
        report.findings += validate_task_files(files, default_split=default_split, audits=audits)
    if strict_mode:
        report.findings = strict(report.findings)
    return report


# ---------------------------------------------------------------------------------------------
# Task files


TASK_FILE = re.compile(r"^task[1-9][0-9]*_[^/]*\.jsonl?$")


def targets_from_changes(paths: Iterable[str]) -> list[str]:
    """What to validate for a list of changed files (as git, pre-commit and CI give them).

    A builder module is validated; a fixture file validates the builder of its corpus; a task file
    (task<N>_*.json or .jsonl) is validated; everything else (code, schemas, deleted files) is left to
    the tests.
    """
    targets: list[str] = []
    for changed in paths:
        path = Path(changed)
        parts = path.parts
        target = ""
        builder = path.suffix == ".py" and parts[-2:-1] == ("builders",) and not path.name.startswith("_")
        if builder or TASK_FILE.match(path.name):
            target = str(path)
        elif "fixtures" in parts[:-2]:  # <repo>/tests/fixtures/<corpus>/<file>
            i = parts.index("fixtures")
            builder = Path(*parts[: max(i - 1, 0)]) / "builders" / f"{parts[i + 1]}.py"
            target = str(builder)
        if target and Path(target).is_file() and target not in targets:
            targets.append(target)
    return targets


def list_checks() -> str:
    """The table of every check: code, severity, what it finds."""
    from meds_ins._validation.findings import CHECKS

    width = max(map(len, CHECKS))
    lines = []
    for check in CHECKS.values():
        severity = "warning*" if check.variant else check.severity
        lines.append(f"{check.code:{width}}  {severity:8}  {check.summary}")
    lines.append("\n* a variant of the released format: an error with --strict")
    return "\n".join(lines)
