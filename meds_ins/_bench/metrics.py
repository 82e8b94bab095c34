"""Scoring one prediction against its reference, with the published metric semantics minus their bugs.

Where this differs from the published scorer it says so:
- multiple choice reads the option the answer commits to (a leading letter, else the earliest option
  text, else a standalone letter), not only the first character, so "maybe" and "(B)" are scored;
- label words are matched as whole words ("no" is not found inside "not" or "know");
- BLEU-1 and ROUGE-L tokenize per language (Unicode words; jieba for Chinese, Janome for Japanese),
  because the default ROUGE tokenizer drops every non-ASCII letter and would score Russian as empty;
- entity lists are read with the layout's own reader (`read_entity_list`), which never splits an
  entity at a comma, and substring accuracy of a list asks for each entity, in any layout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from meds_ins.builder._layouts import entity_key
from meds_ins.builders.hoc import HALLMARKS  # the names the HoC builder writes, one list for both

_WORD = re.compile(r"\w+", re.UNICODE)


def normalize(text: str) -> str:
    return " ".join(text.casefold().split())


def _word_at(text: str, word: str) -> int:
    """Position of `word` as a whole word in `text` (case-insensitive), or -1."""
    match = re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", text.lower())
    return match.start() if match else -1


# -- overlap metrics ---------------------------------------------------------------------------


@cache
def _janome():
    from janome.tokenizer import Tokenizer

    return Tokenizer(wakati=True)


@cache
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def tokens(text: str, language: str = "en") -> list[str]:
    """Lower-cased word tokens: jieba for Chinese, Janome for Japanese, Unicode words otherwise."""
    if language == "zh":
        return [t for t in (w.strip().lower() for w in _jieba().lcut(text)) if t and _WORD.search(t)]
    if language == "ja":
        return [t for t in (w.strip().lower() for w in _janome().tokenize(text)) if t and _WORD.search(t)]
    return _WORD.findall(text.lower())


class _Tokenizer:
    """The tokenizer interface rouge_score expects."""

    def __init__(self, language: str) -> None:
        self.language = language

    def tokenize(self, text: str) -> list[str]:
        return tokens(text, self.language)


@cache
def _rouge(language: str):
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rougeL"], tokenizer=_Tokenizer(language))


def bleu1(prediction: str, reference: str, language: str = "en") -> float:
    """Sentence BLEU with unigram weight only and NLTK's method1 smoothing, in [0, 1]."""
    from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu

    hypothesis, ref = tokens(prediction, language), tokens(reference, language)
    if not hypothesis or not ref:
        return 0.0
    return float(
        sentence_bleu([ref], hypothesis, weights=(1, 0, 0, 0), smoothing_function=SmoothingFunction().method1)
    )


def rouge_l(prediction: str, reference: str, language: str = "en") -> float:
    """F-measure of the longest-common-subsequence ROUGE, in [0, 1]."""
    return float(_rouge(language).score(reference, prediction)["rougeL"].fmeasure)


# -- choices and labels ------------------------------------------------------------------------

_PREFIX = re.compile(
    r"^\s*(?:the\s+)?(?:correct\s+|best\s+)?(?:answers?|options?|choices?)\s*(?:is|are)?\s*[:：]?\s*",
    re.IGNORECASE,
)
# A letter standing as an answer: bracketed or not, then punctuation, the end, or a capitalised option text
# ("A diagnosis of..." starts with the article, not option A).
_LETTER = re.compile(r"[(\[]?([A-Za-z])[)\]]?(?=$|[.,:;)\]]|\s+(?:[A-Z0-9(\[]|$))")
_SEPARATOR = re.compile(r"[\s.,:;&]*(?:and\s+)?")


def chosen_options(prediction: str, options: Mapping[str, str]) -> set[str]:
    """The option letters an answer commits to.

    Leading letters win ("B", "(B)", "Answer: B. Aspirin", "A, C", and "A. Aspirin; C. Heparin", the
    layout of several answers); else the option whose text appears first; else the first standalone
    option letter anywhere.
    """
    letters = {k.upper(): k for k in options}
    text = _PREFIX.sub("", prediction.strip(), count=1)
    picked = _leading_letters(text, letters)
    if picked:
        for segment in re.split(r"[;\n]", text)[1:]:  # "A. x; C. y": each further part may open with one
            picked |= _leading_letters(segment.strip(), letters)
        return picked
    lowered = prediction.lower()
    found = sorted((lowered.find(t.strip().lower()), k) for k, t in options.items() if t.strip())
    found = [(pos, k) for pos, k in found if pos >= 0]
    if found:
        return {found[0][1]}
    standalone = re.search(r"(?<![A-Za-z])([A-Za-z])(?![A-Za-z])", prediction)
    if standalone and standalone.group(1).upper() in letters:
        return {letters[standalone.group(1).upper()]}
    return set()


def _leading_letters(text: str, letters: Mapping[str, str]) -> set[str]:
    """The option letters a text opens with ("B", "(B) x", "A, C", "A and C")."""
    picked: set[str] = set()
    while (match := _LETTER.match(text)) and match.group(1).upper() in letters:
        picked.add(letters[match.group(1).upper()])
        text = text[match.end() :]
        text = text[_SEPARATOR.match(text).end() :]
    return picked


def chosen_label(prediction: str, labels: Iterable[str]) -> str | None:
    """The label (yes/no/maybe, entailment/...) that appears first in the prediction as a whole word."""
    hits = [(pos, label) for label in labels if (pos := _word_at(prediction, label)) >= 0]
    return min(hits)[1] if hits else None


def choice_correct(
    prediction: str, reference: str, meta: Mapping[str, Any] | None, labels: Sequence[str]
) -> bool:
    if meta and meta.get("options") and meta.get("answer"):
        return chosen_options(prediction, meta["options"]) == set(meta["answer"])
    label = chosen_label(prediction, labels)
    return label is not None and label.lower() == reference.strip().lower()


def first_line_correct(prediction: str, reference: str, labels: Sequence[str]) -> bool:
    first = next((line for line in prediction.splitlines() if line.strip()), "")
    label = chosen_label(first, labels)
    return label is not None and label.lower() == reference.strip().lower()


def true_false_correct(prediction: str, reference: str) -> bool:
    truth = reference.strip().lower()
    if truth not in ("true", "false"):
        raise ValueError(f"reference {reference!r} is not True or False")
    opposite = "false" if truth == "true" else "true"
    return _word_at(prediction, truth) >= 0 and _word_at(prediction, opposite) < 0


def substring_correct(
    prediction: str, references: Sequence[str], entities: Sequence[str] | None = None
) -> bool:
    """A normalized reference occurs in the normalized prediction. For an entity-list answer (`entities`,
    the reference's entities) every entity must occur, whatever the layout the prediction lists them in."""
    said = normalize(prediction)
    if entities:
        return all(entity_key(e) in said for e in entities)
    return any(normalize(r) and normalize(r) in said for r in references)


# -- label sets ----------------------------------------------------------------------------------


def hallmarks(text: str) -> set[str]:
    said = text.lower()
    return {h for h in HALLMARKS if h.lower() in said}
