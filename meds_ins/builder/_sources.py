"""Where a public corpus's raw files come from: `Download` declarations, which `meds-ins download`
fetches and checks (see meds_ins/_building/download.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

UNPACK_FORMATS = ("zip", "tar.gz", "tar")


@dataclass(frozen=True)
class Download:
    """Where `meds-ins download` fetches a file of a public corpus, and how it lands in the native layout.

    `url` is pinned to a release or a commit: `https://...` (a GitHub raw or codeload address at a
    40-hex commit, a versioned release file), or `hf://datasets/ORG/NAME@REVISION/PATH` for a file of a
    Hugging Face Hub dataset repository. `mirrors` are tried in order when `url` fails.

    Checksums, where known, are verified after the download: `size` in bytes, `sha256`, and `git_blob`
    (the git object id of the file at its commit, itself a SHA-1 checksum of the content). A file is
    placed at `target` (a path in the corpus folder; default: the URL's file name). An archive
    (`unpack`: zip, tar.gz or tar) is unpacked instead: `strip` is a leading folder removed from every
    member name, `members` are glob patterns choosing the members to keep (all when empty; each
    pattern must match at least one), and they go under the folder `into`. For archives built on
    request (GitHub codeload), whose bytes are not stable, `content_sha256` checks what was unpacked:
    the sha256 of the `sha256sum`-style listing (`<sha256>  <path>` lines sorted by path, paths
    relative to the corpus folder) of the files written.

    `manual` marks a file that cannot be fetched automatically (Google Drive confirmation pages, forms,
    dated file names): the text says what to do, and `url` is the page to visit. `optional` files are
    not needed for a build. `note` says whose copy it is (the authors', a third party's).
    """

    url: str
    target: str = ""
    size: int | None = None
    sha256: str | None = None
    git_blob: str | None = None
    mirrors: tuple[str, ...] = ()
    unpack: Literal["zip", "tar.gz", "tar"] | None = None
    strip: str = ""
    members: tuple[str, ...] = ()
    into: str = ""
    content_sha256: str | None = None
    manual: str = ""
    optional: bool = False
    note: str = ""

    @property
    def name(self) -> str:
        """What the download is called in messages and where a file goes: its target, else the last part
        of its URL (`REPO@COMMIT` for an archive GitHub builds for a commit)."""
        if self.target:
            return self.target
        segments = self.url.split("?")[0].rstrip("/").split("/")
        if re.fullmatch("[0-9a-f]{40}", segments[-1]) and len(segments) >= 4:
            return f"{segments[-3]}@{segments[-1][:7]}.{segments[-2]}"
        return segments[-1]

    @property
    def automatic(self) -> bool:
        return not self.manual

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "mirrors": list(self.mirrors),
            "target": self.target or (None if self.unpack else self.name),
            "size": self.size,
            "sha256": self.sha256,
            "git_blob": self.git_blob,
            "unpack": self.unpack,
            "strip": self.strip,
            "members": list(self.members),
            "into": self.into,
            "content_sha256": self.content_sha256,
            "manual": self.manual,
            "optional": self.optional,
            "note": self.note,
        }

    def problems(self) -> list[str]:
        """What is wrong with the declaration itself (checked when builders are loaded)."""
        found = []
        for url in (self.url, *self.mirrors):
            if not re.match(r"(https?://|hf://datasets/[^/@]+/[^/@]+@[^/]+/.)", url):
                found.append(
                    f"download URL {url!r} must be http(s):// or hf://datasets/ORG/NAME@REVISION/PATH"
                )
        for label, value, length in (
            ("sha256", self.sha256, 64),
            ("git_blob", self.git_blob, 40),
            ("content_sha256", self.content_sha256, 64),
        ):
            if value is not None and not re.fullmatch(f"[0-9a-f]{{{length}}}", value):
                found.append(f"{self.name}: {label} must be {length} lower-case hex digits")
        if self.unpack is not None and self.unpack not in UNPACK_FORMATS:
            found.append(f"{self.name}: unpack must be one of {', '.join(UNPACK_FORMATS)}")
        if self.unpack is None and (self.strip or self.members or self.into or self.content_sha256):
            found.append(f"{self.name}: strip, members, into and content_sha256 apply to archives (unpack)")
        if self.unpack is not None and self.target:
            found.append(f"{self.name}: an unpacked archive has no target; use into and members")
        for path in (self.target, self.into, *self.members):
            if path.startswith("/") or ".." in path.split("/"):
                found.append(f"{self.name}: {path!r} must be a relative path inside the corpus folder")
        return found
