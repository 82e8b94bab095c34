"""The corpus of bad inputs: every file and path argument a hostile or careless user can hand meds-ins.

`generate(root)` writes the inputs under `root` and returns the cases; tests/test_bad_inputs.py runs each
through the command line (and the Python API where one applies) and checks the exit code, that the
message names the file, and that nothing was written or changed. Everything here is made by this
script from the package's own fixtures; no broken file is kept in the repository.

    python tests/bad_inputs.py OUT     # write the corpus to OUT and list its cases (kind, id, command)
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
BINARY = (".zip", ".xlsx", ".gz")
JSONISH = (".json", ".jsonl")
# Deep enough to break any recursive parser, small enough to write quickly.
DEEP = 100_000
HUGE_INT = "9" * 5000
KINDS = ("raw-file", "task-file", "predictions", "paraphrases", "results", "cli-path", "store-file")


@dataclass
class Case:
    id: str
    kind: str  # raw-file, task-file, predictions, paraphrases, results, cli-path, store-file
    argv: list[str]
    exit: int  # the exit code expected: 1 the data or the work failed, 2 usage
    names: list[str]  # the message must name one of these (file paths, or parts of them)
    watch: list[str] = field(default_factory=list)  # must be byte-identical before and after
    api: tuple[str, str] | None = None  # (public function, path) to call from Python as well


def generate(root: Path) -> list[Case]:
    """Write every bad input under `root` (which must be empty or new); return the cases."""
    root = Path(root).absolute()
    root.mkdir(parents=True, exist_ok=True)
    good = _good_store(root / "good-store")
    cases: list[Case] = []
    cases += _raw_file_cases(root / "raw", good)
    cases += _task_file_cases(root / "task-files", good)
    cases += _prediction_cases(root / "predictions", good)
    cases += _paraphrase_cases(root / "paraphrases", good)
    cases += _results_cases(root / "results")
    cases += _cli_path_cases(root / "paths", good)
    cases += _store_file_cases(root / "stores", good)
    return cases


# ---------------------------------------------------------------------------------------------
# Helpers


def _good_store(path: Path) -> Path:
    """A small valid store (two demo corpora) that bad inputs aimed at it must leave as it was."""
    if not (path / "meta" / "manifest.json").is_file():
        from meds_ins._build.run import build

        build(["pubmedqa", "medqa"], FIXTURES, path, progress=False, miniature=True)
    return path


def _not_utf8(data: bytes) -> bytes:
    """Latin-1 text: the bytes of 'é' where a UTF-8 reader expects a continuation."""
    cut = data.find(b"\n") + 1 or len(data) // 2
    return data[:cut] + "fébrile".encode("latin-1") + data[cut:]


def _utf16(data: bytes) -> bytes:
    return data.decode("utf-8", errors="replace").encode("utf-16")


def _garbage(seed: str, size: int = 4096) -> bytes:
    rng = random.Random(seed)
    return b"\xff\x00" + bytes(rng.randrange(256) for _ in range(size))


def _nested_json() -> bytes:
    return b"[" * DEEP + b"]" * DEEP + b"\n"


def _nested_object() -> bytes:
    return (b'{"a":' * DEEP) + b"1" + (b"}" * DEEP) + b"\n"


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _cli(*args: object) -> list[str]:
    return [str(a) for a in args]


# ---------------------------------------------------------------------------------------------
# Raw files of every builder (the format readers)


def _raw_variants(path: Path) -> Iterator[tuple[str, bytes]]:
    data = path.read_bytes()
    if path.suffix in BINARY:
        yield "garbage", _garbage(path.name)
        yield "truncated", data[: len(data) // 2]
        return
    yield "latin1", _not_utf8(data)
    yield "utf16", _utf16(data)
    if path.suffix in JSONISH:
        yield "nested", _nested_json()
        yield "huge-int", b'[{"a": ' + HUGE_INT.encode() + b"}]\n"


def _raw_file_cases(base: Path, good: Path) -> list[Case]:
    cases = []
    for fixture in sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name != "validator"):
        if not (REPO / "builders" / f"{fixture.name}.py").is_file():
            continue
        files = sorted(p for p in fixture.rglob("*") if p.is_file())
        kinds = {"binary" if f.suffix in BINARY else "text" for f in files}
        variants = ["latin1", "utf16", "nested", "huge-int"] if "text" in kinds else []
        variants += ["garbage", "truncated"] if "binary" in kinds else []
        for variant in variants:
            raw = base / f"{fixture.name}-{variant}"
            broken = []
            for f in files:
                target = raw / fixture.name / f.relative_to(fixture)
                produced = dict(_raw_variants(f))
                data = produced.get(variant)
                _write(target, data if data is not None else f.read_bytes())
                if data is not None:
                    broken.append(str(target))
            if not broken:
                continue
            cases.append(
                Case(
                    f"build-{fixture.name}-{variant}",
                    "raw-file",
                    _cli("build", fixture.name, "--raw", raw, "--store", good, "--quiet"),
                    1,
                    broken,
                    watch=[str(good)],
                )
            )
    return cases


# ---------------------------------------------------------------------------------------------
# Task files: the validator and the importer


def _task_file_variants(base: Path) -> Iterator[tuple[str, Path, int]]:
    """(name, path, expected exit of validate) of broken task files."""
    clean = (FIXTURES / "validator" / "task9001_toy_fact_verification.json").read_bytes()
    task = json.loads(clean)
    name = "task9001_toy_fact_verification.json"
    yield "latin1", _write(base / "latin1" / name, _not_utf8(clean)), 1
    yield "utf16", _write(base / "utf16" / name, _utf16(clean)), 1
    yield "nested", _write(base / "nested" / name, _nested_json()), 1
    yield "nested-object", _write(base / "nested-object" / name, _nested_object()), 1
    deep_instance = clean.replace(b'"Instances": [', b'"Instances": [' + b"[" * DEEP + b"]" * DEEP + b",")
    yield "nested-instance", _write(base / "nested-instance" / name, deep_instance), 1
    big = dict(task, Instances=[{"id": "task9001-1", "input": "x", "output": ["y"], "n": 0}])
    text = json.dumps(big).replace('"n": 0', f'"n": {HUGE_INT}')
    yield "huge-int", _write(base / "huge-int" / name, text), 1
    surrogate = dict(task, Instances=[{"id": "task9001-1", "input": "PLACEHOLDER", "output": ["y"]}])
    text = json.dumps(surrogate).replace("PLACEHOLDER", "\\ud800 lone \\udfff")
    yield "surrogate", _write(base / "surrogate" / name, text), 1
    yield "split-type", _write(base / "split-type" / name, json.dumps({**task, "Split Type": ["odd"]})), 1
    yield "split-type-number", _write(base / "split-type-n" / name, json.dumps({**task, "Split Type": 7})), 1
    yield "truncated", _write(base / "truncated" / name, clean[: len(clean) // 2]), 1
    yield "garbage", _write(base / "garbage" / name, _garbage("task")), 1
    yield "empty", _write(base / "empty" / name, b""), 1
    yield "array-of-numbers", _write(base / "numbers" / name, "[1, 2, 3]"), 1


def _task_file_cases(base: Path, good: Path) -> list[Case]:
    cases = []
    for variant, path, code in _task_file_variants(base):
        cases.append(Case(f"validate-task-{variant}", "task-file", _cli("validate", path), code, [str(path)]))
        cases.append(
            Case(
                f"import-task-{variant}",
                "task-file",
                _cli("import", path, "--store", good, "--quiet"),
                1,
                [str(path)],
                watch=[str(good)],
            )
        )
    folder = base / "no-task-files"
    _write(folder / "notes.txt", "nothing here")
    cases.append(
        Case("validate-folder-without-task-files", "task-file", _cli("validate", folder), 2, [str(folder)])
    )
    return cases


# ---------------------------------------------------------------------------------------------
# Prediction files, paraphrase files, results files


def _prediction_cases(base: Path, good: Path) -> list[Case]:
    csv_text = b"task_id,input,GT,output\ntask124,Is it?,yes,yes\n"
    jsonl_text = b'{"id": "task124:1", "output": "yes"}\n'
    files = {
        "csv-latin1": ("p.csv", _not_utf8(csv_text)),
        "csv-utf16": ("p.csv", _utf16(csv_text)),
        "csv-garbage": ("p.csv", _garbage("csv")),
        "csv-empty": ("p.csv", b""),
        "csv-no-header": ("p.csv", b"task124,Is it?,yes,yes\n"),
        "csv-unclosed-quote": ("p.csv", b'task_id,input,GT,output\ntask124,"Is it?,yes,yes\n'),
        "jsonl-latin1": ("p.jsonl", _not_utf8(jsonl_text)),
        "jsonl-utf16": ("p.jsonl", _utf16(jsonl_text)),
        "jsonl-nested": ("p.jsonl", _nested_json()),
        "jsonl-nested-object": ("p.jsonl", _nested_object()),
        "jsonl-huge-int": ("p.jsonl", b'{"id": "task124:1", "output": ' + HUGE_INT.encode() + b"}\n"),
        "jsonl-garbage": ("p.jsonl", _garbage("jsonl")),
        "jsonl-not-object": ("p.jsonl", b"[1, 2]\n"),
        "txt-suffix": ("p.txt", jsonl_text),
    }
    cases = []
    for variant, (name, data) in files.items():
        path = _write(base / variant / name, data)
        out = base / variant / "results.json"
        cases.append(
            Case(
                f"score-{variant}",
                "predictions",
                _cli("bench", "score", path, "--store", good, "--out", out),
                2,
                [str(path)],
                watch=[str(base / variant)],
            )
        )
    return cases


def _paraphrase_cases(base: Path, good: Path) -> list[Case]:
    files = {
        "latin1": _not_utf8(b'{"task124": {"original_def": "x", "auto_rewrite_def": ["y"]}}\n'),
        "utf16": _utf16(b'{"task124": {"original_def": "x", "auto_rewrite_def": ["y"]}}\n'),
        "nested": _nested_object(),
        "huge-int": b'{"task124": ' + HUGE_INT.encode() + b"}\n",
        "wrong-shape": b'["task124"]\n',
        "entry-not-list": b'{"task124": {"original_def": "x", "auto_rewrite_def": "y"}}\n',
        "garbage": _garbage("paraphrases"),
        "empty": b"",
    }
    cases = []
    for variant, data in files.items():
        path = _write(base / variant / "paraphrases.json", data)
        cases.append(
            Case(
                f"import-paraphrases-{variant}",
                "paraphrases",
                _cli("import", "--paraphrases", path, "--store", good, "--quiet"),
                1,
                [str(path)],
                watch=[str(good)],
            )
        )
    return cases


def _results_cases(base: Path) -> list[Case]:
    files = {
        "latin1": _not_utf8(b'{"model": "m", "tasks": {}, "categories": {}}\n'),
        "utf16": _utf16(b'{"model": "m", "tasks": {}, "categories": {}}\n'),
        "nested": _nested_object(),
        "huge-int": b'{"model": ' + HUGE_INT.encode() + b"}\n",
        "wrong-shape": b"[1, 2]\n",
        "wrong-types": b'{"model": 5, "tasks": [], "categories": "x"}\n',
        "garbage": _garbage("results"),
    }
    cases = []
    for variant, data in files.items():
        path = _write(base / variant / "results.json", data)
        out = base / variant / "board"
        cases.append(
            Case(
                f"leaderboard-{variant}",
                "results",
                _cli("bench", "leaderboard", path, "--out", out),
                2,
                [str(path)],
                watch=[str(base / variant)],
            )
        )
    return cases


# ---------------------------------------------------------------------------------------------
# Path arguments of every command


def _cli_path_cases(base: Path, good: Path) -> list[Case]:
    a_file = _write(base / "a-file.txt", "a file, not a folder\n")
    a_folder = base / "a-folder"
    a_folder.mkdir(parents=True, exist_ok=True)
    _write(a_folder / "keep.txt", "kept\n")
    under_file = a_file / "below"
    missing = base / "missing" / "nothing-here"
    task_file = _write(
        base / "task9001_toy_fact_verification.json",
        (FIXTURES / "validator" / "task9001_toy_fact_verification.json").read_bytes(),
    )
    predictions = _write(base / "p.jsonl", b'{"id": "task124:1", "output": "yes"}\n')
    results = _write(base / "results.json", b'{"model": "m", "tasks": {}, "categories": {}}\n')
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
        cases.append(Case(name, "cli-path", _cli(*argv), code, names, watch=watched))

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
        yield "garbage", meta, _garbage(meta)
        yield "truncated", meta, data[: len(data) // 2]
        yield "latin1", meta, _not_utf8(data)
        yield "nested", meta, _nested_json()
        yield "huge-int", meta, b"[" + HUGE_INT.encode() + b"]"
        yield "wrong-shape", meta, b'{"tasks": 5}' if meta.endswith("tasks.json") else b"[1, 2, 3]"
        yield "empty", meta, b""
        yield "symlink-out", meta, None
    manifest = json.loads((good / "meta/manifest.json").read_bytes())
    yield "wrong-types", "meta/manifest.json", json.dumps({**manifest, "tasks": {"task124_x": 5}}).encode()
    yield "escaping-task", "meta/manifest.json", None
    yield "escaping-task", "meta/tasks.json", None
    yield "escaping-path", "meta/manifest.json", None
    yield "garbage", "meta/paraphrases.json", _garbage("paraphrases")
    yield "nested", "meta/paraphrases.json", _nested_object()
    yield "wrong-shape", "meta/paraphrases.json", b"[1]"
    yield "garbage", "README.md", _garbage("readme")
    yield "latin1", "README.md", _not_utf8((good / "README.md").read_bytes())
    parquet = sorted(good.glob("data/*/train-*.parquet"))[0].relative_to(good).as_posix()
    data = (good / parquet).read_bytes()
    yield "garbage", parquet, _garbage("parquet")
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
        copy = _write(outside / Path(name).name, target.read_bytes())
        target.unlink()
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
            _write(store / "meta/manifest.json", json.dumps(manifest))
        else:
            _write(store / "meta/tasks.json", json.dumps(tasks))


def _store_file_cases(base: Path, good: Path) -> list[Case]:
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
                    _cli(*argv),
                    code,
                    [name, store.name],
                    watch=watch,
                    api=("load_dataset", str(store)) if command == "export" and loaded else None,
                )
            )
    return cases


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    made = generate(Path(sys.argv[1]))
    for case in made:
        print(f"{case.kind}\t{case.id}\t{' '.join(case.argv)}")
    counts: dict[str, int] = {}
    for case in made:
        counts[case.kind] = counts.get(case.kind, 0) + 1
    print(f"{len(made)} cases: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())), file=sys.stderr)
