"""The dataset card (README.md) of a store: YAML front matter that the Hub and `datasets` read, then prose."""

from __future__ import annotations

from string import Template
from typing import TYPE_CHECKING, Any

import yaml

from meds_ins import resources

if TYPE_CHECKING:
    from meds_ins.store import Store

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
}


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


def front_matter(store: Store) -> dict[str, Any]:
    licenses = {store.corpora[c]["license"] for c in store.manifest["corpora"]}
    hub = {HUB_LICENSES.get(lic, "other") for lic in licenses}
    languages = sorted(
        {lang for t in store.tasks.values() for lang in t["input_languages"] + t["output_languages"]}
    )
    rows = store.manifest["totals"]["rows"]
    meta: dict[str, Any] = {
        "pretty_name": "MedS-Ins",
        "license": hub.pop() if len(hub) == 1 else "other",
        "language": languages,
        "size_categories": [_size_category(rows)],
        "task_categories": [
            "text-generation",
            "question-answering",
            "summarization",
            "text-classification",
            "token-classification",
            "translation",
        ],
        "tags": ["medical", "instruction-tuning", "meds-ins", "meds-bench"],
        "configs": configs(store),
    }
    if meta["license"] == "other":
        meta["license_name"] = "per-corpus"
        meta["license_details"] = (
            "Each task keeps the licence of its source corpus; see the table of corpora."
        )
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


def render(store: Store, load_source: str = "path/to/store") -> str:
    from meds_ins import __version__

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
            f"{'yes' if c['redistributable'] else 'no'} | {origin} |"
        )
        citations.append(f"{c['name']}:\n\n```bibtex\n{c['citation'].strip()}\n```\n")
        if not c["redistributable"]:
            restricted.append(f"- {c['name']}: {c['access']} access; its records must not be published.")
    miniature = any(b["miniature"] for b in manifest["corpora"].values())
    origin = (
        "**Demo store.** Some corpora here were built from the miniature files shipped with meds-ins "
        "for trying the tool; their records are made up and not the real corpus."
        if miniature
        else "Built from the corpora's original raw files."
    )
    restricted_text = (
        ("\nNot redistributable (recipe-only):\n\n" + "\n".join(restricted) + "\n") if restricted else ""
    )
    first = next(iter(manifest["tasks"]), "task124_pubmedqa_train_set")
    template = Template(resources.cards().joinpath("dataset_card.md").read_text(encoding="utf-8"))
    return template.substitute(
        front_matter=yaml.safe_dump(front_matter(store), sort_keys=False, allow_unicode=True),
        pretty_name="MedS-Ins",
        origin=origin,
        n_rows=f"{manifest['totals']['rows']:,}",
        n_tasks=manifest["totals"]["tasks"],
        n_corpora=manifest["totals"]["corpora"],
        package_version=__version__,
        load_source=load_source,
        example_task=first,
        task_rows="\n".join(task_rows),
        corpus_rows="\n".join(corpus_rows),
        restricted=restricted_text,
        citations="\n".join(citations),
    )
