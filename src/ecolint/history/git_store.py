"""History as JSON lines on an orphan git branch, for repositories without a database.

Layout of the branch (default ``ecolint-history``): ``README.md`` and one file per month,
``history/YYYY-MM.jsonl``, one record per line. Why this shape: a month file stays small,
``git log -p`` on the branch reads as the history itself, and the branch pushes and fetches
like any other.

Guarantees:

- append-only: each record is one new commit whose parent is the current tip, made with
  plumbing commands (no checkout, index or working tree is touched) and published with
  ``git update-ref NEW OLD``, a compare-and-swap: if another writer moved the branch in the
  meantime the append is redone on the new tip, never forced over it;
- a record that does not read back exactly is refused before anything is written, and a
  stored line that does not parse is an error naming the file and line, never skipped;
- an interrupted write leaves only unreferenced objects: the branch still names the last
  complete commit.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from ecolint import git
from ecolint.history.codec import record_from_json, record_to_json, utc_time
from ecolint.history.store import HistoryError
from ecolint.records import HistoryRecord

FOLDER = "history"
ZERO = "0" * 40
APPEND_ATTEMPTS = 20
README = """# ecolint history

Written by `ecolint history record --db git`: one JSON object per line in
`history/YYYY-MM.jsonl`, appended by one commit per record. Do not edit or rewrite this
branch; ecolint only ever appends to it.
"""
_IDENTITY = {
    "GIT_AUTHOR_NAME": "ecolint history",
    "GIT_AUTHOR_EMAIL": "ecolint@localhost",
    "GIT_COMMITTER_NAME": "ecolint history",
    "GIT_COMMITTER_EMAIL": "ecolint@localhost",
}


class GitBranchStore:
    """A ``HistoryStore`` on an orphan branch of the git repository at ``root``."""

    def __init__(self, root: Path, branch: str, remote: str | None = None) -> None:
        self.root = root
        self.branch = branch
        self.remote = remote
        self.ref = f"refs/heads/{branch}"
        self.tracking = f"refs/ecolint/remotes/{remote}/{branch}"
        self.display_url = f"git branch {branch} of {root.resolve()}" + (
            f", shared through {remote}" if remote else ""
        )
        try:
            self._run("rev-parse", "--git-dir")
        except git.GitError as error:
            if not error.ran:
                raise HistoryError(f"the git history store needs git: {error}") from error
            raise HistoryError(
                f"the git history store needs a git repository: {root} is not one ({error.stderr})"
            ) from error
        try:
            self._run("check-ref-format", self.ref)
        except git.GitError as error:
            raise HistoryError(f"{branch!r} is not a valid git branch name") from error

    def record(self, rec: HistoryRecord) -> None:
        line = record_to_json(rec)  # refuses a record that would not read back
        record_from_json(line)
        month = utc_time(rec.recorded_at).strftime("%Y-%m")
        path = f"{FOLDER}/{month}.jsonl"
        for attempt in range(APPEND_ATTEMPTS):
            local = self._tip()
            base = self._synced(local) if self.remote else local
            commit = self._append_commit(base, path, line, f"Record {rec.repository} {rec.commit}")
            try:
                self._publish(commit, local)
                return
            except git.GitError as error:
                if self.remote and not _rejected(error.stderr):
                    raise HistoryError(
                        f"git history store: cannot push {self.branch} to {self.remote}: "
                        f"{error.stderr or error}"
                    ) from error
                if attempt == APPEND_ATTEMPTS - 1:
                    raise HistoryError(
                        f"git history store {self.root}:{self.branch}: could not append after "
                        f"{APPEND_ATTEMPTS} attempts: {error.stderr or error}"
                    ) from error
            time.sleep(0.01 * (attempt + 1))

    def _publish(self, commit: str, local: str | None) -> None:
        """Move the branch from ``local`` to ``commit``, pushing first when shared; raises
        ``GitError`` when the branch moved meanwhile (a rejected push, a failed swap)."""
        if self.remote:
            self._run("push", "--quiet", self.remote, f"{commit}:{self.ref}")
            # published: the local branch follows if it can
            with contextlib.suppress(git.GitError):
                self._run("update-ref", self.ref, commit, local or ZERO)
        else:
            self._run("update-ref", self.ref, commit, local or ZERO)

    def _synced(self, local: str | None) -> str | None:
        """The tip to append to: the remote's branch fetched, checked to be a fast-forward
        of the local one (or the other way round). Diverged histories are an error: joining
        them would mean rewriting one, which this store never does."""
        try:
            self._run("fetch", "--quiet", str(self.remote), f"+{self.ref}:{self.tracking}")
        except git.GitError as error:
            if "couldn't find remote ref" not in error.stderr.lower():
                raise HistoryError(
                    f"git history store: cannot fetch {self.branch} from {self.remote}: "
                    f"{error.stderr or error}"
                ) from error
            return local  # the remote has no history yet: the first push creates it
        remote_tip = self._git("rev-parse", self.tracking).strip()
        if local is None or local == remote_tip or self._is_ancestor(local, remote_tip):
            return remote_tip
        if self._is_ancestor(remote_tip, local):
            return local  # local runs not pushed yet: they go along with this one
        raise HistoryError(
            f"git history store: {self.branch} here and on {self.remote} have diverged; "
            "ecolint never rewrites history, so join them by hand (e.g. merge "
            f"{self.remote}/{self.branch} into {self.branch}) and record again"
        )

    def _is_ancestor(self, older: str, newer: str) -> bool:
        try:
            self._run("merge-base", "--is-ancestor", older, newer)
        except git.GitError as error:
            if not error.ran:
                raise HistoryError(f"git history store {self.root}: {error}") from error
            return False
        return True

    def records(
        self, repository: str | None = None, since: datetime | None = None
    ) -> Iterator[HistoryRecord]:
        tip = self._tip()
        if self.remote:
            synced = self._synced(tip)
            if synced is not None and synced != tip:  # fast-forward the local branch
                with contextlib.suppress(git.GitError):  # if it can: reading goes on anyway
                    self._run("update-ref", self.ref, synced, tip or ZERO)
            tip = synced
        if tip is None:
            return iter(())
        start = utc_time(since) if since is not None else None
        month_from = start.strftime("%Y-%m") if start else ""
        found: list[tuple[datetime, int, HistoryRecord]] = []
        for name in self._month_files(tip):
            if name.removesuffix(".jsonl") < month_from:
                continue
            text = self._git("cat-file", "blob", f"{tip}:{FOLDER}/{name}")
            for number, line in enumerate(text.splitlines(), start=1):
                try:
                    rec = record_from_json(line)
                except HistoryError as error:
                    raise HistoryError(
                        f"git history store {self.branch}:{FOLDER}/{name} line {number}: "
                        f"cannot parse the record: {error}"
                    ) from error
                at = utc_time(rec.recorded_at)
                if (repository is None or rec.repository == repository) and (
                    start is None or at >= start
                ):
                    found.append((at, len(found), rec))
        found.sort(key=lambda item: item[:2])
        return iter([rec for _, _, rec in found])

    def repositories(self) -> list[str]:
        return sorted({rec.repository for rec in self.records()})

    def close(self) -> None:
        """Nothing to release: every call is a short git command."""

    def _tip(self) -> str | None:
        try:
            return self._run("rev-parse", "--verify", "--quiet", f"{self.ref}^{{commit}}").strip()
        except git.GitError as error:
            if not error.ran:
                raise HistoryError(f"git history store {self.root}: {error}") from error
            return None  # no branch yet

    def _month_files(self, tip: str) -> list[str]:
        listing = self._git("ls-tree", "--name-only", f"{tip}", f"{FOLDER}/")
        return sorted(
            line.removeprefix(f"{FOLDER}/")
            for line in listing.splitlines()
            if line.endswith(".jsonl")
        )

    def _append_commit(self, tip: str | None, path: str, line: str, message: str) -> str:
        existing = ""
        if tip is not None:
            with contextlib.suppress(git.GitError):  # a new month: no file yet
                existing = self._run("cat-file", "blob", f"{tip}:{path}")
        if existing and not existing.endswith("\n"):
            raise HistoryError(
                f"git history store {self.branch}:{path} does not end with a newline: "
                "it was edited by hand; refusing to append"
            )
        blob = self._git("hash-object", "-w", "--stdin", input=existing + line + "\n").strip()
        folder_entries = self._tree_entries(tip, f"{FOLDER}/") if tip else {}
        folder_entries[path.removeprefix(f"{FOLDER}/")] = f"100644 blob {blob}"
        folder_tree = self._mktree(folder_entries)
        root_entries = self._tree_entries(tip, "") if tip else {}
        if "README.md" not in root_entries:
            readme = self._git("hash-object", "-w", "--stdin", input=README).strip()
            root_entries["README.md"] = f"100644 blob {readme}"
        root_entries[FOLDER] = f"040000 tree {folder_tree}"
        root_tree = self._mktree(root_entries)
        parents = ["-p", tip] if tip else []
        return self._git("commit-tree", root_tree, *parents, "-m", message).strip()

    def _tree_entries(self, tip: str, folder: str) -> dict[str, str]:
        try:
            listing = self._run("ls-tree", f"{tip}:{folder}" if folder else tip)
        except git.GitError:
            return {}
        entries = {}
        for row in listing.splitlines():
            mode_type_sha, _, name = row.partition("\t")
            entries[name] = mode_type_sha
        return entries

    def _mktree(self, entries: dict[str, str]) -> str:
        text = "".join(f"{value}\t{name}\n" for name, value in sorted(entries.items()))
        return self._git("mktree", input=text).strip()

    def _git(self, *args: str, input: str | None = None) -> str:
        """git's output; any failure is a ``HistoryError`` naming the store."""
        try:
            return self._run(*args, input=input)
        except git.GitError as error:
            raise HistoryError(f"git history store {self.root}: {error}") from error

    def _run(self, *args: str, input: str | None = None) -> str:
        """git's output in this repository, commits signed by the store's identity; raises
        ``GitError``, for the callers to whom a refusal is an answer."""
        return git.run(self.root, *args, input=input, env=_IDENTITY)


def _rejected(stderr: str) -> bool:
    """A push refused because the branch moved (retry on the new tip), not a failure."""
    lowered = stderr.lower()
    return any(word in lowered for word in ("rejected", "fetch first", "non-fast-forward"))
