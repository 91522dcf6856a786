"""ecolint's version, written once here; the package metadata takes it from this file
(``[tool.hatch.version]`` in pyproject.toml). A constant rather than a lookup in the
installed metadata: ``importlib.metadata`` costs about 25 ms of every command's start-up."""

from __future__ import annotations

VERSION = "0.1.0"


def document_header(version: int) -> dict[str, object]:
    """The ``version`` and ``tool`` keys that begin every JSON document ecolint writes."""
    return {"version": version, "tool": {"name": "ecolint", "version": VERSION}}
