"""The leaderboard: tables beside the published figures, and charts that show every model in every column
with partial averages marked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench_helpers import write_csv

from meds_ins._bench.charts import draw
from meds_ins._bench.leaderboard import published, tables, write
from meds_ins._bench.score import score_files
from meds_ins._bench.tasks import CATEGORIES
from meds_ins._common.errors import UsageError


def results_of(tmp_path: Path, model: str, rows: list[tuple[str, str, str, str]]) -> Path:
    path = write_csv(tmp_path / f"{model}.csv", rows)
    results = score_files([path], None, model=model, unmatched="gt")
    (tmp_path / f"{model}.json").write_text(json.dumps(results))
    return tmp_path / f"{model}.json"


@pytest.fixture
def scored(tmp_path: Path) -> list[Path]:
    """A model scored on a few tasks of several categories, and one scored on a single item of task57."""
    mine = [
        ("task57", "q1", "B", "B"),
        ("task57", "q2", "C", "A"),
        ("task130", "p", "Bronchitis", "bronchitis"),
        ("task114", "long question", "what dose of aspirin", "what dose of aspirin for pain"),
        ("task106", "abstract", "Inducing angiogenesis", "Inducing angiogenesis"),
    ]
    return [results_of(tmp_path, "my-model", mine), results_of(tmp_path, "tiny", [("task57", "q", "B", "B")])]


def test_tables_mark_averages_over_fewer_tasks(scored: list[Path], tmp_path: Path):
    built = {
        title: (columns, rows) for title, columns, rows in tables([json.loads(p.read_text()) for p in scored])
    }
    columns, rows = built["Overview Model Evaluation"]
    mine, tiny = rows[-2], rows[-1]
    mcqa = columns.index("MCQA")
    assert (mine.cells[mcqa], mine.coverage[mcqa]) == ("50.00*", (1, 8))
    assert (tiny.cells[mcqa], tiny.coverage[mcqa]) == ("100.00*", (1, 8))  # one item does not make a category
    diagnosis = columns.index("Diagnosis")
    assert (mine.cells[diagnosis], mine.coverage[diagnosis]) == ("100.00", None)
    assert (tiny.cells[diagnosis], tiny.coverage[diagnosis]) == ("-", None)
    columns, rows = built["Text Summarization(BLEU/ROUGE)"]
    assert rows[-2].cells[columns.index("Avg.")].endswith("*") and rows[-2].coverage[
        columns.index("Avg.")
    ] == (1, 4)
    assert rows[-2].coverage[columns.index("MedQSum")] is None  # one task, scored whole


def test_files_and_charts_show_every_model_in_every_column(scored: list[Path], tmp_path: Path):
    written = write(scored, tmp_path / "board")
    board = (tmp_path / "board" / "leaderboard.md").read_text()
    assert "| GPT-4 | 75.3 | 24.46/25.66 |" in board  # published cells as printed
    assert "| **my-model** | **50.00*** |" in board and "| **tiny** | **100.00*** |" in board
    assert "![Overview Model Evaluation](overview-model-evaluation.png)" in board
    page = (tmp_path / "board" / "leaderboard.html").read_text()
    # our two rows in the overview and in every category table; partial cells say how many tasks
    assert page.count('class="ours"') == 2 * (1 + len(CATEGORIES))
    assert 'class="partial" title="average over 1 of the 8 tasks of the published figure">50.00*<' in page
    pngs = [p for p in written if p.suffix == ".png"]
    assert len(pngs) == 1 + len(CATEGORIES) and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    assert all(f'<img src="{p.name}"' in page for p in pngs)


def test_each_chart_is_its_whole_table(scored: list[Path]):
    results = [json.loads(p.read_text()) for p in scored]
    published_tables = published()["tables"]
    for title, columns, rows in tables(results):
        models = [row.model for row in rows]
        assert models[-2:] == ["my-model", "tiny"] and len(models) == len(published_tables[title]["rows"]) + 2
        panels = [axes for axes in draw(title, columns, rows).axes if axes.get_visible()]
        assert [axes.get_title().replace("\n", " ") for axes in panels] == columns
        names = [t.get_text() for t in panels[0].get_yticklabels()]
        assert names == models, title  # down the y axis that every panel shares
        for index, axes in enumerate(panels):
            assert axes is panels[0] or panels[0].get_shared_y_axes().joined(panels[0], axes)
            # a label on every model's row: its value, or why there is none
            assert [t.get_position()[1] for t in axes.texts] == list(range(len(rows))), (
                title,
                columns[index],
            )
            labels = [t.get_text() for t in axes.texts]
            for row, label in zip(rows, labels):
                cell = row.cells[index]
                if cell == "-":
                    assert label == ("not scored" if row.ours else "not reported")
                else:
                    coverage = row.coverage[index]
                    assert label == cell + (f" {coverage[0]}/{coverage[1]}" if coverage else "")
    overview = next(t for t in tables(results) if t[0] == "Overview Model Evaluation")
    mcqa = draw(*overview).axes[0]
    hatched = [bar for bar in mcqa.patches if bar.get_hatch()]
    assert len(hatched) == 2  # the two partial MCQA averages, and only they
    assert "50.00* 1/8" in [t.get_text() for t in mcqa.texts]


def test_a_file_that_is_not_results_is_refused(tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"model": "m"}')
    with pytest.raises(UsageError, match="not a results file"):
        write([bad], tmp_path / "board")
