"""meds-ins: build, validate, load and publish MedS-Ins and MedS-Bench.

`meds_ins.load_dataset(...)` is the entry point for users; it is imported lazily so that
`import meds_ins` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["load_dataset", "__version__"]

if TYPE_CHECKING:
    from meds_ins.loader import load_dataset


def __getattr__(name: str) -> Any:
    if name == "load_dataset":
        from meds_ins.loader import load_dataset

        return load_dataset
    raise AttributeError(f"module 'meds_ins' has no attribute {name!r}")
