"""Prediction files written for the MedS-Bench tests."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

CSV_HEADER = ("task_id", "input", "GT", "output")  # the published submission layout


def write_csv(path: Path, rows: Sequence[Sequence[str]], header: Sequence[str] = CSV_HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path
