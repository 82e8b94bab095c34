"""A leaderboard's rows, shared by its tables (leaderboard.py) and its charts (charts.py): each value
as published or as scored, the cell shown, and how many tasks an average covers."""

from __future__ import annotations

from dataclasses import dataclass

Value = tuple[float | None, ...] | None  # one number, or BLEU/ROUGE pair; None when not reported
PARTIAL_NOTE = "* marks an average over fewer tasks than the published one"


@dataclass(frozen=True)
class Row:
    model: str
    values: list[Value]
    cells: list[str]  # as shown in the tables
    ours: bool  # scored with meds-ins (else a published figure)
    coverage: list[tuple[int, int] | None]  # (tasks averaged, tasks of the published figure) where fewer


def parse(cell: str) -> Value:
    """'24.46/25.66' -> (24.46, 25.66); '75.3' -> (75.3,); '-' -> None; '-/16.44' -> (None, 16.44)."""
    if cell.strip() == "-":
        return None
    return tuple(None if part.strip() == "-" else float(part) for part in cell.split("/"))


def show(value: Value) -> str:
    if value is None:
        return "-"
    return "/".join("-" if v is None else f"{v:.2f}" for v in value)
