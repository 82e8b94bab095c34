"""ADE Corpus V2: sentences of MEDLINE case reports with drug-adverse effect and drug-dose relations.

`DRUG-AE.rel` and `DRUG-DOSE.rel` hold one relation per line (PMID|sentence|effect or dose|begin|end|
drug|begin|end, offsets into the whole abstract, not the sentence); `ADE-NEG.txt` holds sentences without
an adverse effect (PMID NEG sentence). Three tasks: the drugs of a related sentence (task26), the dose of a
drug in a sentence (task29), and whether a sentence reports an adverse drug event (task37). The corpus
has no split: a deterministic 9:1 split by PMID keeps each abstract on one side.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

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
    entity_list,
    labelled,
)
from meds_ins.formats.text import open_text

AE = "ADE-Corpus-V2/DRUG-AE.rel"
DOSE = "ADE-Corpus-V2/DRUG-DOSE.rel"
NEG = "ADE-Corpus-V2/ADE-NEG.txt"

CORPUS = Corpus(
    id="ade_corpus_v2",
    name="ADE Corpus V2",
    paper_names=("ADE Corpus V2",),
    homepage="https://github.com/trunghlt/AdverseDrugReaction/tree/master/ADE-Corpus-V2",
    download="ADE-Corpus-V2/{DRUG-AE.rel,DRUG-DOSE.rel,ADE-NEG.txt} of github.com/trunghlt/AdverseDrugReaction",
    citation="""@article{gurulingappa2012development,
  title = {Development of a benchmark corpus to support the automatic extraction of drug-related adverse effects
           from medical case reports},
  author = {Gurulingappa, Harsha and Rajput, Abdul Mateen and Roberts, Angus and Fluck, Juliane and
            Hofmann-Apitius, Martin and Toldo, Luca},
  journal = {Journal of Biomedical Informatics},
  volume = {45},
  number = {5},
  pages = {885--892},
  year = {2012}
}""",
    license="unknown",
    license_source="no licence file in github.com/trunghlt/AdverseDrugReaction; ADE-Corpus-V2/README.txt only "
    "asks users to cite Gurulingappa et al. (2012)",
    redistribution=Withheld(
        "no licence or statement allowing redistribution found: the release's README.txt only "
        "asks users to cite Gurulingappa et al. (2012)"
    ),
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=(
        RawFile(
            AE, "drug-adverse effect relations, one per line: PMID|sentence|effect|begin|end|drug|begin|end"
        ),
        RawFile(DOSE, "drug-dose relations, one per line: PMID|sentence|dose|begin|end|drug|begin|end"),
        RawFile(NEG, "sentences without an adverse drug effect: PMID NEG sentence"),
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/trunghlt/AdverseDrugReaction/2851af96e26050cf551a2e1f716ff861f7b1059b/ADE-Corpus-V2/DRUG-AE.rel",
            target="ADE-Corpus-V2/DRUG-AE.rel",
            size=1_423_024,
            sha256="542cdc483ccc94927762eaf2c9a8ecac49a6c10037dda2895be6a6e20160f75a",
            note="third-party copy of the ADE-Corpus-V2 files, the one the Hugging Face ade_corpus_v2 loader reads",
        ),
        Download(
            "https://raw.githubusercontent.com/trunghlt/AdverseDrugReaction/2851af96e26050cf551a2e1f716ff861f7b1059b/ADE-Corpus-V2/DRUG-DOSE.rel",
            target="ADE-Corpus-V2/DRUG-DOSE.rel",
            size=59_669,
            sha256="78b46dfcdc1325d7f81e5e01f5a424e380e4b38fafca02f6e8f67064ca73f2db",
            note="third-party copy of the ADE-Corpus-V2 files, the one the Hugging Face ade_corpus_v2 loader reads",
        ),
        Download(
            "https://raw.githubusercontent.com/trunghlt/AdverseDrugReaction/2851af96e26050cf551a2e1f716ff861f7b1059b/ADE-Corpus-V2/ADE-NEG.txt",
            target="ADE-Corpus-V2/ADE-NEG.txt",
            size=2_308_469,
            sha256="8f506c159042ce354fbf26981dc39971dde8f09b1158d94106eab1e516e53fcf",
            note="third-party copy of the ADE-Corpus-V2 files, the one the Hugging Face ade_corpus_v2 loader reads",
        ),
    ),
    notes="Drugs are annotated only where they take part in a relation, so task26 uses the sentences of the two "
    "relation files. Mentions whose offsets include a stray leading or trailing space are stripped. The classification task is skewed as the corpus is: the full release has about 4,300 "
    "sentences with an adverse effect against 16,695 without.",
)

TASKS = (
    Task(
        "task26",
        "task26_drug_extraction_ade",
        "Named Entity Recognition",
        "Below is a sentence from a medical case report. List the drugs it holds responsible for an adverse "
        "effect and the drugs whose dose it states; leave out drugs it names in any other role, for instance "
        "as the treatment of an effect. Give each distinct name once, exactly as written, one per line, in "
        "order of appearance.",
        split_policy="random-9:1",
        notes="Sentences of DRUG-AE.rel and DRUG-DOSE.rel; the answer lists the drugs those relations name. "
        "The corpus marks a drug only where it takes part in a relation, so a sentence's other drugs are "
        "not annotated (41 of the 603 relation sentences of a sample of the release name a drug annotated "
        "in another sentence but not in theirs, such as olanzapine beside 'clozapine-induced "
        "granulocytopenia'). The instruction therefore asks for what the annotation holds, the drugs in a "
        "relation, rather than every drug: completing the answers by string matching would add drugs no "
        "annotator marked.",
    ),
    Task(
        "task29",
        "task29_drug_dose_extraction",
        "Information Extraction",
        "Below are a sentence from a medical case report and the name of a drug it mentions. Give the dose of "
        "that drug as the sentence states it (an amount, a schedule, or words such as high or overdose), "
        "copied exactly from the sentence.",
        split_policy="random-9:1",
        in_bench=True,
        notes="One instance per sentence and drug of DRUG-DOSE.rel; when the sentence gives that drug several "
        "doses, each is an acceptable answer, the first in the text primary. The published benchmark holds "
        "23 test items of this task.",
    ),
    Task(
        "task37",
        "task37_adverse_drug_event_classification",
        "Text Classification",
        "Does the sentence below, taken from a medical case report, describe an adverse drug event, that is "
        "harm caused by a medication? Reply yes or no.",
        split_policy="random-9:1",
        notes="Sentences of DRUG-AE.rel are 'yes', those of ADE-NEG.txt 'no'; the labels keep the corpus's "
        "imbalance (about one 'yes' in five).",
    ),
)


@dataclass
class Sentence:
    pmid: str
    text: str
    drugs: list[tuple[int, str]] = field(default_factory=list)  # (abstract offset, drug)
    doses: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # drug -> (offset, dose)
    adverse: bool = False


def generate(ctx: BuildContext) -> Iterator[Example]:
    sentences: dict[tuple[str, str], Sentence] = {}
    for path, kind in ((ctx.file(AE), "effect"), (ctx.file(DOSE), "dose")):
        for pmid, text, (begin, value), (drug_begin, drug) in _relations(path, kind):
            item = sentences.setdefault((pmid, text), Sentence(pmid, text))
            item.drugs.append((drug_begin, drug))
            if kind == "effect":
                item.adverse = True
            else:
                item.doses.setdefault(drug, []).append((begin, value))
    negatives = _negatives(ctx, ctx.file(NEG))

    for item in sentences.values():
        key = f"{item.pmid}-{_digest(item.text)}"
        output, meta = entity_list(drug for _, drug in sorted(item.drugs))
        yield Example("task26", key, item.text, output, group=item.pmid, meta=meta)
        for drug, doses in item.doses.items():
            answers = list(dict.fromkeys(dose for _, dose in sorted(doses)))
            yield Example(
                "task29",
                f"{item.pmid}-{_digest(item.text + '|' + drug)}",
                labelled(("Sentence", item.text), ("Drug", drug)),
                answers,
                group=item.pmid,
                meta={"drug": drug, "doses": answers},
            )
    for pmid, text in negatives:
        if (pmid, text) in sentences and sentences[(pmid, text)].adverse:
            ctx.skip("sentence both in DRUG-AE.rel and ADE-NEG.txt (left out of task37)")
            sentences[(pmid, text)].adverse = False
            continue
        yield Example("task37", f"{pmid}-{_digest(text)}", text, "no", group=pmid)
    for item in sentences.values():
        if item.adverse:
            yield Example("task37", f"{item.pmid}-{_digest(item.text)}", item.text, "yes", group=item.pmid)


def _relations(path: Path, kind: str) -> Iterator[tuple[str, str, tuple[int, str], tuple[int, str]]]:
    """(PMID, sentence, (offset, effect or dose), (offset, drug)) per line, each mention checked."""
    with open_text(path) as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            fields = line.split("|")
            if len(fields) < 8 or not fields[0].isdigit():
                raise RawFormatError(
                    path,
                    f"line {number}",
                    f"expected 8 '|'-separated fields: PMID|sentence|{kind}|begin|end|drug|begin|end",
                )
            # a sentence may itself contain '|': the six relation fields are the last ones
            text = "|".join(fields[1:-6]).strip()
            value, drug = (
                _mention(path, number, text, fields[-6:-3]),
                _mention(path, number, text, fields[-3:]),
            )
            yield fields[0], text, value, drug


def _mention(path: Path, number: int, sentence: str, fields: list[str]) -> tuple[int, str]:
    text, begin, end = fields
    if not (begin.isdigit() and end.isdigit()) or int(end) - int(begin) != len(text):
        raise RawFormatError(path, f"line {number}", f"offsets {begin}-{end} do not fit the mention {text!r}")
    if not text.strip() or text.strip() not in sentence:
        raise RawFormatError(path, f"line {number}", f"mention {text!r} does not occur in the sentence")
    # a few mentions carry a stray space inside their offsets (' minocycline', 'anaphylaxis ')
    return int(begin) + len(text) - len(text.lstrip()), text.strip()


def _negatives(ctx: BuildContext, path: Path) -> list[tuple[str, str]]:
    found: dict[tuple[str, str], None] = {}
    with open_text(path) as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            parts = line.split(" ", 2)
            if len(parts) != 3 or not parts[0].isdigit() or parts[1] != "NEG" or not parts[2].strip():
                raise RawFormatError(path, f"line {number}", "expected 'PMID NEG sentence'")
            item = (parts[0], parts[2].strip())
            if item in found:
                ctx.skip("repeated ADE-NEG.txt line")
            found[item] = None
    return list(found)


def _digest(text: str) -> str:
    """A short stable key for a sentence: the corpus gives sentences no identifiers of their own."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


BUILDER = Builder(CORPUS, TASKS, generate)
