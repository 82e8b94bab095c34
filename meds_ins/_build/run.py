"""Running builders: raw files -> examples -> records -> checks -> store, for one or many corpora."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from tqdm import tqdm

from meds_ins._store import arrowcache
from meds_ins.builder._api import BuildContext, Builder, check_raw_files
from meds_ins._build.catalog import load_catalog
from meds_ins._records.convert import record_tables
from meds_ins._store.transaction import CorpusResult, Transaction
from meds_ins._store.writer import CorpusWriter
from meds_ins._store.layout import Store


@dataclass(frozen=True)
class BuildReport:
    store: Store
    results: list[CorpusResult]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """What was built, per corpus: records per task and split, items skipped on purpose and why,
        text fields repaired and how, and the declared tasks that got no records."""
        return {
            "store": str(self.store.root),
            "seconds": round(self.seconds, 2),
            "totals": self.store.manifest["totals"],
            "corpora": [
                {
                    "id": r.corpus["id"],
                    "tasks": {
                        name: {split: part["rows"] for split, part in entry["splits"].items()}
                        for name, entry in r.written.items()
                    },
                    "skipped": r.skipped,
                    "normalized": r.normalized,
                    "empty_tasks": [t["name"] for t in r.tasks if t["name"] not in r.written],
                }
                for r in self.results
            ],
        }


def build(
    corpora: Sequence[str | Builder],
    raw: Path,
    out: Path,
    *,
    workers: int = 1,
    miniature: bool = False,
    progress: bool = True,
    arrow_copies: bool = True,
) -> BuildReport:
    """Build the given corpora (ids or Builder objects; "all" for every builder) from raw files under
    `raw` into the store `out`.

    `raw` is a corpus folder, or a folder holding one sub-folder per corpus id. Only the tasks of the
    named corpora are replaced; the rest of an existing store is kept as it was. With `workers` > 1,
    corpora are built in parallel processes. `arrow_copies` also writes the loader's memory-mappable
    copy of each file into the Arrow cache, so that the store loads without any conversion.
    """
    started = time.perf_counter()
    if list(corpora) == ["all"]:
        corpora = list(load_catalog().builders)
    builders = list({b.corpus.id: b for b in map(_builder, corpora)}.values())
    roots = [b.raw_root(raw) for b in builders]
    for builder, root in zip(builders, roots):
        check_raw_files(builder.corpus, root)  # every missing file is reported before any work starts
    arrowcache.remove_stale()
    with Transaction(out) as tx:
        if workers > 1 and len(builders) > 1:
            # Builders travel to the workers pickled: their `generate` must be importable by name.
            with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
                futures = [
                    pool.submit(build_corpus, b, root, tx.staging, miniature, progress, i, arrow_copies)
                    for i, (b, root) in enumerate(zip(builders, roots))
                ]
                results = [f.result() for f in futures]
        else:
            results = [
                build_corpus(b, root, tx.staging, miniature, progress, 0, arrow_copies)
                for b, root in zip(builders, roots)
            ]
        store = tx.commit(results)
    return BuildReport(store, results, time.perf_counter() - started)


def _builder(corpus: str | Builder) -> Builder:
    return corpus if isinstance(corpus, Builder) else load_catalog().builder(corpus)


def build_corpus(
    corpus: str | Builder,
    root: Path,
    staging: Path,
    miniature: bool = False,
    progress: bool = True,
    position: int = 0,
    arrow_copies: bool = True,
) -> CorpusResult:
    """Build one corpus into the staging folder (runs in a worker process when building in parallel)."""
    builder = _builder(corpus)
    corpus_id = builder.corpus.id
    ctx = BuildContext(builder.corpus, root)
    repairs: Counter[str] = Counter()
    writer = CorpusWriter(staging, arrow_copies)
    try:
        bar = tqdm(
            desc=f"building {corpus_id}",
            unit=" records",
            disable=not progress or None,
            position=position,
            leave=True,
            mininterval=0.5,
        )
        with bar:
            for table in record_tables(builder, builder.generate(ctx), repairs):
                writer.add(table)
                bar.update(table.num_rows)
        written = writer.close()
    except BaseException:
        writer.abort()
        raise
    return CorpusResult(
        corpus=builder.corpus.to_dict(),
        tasks=[t.to_dict(builder.corpus.id) for t in builder.tasks],
        written=written,
        raw_files=dict(ctx.files_read),
        skipped=dict(ctx.skipped),
        miniature=miniature,
        normalized=dict(repairs),
    )
