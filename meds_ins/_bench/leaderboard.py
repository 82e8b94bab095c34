"""`meds-ins bench leaderboard`: scored models beside the published MedS-Bench figures.

Writes leaderboard.md and leaderboard.html (the overview table, then one table per category, in the
published tables' columns) and one bar chart per category (<category>.png).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from pathlib import Path
from statistics import mean
from typing import Any

from meds_ins._bench.tasks import CATEGORIES, HALLMARK_F1, Category
from meds_ins._common import paths, resources, textfiles
from meds_ins._common.errors import RawFormatError, UsageError

Value = tuple[float | None, ...] | None  # one number, or BLEU/ROUGE pair; None when not reported
Row = tuple[str, list[Value], list[str], bool]  # model, values, cells as shown, scored by us
OVERVIEW = "Overview Model Evaluation"


def published() -> dict[str, Any]:
    return json.loads(resources.package_file("_bench/published.json").read_text(encoding="utf-8"))


def parse(cell: str) -> Value:
    """'24.46/25.66' -> (24.46, 25.66); '75.3' -> (75.3,); '-' -> None; '-/16.44' -> (None, 16.44)."""
    if cell.strip() == "-":
        return None
    return tuple(None if part.strip() == "-" else float(part) for part in cell.split("/"))


def show(value: Value) -> str:
    if value is None:
        return "-"
    return "/".join("-" if v is None else f"{v:.2f}" for v in value)


def _published_row(model: str, cells: list[str]) -> Row:
    return model, [parse(c) for c in cells], cells, False  # published cells are shown as printed


def _our_row(model: str, values: list[Value], partial: list[bool]) -> Row:
    return (
        model,
        values,
        [show(v) + ("*" if p and v is not None else "") for v, p in zip(values, partial)],
        True,
    )


def _partial(result: dict[str, Any], category: Category, column: str) -> bool:
    """Whether a scored average leaves out tasks the published average includes."""
    summary = result["categories"].get(category.name, {})
    return column in ("Avg.", category.overview_column) and bool(summary.get("missing_from_average"))


def _ours(result: dict[str, Any], category: Category, column: str) -> Value:
    """A scored model's value for one column of a category's published table."""
    scores = {t: result["tasks"][t]["scores"] for t in result["tasks"]}
    if category.tasks[0].metric == HALLMARK_F1:
        key = {"HoC Precision": "precision", "HoC Recall": "recall", "HoC F1_score": "f1"}[column]
        return (scores["task106"][key],) if "task106" in scores else None
    if column == "Avg.":
        summary = result["categories"].get(category.name, {})
        if not summary.get("scores"):
            return None
        return _pack(summary["scores"])
    tasks = [t.id for t in category.tasks if t.column == column and t.id in scores]
    if not tasks:
        return None
    keys = scores[tasks[0]].keys()
    return _pack({k: mean(scores[t][k] for t in tasks) for k in keys})


def _pack(scores: dict[str, float]) -> Value:
    if "bleu1" in scores:
        return (scores["bleu1"], scores["rougeL"])
    return (next(iter(scores.values())),)


def tables(results: Sequence[dict[str, Any]]) -> list[tuple[str, list[str], list[Row]]]:
    """(title, columns, rows) for the overview and every category, published rows first."""
    figures = published()["tables"]
    overview = figures[OVERVIEW]
    rows = [_published_row(model, cells) for model, cells in overview["rows"].items()]
    for result in results:
        values, partial = [], []
        for column in overview["columns"]:
            category = next(c for c in CATEGORIES if c.overview_column == column)
            values.append(
                _ours(result, category, "HoC F1_score" if category.tasks[0].metric == HALLMARK_F1 else "Avg.")
            )
            partial.append(_partial(result, category, column))
        rows.append(_our_row(result["model"], values, partial))
    built = [(OVERVIEW, overview["columns"], rows)]
    for category in CATEGORIES:
        table = figures[category.published_table]
        rows = [_published_row(model, cells) for model, cells in table["rows"].items()]
        rows += [
            _our_row(
                r["model"],
                [_ours(r, category, c) for c in table["columns"]],
                [_partial(r, category, c) for c in table["columns"]],
            )
            for r in results
        ]
        built.append((category.published_table, table["columns"], rows))
    return built


def markdown(results: Sequence[dict[str, Any]]) -> str:
    parts = [
        "# MedS-Bench leaderboard",
        "",
        "Published figures beside the models scored with `meds-ins bench score` (in bold). "
        "BLEU-1/ROUGE-L pairs are shown as `BLEU/ROUGE`; `-` means not reported or not scored; `*` marks an "
        "average over fewer tasks than the published one.",
        "",
    ]
    for title, columns, rows in tables(results):
        parts += [
            f"## {title}",
            "",
            "| Model | " + " | ".join(columns) + " |",
            "|---" * (len(columns) + 1) + "|",
        ]
        for model, _, cells, ours in rows:
            name = f"**{model}**" if ours else model
            parts.append(f"| {name} | " + " | ".join(f"**{c}**" if ours else c for c in cells) + " |")
        parts.append("")
    return "\n".join(parts)


def html_page(results: Sequence[dict[str, Any]], charts: dict[str, str]) -> str:
    body = [
        "<h1>MedS-Bench leaderboard</h1>",
        "<p>Published figures beside the models scored with <code>meds-ins bench score</code> (highlighted). "
        "BLEU-1/ROUGE-L pairs are shown as BLEU/ROUGE; - means not reported or not scored; * marks an "
        "average over fewer tasks than the published one.</p>",
    ]
    for title, columns, rows in tables(results):
        body.append(f"<h2>{html.escape(title)}</h2>")
        if title in charts:
            body.append(f'<img src="{html.escape(charts[title])}" alt="{html.escape(title)} chart">')
        head = "".join(f"<th>{html.escape(c)}</th>" for c in ["Model", *columns])
        lines = [f"<table><thead><tr>{head}</tr></thead><tbody>"]
        for model, _, shown, ours in rows:
            cells = "".join(f"<td>{html.escape(c)}</td>" for c in shown)
            row_class = ' class="ours"' if ours else ""
            lines.append(f"<tr{row_class}><td>{html.escape(model)}</td>{cells}</tr>")
        body.append("".join(lines) + "</tbody></table>")
    style = (
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1em}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child{text-align:left}"
        "tr.ours{background:#fff3c4;font-weight:bold}img{max-width:900px;display:block}"
    )
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>MedS-Bench leaderboard</title>'
        f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def chart(title: str, columns: list[str], rows: list[Row], path: Path) -> bool:
    """A horizontal bar chart of each model's headline value (the average, else the last column)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    column = columns.index("Avg.") if "Avg." in columns else len(columns) - 1
    # the headline of a BLEU/ROUGE pair is ROUGE-L, else the single value
    points = [
        (model, values[column][-1], ours)
        for model, values, _, ours in rows
        if values[column] is not None and values[column][-1] is not None
    ]
    if not points:
        return False
    pairs = any(v is not None and len(v) > 1 for _, values, _, _ in rows for v in values)
    metric = f"{columns[column]} (ROUGE-L)" if pairs else columns[column]
    figure, axes = plt.subplots(figsize=(7, 0.35 * len(points) + 1.2))
    names = [m for m, _, _ in points]
    axes.barh(names, [v for _, v, _ in points], color=["#d95f02" if o else "#7570b3" for _, _, o in points])
    axes.invert_yaxis()
    axes.set_xlabel(metric)
    axes.set_title(title, fontsize=10)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return True


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _results_problem(result: Any) -> str | None:
    """What keeps a parsed file from being read as results (the parts the leaderboard uses), or None."""
    if not isinstance(result, dict) or not {"model", "tasks", "categories"} <= set(result):
        return "needs model, tasks, categories"
    if not isinstance(result["model"], str):
        return "model must be a name"
    tasks, categories = result["tasks"], result["categories"]
    if not isinstance(tasks, dict) or not all(
        isinstance(t, dict) and _numbers(t.get("scores")) for t in tasks.values()
    ):
        return "tasks must map task ids to {scores: {metric: number}}"
    if not isinstance(categories, dict) or not all(
        isinstance(c, dict) and _numbers(c.get("scores", {})) for c in categories.values()
    ):
        return "categories must map names to {scores: {metric: number}, ...}"
    return None


def _numbers(scores: Any) -> bool:
    return isinstance(scores, dict) and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in scores.values()
    )


def write(results_files: Sequence[Path], out: Path) -> list[Path]:
    paths.check_output(out, folder=True)
    results = []
    for path in results_files:
        try:
            result = textfiles.read_json(path)
        except RawFormatError as e:
            raise UsageError(f"{e} (expected a results file from `meds-ins bench score`)") from None
        problem = _results_problem(result)
        if problem:
            raise UsageError(f"{path}: not a results file from `meds-ins bench score` ({problem})")
        results.append(result)
    out.mkdir(parents=True, exist_ok=True)
    charts = {}
    for title, columns, rows in tables(results):
        png = out / f"{slug(title)}.png"
        if chart(title, columns, rows, png):
            charts[title] = png.name
    written = [out / "leaderboard.md", out / "leaderboard.html"]
    written[0].write_text(markdown(results), encoding="utf-8")
    written[1].write_text(html_page(results, charts), encoding="utf-8")
    return written + [out / name for name in charts.values()]
