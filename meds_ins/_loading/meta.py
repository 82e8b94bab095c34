"""`meta` as a typed column: the JSON text of every record decoded at once (Arrow's JSON reader), not
row by row.

The store keeps `meta` as JSON text, because its shape differs from task to task (answer options,
entity lists, source identifiers). Decoding infers one Arrow struct type over all the records
decoded together: the union of their fields, null where a record lacks one. An integer among floats
becomes a float; text that looks like a date stays text. Where a field holds different kinds of JSON
value in different records (BioASQ's exact answer: a string for yes/no questions, a list for factoid
ones), that column is decoded record by record instead: a string or number among lists becomes a
one-element list, and any other mix becomes the values' JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj
import pyarrow.parquet as pq

from meds_ins._common import schema
from meds_ins._common.errors import UsageError

if TYPE_CHECKING:
    import datasets

COLUMN = "meta"


def decode_meta(ds: Any) -> Any:
    """`ds` with its `meta` column decoded from JSON text into a typed struct column.

    Takes a map-style `datasets.Dataset`, a `DatasetDict` or a list of datasets (what
    `meds_ins.load_dataset` or `datasets.load_dataset` returns); the splits share one type. For a
    streamed dataset, load it with `meds_ins.load_dataset(..., streaming=True, decode_meta=True)`,
    which reads the type from the store's files before streaming.
    """
    import datasets

    if isinstance(ds, (datasets.IterableDataset, datasets.IterableDatasetDict)):
        raise UsageError(
            "decode_meta needs the whole meta column to find its type, which a stream has not read yet; "
            "load it with meds_ins.load_dataset(..., streaming=True, decode_meta=True) instead"
        )
    if isinstance(ds, datasets.DatasetDict):
        return datasets.DatasetDict(zip(ds, _decode_together(list(ds.values()))))
    if isinstance(ds, datasets.Dataset):
        return _decode_together([ds])[0]
    if isinstance(ds, list) and all(isinstance(d, datasets.Dataset) for d in ds):
        return _decode_together(ds)
    raise UsageError(f"decode_meta takes a datasets.Dataset or DatasetDict; not {type(ds).__name__}")


def decode_loaded(result: Any, files: Sequence[Path] | None) -> Any:
    """What `load_dataset` returns, with `meta` decoded; streamed results (`files` given: the parquet
    files they read) are decoded batch by batch to the type of all the files' meta column."""
    if files is None:
        return decode_meta(result)
    import datasets

    columns = [pq.read_table(f, columns=[COLUMN]).column(COLUMN) for f in files]
    every = _decoded(pa.chunked_array([c for col in columns for c in col.chunks], pa.string()))
    meta_type = _arrow(every).type
    features = _features(schema.record_features(), meta_type)

    def decode(table: pa.Table) -> pa.Table:
        column = _arrow(_decoded(table.column(COLUMN), every.type))
        return table.set_column(table.schema.get_field_index(COLUMN), COLUMN, column.cast(meta_type))

    def change(ds: datasets.IterableDataset) -> datasets.IterableDataset:
        return ds.with_format("arrow").map(decode, batched=True, features=features).with_format(None)

    if isinstance(result, datasets.IterableDatasetDict):
        return datasets.IterableDatasetDict({split: change(ds) for split, ds in result.items()})
    return [change(ds) for ds in result] if isinstance(result, list) else change(result)


def _decode_together(parts: list[datasets.Dataset]) -> list[datasets.Dataset]:
    """The datasets with `meta` decoded to one type inferred over all their records."""
    for ds in parts:
        if COLUMN not in ds.column_names:
            columns = ", ".join(ds.column_names)
            raise UsageError(f"this dataset has no {COLUMN!r} column (its columns: {columns})")
        if ds.features[COLUMN] != _text_feature(ds.features[COLUMN]):
            raise UsageError(f"the {COLUMN!r} column is decoded already ({ds.features[COLUMN]})")
    texts = [ds.select_columns([COLUMN]).with_format("arrow")[:].column(COLUMN) for ds in parts]
    joined = pa.chunked_array([c for t in texts for c in t.cast(pa.string()).chunks], pa.string())
    decoded = _arrow(_decoded(joined))
    result, start = [], 0
    for ds, text in zip(parts, texts):
        column = decoded.slice(start, len(text))
        start += len(text)
        feature = _features(ds.features, decoded.type)[COLUMN]
        result.append(ds.remove_columns(COLUMN).add_column(COLUMN, column, feature=feature))
    return result


def _text_feature(feature: Any) -> Any:
    import datasets

    return feature if isinstance(feature, datasets.Value) and "string" in feature.dtype else None


def _decoded(text: pa.ChunkedArray, meta_type: pa.DataType | None = None) -> pa.Array:
    """JSON text decoded by Arrow's JSON reader: to `meta_type`, or to the type inferred over every
    value. Null text stays a null record."""
    text = text.cast(pa.large_string())
    present = pc.and_kleene(pc.is_valid(text), pc.not_equal(text, "null"))
    nothing = not pc.any(present).as_py() if meta_type is None else pa.types.is_null(meta_type)
    if nothing:
        return pa.nulls(len(text))
    lines = pc.if_else(present, text, "{}").combine_chunks()
    # every record on one line of one JSON Lines text (one C++ pass, no Python per row)
    whole = pa.LargeListArray.from_arrays(pa.array([0, len(lines)], pa.int64()), lines)
    joined = pc.binary_join(whole, pa.scalar("\n", pa.large_string()))[0]
    data = joined.as_buffer() if len(lines) else pa.py_buffer(b"")
    multiline = bool(len(lines)) and pc.any(pc.match_substring(lines, "\n")).as_py()
    _refuse_deep_nesting(lines)
    try:
        if meta_type is None:
            inferred = _read(data, multiline, None)
            meta_type = pa.struct(list(inferred.schema))
            if _plain(meta_type) == meta_type:
                return _as_struct(inferred, meta_type, present)
            meta_type = _plain(meta_type)  # Arrow read dates as timestamps: read again, as the text they are
        table = _read(data, multiline, pa.schema(list(meta_type)))
        return _as_struct(table, meta_type, present)
    except MixedKinds:
        return _decoded_by_python(pc.if_else(present, text, None), meta_type)


def _read(data: pa.Buffer, multiline: bool, schema: pa.Schema | None) -> pa.Table:
    options = pj.ParseOptions(
        newlines_in_values=multiline,
        explicit_schema=schema,
        unexpected_field_behavior="infer" if schema is None else "ignore",
    )
    try:
        return pj.read_json(pa.BufferReader(data), parse_options=options)
    except pa.ArrowInvalid as e:
        detail = str(e).removeprefix("JSON parse error: ")
        if "changed from" in detail or "Expected" in detail:
            raise MixedKinds from None
        raise UsageError(f"the {COLUMN} column cannot be decoded: {detail}") from None


class MixedKinds(Exception):
    """A field holds different kinds of JSON value in different records (Arrow's reader stops)."""


MAX_DEPTH = 500  # Arrow's JSON reader crashes the process on text nested some thousands of levels deep


def _refuse_deep_nesting(lines: pa.Array) -> None:
    """Refuse text nested deeper than MAX_DEPTH before Arrow reads it. Text with fewer opening brackets
    cannot be; the rare record with more is parsed by Python's json, which stops at its own limit."""
    openings = pc.add(pc.count_substring(lines, "["), pc.count_substring(lines, "{"))
    for row in pc.indices_nonzero(pc.greater(openings, MAX_DEPTH)).to_pylist():
        try:
            _within(json.loads(lines[row].as_py()), MAX_DEPTH)
        except (RecursionError, ValueError):
            raise UsageError(
                f"the {COLUMN} column cannot be decoded: record {row} nests deeper than {MAX_DEPTH} "
                "levels, or is not JSON"
            ) from None


def _within(value: Any, levels: int) -> None:
    """Raise ValueError when `value` nests deeper than `levels` (iteratively: no recursion to run out)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > levels:
                raise ValueError("nested too deeply")
            stack.extend((v, depth + 1) for v in (item.values() if isinstance(item, dict) else item))


def _decoded_by_python(text: pa.ChunkedArray, meta_type: pa.DataType | None) -> pa.Array:
    """The rare column whose fields mix kinds of value, decoded record by record and made one type:
    a string or number among lists becomes a one-element list; other mixes become JSON text."""
    values = []
    for row, t in enumerate(text.to_pylist()):
        try:
            values.append(None if t is None else json.loads(t))
        except (ValueError, RecursionError) as e:
            raise UsageError(f"the {COLUMN} column cannot be decoded: record {row}: {e}") from None
        if not isinstance(values[-1], (dict, type(None))):
            raise UsageError(f"the {COLUMN} column cannot be decoded: record {row} is not a JSON object")
    if meta_type is None:
        return pa.array(_harmonized(values))
    return pa.array([_coerced(v, meta_type) for v in values], type=meta_type)


def _harmonized(values: list[Any]) -> list[Any]:
    present = [v for v in values if v is not None]
    if all(isinstance(v, dict) for v in present):
        keys = list(dict.fromkeys(k for v in present for k in v))
        fields = {k: _harmonized([None if v is None else v.get(k) for v in values]) for k in keys}
        return [None if v is None else {k: fields[k][i] for k in keys} for i, v in enumerate(values)]
    if any(isinstance(v, list) for v in present) and not any(isinstance(v, dict) for v in present):
        lists = [v if v is None or isinstance(v, list) else [v] for v in values]
        items = iter(_harmonized([x for v in lists if v is not None for x in v]))
        return [None if v is None else [next(items) for _ in v] for v in lists]
    kinds = {str if isinstance(v, str) else bool if isinstance(v, bool) else float for v in present}
    if len(kinds) <= 1 and not any(isinstance(v, (dict, list)) for v in present):
        return values
    return [v if v is None or isinstance(v, str) else json.dumps(v) for v in values]


def _coerced(value: Any, t: pa.DataType) -> Any:
    """A decoded value in the shape of `t` (the type `_harmonized` gave the whole column)."""
    if value is None:
        return None
    if pa.types.is_struct(t):
        return {f.name: _coerced(value.get(f.name), f.type) for f in t} if isinstance(value, dict) else None
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return [_coerced(x, t.value_type) for x in (value if isinstance(value, list) else [value])]
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return value if isinstance(value, str) else json.dumps(value)
    return value


def _as_struct(table: pa.Table, meta_type: pa.DataType, present: pa.ChunkedArray) -> pa.Array:
    columns = [table.column(f.name).combine_chunks().cast(f.type) for f in meta_type]
    mask = pc.invert(present).combine_chunks()
    if not columns:  # objects without fields: a struct needs a length
        return pa.StructArray.from_arrays([pa.nulls(len(mask))], ["_"], mask=mask).cast(meta_type)
    return pa.StructArray.from_arrays(columns, fields=list(meta_type), mask=mask)


def _arrow(array: pa.Array) -> pa.Array:
    """The decoded column in the plain types `datasets` shows (string, list)."""
    return array.cast(_plain(array.type))


def _plain(t: pa.DataType) -> pa.DataType:
    """`t` with strings for large strings and for timestamps (how Arrow's reader types ISO dates), and
    lists for large lists."""
    if pa.types.is_large_string(t) or pa.types.is_timestamp(t):
        return pa.string()
    if pa.types.is_large_list(t) or pa.types.is_list(t):
        return pa.list_(_plain(t.value_type))
    if pa.types.is_struct(t):
        return pa.struct([pa.field(f.name, _plain(f.type)) for f in t])
    return t


def _features(features: datasets.Features, meta_type: pa.DataType) -> datasets.Features:
    """The features with `meta` of this Arrow type."""
    import datasets

    decoded = datasets.Features.from_arrow_schema(pa.schema([pa.field(COLUMN, meta_type)]))
    return datasets.Features({**features, COLUMN: decoded[COLUMN]})
