"""PubMedQA: yes/no/maybe research questions over PubMed abstracts (PQA-L, optionally PQA-A and PQA-U).

Official split: the PMIDs listed in test_ground_truth.json are the test set, every other labelled or
artificial question is training data.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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
    labelled,
)
from meds_ins.formats.jsonfiles import read_json, require

DECISIONS = ("yes", "no", "maybe")
QUESTION_KEYS = ("QUESTION", "CONTEXTS", "LABELS", "LONG_ANSWER")

CORPUS = Corpus(
    id="pubmedqa",
    name="PubMedQA",
    paper_names=("PubMedQA",),
    homepage="https://pubmedqa.github.io",
    download="https://github.com/pubmedqa/pubmedqa (data/ori_pqal.json and data/test_ground_truth.json; "
    "PQA-A and PQA-U through the links in its README)",
    citation="""@inproceedings{jin2019pubmedqa,
  title = {PubMedQA: A Dataset for Biomedical Research Question Answering},
  author = {Jin, Qiao and Dhingra, Bhuwan and Liu, Zhengping and Cohen, William and Lu, Xinghua},
  booktitle = {Proceedings of EMNLP-IJCNLP 2019},
  pages = {2567--2577},
  year = {2019}
}""",
    license="MIT",
    license_source="LICENSE file of github.com/pubmedqa/pubmedqa (Copyright (c) 2019 pubmedqa)",
    redistribution=BY_LICENCE,
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=(
        RawFile("ori_pqal.json", "PQA-L: 1,000 expert-labelled questions keyed by PMID"),
        RawFile("test_ground_truth.json", "PMIDs of the official PQA-L test set with their decisions"),
        RawFile(
            "ori_pqaa.json", "PQA-A: 211k artificially labelled questions (training only)", required=False
        ),
        RawFile(
            "ori_pqau.json", "PQA-U: 61k unlabelled questions (training only, no decision)", required=False
        ),
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/pubmedqa/pubmedqa/1cbae8e92f72f20c8d3747cbb3bf5bc53554d997/data/ori_pqal.json",
            target="ori_pqal.json",
            size=2_584_787,
            sha256="8b3276be8942ebbd77f3ddcda12c1749bf0e490045a736fd8438ee40cf37a41d",
        ),
        Download(
            "https://raw.githubusercontent.com/pubmedqa/pubmedqa/1cbae8e92f72f20c8d3747cbb3bf5bc53554d997/data/test_ground_truth.json",
            target="test_ground_truth.json",
            size=11_414,
            sha256="939fe566f09017d13b1ca64d2ddfee0bc2374b366048152997669cccedc44d51",
        ),
        Download(
            "https://drive.google.com/uc?id=15v1x6aQDlZymaHGP7cZJZZYFfeJt2NdS",
            target="ori_pqaa.json",
            manual="Google Drive asks a browser to confirm the download, which a program cannot do reliably: open the link, download the file and put it beside ori_pqal.json",
            optional=True,
        ),
        Download(
            "https://drive.google.com/uc?id=1RsGLINVce-0GsDkCLDuLZmoLuzfmoCuQ",
            target="ori_pqau.json",
            manual="Google Drive asks a browser to confirm the download, which a program cannot do reliably: open the link, download the file and put it beside ori_pqal.json",
            optional=True,
        ),
    ),
)

TASKS = (
    Task(
        "task11",
        "task11_pubmedqa_question_generation",
        "Text Completion",
        "Below are the background, methods and results passages of a biomedical abstract, without its "
        "conclusion. Write the single research question that this study was designed to answer.",
    ),
    Task(
        "task12",
        "task12_pubmedqa_classification",
        "Fact Verification",
        "You are given a biomedical research question, the conclusion of the study that examined it, and a "
        "proposed short answer (yes, no or maybe). Reply 'yes' if the proposed answer is the one the "
        "conclusion supports, otherwise reply 'no'.",
        in_bench=True,
        notes="Each question appears twice, once with the correct decision and once with a wrong one, so the "
        "labels are balanced; the released benchmark file of this task had only 'no' references.",
    ),
    Task(
        "task13",
        "task13_pubmedqa_question_generation",
        "Text Completion",
        "Here is the conclusion of a biomedical study. Write the research question, as one sentence ending "
        "with a question mark, that this conclusion answers.",
    ),
    Task(
        "task14",
        "task14_pubmedqa_classification",
        "Intent Identification",
        "The passage below is one part of a structured biomedical abstract. Identify the role it plays in "
        "the abstract and answer with its section label, for example BACKGROUND, METHODS or RESULTS.",
        notes="The category from the reference (intent identification) is read as the rhetorical role of an "
        "abstract passage; labels are the section names the abstracts themselves use.",
    ),
    Task(
        "task15",
        "task15_pubmedqa_answer_generation",
        "Question Answering",
        "Answer the biomedical research question using the abstract passages provided. Write the answer as "
        "the short conclusion an abstract would end with.",
    ),
    Task(
        "task123",
        "task123_pubmedqa_test_set",
        "Question Answering",
        "Answer the biomedical research question using the abstract passages provided. Reply with exactly "
        "one word: yes, no or maybe.",
        splits=("test",),
        split_policy="test-only",
        in_bench=True,
        notes="The official PQA-L test set (test_ground_truth.json); task124 holds the training part.",
    ),
    Task(
        "task124",
        "task124_pubmedqa_train_set",
        "Question Answering",
        "Answer the biomedical research question using the abstract passages provided. Reply with exactly "
        "one word: yes, no or maybe.",
        splits=("train",),
        split_policy="train-only",
        notes="PQA-L questions outside the official test set, plus PQA-A when ori_pqaa.json is given.",
        audit_exceptions={
            "audit.label-skew": "PubMedQA's own distribution: 'yes' outweighs 'no' and 'maybe' in PQA-L, and far more in PQA-A",
        },
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    labelled_path = ctx.file("ori_pqal.json")
    truth_path = ctx.file("test_ground_truth.json")
    questions = _questions(labelled_path)
    truth = read_json(truth_path)
    if not isinstance(truth, dict):
        raise RawFormatError(truth_path, None, "expected a JSON object mapping PMID to yes/no/maybe")
    for pmid, decision in truth.items():
        if pmid not in questions:
            raise RawFormatError(
                truth_path, f"PMID {pmid}", "listed as a test question but absent from ori_pqal.json"
            )
        if decision != questions[pmid]["final_decision"]:
            raise RawFormatError(
                truth_path,
                f"PMID {pmid}",
                f"decision {decision!r} differs from ori_pqal.json's "
                f"final_decision {questions[pmid]['final_decision']!r}",
            )
    for pmid, item in questions.items():
        yield from _examples(ctx, pmid, pmid, item, "test" if pmid in truth else "train", labelled_path)
    for name, prefix in (("ori_pqaa.json", "pqaa-"), ("ori_pqau.json", "pqau-")):
        path = ctx.optional(name)
        if path is not None:
            for pmid, item in _questions(path, decided=name == "ori_pqaa.json").items():
                yield from _examples(ctx, prefix + pmid, pmid, item, "train", path)


def _questions(path: Path, decided: bool = True) -> dict[str, Mapping[str, Any]]:
    data = read_json(path)
    if not isinstance(data, dict):
        raise RawFormatError(path, None, "expected a JSON object keyed by PMID")
    keys = QUESTION_KEYS + (("final_decision",) if decided else ())
    for pmid, item in data.items():
        require(item, keys, path, f"PMID {pmid}")
        if decided and item["final_decision"] not in DECISIONS:
            raise RawFormatError(
                path,
                f"PMID {pmid}",
                f"final_decision {item['final_decision']!r} is not one of {', '.join(DECISIONS)}",
            )
        if len(item["CONTEXTS"]) != len(item["LABELS"]):
            raise RawFormatError(
                path,
                f"PMID {pmid}",
                f"{len(item['CONTEXTS'])} CONTEXTS but {len(item['LABELS'])} LABELS; expected one label each",
            )
    return data


def _examples(
    ctx: BuildContext, key: str, pmid: str, item: Mapping[str, Any], split: str, path: Path
) -> Iterator[Example]:
    question = item["QUESTION"].strip()
    conclusion = item["LONG_ANSWER"].strip()
    passages = [
        (label.strip(), text) for label, text in zip(item["LABELS"], item["CONTEXTS"]) if text.strip()
    ]
    if len(passages) < len(item["CONTEXTS"]):
        ctx.skip("empty abstract passage", len(item["CONTEXTS"]) - len(passages))
    if not question or not passages:
        ctx.skip("question or abstract missing")
        return
    context = labelled(*passages)
    yield Example("task11", key, context, question, split=split, group=pmid)
    if conclusion:
        yield Example("task13", key, conclusion, question, split=split, group=pmid)
        yield Example(
            "task15",
            key,
            labelled(("Question", question), ("Context", context)),
            conclusion,
            split=split,
            group=pmid,
        )
    else:
        ctx.skip("no conclusion (LONG_ANSWER) for tasks 12, 13 and 15")
    for i, (label, text) in enumerate(passages):
        if label:
            yield Example("task14", f"{key}-{i}", text, label, split=split, group=pmid)
    decision = item.get("final_decision")
    if decision is None:
        return
    qa_input = labelled(("Context", context), ("Question", question))
    qa_task = "task123" if split == "test" else "task124"
    yield Example(qa_task, key, qa_input, decision, meta={"pmid": pmid})
    if conclusion:
        wrong = _other_decision(pmid, decision)
        for candidate in (decision, wrong):
            claim = labelled(
                ("Question", question), ("Conclusion", conclusion), ("Proposed answer", candidate)
            )
            yield Example(
                "task12",
                f"{key}-{candidate}",
                claim,
                "yes" if candidate == decision else "no",
                split=split,
                group=pmid,
            )


def _other_decision(pmid: str, decision: str) -> str:
    """A wrong decision chosen from the PMID, so the choice is the same on every build."""
    others = [d for d in DECISIONS if d != decision]
    return others[int(pmid) % 2] if pmid.isdigit() else others[0]


BUILDER = Builder(CORPUS, TASKS, generate)
