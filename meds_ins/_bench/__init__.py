"""MedS-Bench: the benchmark tasks and categories (tasks.py), prompts for the test split (prompting.py),
reading predictions (predictions.py), metrics (metrics.py), scoring per task and category (score.py),
and the leaderboard beside the published figures (leaderboard.py). Running a model: the decoding
settings (generation.py), an OpenAI-compatible server (endpoint.py), the answers kept on disk
(answers.py), `bench run` (run.py), and lm-evaluation-harness tasks (lmeval.py).

May import: meds_ins._training and everything below it; not meds_ins._publish."""
