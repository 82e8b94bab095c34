"""Input and output layouts that several builders share, so that one kind of task reads the same everywhere.

Scorers rely on these: multiple-choice answers are also in `meta["answer"]` as option letters, and
entity sets in `meta["entities"]` as a list, so nobody has to parse the display strings back. Where an
answer is read back from text (a model's prediction, a reference without meta), the reader of its
layout lives here beside the writer: `read_entity_list` for `entity_list`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

# The single way an empty entity set is written (the convention of the published NER benchmark files).
NO_ENTITY = "There is no related entity."
# One mention per line: real mentions hold ", " ("cancer of the renal pelvis, ureter or bladder" in
# BC5CDR, "autoimmune lymphoproliferative syndrome, type Ia" in NCBI Disease), never a line break.
ENTITY_SEPARATOR = "\n"


def multiple_choice(
    question: str, options: Mapping[str, str], answers: Sequence[str], options_label: str = "Options"
) -> tuple[str, list[str], dict[str, Any]]:
    """(input, outputs, meta) for a multiple-choice question. `answers` are option letters.

    Outputs: the primary answer spells out letter and text ("B. Aspirin"); the letter alone ("B") is
    also accepted. Several correct options are joined ("A. x; C. y", then "A, C").
    """
    missing = [a for a in answers if a not in options]
    if not answers or missing:
        raise ValueError(f"answer letter(s) {missing or answers!r} not among options {list(options)}")
    lines = [question.strip(), "", f"{options_label}:"]
    lines += [f"{letter}. {text.strip()}" for letter, text in options.items()]
    primary = "; ".join(f"{a}. {options[a].strip()}" for a in answers)
    letters = ", ".join(answers)
    meta = {"options": dict(options), "answer": list(answers)}
    return "\n".join(lines), [primary, letters], meta


def entity_instruction(what: str, unit: str = "sentence") -> str:
    """The instruction of an entity-set task, stating the answer layout the scorers read."""
    return (
        f"List every {what} mentioned in the {unit} below. Give each distinct mention once, exactly as "
        f"written, one per line, in order of appearance. If there is none, reply: {NO_ENTITY}"
    )


def entity_list(entities: Iterable[str]) -> tuple[str, dict[str, Any]]:
    """(output, meta) for an entity-set answer: the distinct strings in first-seen order, one per line,
    or NO_ENTITY for none."""
    distinct = list(dict.fromkeys(e.strip() for e in entities if e.strip()))
    output = ENTITY_SEPARATOR.join(distinct) if distinct else NO_ENTITY
    return output, {"entities": distinct}


def typed_entity_list(pairs: Iterable[tuple[str, str]]) -> tuple[str, dict[str, Any]]:
    """(output, meta) for typed entities: one 'Type: mention' line per distinct pair, first-seen order.

    `meta["entities"]` holds the same 'Type: mention' strings, so a typed set is scored like an untyped
    one; the empty set is NO_ENTITY, as in `entity_list`.
    """
    items = [f"{kind.strip()}: {text.strip()}" for kind, text in pairs if text.strip()]
    return entity_list(items)


def located_entity_list(
    text: str, spans: Iterable[tuple[int, int] | tuple[int, int, str]]
) -> tuple[str, dict[str, Any]]:
    """(output, meta) for mentions given by character offsets into `text`, the record's input.

    A span is (start, end), end exclusive, or (start, end, type) for a typed list (`typed_entity_list`).
    The answer is the entity list of the mentions in text order; `meta["spans"]` keeps every mention
    as `{"start", "end", "text"}` (and `"type"`), so that `input[start:end] == text`. Whitespace at a
    span's edges is trimmed; a span outside the text is a ValueError.
    """
    located = []
    for span in sorted(set(spans)):
        start, end = span[0], span[1]
        if not 0 <= start < end <= len(text):
            raise ValueError(f"span {start}-{end} is outside the text of {len(text)} characters")
        start += len(text[start:end]) - len(text[start:end].lstrip())
        end -= len(text[start:end]) - len(text[start:end].rstrip())
        if start < end:
            located.append({"start": start, "end": end, "text": text[start:end], **_typed(span)})
    if any("type" in s for s in located):
        output, meta = typed_entity_list((s["type"], s["text"]) for s in located)
    else:
        output, meta = entity_list(s["text"] for s in located)
    return output, {**meta, "spans": located}


def _typed(span: tuple) -> dict[str, str]:
    return {"type": span[2]} if len(span) > 2 else {}


_BULLET = re.compile(r"^(?:[-*\u2022]|\d+[.)])\s+")
_INLINE_SEPARATOR = re.compile(r"\s*(?:,\s+|;)\s*")


def entity_key(entity: str) -> str:
    """The form in which entities are compared: case folded, whitespace collapsed, no edge spaces or dots."""
    return " ".join(entity.casefold().split()).strip(" .")


def read_entity_list(answer: str, known: Collection[str] = ()) -> list[str]:
    """The entities of an entity-list answer, as the scorers read references and predictions.

    - NO_ENTITY anywhere means no entity; a JSON list of strings gives its items;
    - several lines (the layout `entity_list` writes): one entity per line, never split; bullets and
      numbering ("- ", "* ", "1. ", "2) ") and trailing commas or semicolons are removed, and a header
      line ending in ":" ("Chemicals:") is skipped;
    - one line: split at commas followed by a space and at semicolons ("aspirin, heparin").
    `known` holds entities that must be read whole (normally the reference's): a line that is one of
    them is taken as it is, and pieces of a line that together form one stay one entity, so no
    reference entity is ever split or trimmed.
    """
    text = answer.strip()
    if entity_key(NO_ENTITY) in entity_key(text):
        return []
    if text.startswith("[") and text.endswith("]"):
        try:
            items = json.loads(text)
        except ValueError:
            items = None
        if isinstance(items, list) and all(isinstance(i, str) for i in items):
            return [i.strip() for i in items if i.strip()]
    keys = {entity_key(k) for k in known}
    lines = [_entity_line(line.strip(), keys) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) != 1:
        return lines
    return _split_line(lines[0], keys)


def _entity_line(line: str, known: set[str]) -> str:
    """A line without its bullet and trailing separator, or "" for a header; a known entity as it is."""
    if entity_key(line) in known:
        return line
    line = _BULLET.sub("", line).rstrip(",; ")
    return "" if line.endswith(":") else line


def _split_line(line: str, known: set[str]) -> list[str]:
    """A one-line list split at its separators, keeping together runs of pieces that form a known entity."""
    bounds = [0]
    for separator in _INLINE_SEPARATOR.finditer(line):
        bounds += [separator.start(), separator.end()]
    bounds.append(len(line))
    pieces = list(zip(bounds[::2], bounds[1::2]))  # (start, end) of each piece
    longest = max((len(_INLINE_SEPARATOR.split(k)) for k in known), default=1)  # pieces in a known entity
    found, i = [], 0
    while i < len(pieces):
        # the longest run of pieces from i that is a known entity, else the piece alone
        runs = range(min(i + longest, len(pieces)) - 1, i, -1)
        last = next((j for j in runs if entity_key(line[pieces[i][0] : pieces[j][1]]) in known), i)
        found.append(line[pieces[i][0] : pieces[last][1]].strip())
        i = last + 1
    return [f for f in found if f]


def labelled(*parts: tuple[str, str]) -> str:
    """'Label: text' blocks separated by blank lines, skipping empty texts."""
    return "\n\n".join(f"{label}: {text.strip()}" for label, text in parts if text and text.strip())


def answered_choice(
    question: str,
    options: Mapping[str, str],
    answers: Sequence[str],
    options_label: str = "Options",
    answer_label: str = "Answer",
) -> tuple[str, dict[str, Any]]:
    """(input, meta) for explaining a multiple-choice answer: the question, its options, then the answer.

    The input is the `multiple_choice` input followed by "Answer: B. Aspirin" (the primary output of
    `multiple_choice`); meta is the same, so explanation tasks record options and answer letters uniformly.
    """
    text, outputs, meta = multiple_choice(question, options, answers, options_label)
    return f"{text}\n\n{answer_label}: {outputs[0]}", meta


# Several labels of a multi-label classification, in one line. Semicolons, because some label names hold
# commas (MeSH categories such as "Chemicals and Drugs [D]" sit beside "Analytical, Diagnostic and ...").
LABEL_SEPARATOR = "; "


def label_set(labels: Iterable[str], order: Sequence[str], none: str) -> tuple[str, dict[str, Any]]:
    """(output, meta) for a multi-label answer: the distinct labels in the fixed `order`, or `none`.

    `order` lists every allowed label; the caller checks labels against it first. `meta["labels"]` holds
    the list, so scorers need not split the display string.
    """
    present = set(labels)
    chosen = [label for label in order if label in present]
    unknown = present - set(order)
    if unknown:
        raise ValueError(f"label(s) {sorted(unknown)} not among {list(order)}")
    return (LABEL_SEPARATOR.join(chosen) if chosen else none), {"labels": chosen}
