"""The answers of `bench run` on disk, one row per request, so an interrupted run resumes where it stopped
and a rerun sends nothing that was answered.

A request is keyed by the SHA-256 of what is sent (API, model name, prompt, decoding settings), not by
the server's address, so a server restarted on another port keeps its answers; a different model served
under the same name needs its own --out folder (or the cache file deleted). SQLite commits each answer
as it arrives, so a killed run keeps every answer it received, and two runs may share the file.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from meds_ins._bench.endpoint import Answer

CACHE_FILE = "answers.sqlite3"


def request_key(api: str, body: dict[str, Any]) -> str:
    text = json.dumps({"api": api, "body": body}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class AnswerCache:
    def __init__(self, folder: Path) -> None:
        self.path = folder / CACHE_FILE
        self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None)  # each statement commits
        self._db.execute("PRAGMA journal_mode=WAL")  # commits without waiting for the disk; safe on a kill
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS answers"
            " (key TEXT PRIMARY KEY, text TEXT NOT NULL, finish_reason TEXT)"
        )

    def get(self, keys: Iterable[str]) -> dict[str, Answer]:
        keys = list(keys)
        found = {}
        for start in range(0, len(keys), 500):  # SQLite's limit on bound parameters
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, text, finish_reason FROM answers WHERE key IN ({marks})", chunk
            )
            found.update({key: Answer(text, reason) for key, text, reason in rows})
        return found

    def put(self, key: str, answer: Answer) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", (key, answer.text, answer.finish_reason)
        )

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]

    def close(self) -> None:
        self._db.close()
