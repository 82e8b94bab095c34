"""`meds-ins import`: released MedS-Ins task files, and the paraphrase file, into the store builders write.

One streaming pass per file: TaskFileCheck (validate.py) reads and checks the instances, and this module
maps each batch to records (instruction, ISO language codes, our category, split) and hands them to the
store's CorpusWriter, inside a Transaction: if the files have errors, nothing is written (unless
`allow_errors`, which leaves out the instances that cannot become records and counts them in the
manifest). An import replaces only the tasks it brings; the rest of the store stays as it was.

Memory stays bounded by the batch size and the parquet row groups, plus, per instance imported,
a few hashes for the audits and the key that keeps record ids unique (about 100 bytes).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from meds_ins._common import schema
from meds_ins._common.errors import UsageError
from meds_ins._common.languages import iso_language
from meds_ins._records.convert import clean_text, to_table
from meds_ins._store.layout import Store, is_store, open_store
from meds_ins._store.transaction import CorpusResult, Transaction
from meds_ins._store.writer import CorpusWriter
from meds_ins._validation.findings import Finding, finding, has_errors
from meds_ins._validation.paraphrase_file import match_paraphrases, read_paraphrase_file
from meds_ins._validation.taskfile import TASK_NAME, InstanceBatch, TaskHeader, task_id
from meds_ins._validation.taskfile_rules import suggest_category, task_files

MEDS_INS_CITATION = """@article{wu2024medsins,
  title={Towards Evaluating and Building Versatile Large Language Models for Medicine},
  author={Wu, Chaoyi and Qiu, Pengcheng and Liu, Jinxin and others},
  journal={arXiv preprint arXiv:2408.12547},
  year={2024}
}"""
MEDS_INS_HOME = "https://github.com/MAGIC-AI4Med/MedS-Ins"
# Buffered records are written out (as parquet row groups) once their text passes this size.
FLUSH_BYTES = 8 * 2**20


@dataclass
class ImportReport:
    store: Store | None
    findings: list[Finding]
    tasks: dict[str, Counter[str]]  # records written per task and split
    skipped: Counter[str]
    paraphrased: int  # tasks that got paraphrases
    paraphrases_unmatched: list[str]  # task ids of the paraphrase file that are not in the store
    seconds: float
    origin: dict[str, str | None] | None = None  # the Hub repository and commit the files came from

    def to_dict(self) -> dict[str, Any]:
        return {
            "store": str(self.store.root) if self.store is not None else None,
            "imported": self.store is not None,
            "tasks": {name: dict(counts) for name, counts in self.tasks.items()},
            "skipped": dict(self.skipped),
            "findings": [f.to_dict() for f in self.findings],
            "paraphrased_tasks": self.paraphrased,
            "paraphrases_unmatched": self.paraphrases_unmatched,
            "seconds": round(self.seconds, 2),
            "origin": self.origin,
        }


@dataclass
class _Task:
    """A task being imported: its metadata and what has been written of it."""

    meta: dict[str, Any]
    files: set[str] = field(default_factory=set)
    written: Counter[str] = field(default_factory=Counter)
    # Hashes of the record keys of the task object being read, to keep ids unique. Cleared when another
    # task object starts, so memory follows the largest task, not the file; a repeat across task
    # objects is still caught by the store writer's unique-id check.
    keys: set[int] = field(default_factory=set)
    keys_of: int = 0  # id() of the header the keys belong to


def import_files(
    paths: list[Path],
    out: Path,
    *,
    default_split: str = "train",
    paraphrases: Path | None = None,
    allow_errors: bool = False,
    progress: bool = True,
    origin: dict[str, str | None] | None = None,
) -> ImportReport:
    """Import task files (files or folders) and/or a paraphrase file into the store `out`.

    Every task imported is marked so in the manifest (`imported`: the Hub repository and commit the
    files came from, from `origin`, or none for local files; and the file names)."""
    from meds_ins._validation.task_files import TaskFileCheck

    started = time.perf_counter()
    files = task_files(paths)
    if not files and paraphrases is None:
        raise UsageError("nothing to import: give task files, folders of them, or --paraphrases FILE")
    rewrites = read_paraphrase_file(paraphrases) if paraphrases else {}
    check = TaskFileCheck(default_split)
    importer = _Importer(check.catalog, origin or {"repo": None, "revision": None})
    with Transaction(out) as tx:
        writers: dict[str, CorpusWriter] = {}
        buffered = 0
        bar = tqdm(desc="importing", unit=" instances", disable=not progress or None, mininterval=0.5)
        try:
            for path in files:
                waiting: list[tuple[InstanceBatch, list[str]]] = []
                for batch, splits in check.read(path):
                    bar.update(len(batch))
                    if importer.ready(batch.header):
                        buffered += importer.write(batch, splits, writers, tx.staging)
                    else:  # keys after Instances: hold the batches until the file is read
                        waiting.append((batch, splits))
                    if buffered >= FLUSH_BYTES:
                        for writer in writers.values():
                            writer.flush()
                        buffered = 0
                for batch, splits in waiting:
                    if importer.ready(batch.header):
                        importer.write(batch, splits, writers, tx.staging)
                    else:
                        importer.unusable(batch)
                for writer in writers.values():
                    writer.flush()
            findings = check.findings() + importer.findings
            if has_errors(findings) and not allow_errors:
                for writer in writers.values():
                    writer.abort()
                return ImportReport(
                    None, findings, {}, importer.skipped, 0, [], time.perf_counter() - started
                )
            results = [importer.result(cid, writer.close()) for cid, writer in sorted(writers.items())]
        except BaseException:
            for writer in writers.values():
                writer.abort()
            raise
        finally:
            bar.close()
        names = {t.meta["name"] for t in importer.tasks.values() if sum(t.written.values())}
        if is_store(out):
            names |= set(open_store(out).manifest["tasks"])
        matched, unmatched = match_paraphrases(rewrites, names)
        if not results and not matched:
            raise UsageError(
                "nothing to write: no instances were imported and no paraphrase matches a task in the store"
            )
        store = tx.commit(results, matched)
    counts = {t.meta["name"]: t.written for t in importer.tasks.values() if sum(t.written.values())}
    return ImportReport(
        store, findings, counts, importer.skipped, len(matched), unmatched, time.perf_counter() - started
    )


def import_from_hub(
    repo_id: str,
    out: Path,
    *,
    tasks: list[str] | None = None,
    revision: str | None = None,
    default_split: str = "train",
    allow_errors: bool = False,
    progress: bool = True,
) -> ImportReport:
    """Import the released task files of a Hub dataset repository (e.g. `Henrychur/MedS-Ins`, or
    `Henrychur/MedS-Bench` with `default_split="test"`) into the store `out`: all of them, or those of
    `tasks` (ids or names). Only those files are downloaded, at one commit of `revision`."""
    from meds_ins._hub.taskfiles import fetch_task_files

    fetched = fetch_task_files(repo_id, tasks, revision)
    origin = {"repo": repo_id, "revision": fetched.revision}
    report = import_files(
        fetched.paths,
        out,
        default_split=default_split,
        allow_errors=allow_errors,
        progress=progress,
        origin=origin,
    )
    report.origin = origin
    return report


class _Importer:
    def __init__(self, catalog: Any, origin: dict[str, str | None]) -> None:
        self.catalog = catalog
        self.origin = origin
        self.roadmap = {t.id: t for t in catalog.tasks()}
        self.tasks: dict[str, _Task] = {}
        self.corpora: dict[str, dict[str, Any]] = {}
        self.skipped: Counter[str] = Counter()
        self.repairs: Counter[str] = Counter()  # text fields repaired (records/text.py)
        self.findings: list[Finding] = []
        self._unusable: set[int] = set()

    def unusable(self, batch: InstanceBatch) -> None:
        """Instances of a task that cannot become records: counted, and reported once per task."""
        header = batch.header
        self.skipped["task without a name, Definition or category"] += len(batch)
        if id(header) in self._unusable:
            return
        self._unusable.add(id(header))
        location, line = header.where()
        message = (
            f"{header.name or 'a task'} cannot be imported: it needs a task name, a Definition (or a record "
            "`instruction`) and a category (Categories, a record `category`, or a task the catalog knows)"
        )
        self.findings.append(finding("task.missing-key", location, message, file=header.file, line=line))

    # -- task and corpus metadata -------------------------------------------------------------------
    def ready(self, header: TaskHeader) -> bool:
        """Whether the header says enough to write records (name, instruction, category)."""
        if header.name in self.tasks:
            return True
        meta = self._task_meta(header)
        if meta is None:
            return False
        self.tasks[meta["name"]] = _Task(meta)
        return True

    def _task_meta(self, header: TaskHeader) -> dict[str, Any] | None:
        name = header.name
        if not name or not TASK_NAME.match(name):
            return None
        tid = task_id(name)
        known = self.roadmap.get(tid)
        instruction = header.text("Definition")
        category = next(filter(None, map(suggest_category, header.strings("Categories"))), None)
        category = category or (known.category if known else None)
        if instruction is None or category is None:
            return None
        inputs = _codes(header.strings("Input_language")) or (known.languages[:1] if known else []) or ["en"]
        outputs = _codes(header.strings("Output_language")) or inputs
        instruction_language = (_codes(header.strings("Instruction_language")) or ["en"])[0]
        corpus = self._corpus(header, known)
        return {
            "id": tid,
            "name": name,
            "category": category,
            "source": corpus,
            "instruction": clean_text(instruction),
            "input_languages": inputs,
            "output_languages": outputs,
            "instruction_language": instruction_language,
            "splits": [],
            "split_policy": "official",
            "in_bench": bool(known and known.in_bench),
            "notes": "",
        }

    def _corpus(self, header: TaskHeader, known: Any) -> str:
        cid = known.source if known and known.source else _slug(header.text("Source") or "imported")
        if cid in self.corpora:
            return cid
        builder = self.catalog.builders.get(cid)
        if builder is not None:
            self.corpora[cid] = builder.corpus.to_dict()
            return cid
        source = clean_text(header.text("Source") or cid)
        url = clean_text(header.text("URL") or "")
        domains = set(header.strings("Domains")) & set(schema.enum("text_source"))
        self.corpora[cid] = {
            "id": cid,
            "name": source,
            "paper_names": [source],
            "version": "0.0.0",
            "homepage": url if url.startswith(("http://", "https://")) else MEDS_INS_HOME,
            "download": "released MedS-Ins task files (meds-ins import)",
            "citation": MEDS_INS_CITATION,
            "license": "unknown",
            "license_source": "not stated in the released task files",
            "access": "public",
            "redistributable": False,
            "redistribution": {
                "withheld": "imported from released task files, which state no licence, and no builder "
                "states this corpus's terms"
            },
            "languages": ["en"],
            "text_source": sorted(domains)[0] if domains else "Medical Knowledge",
            "raw_files": [{"path": "task files", "description": "released task files", "required": True}],
            "markup": "none",
            "notes": (
                "Imported from released task files; no builder states this corpus's licence, so it is "
                "marked not redistributable. Text source "
                + ("from the Domains key." if domains else "not stated; assumed Medical Knowledge.")
            ),
        }
        return cid

    # -- records ----------------------------------------------------------------------------------
    def write(
        self, batch: InstanceBatch, splits: list[str], writers: dict[str, CorpusWriter], staging: Path
    ) -> int:
        """Hand the batch's records to the corpus's writer; returns the characters of text handed over."""
        task = self.tasks[batch.header.name or ""]
        if task.keys_of != id(batch.header):  # the next task object: forget the keys of the others
            for other in self.tasks.values():
                other.keys = set()
            task.keys_of = id(batch.header)
        meta = task.meta
        task.files.add(Path(batch.header.file).name)
        corpus = self.corpora[meta["source"]]
        corpus["languages"] = sorted(set(corpus["languages"]) | set(meta["input_languages"]))
        writer = writers.get(meta["source"])
        if writer is None:
            writer = writers[meta["source"]] = CorpusWriter(staging)
        rows = []
        size = 0
        for ident, text, outputs, split in zip(batch.ids, batch.inputs, batch.outputs, splits):
            text, outputs = clean_text(text, self.repairs), [clean_text(o, self.repairs) for o in outputs]
            if not text or not outputs or not all(outputs):
                self.skipped["empty input or output"] += 1
                continue
            key = self._key(task, ident, text, outputs)
            # one tuple per record, in the column order of schemas/record.json
            rows.append(
                (
                    f"{meta['id']}:{key}",
                    meta["name"],
                    split,
                    meta["category"],
                    meta["source"],
                    meta["instruction"],
                    text,
                    outputs,
                    meta["input_languages"][0],
                    meta["output_languages"][0],
                    meta["instruction_language"],
                    None,
                )
            )
            task.written[split] += 1
            size += len(text) + sum(map(len, outputs))
        if rows:
            writer.add(to_table(rows))
        return size

    def _key(self, task: _Task, ident: str | None, text: str, outputs: list[str]) -> str:
        """The record key: the instance id without its task prefix, else a hash of the content."""
        tid = task.meta["id"]
        if ident and ident.strip():
            key = re.sub(r"\s+", "_", clean_text(ident))
            for prefix in (f"{tid}-", f"{tid}_", f"{tid}:"):
                key = key.removeprefix(prefix)
        else:
            key = "h" + hashlib.sha1("\x1f".join([text, *outputs]).encode()).hexdigest()[:16]
        unique, n = key, 1
        while hash(unique) in task.keys:  # repeated ids or repeated instances: keep both, apart
            n += 1
            unique = f"{key}~{n}"
        task.keys.add(hash(unique))
        return unique

    def result(self, cid: str, written: dict[str, dict[str, Any]]) -> CorpusResult:
        tasks = []
        for task in self.tasks.values():
            meta = task.meta
            if meta["source"] != cid or meta["name"] not in written:
                continue
            splits = [s for s in ("train", "test") if task.written[s]]
            policy = "official" if len(splits) == 2 else f"{splits[0]}-only"
            files = ", ".join(sorted(task.files))
            tasks.append(
                {**meta, "splits": splits, "split_policy": policy, "notes": f"Imported from {files}."}
            )
            written[meta["name"]]["imported"] = {**self.origin, "files": sorted(task.files)}
        files = {f: 0 for t in self.tasks.values() if t.meta["source"] == cid for f in t.files}
        return CorpusResult(
            corpus=self.corpora[cid],
            tasks=tasks,
            written=written,
            raw_files=files,
            skipped=dict(self.skipped),
            miniature=False,
            normalized=dict(self.repairs),
            keep_other_tasks=True,
        )


def _codes(names: list[str]) -> list[str]:
    return list(dict.fromkeys(code for code in map(iso_language, names) if code))


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "imported"
    return slug if slug[0].isalpha() else f"corpus_{slug}"
