"""The house: import contracts, the public API, and what builder modules may import."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import meds_ins

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "meds_ins"
# Public by name: the facade, the builder surface and the format parsers builders call.
PUBLIC_PACKAGES = {"builder", "formats"}


def test_import_contracts_hold():
    """pyproject.toml's import-linter contracts: stages import only the stages below them."""
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is a test dependency (pip install -e '.[test]')"
    done = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_a_stage_importing_a_stage_above_it_breaks_the_contract(tmp_path):
    """The contract can fail: a copy of the package where the store imports the loader is refused."""
    copy = tmp_path / "meds_ins"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    layout = copy / "_store" / "layout.py"
    layout.write_text(layout.read_text() + "\n\ndef _upwards():\n    from meds_ins._loading import loader\n")
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint
    done = subprocess.run(
        [lint, "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path), "PATH": str(Path(sys.executable).parent)},
    )
    assert done.returncode == 1
    assert "meds_ins._store is not allowed to import meds_ins._loading" in done.stdout


def test_every_module_but_the_public_surface_is_private_by_name():
    public = []
    for path in PACKAGE.iterdir():
        name = path.stem
        if name.startswith("_") or name in PUBLIC_PACKAGES or path.suffix not in ("", ".py"):
            continue
        if path.is_dir() and not (path / "__init__.py").exists():
            continue  # data folders (roadmap, templates)
        public.append(name)
    assert public == []


def test_the_public_api_is_listed_once_and_every_name_resolves():
    assert "load_dataset" in dir(meds_ins)
    assert dir(meds_ins) == sorted(meds_ins.__all__)
    assert len(set(meds_ins.__all__)) == len(meds_ins.__all__)
    for name in meds_ins.__all__:
        assert getattr(meds_ins, name) is not None, name
    with pytest.raises(AttributeError):
        meds_ins.no_such_name  # noqa: B018


def test_the_errors_share_one_base_class():
    errors = [
        getattr(meds_ins, n) for n in meds_ins.__all__ if n.endswith("Error") or n == "ValidationFailed"
    ]
    assert len(errors) >= 9
    assert all(issubclass(e, meds_ins.MedsInsError) for e in errors)


def test_the_public_api_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [n for n in meds_ins.__all__ if n != "__version__" and f"`{n}" not in readme]
    assert missing == []


def builder_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("meds_ins"):
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("meds_ins")]
    return found


def test_builders_import_only_the_builder_surface_and_the_format_parsers():
    def allowed(module: str) -> bool:
        return module in ("meds_ins.builder", "meds_ins.formats") or module.startswith(
            ("meds_ins.formats.", "meds_ins.builders._")
        )

    wrong = [
        (path.name, module)
        for path in sorted((ROOT / "builders").glob("*.py"))
        for module in builder_imports(path)
        if not allowed(module)
    ]
    assert wrong == []


@pytest.mark.parametrize("limit", [500])
def test_no_module_is_over_the_limit(limit):
    long = {
        str(path.relative_to(ROOT)): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > limit
    }
    assert long == {}


# The modules of each feature's extra may be imported only where that feature lives.
OWNERS = {
    "audits": "meds_ins/_validation/audits.py",
    "bench-scoring": "meds_ins/_bench/metrics.py",
    "bench-charts": "meds_ins/_bench/charts.py",
}


def test_only_their_own_modules_import_the_extras():
    from meds_ins._common.extras import EXTRAS

    assert set(OWNERS) == set(EXTRAS)
    owner = {module: OWNERS[feature] for feature, (_, modules) in EXTRAS.items() for module in modules}
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in owner and module != owner[top]:
                    wrong.append((module, name))
    assert wrong == []


def test_no_module_imports_itself_through_others():
    """No circle between modules, inside a stage too (the layers contract sees only stage to stage);
    imports for type annotations alone do not run and do not count."""
    import grimp

    graph = grimp.build_graph("meds_ins", exclude_type_checking_imports=True)
    circles = sorted(
        {
            tuple(sorted((module, imported)))
            for module in graph.modules
            for imported in graph.find_modules_directly_imported_by(module)
            if imported != module and graph.chain_exists(importer=imported, imported=module)
        }
    )
    assert circles == []
