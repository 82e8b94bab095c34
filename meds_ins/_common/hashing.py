"""64-bit hashes of a whole column of strings at once, with numpy over the Arrow buffers (no Python per
row and no dataframe library): how record ids are checked for repeats in little memory.

A polynomial hash of each string's UTF-8 bytes and its length, finished by splitmix64 so that the bits
spread. Two
different strings share a hash with a chance of about 2**-64 each; the callers that must be exact
compare the texts of the few that do.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MULTIPLIER = 0x100000001B3  # the FNV prime: odd, so it has an inverse mod 2**64
INVERSE = pow(MULTIPLIER, -1, 2**64)


SLICE_BYTES = 2**22  # text hashed per step: the work arrays stay small whatever the column's size
_cached: list[np.ndarray] = [np.ones(1, np.uint64), np.ones(1, np.uint64)]


def hash_strings(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A uint64 hash per string of `column` (a null hashes as the empty string)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks else pa.array([], pa.string())
    column = pc.fill_null(column.cast(pa.large_string()), "")
    n = len(column)
    hashes = np.empty(n, dtype=np.uint64)
    if not n:
        return hashes
    _, offsets_buffer, data_buffer = column.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64, count=n + 1, offset=column.offset * 8)
    data = np.frombuffer(data_buffer, dtype=np.uint8) if offsets[-1] > offsets[0] else np.empty(0, np.uint8)
    i = 0
    while i < n:  # strings of up to SLICE_BYTES of text at a time (at least one string)
        j = max(i + 1, int(np.searchsorted(offsets, offsets[i] + SLICE_BYTES, side="right")) - 1)
        hashes[i:j] = _hash_slice(data, offsets[i : j + 1])
        i = j
    return hashes


def _hash_slice(data: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    first = int(offsets[0])
    text = data[first : int(offsets[-1])]
    starts, lengths = offsets[:-1] - first, np.diff(offsets)
    powers, inverses = _powers(max(len(text), int(lengths.max())) + 1)
    with np.errstate(over="ignore"):
        # Each byte weighed by MULTIPLIER to the power of its place in the slice; a string's sum, times
        # the inverse power of its start, is its polynomial hash wherever it lies (2 passes).
        running = np.zeros(len(text) + 1, dtype=np.uint64)
        np.multiply(text, powers[: len(text)], out=running[1:], dtype=np.uint64)
        np.cumsum(running, out=running)
        sums = (running[starts + lengths] - running[starts]) * inverses[starts]
        # the length, as one more term after the last byte: "a" + NUL and "b" then differ
        sums += (lengths.astype(np.uint64) + np.uint64(1)) * powers[lengths]
        return _splitmix64(sums)


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """MULTIPLIER**i and INVERSE**i mod 2**64 for i < n; kept up to a slice's size (a longer string
    gets its own, dropped after)."""
    if len(_cached[0]) >= n:
        return _cached[0], _cached[1]
    size = max(n, min(2 * len(_cached[0]), SLICE_BYTES + 1))
    made = []
    with np.errstate(over="ignore"):
        for base in (MULTIPLIER, INVERSE):
            steps = np.full(size, base, dtype=np.uint64)
            steps[0] = 1
            made.append(np.cumprod(steps, dtype=np.uint64))
    if size <= SLICE_BYTES + 1:
        _cached[:] = made
    return made[0], made[1]


def _splitmix64(x: np.ndarray) -> np.ndarray:
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))
