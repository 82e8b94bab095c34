"""Shared test fixtures: an isolated MEDS_INS_HOME, the fixture corpora, the real-corpora samples."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from meds_ins._building.run import BuildReport, build

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
# The real samples live beside the repository; MEDS_INS_REAL_CORPORA points elsewhere when needed.
REAL_CORPORA = Path(os.environ.get("MEDS_INS_REAL_CORPORA", REPO.parent / "shared" / "real-corpora"))


@pytest.fixture(autouse=True)
def home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own MEDS_INS_HOME (default store and Arrow cache) and Hugging Face cache."""
    root = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("MEDS_INS_HOME", str(root / "meds_ins"))
    monkeypatch.setenv("HF_HOME", str(root / "hf"))
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return root / "meds_ins"


def real_corpus(slug: str) -> Path:
    """A folder of ../shared/real-corpora, or skip the test when the samples are not on this machine."""
    path = REAL_CORPORA / slug
    if not path.is_dir():
        pytest.skip(f"real corpus sample {slug} not available at {path}")
    return path


@pytest.fixture
def copy_fixture(tmp_path: Path) -> Callable[[str], Path]:
    """A writable copy of tests/fixtures/<corpus>, for tests that break files on purpose."""

    def make(corpus: str) -> Path:
        target = tmp_path / "raw" / corpus
        shutil.copytree(FIXTURES / corpus, target)
        return target

    return make


@pytest.fixture
def build_store(tmp_path: Path) -> Callable[..., BuildReport]:
    def make(corpora: list[str], raw: Path = FIXTURES, out: Path | None = None, **kwargs) -> BuildReport:
        return build(corpora, raw, out or tmp_path / "store", progress=False, **kwargs)

    return make


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A folder laid out as a checkout of the repository (what `meds-ins new-corpus` writes into)."""
    root = tmp_path / "checkout"
    (root / "meds_ins").mkdir(parents=True)
    (root / "builders").mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "meds-ins"\n')
    (root / "meds_ins" / "__init__.py").write_text("")
    return root
