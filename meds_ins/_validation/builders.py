"""Validating a builder: its declarations checked, then built on its fixture (or on raw files) into a
temporary store, which is validated like any store."""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path
from typing import Any

from meds_ins._common import resources
from meds_ins._common.errors import BuilderError, MedsInsError, UsageError
from meds_ins._validation.findings import (
    Report,
    finding,
)
from meds_ins._validation.stores import validate_store
from meds_ins.builder._api import Builder


def load_builder(target: str) -> Builder:
    """A builder by corpus id, or from a builder module file (which may not be installed yet)."""
    path = Path(target)
    if path.suffix == ".py":
        if not path.is_file():
            raise UsageError(f"no builder module at {path}")
        spec = importlib.util.spec_from_file_location(f"meds_ins_builder_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        builder = getattr(module, "BUILDER", None)
        if not isinstance(builder, Builder):
            raise BuilderError(f"{path} defines no BUILDER = Builder(...)")
        from meds_ins._building.catalog import check_builder

        check_builder(builder, path.stem)
        return builder
    from meds_ins._building.catalog import load_catalog

    return load_catalog().builder(target)


def fixture_dir(builder: Builder, module_path: Path | None = None) -> Path:
    """tests/fixtures/<corpus id> next to the builder's repository, else the copy inside the package."""
    if module_path is not None:
        beside = module_path.resolve().parent.parent / "tests" / "fixtures" / builder.corpus.id
        if beside.is_dir():
            return beside
    packaged = Path(str(resources.fixtures().joinpath(builder.corpus.id)))
    if packaged.is_dir():
        return packaged
    raise UsageError(
        f"{builder.corpus.id} has no fixture: add tests/fixtures/{builder.corpus.id}/ with a miniature "
        "of the raw files in their native format"
    )


def validate_builder(
    target: str,
    raw: Path | None = None,
    *,
    explain: bool = False,
    unused_exceptions: bool = False,
    audits: bool = True,
) -> Any:
    """Check a builder's declarations, build it on its fixture (or on `raw`), and validate the result."""
    from meds_ins._building.run import build

    try:
        builder = load_builder(target)
    except BuilderError as e:
        found = [finding("builder.declaration", target, str(e))]
        return Report(found) if explain else found
    source = raw or fixture_dir(builder, Path(target) if target.endswith(".py") else None)
    with tempfile.TemporaryDirectory(prefix="meds-ins-validate-") as tmp:
        try:
            built = build([builder], source, Path(tmp) / "store", progress=False, arrow_copies=False)
        except MedsInsError as e:
            found = [finding("builder.build", f"{builder.corpus.id} on {source}", str(e))]
            return Report(found) if explain else found
        except Exception as e:  # a bug in the builder's own code: report it, do not crash
            message = f"the builder raised {type(e).__name__}: {e}"
            found = [finding("builder.build", f"{builder.corpus.id} on {source}", message)]
            return Report(found) if explain else found
        # Audit exceptions explain properties of the real corpus; a fixture need not reproduce them.
        report = validate_store(
            built.store.root,
            explain=True,
            unused_exceptions=unused_exceptions and raw is not None,
            audits=audits,
        )
        declared = {t.name for t in builder.tasks}
        produced = set(built.store.manifest["tasks"])
        for name in sorted(declared - produced):
            report.findings.append(
                finding("builder.empty-task", f"{builder.corpus.id}: {name}", f"no records from {source}")
            )
    return report if explain else report.findings
