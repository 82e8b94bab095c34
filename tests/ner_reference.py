"""Entity sets read straight from raw NER files, without the package's parsers, to check builders against."""

from __future__ import annotations

from pathlib import Path


def iob_sentences(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line of the first token, tokens joined by spaces, distinct mentions in order) per sentence."""
    found = []
    line_no, tokens, mentions, current = 0, [], [], []
    lines = path.read_text(encoding="utf-8").split("\n")
    for number, line in enumerate([*lines, ""], start=1):
        if not line.strip():
            if current:
                mentions.append(" ".join(current))
            if tokens:
                found.append((line_no, " ".join(tokens), list(dict.fromkeys(mentions))))
            tokens, mentions, current = [], [], []
            continue
        token, tag = line.split("\t")[0], line.split("\t")[-1]
        if not tokens:
            line_no = number
        tokens.append(token)
        if tag.startswith("B") or (tag.startswith("I") and not current):
            if current:
                mentions.append(" ".join(current))
            current = [token]
        elif tag.startswith("I"):
            current.append(token)
        else:
            if current:
                mentions.append(" ".join(current))
            current = []
    return found
