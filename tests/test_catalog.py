"""The catalog: builder declarations are valid and agree with the index of the whole collection."""

from __future__ import annotations

import csv

import pytest

from meds_ins._building.catalog import load_catalog
from meds_ins._common import resources, schema


def roadmap(name: str) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(resources.roadmap().joinpath(name).read_text(encoding="utf-8").splitlines())
    return {r["id"]: r for r in rows}


BUILT = [(b.corpus.id, t) for b in load_catalog().builders.values() for t in b.tasks]


def test_the_index_covers_the_reference_collection():
    tasks, corpora = roadmap("tasks.csv"), roadmap("corpora.csv")
    assert len(tasks) == 130 and len(corpora) == 57
    assert sum(len(c["paper_names"].split(";")) for c in corpora.values()) == 58
    assert {t["category"] for t in tasks.values()} <= set(schema.enum("category"))
    assigned = {t for c in corpora.values() for t in c["tasks"].split(";") if t}
    assert assigned == {i for i, t in tasks.items() if t["corpus"]}


@pytest.mark.parametrize(("corpus", "task"), BUILT, ids=[t.id for _, t in BUILT])
def test_built_task_agrees_with_the_index(corpus, task):
    row = roadmap("tasks.csv").get(task.id)
    assert row is not None, f"{task.id} is not in the MedS-Ins index"
    if row["name"]:
        assert task.name == row["name"]
    if row["category"] != task.category:
        assert "category" in task.notes.lower(), "a category differing from the reference must be explained"
    if row["corpus"] and row["corpus"] != corpus:
        assert "source" in task.notes.lower(), "a source that differs from the index must be explained"
    assert task.instruction.strip() and task.instruction == " ".join(task.instruction.split())


def test_tasks_and_corpora_listings():
    catalog = load_catalog()
    every = catalog.tasks()
    assert len(every) == 130 and [t.number for t in every] == sorted(t.number for t in every)
    built = catalog.tasks(built=True)
    assert {t.id for t in built} == {t.id for _, t in BUILT}
    assert all(t.metadata and t.source for t in built)
    assert {t.id for t in catalog.tasks(source="pubmedqa")} >= {"task11", "task123", "task124"}
    assert [t.id for t in catalog.tasks(category="Diagnosis")] == ["task130"]
    assert {c.id for c in catalog.corpora(built=True)} == set(catalog.builders)
    assert catalog.corpora(built=False)[0].metadata is None


def test_restricted_corpora_are_never_marked_redistributable():
    for builder in load_catalog().builders.values():
        if builder.corpus.access == "credentialed":
            assert not builder.corpus.redistributable


def test_every_published_corpus_states_its_basis_and_every_other_why_not():
    from meds_ins.builder import BY_LICENCE, ReleaseStatement, Withheld
    from meds_ins.builder._terms import OPEN_LICENCES

    for builder in load_catalog().builders.values():
        corpus = builder.corpus
        terms = corpus.redistribution
        assert corpus.redistributable == (not isinstance(terms, Withheld))
        if terms is BY_LICENCE:
            assert corpus.license in OPEN_LICENCES, corpus.id
        elif isinstance(terms, ReleaseStatement):
            assert terms.quote.strip() and terms.source.strip(), corpus.id
        else:
            assert terms.reason.strip(), corpus.id
        if corpus.license == "unknown":  # nothing unlicensed is published on a guess
            assert terms is not BY_LICENCE, corpus.id
