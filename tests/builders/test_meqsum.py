from __future__ import annotations

from conftest import real_corpus

import meds_ins
from meds_ins.formats.tables import iter_xlsx


def test_fixture(build_store):
    report = build_store(["meqsum"])
    assert report.store.manifest["corpora"]["meqsum"]["skipped"] == {"question or summary empty": 1}
    ds = meds_ins.load_dataset(report.store.root, task="task114")
    rows = ds["train"].to_list() + ds["test"].to_list()
    assert len(rows) == 6
    first = next(r for r in rows if r["id"] == "task114:101-4410.xml.txt")
    assert first["input"].startswith("SUBJECT: blood thinner and ibuprofen\nMESSAGE: My father")
    assert first["output"] == ["Is it safe to take ibuprofen with warfarin?"]


def test_real_sample_summaries(build_store):
    raw = real_corpus("meqsum")
    workbook = raw / "MeQSum_ACL2019_BenAbacha_Demner-Fushman.xlsx"
    source = {cells["File"]: cells for _, cells in iter_xlsx(workbook, "QS", ("File", "CHQ", "Summary"))}
    ds = meds_ins.load_dataset(build_store(["meqsum"], raw=raw).store.root, task="task114")
    rows = ds["train"].to_list() + ds["test"].to_list()
    assert len(rows) == len(source) == 1000
    assert 70 <= ds["test"].num_rows <= 130
    for row in rows:
        cells = source[row["id"].split(":", 1)[1]]
        assert row["output"] == [cells["Summary"]]
        assert row["input"] == cells["CHQ"].replace("\r\n", "\n").strip()
