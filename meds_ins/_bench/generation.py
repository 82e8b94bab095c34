"""How MedS-Bench answers are generated, chosen once for `bench run` and the lm-evaluation-harness tasks.

- Greedy decoding: temperature 0, and a fixed seed for servers that sample anyway. The seed is
  lm-evaluation-harness's default for API models, so both send the same requests to the same server.
- One stop sequence, a new line opening with `Input:`: a completion model given the `Input:/Output:`
  blocks of a prompt answers, then goes on to invent the next block. The output is also cut there on our
  side (as lm-eval does), for servers that ignore `stop`.
- A token budget per metric: a letter or a label needs a few tokens (64 leaves room for a sentence
  around it), extractions and entity lists more, summaries and rationales hundreds.

The settings are recorded in the results, so a figure can be reproduced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from meds_ins._bench.tasks import (
    CHOICE,
    ENTITY_F1,
    FIRST_LINE,
    HALLMARK_F1,
    OVERLAP,
    SUBSTRING,
    TRUE_FALSE,
    bench_task,
)

STOP: tuple[str, ...] = ("\nInput:",)
TEMPERATURE = 0.0
SEED = 1234
MAX_TOKENS = {
    CHOICE: 64,
    FIRST_LINE: 64,
    TRUE_FALSE: 64,
    SUBSTRING: 128,
    HALLMARK_F1: 128,
    ENTITY_F1: 256,
    OVERLAP: 512,
}


@dataclass(frozen=True)
class Decoding:
    """Decoding settings of a run; `max_tokens` None means the budget of each task's metric."""

    temperature: float = TEMPERATURE
    seed: int = SEED
    stop: tuple[str, ...] = STOP
    max_tokens: int | None = None

    def max_tokens_for(self, task_id: str) -> int:
        if self.max_tokens is not None:
            return self.max_tokens
        task = bench_task(task_id)
        if task is None:
            raise ValueError(f"{task_id} is not a MedS-Bench task")
        return MAX_TOKENS[task.metric]

    def record(self, task_ids: Sequence[str]) -> dict[str, Any]:
        """The settings as the results file records them, with the token budget of each task."""
        return {
            "temperature": self.temperature,
            "seed": self.seed,
            "stop": list(self.stop),
            "max_tokens": {t: self.max_tokens_for(t) for t in task_ids},
        }


def cut_at_stop(text: str, stop: Sequence[str]) -> str:
    """The text before the first stop sequence (what a server honouring `stop` returns)."""
    for sequence in stop:
        if sequence:
            text = text.split(sequence, 1)[0]
    return text
