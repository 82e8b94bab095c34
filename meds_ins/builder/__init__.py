"""The builder stage, and the one import surface of a builder module (`builders/<corpus_id>.py`).

A builder declares its corpus and tasks and turns raw files into examples:

    from meds_ins.builder import BuildContext, Builder, Corpus, Example, RawFile, RawFormatError, Task

    BUILDER = Builder(CORPUS, TASKS, generate)

Everything a builder needs comes from here: the declarations (`Corpus` with its terms of redistribution
`BY_LICENCE`, `ReleaseStatement` or `Withheld`, `Task`, `RawFile`, `Download`, `Builder`),
what `generate(ctx)` receives and yields (`BuildContext`, `Example`), the errors it raises for bad raw
files, the handling of items a release repeats (`settle_repeats`, `merge_same_input`), the input/output
layouts that keep one kind of task reading the same everywhere, and ready-made recipes for release
layouts several corpora share. Parsers of shared raw formats are in
`meds_ins.formats`. CONTRIBUTING.md says how to write a builder step by step.

Inside: `_api` (declarations, the build context, raw-file checks), `_sources` (downloads), `_terms`
(terms of redistribution), `_repeats` (repeated items), `_layouts`, `_recipes`. This package
imports only `meds_ins.formats` and `meds_ins._common`.
"""

from meds_ins._common.errors import BuilderError, MissingRawFilesError, RawFormatError
from meds_ins.builder._api import (
    SPLITS,
    BuildContext,
    Builder,
    Corpus,
    Example,
    RawFile,
    Split,
    Task,
    missing_message,
    random_split,
)
from meds_ins.builder._layouts import (
    ENTITY_SEPARATOR,
    LABEL_SEPARATOR,
    NO_ENTITY,
    answered_choice,
    entity_instruction,
    entity_list,
    label_set,
    labelled,
    located_entity_list,
    multiple_choice,
    read_entity_list,
    typed_entity_list,
)
from meds_ins.builder._recipes import IOBEntities, summarized_reviews
from meds_ins.builder._repeats import merge_same_input, settle_repeats
from meds_ins.builder._sources import Download
from meds_ins.builder._terms import BY_LICENCE, ReleaseStatement, Withheld

__all__ = [
    "BY_LICENCE",
    "ENTITY_SEPARATOR",
    "LABEL_SEPARATOR",
    "NO_ENTITY",
    "SPLITS",
    "BuildContext",
    "Builder",
    "BuilderError",
    "Corpus",
    "Download",
    "Example",
    "IOBEntities",
    "MissingRawFilesError",
    "RawFile",
    "RawFormatError",
    "ReleaseStatement",
    "Split",
    "Task",
    "Withheld",
    "answered_choice",
    "entity_instruction",
    "entity_list",
    "label_set",
    "labelled",
    "located_entity_list",
    "merge_same_input",
    "missing_message",
    "multiple_choice",
    "random_split",
    "read_entity_list",
    "settle_repeats",
    "summarized_reviews",
    "typed_entity_list",
]
