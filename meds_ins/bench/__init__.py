"""MedS-Bench: prompts for the test split, scoring of predictions, and a leaderboard."""
