"""Where the files that travel with the package live: schemas, card templates, fixtures, roadmap."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable


def schemas() -> Traversable:
    return resources.files("meds_ins.schemas")


def cards() -> Traversable:
    return resources.files("meds_ins.cards")


def fixtures() -> Traversable:
    """The hand-written miniature corpora (tests/fixtures in the repository)."""
    return resources.files("meds_ins.fixtures")


def templates() -> Traversable:
    """Templates of `meds-ins new-corpus` (a builder, its test, a fixture file)."""
    return resources.files("meds_ins").joinpath("templates")


def roadmap() -> Traversable:
    return resources.files("meds_ins").joinpath("roadmap")


def package_file(relative: str) -> Traversable:
    """A data file inside the package, e.g. '_bench/published.json'."""
    return resources.files("meds_ins").joinpath(relative)
