"""Task files in the released MedS-Ins (natural-instructions) layout, written for tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TOY = "task9001_toy_fact_verification"
FINDINGS = ("no evidence of benefit", "a clear reduction in symptoms", "mixed results", "a small improvement")


def instances(n: int = 30, start: int = 0, prefix: str = "task9001") -> list[dict[str, Any]]:
    """Distinct claims with balanced yes/no answers."""
    return [
        {
            "id": f"{prefix}-{i:04x}",
            "input": f"Claim {i}: drug D{i} lowers blood pressure. Evidence: trial {i} of {20 + i} adults "
            f"found {FINDINGS[i % 4]}.",
            "output": ["yes" if i % 2 else "no"],
        }
        for i in range(start, start + n)
    ]


def task(**changes: Any) -> dict[str, Any]:
    """A clean task object; `changes` replace keys (None removes a key)."""
    value: dict[str, Any] = {
        "Contributors": ["meds-ins tests"],
        "Source": ["toy_source"],
        "URL": ["https://example.org/toy"],
        "Categories": ["Fact Verification"],
        "Reasoning": [],
        "Definition": ["Decide whether the evidence supports the claim. Answer yes or no."],
        "Input_language": ["English"],
        "Output_language": ["English"],
        "Instruction_language": ["English"],
        "Domains": ["Medicine"],
        "Positive Examples": [],
        "Negative Examples": [],
        "Instances": instances(),
    }
    for key, new in changes.items():
        if new is None:
            value.pop(key, None)
        else:
            value[key] = new
    if "Instances" in value:  # Instances last, as in the released files
        value["Instances"] = value.pop("Instances")
    return value


def write(folder: Path, name: str, value: Any, *, suffix: str = ".json") -> Path:
    """Pretty-printed like the released files (4-space indent, non-ASCII kept)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}{suffix}"
    path.write_text(json.dumps(value, indent=4, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """The line number of the n-th line containing `needle`."""
    hits = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    return hits[occurrence - 1]
