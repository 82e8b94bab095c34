"""The evaluation stack, an optional extra (`pip install 'meds-ins[bench]'`): only scoring (tokenizers,
BLEU, ROUGE) and the leaderboard's charts use it, so the core install leaves it out."""

from __future__ import annotations

from importlib import import_module

from meds_ins._common.errors import UsageError

INSTALL = "pip install 'meds-ins[bench]'` (in a clone of the repository: `pip install '.[bench]'`)"
# module -> the distribution that provides it
SCORING = {"nltk": "nltk", "rouge_score": "rouge-score", "jieba": "jieba", "janome": "janome"}
CHARTS = {"matplotlib": "matplotlib"}


def require(modules: dict[str, str], what: str) -> None:
    """Refuse, saying what to install, when a module of the extra is missing."""
    missing = []
    for module, distribution in modules.items():
        try:
            import_module(module)
        except ImportError:
            missing.append(distribution)
    if missing:
        raise UsageError(
            f"{what} needs the evaluation extra of meds-ins, which is not installed here (missing: "
            f"{', '.join(missing)}); install it with `{INSTALL}"
        )
