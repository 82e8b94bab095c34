"""Optional extras of meds-ins: what a feature needs beyond the core install, and the message that says
how to install it (`pip install 'meds-ins[bench]'` for scoring and charts, `meds-ins[audits]` for the
data audits of validation)."""

from __future__ import annotations

from importlib.util import find_spec

from meds_ins._common.errors import UsageError

# extra -> {module: the distribution that provides it}
EXTRAS = {
    "bench-scoring": {"nltk": "nltk", "rouge_score": "rouge-score", "jieba": "jieba", "janome": "janome"},
    "bench-charts": {"matplotlib": "matplotlib"},
    "audits": {"polars": "polars"},
}
INSTALL_NAME = {"bench-scoring": "bench", "bench-charts": "bench", "audits": "audits"}


def install_hint(extra: str) -> str:
    name = INSTALL_NAME[extra]
    return f"pip install 'meds-ins[{name}]'` (in a clone of the repository: `pip install '.[{name}]'`)"


def missing(extra: str) -> list[str]:
    """The distributions of an extra that are not installed here."""
    return [dist for module, dist in EXTRAS[extra].items() if find_spec(module) is None]


def require(extra: str, what: str) -> None:
    """Refuse, saying what to install, when a module of the extra is missing."""
    if absent := missing(extra):
        raise UsageError(
            f"{what} needs the {INSTALL_NAME[extra]!r} extra of meds-ins, which is not installed here "
            f"(missing: {', '.join(absent)}); install it with `{install_hint(extra)}"
        )
