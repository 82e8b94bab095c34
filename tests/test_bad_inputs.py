"""Every case of the generated bad-input corpus (tests/bad_inputs.py) gives a clear error and writes nothing.

For each case: the exit code is the documented one (1 the data or the work failed, 2 usage), the
message names the file, there is no traceback and no "internal error", and every watched path (the
store, the output locations) is byte-identical before and after, with no staging folder or temporary
Arrow file left. Where the case has a Python counterpart, the public function raises the package's own
exception naming the same file. The cases run in-process, one test per kind, every failure listed.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from bad_inputs import KINDS, Case, generate

import meds_ins
from meds_ins._cli import main
from meds_ins._common.errors import MedsInsError


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Case]:
    root = tmp_path_factory.mktemp("bad-inputs")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MEDS_INS_HOME", str(root / "home"))
        return generate(root / "corpus")


def tree_state(path: Path) -> dict[str, str]:
    """Every file, folder and link under `path` with its content hash, plus what lies beside it under
    its name (staging folders, old versions), except the store's lock file."""
    state: dict[str, str] = {}
    if path.is_symlink() or path.is_file():
        state["."] = _entry(path)
    elif path.is_dir():
        for dirpath, dirnames, filenames in os.walk(path):
            for name in dirnames + filenames:
                full = Path(dirpath) / name
                state[str(full.relative_to(path))] = _entry(full)
    if path.parent.is_dir():
        for sibling in path.parent.glob(f".{path.name}.*"):
            if not sibling.name.endswith(".lock"):
                state[f"../{sibling.name}"] = _entry(sibling)
    return state


def _entry(path: Path) -> str:
    if path.is_symlink():
        return "link:" + os.readlink(path)
    if path.is_dir():
        return "dir"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(argv: list[str]) -> tuple[int, str]:
    shown = io.StringIO()
    with redirect_stdout(shown), redirect_stderr(shown):
        try:
            main(argv)
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
    return code, shown.getvalue()


def problems(case: Case, home: Path) -> list[str]:
    """What is wrong with how meds-ins handles the case (nothing, when all is well)."""
    shutil.rmtree(home / "arrow", ignore_errors=True)  # a cold cache: damaged parquet files are read
    before = {w: tree_state(Path(w)) for w in case.watch}
    code, shown = run_cli(case.argv)
    found = []
    if "Traceback" in shown or "internal error" in shown:
        found.append("an internal error")
    if code != case.exit:
        found.append(f"exit {code}, expected {case.exit}")
    if not any(name in shown for name in case.names):
        found.append(f"the message names none of {case.names}")
    found += [f"{w} changed" for w, state in before.items() if tree_state(Path(w)) != state]
    if any((home / "arrow").glob(".*")):
        found.append("temporary Arrow files left")
    if case.api:
        function, target = case.api
        try:
            getattr(meds_ins, function)(target)
            found.append(f"{function} raised nothing")
        except MedsInsError as e:
            if not any(name in str(e) for name in case.names):
                found.append(f"{function}'s message names none of {case.names}: {e}")
        except Exception as e:  # the very thing this test exists to catch
            found.append(f"{function} raised {type(e).__name__}: {e}")
    if found:
        lines = shown.strip().splitlines()
        found.append(f"output: {lines[-1] if lines else '(none)'}")
    return found


def test_the_corpus_is_large_and_covers_every_kind(corpus: list[Case]):
    counts = {kind: sum(c.kind == kind for c in corpus) for kind in KINDS}
    assert all(counts.values()), counts
    assert len(corpus) >= 150
    assert len({c.id for c in corpus}) == len(corpus)


@pytest.mark.parametrize("kind", KINDS)
def test_bad_inputs_give_a_clear_error_and_write_nothing(corpus: list[Case], kind: str, home: Path):
    failures = {c.id: p for c in corpus if c.kind == kind for p in [problems(c, home)] if p}
    assert not failures, "\n".join(f"{case}: {'; '.join(p)}" for case, p in failures.items())
