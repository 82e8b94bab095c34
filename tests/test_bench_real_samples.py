"""Every real corpus sample through the benchmark: references submitted as predictions score 100, in JSON
Lines and in every CSV layout, and every entity answer reads back as its entities, commas and all."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bench_helpers import CSV_HEADER, write_csv
from conftest import REAL_CORPORA

import meds_ins
from meds_ins._bench.prompting import write_prompts
from meds_ins._bench.score import score_files
from meds_ins._building.run import build
from meds_ins._store.layout import Store, open_store
from meds_ins.builder import read_entity_list
from meds_ins.builder._layouts import entity_key

# sample folder -> the corpus whose builder reads it as it is
AS_IS = {
    **{slug: slug for slug in ("ade_corpus_v2", "bioasq", "catalonia_independence", "clinical_trials_gov")},
    **{slug: slug for slug in ("covid_qa", "frenchmedmcqa", "headqa", "hoc", "igakuqa", "liveqa_medical")},
    **{slug: slug for slug in ("medical_question_pairs", "medicationqa", "medmcqa", "medqa", "medquad")},
    **{slug: slug for slug in ("meqsum", "pubmedqa", "rumedbench")},
    "bc2gm_iob": "bc2gm",
    "bc5cdr_pubtator": "bc5cdr",
    "linnaeus_iob": "linnaeus",
    "ncbi_disease_original": "ncbi_disease",
    "ncbi_disease_iob": "ncbi_disease",  # the other release of the same corpus: a store of its own
}
# sample folder -> (corpus, file the builder reads, file of the sample)
POSED = {"human_disease_ontology": ("disease_ontology", "doid.obo", "doid.obo")}
# sample folders no builder reads, and why
NOT_READ = {
    "bc5cdr_chem_iob": "the bc5cdr builder reads the PubTator release (bc5cdr_pubtator)",
    "bc5cdr_disease_iob": "the bc5cdr builder reads the PubTator release (bc5cdr_pubtator)",
    "anatem_iob": "AnatEM, not AnEM: its Anatomy type is refused (tests/builders/test_anem.py)",
    "ddxplus": "the condition and evidence tables only, without patients",
}
SECOND_STORE = {"ncbi_disease_iob"}


def _build(tmp: Path, slugs: list[str]) -> Store:
    raw = tmp / "raw"
    raw.mkdir()
    corpora = []
    for slug in slugs:
        if slug in POSED:
            corpus, name, sample = POSED[slug]
            (raw / corpus).mkdir()
            shutil.copy(REAL_CORPORA / slug / sample, raw / corpus / name)
        else:
            corpus = AS_IS[slug]
            (raw / corpus).symlink_to(REAL_CORPORA / slug)
        corpora.append(corpus)
    return open_store(build(corpora, raw, tmp / "store", progress=False).store.root)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> list[Store]:
    if not REAL_CORPORA.is_dir():
        pytest.skip(f"real corpus samples not available at {REAL_CORPORA}")
    with pytest.MonkeyPatch.context() as patch:  # the build's Arrow copies go to a scratch home
        patch.setenv("MEDS_INS_HOME", str(tmp_path_factory.mktemp("home")))
        first = [s for s in [*AS_IS, *POSED] if s not in SECOND_STORE]
        return [
            _build(tmp_path_factory.mktemp("first"), first),
            _build(tmp_path_factory.mktemp("second"), sorted(SECOND_STORE)),
        ]


def test_every_sample_is_accounted_for():
    if not REAL_CORPORA.is_dir():
        pytest.skip(f"real corpus samples not available at {REAL_CORPORA}")
    samples = {p.name for p in REAL_CORPORA.iterdir() if p.is_dir()}
    assert samples == set(AS_IS) | set(POSED) | set(NOT_READ)


def test_references_score_100_on_every_benchmark_task_in_every_format(stores, tmp_path: Path):
    store = stores[0]
    summary = write_prompts(store, tmp_path / "prompts")
    prompts = [
        json.loads(line)
        for path in sorted((tmp_path / "prompts").glob("*.jsonl"))
        for line in path.read_text().splitlines()
    ]
    inputs = {
        r["id"]: r["input"]
        for s in summary
        for r in meds_ins.load_dataset(store.root, task=s["task"], split="test")
    }
    jsonl = tmp_path / "references.jsonl"
    jsonl.write_text(
        "".join(json.dumps({"id": p["id"], "output": p["references"][0]}) + "\n" for p in prompts)
    )
    csvs = {
        "prompts": [[p["task"], p["prompt"], p["references"][0], p["references"][0]] for p in prompts],
        "inputs": [[p["task"], inputs[p["id"]], p["references"][0], p["references"][0]] for p in prompts],
        "ids": [[p["id"], p["task"], "", p["references"][0], p["references"][0]] for p in prompts],
    }
    expected = score_files([jsonl], store, model="references")
    scored = set(expected["tasks"])
    # the benchmark tasks of the samples, the NER ones with mentions holding commas among them
    assert {"task57", "task122", "task123", "task126", "task127", "task29", "task106", "task114"} <= scored
    assert len(scored) == len(summary) and sum(t["n"] for t in expected["tasks"].values()) == len(prompts)
    for task, result in expected["tasks"].items():
        assert all(v == 100 for v in result["scores"].values()), (task, result)
    for kind, rows in csvs.items():
        path = write_csv(tmp_path / f"{kind}.csv", rows, ["id", *CSV_HEADER] if kind == "ids" else CSV_HEADER)
        results = score_files([path], store, model="references")
        assert results["tasks"] == expected["tasks"], kind
        assert results["matching"]["unmatched_rows"] == [], kind


def test_every_entity_answer_reads_back_as_its_entities(stores):
    """Every record with an entity list, in every task and split: its answer, read as the scorer reads a
    prediction, gives its entities, none split at a comma; a list of several reads so without help."""
    answers = with_commas = 0
    for store in stores:
        for name in store.tasks:
            for split in store.splits(name):
                for record in meds_ins.load_dataset(store.root, task=name, split=split):
                    meta = json.loads(record["meta"]) if record["meta"] else {}
                    if "entities" not in meta:
                        continue
                    entities, answer = meta["entities"], record["output"][0]
                    answers += 1
                    with_commas += any(", " in e for e in entities)
                    read = read_entity_list(answer, known={entity_key(e) for e in entities})
                    assert read == entities, record["id"]
                    if len(entities) != 1:
                        assert read_entity_list(answer) == entities, record["id"]
    assert answers > 3000 and with_commas >= 10, (answers, with_commas)
