"""IOB/CoNLL reader: sentences, mentions, offsets and the errors that name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import real_corpus

from meds_ins import RawFormatError
from meds_ins.formats.iob import iter_sentences


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "train.tsv"
    path.write_text(text, encoding="utf-8")
    return path


def test_sentences_and_typed_mentions(tmp_path: Path):
    path = write(
        tmp_path,
        "Loss\tO\nof\tO\nIL\tB-GENE\n-\tI-GENE\n2\tI-GENE\nand\tO\np53\tB-GENE\n.\tO\n\n"
        "-DOCSTART-\tO\n\nNone\tO\n\n",
    )
    first, second = iter_sentences(path, types={"GENE"})
    assert first.line == 1 and first.text == "Loss of IL - 2 and p53 ."
    assert [(m.first, m.last, m.type, m.text) for m in first.mentions] == [
        (2, 4, "GENE", "IL - 2"),
        (6, 6, "GENE", "p53"),
    ]
    assert first.entities() == ["IL - 2", "p53"] and first.entities("Other") == []
    assert second.line == 12 and second.text == "None" and second.mentions == []


def test_bare_tags_crlf_and_a_missing_final_blank_line(tmp_path: Path):
    path = tmp_path / "test.tsv"
    path.write_bytes(b"Homo\tB\r\nsapiens\tI\r\nand\tO\r\nmice\tB\r\n")
    (sentence,) = iter_sentences(path, types={None})
    assert sentence.entities() == ["Homo sapiens", "mice"]
    assert [m.type for m in sentence.mentions] == [None, None]


def test_stray_inside_tag_starts_a_mention_and_types_split_mentions(tmp_path: Path):
    path = write(tmp_path, "a\tI-Cell\nb\tI-Cell\nc\tI-Organ\nd\tB-Organ\ne\tI-Organ\n\n")
    (sentence,) = iter_sentences(path)
    assert [(m.type, m.text) for m in sentence.mentions] == [
        ("Cell", "a b"),
        ("Organ", "c"),
        ("Organ", "d e"),
    ]


def test_offsets_restore_the_spacing_of_the_text(tmp_path: Path):
    path = write(
        tmp_path,
        "renal\t0\t5\tB-Cell\ntubular\t6\t13\tI-Cell\ncells\t14\t19\tI-Cell\n(\t20\t21\tO\nTEC\t21\t24\tB-Cell\n)\t24\t25\tO\n\n"
        "co\t26\t28\tO\n-\t28\t29\tO\noperation\t29\t38\tO\n\n",
    )
    first, second = iter_sentences(path, types={"Cell"})
    assert first.text == "renal tubular cells (TEC)"
    assert first.entities("Cell") == ["renal tubular cells", "TEC"]
    assert second.text == "co-operation"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a\tO\nb\n\n", "line 2: expected 'token<TAB>tag'"),
        ("a\tO\nb\tE-GENE\n", "line 2: tag 'E-GENE' is not an IOB2 tag"),
        ("a\tO\nb\tB-\n", "line 2: tag 'B-' is not an IOB2 tag"),
        ("a\tB-Anatomy\n", "line 1: entity type 'Anatomy' is not one of: Cell, Organism_substance"),
        ("a\t0\t1\tO\nbb\t2\t3\tO\n", "line 2: offsets 2-3 do not span the token 'bb'"),
        ("a\t5\t6\tO\nb\t0\t1\tO\n", "line 2: token starts at 0, before the previous token ends"),
    ],
)
def test_malformed_lines_name_file_and_line(tmp_path: Path, text: str, message: str):
    path = write(tmp_path, text)
    with pytest.raises(RawFormatError, match="train.tsv, " + message.replace("(", r"\(")):
        list(iter_sentences(path, types={"Cell", "Organism_substance"}))


def test_real_iob_sample_counts_sentences_and_mentions():
    raw = real_corpus("anatem_iob")
    path = raw / "devel.tsv"
    sentences = list(iter_sentences(path, types={"Anatomy"}))
    lines = path.read_text(encoding="utf-8").split("\n")
    assert (
        len(sentences) == 150 == lines.count("") - 1
    )  # every sentence ends in a blank line, the file in \n\n
    tags = [line.split("\t")[1] for line in lines if line]
    assert sum(len(s.mentions) for s in sentences) == tags.count("B-Anatomy")
    assert sum(len(s.tokens) for s in sentences) == len(tags)
