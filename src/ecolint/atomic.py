"""Writing ecolint's output files: whole or not at all, with the usual permissions.

Every report ecolint writes (energy, A/B comparison, web, dashboard pages) goes through a
temporary file in the same folder and a rename, so a reader (a CI step, the dashboard's
web server) never sees half a file. ``tempfile`` creates that file with mode 0600; the
result gets the mode any new file gets (0666 less the umask, usually 0644), so an artifact
upload or a web server running as another user can read it.

The folders ecolint names itself (``.eco/``, ``.ecolint/``) hold only what it writes:
when it creates one, it drops a ``.gitignore`` inside, as the lint cache does, so they
never show up as untracked files.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

OWN_FOLDERS = frozenset({".eco", ".ecolint"})
_IGNORE_ALL = "# Created by ecolint automatically.\n*\n"


def write_atomically(path: Path, data: str | bytes) -> int:
    """Write ``data`` (text as UTF-8) to ``path``; return the number of bytes written."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    make_folder(path.parent)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return len(payload)


def make_folder(folder: Path) -> None:
    """Create ``folder`` and its parents; an ecolint-named folder it creates gets a
    ``.gitignore`` that keeps its content out of version control."""
    created = [p for p in (folder, *folder.parents) if not p.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    for new in created:
        if new.name in OWN_FOLDERS:
            (new / ".gitignore").write_text(_IGNORE_ALL, encoding="utf-8")


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
