"""Turning records into prompts, for training exports and for MedS-Bench alike.

A prompt is the task's instruction (or a paraphrase of it), k worked examples, and the instance:

    <instruction>

    Input:
    <example input>
    Output:
    <example output>

    Input:
    <input>
    Output:

As chat messages the instruction and the examples form the system turn and the instance the user turn
(the layout of the published MedS-Bench evaluation); the answer, when given, is the assistant turn.

Examples are drawn deterministically from a seed and never include the item being asked (nor another
record with the same input); the published evaluation code could draw the test item as its own example.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Record = Mapping[str, Any]
Message = dict[str, str]


def _draw(seed: int | str, *parts: str) -> int:
    """A deterministic pseudo-random integer from a seed and strings (stable across runs and machines)."""
    digest = hashlib.sha256("\x00".join([str(seed), *parts]).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def instruction_for(record: Record, paraphrases: Sequence[str] = (), seed: int | str = 0) -> str:
    """The record's instruction, or one of its task's paraphrases drawn by the seed and the record id."""
    if not paraphrases:
        return record["instruction"]
    from meds_ins._store.paraphrases import draw_instruction

    return draw_instruction(record["id"], record["instruction"], list(paraphrases), seed)


def _block(record: Record, answer: bool) -> str:
    text = f"Input:\n{record['input']}\nOutput:\n"
    return text + record["output"][0] if answer else text


@dataclass(frozen=True)
class Prompt:
    """A record rendered with its instruction and examples."""

    instruction: str
    shots: tuple[Record, ...]
    record: Record

    @property
    def system(self) -> str:
        return "\n\n".join([self.instruction, *(_block(s, answer=True) for s in self.shots)])

    @property
    def user(self) -> str:
        return _block(self.record, answer=False)

    @property
    def answer(self) -> str:
        return self.record["output"][0]

    def text(self, with_answer: bool = False) -> str:
        prompt = f"{self.system}\n\n{self.user}"
        return prompt + self.answer if with_answer else prompt

    def messages(self, with_answer: bool = False) -> list[Message]:
        turns = [{"role": "system", "content": self.system}, {"role": "user", "content": self.user}]
        if with_answer:
            turns.append({"role": "assistant", "content": self.answer})
        return turns


class ShotPool:
    """Candidate examples for one task, drawn deterministically and never including the query.

    Draws are O(k): indices come from a generator seeded by the seed and the query's id, so the same
    query gets the same examples on every run, and different queries get different ones.
    """

    def __init__(self, candidates: Sequence[Record]) -> None:
        self.candidates = candidates

    def draw(self, record: Record, k: int, seed: int | str = 0) -> tuple[Record, ...]:
        n = len(self.candidates)
        if k <= 0 or n == 0:
            return ()
        rng = random.Random(_draw(seed, "shot", record["id"]))
        order = rng.sample(range(n), n) if n <= 4 * k + 16 else (rng.randrange(n) for _ in range(64 * k))
        chosen: dict[int, Record] = {}
        for i in order:
            candidate = self.candidates[i]
            if i not in chosen and candidate["id"] != record["id"] and candidate["input"] != record["input"]:
                chosen[i] = candidate
                if len(chosen) == k:
                    break
        return tuple(chosen.values())


def make_prompt(
    record: Record,
    *,
    paraphrases: Sequence[str] = (),
    pool: ShotPool | None = None,
    shots: int = 0,
    seed: int | str = 0,
) -> Prompt:
    """The record with its instruction (or a paraphrase drawn from `paraphrases`) and `shots` examples."""
    instruction = instruction_for(record, paraphrases, seed)
    examples = pool.draw(record, shots, seed) if pool is not None else ()
    return Prompt(instruction, examples, record)
