"""Hallmarks of Cancer (HoC): PubMed abstracts whose sentences are labelled with cancer hallmarks.

Two files per abstract, both named `<PMID>.txt`: `text/` holds one tokenised sentence per line, and
`labels/` one line with a `<` marker per sentence followed by that sentence's labels, several joined by
`AND`. A label is a path in the 37-class taxonomy (`Resisting cell death--Apoptosis`); its first part is
one of the ten hallmarks. An abstract's answer is the set of hallmarks of all its sentences.
No official split: 9:1 by a hash of the PMID.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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
    label_set,
)
from meds_ins.formats.text import read_text

# The ten hallmarks, spelled as the corpus spells the top of its taxonomy (the benchmark scorer looks for
# these names, lower-cased, inside a prediction).
HALLMARKS = (
    "Sustaining proliferative signaling",
    "Evading growth suppressors",
    "Resisting cell death",
    "Enabling replicative immortality",
    "Inducing angiogenesis",
    "Activating invasion and metastasis",
    "Genomic instability and mutation",
    "Tumor promoting inflammation",
    "Cellular energetics",
    "Avoiding immune destruction",
)
NO_HALLMARK = "None of the hallmarks of cancer."
EMPTY_LABELS = {"", "NULL"}  # what a sentence without a label holds

CORPUS = Corpus(
    id="hoc",
    name="Hallmarks of Cancer (HoC)",
    paper_names=("HoC",),
    homepage="https://github.com/sb895/Hallmarks-of-Cancer",
    download="the labels/ and text/ folders of github.com/sb895/Hallmarks-of-Cancer",
    citation="""@article{baker2016automatic,
  title = {Automatic semantic classification of scientific literature according to the hallmarks of cancer},
  author = {Baker, Simon and Silins, Ilona and Guo, Yufan and Ali, Imran and H{\\"o}gberg, Johan and
            Stenius, Ulla and Korhonen, Anna},
  journal = {Bioinformatics},
  volume = {32},
  number = {3},
  pages = {432--440},
  year = {2016}
}""",
    license="GPL-3.0",
    license_source="LICENSE file of github.com/sb895/Hallmarks-of-Cancer (GNU GPL v3)",
    redistribution=BY_LICENCE,
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=(
        RawFile("labels/*.txt", "one file per abstract, <PMID>.txt: the hallmark labels of each sentence"),
        RawFile("text/*.txt", "one file per abstract, <PMID>.txt: the tokenised sentences, one per line"),
    ),
    sources=(
        Download(
            "https://codeload.github.com/sb895/Hallmarks-of-Cancer/zip/3bc6e6deb90cf5bc4f9988c493fe2c32e9b3cf2a",
            unpack="zip",
            strip="Hallmarks-of-Cancer-3bc6e6deb90cf5bc4f9988c493fe2c32e9b3cf2a/",
            members=(
                "labels/*.txt",
                "text/*.txt",
            ),
            content_sha256="bfe5f4b35d4073d32cbdc6d075d51a30c47fb7eeaecc19ea98d5600469f5bf87",
            note="the repository at the commit, as GitHub packs it on request; the files kept are checked",
        ),
    ),
)

TASKS = (
    Task(
        "task106",
        "task106_hoc_text_classification",
        "Text Classification",
        "Read the PubMed abstract below and name every hallmark of cancer it provides evidence for, chosen "
        "from: sustaining proliferative signaling, evading growth suppressors, resisting cell death, "
        "enabling replicative immortality, inducing angiogenesis, activating invasion and metastasis, "
        "genomic instability and mutation, tumor promoting inflammation, cellular energetics, avoiding "
        "immune destruction. Separate several hallmarks with semicolons; if none applies, reply: None of "
        "the hallmarks of cancer.",
        split_policy="random-9:1",
        in_bench=True,
        notes="Document level: the hallmarks of all sentences, in the fixed order of the instruction; the "
        "full taxonomy paths are kept in meta. No official split: 9:1 by PMID (the benchmark file had 158 "
        "test abstracts).",
        audit_exceptions={
            "audit.broken-encoding": "about 40 abstracts of the release lost characters before it, replaced by U+FFFD ('na\ufffdve', '50 \ufffdM', '6.01 \ufffd 1.2 g'); what they stood for (µ, ±, ï, ©, °) cannot be recovered, so the text is kept as released",
        },
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    labels = {p.stem: p for p in ctx.files("labels/*.txt")}
    texts = {p.stem: p for p in ctx.files("text/*.txt")}
    for pmid in sorted(set(labels) | set(texts)):
        if pmid not in texts:
            raise RawFormatError(labels[pmid], None, f"no matching text/{pmid}.txt")
        if pmid not in labels:
            raise RawFormatError(texts[pmid], None, f"no matching labels/{pmid}.txt")
        sentences = _sentences(texts[pmid])
        paths = _sentence_labels(labels[pmid], len(sentences), texts[pmid].name)
        if not sentences:
            ctx.skip("abstract without text")
            continue
        hallmarks = {path.split("--")[0] for sentence in paths for path in sentence}
        output, meta = label_set(hallmarks, HALLMARKS, NO_HALLMARK)
        meta["paths"] = sorted({path for sentence in paths for path in sentence})
        yield Example("task106", pmid, " ".join(sentences), output, group=pmid, meta=meta)


def _sentences(path: Path) -> list[str]:
    text = read_text(path)
    return [line.strip() for line in text.splitlines() if line.strip()]


def _sentence_labels(path: Path, expected: int, text_name: str) -> list[list[str]]:
    """Each sentence's label paths (hallmark spelled as in HALLMARKS, trailing `--` of inner classes dropped)."""
    line = read_text(path).strip()
    head, *segments = line.split("<")
    if head.strip():
        raise RawFormatError(path, "line 1", f"text {head.strip()[:40]!r} before the first '<' marker")
    if len(segments) != expected:
        raise RawFormatError(
            path, "line 1", f"{len(segments)} '<' markers but {expected} sentences in text/{text_name}"
        )
    canonical = {h.lower(): h for h in HALLMARKS}
    result = []
    for number, segment in enumerate(segments, start=1):
        paths = []
        for label in (part.strip() for part in segment.split("AND")):
            if label in EMPTY_LABELS:
                continue
            parts = [p.strip() for p in label.split("--")]
            hallmark = canonical.get(parts[0].lower())
            if hallmark is None:
                raise RawFormatError(
                    path,
                    f"sentence {number}",
                    f"label {label!r} does not start with one of the ten hallmarks",
                )
            paths.append("--".join([hallmark, *(p for p in parts[1:] if p)]))
        result.append(paths)
    return result


BUILDER = Builder(CORPUS, TASKS, generate)
