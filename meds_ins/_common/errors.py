"""Exceptions of meds-ins. Each carries a message a user can act on; the CLI maps them to exit codes."""

from __future__ import annotations


class MedsInsError(Exception):
    """Base class. `exit_code` is what the CLI exits with (1: the data or the work failed)."""

    exit_code = 1


class UsageError(MedsInsError):
    """Bad arguments: unknown task or corpus names, impossible option combinations."""

    exit_code = 2


class StoreNotFoundError(UsageError):
    """The store path or repository does not exist or is not a meds-ins store."""


class UnknownNameError(UsageError):
    """A task, corpus or category name that does not exist; the message suggests the closest names."""


class MissingRawFilesError(UsageError):
    """Raw corpus files a builder needs are absent; the message names each file and where to get it."""


class RawFormatError(MedsInsError):
    """A raw file does not have the expected format: names file, line or record, and what was expected."""

    def __init__(self, path: object, where: str | None, problem: str) -> None:
        self.path = str(path)
        self.where = where
        self.problem = problem
        location = f"{self.path}, {where}" if where else self.path
        super().__init__(f"{location}: {problem}")

    def __reduce__(self) -> tuple[type, tuple[str, str | None, str]]:
        # Builds in worker processes send their errors back pickled.
        return (type(self), (self.path, self.where, self.problem))


class BuilderError(MedsInsError):
    """A builder produced something the contract forbids (unknown task, duplicate key, bad split)."""


class ValidationFailed(MedsInsError):
    """Records or metadata break the schema; raised by builds so that nothing invalid is written."""


class StoreError(MedsInsError):
    """The store on disk is inconsistent or could not be written."""


class DownloadError(MedsInsError):
    """A corpus file could not be downloaded from any of its addresses, or did not match its checksum."""


class HubError(MedsInsError):
    """The Hugging Face Hub refused a request or could not be reached; says what was done and what to do."""
