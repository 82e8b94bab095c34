"""The dataset card: Hub metadata checked with huggingface_hub's and datasets' own classes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from huggingface_hub import DatasetCard

from meds_ins import ValidationFailed
from meds_ins._cli import main
from meds_ins._store import card
from meds_ins._store.layout import open_store


def front(text: str) -> dict:
    return yaml.safe_load(text.split("---\n", 2)[1])


def store_files(store) -> list[str]:
    return [
        f["path"] for e in store.manifest["tasks"].values() for s in e["splits"].values() for f in s["files"]
    ]


def test_store_card_passes_the_hub_card_classes_and_describes_the_store(build_store):
    store = build_store(["pubmedqa", "medqa", "mimic4ed"]).store
    text = (store.root / "README.md").read_text(encoding="utf-8")
    card.check(text, store_files(store))
    data = DatasetCard(text).data.to_dict()
    assert data["pretty_name"] == "MedS-Ins"
    assert data["language"] == ["en", "zh"]
    assert data["size_categories"] == ["n<1K"]
    assert data["task_categories"] == ["question-answering", "text-classification", "text-generation"]
    # MIT corpora and a credentialed licence: `other` with the per-corpus list
    assert data["license"] == "other" and data["license_name"] == "per-corpus"
    assert "MIMIC-IV-ED benchmark: PhysioNet-Credentialed" in data["license_details"]
    names = [c["config_name"] for c in data["configs"]]
    assert names == ["default", *store.manifest["tasks"]]
    # the prose: tasks with counts, licences, the recipe-only corpus, citations
    assert "| `task57_medqa_question_answering_en` | Question Answering | MedQA | MIT | 2 | 2 |" in text
    assert "- MIMIC-IV-ED benchmark: credentialed access: the PhysioNet Credentialed Health Data" in text
    # each corpus with its basis of redistribution and where it was read, or why it is withheld
    medqa = store.corpora["medqa"]["license_source"]
    assert f"| public | licence MIT (read in: {medqa}) | " in text
    assert "| credentialed | withheld: credentialed access: the PhysioNet" in text
    assert "@article{jin2021disease" in text
    # how to load it, with and without meds-ins, and where the collection is published
    assert 'meds_ins.load_dataset("path/to/store", "task11_pubmedqa_question_generation")' in text
    assert 'datasets.load_dataset("path/to/store", "task11_pubmedqa_question_generation")' in text
    assert "[`meds-ins/meds-ins`](https://huggingface.co/datasets/meds-ins/meds-ins)" in text


def test_one_licence_is_named_as_such(build_store):
    store = build_store(["pubmedqa", "medqa"]).store
    data = front((store.root / "README.md").read_text(encoding="utf-8"))
    assert data["license"] == "mit" and "license_name" not in data


def test_demo_stores_say_so_in_their_metadata(build_store):
    store = build_store(["pubmedqa"], miniature=True).store
    text = (store.root / "README.md").read_text(encoding="utf-8")
    data = front(text)
    assert data["pretty_name"] == "MedS-Ins (demo: made-up records)" and "meds-ins-demo" in data["tags"]
    assert "their records are made up" in text


def test_check_rejects_cards_the_hub_or_datasets_would_refuse(build_store):
    store = build_store(["medqa"]).store
    files = store_files(store)
    good = (store.root / "README.md").read_text(encoding="utf-8")
    card.check(good, files)
    with pytest.raises(ValidationFailed, match="not valid for the Hub"):
        card.check("---\n- a list\n---\n# card\n", files)
    broken_config = good.replace("- config_name: default\n", "- name: default\n", 1)
    with pytest.raises(ValidationFailed, match="config_name"):
        card.check(broken_config, files)
    with pytest.raises(
        ValidationFailed, match="no file matches data/task57_medqa_question_answering_en/test"
    ):
        card.check(good, [f for f in files if "task57" not in f or "train" in f])
    without_licence = good.replace("license: mit\n", "")
    with pytest.raises(ValidationFailed, match="no `license`"):
        card.check(without_licence, files)


def test_card_command_writes_the_card(build_store, capsys, tmp_path: Path):
    store = build_store(["pubmedqa"]).store
    readme = store.root / "README.md"
    original = readme.read_text(encoding="utf-8")
    readme.write_text("stale\n", encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["card", "--store", str(store.root)])
    assert done.value.code == 0 and readme.read_text(encoding="utf-8") == original
    out = tmp_path / "card.md"
    with pytest.raises(SystemExit):
        main(["card", "--store", str(store.root), "--out", str(out)])
    assert out.read_text(encoding="utf-8") == original == card.render(open_store(store.root))
