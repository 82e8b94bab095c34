"""`meds-ins new-corpus NAME`: a builder, a fixture folder and a test, from the templates in the package.

When the catalog knows the corpus (meds_ins/roadmap), its tasks come filled in with their ids, names,
categories and benchmark membership; otherwise one placeholder task with a free task number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from meds_ins._common import paths, resources
from meds_ins._common.errors import UsageError

CORPUS_ID = re.compile(r"^[a-z][a-z0-9_]*$")


REPOSITORY = "https://github.com/meds-ins/meds-ins"


@dataclass(frozen=True)
class Scaffold:
    builder: Path
    fixture: Path
    test: Path
    tasks: list[str]
    seen: bool  # the installed meds-ins loads builders from this checkout (an editable install)


def new_corpus(corpus_id: str, root: Path) -> Scaffold:
    """Write builders/<id>.py, tests/fixtures/<id>/data.jsonl and tests/builders/test_<id>.py under root,
    a checkout of the meds-ins repository."""
    from meds_ins._building.catalog import builders_folder, load_catalog

    if not CORPUS_ID.match(corpus_id):
        raise UsageError(f"{corpus_id!r} is not a corpus id: use lower-case snake case, e.g. bc2gm")
    if not is_checkout(root):
        raise UsageError(
            f"{root.resolve()} is not a checkout of the meds-ins repository (it lacks pyproject.toml, "
            f"meds_ins/ or builders/); builders are contributed to the repository: clone it "
            f"(`git clone {REPOSITORY}`), then run `meds-ins new-corpus {corpus_id} --root CLONE` and "
            "`pip install -e CLONE`"
        )
    catalog = load_catalog()
    if corpus_id in catalog.builders:
        raise UsageError(f"{corpus_id} already has a builder (builders/{corpus_id}.py)")
    paths.check_output(root, folder=True)
    builder = root / "builders" / f"{corpus_id}.py"
    fixture = root / "tests" / "fixtures" / corpus_id
    test = root / "tests" / "builders" / f"test_{corpus_id}.py"
    for path in (builder, fixture, test):
        if path.exists():
            raise UsageError(f"{path} exists already; remove it or choose another corpus id")
    planned = [t for t in catalog.tasks() if t.source == corpus_id and not t.built]
    if planned:
        tasks = [
            (t.id, t.name or f"{t.id}_{corpus_id}_todo", t.category, t.in_bench is True) for t in planned
        ]
        info = next((c for c in catalog.corpora() if c.id == corpus_id), None)
        name = info.name if info else corpus_id
    else:
        free = max(t.number for t in catalog.tasks()) + 1
        tasks = [(f"task{free}", f"task{free}_{corpus_id}_todo", "Question Answering", False)]
        name = corpus_id
    template = _template("task.tmpl")
    task_code = "".join(
        template.substitute(task_id=i, task_name=n, category=c, in_bench=str(b)) for i, n, c, b in tasks
    ).rstrip("\n")
    values = {"corpus_id": corpus_id, "name": name, "tasks": task_code, "first_task": tasks[0][0]}
    builder.parent.mkdir(parents=True, exist_ok=True)
    builder.write_text(_template("builder.py.tmpl").substitute(values), encoding="utf-8")
    fixture.mkdir(parents=True)
    (fixture / "data.jsonl").write_text(_template("data.jsonl.tmpl").template, encoding="utf-8")
    test.parent.mkdir(parents=True, exist_ok=True)
    test.write_text(_template("test_builder.py.tmpl").substitute(values), encoding="utf-8")
    seen = builders_folder() == (root / "builders").resolve()
    return Scaffold(builder, fixture, test, [t[1] for t in tasks], seen)


def is_checkout(root: Path) -> bool:
    """A checkout of the meds-ins repository: its project file, package and builders are there."""
    return (
        (root / "pyproject.toml").is_file()
        and (root / "meds_ins" / "__init__.py").is_file()
        and (root / "builders").is_dir()
    )


def _template(name: str) -> Template:
    return Template(resources.templates().joinpath(name).read_text(encoding="utf-8"))
