"""A non-editable install into a fresh virtual environment works from any directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import REPO


@pytest.mark.slow
def test_wheel_install_and_quickstart_from_elsewhere(tmp_path: Path):
    # install from a copy, so the build leaves nothing behind in the repository
    source = tmp_path / "source"
    shutil.copytree(
        REPO, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__")
    )
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(source)],
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env |= {
        "MEDS_INS_HOME": str(tmp_path / "home"),
        "HF_HOME": str(tmp_path / "hf"),
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
    }
    meds_ins = env_dir / "bin" / "meds-ins"
    result = subprocess.run(
        [str(meds_ins), "quickstart"], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stdout and "task124_pubmedqa_train_set" in result.stdout
    # the new-corpus templates travel too: a scaffold made by the installed package validates
    repo = elsewhere / "repo"
    scaffold = [str(meds_ins), "new-corpus", "demo_corpus", "--root", str(repo)]
    made = subprocess.run(scaffold, env=env, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    check = subprocess.run(
        [str(meds_ins), "validate", str(repo / "builders" / "demo_corpus.py")],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0 and "0 error(s), 0 warning(s)" in check.stdout, check.stdout + check.stderr
    # the package really runs from site-packages, with its schemas, card template and miniatures inside
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import meds_ins, meds_ins._common.schema as s; print(meds_ins.__file__); "
            "print(len(s.load('record')['properties']))",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    location, properties = where.stdout.split()
    assert "site-packages" in location and str(source) not in location and properties == "12"
    assert sys.prefix != str(env_dir)
