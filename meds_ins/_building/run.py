"""Running builders: raw files -> examples -> records -> checks -> store, for one or many corpora.

Building several corpora (or all), each gets an outcome: built, skipped (its raw files are absent; the
message says what to get and where) or failed (the error); the corpora that built are committed
together and the others leave their part of the store as it was. Building one corpus, a missing file or
a failure is raised as an error.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from tqdm import tqdm

from meds_ins._building.catalog import load_catalog
from meds_ins._building.download import DownloadReport
from meds_ins._building.download import download as fetch_sources
from meds_ins._common import paths
from meds_ins._common.errors import DownloadError, MedsInsError, MissingRawFilesError
from meds_ins._records.convert import record_tables
from meds_ins._store import arrowcache
from meds_ins._store.layout import Store
from meds_ins._store.transaction import CorpusResult, Transaction
from meds_ins._store.writer import CorpusWriter
from meds_ins.builder._api import BuildContext, Builder, check_raw_files, missing_files


@dataclass(frozen=True)
class Outcome:
    """What happened to one corpus of a build: built, skipped (raw files absent) or failed."""

    id: str
    status: str
    message: str = ""  # skipped: the files missing and where to get them; failed: the error
    missing: tuple[str, ...] = ()  # skipped: the raw files not found
    get: str = ""  # skipped: how to get them (`meds-ins download ID`, or where to ask)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "message": self.message,
            "missing": list(self.missing),
            "get": self.get,
        }


@dataclass(frozen=True)
class BuildReport:
    store: Store | None  # None when nothing was built (the store, if any, is as it was)
    results: list[CorpusResult]
    seconds: float
    outcomes: list[Outcome] = field(default_factory=list)
    downloads: DownloadReport | None = None

    def by_status(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    def to_dict(self) -> dict[str, Any]:
        """What was built, per corpus: records per task and split, items skipped on purpose and why,
        text fields repaired and how, and the declared tasks that got no records; and the outcome of every
        corpus asked for."""
        return {
            "store": str(self.store.root) if self.store is not None else None,
            "seconds": round(self.seconds, 2),
            "totals": self.store.manifest["totals"] if self.store is not None else None,
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
            "outcomes": [o.to_dict() for o in self.outcomes],
            **({"downloads": self.downloads.to_dict()} if self.downloads is not None else {}),
        }


def build(
    corpora: Sequence[str | Builder],
    raw: Path | None = None,
    out: Path | None = None,
    *,
    workers: int = 1,
    miniature: bool = False,
    progress: bool = True,
    arrow_copies: bool = True,
    download: bool = False,
) -> BuildReport:
    """Build the given corpora (ids or Builder objects; "all" for every builder) from raw files under
    `raw` into the store `out`.

    `raw` is a corpus folder, or a folder holding one sub-folder per corpus id (default: the raw folder
    in $MEDS_INS_HOME, where `download` puts files); `out` defaults to the local store. Only the tasks
    of the corpora built are replaced; the rest of an existing store is kept as it was. With several
    corpora, one whose raw files are absent is skipped and one that fails is reported, and the others
    are built (`BuildReport.outcomes`); with one corpus, either is raised. `download` first fetches the
    raw files of the public corpora into `raw`. With `workers` > 1, corpora are built in parallel
    processes. `arrow_copies` also writes the loader's memory-mappable copy of each file into the
    Arrow cache, so that the store loads without any conversion.
    """
    started = time.perf_counter()
    raw = Path(raw).expanduser() if raw is not None else paths.raw_folder()
    out = Path(out).expanduser() if out is not None else paths.default_store()
    single = len(corpora) == 1 and corpora[0] != "all"
    if list(corpora) == ["all"]:
        corpora = list(load_catalog().builders)
    builders = list({b.corpus.id: b for b in map(_builder, corpora)}.values())
    outcomes: dict[str, Outcome] = {}
    downloads = None
    if download:
        downloads = fetch_sources(builders, raw, progress=progress)
        if single and downloads.failed:
            raise DownloadError(downloads.failed[0].message)
        for d in downloads.failed:
            outcomes[d.id] = Outcome(d.id, "failed", d.message)
    if not single and not raw.is_dir():
        raise MissingRawFilesError(
            f"raw folder {raw} does not exist: download public corpora with `meds-ins download CORPUS` "
            "(or build with --download), or point --raw at a folder holding one sub-folder per corpus id"
        )
    ready = []
    for builder in builders:
        if builder.corpus.id in outcomes:
            continue
        root = corpus_root(raw, builder.corpus.id)
        try:
            check_raw_files(builder.corpus, root)  # every missing file is named before any work starts
        except MissingRawFilesError as e:
            if single:
                raise
            outcomes[builder.corpus.id] = _skipped(builder, root, e)
            continue
        ready.append((builder, root))
    results = []
    store = None
    if ready:
        arrowcache.remove_stale()
        with Transaction(out) as tx:
            for (builder, root), done in zip(
                ready, _run(ready, tx.staging, workers, miniature, progress, arrow_copies)
            ):
                cid = builder.corpus.id
                if isinstance(done, CorpusResult):
                    results.append(done)
                    outcomes[cid] = Outcome(cid, "built")
                elif single:
                    raise done
                elif isinstance(done, MissingRawFilesError):
                    outcomes[cid] = _skipped(builder, root, done)
                else:
                    outcomes[cid] = Outcome(cid, "failed", _describe(done))
            if results:
                store = tx.commit(results)
    ordered = [outcomes[b.corpus.id] for b in builders]
    return BuildReport(store, results, time.perf_counter() - started, ordered, downloads)


def corpus_root(raw: Path, corpus_id: str) -> Path:
    """Where a corpus's raw files are: `raw/<corpus id>` when it exists; else `raw` itself, unless `raw`
    is a folder of corpus folders (then the corpus is absent, and another corpus's files are never
    taken for its own)."""
    own = raw / corpus_id
    if own.is_dir() or any((raw / cid).is_dir() for cid in load_catalog().builders):
        return own
    return raw


def _run(
    ready: list[tuple[Builder, Path]],
    staging: Path,
    workers: int,
    miniature: bool,
    progress: bool,
    arrow_copies: bool,
) -> list[CorpusResult | Exception]:
    """Build each corpus; a corpus that raises gives its exception instead of a result."""
    if workers > 1 and len(ready) > 1:
        # Builders travel to the workers pickled: their `generate` must be importable by name.
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            futures = [
                pool.submit(build_corpus, b, root, staging, miniature, progress, i, arrow_copies)
                for i, (b, root) in enumerate(ready)
            ]
            return [_result(f.result) for f in futures]
    return [
        _result(lambda b=b, root=root: build_corpus(b, root, staging, miniature, progress, 0, arrow_copies))
        for b, root in ready
    ]


def _result(run: Any) -> CorpusResult | Exception:
    try:
        return run()
    except Exception as e:
        if os.environ.get("MEDS_INS_DEBUG") and not isinstance(e, MedsInsError):
            raise  # a bug: show its traceback, as the command line does under MEDS_INS_DEBUG
        return e


def _skipped(builder: Builder, root: Path, error: MissingRawFilesError) -> Outcome:
    corpus = builder.corpus
    get = f"meds-ins download {corpus.id}" if corpus.downloadable else corpus.download
    missing = tuple(f.path for f in missing_files(corpus, root))
    return Outcome(corpus.id, "skipped", str(error), missing, get)


def _describe(error: Exception) -> str:
    if isinstance(error, MedsInsError):
        return str(error)
    return f"internal error: {type(error).__name__}: {error} (set MEDS_INS_DEBUG=1 to see the traceback)"


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
