"""Shared raw-format parsers: errors name the file, the line and what was expected."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from meds_ins import RawFormatError
from meds_ins.formats.jsonfiles import iter_json_lines, read_json, require
from meds_ins.formats.pubtator import PADDED_MENTION, iter_documents
from meds_ins.formats.tables import iter_csv, iter_xlsx, iter_zipped_csv


def test_json_errors_give_line_and_column(tmp_path: Path):
    path = tmp_path / "a.json"
    path.write_text('{\n  "a": 1,\n  "b": \n}')
    with pytest.raises(RawFormatError, match=r"a.json, line 4, column 1: invalid JSON"):
        read_json(path)
    path.write_text('{"a": 1}\n{"a": 2}\n')
    with pytest.raises(RawFormatError, match="is it JSON Lines"):
        read_json(path)


def test_json_lines_skip_blank_lines_and_name_broken_ones(tmp_path: Path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"a": 1}\n\n{"a": 2}\r\n{"a": \n')
    rows = []
    with pytest.raises(RawFormatError, match="line 4"):
        for number, value in iter_json_lines(path):
            rows.append((number, value))
    assert rows == [(1, {"a": 1}), (3, {"a": 2})]


def test_require_names_missing_keys(tmp_path: Path):
    with pytest.raises(RawFormatError, match="missing key\\(s\\) 'b'"):
        require({"a": 1}, ("a", "b"), tmp_path / "x.json", "record 3")
    with pytest.raises(RawFormatError, match="expected a JSON object"):
        require([1], ("a",), tmp_path / "x.json", "record 3")


def test_csv_crlf_quotes_and_tabs(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_bytes(b'id\tTWEET\tLABEL\r\n1\t"say ""hi""\tthere"\tFAVOR\r\n\r\n2\tplain\tAGAINST\r\n')
    rows = list(iter_csv(path, ("id", "TWEET", "LABEL"), delimiter="\t"))
    assert rows == [
        (2, {"id": "1", "TWEET": 'say "hi"\tthere', "LABEL": "FAVOR"}),
        (4, {"id": "2", "TWEET": "plain", "LABEL": "AGAINST"}),
    ]


def test_csv_header_and_field_count_errors(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_text("a,b\n1,2\n3\n")
    with pytest.raises(RawFormatError, match="line 1: header lacks column\\(s\\) c"):
        list(iter_csv(path, ("a", "c")))
    with pytest.raises(RawFormatError, match="line 3: 1 fields, expected 2"):
        list(iter_csv(path, ("a", "b")))
    path.write_text("")
    with pytest.raises(RawFormatError, match="empty file"):
        list(iter_csv(path, ("a",)))


def test_xlsx_errors(tmp_path: Path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Sheet1"
    book.active.append(["x", "y"])
    book.save(tmp_path / "a.xlsx")
    with pytest.raises(RawFormatError, match="no worksheet 'QS'; found Sheet1"):
        list(iter_xlsx(tmp_path / "a.xlsx", "QS", ("x",)))
    with pytest.raises(RawFormatError, match="header lacks column\\(s\\) z"):
        list(iter_xlsx(tmp_path / "a.xlsx", "Sheet1", ("z",)))
    (tmp_path / "b.xlsx").write_text("not a workbook")
    with pytest.raises(RawFormatError, match="not a readable .xlsx"):
        list(iter_xlsx(tmp_path / "b.xlsx", "QS", ("x",)))


def pubtator(tmp_path: Path, text: str) -> list:
    path = tmp_path / "a.PubTator.txt"
    path.write_text(text)
    return list(iter_documents(path))


def test_pubtator_documents_mentions_and_relations(tmp_path: Path):
    docs = pubtator(
        tmp_path,
        "\n1|t|Aspirin and pain.\n1|a|Pain went.\n1\t0\t7\tAspirin\tChemical\tD1\n"
        "1\t12\t16\tpain\tDisease\tD2\n1\t18\t22\tPain\tDisease\tD2\n1\tCID\tD1\tD2\n\n"
        "2|t|None here.\n2|a|\n\n",
    )
    assert [d.pmid for d in docs] == ["1", "2"]
    assert docs[0].entities("Disease") == ["pain", "Pain"] and docs[0].entities("Chemical") == ["Aspirin"]
    assert docs[0].relations == [("CID", "D1", "D2")]
    assert docs[1].mentions == [] and docs[1].text.strip() == "None here."


def test_pubtator_offset_mismatch_is_an_error(tmp_path: Path):
    with pytest.raises(RawFormatError, match="line 3: mention 'Aspirin' does not match"):
        pubtator(tmp_path, "1|t|Aspirin and pain.\n1|a|x\n1\t1\t8\tAspirin\tChemical\tD1\n")
    with pytest.raises(RawFormatError, match="missing blank line"):
        pubtator(tmp_path, "1|t|A.\n1|a|B\n2\t0\t1\tA\tChemical\tD1\n")
    with pytest.raises(RawFormatError, match="expected a title line"):
        pubtator(tmp_path, "1\t0\t1\tA\tChemical\tD1\n")


def test_pubtator_with_skip_repairs_padded_mentions_and_leaves_out_defective_documents(tmp_path: Path):
    path = tmp_path / "a.PubTator.txt"
    path.write_text(
        "1|t|Aspirin and pain.\n1|a|x\n1\t0\t7\tAspirin  \tChemical\tD1\n1\t12\t16\t pain\tDisease\tD2\n\n"
        "2|t|Heparin.\n2|a|y\n2\t1\t8\tHeparin\tChemical\tD3\n\n"
        "3|t|Warfarin.\n3|a|z\n3\t0\t8\tWarfarin\tChemical\n\n"
        "4|t|Pain again.\n4|a|w\n4\t0\t40\tPain again.\tDisease\tD2\n\n"
        "5|t|Fever.\n5|a|v\n5\t0\t5\tFever\tDisease\tD4\n"
    )
    counted: Counter[str] = Counter()
    docs = list(iter_documents(path, lambda reason, n: counted.update({reason: n})))
    assert [d.pmid for d in docs] == ["1", "5"]
    assert [m.text for m in docs[0].mentions] == ["Aspirin", "pain"]  # the text at the offsets
    assert counted == {
        PADDED_MENTION: 2,
        "document with a mention that does not match the text at its offsets": 2,  # 2: a shift; 4: too long
        "document with a line that is neither a mention nor a relation": 1,  # 3: five fields
    }
    with pytest.raises(RawFormatError, match="line 3: mention 'Aspirin  ' does not match"):
        list(iter_documents(path))  # without skip, strict
    path.write_text("1|t|A.\n1|a|B\n2\t0\t1\tA\tChemical\tD1\n")
    with pytest.raises(RawFormatError, match="missing blank line"):
        list(iter_documents(path, lambda reason, n: None))  # a broken structure stops either way


def test_zipped_csv_names_archive_and_member(tmp_path: Path):
    import zipfile

    archive = tmp_path / "question.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("__MACOSX/._question.csv", b"resource fork")
        z.writestr("question.csv", '\ufeffquestion_id,content\r\n1,"a, b"\r\n2\r\n'.encode())
    rows = iter_zipped_csv(archive, ("question_id", "content"))
    assert next(rows) == (archive / "question.csv", 2, {"question_id": "1", "content": "a, b"})
    with pytest.raises(RawFormatError, match=r"question.zip/question.csv, line 3: 1 fields, expected 2"):
        next(rows)
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.csv", "x\n")
        z.writestr("b.csv", "x\n")
    with pytest.raises(
        RawFormatError, match=r"question.zip: expected one table inside, found \['a.csv', 'b.csv'\]"
    ):
        list(iter_zipped_csv(archive, ("x",)))
    archive.write_bytes(b"not a zip")
    with pytest.raises(RawFormatError, match="question.zip: not a readable zip archive"):
        list(iter_zipped_csv(archive, ("x",)))
