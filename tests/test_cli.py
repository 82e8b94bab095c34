"""The command line: help everywhere, tables and JSON, exit codes, errors without tracebacks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES

from meds_ins._building.catalog import load_catalog
from meds_ins._cli import cli, main

COMMANDS = sorted(cli.commands)
SUBCOMMANDS = [
    (name, sub)
    for name, group in sorted(cli.commands.items())
    for sub in sorted(getattr(group, "commands", {}))
]


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_has_help(capsys, command):
    code, out, _ = run(capsys, *([command] if command else []), "--help")
    assert code == 0 and "Usage: meds-ins" in out and len(out.splitlines()) > 5


@pytest.mark.parametrize(("group", "command"), SUBCOMMANDS)
def test_every_subcommand_has_help(capsys, group, command):
    code, out, _ = run(capsys, group, command, "--help")
    assert code == 0 and f"Usage: meds-ins {group} {command}" in out


def test_expected_commands_exist():
    assert {
        "tasks",
        "corpora",
        "build",
        "validate",
        "import",
        "new-corpus",
        "info",
        "quickstart",
        "export",
        "bench",
        "card",
        "push",
        "cache",
    } <= set(COMMANDS)
    assert {("bench", "prompts"), ("bench", "score"), ("bench", "leaderboard")} <= set(SUBCOMMANDS)
    assert {("cache", "info"), ("cache", "clear")} <= set(SUBCOMMANDS)


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
    chinese = json.loads(out)  # more builders add more Chinese tasks; the filter must keep only those
    assert "task58" in {r["id"] for r in chinese} and all(
        "zh" in r["languages"] and r["built"] for r in chinese
    )
    _, out, _ = run(capsys, "tasks", "--source", "pubmedqa", "--json")
    assert len(json.loads(out)) == 7
    code, _, err = run(capsys, "tasks", "--category", "Diagnosys")
    assert code == 2 and "Did you mean: Diagnosis" in err and "Traceback" not in err


@pytest.mark.parametrize("columns", [100, 160])
def test_tables_fit_the_terminal_and_keep_their_first_column_whole(capsys, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    for command in ("corpora", "tasks"):
        code, out, _ = run(capsys, command)
        lines = out.splitlines()
        assert code == 0 and max(len(line) for line in lines) <= columns
        ids = {line.split()[0] for line in lines[1:] if line and not line[0].isdigit()}
        assert {"mimic_iv_discharge", "task100"} & ids and not any("…" in i for i in ids)
    assert ("…" in out) == (columns == 100)  # cut cells say so; a wide terminal cuts none


def test_corpora_lists_licences_and_access(capsys):
    code, out, _ = run(capsys, "corpora")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("mimic4ed"))
    assert "credentialed" in line and " no " in line
    assert " licence " in next(x for x in out.splitlines() if x.startswith("pubmedqa"))
    assert " statement " in next(x for x in out.splitlines() if x.startswith("headqa "))
    _, out, _ = run(capsys, "corpora", "--built", "--json")
    built = {c["id"] for c in json.loads(out)}
    assert built == set(load_catalog().builders)
    assert built >= {"pubmedqa", "medqa", "bc5cdr", "meqsum", "ddxplus", "mimic4ed"}
    assert all(
        not c["metadata"]["redistributable"]
        for c in json.loads(out)
        if c["metadata"]["access"] == "credentialed"
    )


def test_build_validate_info(capsys, tmp_path: Path):
    out_dir = tmp_path / "store"
    code, out, _ = run(
        capsys, "build", "pubmedqa", "meqsum", "--raw", str(FIXTURES), "--store", str(out_dir), "--quiet"
    )
    assert code == 0 and "meqsum" in out and "1 question or summary empty" in out
    code, out, _ = run(capsys, "validate", str(out_dir))
    assert code == 0 and "0 error(s)" in out
    code, out, _ = run(capsys, "info", "--store", str(out_dir))
    assert code == 0 and "task114_medqsum_text_summurization" in out and "CC-BY-4.0" in out
    assert re.search(r"^meqsum +1 +question or summary empty$", out, re.MULTILINE)


def test_validate_exit_codes(capsys, tmp_path: Path):
    out_dir = tmp_path / "store"
    run(capsys, "build", "medqa", "--raw", str(FIXTURES), "--store", str(out_dir), "--quiet")
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
    code, _, err = run(capsys, "build", "pubmedqa", "--raw", str(tmp_path), "--store", str(tmp_path / "s"))
    assert code == 2
    assert "ori_pqal.json" in err and "test_ground_truth.json" in err and "github.com/pubmedqa" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "build", "pubmed_qa", "--raw", str(tmp_path))
    assert code == 2 and "Did you mean: pubmedqa" in err
    code, _, err = run(capsys, "build", "radiopaedia_caption_ner", "--raw", str(tmp_path))
    assert code == 2 and "is part of MedS-Ins but has no builder in the installed meds-ins" in err


def test_malformed_raw_file_exits_1_naming_file_and_line(capsys, copy_fixture, tmp_path: Path):
    raw = copy_fixture("bc5cdr")
    path = raw / "CDR_TestSet.PubTator.txt"
    # a mention before any title line: the file is not PubTator as it stands (one bad mention inside a
    # document would only leave that document out, counted)
    path.write_text("6000001\t0\t7\tAspirin\tChemical\tD001241\n" + path.read_text())
    code, _, err = run(
        capsys, "build", "bc5cdr", "--raw", str(raw), "--store", str(tmp_path / "s"), "--quiet"
    )
    assert code == 1 and "CDR_TestSet.PubTator.txt, line 1: expected a title line" in err


def test_quickstart_builds_validates_and_loads(capsys, home: Path):
    code, out, _ = run(capsys, "quickstart")
    assert code == 0
    assert "0 error(s)" in out and "task124_pubmedqa_train_set" in out and "meds-ins build pubmedqa" in out
    assert (home / "store" / "meta" / "manifest.json").is_file()
    code, out, _ = run(capsys, "info")
    assert "miniature demo" in out


def test_corpora_json_gives_every_published_corpus_its_basis_and_every_other_its_reason(capsys):
    _, out, _ = run(capsys, "corpora", "--built", "--json")
    published = 0
    for c in json.loads(out):
        meta = c["metadata"]
        terms = meta["redistribution"]
        if meta["redistributable"]:
            published += 1
            assert terms["basis"] in ("licence", "release statement") and terms["terms"] and terms["source"]
        else:
            assert terms["withheld"].strip(), c["id"]
    assert published >= 20


def test_quickstart_keeps_corpora_built_from_real_files(capsys, home: Path):
    run(capsys, "build", "pubmedqa", "--raw", str(FIXTURES / "pubmedqa"), "--quiet")
    code, out, _ = run(capsys, "quickstart")
    assert code == 0 and "Keeping pubmedqa" in out
    from meds_ins._store.layout import open_store

    assert open_store(home / "store").manifest["corpora"]["pubmedqa"]["miniature"] is False


def test_entry_point_runs_as_a_module(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "meds_ins", "info", "--store", str(tmp_path / "none")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and result.stderr.startswith("error: no store at")


def test_validate_task_files_outputs_and_exit_codes(capsys, tmp_path: Path):
    from taskfile_helpers import TOY, line_of, task, write

    clean = FIXTURES / "validator" / f"{TOY}.json"
    code, out, _ = run(capsys, "validate", str(clean))
    assert code == 0 and "0 error(s), 0 warning(s)" in out
    variant = write(tmp_path, TOY, task(Source="toy_source"))
    line = line_of(variant, '"Source"')
    code, out, _ = run(capsys, "validate", str(variant))
    assert code == 0 and "variant.string-field" in out and f"{variant}:{line}" in out
    code, out, _ = run(capsys, "validate", str(variant), "--strict", "--json")
    report = json.loads(out)
    assert code == 1 and report["errors"] == 1
    assert report["findings"][0] | {"message": ""} == {
        "severity": "error",
        "code": "variant.string-field",
        "location": f"{variant}:{line}",
        "message": "",
        "fix": 'write it as a list: ["..."]',
        "file": str(variant),
        "line": line,
    }
    code, out, _ = run(capsys, "validate", str(variant), "--github")
    assert out.startswith(f"::warning file={variant},line={line}::variant.string-field")
    code, _, err = run(capsys, "validate", str(tmp_path / "missing.json"))
    assert code == 2 and "no such file" in err
    code, _, err = run(capsys, "validate")
    assert code == 2


def test_validate_lists_its_checks(capsys):
    from meds_ins._validation.findings import CHECKS

    code, out, _ = run(capsys, "validate", "--list-checks")
    assert code == 0 and all(c in out for c in CHECKS) and "audit.label-skew" in out


def test_new_corpus_scaffold_validates_and_refuses_to_overwrite(capsys, checkout: Path, monkeypatch):
    # a corpus of the collection that has no builder yet, so the scaffold knows its tasks
    from meds_ins._validation.builders import validate_builder

    tmp_path = checkout
    code, out, _ = run(capsys, "new-corpus", "radiopaedia_caption_ner", "--root", str(tmp_path))
    assert code == 0 and "task72_report_entity_extraction" in out
    assert f"install this checkout with `pip install -e {tmp_path}`" in out
    builder = tmp_path / "builders" / "radiopaedia_caption_ner.py"
    text = builder.read_text()
    assert "TODO" in text and '"Sentence Composition Analysis"' in text
    assert (tmp_path / "tests" / "fixtures" / "radiopaedia_caption_ner" / "data.jsonl").is_file()
    assert (
        "meds_ins.validate("
        in (tmp_path / "tests" / "builders" / "test_radiopaedia_caption_ner.py").read_text()
    )
    assert validate_builder(str(builder)) == []
    code, _, err = run(capsys, "new-corpus", "radiopaedia_caption_ner", "--root", str(tmp_path))
    assert code == 2 and "exists already" in err
    code, _, err = run(capsys, "new-corpus", "pubmedqa", "--root", str(tmp_path))
    assert code == 2 and "already has a builder" in err
    code, _, err = run(capsys, "new-corpus", "Bad-Name", "--root", str(tmp_path))
    assert code == 2 and "not a corpus id" in err
    # the installed package does not see the new builder: `build` says where it is and what to do
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "build", "radiopaedia_caption_ner", "--raw", str(tmp_path))
    assert code == 2 and f"{builder} exists, but the installed meds-ins loads builders from" in err
    assert f"pip install -e {tmp_path}" in err
    code, _, err = run(capsys, "build", "my_own_corpus", "--raw", str(tmp_path))
    assert code == 2 and "found once its repository checkout is installed with `pip install -e" in err


def test_new_corpus_writes_only_into_a_checkout_of_the_repository(capsys, tmp_path: Path):
    code, _, err = run(capsys, "new-corpus", "my_corpus", "--root", str(tmp_path))
    assert code == 2 and f"{tmp_path} is not a checkout of the meds-ins repository" in err
    assert "git clone https://github.com/meds-ins/meds-ins" in err and "pip install -e CLONE" in err
    assert not (tmp_path / "builders").exists() and not (tmp_path / "tests").exists()


def test_ci_and_pre_commit_run_the_validator_on_changed_files(capsys, monkeypatch):
    """The hooks' file pattern and entry, run the way pre-commit runs them, on this repository."""
    import re
    import shlex

    import yaml
    from conftest import REPO

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    local = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    ours = next(h for h in local if h["id"] == "meds-ins-validate")
    assert ours["entry"] == hooks[0]["entry"] and ours["files"] == hooks[0]["files"]
    workflow = (REPO / ".github" / "workflows" / "validate.yml").read_text()
    assert "meds-ins validate --from-changes --github" in workflow
    changed = [
        "builders/meqsum.py",
        "tests/fixtures/medqa/data_clean/questions/Mainland/test.jsonl",
        "tests/fixtures/validator/task9001_toy_fact_verification.json",
        "meds_ins/cli.py",
        "README.md",
    ]
    selected = [f for f in changed if re.match(hooks[0]["files"], f)]
    assert selected == changed[:3]
    monkeypatch.chdir(REPO)
    command = shlex.split(hooks[0]["entry"])[1:]
    code, out, _ = run(capsys, *command, *selected)
    assert code == 0 and "0 error(s), 0 warning(s) in 3 target(s)" in out
    code, out, _ = run(capsys, *command, "meds_ins/cli.py")
    assert code == 0 and "nothing to validate" in out


def test_one_convention_for_stores_outputs_json_and_workers(capsys, tmp_path: Path, checkout: Path):
    store = tmp_path / "s"
    code, out, _ = run(
        capsys, "build", "pubmedqa", "--raw", str(FIXTURES / "pubmedqa"), "--store", str(store), "--json"
    )
    built = json.loads(out)
    assert code == 0 and built["corpora"][0]["id"] == "pubmedqa" and built["store"] == str(store)
    assert built["corpora"][0]["tasks"]["task124_pubmedqa_train_set"]["train"] > 0
    # the old spellings are refused with the new one
    code, _, err = run(capsys, "build", "pubmedqa", "--raw", str(FIXTURES), "--out", str(store))
    assert code == 2 and "--store STORE" in err
    code, _, err = run(capsys, "info", str(store))
    assert code == 2 and "a store is given with --store STORE" in err
    # --json everywhere a command prints a result
    for argv, key in [
        (["info", "--store", str(store), "--json"], "tasks"),
        (["card", "--store", str(store), "--json"], "card"),
        (["export", "--store", str(store), "--out", str(tmp_path / "x.jsonl"), "--json"], "records"),
        (["bench", "prompts", "--store", str(store), "--out", str(tmp_path / "p"), "--json"], "tasks"),
        (["new-corpus", "my_corpus", "--root", str(checkout), "--json"], "builder"),
    ]:
        code, out, err = run(capsys, *argv)
        assert code == 0 and key in json.loads(out), (argv, err)
    # more workers than cores: capped with a note, not refused
    code, out, err = run(capsys, "validate", str(store), "--workers", "512", "--no-audits")
    assert code == 0 and "using" in err and "--workers 512" in err
