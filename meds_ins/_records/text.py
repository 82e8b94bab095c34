"""One normal form for the text of records, and the repairs of damage that sources carry.

Applied to every text field, because each repair only undoes what is certainly damage, never text as
the source meant it:
- line ends become LF;
- control characters: C1 'controls' are Windows-1252 punctuation read as Latin-1 (U+0092 for a right
  quote) and get their character back; the others (NUL, BEL ...) are dropped;
- invisible characters that are no part of any of the collection's languages (zero-width space,
  word joiner, a byte-order mark inside text) are dropped: they display as nothing, and a tokenizer
  would see a word that no reader does;
- mojibake, UTF-8 decoded as Windows-1252 or Latin-1 ('donâ€™t' for "don't"), is decoded again with
  ftfy, which changes a text only when the result is plausibly the intended one; only texts with the
  two-character signature of such damage are given to it, so the rest costs one regular expression.

Applied where a builder declares it (`Corpus.markup = "html"`), because '<' and '&' are ordinary
characters in other corpora ("p<0.05", "R&D"): HTML line breaks become line breaks, HTML tags are
removed and character references (&gt; &amp; &#39;) decoded.

Left as the source has it: U+FFFD, the replacement character, where a character was lost before the
release (na\ufffdve, 50 \ufffdM): what it stood for cannot be known.

Each repair is counted per text field it changed, under the names in REPAIRS, and the counts go to the
build report and the store manifest beside the skips.
"""

from __future__ import annotations

import html
import re
from collections import Counter

REPAIRS = {
    "control": "control characters repaired or removed",
    "invisible": "zero-width characters removed",
    "mojibake": "mojibake (UTF-8 read as Windows-1252) decoded",
    "tags": "HTML tags removed",
    "entities": "HTML character references decoded",
}

# Control characters, and surrogates: half characters that UTF-8 cannot store (a lone \ud800 escape in
# JSON, a byte that was not UTF-8 kept by a lenient reader); a surrogate becomes U+FFFD.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]")  # ZWSP, word joiner, BOM; ZWJ/ZWNJ carry meaning
# A whole UTF-8 sequence read as Windows-1252 or Latin-1: a lead byte (Â..ß for two bytes, à..ï for
# three, ð..ô for four) and as many continuation bytes, each read as U+0080-U+00BF or as the
# Windows-1252 punctuation that bytes 0x80-0x9F become (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ' ' " " • – — ˜ ™ š › œ
# ž Ÿ). A lone accented letter before a no-break space (French "à\xa0:") is not one.
_CONTINUATION = (
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df]{_CONTINUATION}|[\u00e0-\u00ef]{_CONTINUATION}{{2}}|[\u00f0-\u00f4]{_CONTINUATION}{{3}}"
)
_MOJIBAKE_START = re.compile(f"[\u00c2-\u00f4]{_CONTINUATION}")  # one scan; _MOJIBAKE only on a hit
# Either of the first two, so that most texts with neither cost one scan for both.
_STRAY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u200b\u2060\ufeff]")
# A character that any repair starts from; texts without one (most non-Latin text) cost this one scan.
_SUSPECT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00c2-\u00f4\ud800-\udfff\u200b\u2060\ufeff]")
_HTML_BREAK = re.compile(r"<(?:br|p)\s*/?>|</p>", re.IGNORECASE)
# Only the tags of HTML text formatting, so that '<' in "p<0.05" or "<5 mm" is never taken for one.
_HTML_TAG = re.compile(
    r"</?(?:a|b|i|u|em|strong|sup|sub|span|font|div|small)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_HTML_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def clean_text(text: str, repairs: Counter[str] | None = None, markup: str = "none") -> str:
    """The normal form of one text field (stripped of surrounding whitespace); what was repaired is
    added to `repairs` (one count per kind of repair per field)."""
    if "\r" in text:  # rare; the check is far cheaper than two replacements
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        if _SUSPECT.search(text):
            text = _repair_unicode(text, repairs)
    elif _CONTROL.search(text):
        text = _count(repairs, "control", text, _CONTROL.sub(_repair_control, text))
    if markup == "html":
        text = _strip_html(text, repairs)
    return text.strip()


def _repair_unicode(text: str, repairs: Counter[str] | None) -> str:
    stray = _STRAY.search(text) is not None
    if stray and _INVISIBLE.search(text):
        text = _count(repairs, "invisible", text, _INVISIBLE.sub("", text))
    # Mojibake before control characters: UTF-8 read as Latin-1 leaves C1 controls ('â\x80\x9d' for a
    # closing quote) that only the whole sequence can be decoded from.
    if _MOJIBAKE_START.search(text) and _MOJIBAKE.search(text):
        import ftfy

        text = _count(repairs, "mojibake", text, ftfy.fix_encoding(text))
    if stray and _CONTROL.search(text):
        text = _count(repairs, "control", text, _CONTROL.sub(_repair_control, text))
    return text


def _strip_html(text: str, repairs: Counter[str] | None) -> str:
    if "<" in text:
        text = _count(repairs, "tags", text, _HTML_TAG.sub("", _HTML_BREAK.sub("\n", text)))
    if "&" in text and _HTML_ENTITY.search(text):
        text = _count(repairs, "entities", text, _HTML_ENTITY.sub(lambda m: html.unescape(m.group()), text))
    return text


def _count(repairs: Counter[str] | None, kind: str, before: str, after: str) -> str:
    if repairs is not None and after != before:
        repairs[REPAIRS[kind]] += 1
    return after


def _repair_control(match: re.Match[str]) -> str:
    """C1 'controls' are almost always Windows-1252 punctuation read as Latin-1 (U+0092 for a right
    quote): give back the intended character; drop every other control character."""
    char = match.group()
    if char >= "\ud800":
        return "\ufffd"
    if "\x80" <= char <= "\x9f":
        try:
            return char.encode("latin-1").decode("cp1252")
        except UnicodeDecodeError:
            return ""
    return ""
