"""`meds-ins quickstart`: a first store from the miniature corpora shipped with the package."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from meds_ins._building.run import build
from meds_ins._common import resources
from meds_ins._common.errors import BuilderError
from meds_ins._store.layout import is_store, open_store

# Public reference builders whose miniatures ship with the package (credentialed ones never do).
DEMO_CORPORA = ("pubmedqa", "medqa", "bc5cdr", "meqsum", "ddxplus")
DEMO_TASK = "task124_pubmedqa_train_set"


def run(store: Path, echo: Callable[[str], None] = print) -> dict[str, Any]:
    """Build the demo miniatures into `store`, validate it, load a task; says each step through `echo`.

    Returns a summary (store, corpora built and kept, errors and warnings found, records loaded, seconds).
    """
    started = time.perf_counter()
    real = set()
    if is_store(store):
        built = open_store(store).manifest["corpora"]
        real = {c for c in DEMO_CORPORA if c in built and not built[c]["miniature"]}
    corpora = [c for c in DEMO_CORPORA if c not in real]
    for c in sorted(real):
        echo(f"Keeping {c}: {store} already holds it built from real raw files.")
    if corpora:
        echo(f"1/3 Building the demo miniatures of {', '.join(corpora)} into {store} ...")
        raw = Path(str(resources.fixtures()))
        report = build(corpora, raw, store, miniature=True, progress=False)
        broken = [f"{o.id}: {o.message}" for o in report.outcomes if o.status != "built"]
        if broken or report.store is None:
            raise BuilderError("the demo miniatures did not build: " + "; ".join(broken))
        totals = report.store.manifest["totals"]
        echo(f"    {totals['rows']:,} records in {totals['tasks']} tasks ({report.seconds:.1f} s).")

    echo("2/3 Validating the store ...")
    from meds_ins._validation.stores import validate_store

    findings = validate_store(store)
    errors = [f for f in findings if f.severity == "error"]
    for f in findings:
        if f.severity == "error" or f.code.startswith("setup."):  # and what was left unchecked
            echo(str(f))
    echo(f"    {len(errors)} error(s), {len(findings) - len(errors)} warning(s).")

    echo(f"3/3 Loading {DEMO_TASK} ...")
    from meds_ins._loading.loader import load_dataset

    ds = load_dataset(store, task=DEMO_TASK, split="train")
    record = ds[0]
    echo(f"    {ds.num_rows} records; the first one:")
    echo(f"      instruction: {_short(record['instruction'])}")
    echo(f"      input:       {_short(record['input'])}")
    echo(f"      output:      {record['output']}")
    echo(f"\nDone in {time.perf_counter() - started:.1f} s. These demo records are made up; to go on:")
    echo("  meds-ins tasks                              # every task, and which ones have a builder")
    echo("  meds-ins download pubmedqa && meds-ins build pubmedqa   # the real corpus (replaces the demo)")
    echo("  meds-ins info                               # what the store holds")
    echo("  python -c \"import meds_ins; print(meds_ins.load_dataset(task='task124'))\"")
    return {
        "store": str(store),
        "built": corpora,
        "kept": sorted(real),
        "errors": len(errors),
        "warnings": len(findings) - len(errors),
        "task": DEMO_TASK,
        "records": ds.num_rows,
        "seconds": round(time.perf_counter() - started, 2),
    }


def _short(text: str, width: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."
