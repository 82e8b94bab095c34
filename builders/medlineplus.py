"""MedlinePlus health topics (NLM): the XML release of every English and Spanish health topic page.

NLM publishes mplus_topics_YYYY-MM-DD.xml (and a zip of it) on most weekdays. The root <health-topics>
holds one <health-topic title= id= url= language= meta-desc= date-created=> per page, with <also-called>
synonyms, a <full-summary> whose HTML markup is escaped (or wrapped in CDATA) inside the XML, <group>
memberships, MeSH headings, related topics and the links listed on the page. The builder reads the newest
release it finds, uses the English topics that have a summary, and turns the summary's HTML into plain
text. No official split: 9:1 by topic, so a topic's question and its title task share a side.

The index also assigns the fact-verification tasks 132-136 to MedlinePlus. They are not built: MedS-Ins
describes them as finding the one wrong sentence planted in a medical paragraph, and the XML release holds
only NLM's correct text; producing those errors would mean writing false medical statements ourselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from meds_ins.builder import (
    BY_LICENCE,
    BuildContext,
    Builder,
    Corpus,
    Download,
    Example,
    RawFile,
    RawFormatError,
    Task,
)
from meds_ins.formats.xmlfiles import XML_ERRORS, xml_error

PATTERN = "mplus_topics_*.xml"
# HTML elements after which the summary's text starts a new line.
BLOCKS = {"p", "div", "ul", "ol", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "blockquote"}

CORPUS = Corpus(
    id="medlineplus",
    name="MedlinePlus Health Topics",
    paper_names=("MedlinePlus",),
    homepage="https://medlineplus.gov/xml.html",
    download="the newest mplus_topics_YYYY-MM-DD.xml from medlineplus.gov/xml.html (or the compressed zip, "
    "unpacked)",
    citation="""@misc{medlineplus,
  title = {MedlinePlus Health Topics (XML release)},
  author = {{National Library of Medicine (US)}},
  publisher = {National Library of Medicine (US)},
  address = {Bethesda, MD},
  howpublished = {\\url{https://medlineplus.gov/xml.html}}
}""",
    license="public-domain",
    license_source="medlineplus.gov/about/using/usingcontent/: the summaries on health topic pages are works of "
    "the US federal government, not copyrighted, free to reproduce; MedlinePlus asks to be credited as the source",
    redistribution=BY_LICENCE,
    access="public",
    languages=("en",),
    text_source="Medical Knowledge",
    raw_files=(
        RawFile(PATTERN, "health topics XML, one <health-topic> per MedlinePlus page (English and Spanish)"),
    ),
    sources=(
        Download(
            "https://medlineplus.gov/xml.html",
            target="mplus_topics_YYYY-MM-DD.xml",
            manual="the health topics file is replaced regularly under a dated name: download the newest mplus_topics_YYYY-MM-DD.xml (or its zip, unpacked) into the corpus folder",
        ),
    ),
    notes="Only the topic titles, synonyms and summaries written by NLM are used, not the linked pages of other "
    "sites. Spanish topics are skipped and counted (the tasks are English). Credit: Courtesy of MedlinePlus "
    "from the National Library of Medicine.",
)

TASKS = (
    Task(
        "task97",
        "task97_medlineplus_question_answering",
        "Question Answering",
        "Answer the consumer health question below in plain language, as a patient information leaflet would: "
        "explain what the topic is and the main things a patient should know about it.",
        split_policy="random-9:1",
        notes="Source inferred by the reference. MedS-Ins describes this task as questions about drugs from "
        "MedlinePlus; the drug monographs on MedlinePlus are licensed from a third party and are not in NLM's "
        "XML releases, so the questions are asked about each health topic (drug-therapy topics included) and "
        "answered with the topic's summary. The question wording is a fixed template.",
    ),
    Task(
        "task98",
        "task98_medlineplus_title_generation",
        "Text Summarization",
        "Below is the summary of an article from a consumer health encyclopedia. Give the article's title: the "
        "short name of the condition, test, treatment or health subject it is about.",
        split_policy="random-9:1",
        notes="Source inferred by the reference. MedS-Ins describes titles of medical encyclopedia articles; "
        "the A.D.A.M. encyclopedia on MedlinePlus is licensed content that NLM does not release, so the "
        "articles are the health topic summaries. The title is the answer; the topic's 'also called' names are "
        "accepted as well.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    releases = ctx.files(PATTERN)
    if len(releases) > 1:
        ctx.skip("older mplus_topics release file not read", len(releases) - 1)
    path = releases[-1]  # names end in the release date, so the last one is the newest
    for topic in iter_health_topics(path):
        if topic["language"] != "English":
            ctx.skip(f"{topic['language']} health topic (the tasks are English)")
            continue
        if not topic["summary"]:
            ctx.skip("health topic without a summary")
            continue
        group = f"topic-{topic['id']}"
        meta = {"topic_id": topic["id"], "url": topic["url"], "groups": topic["groups"]}
        question = f"What should I know about {topic['title']}?"
        yield Example("task97", topic["id"], question, topic["summary"], group=group, meta=meta)
        titles = [topic["title"]] + [name for name in topic["also_called"] if name != topic["title"]]
        yield Example("task98", topic["id"], topic["summary"], titles, group=group, meta=meta)


def iter_health_topics(path: Path) -> Iterator[dict[str, Any]]:
    """The fields the tasks need, one dict per <health-topic>, streaming through the file."""
    import xml.etree.ElementTree as ET

    number = 0
    try:
        for _, element in ET.iterparse(path, events=("end",)):
            if element.tag != "health-topic":
                continue
            number += 1
            yield _topic(path, number, element)
            element.clear()
    except XML_ERRORS as e:
        raise xml_error(path, e) from None
    if number == 0:
        raise RawFormatError(
            path, None, "no <health-topic> elements; is this a MedlinePlus health topics file?"
        )


def _topic(path: Path, number: int, element: Any) -> dict[str, Any]:
    missing = [name for name in ("title", "id") if not (element.get(name) or "").strip()]
    if missing:
        raise RawFormatError(
            path, f"health-topic {number}", f"attribute(s) {', '.join(missing)} missing or empty"
        )
    return {
        "id": element.get("id").strip(),
        "title": " ".join(element.get("title").split()),
        "url": element.get("url", ""),
        "language": element.get("language", "English"),
        "also_called": [" ".join(a.text.split()) for a in element.findall("also-called") if a.text],
        "groups": [" ".join(g.text.split()) for g in element.findall("group") if g.text],
        "summary": html_to_text(element.findtext("full-summary") or ""),
    }


class _TextCollector(HTMLParser):
    """Collects the text of an HTML fragment, one line per paragraph or list item."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self.flush()
        if tag == "li":
            self.current.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        self.current.append(data)

    def flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text and text != "-":
            self.lines.append(text)
        self.current = []


def html_to_text(fragment: str) -> str:
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    collector.flush()
    return "\n".join(collector.lines)


BUILDER = Builder(CORPUS, TASKS, generate)
