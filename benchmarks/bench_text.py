"""The text repairs of the record conversion: characters per second on real text, against ftfy's
`fix_text` on every field (what a user would otherwise run) and the normal form before the repairs
(line ends and control characters only).

    python benchmarks/bench_text.py [--real ../shared/real-corpora] [--repeat 20]

The texts are the text lines of the real samples (one field per line, as the records hold them), by
script: Latin (English, Spanish, Catalan, French), Cyrillic (Russian), CJK (Japanese). Each function
runs in its own process over the same texts.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from measure import machine, ratio, run, table

SAMPLES = {
    "Latin": ["headqa", "catalonia_independence", "frenchmedmcqa", "pubmedqa", "bioasq"],
    "Cyrillic": ["rumedbench"],
    "CJK": ["igakuqa"],
}
PREVIOUS = """
from meds_ins._records.text import _CONTROL, _repair_control

def previous(text):
    text = text.replace("\\r\\n", "\\n").replace("\\r", "\\n") if "\\r" in text else text
    return (_CONTROL.sub(_repair_control, text) if _CONTROL.search(text) else text).strip()
"""
FUNCTIONS = {
    "meds-ins clean_text": ("from meds_ins._records.text import clean_text", "clean_text"),
    "before the repairs": (PREVIOUS, "previous"),
    "ftfy.fix_text": ("from ftfy import fix_text", "fix_text"),
}


def texts(real: Path, slugs: list[str]) -> list[str]:
    """Every string value of the JSON files and every line of the other text files."""
    found: list[str] = []

    def strings(value: object) -> None:
        if isinstance(value, str) and value.strip():
            found.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                strings(v)
        elif isinstance(value, list):
            for v in value:
                strings(v)

    for slug in slugs:
        for path in sorted((real / slug).rglob("*")):
            if path.suffix == ".jsonl":
                for line in path.read_text(encoding="utf-8").splitlines():
                    strings(json.loads(line))
            elif path.suffix == ".json":
                strings(json.loads(path.read_text(encoding="utf-8")))
            elif path.suffix in (".csv", ".txt", ".tsv"):
                found += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "real-corpora"
    parser.add_argument("--real", type=Path, default=default)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"Machine: {machine()}\n")
    rows = []
    scratch = Path(tempfile.mkdtemp(prefix="bench-text-"))
    for script, slugs in SAMPLES.items():
        sample = texts(args.real, slugs)
        chars = sum(map(len, sample)) * args.repeat
        (scratch / "texts.json").write_text(json.dumps(sample), encoding="utf-8")
        speeds = {}
        for label, (imports, name) in FUNCTIONS.items():
            body = f"""
                texts = json.loads(open({str(scratch / "texts.json")!r}, encoding="utf-8").read())
                # start
                for _ in range({args.repeat}):
                    for t in texts:
                        {name}(t)
                result = {{}}
            """
            seconds = run(imports, body)["seconds"]
            speeds[label] = seconds
        ours = speeds["meds-ins clean_text"]
        rows.append(
            [
                script,
                f"{chars / 1e6:.1f} M",
                *(f"{chars / s / 1e6:.1f} Mchar/s" for s in speeds.values()),
                ratio(speeds["ftfy.fix_text"], ours),
                f"{ours / speeds['before the repairs']:.1f}x",
            ]
        )
    header = ["script", "characters", *FUNCTIONS, "speed-up over ftfy", "cost over before"]
    print(table(header, rows))
    shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
