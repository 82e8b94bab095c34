"""The JSON Schemas in schemas/ and everything derived from them.

The JSON Schema is the contract; the Arrow schema and the `datasets.Features` of a record are derived
here and nowhere else, so the two cannot drift apart.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from meds_ins._common import resources

if TYPE_CHECKING:
    import datasets
    import jsonschema

SCHEMA_VERSION = "1.0.0"
SCHEMA_NAMES = ("defs", "record", "task", "corpus", "manifest", "paraphrases")


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed JSON Schema `schemas/<name>.json`."""
    return json.loads(resources.schemas().joinpath(f"{name}.json").read_text(encoding="utf-8"))


@cache
def _registry():
    from referencing import Registry, Resource

    return Registry().with_resources((load(n)["$id"], Resource.from_contents(load(n))) for n in SCHEMA_NAMES)


@cache
def validator(name: str) -> jsonschema.protocols.Validator:
    """A jsonschema validator for `schemas/<name>.json` that resolves references between our schemas."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load(name), registry=_registry())


@cache
def _by_id() -> dict[str, dict[str, Any]]:
    return {load(n)["$id"]: load(n) for n in SCHEMA_NAMES}


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow `$ref` (only references into our own schemas occur) until a concrete subschema."""
    while "$ref" in node:
        uri, _, pointer = node["$ref"].partition("#")
        target: Any = _by_id()[uri]
        for part in filter(None, pointer.split("/")):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def enum(def_name: str) -> list[str]:
    """The allowed values of an enumerated definition in defs.json (categories, languages, splits ...)."""
    return list(load("defs")["$defs"][def_name]["enum"])


def _types(node: dict[str, Any]) -> tuple[set[str], bool]:
    """The JSON types a subschema allows, without null, and whether null is allowed."""
    node = resolve(node)
    if "enum" in node:
        kinds = {"string" if isinstance(v, str) else type(v).__name__ for v in node["enum"]}
    else:
        declared = node["type"]
        kinds = {declared} if isinstance(declared, str) else set(declared)
    nullable = "null" in kinds
    return kinds - {"null"}, nullable


_ARROW_SCALARS = {"string": pa.string(), "boolean": pa.bool_(), "integer": pa.int64(), "number": pa.float64()}


def _arrow_type(node: dict[str, Any]) -> pa.DataType:
    kinds, _ = _types(node)
    if len(kinds) != 1:
        raise TypeError(f"cannot map JSON types {sorted(kinds)} to one Arrow type")
    (kind,) = kinds
    if kind == "array":
        return pa.list_(_arrow_type(resolve(node)["items"]))
    return _ARROW_SCALARS[kind]


@cache
def record_arrow_schema() -> pa.Schema:
    """The Arrow schema of a record, column order as in record.json."""
    record = load("record")
    required = set(record["required"])
    fields = []
    for name, node in record["properties"].items():
        _, nullable = _types(node)
        fields.append(pa.field(name, _arrow_type(node), nullable=nullable or name not in required))
    return pa.schema(fields)


def record_features() -> datasets.Features:
    """The `datasets.Features` of a record, derived from the same schema."""
    import datasets

    return datasets.Features.from_arrow_schema(record_arrow_schema())


def record_columns() -> list[str]:
    return record_arrow_schema().names
