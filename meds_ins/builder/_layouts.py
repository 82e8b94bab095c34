"""Input and output layouts that several builders share, so that one kind of task reads the same everywhere.

Scorers rely on these: multiple-choice answers are also in `meta["answer"]` as option letters, and
entity sets in `meta["entities"]` as a list, so nobody has to parse the display strings back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# The single way an empty entity set is written (the convention of the published NER benchmark files).
NO_ENTITY = "There is no related entity."
ENTITY_SEPARATOR = ", "


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
    """The instruction of an entity-set task, stating the answer format the scorers read."""
    return (
        f"List every {what} mentioned in the {unit} below. Give each distinct mention once, exactly as "
        f"written, separated by commas, in order of appearance. If there is none, reply: {NO_ENTITY}"
    )


def entity_list(entities: Iterable[str]) -> tuple[str, dict[str, Any]]:
    """(output, meta) for an entity-set answer: distinct strings in first-seen order, or NO_ENTITY."""
    distinct = list(dict.fromkeys(e.strip() for e in entities if e.strip()))
    output = ENTITY_SEPARATOR.join(distinct) if distinct else NO_ENTITY
    return output, {"entities": distinct}


def typed_entity_list(pairs: Iterable[tuple[str, str]]) -> tuple[str, dict[str, Any]]:
    """(output, meta) for typed entities: one 'Type: mention' line per distinct pair, first-seen order.

    `meta["entities"]` holds the same 'Type: mention' strings, so a typed set is scored like an untyped
    one; the empty set is NO_ENTITY, as in `entity_list`.
    """
    items = [f"{kind.strip()}: {text.strip()}" for kind, text in pairs if text.strip()]
    distinct = list(dict.fromkeys(items))
    return ("\n".join(distinct) if distinct else NO_ENTITY), {"entities": distinct}


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
