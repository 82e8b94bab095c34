"""A small Hugging Face Hub on 127.0.0.1 for tests.

It speaks the HTTP protocol that the real `huggingface_hub` client uses with Xet disabled (repo creation
and info, tree and paths-info listings, YAML validation, preupload, the Git LFS batch API with basic
transfers, NDJSON commits, pull requests and their discussion events, file resolve with the Hub's
headers), and it keeps everything it receives, so tests assert on the uploaded files, the commits and
the pull requests. Tests can make the next matching requests fail with a chosen status.

Only dataset repositories are served. Accounts: one token per user; a user may write to its own
namespace and to its organisations, and may open pull requests on any repository it can read.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from fnmatch import fnmatch
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

import yaml

LFS_PATTERNS = ("*.parquet", "*.arrow", "*.bin", "*.zip")
GITATTRIBUTES = "".join(f"{p} filter=lfs diff=lfs merge=lfs -text\n" for p in LFS_PATTERNS).encode()
REGULAR_MAX = 10 * 2**20  # larger files must go through LFS, as on the Hub


def git_oid(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def lfs_pointer(sha256: str, size: int) -> bytes:
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n".encode()


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass(frozen=True)
class Blob:
    data: bytes
    lfs: bool

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def oid(self) -> str:
        """The git blob id: of the content, or of the LFS pointer for LFS files."""
        return git_oid(lfs_pointer(self.sha256, len(self.data)) if self.lfs else self.data)


@dataclass
class Commit:
    oid: str
    parent: str | None
    title: str
    description: str
    author: str
    files: dict[str, Blob]


@dataclass
class PullRequest:
    num: int
    title: str
    description: str
    author: str
    base_oid: str  # main when the pull request was opened
    status: str = "open"  # open, closed, merged
    events: list[dict[str, Any]] = field(default_factory=list)
    merge_oid: str | None = None

    @property
    def ref(self) -> str:
        return f"refs/pr/{self.num}"


@dataclass
class Repo:
    id: str
    private: bool
    refs: dict[str, str] = field(default_factory=dict)  # "main", "refs/pr/N" -> commit oid
    commits: dict[str, Commit] = field(default_factory=dict)
    prs: list[PullRequest] = field(default_factory=list)
    lfs: dict[str, bytes] = field(default_factory=dict)  # LFS objects received, by sha256

    def files(self, revision: str = "main") -> dict[str, Blob]:
        return self.commits[self.refs[revision]].files

    def resolve(self, revision: str) -> str | None:
        if revision in self.refs:
            return self.refs[revision]
        return revision if revision in self.commits else None

    def branch_commits(self, revision: str = "main") -> list[Commit]:
        """Commits of a branch, newest first."""
        found, oid = [], self.refs.get(revision)
        while oid is not None:
            found.append(self.commits[oid])
            oid = self.commits[oid].parent
        return found


class HubError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


@dataclass
class Failure:
    method: str
    path: re.Pattern[str]
    status: int
    message: str
    times: int


class Hub:
    """The state of the local Hub, shared by the request handler threads."""

    def __init__(self, users: dict[str, tuple[str, tuple[str, ...]]]) -> None:
        self.users = users  # token -> (user name, organisations)
        self.repos: dict[str, Repo] = {}
        self.requests: list[tuple[str, str, int]] = []  # method, path, status of every request
        self.authorizations: list[str] = []  # Authorization headers received (for tests; never printed)
        self.failures: list[Failure] = []
        self.lock = threading.RLock()
        self._counter = 0

    # -- accounts and access -----------------------------------------------------------------
    def user(self, authorization: str | None) -> str | None:
        if not authorization:
            return None
        token = authorization.removeprefix("Bearer ").strip()
        if token not in self.users:
            raise HubError(401, "Invalid credentials in Authorization header")
        return self.users[token][0]

    def can_write(self, user: str | None, repo_id: str) -> bool:
        if user is None:
            return False
        orgs = next(o for name, o in self.users.values() if name == user)
        return repo_id.split("/")[0] in (user, *orgs)

    def repo(self, repo_id: str, user: str | None) -> Repo:
        repo = self.repos.get(repo_id)
        if repo is None or (repo.private and not self.can_write(user, repo_id)):
            raise HubError(404, "Repository not found", "RepoNotFound")
        return repo

    def revision(self, repo: Repo, revision: str) -> str:
        oid = repo.resolve(revision)
        if oid is None:
            raise HubError(404, f"Invalid rev id: {revision}", "RevisionNotFound")
        return oid

    # -- changes -------------------------------------------------------------------------------
    def new_oid(self) -> str:
        self._counter += 1
        return hashlib.sha1(f"commit {self._counter}".encode()).hexdigest()

    def create_repo(self, repo_id: str, private: bool = False, author: str = "hub") -> Repo:
        repo = Repo(repo_id, private)
        oid = self.new_oid()
        repo.commits[oid] = Commit(
            oid, None, "initial commit", "", author, {".gitattributes": Blob(GITATTRIBUTES, False)}
        )
        repo.refs["main"] = oid
        self.repos[repo_id] = repo
        return repo

    def commit(
        self,
        repo: Repo,
        ref: str,
        parent: str,
        title: str,
        description: str,
        author: str,
        files: dict[str, Blob],
    ) -> Commit:
        oid = self.new_oid()
        commit = Commit(oid, parent, title, description, author, files)
        repo.commits[oid] = commit
        repo.refs[ref] = oid
        return commit

    def fail(
        self, method: str, path: str, status: int, message: str = "injected failure", times: int = 1
    ) -> None:
        """Answer the next `times` requests whose path matches the regex `path` with `status`."""
        with self.lock:
            self.failures.append(Failure(method, re.compile(path), status, message, times))

    def injected(self, method: str, path: str) -> Failure | None:
        with self.lock:
            for failure in self.failures:
                if failure.times > 0 and failure.method == method and failure.path.search(path):
                    failure.times -= 1
                    return failure
        return None


REPO = r"(?P<repo>[^/]+/[^/]+)"
ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    (m, re.compile(p), name)
    for m, p, name in [
        ("GET", r"^/api/whoami-v2$", "whoami"),
        ("POST", r"^/api/repos/create$", "create_repo"),
        ("POST", r"^/api/validate-yaml$", "validate_yaml"),
        ("GET", rf"^/api/datasets/{REPO}(?:/revision/(?P<rev>[^/]+))?$", "repo_info"),
        ("GET", rf"^/api/datasets/{REPO}/tree/(?P<rev>[^/]+)(?:/(?P<path>.+))?$", "tree"),
        ("POST", rf"^/api/datasets/{REPO}/paths-info/(?P<rev>[^/]+)$", "paths_info"),
        ("POST", rf"^/api/datasets/{REPO}/preupload/(?P<rev>[^/]+)$", "preupload"),
        ("POST", rf"^/api/datasets/{REPO}/commit/(?P<rev>[^/]+)$", "commit"),
        ("GET", rf"^/api/datasets/{REPO}/discussions/(?P<num>\d+)$", "discussion"),
        (
            "POST",
            rf"^/api/datasets/{REPO}/discussions/(?P<num>\d+)/(?P<action>comment|status|merge)$",
            "discussion_change",
        ),
        ("POST", rf"^/datasets/{REPO}\.git/info/lfs/objects/batch$", "lfs_batch"),
        ("PUT", rf"^/lfs-upload/{REPO}/(?P<oid>[0-9a-f]{{64}})$", "lfs_upload"),
        ("POST", rf"^/lfs-verify/{REPO}/(?P<oid>[0-9a-f]{{64}})$", "lfs_verify"),
        ("GET", rf"^/datasets/{REPO}/resolve/(?P<rev>[^/]+)/(?P<path>.+)$", "resolve"),
        ("HEAD", rf"^/datasets/{REPO}/resolve/(?P<rev>[^/]+)/(?P<path>.+)$", "resolve"),
    ]
]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hub: Hub  # set on the subclass made by HubServer

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        self.dispatch("GET")

    def do_HEAD(self) -> None:
        self.dispatch("HEAD")

    def do_POST(self) -> None:
        self.dispatch("POST")

    def do_PUT(self) -> None:
        self.dispatch("PUT")

    # -- plumbing ------------------------------------------------------------------------------
    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def json_body(self) -> Any:
        return json.loads(self.body() or b"null")

    def dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        self.query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        status = 500
        try:
            body = b"" if method in ("GET", "HEAD") else None
            failure = self.hub.injected(method, url.path)
            if failure is not None:
                if body is None:
                    self.body()  # read what the client sends before answering
                raise HubError(failure.status, failure.message)
            for route_method, pattern, name in ROUTES:
                match = pattern.match(url.path)
                if match and route_method == method:
                    args = {k: unquote(v) for k, v in match.groupdict().items() if v is not None}
                    with self.hub.lock:
                        self.user = self.hub.user(self.headers.get("Authorization"))
                        if self.headers.get("Authorization"):
                            self.hub.authorizations.append(self.headers["Authorization"])
                        status = getattr(self, name)(**args)
                    return
            raise HubError(404, f"no route for {method} {url.path}")
        except HubError as e:
            status = e.status
            self.send_json(
                {"error": e.message},
                e.status,
                {"X-Error-Message": e.message} | ({"X-Error-Code": e.code} if e.code else {}),
            )
        finally:
            with self.hub.lock:
                self.hub.requests.append((method, url.path, status))

    def send_json(self, value: Any, status: int = 200, headers: dict[str, str] | None = None) -> int:
        return self.send(
            json.dumps(value).encode(), status, {"Content-Type": "application/json", **(headers or {})}
        )

    def send(self, data: bytes, status: int = 200, headers: dict[str, str] | None = None) -> int:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        return status

    def writable(self, repo: Repo, create_pr: bool = False, revision: str = "main") -> None:
        """Pushing to a branch needs write access; opening or updating one's own pull request does not."""
        if self.user is None:
            raise HubError(401, "You must be authenticated to push")
        if self.hub.can_write(self.user, repo.id) or create_pr:
            return
        pr = self.pr_of(repo, revision)
        if pr is None or pr.author != self.user:
            raise HubError(403, f"You don't have the rights to push to {repo.id}")

    @staticmethod
    def pr_of(repo: Repo, revision: str) -> PullRequest | None:
        match = re.fullmatch(r"refs/pr/(\d+)", revision)
        return next((p for p in repo.prs if match and p.num == int(match[1])), None)

    # -- endpoints -----------------------------------------------------------------------------
    def whoami(self) -> int:
        if self.user is None:
            raise HubError(401, "Invalid credentials in Authorization header")
        orgs = next(o for name, o in self.hub.users.values() if name == self.user)
        return self.send_json({"type": "user", "name": self.user, "orgs": [{"name": o} for o in orgs]})

    def create_repo(self) -> int:
        payload = self.json_body()
        repo_id = f"{payload.get('organization') or self.user}/{payload['name']}"
        if self.user is None:
            raise HubError(401, "You must be authenticated to create a repo")
        if not self.hub.can_write(self.user, repo_id):
            raise HubError(403, f"You don't have the rights to create a repo under {repo_id.split('/')[0]}")
        if payload.get("type") != "dataset":
            raise HubError(400, "this test Hub only serves dataset repositories")
        if repo_id in self.hub.repos:
            raise HubError(409, "You already created this dataset repo")
        private = payload.get("visibility") == "private" or bool(payload.get("private"))
        self.hub.create_repo(repo_id, private, self.user)
        return self.send_json({"url": f"{self.base}/datasets/{repo_id}", "name": repo_id})

    def validate_yaml(self) -> int:
        content = self.json_body()["content"]
        match = re.match(r"^---\r?\n(.*?)\r?\n---\r?\n", content, re.S)
        errors = []
        if match is None:
            return self.send_json({"warnings": [{"message": "empty or missing yaml metadata in repo card"}]})
        try:
            meta = yaml.safe_load(match[1])
        except yaml.YAMLError as e:
            meta, errors = None, [f"YAML is not valid: {e}"]
        if meta is not None and not isinstance(meta, dict):
            errors.append("metadata must be a mapping")
        elif isinstance(meta, dict):
            errors += [f'"configs" {problem}' for problem in config_problems(meta.get("configs", []))]
        if errors:
            return self.send_json({"errors": [{"message": e} for e in errors]}, 400)
        return self.send_json({"warnings": []})

    def repo_info(self, repo: str, rev: str = "main") -> int:
        r = self.hub.repo(repo, self.user)
        oid = self.hub.revision(r, rev)
        files = r.commits[oid].files
        siblings = [{"rfilename": p} for p in sorted(files)]
        card = files.get("README.md")
        card_data = None
        if card is not None:
            match = re.match(r"^---\r?\n(.*?)\r?\n---\r?\n", card.data.decode(), re.S)
            card_data = yaml.safe_load(match[1]) if match else None
        return self.send_json(
            {
                "id": repo,
                "author": repo.split("/")[0],
                "sha": oid,
                "private": r.private,
                "disabled": False,
                "gated": False,
                "lastModified": now(),
                "tags": [],
                "siblings": siblings,
                "cardData": card_data,
            }
        )

    def entry(self, path: str, blob: Blob | None) -> dict[str, Any]:
        if blob is None:
            return {"type": "directory", "oid": git_oid(path.encode()), "size": 0, "path": path}
        entry = {"type": "file", "oid": blob.oid, "size": len(blob.data), "path": path}
        if blob.lfs:
            entry["lfs"] = {
                "oid": blob.sha256,
                "size": len(blob.data),
                "pointerSize": len(lfs_pointer(blob.sha256, len(blob.data))),
            }
        return entry

    def tree(self, repo: str, rev: str, path: str = "") -> int:
        r = self.hub.repo(repo, self.user)
        files = r.commits[self.hub.revision(r, rev)].files
        prefix = f"{path.strip('/')}/" if path.strip("/") else ""
        if prefix and not any(p.startswith(prefix) for p in files):
            raise HubError(404, f"{path} does not exist", "EntryNotFound")
        recursive = self.query.get("recursive", "false").lower() == "true"
        entries: dict[str, Blob | None] = {}
        for p, blob in files.items():
            if not p.startswith(prefix):
                continue
            parts = p[len(prefix) :].split("/")
            for depth in range(1, len(parts)):
                if recursive or depth == 1:
                    entries.setdefault(prefix + "/".join(parts[:depth]), None)
            if recursive or len(parts) == 1:
                entries[p] = blob
        return self.send_json([self.entry(p, entries[p]) for p in sorted(entries)])

    def paths_info(self, repo: str, rev: str) -> int:
        r = self.hub.repo(repo, self.user)
        files = r.commits[self.hub.revision(r, rev)].files
        form = parse_qs(self.body().decode())
        found = []
        for path in form.get("paths", []):
            path = path.strip("/")
            if path in files:
                found.append(self.entry(path, files[path]))
            elif any(p.startswith(path + "/") for p in files):
                found.append(self.entry(path, None))
        return self.send_json(found)

    def preupload(self, repo: str, rev: str) -> int:
        r = self.hub.repo(repo, self.user)
        create_pr = self.query.get("create_pr") == "1"
        self.writable(r, create_pr, rev)
        files = r.commits[self.hub.revision(r, rev)].files
        answer = []
        for f in self.json_body()["files"]:
            lfs = f["size"] > REGULAR_MAX or any(
                fnmatch(f["path"].rsplit("/", 1)[-1], p) for p in LFS_PATTERNS
            )
            existing = files.get(f["path"])
            oid = None if existing is None else (existing.sha256 if existing.lfs else existing.oid)
            answer.append(
                {
                    "path": f["path"],
                    "uploadMode": "lfs" if lfs else "regular",
                    "shouldIgnore": False,
                    "oid": oid,
                }
            )
        return self.send_json({"files": answer, "commitOid": files and r.resolve(rev)})

    def lfs_batch(self, repo: str) -> int:
        r = self.hub.repo(repo, self.user)
        payload = self.json_body()
        if payload.get("operation") != "upload" or "basic" not in payload.get("transfers", ["basic"]):
            raise HubError(400, "only basic uploads are served")
        self.writable(r, create_pr=True)
        objects = []
        for obj in payload["objects"]:
            answer = {"oid": obj["oid"], "size": obj["size"], "authenticated": True}
            if obj["oid"] not in r.lfs:
                answer["actions"] = {
                    "upload": {"href": f"{self.base}/lfs-upload/{repo}/{obj['oid']}", "header": {}},
                    "verify": {"href": f"{self.base}/lfs-verify/{repo}/{obj['oid']}", "header": {}},
                }
            objects.append(answer)
        return self.send_json(
            {"transfer": "basic", "objects": objects},
            headers={"Content-Type": "application/vnd.git-lfs+json"},
        )

    def lfs_upload(self, repo: str, oid: str) -> int:
        data = self.body()
        if hashlib.sha256(data).hexdigest() != oid:
            raise HubError(400, "uploaded content does not match its sha256")
        self.hub.repos[repo].lfs[oid] = data  # the upload URL is the credential, as a presigned one is
        return self.send(b"")

    def lfs_verify(self, repo: str, oid: str) -> int:
        payload = self.json_body()
        stored = self.hub.repos[repo].lfs
        if oid not in stored or len(stored[oid]) != payload["size"]:
            raise HubError(404, f"LFS object {oid} was not uploaded")
        return self.send_json({"ok": True})

    def commit(self, repo: str, rev: str) -> int:
        r = self.hub.repo(repo, self.user)
        create_pr = self.query.get("create_pr") == "1"
        self.writable(r, create_pr, rev)
        head = self.hub.revision(r, rev)
        lines = [json.loads(line) for line in self.body().splitlines() if line.strip()]
        if not lines or lines[0]["key"] != "header":
            raise HubError(400, "a commit starts with its header")
        header = lines[0]["value"]
        parent = header.get("parentCommit") or head
        if not create_pr and parent != head:
            raise HubError(412, "A commit has happened since. Please refresh and try again.")
        if parent not in r.commits:
            raise HubError(400, f"unknown parent commit {parent}")
        if create_pr and rev != "main":
            raise HubError(400, "pull requests are opened against main")
        if not create_pr and rev.startswith("refs/pr/") and self.pr_of(r, rev).status != "open":
            raise HubError(403, "this pull request is not open")
        files = dict(r.commits[parent].files)
        for op in lines[1:]:
            value = op["value"]
            if op["key"] == "file":
                files[value["path"]] = Blob(base64.b64decode(value["content"]), False)
            elif op["key"] == "lfsFile":
                data = r.lfs.get(value["oid"])
                if data is None or ("size" in value and value["size"] != len(data)):
                    raise HubError(422, f"LFS file {value['path']} was not uploaded")
                files[value["path"]] = Blob(data, True)
            elif op["key"] == "deletedFile":
                if files.pop(value["path"], None) is None:
                    raise HubError(
                        404, f"A file with this name doesn't exist: {value['path']}", "EntryNotFound"
                    )
            elif op["key"] == "deletedFolder":
                prefix = value["path"].rstrip("/") + "/"
                files = {p: b for p, b in files.items() if not p.startswith(prefix)}
            else:
                raise HubError(400, f"unknown operation {op['key']}")
        answer: dict[str, Any] = {}
        ref = rev
        if create_pr:
            pr = PullRequest(
                len(r.prs) + 1, header["summary"], header.get("description", ""), self.user, parent
            )
            r.prs.append(pr)
            ref = pr.ref
            answer["pullRequestUrl"] = f"{self.base}/datasets/{repo}/discussions/{pr.num}"
        commit = self.hub.commit(
            r, ref, parent, header["summary"], header.get("description", ""), self.user, files
        )
        pr = self.pr_of(r, ref)
        if pr is not None:
            pr.events.append(self.event("commit", {"subject": commit.title, "oid": commit.oid}))
        answer |= {
            "commitUrl": f"{self.base}/datasets/{repo}/commit/{commit.oid}",
            "commitOid": commit.oid,
            "success": True,
        }
        return self.send_json(answer)

    def event(self, kind: str, data: dict[str, Any]) -> dict[str, Any]:
        self.hub._counter += 1
        return {
            "id": f"event{self.hub._counter}",
            "type": kind,
            "createdAt": now(),
            "author": {"name": self.user or "hub"},
            "data": data,
        }

    def discussion(self, repo: str, num: str) -> int:
        r = self.hub.repo(repo, self.user)
        pr = self.pr_of(r, f"refs/pr/{num}")
        if pr is None:
            raise HubError(404, "Discussion not found")
        return self.send_json(self.details(r, pr))

    def details(self, repo: Repo, pr: PullRequest) -> dict[str, Any]:
        opened = self.event("comment", {"edited": False, "hidden": False, "latest": {"raw": pr.description}})
        opened["author"] = {"name": pr.author}
        changes = {"base": "refs/heads/main"} | ({"mergeCommitId": pr.merge_oid} if pr.merge_oid else {})
        return {
            "num": pr.num,
            "title": pr.title,
            "status": pr.status,
            "isPullRequest": True,
            "author": {"name": pr.author},
            "createdAt": now(),
            "repo": {"name": repo.id, "type": "dataset"},
            "events": [opened, *pr.events],
            "changes": changes,
            "filesWithConflicts": [],
            "diff": "",
        }

    def discussion_change(self, repo: str, num: str, action: str) -> int:
        r = self.hub.repo(repo, self.user)
        pr = self.pr_of(r, f"refs/pr/{num}")
        if pr is None:
            raise HubError(404, "Discussion not found")
        if self.user is None:
            raise HubError(401, "You must be authenticated")
        payload = self.json_body() or {}
        if action == "comment":
            event = self.event(
                "comment", {"edited": False, "hidden": False, "latest": {"raw": payload["comment"]}}
            )
            pr.events.append(event)
            return self.send_json({"newMessage": event})
        if not (self.hub.can_write(self.user, r.id) or (action == "status" and pr.author == self.user)):
            raise HubError(403, "You don't have the rights to change this pull request")
        if payload.get("comment"):
            pr.events.append(
                self.event(
                    "comment", {"edited": False, "hidden": False, "latest": {"raw": payload["comment"]}}
                )
            )
        if action == "status":
            if pr.status == "merged":
                raise HubError(400, "this pull request is merged")
            pr.status = payload["status"]
            event = self.event("status-change", {"status": pr.status})
            pr.events.append(event)
            return self.send_json({"newStatus": event})
        if pr.status != "open":
            raise HubError(400, "only open pull requests can be merged")
        pr.merge_oid = self.merge(r, pr)
        pr.status = "merged"
        pr.events.append(self.event("status-change", {"status": "merged"}))
        return self.send_json({"ok": True})

    def merge(self, repo: Repo, pr: PullRequest) -> str:
        """Apply the pull request's changes (its head against its base) onto main, refusing conflicts."""
        base, head, main = (
            repo.commits[o].files for o in (pr.base_oid, repo.refs[pr.ref], repo.refs["main"])
        )
        changed = {p for p in base.keys() | head.keys() if base.get(p) != head.get(p)}
        conflicts = sorted(p for p in changed if main.get(p) != base.get(p) and main.get(p) != head.get(p))
        if conflicts:
            raise HubError(409, f"merge conflicts in {', '.join(conflicts)}")
        files = {p: b for p, b in main.items() if p not in changed}
        files |= {p: head[p] for p in changed if p in head}
        title = f"Merge pull request #{pr.num}: {pr.title}"
        return self.hub.commit(repo, "main", repo.refs["main"], title, pr.description, self.user, files).oid

    def resolve(self, repo: str, rev: str, path: str) -> int:
        r = self.hub.repo(repo, self.user)
        oid = self.hub.revision(r, rev)
        blob = r.commits[oid].files.get(path)
        if blob is None:
            raise HubError(404, f"Entry not found: {path}", "EntryNotFound")
        headers = {
            "X-Repo-Commit": oid,
            "ETag": f'"{blob.sha256 if blob.lfs else blob.oid}"',
            "Accept-Ranges": "bytes",
            "Content-Type": "application/octet-stream",
        }
        if blob.lfs:
            headers |= {"X-Linked-Etag": f'"{blob.sha256}"', "X-Linked-Size": str(len(blob.data))}
        data, status = blob.data, 200
        wanted = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if wanted:
            start = int(wanted[1])
            end = int(wanted[2]) if wanted[2] else len(data) - 1
            data, status = data[start : end + 1], 206
            headers["Content-Range"] = f"bytes {start}-{start + len(data) - 1}/{len(blob.data)}"
        return self.send(data, status, headers)


def config_problems(configs: Any) -> list[str]:
    """The checks the Hub makes on a card's `configs:` before accepting a commit."""
    if not isinstance(configs, list):
        return ["must be a list"]
    problems, names = [], set()
    for config in configs:
        if not isinstance(config, dict) or not isinstance(config.get("config_name"), str):
            problems.append("entries need a config_name")
            continue
        if config["config_name"] in names:
            problems.append(f"config_name {config['config_name']} is repeated")
        names.add(config["config_name"])
        for item in config.get("data_files", []):
            if not (isinstance(item, dict) and isinstance(item.get("split"), str) and item.get("path")):
                problems.append(f"{config['config_name']}: data_files entries need a split and a path")
    return problems


class LocalServer:
    """Runs a request handler class in a thread on a free port of 127.0.0.1. Use as a context manager."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> Any:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class HubServer(LocalServer):
    """Runs a Hub in a thread on a free port of 127.0.0.1. Use as a context manager."""

    def __init__(self, users: dict[str, tuple[str, tuple[str, ...]]]) -> None:
        self.hub = Hub(users)
        super().__init__(type("BoundHandler", (Handler,), {"hub": self.hub}))

    def pr_url(self, repo_id: str, num: int) -> str:
        return f"{self.url}/datasets/{quote(repo_id)}/discussions/{num}"
