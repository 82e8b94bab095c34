"""The version of meds-ins: one place, read by the package and by pyproject.toml."""

VERSION = "0.1.0"
