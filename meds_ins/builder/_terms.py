"""On what terms a corpus's records may be published: its open licence, its rights holders' release
statement, or withheld with the reason. The licence gate, the card and `meds-ins corpora` read it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from meds_ins.builder._api import Corpus

# Licences that allow anyone to copy and share the data (with their conditions: attribution, share-alike,
# non-commercial use), named as builders state them. A corpus under one of them may rest on its licence.
OPEN_LICENCES = frozenset(
    {
        "AFL-3.0",
        "Apache-2.0",
        "CC-BY-3.0",
        "CC-BY-4.0",
        "CC-BY-NC-4.0",
        "CC-BY-NC-SA-4.0",
        "CC-BY-SA-3.0",
        "CC-BY-SA-4.0",
        "CC0-1.0",
        "GPL-3.0",
        "MIT",
        "public-domain",
    }
)


@dataclass(frozen=True)
class ByLicence:
    """The corpus's licence (`Corpus.license`, read where `license_source` says) allows publishing its
    records. Only for the licences in OPEN_LICENCES."""

    def to_dict(self, corpus: Corpus) -> dict[str, str]:
        return {"basis": "licence", "terms": corpus.license, "source": corpus.license_source}


BY_LICENCE = ByLicence()


@dataclass(frozen=True)
class ReleaseStatement:
    """The words by which the authors or rights holders let anyone use and share a corpus that has no
    standard licence ("allows the redistribution of the exams ..."), quoted, and where they were read:
    the repository file, page or paper. A description of the data, a download link or a request to be
    cited is not such a statement."""

    quote: str
    source: str

    def to_dict(self, corpus: Corpus) -> dict[str, str]:
        return {"basis": "release statement", "terms": self.quote, "source": self.source}


@dataclass(frozen=True)
class Withheld:
    """No record of the corpus may be published, and why: credentialed access, a data use agreement,
    terms that forbid it, or no licence or statement found that allows it."""

    reason: str

    def to_dict(self, corpus: Corpus) -> dict[str, str]:
        return {"withheld": self.reason}


Redistribution = ByLicence | ReleaseStatement | Withheld
