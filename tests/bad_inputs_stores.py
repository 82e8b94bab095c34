"""The bad-input cases of tests/bad_inputs.py that concern paths and stores: every path argument of every
command, and every file of a store (damaged, of the wrong shape, escaping the store)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from bad_inputs import (
    FIXTURES,
    HUGE_INT,
    Case,
    cli,
    garbage,
    nested_json,
    nested_object,
    not_utf8,
    write,
)

# ---------------------------------------------------------------------------------------------
# Path arguments of every command


def cli_path_cases(base: Path, good: Path) -> list[Case]:
    a_file = write(base / "a-file.txt", "a file, not a folder\n")
    a_folder = base / "a-folder"
    a_folder.mkdir(parents=True, exist_ok=True)
    write(a_folder / "keep.txt", "kept\n")
    under_file = a_file / "below"
    missing = base / "missing" / "nothing-here"
    task_file = write(
        base / "task9001_toy_fact_verification.json",
        (FIXTURES / "validator" / "task9001_toy_fact_verification.json").read_bytes(),
    )
    predictions = write(base / "p.jsonl", b'{"id": "task124:1", "output": "yes"}\n')
    results = write(base / "results.json", b'{"model": "m", "tasks": {}, "categories": {}}\n')
    watched = [str(base), str(good)]
    proc = "/proc/meds-ins-test"
    # Paths where a store (a folder) is written: build, import, quickstart, and card (which rewrites the
    # store's README.md).
    store_writers = {
        "build": ["build", "pubmedqa", "--raw", FIXTURES, "--quiet"],
        "import": ["import", task_file, "--quiet"],
        "quickstart": ["quickstart", "--json"],
    }
    # Paths where a store is read.
    store_readers = {
        "info": ["info"],
        "card": ["card"],
        "export": ["export", "--out", base / "unused.jsonl"],
        "bench-prompts": ["bench", "prompts", "--out", base / "unused-prompts"],
        "bench-score": ["bench", "score", predictions],
        "push": ["push", "--repo-id", "org/name", "--dry-run"],
    }
    cases = []

    def add(name: str, argv: list[object], code: int, names: list[str]) -> None:
        cases.append(Case(name, "cli-path", cli(*argv), code, names, watch=watched))

    for command, argv in store_writers.items():
        add(f"{command}-store-is-a-file", [*argv, "--store", a_file], 2, [str(a_file)])
        add(f"{command}-store-under-a-file", [*argv, "--store", under_file], 2, [str(under_file)])
        add(f"{command}-store-in-proc", [*argv, "--store", proc], 2, [proc])
        add(f"{command}-store-dev-null", [*argv, "--store", "/dev/null"], 2, ["/dev/null"])
        add(f"{command}-store-not-a-store", [*argv, "--store", a_folder], 2, [str(a_folder)])
    for command, argv in store_readers.items():
        add(f"{command}-store-is-a-file", [*argv, "--store", a_file], 2, [str(a_file)])
        add(f"{command}-store-missing", [*argv, "--store", missing], 2, [str(missing)])
        add(f"{command}-store-not-a-store", [*argv, "--store", a_folder], 2, [str(a_folder)])
        add(f"{command}-store-dev-null", [*argv, "--store", "/dev/null"], 2, ["/dev/null"])
    # Output files
    file_outputs = {
        "export": (["export", "--store", good], "out.jsonl"),
        "card": (["card", "--store", good], "README.md"),
        "bench-score": (["bench", "score", predictions, "--store", good], "results.json"),
    }
    for command, (argv, leaf) in file_outputs.items():
        add(f"{command}-out-is-a-folder", [*argv, "--out", a_folder], 2, [str(a_folder)])
        add(f"{command}-out-under-a-file", [*argv, "--out", under_file / leaf], 2, [str(a_file)])
        add(f"{command}-out-in-proc", [*argv, "--out", f"{proc}/{leaf}"], 2, [proc])
        add(f"{command}-out-in-proc-root", [*argv, "--out", f"/proc/{leaf}"], 2, [f"/proc/{leaf}"])
        add(f"{command}-out-dev-null", [*argv, "--out", "/dev/null"], 2, ["/dev/null"])
    # Output folders
    folder_outputs = {
        "bench-prompts": ["bench", "prompts", "--store", good],
        "bench-leaderboard": ["bench", "leaderboard", results],
    }
    for command, argv in folder_outputs.items():
        add(f"{command}-out-is-a-file", [*argv, "--out", a_file], 2, [str(a_file)])
        add(f"{command}-out-under-a-file", [*argv, "--out", under_file], 2, [str(a_file)])
        add(f"{command}-out-in-proc", [*argv, "--out", proc], 2, [proc])
        add(f"{command}-out-dev-null", [*argv, "--out", "/dev/null"], 2, ["/dev/null"])
    # Inputs
    add("build-raw-is-a-file", ["build", "pubmedqa", "--raw", a_file, "--store", good], 2, [str(a_file)])
    add("build-raw-missing", ["build", "pubmedqa", "--raw", missing, "--store", good], 2, [str(missing)])
    add("build-raw-dev-null", ["build", "pubmedqa", "--raw", "/dev/null", "--store", good], 2, ["/dev/null"])
    add("validate-raw-is-a-file", ["validate", "pubmedqa", "--raw", a_file], 2, [str(a_file)])
    add("validate-raw-missing", ["validate", "pubmedqa", "--raw", missing], 2, [str(missing)])
    add("validate-target-missing", ["validate", missing], 2, [str(missing)])
    add("validate-target-dev-null", ["validate", "/dev/null"], 2, ["/dev/null"])
    add("validate-target-under-a-file", ["validate", under_file], 2, [str(under_file)])
    add("import-path-missing", ["import", missing, "--store", good], 2, [str(missing)])
    add("import-path-dev-null", ["import", "/dev/null", "--store", good], 2, ["/dev/null"])
    add("import-path-proc", ["import", "/proc/self/status", "--store", good], 1, ["/proc/self/status"])
    add(
        "import-paraphrases-missing", ["import", "--paraphrases", missing, "--store", good], 2, [str(missing)]
    )
    add(
        "import-paraphrases-folder",
        ["import", "--paraphrases", a_folder, "--store", good],
        2,
        [str(a_folder)],
    )
    add(
        "import-paraphrases-dev-null",
        ["import", "--paraphrases", "/dev/null", "--store", good],
        2,
        ["/dev/null"],
    )
    add("score-predictions-missing", ["bench", "score", missing, "--store", good], 2, [str(missing)])
    add("score-predictions-folder", ["bench", "score", a_folder, "--store", good], 2, [str(a_folder)])
    add("score-predictions-dev-null", ["bench", "score", "/dev/null", "--store", good], 2, ["/dev/null"])
    add(
        "leaderboard-results-missing",
        ["bench", "leaderboard", missing, "--out", base / "board"],
        2,
        [str(missing)],
    )
    add(
        "leaderboard-results-folder",
        ["bench", "leaderboard", a_folder, "--out", base / "board"],
        2,
        [str(a_folder)],
    )
    add("new-corpus-root-is-a-file", ["new-corpus", "newcorpus", "--root", a_file], 2, [str(a_file)])
    add("new-corpus-root-in-proc", ["new-corpus", "newcorpus", "--root", proc], 2, [proc])
    add(
        "export-temperature-nan",
        ["export", "--store", good, "--out", base / "x.jsonl", "--temperature", "nan"],
        2,
        ["temperature"],
    )
    add(
        "export-temperature-inf",
        ["export", "--store", good, "--out", base / "x.jsonl", "--temperature", "inf"],
        2,
        ["temperature"],
    )
    if os.geteuid() != 0:  # root writes anywhere: permissions cannot refuse it
        locked = base / "locked"
        locked.mkdir(exist_ok=True)
        locked.chmod(0o500)
        add(
            "export-out-unwritable",
            ["export", "--store", good, "--out", locked / "x.jsonl"],
            2,
            [str(locked)],
        )
        add(
            "build-store-unwritable",
            ["build", "pubmedqa", "--raw", FIXTURES, "--store", locked / "s"],
            2,
            [str(locked)],
        )
    return cases


# ---------------------------------------------------------------------------------------------
# Files of a store


def _store_variants(good: Path) -> Iterator[tuple[str, str, bytes | None]]:
    """(variant, file of the store, new content; None: the variant changes the store otherwise)."""
    for meta in ("meta/manifest.json", "meta/tasks.json", "meta/corpora.json"):
        data = (good / meta).read_bytes()
        yield "garbage", meta, garbage(meta)
        yield "truncated", meta, data[: len(data) // 2]
        yield "latin1", meta, not_utf8(data)
        yield "nested", meta, nested_json()
        yield "huge-int", meta, b"[" + HUGE_INT.encode() + b"]"
        yield "wrong-shape", meta, b'{"tasks": 5}' if meta.endswith("tasks.json") else b"[1, 2, 3]"
        yield "empty", meta, b""
        yield "symlink-out", meta, None
    manifest = json.loads((good / "meta/manifest.json").read_bytes())
    yield "wrong-types", "meta/manifest.json", json.dumps({**manifest, "tasks": {"task124_x": 5}}).encode()
    yield "escaping-task", "meta/manifest.json", None
    yield "escaping-task", "meta/tasks.json", None
    yield "escaping-path", "meta/manifest.json", None
    yield "garbage", "meta/paraphrases.json", garbage("paraphrases")
    yield "nested", "meta/paraphrases.json", nested_object()
    yield "wrong-shape", "meta/paraphrases.json", b"[1]"
    yield "garbage", "README.md", garbage("readme")
    yield "latin1", "README.md", not_utf8((good / "README.md").read_bytes())
    yield "symlink-out", "README.md", None
    yield "symlink-out", "meta/paraphrases.json", None
    parquet = sorted(good.glob("data/*/train-*.parquet"))[0].relative_to(good).as_posix()
    data = (good / parquet).read_bytes()
    yield "garbage", parquet, garbage("parquet")
    yield "truncated", parquet, data[: len(data) // 2]
    yield "empty", parquet, b""
    yield "wrong-schema", parquet, None
    yield "symlink-out", parquet, None
    yield "is-a-folder", parquet, None


def _break_store(store: Path, variant: str, name: str, data: bytes | None, outside: Path) -> None:
    target = store / name
    if data is not None:
        target.write_bytes(data)
        return
    if variant == "symlink-out":
        copy = write(outside / Path(name).name, target.read_bytes() if target.exists() else b"{}")
        target.unlink(missing_ok=True)
        target.symlink_to(copy)
    elif variant == "is-a-folder":
        target.unlink()
        target.mkdir()
    elif variant == "wrong-schema":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table({"id": [1, 2], "text": ["a", "b"]}), target)
    elif variant in ("escaping-task", "escaping-path"):
        manifest = json.loads((store / "meta/manifest.json").read_bytes())
        tasks = json.loads((store / "meta/tasks.json").read_bytes())
        old = next(iter(manifest["tasks"]))
        evil = "../../etc" if variant == "escaping-task" else old
        entry = manifest["tasks"].pop(old)
        if variant == "escaping-path":
            entry["splits"][next(iter(entry["splits"]))]["files"][0]["path"] = "data/../../../etc/passwd"
        manifest["tasks"][evil] = entry
        for t in tasks:
            if t["name"] == old and name.endswith("tasks.json"):
                t["name"] = evil
        if name.endswith("manifest.json"):
            write(store / "meta/manifest.json", json.dumps(manifest))
        else:
            write(store / "meta/tasks.json", json.dumps(tasks))


def store_file_cases(base: Path, good: Path) -> list[Case]:
    cases = []
    outside = base / "outside"
    for variant, name, data in _store_variants(good):
        slug = "parquet" if name.endswith(".parquet") else Path(name).stem
        store = base / f"{slug}-{variant}"
        if not store.exists():
            shutil.copytree(good, store, symlinks=True)
            _break_store(store, variant, name, data, outside / f"{slug}-{variant}")
        watch = [str(store)]
        loaded = name.endswith(".parquet") or name.startswith("meta/") and "paraphrases" not in name
        # Without the README, readers other than validate cannot tell it is broken; every other file
        # is read by every command.
        readers: list[tuple[str, list[object]]] = [("validate", ["validate", store, "--no-audits"])]
        if name.startswith("meta/") and not name.endswith("paraphrases.json"):
            readers.append(("info", ["info", "--store", store]))  # info reads only the metadata
        if not name.startswith("README") and not name.endswith("paraphrases.json"):
            readers.append(
                ("export", ["export", "--store", store, "--out", base / f"{slug}-{variant}.jsonl"])
            )
        if name.endswith("paraphrases.json"):
            readers.append(
                ("export", ["export", "--store", store, "--paraphrase", "--out", base / "p.jsonl"])
            )
        for command, argv in readers:
            code = 1  # a damaged store: the data failed, whatever the command
            cases.append(
                Case(
                    f"{command}-{slug}-{variant}",
                    "store-file",
                    cli(*argv),
                    code,
                    [name, store.name],
                    watch=watch,
                    api=("load_dataset", str(store)) if command == "export" and loaded else None,
                )
            )
    return cases
