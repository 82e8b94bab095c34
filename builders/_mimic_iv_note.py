"""What the two MIMIC-IV-Note builders (discharge summaries, radiology reports) declare alike."""

from __future__ import annotations

from typing import Any

from meds_ins.builder import Withheld

# Corpus fields shared by every builder reading MIMIC-IV-Note 2.2; each adds its id, name and files.
NOTE_CORPUS: dict[str, Any] = dict(
    homepage="https://physionet.org/content/mimic-iv-note/2.2/",
    citation="""@misc{johnson2023mimicivnote,
  title = {{MIMIC-IV-Note}: Deidentified free-text clinical notes (version 2.2)},
  author = {Johnson, Alistair and Pollard, Tom and Horng, Steven and Celi, Leo Anthony and Mark, Roger},
  publisher = {PhysioNet},
  year = {2023},
  doi = {10.13026/1n74-ne17}
}""",
    license="PhysioNet-Credentialed-Health-Data-License-1.5.0",
    license_source="PhysioNet project page of MIMIC-IV-Note 2.2 (credentialed access); the licence is the one of "
    "the MIMIC family, whose MIMIC-IV page states it; the licence line of the note page itself was not read",
    redistribution=Withheld(
        "credentialed access: the PhysioNet Credentialed Health Data License 1.5.0 and its data use agreement"
    ),
    access="credentialed",
    languages=("en",),
    text_source="Clinical Text",
)
DOWNLOAD = "MIMIC-IV-Note 2.2 from PhysioNet (credentialed access and a signed data use agreement): "
