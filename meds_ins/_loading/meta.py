"""`meta` as a typed column: the JSON text of every record decoded at once (polars), not row by row.

The store keeps `meta` as JSON text, because its shape differs from task to task (answer options,
entity lists, source identifiers). Decoding infers one Arrow struct type over all the records
decoded together: the union of their fields, null where a record lacks one. Where a field's JSON type
differs between records, polars' common type is used (an integer among floats becomes a float; a
string among lists becomes a one-element list).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from meds_ins._common import schema
from meds_ins._common.errors import UsageError

if TYPE_CHECKING:
    import datasets
    import polars as pl

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
        column = _arrow(_decoded(table.column(COLUMN), every.dtype))
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


def _decoded(text: pa.ChunkedArray, dtype: pl.DataType | None = None) -> pl.Series:
    """JSON text decoded by polars: to `dtype`, or to the type inferred over every value."""
    import polars as pl

    series = pl.from_arrow(text) if len(text) else pl.Series(COLUMN, [], dtype=pl.String)
    assert isinstance(series, pl.Series)
    try:
        if dtype is not None:
            return series.str.json_decode(dtype=dtype)
        return series.str.json_decode(infer_schema_length=None)
    except pl.exceptions.PolarsError as e:
        raise UsageError(f"the {COLUMN} column holds text that is not JSON objects: {e}") from None


def _arrow(series: pl.Series) -> pa.Array:
    """A polars column as an Arrow array of the plain types `datasets` shows (string, list)."""
    import polars as pl

    array = series.to_arrow(compat_level=pl.CompatLevel.oldest())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.cast(_plain(array.type))


def _plain(t: pa.DataType) -> pa.DataType:
    if pa.types.is_large_string(t):
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
