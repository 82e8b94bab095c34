"""Training: prompts (instruction, worked examples, instance; text or chat) and chat-format exports with
per-task caps and temperature mixing.

May import: meds_ins._loading and everything below it."""
