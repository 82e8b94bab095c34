"""Talking to the Hugging Face Hub: repository ids, how meds-ins names itself to the client, and the
client's exceptions turned into the package's errors (what failed, what to do; never the token)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from meds_ins._common.errors import HubError, MedsInsError, StoreNotFoundError, UsageError
from meds_ins._common.version import VERSION

REPO_TYPE = "dataset"
REPO_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")


def looks_like_repo_id(text: str) -> bool:
    return REPO_ID.fullmatch(text) is not None and ".." not in text and not text.endswith((".", "-"))


def check_repo_id(repo_id: str) -> None:
    if not looks_like_repo_id(repo_id) or len(repo_id) > 96:
        raise UsageError(
            f"{repo_id!r} is not a Hub repository id: write ORG/NAME (letters, digits, '-', '_', '.'; "
            "at most 96 characters), e.g. meds-ins/meds-ins"
        )


def client_info() -> dict[str, str]:
    """How meds-ins names itself in the Hub client's user agent."""
    return {"library_name": "meds-ins", "library_version": VERSION}


def endpoint() -> str:
    from huggingface_hub import constants

    return constants.ENDPOINT


@contextmanager
def hub_errors(
    endpoint: str, action: str, *, nothing_changed: bool = False, loading: bool = False
) -> Iterator[None]:
    """Turn the client's exceptions into the package's errors, with what failed and what to do."""
    try:
        yield
    except MedsInsError:
        raise
    except Exception as e:
        from huggingface_hub.errors import RepositoryNotFoundError, RevisionNotFoundError

        reason = explain(e, endpoint)
        if reason is None:
            raise
        suffix = " Nothing was changed on the Hub." if nothing_changed else ""
        cause = cause_of(e)
        if loading and isinstance(cause, (RepositoryNotFoundError, RevisionNotFoundError)):
            raise StoreNotFoundError(f"{action}: {reason}") from None
        raise HubError(f"{action} failed: {reason}{suffix}") from None


def cause_of(exc: BaseException) -> BaseException:
    """The Hub or network error behind an exception (the client wraps upload errors in RuntimeError)."""
    import httpx2
    from huggingface_hub.errors import LocalEntryNotFoundError, OfflineModeIsEnabled

    seen = exc
    while seen is not None:
        if isinstance(seen, (httpx2.HTTPError, OfflineModeIsEnabled)):
            return seen
        if isinstance(seen, LocalEntryNotFoundError) and seen.__cause__ is None:
            return seen
        seen = seen.__cause__ or seen.__context__
    return exc


def explain(exc: BaseException, endpoint: str) -> str | None:
    """A one-line reason for a Hub or network error, or None for other exceptions. Never shows the token."""
    import httpx2
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        LocalEntryNotFoundError,
        OfflineModeIsEnabled,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    if isinstance(exc, ValueError) and "Invalid metadata in README.md" in str(exc):
        return "the Hub rejected the dataset card: " + " ".join(str(exc).split("\n")[1:]).strip()
    e = cause_of(exc)
    if isinstance(e, GatedRepoError):
        return "the repository is gated; accept its conditions on the Hub with the account of your token"
    if isinstance(e, RepositoryNotFoundError):
        return f"no such dataset repository on {endpoint} (or it is private and your token cannot see it)"
    if isinstance(e, RevisionNotFoundError):
        return "no such revision in the repository"
    if isinstance(e, HfHubHTTPError):
        status = e.response.status_code
        said = (e.server_message or "").strip().splitlines()
        detail = f": {said[0]}" if said else ""
        if status == 401:
            return (
                f"the Hub rejected the token (401{detail}); log in again with `hf auth login` or set HF_TOKEN"
            )
        if status == 403:
            return (
                f"permission denied (403{detail}); your token needs write access to the repository's "
                "namespace, or propose the change with --create-pr"
            )
        if status == 413:
            return f"the Hub refused the upload as too large (413{detail})"
        if status == 412:
            return f"the repository changed while pushing (412{detail}); run the push again"
        if status >= 500:
            return f"the Hub failed ({status}{detail}); try again later"
        return f"the Hub answered {status}{detail}"
    uncached = (
        " and the files are not in the local Hugging Face cache"
        if isinstance(exc, LocalEntryNotFoundError)
        else ""
    )
    if isinstance(e, OfflineModeIsEnabled):
        return f"HF_HUB_OFFLINE=1 is set, so the Hub cannot be reached{uncached}"
    if isinstance(e, httpx2.HTTPError):
        return f"could not reach {endpoint} ({type(e).__name__}){uncached}; check the network and HF_ENDPOINT"
    if isinstance(e, LocalEntryNotFoundError):
        return f"could not reach {endpoint}{uncached}"
    return None
