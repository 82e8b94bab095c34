"""Languages: ISO 639-1 codes from the codes or English names that users and released files give."""

from __future__ import annotations

from meds_ins._common import schema
from meds_ins._common.errors import UnknownNameError


def language_code(value: str) -> str:
    """An ISO 639-1 code from a code or an English language name ('en', 'English', 'zh', 'Chinese')."""
    codes = set(schema.enum("language"))
    lowered = value.strip().lower()
    if lowered in codes:
        return lowered
    import pycountry

    try:
        found = pycountry.languages.lookup(value.strip())
    except LookupError:
        found = None
    if found is not None and getattr(found, "alpha_2", None) in codes:
        return found.alpha_2
    raise UnknownNameError(
        f"unknown language {value!r}: give an ISO 639-1 code such as 'en' or an English name"
    )


def iso_language(name: str) -> str | None:
    """The ISO 639-1 code of a language name or code, None if it is not one."""
    try:
        return language_code(name)
    except UnknownNameError:
        return None
