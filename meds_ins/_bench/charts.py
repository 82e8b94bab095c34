"""The leaderboard's charts: each table drawn whole, one panel per column, every model in every panel.

A panel lists the table's models in the table's order (published figures, then the models scored with
meds-ins, in colour and bold), each bar labelled with the value as the table prints it. BLEU-1/ROUGE-L
pairs are two bars, light and dark. A value that averages fewer tasks than the published figure is
hatched and labelled `*` with how many tasks it averages ("100.00* 1/8"), so that a model scored on a
few items of one task does not pass for one scored on the whole category. A value the table does not
have ("-") is labelled "not reported" or "not scored", so no model drops out of a panel.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING

from meds_ins._bench.rows import PARTIAL_NOTE, Row

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

PUBLISHED, OURS, MISSING = "#7570b3", "#d95f02", "#888888"
HATCH = "////"
PANELS_PER_LINE = 4
X_MAX = 165  # room for the labels right of a bar of 100 ("100.00/100.00* 1/3")


def draw(title: str, columns: list[str], rows: list[Row]) -> Figure:
    """The chart of one leaderboard table."""
    from matplotlib.figure import Figure

    lines = math.ceil(len(columns) / PANELS_PER_LINE)
    per_line = math.ceil(len(columns) / lines)  # balanced: 9 columns as 3 x 3, not 4 + 4 + 1
    # sizes in inches: model names on the left, a title on top, the legend below, a title above each panel
    left, top, bottom, panel_width, panel_height = 1.9, 0.6, 0.8, 3.3, 0.27 * len(rows) + 0.5
    width, height = left + panel_width * per_line + 0.2, top + bottom + lines * (panel_height + 0.6)
    figure = Figure(figsize=(width, height))
    figure.subplots_adjust(
        left=left / width,
        right=1 - 0.2 / width,
        top=1 - top / height,
        bottom=bottom / height,
        wspace=0.08,
        hspace=0.6 / panel_height,
    )
    grid = figure.subplots(lines, per_line, sharey=True, squeeze=False)
    _models(grid[0][0], rows)  # once: the panels share their y axis
    for index, axes in enumerate(grid.flat):
        if index < len(columns):
            _panel(axes, columns[index], index, rows)
        else:
            axes.set_visible(False)
    for line in grid:
        _style_models(line[0], rows)  # the panels that show the names
    pairs = any(v is not None and len(v) > 1 for row in rows for v in row.values)
    partial = any(c is not None for row in rows for c in row.coverage)
    figure.suptitle(title, fontsize=12, fontweight="bold", y=1 - 0.1 / height, va="top")
    figure.legend(handles=_legend(pairs, partial), loc="lower center", ncols=3, fontsize=8, frameon=False)
    return figure


def _panel(axes: Axes, column: str, index: int, rows: list[Row]) -> None:
    bars: dict[
        tuple[float, float], list[tuple[int, float, str, str | None]]
    ] = {}  # (offset, opacity) -> bars
    for y, row in enumerate(rows):
        value, coverage = row.values[index], row.coverage[index]
        colour = OURS if row.ours else PUBLISHED
        if value is None:
            missing = "not scored" if row.ours else "not reported"
            axes.text(1.5, y, missing, va="center", fontsize=7, color=MISSING, style="italic")
            continue
        parts = [(v, offset, shade) for v, offset, shade in _bars(value) if v is not None]
        for v, offset, shade in parts:
            bars.setdefault((offset, shade), []).append((y, v, colour, HATCH if coverage else None))
        label = row.cells[index] + (f" {coverage[0]}/{coverage[1]}" if coverage else "")
        end = max((v for v, _, _ in parts), default=0)
        weight = "bold" if row.ours else "normal"
        axes.text(end + 1.5, y, label, va="center", fontsize=7, color=colour, fontweight=weight)
    for (offset, shade), group in bars.items():  # one call per kind of bar: drawing is the slow part
        ys, lengths, colours, hatches = zip(*group)
        height = 0.8 if offset == 0 else 0.4
        axes.barh(
            [y + offset for y in ys],
            lengths,
            height=height,
            color=colours,
            alpha=shade,
            hatch=list(hatches),
            edgecolor="white",
            linewidth=0,
        )
    axes.set_title("\n".join(textwrap.wrap(column, 32)), fontsize=9)
    axes.set_xlim(0, X_MAX)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.tick_params(axis="x", labelsize=7)
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)


def _models(axes: Axes, rows: list[Row]) -> None:
    """The model names down the shared y axis, ours in colour and bold, the table's first row on top."""
    axes.set_yticks(range(len(rows)), [row.model for row in rows])
    axes.set_ylim(len(rows) - 0.5, -0.5)


def _style_models(axes: Axes, rows: list[Row]) -> None:
    for tick, row in zip(axes.get_yticklabels(), rows):
        tick.set_fontsize(8)
        if row.ours:
            tick.set_color(OURS)
            tick.set_fontweight("bold")


def _bars(value: tuple[float | None, ...]) -> list[tuple[float | None, float, float]]:
    """(length, offset from the row's centre, opacity) of each bar of a value: a pair's BLEU-1 is light."""
    if len(value) == 1:
        return [(value[0], 0.0, 1.0)]
    return [(value[0], -0.2, 0.45), (value[1], 0.2, 1.0)]


def _legend(pairs: bool, partial: bool) -> list:
    from matplotlib.patches import Patch

    handles = [
        Patch(color=PUBLISHED, label="published figure"),
        Patch(color=OURS, label="scored with meds-ins"),
    ]
    if pairs:
        handles += [
            Patch(color=MISSING, alpha=0.45, label="BLEU-1 (light)"),
            Patch(color=MISSING, label="ROUGE-L (dark)"),
        ]
    if partial:
        label = f"{PARTIAL_NOTE.removeprefix('* marks ')}: hatched, * k/n tasks"
        handles.append(Patch(facecolor=OURS, hatch=HATCH, edgecolor="white", label=label))
    return handles
