"""meds_ins.load_dataset as `datasets.load_dataset` users call it: configuration names, split instructions
with `datasets`' own semantics, cache_dir, num_proc, keep_in_memory, refusals that say what to do;
`decode_meta`; the Arrow cache's info and clear."""

from __future__ import annotations

import json
from pathlib import Path

import datasets
import pytest

import meds_ins
from meds_ins import UnknownNameError, UsageError
from meds_ins._common import paths
from meds_ins._store import arrowcache

PUBMEDQA = "task124_pubmedqa_train_set"
MEDQA = "task57_medqa_question_answering_en"


@pytest.fixture
def store(build_store) -> Path:
    return build_store(["pubmedqa", "medqa", "bc5cdr", "headqa"]).store.root


def ids(ds) -> list[str]:
    return [r["id"] for r in ds]


def test_configuration_name_positionally_by_keyword_and_tasks_by_number(store: Path):
    by_name = meds_ins.load_dataset(store, MEDQA)
    assert isinstance(by_name, datasets.DatasetDict) and set(by_name["train"]["task"]) == {MEDQA}
    for same in (
        meds_ins.load_dataset(store, "task57"),
        meds_ins.load_dataset(store, 57),
        meds_ins.load_dataset(store, name=MEDQA),
        meds_ins.load_dataset(store, task=57),
        meds_ins.load_dataset(store, task="57"),
    ):
        assert {s: ids(same[s]) for s in same} == {s: ids(by_name[s]) for s in by_name}
    several = meds_ins.load_dataset(store, task=[124, "task57"], split="train")
    assert set(several["task"]) == {PUBMEDQA, MEDQA}
    everything = meds_ins.load_dataset(store, "default", split="test")
    assert everything.num_rows == sum(
        meds_ins.open_store(store).rows(t, "test") for t in meds_ins.open_store(store).tasks
    )


@pytest.mark.parametrize(
    "spec", ["train[:1]", "train[:50%]", "train[50%:]", "train+test", "test[1:3]", "train[-1:]+test[:1]"]
)
def test_split_instructions_mean_what_they_mean_in_datasets(store: Path, spec: str):
    # plain `datasets` reading the same store folder (a Hugging Face dataset repository) is the reference
    reference = datasets.load_dataset(str(store), MEDQA, split=spec)
    ours = meds_ins.load_dataset(store, task=57, split=spec)
    assert ids(ours) == ids(reference) and ours.split == reference.split
    streamed = meds_ins.load_dataset(store, task=57, split=spec, streaming=True)
    assert ids(streamed) == ids(reference)


def test_an_instruction_that_selects_nothing_is_refused_as_in_datasets(store: Path):
    with pytest.raises(ValueError, match="corresponds to no data"):
        datasets.load_dataset(str(store), MEDQA, split="train[:10%]")
    for streaming in (False, True):
        with pytest.raises(UsageError, match="split 'train\\[:10%\\]' selects no records .*2 in train"):
            meds_ins.load_dataset(store, task=57, split="train[:10%]", streaming=streaming)


def test_split_objects_and_lists_of_splits(store: Path):
    test = meds_ins.load_dataset(store, MEDQA, split=datasets.Split.TEST)
    assert test.split == "test" and test.num_rows == 2
    half = meds_ins.load_dataset(store, MEDQA, split=datasets.ReadInstruction("train", to=50, unit="%"))
    assert ids(half) == ids(meds_ins.load_dataset(store, MEDQA, split="train"))[:1]
    first, rest = meds_ins.load_dataset(store, MEDQA, split=["train[:1]", "train[1:]"])
    assert ids(first) + ids(rest) == ids(meds_ins.load_dataset(store, MEDQA, split="train"))


def test_the_collection_names_mean_the_default_store(build_store):
    build_store(["pubmedqa"], out=paths.default_store())
    expected = ids(meds_ins.load_dataset(task="task124", split="train"))
    for name in ("meds_ins", "meds-ins"):
        assert ids(meds_ins.load_dataset(name, "task124", split="train")) == expected
        assert ids(meds_ins.load_dataset(name, task=124, split="train")) == expected


def test_cache_dir_num_proc_and_keep_in_memory(build_store, tmp_path: Path, monkeypatch):
    plain = build_store(["pubmedqa", "medqa"], out=tmp_path / "plain", arrow_copies=False).store.root
    workers = []
    convert = arrowcache.ensure_all

    def spy(files, folder=None, count=None):
        workers.append(count)
        return convert(files, folder, count)

    monkeypatch.setattr(arrowcache, "ensure_all", spy)
    cache = tmp_path / "cache"
    ds = meds_ins.load_dataset(plain, task=[57, 124], split="train", cache_dir=cache, num_proc=1)
    assert workers == [1]
    copies = sorted(p.name for p in (cache / "arrow").iterdir())
    assert len(copies) == 2 and all(Path(f["filename"]).parent == cache / "arrow" for f in ds.cache_files)
    assert not paths.arrow_cache().exists()  # nothing in $MEDS_INS_HOME
    held = meds_ins.load_dataset(plain, task=[57, 124], split="train", cache_dir=cache, keep_in_memory=True)
    assert held.cache_files == [] and held.to_list() == ds.to_list()


REFUSED = [
    ({"split": "train[:2"}, UsageError, "not a split instruction.*'train\\[:10%\\]'"),
    ({"split": "validation"}, UnknownNameError, "unknown split 'validation'.*'train' \\(MedS-Ins\\)"),
    ({"split": "train+dev"}, UnknownNameError, "unknown split 'dev'"),
    ({"split": 3}, UsageError, "`split` takes a split name"),
    ({"split": []}, UsageError, "empty list"),
    ({"task": 124, "name": "task57"}, UsageError, "either as the configuration name .* or as `task=`"),
    ({"task": True}, UsageError, "a task is a name .* an id .* or a number"),
    ({"task": []}, UsageError, "leave it out to load every task"),
    ({"name": ["task57"]}, UsageError, "use `task=\\[...\\]` for several"),
    ({"task": 9999}, UnknownNameError, "unknown task 'task9999'"),
    ({"category": 3}, UsageError, "`category` takes a name or a list"),
    ({"language": [None]}, UsageError, "`language` takes a name or a list"),
    ({"num_proc": 0}, UsageError, "1 or more"),
    ({"streaming": "yes"}, UsageError, "`streaming` is True or False"),
    ({"streaming": True, "keep_in_memory": True}, UsageError, "leave out streaming=True"),
    ({"paraphrase_seed": 1.5}, UsageError, "`paraphrase_seed` is an integer"),
    ({"revision": "main"}, UsageError, "`revision` applies to Hub repositories"),
    ({"data_files": "x.parquet"}, UsageError, "datasets.load_dataset\\('parquet', data_files=...\\)"),
    ({"data_dir": "x"}, UsageError, "pass the store folder as `path`"),
    ({"features": None}, UsageError, "ds.cast\\(features\\)"),
    ({"download_mode": "force_redownload"}, UsageError, "hf cache rm"),
    ({"verification_mode": "no_checks"}, UsageError, "meds-ins validate"),
    ({"download_config": None}, UsageError, "pass `cache_dir`, `token` or `num_proc` directly"),
    ({"save_infos": True}, UsageError, "meds-ins info"),
    ({"storage_options": {}}, UsageError, "copy other stores to a folder"),
    ({"trust_remote_code": True}, UsageError, "run no code"),
    ({"source": "x"}, UsageError, "the first argument, `path`"),
    ({"tasks": "task57"}, UsageError, "unknown argument `tasks`; it takes path, name, task"),
]


@pytest.mark.parametrize(("arguments", "error", "message"), REFUSED, ids=[str(r[0]) for r in REFUSED])
def test_what_is_not_honoured_is_refused_saying_what_to_do(store: Path, arguments, error, message):
    with pytest.raises(error, match=message):
        meds_ins.load_dataset(store, **arguments)


def test_slicing_a_stream_that_filters_rows_by_language_is_refused(tmp_path: Path, build_store):
    from builders_test_helpers import toy_builder, write_toy_raw

    raw = tmp_path / "toy"
    write_toy_raw(raw, [(str(i), "es" if i % 3 == 0 else "en", f"Q{i}", f"A{i}") for i in range(30)])
    root = build_store([toy_builder()], raw=raw).store.root
    with pytest.raises(UsageError, match="load without streaming=True, or slice the stream with .skip"):
        meds_ins.load_dataset(root, language="es", split="train[:2]", streaming=True)
    assert meds_ins.load_dataset(root, language="es", split="train[:2]").num_rows == 2
    # concatenating whole splits needs no count
    both = meds_ins.load_dataset(root, language="es", split="train+test", streaming=True)
    assert sorted(ids(both)) == sorted(ids(meds_ins.load_dataset(root, language="es", split="train+test")))
    assert len(ids(both)) == 10


# ---------------------------------------------------------------------------------------------
# meta


def test_decode_meta_gives_a_typed_column_for_whole_datasets_and_streams(store: Path):
    tasks = ["task57", "task28", "task124"]  # answer options, entity lists, source identifiers
    text = meds_ins.load_dataset(store, task=tasks)
    decoded = meds_ins.decode_meta(text)
    meta = decoded["train"].features["meta"]
    assert isinstance(meta, dict) and {"options", "entities"} <= set(meta)
    assert decoded["train"].features == decoded["test"].features  # one type for every split
    for split in text:
        for plain, typed in zip(text[split], decoded[split]):
            original = json.loads(plain["meta"]) if plain["meta"] else None
            if original is None:
                assert typed["meta"] is None
            else:  # the record's own fields, the others null
                assert {k: v for k, v in typed["meta"].items() if k in original} == original
                assert all(v is None for k, v in typed["meta"].items() if k not in original)
    options = decoded["test"].filter(lambda r: r["task"] == MEDQA)["meta"][0]["options"]
    assert set(options) >= {"A", "B", "C", "D"}
    # the same at load time, and for a stream (typed from the store's files before streaming)
    loaded = meds_ins.load_dataset(store, task=tasks, split="train", decode_meta=True)
    assert loaded.to_list() == decoded["train"].to_list()
    streamed = meds_ins.load_dataset(store, task=tasks, split="train", streaming=True, decode_meta=True)
    assert streamed.features["meta"] == meta and list(streamed) == decoded["train"].to_list()
    # and on what plain `datasets` loads from a store
    plain = meds_ins.decode_meta(datasets.load_dataset(str(store), MEDQA, split="test"))
    assert plain["meta"][0]["options"] == options
    with pytest.raises(UsageError, match="decoded already"):
        meds_ins.decode_meta(decoded)
    with pytest.raises(UsageError, match="streaming=True, decode_meta=True"):
        meds_ins.decode_meta(meds_ins.load_dataset(store, task=tasks, streaming=True))


def test_decode_meta_types_numbers_dates_nulls_and_mixed_kinds():
    first = '{"n": 1, "d": "2019-01-01", "o": {"A": "x"}}'
    texts = [first, None, "null", '{"n": 2.5, "o": {"B": "y"}}', "{}"]
    ds = datasets.Dataset.from_dict({"id": list("abcde"), "meta": texts})
    rows = meds_ins.decode_meta(ds)["meta"]
    assert rows[0] == {"n": 1.0, "d": "2019-01-01", "o": {"A": "x", "B": None}}  # a date stays its text
    assert rows[1] is None and rows[2] is None
    assert rows[3] == {"n": 2.5, "d": None, "o": {"A": None, "B": "y"}}
    assert rows[4] == {"n": None, "d": None, "o": None}
    answers = ['{"exact": "yes"}', '{"exact": ["BRCA1", "TP53"], "n": 3}', None, '{"n": {"a": 1}}']
    mixed = meds_ins.decode_meta(datasets.Dataset.from_dict({"id": list("abcd"), "meta": answers}))
    assert mixed["meta"] == [  # a string among lists: a one-element list; a number among objects: JSON
        {"exact": ["yes"], "n": None},
        {"exact": ["BRCA1", "TP53"], "n": "3"},
        None,
        {"exact": None, "n": '{"a": 1}'},
    ]
    with pytest.raises(UsageError, match="cannot be decoded"):
        meds_ins.decode_meta(datasets.Dataset.from_dict({"id": ["a"], "meta": ["[1, 2]"]}))
    # nesting that would crash Arrow's reader is refused; many shallow brackets are not nesting
    deep = '{"a": ' + "[" * 20000 + "]" * 20000 + "}"
    spans = '{"spans": [' + ", ".join(["[1, 2]"] * 600) + "]}"
    with pytest.raises(UsageError, match="record 1 nests deeper than 500 levels"):
        meds_ins.decode_meta(datasets.Dataset.from_dict({"id": ["a", "b"], "meta": [spans, deep]}))
    wide = meds_ins.decode_meta(datasets.Dataset.from_dict({"id": ["a"], "meta": [spans]}))
    assert len(wide[0]["meta"]["spans"]) == 600


# ---------------------------------------------------------------------------------------------
# The Arrow cache


def test_cache_info_and_clear(store: Path, capsys):
    from meds_ins._cli import main

    files = sorted(paths.arrow_cache().glob("*.arrow"))
    info = meds_ins.cache_info()
    assert info.files == len(files) > 0 and info.bytes == sum(p.stat().st_size for p in files)
    assert info.folder == str(paths.arrow_cache())
    running = paths.arrow_cache() / ".build-1-0123456789ab.arrow"  # a build of a live process (pid 1)
    running.write_bytes(b"partial")
    with pytest.raises(SystemExit):
        main(["cache", "info", "--json"])
    assert json.loads(capsys.readouterr().out) == {
        "folder": info.folder,
        "files": info.files,
        "bytes": info.bytes,
    }
    with pytest.raises(SystemExit) as done:
        main(["cache", "clear"])
    out = capsys.readouterr().out
    assert done.value.code == 0 and f"Removed {info.files} Arrow file(s) from {info.folder}, freeing" in out
    assert meds_ins.cache_info().files == 0 and running.exists()
    assert meds_ins.clear_cache().files == 0
    # the next load makes the copies again
    assert meds_ins.load_dataset(store, task=57, split="test").num_rows == 2
    assert meds_ins.cache_info().files == 1


def test_misspelt_names_are_refused_before_the_hub_is_asked_for_the_collection():
    # the default store is empty and the Hub offline: a typo is still named as such
    with pytest.raises(UnknownNameError, match="Did you mean: Question Answering"):
        meds_ins.load_dataset(category="Question Answer")
    with pytest.raises(UnknownNameError, match="unknown language 'Klingonese'"):
        meds_ins.load_dataset("meds-ins", language="Klingonese")
