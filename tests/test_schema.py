"""The JSON Schemas and what is derived from them (Arrow schema, Features, vectorized checks) must agree."""

from __future__ import annotations

import copy

import pyarrow as pa
import pytest

from meds_ins._common import schema
from meds_ins._records import checks

VALID = {
    "id": "task124:21645374",
    "task": "task124_pubmedqa_train_set",
    "split": "train",
    "category": "Question Answering",
    "source": "pubmedqa",
    "instruction": "Answer yes, no or maybe.",
    "input": "Question: Does it work?",
    "output": ["yes"],
    "input_language": "en",
    "output_language": "en",
    "instruction_language": "en",
    "meta": '{"pmid": "21645374"}',
}

# One change each; every one breaks exactly one rule of record.json.
MUTATIONS = [
    ("id", "task124 21645374"),
    ("id", "pubmedqa:1"),
    ("id", ""),
    ("id", None),
    ("task", "Task124_x"),
    ("task", "task124"),
    ("task", None),
    ("split", "dev"),
    ("split", "validation"),
    ("split", None),
    ("category", "question answering"),
    ("category", "QA"),
    ("source", "PubMedQA"),
    ("source", "1corpus"),
    ("instruction", ""),
    ("instruction", "   \n"),
    ("instruction", None),
    ("input", ""),
    ("input", "\t"),
    ("output", []),
    ("output", [""]),
    ("output", ["yes", " "]),
    ("output", None),
    ("input_language", "eng"),
    ("input_language", "EN"),
    ("output_language", "xx"),
    ("instruction_language", None),
]


def jsonschema_ok(record: dict) -> bool:
    return schema.validator("record").is_valid(record)


def vectorized_ok(record: dict) -> bool:
    table = pa.Table.from_pylist([record], schema=schema.record_arrow_schema())
    return not checks.check_table(table)


def test_valid_record_passes_both():
    assert jsonschema_ok(VALID)
    assert vectorized_ok(VALID)


@pytest.mark.parametrize(("field", "value"), MUTATIONS)
def test_vectorized_checks_agree_with_jsonschema(field, value):
    record = copy.deepcopy(VALID)
    record[field] = value
    assert not jsonschema_ok(record), "the mutation should break the JSON Schema"
    assert not vectorized_ok(record), f"vectorized checks let {field}={value!r} through"


def test_meta_may_be_null_in_both():
    record = {**VALID, "meta": None}
    assert jsonschema_ok(record) and vectorized_ok(record)


def test_arrow_schema_is_derived_from_record_json():
    record = schema.load("record")
    arrow = schema.record_arrow_schema()
    assert arrow.names == list(record["properties"])
    assert set(record["required"]) == set(arrow.names)
    for field in arrow:
        kinds, nullable = schema._types(record["properties"][field.name])
        if kinds == {"array"}:
            assert pa.types.is_list(field.type) and pa.types.is_string(field.type.value_type)
        else:
            assert kinds == {"string"} and pa.types.is_string(field.type)
        assert field.nullable == nullable


def test_features_match_the_arrow_schema():
    features = schema.record_features()
    assert list(features) == schema.record_columns()
    derived = schema.record_arrow_schema()
    for field in features.arrow_schema:
        assert field.type.equals(derived.field(field.name).type)


def test_every_keyword_of_record_json_is_compiled():
    compiled = {(c.column, c.code) for c in checks.compile_record_checks()}
    assert ("id", "record.pattern") in compiled
    assert ("output", "record.too-few-items") in compiled
    assert ("split", "record.not-allowed") in compiled
    assert ("meta", "record.missing") not in compiled  # null is allowed there


def test_unknown_keyword_is_refused(monkeypatch):
    original = schema.load("record")
    patched = copy.deepcopy(original)
    patched["properties"]["input"] = {"type": "string", "maxLength": 10}
    monkeypatch.setattr(schema, "load", lambda name: patched if name == "record" else original)
    with pytest.raises(NotImplementedError, match="maxLength"):
        checks.compile_record_checks()


def test_metadata_schemas_reject_credentialed_redistribution():
    from builders_test_helpers import corpus_dict

    corpus = corpus_dict(access="credentialed")  # the toy corpus rests on its licence
    assert corpus["redistributable"] and not schema.validator("corpus").is_valid(corpus)
    corpus.update(redistributable=False, redistribution={"withheld": "credentialed access"})
    assert schema.validator("corpus").is_valid(corpus)


def test_corpus_schema_requires_a_basis_exactly_when_records_may_be_published():
    from builders_test_helpers import corpus_dict

    valid = schema.validator("corpus").is_valid
    corpus = corpus_dict()
    assert corpus["redistribution"] == {"basis": "licence", "terms": "CC0-1.0", "source": "test"}
    assert valid(corpus)
    assert not valid(
        corpus | {"redistribution": {"withheld": "no licence found"}}
    )  # still marked publishable
    assert not valid(corpus | {"redistribution": {"basis": "licence", "terms": "MIT", "source": " "}})
    assert not valid(corpus | {"redistribution": {"basis": "hearsay", "terms": "MIT", "source": "x"}})
    assert valid(corpus | {"redistributable": False, "redistribution": {"withheld": "no licence found"}})
    # metadata written before corpora stated a basis still opens; the licence gate withholds it
    # (test_hub_plan.py::test_corpora_whose_metadata_states_no_basis_are_withheld)
    assert valid({k: v for k, v in corpus.items() if k != "redistribution"})


def test_row_positions_used_by_the_batch_converter_match_the_schema():
    from meds_ins._records import convert as records

    columns = schema.record_columns()
    assert (columns.index("input"), columns.index("output")) == (records.INPUT, records.OUTPUT)
