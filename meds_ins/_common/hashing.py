"""64-bit hashes of a whole column of strings at once, with numpy over the Arrow buffers (no Python per
row and no dataframe library): how record ids are checked for repeats in little memory.

A polynomial hash of each string's UTF-8 bytes, finished by splitmix64 so that the bits spread. Two
different strings share a hash with a chance of about 2**-64 each; the callers that must be exact
compare the texts of the few that do.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MULTIPLIER = np.uint64(0x100000001B3)  # the FNV prime: odd, so every power is invertible mod 2**64


def hash_strings(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A uint64 hash per string of `column` (a null hashes as the empty string)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks else pa.array([], pa.string())
    column = pc.fill_null(column.cast(pa.large_string()), "")
    n = len(column)
    if not n:
        return np.empty(0, dtype=np.uint64)
    _, offsets_buffer, data_buffer = column.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64, count=n + 1, offset=column.offset * 8)
    first, last = int(offsets[0]), int(offsets[-1])
    data = np.frombuffer(data_buffer, dtype=np.uint8)[first:last] if last > first else np.empty(0, np.uint8)
    lengths = np.diff(offsets)
    starts = offsets[:-1] - first
    position = np.arange(len(data), dtype=np.int64) - np.repeat(starts, lengths)
    with np.errstate(over="ignore"):
        powers = np.cumprod(np.full(int(lengths.max(initial=0)) + 1, MULTIPLIER, dtype=np.uint64))
        terms = (data.astype(np.uint64) + np.uint64(1)) * powers[position]
        running = np.concatenate([np.zeros(1, np.uint64), np.cumsum(terms, dtype=np.uint64)])
        sums = running[starts + lengths] - running[starts]  # each string's sum, wrapping mod 2**64
        return _splitmix64(sums ^ lengths.astype(np.uint64))


def _splitmix64(x: np.ndarray) -> np.ndarray:
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))
