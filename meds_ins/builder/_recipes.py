"""Ready-made `generate` functions for release layouts that several corpora share.

A recipe is a small class (so that builders pickle into worker processes for parallel builds); a
builder module declares its corpus and tasks and passes a recipe as its `generate`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from meds_ins.builder._api import BuildContext, Example, RawFile
from meds_ins.builder._layouts import located_entity_list
from meds_ins.formats.iob import iter_sentences
from meds_ins.formats.mslr import Review, Study, iter_reviews, review_texts


@dataclass(frozen=True)
class IOBEntities:
    """An IOB named-entity release (train, devel, test): one sentence per instance, its entity set the answer
    (with the mentions' offsets in `meta["spans"]`).

    `files` maps each file of the release to its split; `types` are the entity types of the tags (None
    accepts the bare B/I tags some copies use). Record keys are the file's stem and the sentence's line.
    """

    task: str
    files: Mapping[str, str]
    types: frozenset[str | None]

    def raw_files(self, tags: str = "token<TAB>tag") -> tuple[RawFile, ...]:
        return tuple(
            RawFile(name, f"IOB sentences of the {Path(name).stem} part ({tags})", required=False)
            for name in self.files
        )

    def __call__(self, ctx: BuildContext) -> Iterator[Example]:
        for name, split in self.files.items():
            path = ctx.optional(name)
            if path is None:
                continue
            for sentence in iter_sentences(path, types=self.types):
                output, meta = located_entity_list(sentence.text, sentence.spans())
                yield Example(
                    self.task,
                    f"{Path(name).stem}-{sentence.line}",
                    sentence.text,
                    output,
                    split=split,
                    meta=meta,
                )


def summarized_reviews(
    ctx: BuildContext,
    parts: Mapping[str, str],
    folder: str = "",
    study: str = "study",
    summary: str = "summary",
) -> Iterator[tuple[str, Review, str, list[Study]]]:
    """(split, review, target, studies with text) of an MSLR-layout release (see formats/mslr.py).

    `parts` maps the release's parts (train, dev, test) to splits. A review seen in an earlier part,
    a review without target, studies without text and targets without studies are skipped and counted,
    named with the corpus's own words for a `study` and its `summary`.
    """
    seen: set[str] = set()
    for part, split in parts.items():
        targets = review_texts(ctx.file(f"{folder}{part}-targets.csv"), "Target")
        for review in iter_reviews(ctx.file(f"{folder}{part}-inputs.csv")):
            target = targets.pop(review.id, None)
            if review.id in seen:
                ctx.skip("review repeated in another split")
                continue
            seen.add(review.id)
            if not target:
                ctx.skip(f"review without a target {summary}")
                continue
            studies = [s for s in review.studies if s.text]
            if len(studies) < len(review.studies):
                ctx.skip(f"{study} without title and abstract", len(review.studies) - len(studies))
            if not studies:
                ctx.skip(f"review without any {study} text")
                continue
            yield split, review, target, studies
        if targets:
            ctx.skip(f"target {summary} without any {study}", len(targets))
