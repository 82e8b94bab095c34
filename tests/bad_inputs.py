"""The corpus of bad inputs: every file and path argument a hostile or careless user can hand meds-ins.

`generate(root)` writes the inputs under `root` and returns the cases; tests/test_bad_inputs.py runs each
through the command line (and the Python API where one applies) and checks the exit code, that the
message names the file, and that nothing was written or changed. Everything here is made by this
script from the package's own fixtures; no broken file is kept in the repository.

    python tests/bad_inputs.py OUT     # write the corpus to OUT and list its cases (kind, id, command)
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
BINARY = (".zip", ".xlsx", ".gz")
JSONISH = (".json", ".jsonl")
# Builders that read text records where null counts as empty: every record is then skipped, and counted.
NULL_IS_EMPTY = {"chatdoctor", "medalpaca", "readability_plos", "wikidoc"}
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
    from bad_inputs_stores import cli_path_cases, store_file_cases

    good = _good_store(root / "good-store")
    cases: list[Case] = []
    cases += _raw_file_cases(root / "raw", good)
    cases += _task_file_cases(root / "task-files", good)
    cases += _prediction_cases(root / "predictions", good)
    cases += _paraphrase_cases(root / "paraphrases", good)
    cases += _results_cases(root / "results")
    cases += cli_path_cases(root / "paths", good)
    cases += store_file_cases(root / "stores", good)
    return cases


# ---------------------------------------------------------------------------------------------
# Helpers


def _good_store(path: Path) -> Path:
    """A small valid store (two demo corpora) that bad inputs aimed at it must leave as it was."""
    if not (path / "meta" / "manifest.json").is_file():
        from meds_ins._building.run import build

        build(["pubmedqa", "medqa"], FIXTURES, path, progress=False, miniature=True)
    return path


def not_utf8(data: bytes) -> bytes:
    """Latin-1 text: the bytes of 'é' where a UTF-8 reader expects a continuation."""
    cut = data.find(b"\n") + 1 or len(data) // 2
    return data[:cut] + "fébrile".encode("latin-1") + data[cut:]


def utf16(data: bytes) -> bytes:
    return data.decode("utf-8", errors="replace").encode("utf-16")


def garbage(seed: str, size: int = 4096) -> bytes:
    rng = random.Random(seed)
    return b"\xff\x00" + bytes(rng.randrange(256) for _ in range(size))


def nested_json() -> bytes:
    return b"[" * DEEP + b"]" * DEEP + b"\n"


def nested_object() -> bytes:
    return (b'{"a":' * DEEP) + b"1" + (b"}" * DEEP) + b"\n"


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def cli(*args: object) -> list[str]:
    return [str(a) for a in args]


# ---------------------------------------------------------------------------------------------
# Raw files of every builder (the format readers)


def _raw_variants(path: Path) -> Iterator[tuple[str, bytes]]:
    data = path.read_bytes()
    if path.suffix in BINARY:
        yield "garbage", garbage(path.name)
        yield "truncated", data[: len(data) // 2]
        return
    yield "latin1", not_utf8(data)
    yield "utf16", utf16(data)
    if path.suffix in JSONISH:
        yield "nested", nested_json()
        yield "huge-int", b'[{"a": ' + HUGE_INT.encode() + b"}]\n"
        yield "nulls", _json_leaves(data, None)  # a null question, a null answer...
        yield "numbers", _json_leaves(data, 7)


def _json_leaves(data: bytes, value: object) -> bytes:
    """The JSON (or JSON Lines) text with every string that is a value, not a key, replaced by `value`."""

    def swap(node: object) -> object:
        if isinstance(node, dict):
            return {k: swap(v) for k, v in node.items()}
        if isinstance(node, list):
            return [swap(v) for v in node]
        return value if isinstance(node, str) else node

    text = data.decode("utf-8-sig")
    try:
        return json.dumps(swap(json.loads(text))).encode()
    except json.JSONDecodeError:  # JSON Lines
        lines = [json.dumps(swap(json.loads(line))) for line in text.splitlines() if line.strip()]
        return "\n".join(lines).encode() + b"\n"


def _raw_file_cases(base: Path, good: Path) -> list[Case]:
    cases = []
    for fixture in sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name != "validator"):
        if not (REPO / "builders" / f"{fixture.name}.py").is_file():
            continue
        files = sorted(p for p in fixture.rglob("*") if p.is_file())
        kinds = {"binary" if f.suffix in BINARY else "text" for f in files}
        variants = ["latin1", "utf16", "nested", "huge-int", "nulls", "numbers"] if "text" in kinds else []
        variants += ["garbage", "truncated"] if "binary" in kinds else []
        if fixture.name in NULL_IS_EMPTY:
            variants.remove("nulls")
        for variant in variants:
            raw = base / f"{fixture.name}-{variant}"
            broken = []
            for f in files:
                target = raw / fixture.name / f.relative_to(fixture)
                produced = dict(_raw_variants(f))
                data = produced.get(variant)
                write(target, data if data is not None else f.read_bytes())
                if data is not None:
                    broken.append(str(target))
            if not broken:
                continue
            cases.append(
                Case(
                    f"build-{fixture.name}-{variant}",
                    "raw-file",
                    cli("build", fixture.name, "--raw", raw, "--store", good, "--quiet"),
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
    yield "latin1", write(base / "latin1" / name, not_utf8(clean)), 1
    yield "utf16", write(base / "utf16" / name, utf16(clean)), 1
    yield "nested", write(base / "nested" / name, nested_json()), 1
    yield "nested-object", write(base / "nested-object" / name, nested_object()), 1
    deep_instance = clean.replace(b'"Instances": [', b'"Instances": [' + b"[" * DEEP + b"]" * DEEP + b",")
    yield "nested-instance", write(base / "nested-instance" / name, deep_instance), 1
    big = dict(task, Instances=[{"id": "task9001-1", "input": "x", "output": ["y"], "n": 0}])
    text = json.dumps(big).replace('"n": 0', f'"n": {HUGE_INT}')
    yield "huge-int", write(base / "huge-int" / name, text), 1
    surrogate = dict(task, Instances=[{"id": "task9001-1", "input": "PLACEHOLDER", "output": ["y"]}])
    text = json.dumps(surrogate).replace("PLACEHOLDER", "\\ud800 lone \\udfff")
    yield "surrogate", write(base / "surrogate" / name, text), 1
    yield "split-type", write(base / "split-type" / name, json.dumps({**task, "Split Type": ["odd"]})), 1
    yield "split-type-number", write(base / "split-type-n" / name, json.dumps({**task, "Split Type": 7})), 1
    yield "truncated", write(base / "truncated" / name, clean[: len(clean) // 2]), 1
    yield "garbage", write(base / "garbage" / name, garbage("task")), 1
    yield "empty", write(base / "empty" / name, b""), 1
    yield "array-of-numbers", write(base / "numbers" / name, "[1, 2, 3]"), 1


def _task_file_cases(base: Path, good: Path) -> list[Case]:
    cases = []
    for variant, path, code in _task_file_variants(base):
        cases.append(Case(f"validate-task-{variant}", "task-file", cli("validate", path), code, [str(path)]))
        cases.append(
            Case(
                f"import-task-{variant}",
                "task-file",
                cli("import", path, "--store", good, "--quiet"),
                1,
                [str(path)],
                watch=[str(good)],
            )
        )
    folder = base / "no-task-files"
    write(folder / "notes.txt", "nothing here")
    cases.append(
        Case("validate-folder-without-task-files", "task-file", cli("validate", folder), 2, [str(folder)])
    )
    return cases


# ---------------------------------------------------------------------------------------------
# Prediction files, paraphrase files, results files


def _prediction_cases(base: Path, good: Path) -> list[Case]:
    csv_text = b"task_id,input,GT,output\ntask124,Is it?,yes,yes\n"
    jsonl_text = b'{"id": "task124:1", "output": "yes"}\n'
    files = {
        "csv-latin1": ("p.csv", not_utf8(csv_text)),
        "csv-utf16": ("p.csv", utf16(csv_text)),
        "csv-garbage": ("p.csv", garbage("csv")),
        "csv-empty": ("p.csv", b""),
        "csv-no-header": ("p.csv", b"task124,Is it?,yes,yes\n"),
        "csv-unclosed-quote": ("p.csv", b'task_id,input,GT,output\ntask124,"Is it?,yes,yes\n'),
        "jsonl-latin1": ("p.jsonl", not_utf8(jsonl_text)),
        "jsonl-utf16": ("p.jsonl", utf16(jsonl_text)),
        "jsonl-nested": ("p.jsonl", nested_json()),
        "jsonl-nested-object": ("p.jsonl", nested_object()),
        "jsonl-huge-int": ("p.jsonl", b'{"id": "task124:1", "output": ' + HUGE_INT.encode() + b"}\n"),
        "jsonl-garbage": ("p.jsonl", garbage("jsonl")),
        "jsonl-not-object": ("p.jsonl", b"[1, 2]\n"),
        "txt-suffix": ("p.txt", jsonl_text),
    }
    cases = []
    for variant, (name, data) in files.items():
        path = write(base / variant / name, data)
        out = base / variant / "results.json"
        cases.append(
            Case(
                f"score-{variant}",
                "predictions",
                cli("bench", "score", path, "--store", good, "--out", out),
                2,
                [str(path)],
                watch=[str(base / variant)],
            )
        )
    return cases


def _paraphrase_cases(base: Path, good: Path) -> list[Case]:
    files = {
        "latin1": not_utf8(b'{"task124": {"original_def": "x", "auto_rewrite_def": ["y"]}}\n'),
        "utf16": utf16(b'{"task124": {"original_def": "x", "auto_rewrite_def": ["y"]}}\n'),
        "nested": nested_object(),
        "huge-int": b'{"task124": ' + HUGE_INT.encode() + b"}\n",
        "wrong-shape": b'["task124"]\n',
        "entry-not-list": b'{"task124": {"original_def": "x", "auto_rewrite_def": "y"}}\n',
        "garbage": garbage("paraphrases"),
        "empty": b"",
    }
    argv = ["import", "--paraphrases", "{path}", "--store", good, "--quiet"]
    return _one_file_cases(base, "paraphrases", "paraphrases.json", files, argv, 1, [str(good)])


def _results_cases(base: Path) -> list[Case]:
    files = {
        "latin1": not_utf8(b'{"model": "m", "tasks": {}, "categories": {}}\n'),
        "utf16": utf16(b'{"model": "m", "tasks": {}, "categories": {}}\n'),
        "nested": nested_object(),
        "huge-int": b'{"model": ' + HUGE_INT.encode() + b"}\n",
        "wrong-shape": b"[1, 2]\n",
        "wrong-types": b'{"model": 5, "tasks": [], "categories": "x"}\n',
        "garbage": garbage("results"),
    }
    argv = ["bench", "leaderboard", "{path}", "--out", "{folder}/board"]
    return _one_file_cases(base, "results", "results.json", files, argv, 2)


def _one_file_cases(
    base: Path, kind: str, name: str, files: dict[str, bytes], argv: list[object], code: int, watch=()
) -> list[Case]:
    """A case per variant: the file `name` holding the variant's bytes, handed to the command `argv`
    (where "{path}" and "{folder}" stand for the file and its folder)."""
    cases = []
    for variant, data in files.items():
        path = write(base / variant / name, data)
        given = [str(a).format(path=path, folder=path.parent) for a in argv]
        prefix = "leaderboard" if kind == "results" else f"import-{kind}"
        cases.append(
            Case(f"{prefix}-{variant}", kind, given, code, [str(path)], watch=[*watch, str(path.parent)])
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
