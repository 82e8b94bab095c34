"""Validating released task files: streamed once, each batch of instances checked (JSON, structure,
the record checks of schemas/record.json) and audited; the importer reads files through the same pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from meds_ins._common.hashing import hash_strings
from meds_ins._records import checks
from meds_ins._validation.findings import (
    Finding,
    Tally,
    audits_available,
    count_locations,
    finding,
)
from meds_ins._validation.taskfile import InstanceBatch, TaskFileReader, TaskHeader, locate, scrub, task_id
from meds_ins._validation.taskfile_rules import (
    assign_splits,
    example_inputs,
    header_findings,
    resolve_split,
)

if TYPE_CHECKING:
    from meds_ins._validation.audits import TaskAudit


def validate_task_files(
    paths: list[Path], *, default_split: str = "train", audits: bool = True
) -> list[Finding]:
    """Check released task files: JSON, structure, instances, and the data audits across all of them."""
    check = TaskFileCheck(default_split, audits=audits)
    for path in paths:
        for _ in check.read(path):
            pass
    return check.findings()


class TaskFileCheck:
    """Checks task files while they are read, so that the importer validates in the same single pass.

    `read(path)` yields (batch, splits) for each batch of instances; `findings()` gives everything found
    in the files read so far, including the audits across them.
    """

    def __init__(self, default_split: str = "train", *, audits: bool = True) -> None:
        from meds_ins._building.catalog import load_catalog

        self.default_split = default_split
        self._findings: list[Finding] = []
        if audits:  # the audits' extra (polars) may not be installed: then a finding says so
            audits, self._findings = audits_available()
        self.audit_data = audits
        self.catalog = load_catalog()
        self.record_checks = [c for c in checks.record_checks() if c.column in ("input", "output")]
        self.files: list[str] = []
        self.describe = locate(self.files)
        self.audits: dict[str, TaskAudit] = {}
        self.corpus_of: dict[str, str] = {}
        self.owners: dict[tuple[str, str], str] = {}
        self.headers: list[TaskHeader] = []
        self.ids: dict[str, list[pa.Table]] = {}  # hashed instance ids and locations, per task

    def read(self, path: Path) -> Iterator[tuple[InstanceBatch, list[str]]]:
        reader = TaskFileReader(path)
        index = len(self.files)
        self.files.append(reader.display)
        tally = Tally()
        for batch in reader.batches():
            header = batch.header
            if header.name and header.name == task_id(header.name):  # named by its instance ids
                known = next((t for t in self.catalog.tasks() if t.id == header.name and t.name), None)
                header.name = known.name if known else header.name
            name = header.name or f"{path.name}:{header.line}"
            splits = assign_splits(batch, resolve_split(header, self.default_split))
            table = batch.table(splits, index)
            if batch.surrogate_lines:
                locs = [(index << 32) | line for line in batch.surrogate_lines]
                detail = "a \\ud800-\\udfff escape that is half a character (a lone surrogate)"
                count_locations(tally, "json.encoding", detail, locs[:5], len(locs), self.describe)
            for v in checks.check_columns(table, self.record_checks):
                sample = [table["loc"][row].as_py() for row in v.rows]
                count_locations(tally, v.code, v.rule, sample, v.count, self.describe)
            examples = example_inputs(header)
            if examples:
                leaked = pc.filter(table["loc"], pc.is_in(table["input"], value_set=pa.array(examples)))
                detail = "an input of Positive Examples"
                count_locations(
                    tally, "task.example-in-instances", detail, leaked.to_pylist(), len(leaked), self.describe
                )
            if self.audit_data:
                if name not in self.audits:
                    from meds_ins._validation.audits import TaskAudit

                    corpus, public = self._corpus(header)
                    self.audits[name] = TaskAudit(name, public=public, describe=self.describe)
                    self.corpus_of[name] = corpus
                self.audits[name].add(table)
            try:
                given = pa.array(batch.ids, pa.string())
            except UnicodeEncodeError:  # an id with bytes that were not UTF-8 (reported as such)
                given = pa.array([i if i is None else scrub(i) for i in batch.ids], pa.string())
            ids = pa.table({"h": hash_strings(given), "loc": table["loc"]}).filter(pc.is_valid(given))
            self.ids.setdefault(name, []).append(ids)
            yield batch, splits
        self._findings += reader.findings() + tally.findings()
        for header in reader.headers:
            self.headers.append(header)
            self._findings += header_findings(header)
            key = (task_id(header.name or "") or "", resolve_split(header, self.default_split))
            if key[0] and key in self.owners and self.owners[key] != header.file:
                where, line = header.where()
                message = f"{key[0]} ({key[1]}) is also given by {self.owners[key]}"
                self._findings.append(
                    finding("task.duplicate-task", where, message, file=header.file, line=line)
                )
            self.owners.setdefault(key, header.file)

    def _corpus(self, header: TaskHeader) -> tuple[str, bool]:
        """The corpus of a task (for cross-task audits) and whether it is public.

        The catalog knows a task's corpus by its id; otherwise the task's Source names it. Released task
        files are public unless a builder says the corpus is not.
        """
        tid = task_id(header.name or "")
        info = next((t for t in self.catalog.tasks() if t.id == tid), None) if tid else None
        corpus = info.source if info and info.source else (header.text("Source") or "?")
        builder = self.catalog.builders.get(corpus)
        return corpus, builder is None or builder.corpus.access == "public"

    def findings(self) -> list[Finding]:
        found = list(self._findings)
        for name, parts in self.ids.items():
            ids = pa.concat_tables(parts)
            counts = ids.group_by("h").aggregate([("h", "count")])
            hashes = counts.filter(pc.greater(counts["h_count"], 1))["h"]
            if len(hashes):  # the locations of the few ids that repeat
                rows = ids.filter(pc.is_in(ids["h"], value_set=hashes.combine_chunks()))
                repeated = rows.group_by("h", use_threads=False).aggregate([("loc", "list")])
                # the id repeated most; among equals, the one met first
                locs = max(repeated["loc_list"].to_pylist(), key=lambda locs: (len(locs), -locs[0]))
                tally = Tally()
                detail = f"{repeated.num_rows} id(s) of {name} repeat; the most: {len(locs)} times"
                count_locations(tally, "instance.duplicate-id", detail, locs[:5], len(locs), self.describe)
                found += tally.findings()
        for audit in self.audits.values():
            found += audit.findings()
        if self.audits:
            from meds_ins._validation.audits import cross_task_findings

            for corpus in sorted(set(self.corpus_of.values())):
                members = {n: a for n, a in self.audits.items() if self.corpus_of[n] == corpus}
                for extra in cross_task_findings(members).values():
                    found += extra
        return found


# ---------------------------------------------------------------------------------------------
# Stores
