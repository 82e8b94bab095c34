"""The dataset card (README.md): YAML front matter that the Hub and `datasets` read, then prose.

One generator for every card: the store's own card (written by `meds-ins build` and `meds-ins card`)
and the card of a Hub repository (uploaded by `meds-ins push`, describing exactly what the repository
holds after the push). `check` runs `huggingface_hub`'s and `datasets`' own card parsers on a card and
matches its `configs:` against the files, so a card is never uploaded unchecked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from string import Template
from typing import TYPE_CHECKING, Any

import yaml

from meds_ins._common import paths, resources
from meds_ins._common.errors import ValidationFailed
from meds_ins._common.paths import COLLECTION_REPO
from meds_ins._common.version import VERSION
from meds_ins._store import terms
from meds_ins._store.lock import store_lock

if TYPE_CHECKING:
    from meds_ins._store.layout import Store

PRETTY_NAME = "MedS-Ins"

# Licence names as corpora state them -> the licence identifiers the Hub accepts.
HUB_LICENSES = {
    "MIT": "mit",
    "Apache-2.0": "apache-2.0",
    "CC-BY-4.0": "cc-by-4.0",
    "CC-BY-SA-4.0": "cc-by-sa-4.0",
    "CC-BY-NC-4.0": "cc-by-nc-4.0",
    "CC-BY-NC-SA-4.0": "cc-by-nc-sa-4.0",
    "CC0-1.0": "cc0-1.0",
    "GPL-3.0": "gpl-3.0",
    "CC-BY-3.0": "cc-by-3.0",
    "unknown": "unknown",
}

# MedS-Ins task categories -> Hub task categories. Every task generates text from an instruction,
# so `text-generation` is always listed; these add what the task is in the Hub's terms.
HUB_TASK_CATEGORIES = {
    "Question Answering": "question-answering",
    "Text Summarization": "summarization",
    "Translation": "translation",
    "Named Entity Recognition": "token-classification",
    "Information Extraction": "token-classification",
    "Text Retrieval": "text-retrieval",
    "Text Classification": "text-classification",
    "Natural Language Inference": "text-classification",
    "Intent Identification": "text-classification",
    "Fact Verification": "text-classification",
    "Word Relation Classification": "text-classification",
    "Sentence Composition Analysis": "text-classification",
    "Clinical Outcome Prediction": "text-classification",
    "Diagnosis": "text-classification",
}

# What a card must declare for the Hub to index it properly.
REQUIRED_METADATA = ("pretty_name", "license", "language", "size_categories", "task_categories", "configs")


def configs(store: Store) -> list[dict[str, Any]]:
    """`configs:` entries: `default` over every task, then one per task, each listing only splits it has."""
    splits_present = sorted(
        {s for t in store.manifest["tasks"].values() for s in t["splits"]}, key=_split_order
    )
    result: list[dict[str, Any]] = [
        {
            "config_name": "default",
            "data_files": [{"split": s, "path": f"data/*/{s}-*.parquet"} for s in splits_present],
        }
    ]
    for name, entry in store.manifest["tasks"].items():
        result.append(
            {
                "config_name": name,
                "data_files": [
                    {"split": s, "path": f"data/{name}/{s}-*.parquet"}
                    for s in sorted(entry["splits"], key=_split_order)
                ],
            }
        )
    return result


def _split_order(split: str) -> int:
    return ("train", "test").index(split)


def is_demo(store: Store) -> bool:
    """Whether any corpus of the store was built from the demo miniatures (made-up records)."""
    return any(c["miniature"] for c in store.manifest["corpora"].values())


def hub_license(store: Store) -> tuple[str, dict[str, str]]:
    """The Hub licence id of the corpora in the store, or `other` with the per-corpus list."""
    licenses = {cid: store.corpora[cid]["license"] for cid in store.manifest["corpora"]}
    ids = {HUB_LICENSES.get(lic, "other") for lic in licenses.values()}
    if len(ids) == 1 and "other" not in ids:
        return ids.pop(), {}
    per_corpus = "; ".join(f"{store.corpora[cid]['name']}: {lic}" for cid, lic in licenses.items())
    return "other", {
        "license_name": "per-corpus",
        "license_details": f"Each task keeps the licence of its source corpus. {per_corpus}.",
    }


def front_matter(store: Store) -> dict[str, Any]:
    license_id, license_extra = hub_license(store)
    languages = sorted(
        {lang for t in store.tasks.values() for lang in t["input_languages"] + t["output_languages"]}
    )
    categories = {store.tasks[name]["category"] for name in store.manifest["tasks"]}
    hub_tasks = {"text-generation"} | {HUB_TASK_CATEGORIES[c] for c in categories if c in HUB_TASK_CATEGORIES}
    demo = is_demo(store)
    meta: dict[str, Any] = {
        "pretty_name": f"{PRETTY_NAME} (demo: made-up records)" if demo else PRETTY_NAME,
        "license": license_id,
        **license_extra,
        "language": languages,
        "size_categories": [_size_category(store.manifest["totals"]["rows"])],
        "task_categories": sorted(hub_tasks),
        "tags": ["medical", "instruction-tuning", "meds-ins", "meds-bench"]
        + (["meds-ins-demo"] if demo else []),
        "configs": configs(store),
    }
    return meta


def _size_category(rows: int) -> str:
    bounds = [
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
        (10_000_000, "1M<n<10M"),
        (100_000_000, "10M<n<100M"),
    ]
    return next((label for bound, label in bounds if rows < bound), "100M<n<1B")


def render(
    store: Store, load_source: str = "path/to/store", *, withheld: Sequence[dict[str, Any]] | None = None
) -> str:
    """The card of a store (`withheld` None) or of a Hub repository.

    For a repository, `withheld` lists the corpora that are never published (corpus metadata with a
    `tasks` list); the card names them and says how to build them.
    """
    manifest = store.manifest
    task_rows = []
    for name, entry in manifest["tasks"].items():
        meta, corpus = store.tasks[name], store.corpora[entry["source"]]
        counts = [entry["splits"].get(s, {}).get("rows", 0) for s in ("train", "test")]
        task_rows.append(
            f"| `{name}` | {meta['category']} | {corpus['name']} | {corpus['license']} | "
            f"{counts[0]:,} | {counts[1]:,} |"
        )
    corpus_rows, citations, restricted = [], [], []
    for cid, built in manifest["corpora"].items():
        c = store.corpora[cid]
        origin = "miniature demo files" if built["miniature"] else "the original raw files"
        corpus_rows.append(
            f"| [{c['name']}]({c['homepage']}) | {c['license']} | {c['access']} | "
            f"{_cell(terms.basis(c))} | {origin} |"
        )
        citations.append(f"{c['name']}:\n\n```bibtex\n{c['citation'].strip()}\n```\n")
        reason = terms.withheld_reason(c)
        if reason is not None:
            restricted.append(f"- {c['name']}: {reason}.")
    origin = (
        "**Demo data.** Some corpora here were built from the miniature files shipped with meds-ins "
        "for trying the tool; their records are made up and not the real corpus."
        if is_demo(store)
        else "Built from the corpora's original raw files."
    )
    notes = ""
    if restricted:
        notes = (
            "\nWithheld from publishing (recipe-only); `meds-ins push` never uploads them:\n\n"
            + "\n".join(restricted)
            + "\n"
        )
    if withheld is not None:
        notes += _withheld_section(withheld)
    first = next(iter(manifest["tasks"]), "task124_pubmedqa_train_set")
    template = Template(resources.cards().joinpath("dataset_card.md").read_text(encoding="utf-8"))
    return template.substitute(
        front_matter=yaml.safe_dump(front_matter(store), sort_keys=False, allow_unicode=True),
        pretty_name=PRETTY_NAME,
        origin=origin,
        holder="This repository" if withheld is not None else "This store",
        n_rows=f"{manifest['totals']['rows']:,}",
        n_tasks=manifest["totals"]["tasks"],
        n_corpora=manifest["totals"]["corpora"],
        package_version=VERSION,
        load_source=load_source,
        collection_repo=COLLECTION_REPO,
        example_task=first,
        task_rows="\n".join(task_rows),
        corpus_rows="\n".join(corpus_rows),
        notes=notes,
        citations="\n".join(citations),
    )


def _withheld_section(withheld: Sequence[dict[str, Any]]) -> str:
    if not withheld:
        return ""
    lines = [
        "\n## Corpora not included\n",
        "These corpora are part of MedS-Ins but are not published here: their terms forbid redistribution "
        "(credentialed access, a data use agreement), or no licence or statement of their authors was found "
        "that allows it (`meds-ins corpora --json` gives each corpus's terms and notes). If you are entitled "
        "to the raw files, build them locally with meds-ins:\n",
    ]
    for c in withheld:
        tasks = ", ".join(c["tasks"]) or "-"
        lines.append(
            f"- [{c['name']}]({c['homepage']}) (`{c['id']}`; tasks {tasks}): {terms.withheld_reason(c)}. "
            f"Build: `meds-ins build {c['id']} --raw DIR`."
        )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text for a Markdown table cell: no line breaks, no column separators."""
    return " ".join(text.split()).replace("|", "\\|")


def write(store: Store, path: Path | None = None) -> Path:
    """Write the store's card (by default its README.md) after checking it."""
    text = render(store)
    check(text, _store_files(store))
    if path:
        paths.check_output(path, folder=False).write_text(text, encoding="utf-8")
        return path
    with store_lock(store.root, "writing the card"):
        (store.root / "README.md").write_text(text, encoding="utf-8")
    return store.root / "README.md"


def _store_files(store: Store) -> list[str]:
    return [
        f["path"] for e in store.manifest["tasks"].values() for s in e["splits"].values() for f in s["files"]
    ]


def check(text: str, files: Iterable[str]) -> None:
    """Raise ValidationFailed unless the card passes the Hub's and `datasets`' card classes, declares
    what the Hub needs, and every config's data files match files of `files` (paths in the repository)."""
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCard

    try:
        parsed = DatasetCard(text)
        configs_found = MetadataConfigs.from_dataset_card_data(parsed.data)
        configs_found.get_default_config_name()
    except (ValueError, yaml.YAMLError) as e:
        raise ValidationFailed(f"the dataset card is not valid for the Hub: {e}") from None
    data = parsed.data.to_dict()
    problems = [f"no `{key}` in the YAML metadata" for key in REQUIRED_METADATA if not data.get(key)]
    if data.get("license") == "other" and not data.get("license_name"):
        problems.append("licence `other` needs a `license_name`")
    paths = [PurePosixPath(p) for p in files]
    for name, config in configs_found.items():
        for item in config.get("data_files", []):
            patterns = item["path"] if isinstance(item["path"], list) else [item["path"]]
            for pattern in patterns:
                if not any(_matches(p, pattern) for p in paths):
                    problems.append(f"config {name!r} split {item['split']!r}: no file matches {pattern}")
    if problems:
        raise ValidationFailed("the dataset card is not valid for the Hub:\n  " + "\n  ".join(problems))


def _matches(path: PurePosixPath, pattern: str) -> bool:
    """Glob match as `datasets` resolves data files: `*` stays within one path component."""
    return len(path.parts) == len(PurePosixPath(pattern).parts) and path.match(pattern)
