"""Optional extras of meds-ins: what a feature needs beyond the core install, and the message that says
how to install it (`pip install 'meds-ins[bench]'` for scoring and charts, `meds-ins[audits]` for the
data audits of validation)."""

from __future__ import annotations

from importlib.util import find_spec

from meds_ins._common.errors import UsageError

# a feature's needs -> (the extra of meds-ins that provides them, {module: its distribution})
EXTRAS = {
    "bench-scoring": (
        "bench",
        {"nltk": "nltk", "rouge_score": "rouge-score", "jieba": "jieba", "janome": "janome"},
    ),
    "bench-charts": ("bench", {"matplotlib": "matplotlib"}),
    "audits": ("audits", {"polars": "polars"}),
}


def install_hint(feature: str) -> str:
    name = EXTRAS[feature][0]
    return f"pip install 'meds-ins[{name}]'` (in a clone of the repository: `pip install '.[{name}]'`)"


def missing(feature: str) -> list[str]:
    """The distributions a feature needs that are not installed here."""
    return [dist for module, dist in EXTRAS[feature][1].items() if find_spec(module) is None]


def require(feature: str, what: str) -> None:
    """Refuse, saying what to install, when a module the feature needs is missing."""
    if absent := missing(feature):
        raise UsageError(
            f"{what} needs the {EXTRAS[feature][0]!r} extra of meds-ins, which is not installed here "
            f"(missing: {', '.join(absent)}); install it with `{install_hint(feature)}"
        )
