"""Human Disease Ontology (DO): disease terms with names, definitions, synonyms and is_a parents (OBO).

Both release layouts read the same: the 2016 doid.obo (a `default-namespace` header) and current ones
(`namespace:` on every term, `idspace:` header lines). Obsolete terms are left out, and so are terms
without a definition where a task needs one; both are counted in the build report. No official split:
9:1 by a hash of the DOID, so a term and everything built from it stay on one side.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
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
    labelled,
)
from meds_ins.formats.obo import Stanza, definition, read_obo, synonyms, target

RELATIONS = ("subtype", "supertype", "synonym", "unrelated")

CORPUS = Corpus(
    id="disease_ontology",
    name="Human Disease Ontology",
    paper_names=("DO",),
    homepage="https://disease-ontology.org",
    download="doid.obo from github.com/DiseaseOntology/HumanDiseaseOntology (src/ontology/doid.obo, or the "
    "file of a tagged release)",
    citation="""@article{schriml2022human,
  title = {The Human Disease Ontology 2022 update},
  author = {Schriml, Lynn M. and Munro, J. Bradley and Schor, Mike and Olley, Dustin and McCracken, Claire and
            Felix, Victor and Baron, J. Allen and Jackson, Rebecca and Bello, Susan M. and Bearer, Cynthia and others},
  journal = {Nucleic Acids Research},
  volume = {50},
  number = {D1},
  pages = {D1255--D1261},
  year = {2022}
}""",
    license="CC0-1.0",
    license_source="LICENSE file of github.com/DiseaseOntology/HumanDiseaseOntology (CC0 1.0); older releases "
    "such as 2016-09-01 state CC BY 3.0 in the 'remark' line of their own header",
    redistribution=BY_LICENCE,
    access="public",
    languages=("en",),
    text_source="Medical Knowledge",
    raw_files=(RawFile("doid.obo", "the ontology in OBO format (any release, 2016 or current layout)"),),
    sources=(
        Download(
            "https://raw.githubusercontent.com/DiseaseOntology/HumanDiseaseOntology/4bc5e8a796c4715d6c009064c147a49bc8e1c1e5/src/ontology/doid.obo",
            target="doid.obo",
            git_blob="85a444770bcec53647e4f592937d67900a25eb86",
            mirrors=(
                "https://raw.githubusercontent.com/DiseaseOntology/HumanDiseaseOntology/4bc5e8a796c4715d6c009064c147a49bc8e1c1e5/src/ontology/releases/doid.obo",
            ),
            note="release v2026-07-31 (the tagged commit)",
        ),
    ),
)

TASKS = (
    Task(
        "task45",
        "task45_do_term_completion",
        "Text Completion",
        "Here is a definition taken from a disease ontology, with the name of the disease it defines left "
        "blank. Fill in the blank with the name of that disease.",
        split_policy="random-9:1",
        notes="The reference names no file for this task; it is read as completing a definition with the "
        "missing term (definition -> name). The name is the primary answer, exact synonyms are also "
        "accepted. Obsolete terms and terms without a definition are skipped and counted.",
    ),
    Task(
        "task46",
        "task46_do_entity_explanation",
        "Explanation",
        "Explain in one or two sentences what the disease named below is, in the way a medical ontology "
        "would define it.",
        split_policy="random-9:1",
        in_bench=True,
        notes="Term name -> definition (without the definition's references). No official split: 9:1 by "
        "DOID; the benchmark file had 1,115 test instances. Obsolete terms and terms without a definition "
        "are skipped and counted.",
    ),
    Task(
        "task47",
        "task47_do_relation_classification",
        "Word Relation Classification",
        "You are given two disease terms. Say how the first relates to the second. Answer with one word: "
        "subtype if the first is a more specific kind of the second, supertype if the second is a more "
        "specific kind of the first, synonym if both name the same disease, unrelated if none of these holds.",
        split_policy="random-9:1",
        notes="The reference names no file for this task. Pairs come from direct is_a links (shown in either "
        "order, chosen by a hash, as subtype or supertype), from EXACT synonyms, and one pair per term with "
        "a term that is neither an ancestor nor a descendant of it (unrelated), chosen by a hash. Split by "
        "the DOID of the term each pair is built from.",
    ),
)


@dataclass
class DiseaseTerm:
    id: str
    name: str
    definition: str
    synonyms: list[str]  # EXACT synonyms other than the name, in file order
    parents: list[str]  # direct is_a targets, in file order


def generate(ctx: BuildContext) -> Iterator[Example]:
    path = ctx.file("doid.obo")
    terms = _live_terms(ctx, path)
    for term in terms.values():
        if not term.definition:
            ctx.skip("term without a definition (tasks 45 and 46)")
            continue
        completion = f"Definition: {term.definition}\n\nDisease: ____"
        yield Example("task45", term.id, completion, [term.name, *term.synonyms], group=term.id)
        yield Example("task46", term.id, term.name, term.definition, group=term.id, meta={"doid": term.id})
    yield from _relation_pairs(ctx, terms, _ancestors(terms, path))


def _live_terms(ctx: BuildContext, path: Path) -> dict[str, DiseaseTerm]:
    """Non-obsolete named terms by DOID, sorted by DOID so every later choice is independent of file order."""
    terms: dict[str, DiseaseTerm] = {}
    seen: dict[str, int] = {}
    for stanza in read_obo(path).terms():
        if stanza.id in seen:
            raise RawFormatError(
                path, f"line {stanza.line}", f"term {stanza.id} repeats the stanza at line {seen[stanza.id]}"
            )
        seen[stanza.id] = stanza.line
        if stanza.obsolete:
            ctx.skip("obsolete term")
            continue
        name = stanza.first("name").strip()
        if not name:
            ctx.skip("term without a name")
            continue
        terms[stanza.id] = DiseaseTerm(
            stanza.id,
            name,
            definition(stanza, path),
            _exact_synonyms(ctx, stanza, path, name),
            _parents(stanza),
        )
    return dict(sorted(terms.items()))


def _exact_synonyms(ctx: BuildContext, stanza: Stanza, path: Path, name: str) -> list[str]:
    found: dict[str, str] = {}
    for synonym in synonyms(stanza, path):
        if synonym.scope != "EXACT" or not synonym.text:
            continue
        if synonym.text.casefold() == name.casefold():
            ctx.skip("exact synonym equal to the term's name")
            continue
        found.setdefault(synonym.text.casefold(), synonym.text)
    return list(found.values())


def _parents(stanza: Stanza) -> list[str]:
    return list(dict.fromkeys(target(v) for v in stanza.values("is_a") if target(v)))


def _relation_pairs(
    ctx: BuildContext, terms: dict[str, DiseaseTerm], ancestors: dict[str, set[str]]
) -> Iterator[Example]:
    ids = list(terms)
    for term in terms.values():
        for parent in term.parents:
            if parent not in terms:
                ctx.skip("is_a link to an obsolete term or one absent from the file")
                continue
            if _hash(term.id, parent) % 2:
                pair, relation = (terms[parent], term), "supertype"
            else:
                pair, relation = (term, terms[parent]), "subtype"
            yield _pair(f"{term.id}-is_a-{parent}", *pair, relation, term.id)
        for i, synonym in enumerate(term.synonyms, start=1):
            yield Example(
                "task47",
                f"{term.id}-synonym-{i}",
                labelled(("First term", term.name), ("Second term", synonym)),
                "synonym",
                group=term.id,
                meta={"terms": [term.id, term.id], "relation": "synonym"},
            )
        other = _unrelated(term, terms, ids, ancestors)
        if other is None:
            ctx.skip("no unrelated term to pair with")
        else:
            yield _pair(f"{term.id}-unrelated", term, other, "unrelated", term.id)


def _pair(key: str, first: DiseaseTerm, second: DiseaseTerm, relation: str, group: str) -> Example:
    return Example(
        "task47",
        key,
        labelled(("First term", first.name), ("Second term", second.name)),
        relation,
        group=group,
        meta={"terms": [first.id, second.id], "relation": relation},
    )


def _unrelated(
    term: DiseaseTerm, terms: dict[str, DiseaseTerm], ids: list[str], ancestors: dict[str, set[str]]
) -> DiseaseTerm | None:
    """A term that is not `term`, not above or below it and not one of its names; chosen by a hash."""
    names = {term.name.casefold(), *(s.casefold() for s in term.synonyms)}
    start = _hash(term.id) % len(ids)
    for offset in range(len(ids)):
        other = terms[ids[(start + offset) % len(ids)]]
        if (
            other.id != term.id
            and other.id not in ancestors[term.id]
            and term.id not in ancestors[other.id]
            and other.name.casefold() not in names
        ):
            return other
    return None


def _ancestors(terms: dict[str, DiseaseTerm], path: Path) -> dict[str, set[str]]:
    """Every live term's ancestors through is_a links among live terms (iterative, so depth is no limit)."""
    done: dict[str, set[str]] = {}
    for root in terms:
        stack = [(root, False)]
        pending: set[str] = set()  # expanded, waiting for their parents: reaching one again is a cycle
        while stack:
            node, expanded = stack.pop()
            if node in done:
                continue
            parents = [p for p in terms[node].parents if p in terms]
            if expanded:
                done[node] = set(parents).union(*(done[p] for p in parents))
                pending.discard(node)
                continue
            if node in pending:
                raise RawFormatError(path, f"term {node}", "is_a links form a cycle through this term")
            pending.add(node)
            stack.append((node, True))
            stack.extend((p, False) for p in parents if p not in done)
    return done


def _hash(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x00".join(parts).encode()).digest()[:8], "big")


BUILDER = Builder(CORPUS, TASKS, generate)
