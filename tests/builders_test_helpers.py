"""Small builders and metadata for tests of the framework (not corpora)."""

from __future__ import annotations

from meds_ins.builder import BY_LICENCE, Builder, Corpus, Example, RawFile, Task


def corpus_dict(**changes) -> dict:
    return make_corpus(**changes).to_dict()


def make_corpus(**changes) -> Corpus:
    fields = dict(
        id="toy",
        name="Toy corpus",
        homepage="https://example.org/toy",
        download="https://example.org/toy/files",
        citation="@misc{toy, title={Toy}}",
        license="CC0-1.0",
        license_source="test",
        redistribution=BY_LICENCE,
        access="public",
        languages=("en", "es"),
        text_source="Medical Knowledge",
        raw_files=(RawFile("items.txt", "one item per line: key<TAB>language<TAB>question<TAB>answer"),),
    )
    fields.update(changes)
    return Corpus(**fields)


TOY_TASK = Task(
    "task9001",
    "task9001_toy_question_answering",
    "Question Answering",
    "Answer the question.",
    split_policy="random-9:1",
    input_languages=("en", "es"),
)


def toy_generate(ctx):
    path = ctx.file("items.txt")
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        key, language, question, answer = line.split("\t")
        if not answer:
            ctx.skip("no answer")
            continue
        yield Example("task9001", key, question, answer, input_language=language, output_language=language)


def toy_builder(**changes) -> Builder:
    return Builder(make_corpus(**changes), (TOY_TASK,), toy_generate)


def write_toy_raw(folder, rows) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "items.txt").write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
