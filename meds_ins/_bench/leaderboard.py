"""`meds-ins bench leaderboard`: scored models beside the published MedS-Bench figures.

Writes leaderboard.md and leaderboard.html (the overview table, then one table per category, in the
published tables' columns) and one chart per table (<table>.png, drawn in charts.py) that shows every
model of the table in every column. A value of ours that averages fewer tasks than the published
figure of its column is marked `*`, and how many it averages is kept with it.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from pathlib import Path
from statistics import mean
from typing import Any

from meds_ins._bench.rows import PARTIAL_NOTE, Row, Value, parse, show
from meds_ins._bench.tasks import CATEGORIES, HALLMARK_F1, Category
from meds_ins._common import extras, paths, resources, textfiles
from meds_ins._common.errors import RawFormatError, UsageError

OVERVIEW = "Overview Model Evaluation"


def published() -> dict[str, Any]:
    return json.loads(resources.package_file("_bench/published.json").read_text(encoding="utf-8"))


def _published_row(model: str, cells: list[str]) -> Row:
    # published cells are shown as printed
    return Row(model, [parse(c) for c in cells], cells, False, [None] * len(cells))


def _our_row(model: str, values: list[Value], coverage: list[tuple[int, int] | None]) -> Row:
    cells = [show(v) + ("*" if c and v is not None else "") for v, c in zip(values, coverage)]
    return Row(model, values, cells, True, [c if v is not None else None for v, c in zip(values, coverage)])


def _coverage(result: dict[str, Any], category: Category, column: str) -> tuple[int, int] | None:
    """(tasks scored, tasks of the published figure) for a value that averages fewer tasks, else None."""
    if column in ("Avg.", category.overview_column):
        wanted = list(category.averaged)
    else:
        wanted = [t.id for t in category.tasks if t.column == column]
    scored = [t for t in wanted if t in result["tasks"]]
    return (len(scored), len(wanted)) if scored and len(scored) < len(wanted) else None


def _ours(result: dict[str, Any], category: Category, column: str) -> Value:
    """A scored model's value for one column of a category's published table."""
    scores = {t: result["tasks"][t]["scores"] for t in result["tasks"]}
    if category.tasks[0].metric == HALLMARK_F1:
        key = {"HoC Precision": "precision", "HoC Recall": "recall", "HoC F1_score": "f1"}[column]
        return (scores["task106"][key],) if "task106" in scores else None
    if column in ("Avg.", category.overview_column):
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
        values, coverage = [], []
        for column in overview["columns"]:
            category = next(c for c in CATEGORIES if c.overview_column == column)
            hoc = category.tasks[0].metric == HALLMARK_F1
            values.append(_ours(result, category, "HoC F1_score" if hoc else column))
            coverage.append(_coverage(result, category, column))
        rows.append(_our_row(result["model"], values, coverage))
    built = [(OVERVIEW, overview["columns"], rows)]
    for category in CATEGORIES:
        table = figures[category.published_table]
        rows = [_published_row(model, cells) for model, cells in table["rows"].items()]
        rows += [
            _our_row(
                r["model"],
                [_ours(r, category, c) for c in table["columns"]],
                [_coverage(r, category, c) for c in table["columns"]],
            )
            for r in results
        ]
        built.append((category.published_table, table["columns"], rows))
    return built


def _results(results_files: Sequence[Path]) -> list[dict[str, Any]]:
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
    return results


def markdown(built: list[tuple[str, list[str], list[Row]]], charts: dict[str, str]) -> str:
    parts = [
        "# MedS-Bench leaderboard",
        "",
        "Published figures beside the models scored with `meds-ins bench score` (in bold). "
        "BLEU-1/ROUGE-L pairs are shown as `BLEU/ROUGE`; `-` means not reported or not scored; "
        f"{PARTIAL_NOTE} (the chart of each table says how many).",
        "",
    ]
    for title, columns, rows in built:
        parts += [f"## {title}", ""]
        if title in charts:
            parts += [f"![{title}]({charts[title]})", ""]
        parts += ["| Model | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
        for row in rows:
            name = f"**{row.model}**" if row.ours else row.model
            parts.append(f"| {name} | " + " | ".join(f"**{c}**" if row.ours else c for c in row.cells) + " |")
        parts.append("")
    return "\n".join(parts)


def html_page(built: list[tuple[str, list[str], list[Row]]], charts: dict[str, str]) -> str:
    body = [
        "<h1>MedS-Bench leaderboard</h1>",
        "<p>Published figures beside the models scored with <code>meds-ins bench score</code> (highlighted). "
        "BLEU-1/ROUGE-L pairs are shown as BLEU/ROUGE; - means not reported or not scored; "
        f'<span class="partial">{html.escape(PARTIAL_NOTE)}</span> (hover over a value for how many).</p>',
    ]
    for title, columns, rows in built:
        body.append(f"<h2>{html.escape(title)}</h2>")
        if title in charts:
            alt = f"{title}: chart of the table below"
            body.append(f'<img src="{html.escape(charts[title])}" alt="{html.escape(alt)}">')
        head = "".join(f"<th>{html.escape(c)}</th>" for c in ["Model", *columns])
        lines = [f"<table><thead><tr>{head}</tr></thead><tbody>"]
        for row in rows:
            cells = "".join(_html_cell(cell, coverage) for cell, coverage in zip(row.cells, row.coverage))
            row_class = ' class="ours"' if row.ours else ""
            lines.append(f"<tr{row_class}><td>{html.escape(row.model)}</td>{cells}</tr>")
        body.append("".join(lines) + "</tbody></table>")
    style = (
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child{text-align:left}"
        "tr.ours{background:#fde0c5;font-weight:bold}img{max-width:100%;display:block;margin:1em 0}"
        ".partial{background-image:repeating-linear-gradient(45deg,transparent 0 4px,#e0a070 4px 5px)}"
    )
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>MedS-Bench leaderboard</title>'
        f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def _html_cell(cell: str, coverage: tuple[int, int] | None) -> str:
    if coverage is None:
        return f"<td>{html.escape(cell)}</td>"
    note = f"average over {coverage[0]} of the {coverage[1]} tasks of the published figure"
    return f'<td class="partial" title="{note}">{html.escape(cell)}</td>'


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
    """leaderboard.md, leaderboard.html and one chart per table in `out`, from `bench score` results."""
    extras.require("bench-charts", "The leaderboard's charts (`meds-ins bench leaderboard`)")
    from meds_ins._bench.charts import draw

    paths.check_output(out, folder=True)
    built = tables(_results(results_files))
    out.mkdir(parents=True, exist_ok=True)
    charts = {}
    for title, columns, rows in built:
        png = out / f"{slug(title)}.png"
        draw(title, columns, rows).savefig(png, dpi=100)
        charts[title] = png.name
    written = [out / "leaderboard.md", out / "leaderboard.html"]
    written[0].write_text(markdown(built, charts), encoding="utf-8")
    written[1].write_text(html_page(built, charts), encoding="utf-8")
    return written + [out / name for name in charts.values()]
