"""Fetching one declared file: over HTTP(S) with resume, retries and mirrors, or from the Hugging Face
Hub through huggingface_hub; then checking it against its declared size and checksums.

A download is written to a partial file first. An interrupted transfer is resumed from where it
stopped (an HTTP Range request; the Hub client resumes its own), transient failures (network errors,
timeouts, HTTP 408/429/5xx) are retried with exponential back-off, and an address that keeps failing
or refuses the file (HTTP 404, 403...) gives way to the next mirror. A file that does not match its
checksum is deleted and the next mirror is tried; when none is left, the error names the file, the
checksum expected and the one computed.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tqdm import tqdm

from meds_ins._common.errors import DownloadError
from meds_ins.builder._sources import Download

CHUNK = 2**20
RETRY_STATUS = {408, 425, 429}
HF_URL = re.compile(r"hf://datasets/(?P<repo>[^/@]+/[^/@]+)@(?P<revision>[^/]+)/(?P<path>.+)")
# A base URL serving copies of the sources as <base>/<host>/<path>; used instead of the original hosts.
MIRROR_VARIABLE = "MEDS_INS_MIRROR"


@dataclass(frozen=True)
class Policy:
    """How hard to try: `retries` further attempts per address after a transient failure, waiting
    `backoff` seconds before the first and twice as long before each next (at most 60 s); `timeout`
    seconds without data before a connection is given up (and resumed)."""

    retries: int = 3
    backoff: float = 1.0
    timeout: float = 60.0
    progress: bool = True


class _Transient(Exception):
    """Worth another attempt at the same address."""


class _Refused(Exception):
    """This address will not give the file; try the next one."""


def fetch(download: Download, part: Path, policy: Policy, label: str) -> str:
    """Fetch `download` into the file `part` (resuming what a previous attempt left there) and verify it.

    Returns the address the file came from; raises DownloadError naming every address tried and why
    it failed. A file that fails its checksum is deleted.
    """
    import httpx2

    part.parent.mkdir(parents=True, exist_ok=True)
    failures = []
    with httpx2.Client(follow_redirects=True, timeout=httpx2.Timeout(policy.timeout)) as client:
        for url in addresses(download):
            try:
                if url.startswith("hf://"):
                    _retrying(lambda url=url: _fetch_hub(url, part, policy), policy)
                else:
                    _retrying(
                        lambda url=url: _fetch_http(client, url, part, download.size, policy, label), policy
                    )
            except _Refused as e:
                failures.append(f"{url}: {e}")
                continue
            mismatch = mismatch_of(part, download)
            if mismatch is None:
                return url
            part.unlink()
            failures.append(f"{url}: {mismatch}; the file was deleted")
    shown = "\n  ".join(failures)
    raise DownloadError(f"{label}: could not be downloaded:\n  {shown}")


def addresses(download: Download) -> list[str]:
    """The URL and its mirrors, in order; HTTP(S) ones through $MEDS_INS_MIRROR when it is set."""
    base = os.environ.get(MIRROR_VARIABLE, "").rstrip("/")
    urls = [download.url, *download.mirrors]
    if not base:
        return urls
    mirrored = []
    for url in urls:
        if url.startswith("hf://"):
            mirrored.append(url)
            continue
        parts = urlsplit(url)
        mirrored.append(f"{base}/{parts.netloc}{parts.path}" + (f"?{parts.query}" if parts.query else ""))
    return mirrored


# -- checksums -------------------------------------------------------------------------------------
def file_digests(path: Path, *, blob: bool = True) -> tuple[str, str | None]:
    """The sha256 of a file and (with `blob`) its git blob id, the sha1 of `blob <size>\\0` and the
    content, in one pass."""
    sha256 = hashlib.sha256()
    sha1 = hashlib.sha1(b"blob %d\0" % path.stat().st_size) if blob else None
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            sha256.update(chunk)
            if sha1 is not None:
                sha1.update(chunk)
    return sha256.hexdigest(), sha1.hexdigest() if sha1 is not None else None


def mismatch_of(path: Path, download: Download) -> str | None:
    """How the file differs from what the declaration expects (size, sha256, git blob), or None."""
    size = path.stat().st_size
    if download.size is not None and size != download.size:
        return f"size mismatch: expected {download.size:,} bytes, got {size:,}"
    if download.sha256 is None and download.git_blob is None:
        return None
    sha256, blob = file_digests(path, blob=download.git_blob is not None)
    if download.sha256 is not None and sha256 != download.sha256:
        return f"sha256 mismatch: expected {download.sha256}, got {sha256}"
    if download.git_blob is not None and blob != download.git_blob:
        return f"git blob id mismatch: expected {download.git_blob}, got {blob}"
    return None


# -- attempts ----------------------------------------------------------------------------------------
def _retrying(attempt: Callable[[], None], policy: Policy) -> None:
    for n in range(policy.retries + 1):
        try:
            attempt()
            return
        except _Transient as e:
            last = e
            if n < policy.retries:
                time.sleep(min(policy.backoff * 2**n, 60.0))
    attempts = policy.retries + 1
    raise _Refused(f"gave up after {attempts} attempt{'s' if attempts > 1 else ''}; the last: {last}")


def _fetch_http(client: Any, url: str, part: Path, size: int | None, policy: Policy, label: str) -> None:
    """One attempt: continue the partial file from where it ends (or start it), to the end."""
    import httpx2

    offset = part.stat().st_size if part.exists() else 0
    # identity: byte ranges must count the stored bytes, not a compressed stream
    headers = {"Accept-Encoding": "identity"} | ({"Range": f"bytes={offset}-"} if offset else {})
    try:
        with client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status == 416 and offset:  # nothing after the partial file: it may be complete already
                if _range_total(response.headers.get("content-range")) == offset:
                    return
                part.unlink()
                raise _Transient("the partial file is longer than the server's; starting over")
            if status in RETRY_STATUS or status >= 500:
                raise _Transient(f"HTTP {status}")
            if status not in (200, 206):
                raise _Refused(f"HTTP {status} {response.reason_phrase}".rstrip())
            if status == 206 and _range_start(response.headers.get("content-range")) != offset:
                part.unlink()
                raise _Transient("the server answered another byte range; starting over")
            if status == 200:
                offset = 0  # the server ignores ranges: the whole file again
            length = response.headers.get("content-length")
            end = offset + int(length) if length and length.isdigit() else size
            with (
                part.open("ab" if offset else "wb") as out,
                tqdm(
                    total=end,
                    initial=offset,
                    desc=label,
                    unit="B",
                    unit_scale=True,
                    unit_divisor=1024,
                    disable=not policy.progress or None,
                    leave=False,
                ) as bar,
            ):
                for chunk in response.iter_raw():  # as received: nothing buffered is lost on a cut
                    out.write(chunk)
                    bar.update(len(chunk))
    except httpx2.TransportError as e:
        raise _Transient(f"{type(e).__name__}: {e}".rstrip(": ")) from None
    if length and length.isdigit() and part.stat().st_size < offset + int(length):
        raise _Transient("the connection closed before the end of the file")


def _range_start(header: str | None) -> int | None:
    match = re.fullmatch(r"bytes (\d+)-\d+/(\d+|\*)", (header or "").strip())
    return int(match[1]) if match else None


def _range_total(header: str | None) -> int | None:
    match = re.fullmatch(r"bytes (?:\*|\d+-\d+)/(\d+)", (header or "").strip())
    return int(match[1]) if match else None


def _fetch_hub(url: str, part: Path, policy: Policy) -> None:
    """One attempt at a Hub file (huggingface_hub resumes its own partial download)."""
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import (
        EntryNotFoundError,
        HfHubHTTPError,
        OfflineModeIsEnabled,
        RepositoryNotFoundError,
    )

    from meds_ins._hub.repo import cause_of, client_info, endpoint, explain

    match = HF_URL.fullmatch(url)
    if match is None:
        raise _Refused("not a hf://datasets/ORG/NAME@REVISION/PATH address")
    staging = part.with_name(part.name + ".hub")
    try:
        local = hf_hub_download(
            match["repo"],
            match["path"],
            repo_type="dataset",
            revision=match["revision"],
            local_dir=staging,
            tqdm_class=None if policy.progress else _Silent,
            **client_info(),
        )
    except Exception as e:
        reason = explain(e, endpoint())
        if reason is None:
            raise
        cause = cause_of(e)
        refused = isinstance(cause, (RepositoryNotFoundError, EntryNotFoundError, OfflineModeIsEnabled)) or (
            isinstance(cause, HfHubHTTPError)
            and cause.response is not None
            and cause.response.status_code < 500
            and cause.response.status_code not in RETRY_STATUS
        )
        raise (_Refused if refused else _Transient)(reason) from None
    Path(local).replace(part)
    shutil.rmtree(staging, ignore_errors=True)


class _Silent(tqdm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs["disable"] = True
        super().__init__(*args, **kwargs)
