"""ECDC-TM: the translation memory of the European Centre for Disease Prevention and Control (TMX).

English sentences from ECDC's publications and web pages, professionally translated into up to 24
languages. The release is one zip that unpacks to ECDC-TM/ECDC.tmx: a TMX file (XML, UTF-16 in the EU
releases) with one <tu> per sentence and one <tuv> per language. Parsed with the standard library, and
tolerant of what TMX versions vary in: the language attribute is xml:lang (TMX 1.4) or lang (older
versions), codes may carry a region (EN-GB), and segments may hold inline markup whose native codes
(<ph>, <bpt>, ...) are not text. No official split: 9:1 by the English sentence, so a sentence lands on
the same side in all three tasks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from meds_ins.builder import (
    BuildContext,
    Builder,
    Corpus,
    Download,
    Example,
    RawFile,
    RawFormatError,
    Task,
    Withheld,
)
from meds_ins.formats.xmlfiles import XML_ERRORS, xml_error

TMX = "ECDC-TM/ECDC.tmx"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Inline elements that carry the original document's formatting codes rather than translatable text.
NATIVE_CODES = {"bpt", "ept", "ph", "it", "ut"}
PAIRS = {"task19": ("en", "sv"), "task20": ("en", "de"), "task21": ("fr", "en")}
NAMES = {"en": "English", "sv": "Swedish", "de": "German", "fr": "French"}

CORPUS = Corpus(
    id="ecdc_tm",
    name="ECDC Translation Memory",
    paper_names=("ECDC-TM",),
    homepage="https://joint-research-centre.ec.europa.eu/language-technology-resources/ecdc-translation-memory_en",
    download="ECDC-TM.zip from the JRC language-technology resources page (it unpacks to ECDC-TM/ECDC.tmx)",
    citation="""@article{steinberger2014overview,
  title = {An overview of the European Union's highly multilingual parallel corpora},
  author = {Steinberger, Ralf and Ebrahim, Mohamed and Poulis, Alexandros and Carrasco-Benitez, Manuel and
            Schl{\\"u}ter, Patrick and Przybyszewski, Marek and Gilbro, Signe},
  journal = {Language Resources and Evaluation},
  volume = {48},
  number = {4},
  pages = {679--707},
  year = {2014}
}""",
    license="unknown",
    license_source="the conditions on the JRC distribution page could not be read when this builder was written; "
    "the Hugging Face europa_ecdc_tm loader (a third party) states CC BY 4.0, Copyright EU/ECDC",
    redistribution=Withheld(
        "its terms of use (the ECDC-TM Terms-of-Use PDF on the JRC download page) were not read"
    ),
    access="public",
    languages=("en", "sv", "de", "fr"),
    text_source="Medical Knowledge",
    raw_files=(
        RawFile(TMX, "TMX translation memory: one <tu> per English sentence, one <tuv> per language"),
    ),
    sources=(
        Download(
            "https://wt-public.emm4u.eu/Resources/ECDC-TM/ECDC-TM.zip",
            mirrors=("http://optima.jrc.it/Resources/ECDC-TM/ECDC-TM.zip",),
            unpack="zip",
            members=("ECDC-TM/ECDC.tmx",),
            note="the JRC's own address; no checksum is published",
        ),
    ),
    notes="Translation units that lack one side of a language pair are skipped and counted per pair; a "
    "pair that repeats an earlier one word for word is counted once.",
)


def _task(task_id: str) -> Task:
    source, target = PAIRS[task_id]
    return Task(
        task_id,
        f"{task_id}_europa_ecdc_tm_{source}_{target}_translation",
        "Translation",
        f"Translate the {NAMES[source]} sentence below into {NAMES[target]}. It comes from the public-health "
        "publications of the European Centre for Disease Prevention and Control; some sentences describe the "
        "agency and its work. Give only the translation.",
        split_policy="random-9:1",
        input_languages=(source,),
        output_languages=(target,),
        notes="No official split; 9:1 by the English sentence, shared by tasks 19-21.",
    )


TASKS = tuple(_task(task_id) for task_id in PAIRS)


def generate(ctx: BuildContext) -> Iterator[Example]:
    path = ctx.file(TMX)
    seen: dict[str, set[tuple[str, str]]] = {task_id: set() for task_id in PAIRS}
    for number, segments in iter_translation_units(path):
        for task_id, (source, target) in PAIRS.items():
            pair = (segments.get(source, ""), segments.get(target, ""))
            if not all(pair):
                ctx.skip(f"translation unit without both {source} and {target} text")
                continue
            if pair in seen[task_id]:
                ctx.skip(f"repeated {source}-{target} translation pair")
                continue
            seen[task_id].add(pair)
            yield Example(task_id, f"tu{number}", pair[0], pair[1], group=segments["en"])


def iter_translation_units(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (position, {language code: segment text}) for each <tu>, streaming through the file."""
    import xml.etree.ElementTree as ET

    number = 0
    try:
        for _, element in ET.iterparse(path, events=("end",)):
            if _local(element.tag) != "tu":
                continue
            number += 1
            yield number, _segments(path, number, element)
            element.clear()
    except XML_ERRORS as e:
        raise xml_error(path, e, "TMX") from None


def _segments(path: Path, number: int, unit: Any) -> dict[str, str]:
    segments: dict[str, str] = {}
    for variant in unit:
        if _local(variant.tag) != "tuv":
            continue  # <prop> and <note> describe the unit
        language = variant.get(XML_LANG) or variant.get("lang")
        if not language:
            raise RawFormatError(path, f"translation unit {number}", "a <tuv> has neither xml:lang nor lang")
        seg = next((child for child in variant if _local(child.tag) == "seg"), None)
        if seg is None:
            raise RawFormatError(path, f"translation unit {number}", f"the <tuv> for {language} has no <seg>")
        code = language.replace("_", "-").split("-")[0].lower()
        segments.setdefault(code, " ".join(_text(seg).split()))
    return segments


def _text(element: Any) -> str:
    """The translatable text of a <seg>: its text and that of <hi>/<sub>, without native codes."""
    parts = [element.text or ""]
    for child in element:
        if _local(child.tag) not in NATIVE_CODES:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


BUILDER = Builder(CORPUS, TASKS, generate)
