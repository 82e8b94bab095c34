"""Property-based fuzzing of every reader of user files: whatever the bytes, the reader returns or raises
the package's own error (a MedsInsError), never another exception, and never hangs.

Inputs are random bytes, and the package's own fixture files mutated (bytes replaced, cut, repeated;
deep nesting, numbers of thousands of digits, lone surrogate escapes, Latin-1 and UTF-16 text spliced
in). Each example has a time limit (SIGALRM). The run is bounded for CI: MEDS_INS_FUZZ_EXAMPLES sets
the examples per reader (default 40), e.g. `MEDS_INS_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py` for
a long run.
"""

from __future__ import annotations

import os
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meds_ins._common.errors import MedsInsError

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = int(os.environ.get("MEDS_INS_FUZZ_EXAMPLES") or 40)
SECONDS_PER_EXAMPLE = int(os.environ.get("MEDS_INS_FUZZ_SECONDS") or 20)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the alarm below bounds each example; hypothesis's deadline would flake on a busy machine
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
    derandomize=not os.environ.get("MEDS_INS_FUZZ_RANDOM"),  # CI runs are reproducible
    database=None,
)

SPLICES = [
    b"[" * 50_000,
    b'{"a":' * 20_000,
    b"9" * 5_000,
    b'"\\ud800"',
    b"\xe9t\xe9",
    "fièvre".encode("utf-16"),
    b"\x00",
    b"\r\n",
    b"\t",
    b'"',
    b",",
    b"}",
    b"]",
    b"<",
    b"null",
]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed file with a few random edits."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["splice", "replace", "cut", "repeat", "truncate"]))
        if kind == "splice":
            data[at:at] = draw(st.sampled_from(SPLICES))
        elif kind == "replace":
            piece = draw(st.binary(min_size=1, max_size=8))
            data[at : at + len(piece)] = piece
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
        else:
            del data[at:]
    return bytes(data)


def contents(seed: Path | None) -> st.SearchStrategy[bytes]:
    noise = st.binary(max_size=2_000)
    return noise if seed is None else st.one_of(noise, mutated(seed.read_bytes()))


class Hang(Exception):
    pass


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def alarm(signum: int, frame: Any) -> None:
        raise Hang(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


RUN: dict[str, int] = {}  # examples tried per reader, printed after each test (seen with pytest -s)


def survive(read: Callable[[Path], Any], name: str, data: bytes) -> None:
    """Write `data` as a file called `name` and read it: only MedsInsError may come out."""
    RUN[name] = RUN.get(name, 0) + 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        with time_limit(SECONDS_PER_EXAMPLE):
            try:
                result = read(path)
                if isinstance(result, Iterator):
                    for _ in result:
                        pass
            except MedsInsError:
                pass


def _fixture(relative: str) -> Path:
    return FIXTURES / relative


def _readers() -> list[tuple[str, str, Path | None, Callable[[Path], Any]]]:
    """(id, file name, seed file, reader) for every reader of user files."""
    from meds_ins._bench.predictions import read_predictions
    from meds_ins._validation.paraphrase_file import read_paraphrase_file
    from meds_ins._validation.task_files import validate_task_files
    from meds_ins.formats import (
        brat,
        clinical_notes,
        icd10,
        iob,
        jsonfiles,
        mslr,
        obo,
        pubtator,
        spert,
        squad,
        tables,
        xmlfiles,
    )

    def brat_pair(path: Path) -> Any:
        text = brat.read_text(path)
        return brat.iter_text_bounds(path, text)

    return [
        ("task-file", "task9001_toy_fact_verification.json",
         _fixture("validator/task9001_toy_fact_verification.json"), lambda p: validate_task_files([p])),
        ("task-file-jsonl", "task9001_toy.jsonl", None, lambda p: validate_task_files([p])),
        ("paraphrases", "paraphrases.json", None, read_paraphrase_file),
        ("predictions-csv", "p.csv", None, read_predictions),
        ("predictions-jsonl", "p.jsonl", None, read_predictions),
        ("json", "x.json", _fixture("pubmedqa/ori_pqal.json"), jsonfiles.read_json),
        ("json-lines", "x.jsonl", None, jsonfiles.iter_json_lines),
        ("json-records", "x.json", _fixture("chatdoctor/HealthCareMagic-100k.json"),
         lambda p: jsonfiles.iter_text_records(p, ("input", "output"))),
        ("csv", "x.csv", _fixture("biolord/BioLORD-Dataset.csv"), lambda p: tables.iter_csv(p, ["a"])),
        ("tsv", "x.tsv", _fixture("healthfact/PUBHEALTH/train.tsv"),
         lambda p: tables.iter_csv(p, [], delimiter="\t")),
        ("zipped-csv", "x.zip", _fixture("cmedqa2/question.zip"), lambda p: tables.iter_zipped_csv(p, [])),
        ("xlsx", "x.xlsx", _fixture("medicationqa/MedInfo2019-QA-Medications.xlsx"),
         lambda p: tables.iter_xlsx(p, "DrugQA", [])),
        ("iob", "x.tsv", _fixture("bc2gm/BC2GM-IOB/train.tsv"), iob.iter_sentences),
        ("pubtator", "x.txt", _fixture("bc5cdr/CDR_TrainingSet.PubTator.txt"), pubtator.iter_documents),
        ("brat", "x.ann", None, brat_pair),
        ("obo", "x.obo", _fixture("disease_ontology/doid.obo"), obo.read_obo),
        ("icd10-order", "x.txt", _fixture("icd10_cm/Code Descriptions/icd10cm_order_2025.txt"),
         icd10.iter_order_file),
        ("icd10-codes", "x.txt", None, icd10.iter_code_file),
        ("squad", "x.json", _fixture("covid_qa/data/question-answering/COVID-QA.json"), squad.iter_squad),
        ("spert", "x.json", _fixture("clinical_trials_gov/data/ner/spert/train.json"), spert.iter_entries),
        ("spert-types", "x.json", _fixture("clinical_trials_gov/data/ner/spert/types.json"),
         spert.read_types),
        ("mslr", "x.csv", _fixture("ms2/train-reviews-info.csv"), mslr.iter_reviews),
        ("xml", "x.xml", _fixture("ebm_summariser/ClinicalInquiries.xml"), xmlfiles.read_xml),
        ("notes", "x.csv", None, lambda p: clinical_notes.iter_note_table(p, ["text"])),
        ("notes-gz", "x.csv.gz", None, lambda p: clinical_notes.iter_note_table(p, ["text"])),
    ]  # fmt: skip


READERS = _readers()


@pytest.mark.parametrize("reader_id", [r[0] for r in READERS])
def test_readers_raise_only_their_own_errors(reader_id: str):
    _, name, seed, read = next(r for r in READERS if r[0] == reader_id)
    if seed is not None and not seed.is_file():
        pytest.fail(f"the seed fixture {seed} is gone: point the fuzz test at another")

    @FUZZ
    @given(data=contents(seed))
    def check(data: bytes) -> None:
        survive(read, name, data)

    RUN.clear()
    check()
    print(f"\n{reader_id}: {sum(RUN.values())} examples, no exception but the package's own")


def test_the_importer_raises_only_its_own_errors(tmp_path: Path):
    from meds_ins._validation.importer import import_files

    seed = _fixture("validator/task9001_toy_fact_verification.json")
    stores = iter(range(10**9))

    def read(path: Path) -> Any:
        for allow in (False, True):
            import_files([path], tmp_path / f"store{next(stores)}", allow_errors=allow, progress=False)

    @settings(FUZZ, max_examples=max(10, EXAMPLES // 2))
    @given(data=contents(seed))
    def check(data: bytes) -> None:
        survive(read, "task9001_toy_fact_verification.json", data)

    RUN.clear()
    check()
    print(f"\nimporter: {sum(RUN.values())} examples, no exception but the package's own")
