"""SQuAD-style question-answering JSON (COVID-QA, MASH-QA).

    {"data": [{"title": ..., "paragraphs": [{"context": "...", "qas": [
        {"id": ..., "question": "...", "is_impossible": false,
         "answers": [{"text": "...", "answer_start": 12}]}
    ]}]}]}

Corpora add keys of their own (MASH-QA: `sent_starts`, `answer_starts`); `SquadQuestion` keeps the raw
objects so builders can read them. Every message locates the question as `data[i].paragraphs[j].qas[k]`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from meds_ins._common.errors import RawFormatError
from meds_ins.formats.jsonfiles import read_json, require


@dataclass(frozen=True)
class SquadAnswer:
    text: str
    start: int | None  # character offset into the context, as released (may be wrong, see locate_answer)


@dataclass(frozen=True)
class SquadQuestion:
    where: str  # for messages: 'data[3].paragraphs[0].qas[5] (id 1719)'
    article: Mapping[str, Any]
    paragraph: Mapping[str, Any]
    qa: Mapping[str, Any]
    answers: tuple[SquadAnswer, ...]

    @property
    def id(self) -> str:
        return str(self.qa.get("id", ""))

    @property
    def question(self) -> str:
        return self.qa["question"]

    @property
    def context(self) -> str:
        return self.paragraph["context"]

    @property
    def is_impossible(self) -> bool:
        return bool(self.qa.get("is_impossible", False))


def iter_squad(path: Path) -> Iterator[SquadQuestion]:
    """Every question of a SQuAD-style file, in file order, with its structure checked."""
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise RawFormatError(path, None, 'expected a JSON object {"data": [articles]} (SQuAD format)')
    for a, article in enumerate(data["data"]):
        require(article, ("paragraphs",), path, f"data[{a}]")
        for p, paragraph in enumerate(_list(article["paragraphs"], path, f"data[{a}].paragraphs")):
            where_p = f"data[{a}].paragraphs[{p}]"
            require(paragraph, ("context", "qas"), path, where_p)
            if not isinstance(paragraph["context"], str):
                raise RawFormatError(path, where_p, "context must be a string")
            for q, qa in enumerate(_list(paragraph["qas"], path, f"{where_p}.qas")):
                where = f"{where_p}.qas[{q}]"
                if isinstance(qa, Mapping) and "id" in qa:
                    where += f" (id {qa['id']})"
                require(qa, ("question", "answers"), path, where)
                if not isinstance(qa["question"], str):
                    raise RawFormatError(path, where, "question must be a string")
                answers = tuple(_answer(a_, path, where) for a_ in _list(qa["answers"], path, where))
                yield SquadQuestion(where, article, paragraph, qa, answers)


def locate_answer(context: str, text: str, start: int | None) -> int | None:
    """Where `text` occurs in `context`: at `start` when the released offset is right, else at the
    occurrence nearest to it (some releases are off by a character or two), None when it is absent."""
    if start is not None and context[start : start + len(text)] == text:
        return start
    hits, at = [], context.find(text)
    while at != -1:
        hits.append(at)
        at = context.find(text, at + 1)
    if not hits:
        return None
    return min(hits, key=lambda h: abs(h - start)) if start is not None else hits[0]


def _list(value: Any, path: Path, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise RawFormatError(path, where, f"expected a JSON array, found {type(value).__name__}")
    return value


def _answer(answer: Any, path: Path, where: str) -> SquadAnswer:
    require(answer, ("text",), path, where)
    start = answer.get("answer_start")
    if not isinstance(answer["text"], str) or not (start is None or isinstance(start, int)):
        raise RawFormatError(path, where, "an answer needs a string text and an integer answer_start")
    return SquadAnswer(answer["text"], start)
