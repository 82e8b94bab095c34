"""Prompts: layout, deterministic examples that never include the item asked, paraphrases."""

from __future__ import annotations

from meds_ins._training.prompts import ShotPool, instruction_for, make_prompt


def record(i: int, text: str | None = None, split: str = "train") -> dict:
    return {
        "id": f"task9:{i}",
        "instruction": "Answer.",
        "input": text or f"question {i}",
        "output": [f"answer {i}"],
        "task": "task9_x",
        "split": split,
    }


def test_zero_shot_text_and_messages():
    prompt = make_prompt(record(1))
    assert prompt.text() == "Answer.\n\nInput:\nquestion 1\nOutput:\n"
    assert prompt.text(with_answer=True).endswith("Output:\nanswer 1")
    assert prompt.messages() == [
        {"role": "system", "content": "Answer."},
        {"role": "user", "content": "Input:\nquestion 1\nOutput:\n"},
    ]
    assert prompt.messages(with_answer=True)[-1] == {"role": "assistant", "content": "answer 1"}


def test_k_shot_layout():
    pool = ShotPool([record(i) for i in range(2, 6)])
    prompt = make_prompt(record(1), pool=pool, shots=2, seed=7)
    assert len(prompt.shots) == 2
    first = prompt.shots[0]
    assert prompt.system.startswith(
        f"Answer.\n\nInput:\n{first['input']}\nOutput:\n{first['output'][0]}\n\nInput:"
    )
    assert prompt.user == "Input:\nquestion 1\nOutput:\n"


def test_examples_never_include_the_item_or_its_input():
    candidates = [record(i) for i in range(10)] + [record(99, text="question 3")]
    pool = ShotPool(candidates)
    for seed in range(50):
        shots = pool.draw(record(3), 3, seed)
        assert len(shots) == 3
        assert all(s["id"] != "task9:3" and s["input"] != "question 3" for s in shots)
    # a pool holding only the item itself gives no examples rather than the item
    assert ShotPool([record(3)]).draw(record(3), 3) == ()


def test_draws_are_deterministic_and_vary_with_seed_and_item():
    pool = ShotPool([record(i) for i in range(1000)])
    assert pool.draw(record(5000), 3, seed=1) == pool.draw(record(5000), 3, seed=1)
    assert pool.draw(record(5000), 3, seed=1) != pool.draw(record(5000), 3, seed=2)
    assert pool.draw(record(5000), 3, seed=1) != pool.draw(record(5001), 3, seed=1)


def test_paraphrases_are_drawn_from_the_seed():
    rewrites = ["Reply to it.", "Give the answer."]
    chosen = {instruction_for(record(i), rewrites, seed=0) for i in range(60)}
    assert chosen == {"Answer.", "Reply to it.", "Give the answer."}
    assert instruction_for(record(1), rewrites, seed=3) == instruction_for(record(1), rewrites, seed=3)
    assert instruction_for(record(1)) == "Answer."
    assert make_prompt(record(1), paraphrases=rewrites, seed=3).instruction == instruction_for(
        record(1), rewrites, 3
    )
