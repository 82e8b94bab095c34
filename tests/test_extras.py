"""The core install lacks the optional extras: what needs one says what to install, and validation
without the audits' extra (polars) checks everything else and says that the audits did not run."""

from __future__ import annotations

from pathlib import Path

import pytest
from taskfile_helpers import TOY, task, write

from meds_ins import UsageError
from meds_ins._common import extras
from meds_ins._validation.engine import validate
from meds_ins._validation.importer import import_files
from meds_ins._validation.stores import validate_store


@pytest.fixture
def without_polars(monkeypatch):
    real = extras.missing
    monkeypatch.setattr(extras, "missing", lambda extra: ["polars"] if extra == "audits" else real(extra))


def codes(findings) -> list[tuple[str, str]]:
    return [(f.code, f.severity) for f in findings]


def test_validation_without_the_audits_extra_says_so(build_store, without_polars):
    root = build_store(["pubmedqa", "medqa"]).store.root
    found = validate_store(root)
    assert codes(found) == [("setup.audits-not-run", "warning")]
    assert "polars is not installed" in found[0].message and "meds-ins[audits]" in found[0].fix
    assert codes(validate([str(root)], strict_mode=True).findings) == [("setup.audits-not-run", "error")]
    assert validate([str(root)], audits=False).findings == []  # asked for: nothing to say
    twice = validate([str(root), str(root), "pubmedqa"]).findings  # said once for all the targets
    assert [f.code for f in twice] == ["setup.audits-not-run"]


def test_validation_with_the_extra_runs_the_audits(build_store):
    root = build_store(["pubmedqa", "medqa"]).store.root
    assert "setup.audits-not-run" not in {f.code for f in validate_store(root)}


def test_import_without_the_audits_extra_imports_and_says_so(tmp_path: Path, without_polars):
    path = write(tmp_path / "in", TOY, task())
    report = import_files([path], tmp_path / "store", progress=False)
    assert codes(report.findings) == [("setup.audits-not-run", "warning")]
    assert dict(report.tasks[TOY]) == {"train": 30}


def test_a_feature_of_a_missing_extra_is_refused_with_the_install_command(monkeypatch):
    monkeypatch.setattr(extras, "find_spec", lambda module: None)
    with pytest.raises(UsageError, match=r"needs the 'bench' extra .*pip install 'meds-ins\[bench\]'"):
        extras.require("bench-scoring", "Scoring")
    with pytest.raises(UsageError, match=r"missing: polars.*pip install 'meds-ins\[audits\]'"):
        extras.require("audits", "The audits")
