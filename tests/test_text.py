"""Text repairs of the record conversion (meds_ins/_records/text.py): what is certainly damage or
markup is repaired and counted, everything else stays as the source has it. Hand-written cases, then
the real samples of ../shared/real-corpora (skipped when absent)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import real_corpus

from meds_ins._building.run import build
from meds_ins._records.text import REPAIRS, clean_text
from meds_ins._validation.engine import validate


def repaired(text: str, markup: str = "none") -> tuple[str, dict[str, int]]:
    counts: Counter[str] = Counter()
    return clean_text(text, counts, markup), dict(counts)


def test_mojibake_is_decoded_and_counted():
    assert repaired("I donâ€™t know, itâ€™s â€œfineâ€\x9d") == (
        "I don’t know, it’s “fine”",
        {REPAIRS["mojibake"]: 1},
    )
    # UTF-8 read as Latin-1 leaves C1 controls: they become Windows-1252 first, then decoded
    text, counts = repaired("caf\u00c3\u00a9 na\u00c3\u00afve, don\u00e2\x80\x99t")
    assert text == "café naïve, don’t" and counts[REPAIRS["mojibake"]] == 1


@pytest.mark.parametrize(
    "text",
    [
        "¿Qué tal? El niño» dijo «sí»",  # Spanish: ñ before », é before a space
        "Température 37,5 °C ; µg/ml ; 5 ± 2",
        "Сахарный диабет 2 типа",
        "患者，男，45岁，咳嗽3年。",
        "ｐＨ７．４、血圧１２０／８０",
        "R&D <5 mm p<0.05 a<b>c &gt; kept",  # '<' and '&' are text unless the corpus is HTML
        "na\ufffdve 50 \ufffdM",  # replacement characters: what they stood for is lost, they stay
        "emoji 👩\u200d⚕️ and ZWNJ می\u200cخواهم keep their joiners",
    ],
)
def test_correct_text_is_left_as_it_is(text: str):
    assert repaired(text) == (text, {})


def test_zero_width_characters_and_boms_are_removed():
    assert repaired("the area of \u200b\u200breentry\ufeff") == (
        "the area of reentry",
        {REPAIRS["invisible"]: 1},
    )


def test_control_characters_are_repaired_as_before():
    assert repaired("it\x92s\x00 a \x85 test\r\nline") == ("it’s a … test\nline", {REPAIRS["control"]: 1})


def test_html_is_removed_only_where_the_corpus_declares_it():
    source = "structure.<br><b>Results</b>: 10<sup>3</sup> cells &gt; 5&#39;s, R&amp;D, p<0.05, a &foo; b"
    assert repaired(source) == (source, {})
    text, counts = repaired(source, markup="html")
    assert text == "structure.\nResults: 103 cells > 5's, R&D, p<0.05, a &foo; b"
    assert counts == {REPAIRS["tags"]: 1, REPAIRS["entities"]: 1}


def test_counts_reach_the_build_report_and_the_manifest(tmp_path: Path):
    raw = tmp_path / "raw"
    (raw / "01_CIC_CA").mkdir(parents=True)
    (raw / "02_CIC_ES").mkdir()
    header = "id_str\tTWEET\tLABEL\r\n"
    for i, part in enumerate(("train", "val", "test")):
        # distinct tweets in each file (a tweet repeated across files would be kept once)
        rows = [
            f"{i}1\tAvui &gt; ahir, donâ€™t {part}\tFAVOR\r\n",
            f"{i}2\tRes\u200b de nou {part}\tAGAINST\r\n",
            f"{i}3\tNormal {part}\tNEUTRAL\r\n",
        ]
        (raw / "01_CIC_CA" / f"catalan_{part}.csv").write_text(header + "".join(rows), encoding="utf-8")
        (raw / "02_CIC_ES" / f"spanish_{part}.csv").write_text(header + rows[2], encoding="utf-8")
    report = build(["catalonia_independence"], raw, tmp_path / "store", progress=False).to_dict()
    counts = report["corpora"][0]["normalized"]
    # three files of the Catalan part, each with one tweet of each kind
    assert counts == {REPAIRS["entities"]: 3, REPAIRS["invisible"]: 3, REPAIRS["mojibake"]: 3}
    manifest = json.loads((tmp_path / "store" / "meta" / "manifest.json").read_text())
    assert manifest["corpora"]["catalonia_independence"]["normalized"] == counts
    inputs = _column(tmp_path / "store", "input")
    assert any("Avui > ahir, don’t" in i for i in inputs) and any("Res de nou" in i for i in inputs)


def _column(store: Path, column: str) -> list[str]:
    values = []
    for path in sorted((store / "data").rglob("*.parquet")):
        values += pq.read_table(path, columns=[column]).column(column).to_pylist()
    return values


# ---------------------------------------------------------------------------------------------
# Real samples

ENCODING_AUDIT = "audit.broken-encoding"


def _build_real(slug: str, corpus: str, tmp_path: Path) -> tuple[dict, Path]:
    raw = real_corpus(slug)
    out = tmp_path / corpus
    report = build([corpus], raw, out, progress=False, arrow_copies=False).to_dict()
    return report["corpora"][0], out


def test_bioasq_markup_is_removed(tmp_path: Path):
    """The golden batches carry the abstracts' HTML (<br><b>Results</b>: ...) in snippets and ideal
    answers; the real sample read here has none, so a hand-written batch shows it."""
    question = {
        "id": "6f00000000000000000000aa",
        "type": "summary",
        "body": "What does the tool find?",
        "documents": ["http://www.ncbi.nlm.nih.gov/pubmed/90000099"],
        "snippets": [
            {
                "text": "Pedigree structure.<br><b>Results</b>: we found de novo variants (10<sup>-3</sup>).",
                "document": "http://www.ncbi.nlm.nih.gov/pubmed/90000099",
                "beginSection": "abstract",
                "endSection": "abstract",
                "offsetInBeginSection": 0,
                "offsetInEndSection": 80,
            }
        ],
        "ideal_answer": ["It finds <i>de novo</i> variants &amp; more."],
    }
    raw = tmp_path / "raw" / "Task10BGoldenEnriched"
    raw.mkdir(parents=True)
    (raw / "10B1_golden.json").write_text(json.dumps({"questions": [question]}), encoding="utf-8")
    report = build(["bioasq"], tmp_path / "raw", tmp_path / "store", progress=False).to_dict()
    assert report["corpora"][0]["normalized"] == {REPAIRS["tags"]: 2, REPAIRS["entities"]: 1}
    (text,) = _column(tmp_path / "store", "input")
    assert "Pedigree structure.\nResults: we found de novo variants (10-3)." in text
    assert _column(tmp_path / "store", "output") == [["It finds de novo variants & more."]]


def test_bioasq_real_sample_keeps_its_text(tmp_path: Path):
    built, store = _build_real("bioasq", "bioasq", tmp_path)
    assert set(built["normalized"]) <= {REPAIRS["control"]}  # the sample has no markup
    texts = _column(store, "input")
    assert texts and not any("<br>" in t or "&gt;" in t for t in texts)


def test_catalonia_character_references_are_decoded(tmp_path: Path):
    built, store = _build_real("catalonia_independence", "catalonia_independence", tmp_path)
    assert built["normalized"] == {REPAIRS["entities"]: 4}  # the four tweets with &gt; or &amp;
    texts = _column(store, "input")
    assert not any("&gt;" in t or "&amp;" in t for t in texts)
    assert sum(">" in t or "&" in t for t in texts) >= 4


def test_headqa_zero_width_spaces_are_removed(tmp_path: Path):
    built, store = _build_real("headqa", "headqa", tmp_path)
    assert built["normalized"].get(REPAIRS["invisible"], 0) > 0
    texts = _column(store, "input") + [o for os in _column(store, "output") for o in os]
    assert not any("\u200b" in t for t in texts)
    assert any("the area of reentry" in t for t in texts)


def test_replacement_characters_stay_and_are_explained_to_the_audit(tmp_path: Path):
    """HoC's abstracts lost characters before the release (na\ufffdve, 50 \ufffdM); COVID-QA's full
    release does too, but not the part of it sampled here."""
    built, store = _build_real("hoc", "hoc", tmp_path)
    inputs = _column(store, "input")
    assert any("\ufffd" in t for t in inputs)  # kept: the character it stood for is unknown
    found = validate([str(store)])
    assert ENCODING_AUDIT not in {f.code for f in found.findings}
    assert found.explained > 0
