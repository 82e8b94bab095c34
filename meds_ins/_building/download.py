"""`meds-ins download`: the raw files of public corpora, fetched into their native layout.

For each corpus, from what its builder declares (`Corpus.sources`): a corpus that needs registration or
credentials is not downloaded, and the outcome says what to get and where; a file marked `manual` is
listed with what to do; every other file is fetched (transfer.py: resumed, retried, mirrors, checksums),
unpacked when it is an archive, and put in place under `<to>/<corpus id>/`, so that
`meds-ins build CORPUS --raw <to>` reads it. Partial files wait in `<to>/.downloads/<corpus id>/`, where
an interrupted download resumes; `state.json` there records what was downloaded, so a second run
fetches only what is missing.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import shutil
import tarfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import IO, Any

from meds_ins._building.catalog import load_catalog
from meds_ins._building.transfer import Policy, fetch, file_digests, mismatch_of
from meds_ins._common import paths
from meds_ins._common.errors import DownloadError, MedsInsError
from meds_ins.builder._api import Builder, Corpus
from meds_ins.builder._sources import Download

WORK = ".downloads"


@dataclass
class CorpusDownload:
    """What `download` did for one corpus.

    `status`: downloaded (every automatic file is in place, fetched now or before), manual (nothing can
    be fetched automatically: see `manual`), registration or credentialed (not downloaded: see
    `message`), failed (`message` says why).
    """

    id: str
    status: str
    folder: str
    files: list[dict[str, Any]] = field(default_factory=list)
    manual: list[dict[str, Any]] = field(default_factory=list)
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "folder": self.folder,
            "files": self.files,
            "manual": self.manual,
            "message": self.message,
        }


@dataclass
class DownloadReport:
    to: Path
    corpora: list[CorpusDownload]
    seconds: float

    @property
    def failed(self) -> list[CorpusDownload]:
        return [c for c in self.corpora if c.status == "failed"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "to": str(self.to),
            "seconds": round(self.seconds, 2),
            "corpora": [c.to_dict() for c in self.corpora],
        }


def download(
    corpora: Sequence[str | Builder],
    to: Path | None = None,
    *,
    progress: bool = True,
    retries: int = 3,
    backoff: float = 1.0,
    timeout: float = 60.0,
) -> DownloadReport:
    """Download the raw files of the given corpora (ids or Builder objects, or "all") into
    `to`/<corpus id>/ (default: the raw folder in $MEDS_INS_HOME, where `build` looks by default).

    Every corpus gets an outcome (`DownloadReport.corpora`); a failure in one does not stop the others.
    Transient network failures are retried `retries` times per address, `backoff` seconds before the
    first retry and twice as long before each next; `timeout` is how long a connection may stay silent.
    """
    started = time.perf_counter()
    catalog = load_catalog()
    named = list(catalog.builders.values()) if list(corpora) == ["all"] else list(corpora)
    # unknown names fail before any download
    builders = {b.corpus.id: b for b in (c if isinstance(c, Builder) else catalog.builder(c) for c in named)}
    root = Path(to).expanduser() if to is not None else paths.raw_folder()
    policy = Policy(retries=retries, backoff=backoff, timeout=timeout, progress=progress)
    outcomes = [download_corpus(b, root, policy) for b in builders.values()]
    return DownloadReport(root, outcomes, time.perf_counter() - started)


def download_corpus(builder: Builder, root: Path, policy: Policy) -> CorpusDownload:
    corpus = builder.corpus
    folder = root / corpus.id
    outcome = CorpusDownload(corpus.id, "downloaded", str(folder))
    outcome.manual = [_manual(d) for d in corpus.sources if not d.automatic]
    if corpus.access != "public":
        outcome.status = corpus.access
        outcome.message = f"{corpus.name} needs {corpus.access} access; get the files: {corpus.download}"
        return outcome
    automatic = [d for d in corpus.sources if d.automatic]
    if not automatic:
        outcome.status = "manual"
        outcome.message = f"{corpus.name} is not downloaded automatically; get the files: {corpus.download}"
        return outcome
    work = root / WORK / corpus.id
    failures = []
    try:
        with _locked(work):
            state = _read_state(work)
            for d in automatic:  # a file that fails does not keep the others from coming
                try:
                    outcome.files.append(_get(corpus, d, folder, work, state, policy))
                except MedsInsError as e:
                    failures.append(str(e))
                except OSError as e:
                    failures.append(f"{corpus.id}: {d.name}: {e}")
    except OSError as e:
        failures.append(f"{corpus.id}: cannot write to {work}: {e}")
    if failures:
        outcome.status, outcome.message = "failed", "\n".join(failures)
    return outcome


def _manual(d: Download) -> dict[str, Any]:
    return {"name": d.name, "url": d.url, "instructions": d.manual, "optional": d.optional}


@contextmanager
def _locked(work: Path) -> Iterator[None]:
    """One download of a corpus at a time, across processes."""
    from filelock import FileLock

    work.mkdir(parents=True, exist_ok=True)
    with FileLock(str(work) + ".lock"):
        yield


def _read_state(work: Path) -> dict[str, Any]:
    path = work / "state.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_state(work: Path, state: dict[str, Any]) -> None:
    path = work / "state.json"
    path.with_suffix(".tmp").write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    path.with_suffix(".tmp").replace(path)


def _get(
    corpus: Corpus, d: Download, folder: Path, work: Path, state: dict[str, Any], policy: Policy
) -> dict[str, Any]:
    """Fetch one declared file (or archive) into the corpus folder, unless it is there already."""
    label = f"{corpus.id}: {d.name}"
    declared = json.dumps(d.to_dict(), sort_keys=True)
    known = state.get(d.url)
    report = {"name": d.name, "verified": _checks(d)}
    if known and known["declared"] == declared and _still_there(folder, known["files"]):
        return report | {"status": "present", "url": known["url"]} | _sizes(known["files"])
    target = folder / d.name
    if d.unpack is None and (d.sha256 or d.git_blob) and target.is_file() and mismatch_of(target, d) is None:
        files, url = {d.name: target.stat().st_size}, "(already in place)"
    else:
        part = work / (hashlib.sha1(d.url.encode()).hexdigest()[:12] + ".part")
        url = fetch(d, part, policy, label)
        if d.unpack is None:
            target.parent.mkdir(parents=True, exist_ok=True)
            files = {d.name: part.stat().st_size}
            part.replace(target)
        else:
            try:
                files = unpack(d, part, folder, work / "unpacking", label)
            finally:
                part.unlink(missing_ok=True)
    state[d.url] = {"declared": declared, "files": files, "url": url}
    _write_state(work, state)
    return report | {"status": "downloaded", "url": url} | _sizes(files)


def _sizes(files: dict[str, int]) -> dict[str, int]:
    return {"files": len(files), "bytes": sum(files.values())}


def _checks(d: Download) -> list[str]:
    """The checks a download passes: the declared size and checksums."""
    declared = {"size": d.size, "sha256": d.sha256, "git blob": d.git_blob, "content": d.content_sha256}
    return [name for name, value in declared.items() if value is not None]


def _still_there(folder: Path, files: dict[str, int]) -> bool:
    return all((folder / p).is_file() and (folder / p).stat().st_size == size for p, size in files.items())


# -- archives ------------------------------------------------------------------------------------------
def unpack(d: Download, archive: Path, folder: Path, staging: Path, label: str) -> dict[str, int]:
    """Unpack the declared members of an archive into `folder`; returns {path in folder: size}.

    The members are written to `staging` first and moved into place only when every pattern matched
    and, where declared, the content checksum agrees; otherwise nothing is kept.
    """
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        written: dict[str, tuple[str, int]] = {}
        seen: list[str] = []
        matched: set[str] = set()
        for name, open_member in _members(d, archive, label):
            seen.append(name)
            relative = _selected(d, name, matched)
            if relative is None:
                continue
            path = posixpath.join(d.into, relative) if d.into else relative
            out = staging / path
            out.parent.mkdir(parents=True, exist_ok=True)
            with open_member() as source, out.open("wb") as sink:
                shutil.copyfileobj(source, sink, 2**20)
            written[path] = (file_digests(out, blob=False)[0], out.stat().st_size)
        missing = [p for p in d.members if p not in matched]
        if missing or not written:
            shown = ", ".join(seen[:8]) + (f" and {len(seen) - 8:,} more" if len(seen) > 8 else "")
            wanted = ", ".join(missing) or "any file"
            raise DownloadError(
                f"{label}: the archive holds no member matching {wanted} (after removing the leading "
                f"{d.strip!r}); it holds: {shown or 'nothing'}"
            )
        if d.content_sha256 is not None:
            got = content_sha256({p: sha for p, (sha, _) in written.items()})
            if got != d.content_sha256:
                raise DownloadError(
                    f"{label}: the unpacked files do not match their checksum: expected content sha256 "
                    f"{d.content_sha256}, got {got}; nothing was kept"
                )
        for path in written:
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (staging / path).replace(folder / path)
        return {p: size for p, (_, size) in written.items()}
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def content_sha256(digests: dict[str, str]) -> str:
    """The checksum of unpacked files: sha256 of their `<sha256>  <path>` lines, sorted by path (the
    output of `sha256sum`, sorted), so anyone can recompute it from the files."""
    listing = "".join(f"{digests[p]}  {p}\n" for p in sorted(digests))
    return hashlib.sha256(listing.encode()).hexdigest()


def _selected(d: Download, name: str, matched: set[str]) -> str | None:
    """The member's path below `strip`, if it is one the declaration keeps."""
    if not name.startswith(d.strip):
        return None
    relative = name[len(d.strip) :]
    if not relative:
        return None
    if d.members:
        hits = [p for p in d.members if fnmatchcase(relative, p)]
        if not hits:
            return None
        matched.update(hits)
    return relative


def _members(d: Download, archive: Path, label: str) -> Iterator[tuple[str, Any]]:
    """(name, opener) of every regular file of the archive, in archive order; unsafe names refused."""
    try:
        if d.unpack == "zip":
            with zipfile.ZipFile(archive) as z:
                for info in z.infolist():
                    if not info.is_dir():
                        yield _safe(info.filename, label), lambda info=info: z.open(info)
        else:
            with tarfile.open(archive, "r:gz" if d.unpack == "tar.gz" else "r:") as t:
                for member in t:
                    if member.isfile():
                        yield _safe(member.name, label), lambda member=member: _opened(t, member)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as e:
        raise DownloadError(f"{label}: the downloaded archive cannot be read as {d.unpack}: {e}") from None


def _opened(t: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    handle = t.extractfile(member)
    assert handle is not None  # a regular file always has content
    return handle


def _safe(name: str, label: str) -> str:
    name = name.replace("\\", "/")
    if name.startswith("/") or ".." in name.split("/"):
        raise DownloadError(f"{label}: the archive holds an unsafe member name {name!r}; nothing is unpacked")
    return name.removeprefix("./")
