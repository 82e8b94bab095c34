"""meds-ins: build, validate, load and publish MedS-Ins and MedS-Bench.

The public Python API is the list in `__all__` below, and nothing else: every other module is private
(its name starts with `_`) and may change between versions. Builder modules have their own surface,
`meds_ins.builder`, and the parsers of shared raw formats are in `meds_ins.formats`.

The package is laid out along the data flow; each stage imports only the stages below it (the import
contract in pyproject.toml, checked by the tests):

    _cli            the command line: one module per command group, each a thin layer over this API
    _quickstart     the demo: build the miniatures, validate, load
    _bench          MedS-Bench: prompts, scoring, metrics, leaderboard
    _publish        push to the Hub: plan (licence gate) and transport (commits, pull requests)
    _training       prompts and chat-format training exports
    _loading        load_dataset: selections, memory-mapped and streamed datasets
    _validation     the validator (task files, builders, stores), audits, the task-file importer
    _building       running builders into a store, the catalog, scaffolding new builders
    builders        one module per corpus (builders/ in the repository)
    _hub            the Hub client side: repository ids, errors, reading published stores
    _store          the store: layout and metadata, writer, transactions, Arrow copies, dataset card
    _records        examples to record tables; record checks compiled from the schema
    builder         the builder API: declarations, layouts, recipes
    formats         parsers of shared raw formats
    _common         errors, names, languages, paths, packaged resources, schemas, version

Names are imported on first use, so `import meds_ins` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from meds_ins._common.errors import (
    BuilderError,
    DownloadError,
    HubError,
    MedsInsError,
    MissingRawFilesError,
    RawFormatError,
    StoreError,
    StoreNotFoundError,
    UnknownNameError,
    UsageError,
    ValidationFailed,
)
from meds_ins._common.version import VERSION as __version__

if TYPE_CHECKING:
    from meds_ins._bench.leaderboard import write as write_leaderboard
    from meds_ins._bench.lmeval import score_outputs, write_lm_eval_tasks
    from meds_ins._bench.prompting import write_prompts as write_bench_prompts
    from meds_ins._bench.run import run_bench
    from meds_ins._bench.score import score_files as score_predictions
    from meds_ins._building.catalog import load_catalog as catalog
    from meds_ins._building.download import download
    from meds_ins._building.run import build
    from meds_ins._loading.loader import load_dataset
    from meds_ins._loading.meta import decode_meta
    from meds_ins._publish.transport import push
    from meds_ins._store.arrowcache import clear as clear_cache
    from meds_ins._store.arrowcache import info as cache_info
    from meds_ins._store.layout import Store, open_store
    from meds_ins._store.paraphrases import draw_instruction
    from meds_ins._training.export import export, mixture, to_messages
    from meds_ins._validation.engine import validate
    from meds_ins._validation.findings import Finding, Report
    from meds_ins._validation.importer import import_files as import_task_files
    from meds_ins._validation.importer import import_from_hub

# Public name -> (module, attribute), imported on first use.
_LAZY = {
    "load_dataset": ("meds_ins._loading.loader", "load_dataset"),
    "decode_meta": ("meds_ins._loading.meta", "decode_meta"),
    "cache_info": ("meds_ins._store.arrowcache", "info"),
    "clear_cache": ("meds_ins._store.arrowcache", "clear"),
    "open_store": ("meds_ins._store.layout", "open_store"),
    "Store": ("meds_ins._store.layout", "Store"),
    "catalog": ("meds_ins._building.catalog", "load_catalog"),
    "download": ("meds_ins._building.download", "download"),
    "build": ("meds_ins._building.run", "build"),
    "validate": ("meds_ins._validation.engine", "validate"),
    "Report": ("meds_ins._validation.findings", "Report"),
    "Finding": ("meds_ins._validation.findings", "Finding"),
    "import_task_files": ("meds_ins._validation.importer", "import_files"),
    "import_from_hub": ("meds_ins._validation.importer", "import_from_hub"),
    "export": ("meds_ins._training.export", "export"),
    "mixture": ("meds_ins._training.export", "mixture"),
    "to_messages": ("meds_ins._training.export", "to_messages"),
    "draw_instruction": ("meds_ins._store.paraphrases", "draw_instruction"),
    "push": ("meds_ins._publish.transport", "push"),
    "write_bench_prompts": ("meds_ins._bench.prompting", "write_prompts"),
    "score_predictions": ("meds_ins._bench.score", "score_files"),
    "write_leaderboard": ("meds_ins._bench.leaderboard", "write"),
    "run_bench": ("meds_ins._bench.run", "run_bench"),
    "write_lm_eval_tasks": ("meds_ins._bench.lmeval", "write_lm_eval_tasks"),
    "score_outputs": ("meds_ins._bench.lmeval", "score_outputs"),
}

__all__ = [
    "__version__",
    # loading and inspecting
    "load_dataset",
    "decode_meta",
    "open_store",
    "Store",
    "catalog",
    "cache_info",
    "clear_cache",
    # downloading, building, importing, validating
    "download",
    "build",
    "import_task_files",
    "import_from_hub",
    "validate",
    "Report",
    "Finding",
    # training
    "export",
    "mixture",
    "to_messages",
    "draw_instruction",
    # publishing
    "push",
    # MedS-Bench
    "write_bench_prompts",
    "score_predictions",
    "write_leaderboard",
    "run_bench",
    "write_lm_eval_tasks",
    "score_outputs",
    # errors
    "MedsInsError",
    "UsageError",
    "StoreNotFoundError",
    "UnknownNameError",
    "MissingRawFilesError",
    "DownloadError",
    "RawFormatError",
    "BuilderError",
    "ValidationFailed",
    "StoreError",
    "HubError",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attribute = _LAZY[name]
        value = getattr(import_module(module), attribute)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module 'meds_ins' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
