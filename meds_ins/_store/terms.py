"""Whether a corpus's records may be published, and on what basis, read from its metadata.

Every corpus states it once (`redistribution` in schemas/corpus.json): the basis that allows publishing
(its licence, or the authors' statement letting anyone use and share the data, with where it was read),
or why its records are withheld. The card, `meds-ins corpora`/`info` and the licence gate of `push`
all read it through these functions, so they never disagree.
"""

from __future__ import annotations

from typing import Any

LEGACY = (
    "its metadata states no basis of redistribution (written by an older meds-ins); rebuild the corpus "
    "with this version"
)


def withheld_reason(corpus: dict[str, Any]) -> str | None:
    """Why no record of `corpus` may be published, or None when its metadata states a basis."""
    terms = corpus.get("redistribution")
    if not isinstance(terms, dict):
        return LEGACY
    if "withheld" in terms:
        return str(terms["withheld"])
    if corpus.get("access") == "credentialed":
        return f"credentialed access ({corpus.get('license', 'unknown')})"
    if not corpus.get("redistributable") or not terms.get("terms") or not terms.get("source"):
        return "its metadata marks it not redistributable or states an incomplete basis"
    return None


def basis(corpus: dict[str, Any]) -> str:
    """The basis of redistribution in one line, with where it was read; or why the corpus is withheld."""
    reason = withheld_reason(corpus)
    if reason is not None:
        return f"withheld: {reason}"
    terms = corpus["redistribution"]
    if terms["basis"] == "licence":
        return f"licence {terms['terms']} (read in: {terms['source']})"
    return f"release statement: {terms['terms']} (read in: {terms['source']})"


def publish_label(corpus: dict[str, Any]) -> str:
    """One word for tables: 'licence', 'statement' (the basis it is published on) or 'no'."""
    if withheld_reason(corpus) is not None:
        return "no"
    return "licence" if corpus["redistribution"]["basis"] == "licence" else "statement"
