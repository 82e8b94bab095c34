"""The command line: help everywhere, tables and JSON, exit codes, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES

from meds_ins.cli import cli, main

COMMANDS = sorted(cli.commands)


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_has_help(capsys, command):
    code, out, _ = run(capsys, *([command] if command else []), "--help")
    assert code == 0 and "Usage: meds-ins" in out and len(out.splitlines()) > 5


def test_expected_commands_exist():
    assert {"tasks", "corpora", "build", "validate", "info", "quickstart"} <= set(COMMANDS)


def test_tasks_lists_the_whole_collection_and_which_are_built(capsys):
    code, out, _ = run(capsys, "tasks")
    assert code == 0
    assert "task124  task124_pubmedqa_train_set" in out
    assert "task31   task31_gene_extraction_bc2gm_dataset" in out  # listed although not built here
    code, out, _ = run(capsys, "tasks", "--json")
    rows = json.loads(out)
    assert len(rows) >= 130
    built = {r["id"] for r in rows if r["built"]}
    assert {"task11", "task57", "task58", "task114", "task117", "task126", "task130"} <= built
    assert all(r["metadata"]["instruction"] for r in rows if r["built"])


def test_tasks_filters(capsys):
    _, out, _ = run(capsys, "tasks", "--category", "diagnosis", "--json")
    assert [r["id"] for r in json.loads(out)] == ["task130"]
    _, out, _ = run(capsys, "tasks", "--language", "zh", "--built", "--json")
    assert [r["id"] for r in json.loads(out)] == ["task58"]
    _, out, _ = run(capsys, "tasks", "--source", "pubmedqa", "--json")
    assert len(json.loads(out)) == 7
    code, _, err = run(capsys, "tasks", "--category", "Diagnosys")
    assert code == 2 and "Did you mean: Diagnosis" in err and "Traceback" not in err


def test_corpora_lists_licences_and_access(capsys):
    code, out, _ = run(capsys, "corpora")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("mimic4ed"))
    assert "credentialed" in line and " no " in line
    _, out, _ = run(capsys, "corpora", "--built", "--json")
    built = {c["id"]: c for c in json.loads(out)}
    assert set(built) >= {  # the reference builders, and whatever builders were added since
        "pubmedqa",
        "medqa",
        "bc5cdr",
        "meqsum",
        "ddxplus",
        "mimic4ed",
    }
    assert all(
        not c["metadata"]["redistributable"]
        for c in built.values()
        if c["metadata"]["access"] == "credentialed"
    )


def test_build_validate_info(capsys, tmp_path: Path):
    out_dir = tmp_path / "store"
    code, out, _ = run(
        capsys, "build", "pubmedqa", "meqsum", "--raw", str(FIXTURES), "--out", str(out_dir), "--quiet"
    )
    assert code == 0 and "meqsum" in out and "1 question or summary empty" in out
    code, out, _ = run(capsys, "validate", str(out_dir))
    assert code == 0 and "0 error(s)" in out
    code, out, _ = run(capsys, "info", str(out_dir))
    assert code == 0 and "task114_medqsum_text_summurization" in out and "CC-BY-4.0" in out


def test_validate_exit_codes(capsys, tmp_path: Path):
    out_dir = tmp_path / "store"
    run(capsys, "build", "medqa", "--raw", str(FIXTURES), "--out", str(out_dir), "--quiet")
    next(out_dir.glob("data/*/test-*.parquet")).write_bytes(b"garbage")
    code, out, _ = run(capsys, "validate", str(out_dir), "--json")
    report = json.loads(out)
    assert (
        code == 1
        and report["errors"] >= 1
        and {"store.checksum", "store.unreadable"} <= {f["code"] for f in report["findings"]}
    )
    code, _, err = run(capsys, "validate", str(tmp_path))
    assert code == 2 and "not a meds-ins store" in err


def test_missing_raw_files_are_a_usage_error_without_traceback(capsys, tmp_path: Path):
    code, _, err = run(capsys, "build", "pubmedqa", "--raw", str(tmp_path), "--out", str(tmp_path / "s"))
    assert code == 2
    assert "ori_pqal.json" in err and "test_ground_truth.json" in err and "github.com/pubmedqa" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "build", "pubmed_qa", "--raw", str(tmp_path))
    assert code == 2 and "Did you mean: pubmedqa" in err
    code, _, err = run(capsys, "build", "bc2gm", "--raw", str(tmp_path))
    assert code == 2 and "has no builder yet" in err


def test_malformed_raw_file_exits_1_naming_file_and_line(capsys, copy_fixture, tmp_path: Path):
    raw = copy_fixture("bc5cdr")
    path = raw / "CDR_TestSet.PubTator.txt"
    path.write_text(path.read_text().replace("\t41\t54\theart failure", "\t40\t54\theart failure"))
    code, _, err = run(capsys, "build", "bc5cdr", "--raw", str(raw), "--out", str(tmp_path / "s"), "--quiet")
    assert code == 1 and "CDR_TestSet.PubTator.txt, line" in err and "does not match the text" in err


def test_quickstart_builds_validates_and_loads(capsys, home: Path):
    code, out, _ = run(capsys, "quickstart")
    assert code == 0
    assert "0 error(s)" in out and "task124_pubmedqa_train_set" in out and "meds-ins build pubmedqa" in out
    assert (home / "store" / "meta" / "manifest.json").is_file()
    code, out, _ = run(capsys, "info")
    assert "miniature demo" in out


def test_quickstart_keeps_corpora_built_from_real_files(capsys, home: Path):
    run(capsys, "build", "pubmedqa", "--raw", str(FIXTURES / "pubmedqa"), "--quiet")
    code, out, _ = run(capsys, "quickstart")
    assert code == 0 and "Keeping pubmedqa" in out
    from meds_ins.store import open_store

    assert open_store(home / "store").manifest["corpora"]["pubmedqa"]["miniature"] is False


def test_entry_point_runs_as_a_module(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "meds_ins", "info", str(tmp_path / "none")], capture_output=True, text=True
    )
    assert result.returncode == 2 and result.stderr.startswith("error: no store at")
