"""Data audits: defects that schemas cannot see, found with column-wide polars expressions.

Each batch of records (columns split, loc, input, output) is reduced at once to 64-bit hashes and a few
numbers per record, and text problems are counted as they pass; the texts themselves are not kept. The
per-task audits (constant output, label skew, duplicates and conflicts, train/test leakage, length caps)
then work on the hashes, and `cross_task_findings` compares the tasks of one corpus.

Thresholds, chosen so that a finding means something and stated in every message:
- constant output and label skew need MIN_ROWS references in a split; below that, chance decides;
- label skew is looked at for classification-like splits (fewer than SKEW_MAX_LABELS distinct primary
  references) and flagged below SKEW_MIN_ENTROPY normalized entropy: the Super-NaturalInstructions
  threshold, which a 76/24 binary split just reaches; the message gives the majority share, i.e. the
  score of always giving that answer;
- a length cap is suspected when at least CAP_MIN_ROWS references (and 1%) share the maximum length,
  and that length is at least CAP_MIN_LENGTH characters.
"""

from __future__ import annotations

import math
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from meds_ins._validation.findings import SAMPLES, Describe, Finding, Tally, also, count_locations, finding

MIN_ROWS = 20
SKEW_MAX_LABELS = 15
SKEW_MIN_ENTROPY = 0.8
CAP_MIN_ROWS = 10
CAP_MIN_LENGTH = 100
SEED = 20240821
LABEL_TEXT = 80  # characters of a reference quoted in messages

CONTROL = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x{9F}]"  # not tab, newline or carriage return
BROKEN = r"\x{FFFD}|Ã[\x{80}-\x{BF}]|Â[\x{80}-\x{BF}]|â€"  # replacement character, UTF-8 read as Latin-1
# Word boundaries are ASCII ones, (?-u:\b): a Unicode boundary stops the regex engine's DFA at the first
# non-ASCII character, and the fallback crawls through CJK text at a few MB/s (85x slower, measured).
# Digits are ASCII too: phone and record numbers are written with them.
B = r"(?-u:\b)"
PERSONAL = {
    "an e-mail address": r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
    "a phone number": (
        rf"(?:\+[0-9]{{1,3}}[ .-]?)?(?:\([0-9]{{3}}\)|{B}[0-9]{{3}})[ .-][0-9]{{3}}[ .-][0-9]{{4}}{B}"
    ),
    "a date of birth": rf"(?i){B}(?:dob|d\.o\.b|date of birth|born on){B}\W{{0,3}}[0-9]",
    "a record or social security number": (
        rf"(?i){B}(?:mrn|medical record (?:number|no)|patient id|ssn|social security (?:number|no)){B}"
        rf"\W{{0,3}}[A-Z0-9-]{{4,}}|{B}[0-9]{{3}}-[0-9]{{2}}-[0-9]{{4}}{B}"
    ),
}
ELLIPSIS = r"(?:\.\.\.|…)\s*$"


def _any_pattern(public: bool) -> str:
    """One regular expression matching wherever any of the text audits' patterns matches."""
    patterns = [CONTROL, BROKEN, *(PERSONAL.values() if public else ())]
    # inline flags such as (?i) must scope to their own alternative
    scoped = [f"(?i:{p[4:]})" if p.startswith("(?i)") else f"(?:{p})" for p in patterns]
    return "|".join(scoped)


# Removed by the normalization for near-duplicates: ASCII punctuation, whitespace and the common
# Unicode punctuation (literal patterns: one Aho-Corasick pass, far cheaper than a Unicode regex).
IGNORED = sorted(
    set(string.punctuation + string.whitespace)
    | set(
        "\u00a0\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u3000\u3001\u3002\uff0c\uff1a\uff1b\uff01\uff1f\uff08\uff09"
    )
)


def normalized(text: pl.Expr) -> pl.Expr:
    """The form two near-duplicate texts share: lower case, without punctuation and whitespace."""
    return text.str.to_lowercase().str.replace_many(IGNORED, [""] * len(IGNORED))


# Normalizing is the audits' costliest step (most characters are spaces or punctuation to remove), and
# a normalized input only matters if another one shares it. So in stores (`deferred`), every input is
# first keyed by its first KEY_CHARS normalized characters, taken from its first HEAD_CHARS characters:
# the test inputs (read first), then the train inputs, which are normalized whole only where a test
# input has their key. Last, `resolve_deferred` normalizes whole the test inputs that share a key with
# such a train input. A few rows, not all.
HEAD_CHARS = 128
KEY_CHARS = 64


def _key(norm: pl.Expr) -> pl.Expr:
    return norm.str.slice(0, KEY_CHARS).hash(SEED)


def as_is(loc: Any) -> tuple[str, str | None, int | None]:
    return str(loc), None, None


@dataclass
class TaskAudit:
    """Accumulates one task's records batch by batch; `findings()` runs the audits.

    The `loc` column of a batch says where a record is: a record id for stores, or a compact integer
    for task files that `describe` turns into (location, file, line) for the few locations shown.
    """

    task: str
    public: bool  # corpus marked public: look for personal data
    describe: Describe = as_is
    tally: Tally = field(default_factory=Tally)
    parts: list[pl.DataFrame] = field(default_factory=list)
    labels: dict[int, str] = field(default_factory=dict)
    rows: int = 0
    # Stores: normalize whole only inputs whose key another input shares (see HEAD_CHARS).
    deferred: bool = False
    # Keys of the test inputs of the whole corpus, set once they are all added (deferred only).
    test_keys: pl.Series | None = None

    def add(self, table: pa.Table) -> None:
        """Reduce a batch (split, loc, input, output) to hashes and count its text problems."""
        if not table.num_rows:
            return
        df = pl.from_arrow(table)
        assert isinstance(df, pl.DataFrame)
        primary = pl.col("output").list.first().fill_null("")
        df = df.with_columns(primary.alias("primary"), pl.col("output").list.join("\n").alias("refs"))
        norm = self._normalized(df)
        self.parts.append(
            df.select(
                "split",
                "loc",
                pl.col("input").hash(SEED).alias("h_in"),
                pl.when(norm["norm"].is_not_null()).then(norm["norm"].hash(SEED)).alias("h_norm"),
                norm["key"],
                pl.col("output").list.join("\x1f").hash(SEED).alias("h_out"),
                pl.col("primary").hash(SEED).alias("h_label"),
                pl.col("primary").str.len_chars().alias("out_len"),
            )
        )
        self.rows += df.height
        if len(self.labels) <= SKEW_MAX_LABELS:
            for h, text in (
                df.select(pl.col("primary").hash(SEED).alias("h"), "primary").unique("primary").iter_rows()
            ):
                self.labels.setdefault(h, text)
                if len(self.labels) > SKEW_MAX_LABELS:
                    break
        self._text_problems(df)

    def _normalized(self, df: pl.DataFrame) -> pl.DataFrame:
        """Columns `norm` (each input normalized whole, or null where that is deferred) and `key`."""
        text = pl.col("input")
        if not self.deferred:
            return df.select(normalized(text).alias("norm")).with_columns(_key(pl.col("norm")).alias("key"))
        df = df.select(
            text,
            pl.int_range(pl.len()).alias("row"),
            normalized(text.str.slice(0, HEAD_CHARS)).alias("norm"),
            # the head is the whole input (comparing byte lengths: cheaper than counting characters)
            (text.str.slice(0, HEAD_CHARS).str.len_bytes() == text.str.len_bytes()).alias("whole"),
        ).with_columns(_key(pl.col("norm")).alias("key"))
        # A key needs one normalized character beyond it: that makes the head's end, where a letter's
        # case can depend on what follows, fall outside the key. Shorter heads are normalized whole now.
        whole_now = pl.col("norm").str.len_chars() <= KEY_CHARS
        if self.test_keys is not None:  # train inputs: whole where a test input has the key
            whole_now = whole_now | pl.col("key").is_in(self.test_keys.implode())
        df = df.with_columns(
            (~pl.col("whole") & whole_now).alias("redo"),
            pl.when(pl.col("whole")).then(pl.col("norm")).alias("norm"),
        )
        again = df.filter(pl.col("redo")).select("row", normalized(text).alias("norm"))
        if again.height:
            again = again.with_columns(_key(pl.col("norm")).alias("key"))
            df = df.with_columns(df["norm"].scatter(again["row"], again["norm"]))
            df = df.with_columns(df["key"].scatter(again["row"], again["key"]))
        return df.select("norm", "key")

    def test_input_keys(self) -> pl.Series:
        """The keys of this task's test inputs, for `test_keys` of the corpus's train inputs."""
        df = self.frame()
        if not df.height:
            return pl.Series("key", [], dtype=pl.UInt64)
        return df.filter(pl.col("split") != "train")["key"].unique()

    def normalized_train_keys(self) -> pl.Series:
        """The keys of the train inputs normalized whole."""
        df = self.frame()
        if not df.height:
            return pl.Series("key", [], dtype=pl.UInt64)
        return df.filter((pl.col("split") == "train") & pl.col("h_norm").is_not_null())["key"].unique()

    def resolve(self, keys: pl.Series, test_inputs: Callable[[], Iterable[pa.Array]]) -> None:
        """Normalize whole the test inputs that have one of `keys`; `test_inputs` gives the test inputs
        again, batch by batch in the order they were added."""
        if not self.rows:
            return
        df = self.frame().with_row_index("index")
        test = df.filter(pl.col("split") != "train")
        wanted = test.filter(pl.col("h_norm").is_null() & pl.col("key").is_in(keys.implode()))["index"]
        if not wanted.len():
            return
        positions = test["index"]  # the test rows' places in the frame, in the order they were added
        places, hashes, offset = [], [], 0
        for batch in test_inputs():
            rows = positions.slice(offset, len(batch))
            offset += len(batch)
            pick = rows.is_in(wanted.implode())
            if pick.any():
                inputs = pl.DataFrame({"input": pc.fill_null(batch, "")}).filter(pick)
                hashes.append(inputs.select(normalized(pl.col("input")).hash(SEED))["input"])
                places.append(rows.filter(pick))
        h_norm = df["h_norm"].scatter(pl.concat(places), pl.concat(hashes))
        self.parts = [df.drop("index").with_columns(h_norm)]

    def _text_problems(self, df: pl.DataFrame) -> None:
        # One pass of a combined pattern over all the text; the patterns one by one only where it matched
        # (a handful of rows), instead of a pass per pattern.
        def found(pattern: str) -> pl.Expr:
            return pl.col("input").str.contains(pattern) | pl.col("refs").str.contains(pattern)

        suspects = df.filter(found(_any_pattern(self.public)))
        checks = {
            ("audit.control-characters", "control characters in the text"): found(CONTROL),
            ("audit.broken-encoding", "U+FFFD or mojibake such as 'Ã©' in the text"): found(BROKEN),
        }
        if self.public:
            for kind, pattern in PERSONAL.items():
                checks[("audit.personal-data", f"{kind} in a public corpus")] = found(pattern)
        flags = suspects.select(
            pl.col("loc"), *(expr.alias(str(i)) for i, expr in enumerate(checks.values()))
        )
        for i, (code, detail) in enumerate(checks):
            self._count(code, detail, flags.filter(pl.col(str(i)))["loc"])
        ellipsis = df.filter(pl.col("primary").str.contains(ELLIPSIS))
        self._count("audit.truncated-reference", "the reference ends with an ellipsis", ellipsis["loc"])
        self._cut_words(df)

    def _cut_words(self, df: pl.DataFrame) -> None:
        """References copied out of the input that stop inside one of its words ('hepatocellular carc').

        Truncated: at least one occurrence starts a word, and every occurrence runs on into a letter or
        digit. ('levodopa' in 'levodopa-induced' is whole; 'yes' inside 'methoxyestradiol' starts no word.)
        """
        ref = pl.col("primary")
        alnum = r"^[\p{L}\p{N}]"
        candidates = df.filter(
            (ref.str.len_chars() >= 3)
            & ref.str.slice(0, 1).str.contains(alnum)
            & ref.str.slice(-1, 1).str.contains(alnum)
        )
        # The reference's tail first: a short needle is searched far faster than a long one.
        candidates = candidates.filter(pl.col("input").str.contains(ref.str.slice(-24), literal=True))
        candidates = candidates.filter(pl.col("input").str.contains(ref, literal=True))
        if not candidates.height:
            return
        pieces = pl.col("input").str.split(ref)
        runs_on = pieces.list.slice(1).list.eval(pl.element().str.slice(0, 1).str.contains(alnum)).list.all()
        starts = pieces.list.head(pieces.list.len() - 1).list.eval(
            ~pl.element().str.slice(-1, 1).str.contains(alnum)
        )
        cut = candidates.filter(runs_on & starts.list.any())
        self._count("audit.truncated-reference", "the reference stops inside a word of the input", cut["loc"])

    def _count(self, code: str, detail: str, locs: pl.Series) -> None:
        count_locations(self.tally, code, detail, locs.head(SAMPLES).to_list(), locs.len(), self.describe)

    # -- audits over the whole task -------------------------------------------------------------
    def frame(self) -> pl.DataFrame:
        if not self.parts:
            return pl.DataFrame()
        if len(self.parts) > 1:
            self.parts = [pl.concat(self.parts)]
        return self.parts[0]

    def findings(self) -> list[Finding]:
        found = self.tally.findings()
        df = self.frame()
        if not df.height:
            return found
        for split in sorted(df["split"].unique().drop_nulls().to_list()):
            part = df.filter(pl.col("split") == split)
            found += self._labels(split, part)
            found += self._duplicates(split, part)
        found += self._leakage(df)
        found += self._length_cap(df)
        return found

    def _finding(self, code: str, locs: list[Any], message: str) -> Finding:
        described = [self.describe(loc) for loc in locs[:SAMPLES]]
        first, file, line = described[0]
        others = [d[0] for d in described[1:]]
        more = also(first, others, len(locs) - 1, in_file=file is not None)
        more = more.replace("; also", "; e.g. also", 1)
        return finding(code, first, message + more, file=file, line=line)

    def _label(self, h: int) -> str:
        text = self.labels.get(h, "?")
        return text if len(text) <= LABEL_TEXT else text[: LABEL_TEXT - 3] + "..."

    def _labels(self, split: str, part: pl.DataFrame) -> list[Finding]:
        n = part.height
        if n < MIN_ROWS:
            return []
        if part["h_out"].n_unique() == 1:
            return [
                self._finding(
                    "audit.constant-output",
                    part["loc"].head(SAMPLES).to_list(),
                    f"all {n} {split} references of {self.task} are {self._label(part['h_label'][0])!r}: "
                    "answering that always scores 100%",
                )
            ]
        # Counting distinct labels first: most splits of a large task have far too many to be skewed,
        # and counting each of millions of labels was a second of a 2.7M-record task.
        k = part["h_label"].n_unique()
        if not 2 <= k < SKEW_MAX_LABELS:
            return []
        counts = part["h_label"].value_counts(name="n").sort(["n", "h_label"], descending=[True, False])
        p = counts["n"].to_numpy() / n
        entropy = float(-(p * np.log(p)).sum() / math.log(k))
        if entropy >= SKEW_MIN_ENTROPY:
            return []
        top = counts.row(0, named=True)
        majority = part.filter(pl.col("h_label") == top["h_label"])["loc"].head(SAMPLES).to_list()
        return [
            self._finding(
                "audit.label-skew",
                majority,
                f"{self.task} {split}: normalized entropy {entropy:.3f} < {SKEW_MIN_ENTROPY} over {k} "
                f"distinct references (checked below {SKEW_MAX_LABELS} of them, from {MIN_ROWS} records); "
                f"{self._label(top['h_label'])!r} is {top['n'] / n:.0%} of {n}, so always answering it "
                f"scores {top['n'] / n:.0%}",
            )
        ]

    def _duplicates(self, split: str, part: pl.DataFrame) -> list[Finding]:
        # Only inputs that repeat are grouped (few rows): grouping all of them kept a list of locations
        # per distinct input.
        groups = (
            part.filter(pl.col("h_in").is_duplicated())
            .group_by("h_in")
            .agg(pl.len().alias("n"), pl.col("h_out").n_unique().alias("refs"), pl.col("loc").head(SAMPLES))
            .filter(pl.col("n") > 1)
        )
        found = []
        for code, rows in (
            ("audit.conflicting-references", groups.filter(pl.col("refs") > 1)),
            ("audit.duplicate-input", groups.filter(pl.col("refs") == 1)),
        ):
            if not rows.height:
                continue
            # the largest group first; among equals, the one met first (group order is not stable)
            first = pl.col("loc").list.first()
            rows = rows.sort([pl.col("n"), pl.col("refs"), first], descending=[True, True, False])
            top = rows.row(0, named=True)
            extra = int(rows["n"].sum())
            if code == "audit.conflicting-references":
                message = (
                    f"{rows.height} input(s) of {self.task} {split} repeat with different references "
                    f"({extra} instances); the largest: one input {top['n']} times with {top['refs']} "
                    "different references"
                )
            else:
                message = (
                    f"{rows.height} input(s) of {self.task} {split} repeat with the same references "
                    f"({extra} instances); the largest: one input {top['n']} times"
                )
            found.append(self._finding(code, top["loc"], message))
        return found

    def _leakage(self, df: pl.DataFrame) -> list[Finding]:
        train = df.filter(pl.col("split") == "train")
        test = df.filter(pl.col("split") == "test")
        if not train.height or not test.height:
            return []
        exact = pl.col("h_in").is_in(train["h_in"].implode())
        near = ~exact & pl.col("h_norm").is_in(train["h_norm"].drop_nulls().implode()).fill_null(False)
        found = []
        for code, mask, how in (
            ("audit.train-test-overlap", exact, "exactly"),
            ("audit.train-test-near-duplicate", near, "after normalizing case, punctuation and spacing"),
        ):
            hits = test.filter(mask)
            if hits.height:
                found.append(
                    self._finding(
                        code,
                        hits["loc"].head(SAMPLES).to_list(),
                        f"{hits.height} of {test.height} test inputs of {self.task} occur in its train split "
                        f"({how})",
                    )
                )
        return found

    def _length_cap(self, df: pl.DataFrame) -> list[Finding]:
        longest = df["out_len"].max()
        if longest is None or longest < CAP_MIN_LENGTH:  # type: ignore[operator]
            return []
        at_cap = df.filter(pl.col("out_len") == longest)
        if at_cap.height < max(CAP_MIN_ROWS, df.height // 100):
            return []
        return [
            self._finding(
                "audit.truncated-reference",
                at_cap["loc"].head(SAMPLES).to_list(),
                f"{at_cap.height} references of {self.task} have exactly the maximum length, {longest} "
                f"characters (flagged from {CAP_MIN_ROWS} references and 1% at a maximum of at least "
                f"{CAP_MIN_LENGTH}): cut at a length limit?",
            )
        ]


def share_test_keys(audits: dict[str, TaskAudit]) -> None:
    """Once a corpus's test inputs are added: give every task the keys of all of them, so that its train
    inputs are normalized whole where a test input may match (see HEAD_CHARS)."""
    keys = pl.concat([audit.test_input_keys() for audit in audits.values()]).unique()
    for audit in audits.values():
        audit.test_keys = keys


def resolve_deferred(audits: dict[str, TaskAudit], test_inputs: Callable[[str], Iterable[pa.Array]]) -> None:
    """Once a corpus's train inputs are added: normalize whole the test inputs that share a key with a
    train input normalized whole. `test_inputs(task)` gives a task's test inputs again, as added."""
    keys = [audit.normalized_train_keys() for audit in audits.values()]
    if not keys:
        return
    shared = pl.concat(keys).unique()
    for name, audit in audits.items():
        audit.resolve(shared, lambda name=name: test_inputs(name))


def cross_task_findings(audits: dict[str, TaskAudit]) -> dict[str, list[Finding]]:
    """Test inputs of each task that occur (normalized) in the train split of another task of the corpus."""
    names = list(audits)
    trains, tests = [], []
    for index, name in enumerate(names):
        df = audits[name].frame()
        if not df.height:
            continue
        task = pl.lit(index, dtype=pl.UInt16).alias("task")
        trains.append(df.filter(pl.col("split") == "train").select("h_norm", task).unique("h_norm"))
        tests.append(df.filter(pl.col("split") == "test").select("h_norm", "loc", task))
    if len(trains) < 2 or not any(t.height for t in tests):
        return {}
    # Per normalized input: in how many tasks' train splits it occurs, and one of them.
    owners = pl.concat(trains).group_by("h_norm").agg(pl.len().alias("owners"), pl.col("task").first())
    test = pl.concat(tests)
    hits = test.join(owners.rename({"task": "owner"}), on="h_norm").filter(
        (pl.col("owners") > 1) | (pl.col("owner") != pl.col("task"))
    )
    found: dict[str, list[Finding]] = {}
    for (index,), rows in hits.group_by("task", maintain_order=True):
        name = names[int(index)]
        audit = audits[name]
        tested = test.filter(pl.col("task") == index).height
        found[name] = [
            audit._finding(
                "audit.cross-task-overlap",
                rows["loc"].head(SAMPLES).to_list(),
                f"{rows.height} of {tested} test inputs of {name} occur (normalized) in the train split of "
                "another task of the same corpus",
            )
        ]
    return found
