"""Bulk string hashes (record ids checked for repeats): equal strings hash equal wherever they lie in a
buffer, and different strings differ, edge cases included."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from meds_ins._common.hashing import hash_strings


def test_edge_cases_differ_and_position_does_not_matter():
    texts = ["a", "b", "", "ab", "ba", "a\x00", "\x00", "\x00\x00", "a" * 300, "ü", "task1:0", "task1:00"]
    hashes = hash_strings(pa.array(texts)).tolist()
    assert len(set(hashes)) == len(texts)
    shifted = hash_strings(pa.array(["zzz", *texts]).slice(1)).tolist()
    chunked = hash_strings(pa.chunked_array([pa.array(texts[:5]), pa.array(texts[5:])])).tolist()
    assert shifted == hashes == chunked
    assert hash_strings(pa.array([None, ""])).tolist() == [hashes[2]] * 2  # a null as the empty string
    assert hash_strings(pa.array([], pa.string())).tolist() == []


@given(st.lists(st.text(max_size=40), max_size=60))
def test_equal_exactly_when_the_strings_are(texts):
    hashes = hash_strings(pa.array(texts, pa.string())).tolist()
    for i, a in enumerate(texts):
        for j, b in enumerate(texts):
            assert (hashes[i] == hashes[j]) == (a == b)


def test_slices_and_strings_longer_than_a_slice_hash_as_whole_columns(monkeypatch):
    from meds_ins._common import hashing

    texts = pa.array([f"task{i}:{'x' * (i % 97)}" for i in range(3000)] + ["y" * 5000, "task1:1"])
    whole = hash_strings(texts).tolist()
    monkeypatch.setattr(hashing, "SLICE_BYTES", 256)  # many slices; the long string alone in its own
    monkeypatch.setattr(hashing, "_cached", [np.ones(1, np.uint64), np.ones(1, np.uint64)])
    assert hash_strings(texts).tolist() == whole
    assert len(hashing._cached[0]) == 257  # the long string's powers were not kept
