"""The newcomer documents stay true, and what ecolint ships points only at what it ships.

- Every path written in backticks in ARCHITECTURE.md and CONTRIBUTING.md exists (a
  ``path::name`` also names a function, class or constant defined in that file), so a move
  or a rename fails here instead of leaving the documents wrong.
- Every item of CONTRIBUTING.md's "Add a rule" checklist names the tests that check it.
- Shipped text cites no document outside the repository (the steering notes it was built
  from are not in a user's checkout), and no docstring says "this machine": rule docstrings
  reach users through ``ecolint explain`` and ``rules/README.md``, where "this" is theirs.
"""

from __future__ import annotations

import ast
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).parents[1]
NEWCOMER_DOCUMENTS = ("ARCHITECTURE.md", "CONTRIBUTING.md")
TOP_LEVEL = {path.name for path in REPO.iterdir()}

# A backticked span that is a path: slashes, dots, placeholders (``<theme>``) and globs,
# optionally followed by ``::name``; no spaces, no ``:`` (URLs, ``git:<branch>``), no ``=``.
PATH_SPAN = re.compile(r"^[\w.<>*-]+(?:/[\w.<>*-]*)*(?:::[\w.]+)?$")
PATH_SUFFIXES = (".py", ".md", ".toml", ".yml", ".json")
TEST_REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")

SHIPPED = ("src", "rules", "pytest_plugin", "github_action", "bench", "README.md")
SHIPPED_SUFFIXES = {".py", ".md", ".toml", ".yml", ".yaml", ".txt", ".cfg", ".json", ".ini"}
OUTSIDE_THE_REPOSITORY = re.compile(
    r"(?<![\w-])research/"  # the steering repository's research notes
    r"|(?<![\w/-])(?:CI|WEB|RULES|DESIGN|ENERGY)\.md\b"  # its design documents
    r"|\.\./shared\b"
    r"|(?<![\w.])/work/"  # an absolute path of the machine ecolint was built on
)
THIS_MACHINE = re.compile(r"\bthis (?:\d+-core )?(?:machine|box|VM)\b", re.IGNORECASE)


def path_spans(text: str) -> Iterator[tuple[str, str]]:
    """(span, block) for each backticked path; a block is a paragraph, list item or table
    row, the context a bare file name (``walker.py``) is resolved in."""
    for block in re.split(r"\n\s*\n|\n(?=\s*(?:\||[-*] |\d+\. ))", text):
        for span in re.findall(r"`([^`\n]+)`", block):
            path = span.partition("::")[0]
            if path.startswith(".") or not PATH_SPAN.match(span):
                continue  # an output location (``.eco/energy.json``) or not a path
            if "/" in path or path.endswith(PATH_SUFFIXES):
                yield span, block


def _matches(pattern: str) -> list[Path]:
    """The paths of the repository ``pattern`` names; a placeholder (``<theme>``) matches
    any name, as ``*`` does."""
    glob = re.sub(r"<[^>]*>", "*", pattern).rstrip("/")
    if "*" in glob:
        return sorted(REPO.glob(glob))
    return [REPO / glob] if (REPO / glob).exists() else []


def resolve(span: str, block: str) -> list[Path]:
    """The files ``span`` names: from the repository root when it starts with one of the
    root's entries, else inside a folder named by an earlier full path of its block."""
    path = span.partition("::")[0]
    if path.split("/")[0] in TOP_LEVEL or "/" in path.rstrip("/"):
        return _matches(path)
    for earlier in re.findall(r"`([^`\n]+)`", block[: block.index(f"`{span}`")]):
        base = earlier.partition("::")[0]
        if base.split("/")[0] in TOP_LEVEL:
            folder = base if base.endswith("/") else base.rpartition("/")[0]
            found = _matches(f"{folder.rstrip('/')}/{path}" if folder else path)
            if found:
                return found
    return []


def defines(source: str, name: str) -> bool:
    """``name`` (its last dotted part) is a function, class or assignment in ``source``."""
    last = re.escape(name.rpartition(".")[2])
    return bool(
        re.search(rf"^\s*(?:(?:async\s+)?def|class)\s+{last}\b|^\s*{last}\s*[:=]", source, re.M)
    )


@pytest.mark.parametrize("document", NEWCOMER_DOCUMENTS)
def test_every_path_in_the_newcomer_documents_exists(document: str) -> None:
    text = (REPO / document).read_text(encoding="utf-8")
    spans = list(path_spans(text))
    assert spans, f"{document} names no path"
    missing = [span for span, block in spans if not resolve(span, block)]
    assert not missing, f"{document} names paths that do not exist: {missing}"
    undefined = [
        span
        for span, block in spans
        if "::" in span
        and not any(
            path.is_file() and defines(path.read_text(encoding="utf-8"), span.partition("::")[2])
            for path in resolve(span, block)
        )
    ]
    assert not undefined, f"{document} names functions or classes that do not exist: {undefined}"


def checklist_items() -> list[str]:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.partition("## Add a rule")[2].partition("\n## ")[0]
    return re.findall(r"^\d+\. .*?(?=^\d+\. |\Z)", section, re.MULTILINE | re.DOTALL)


def test_every_checklist_item_names_tests_that_exist() -> None:
    items = checklist_items()
    assert len(items) >= 9, "CONTRIBUTING.md lost its 'Add a rule' checklist"
    for item in items:
        assert TEST_REFERENCE.search(item), f"this checklist item names no test: {item[:80]!r}"
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for path, name in TEST_REFERENCE.findall(text):
        module = ast.parse((REPO / path).read_text(encoding="utf-8"))
        functions = {node.name for node in module.body if isinstance(node, ast.FunctionDef)}
        assert name in functions, f"CONTRIBUTING.md names {path}::{name}, which does not exist"


def shipped_files() -> Iterator[Path]:
    """The repository's files under SHIPPED, tracked or new, never what git ignores (the
    benchmarks' venvs, caches): ``git ls-files --cached --others --exclude-standard``."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", *SHIPPED],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    for name in filter(None, listed.split("\0")):
        path = REPO / name
        if path.suffix in SHIPPED_SUFFIXES and path.is_file():
            yield path
    for document in NEWCOMER_DOCUMENTS:
        yield REPO / document


def test_no_reference_to_documents_outside_the_repository() -> None:
    found = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()[:100]}"
        for path in shipped_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if OUTSIDE_THE_REPOSITORY.search(line)
    ]
    assert not found, "cite a public source (URL) or a file of the repository instead:\n" + (
        "\n".join(found)
    )


def docstrings(path: Path) -> Iterator[tuple[str, str]]:
    """(name, docstring) of the module, classes and functions of ``path``; none when the
    file has no "this machine" at all (a cheap filter before parsing)."""
    source = path.read_text(encoding="utf-8")
    if not THIS_MACHINE.search(source):
        return
    module = ast.parse(source)
    for node in ast.walk(module):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield getattr(node, "name", "module"), doc


def test_no_shipped_docstring_says_this_machine() -> None:
    """Name the machine instead: "on a 2-core x86-64 VM (CPython 3.11, …)"."""
    found = [
        f"{path.relative_to(REPO)} ({name}): {match.group()!r}"
        for root in ("src", "rules", "pytest_plugin")
        for path in sorted((REPO / root).rglob("*.py"))
        for name, doc in docstrings(path)
        for match in THIS_MACHINE.finditer(doc)
    ]
    catalogue = (REPO / "rules" / "README.md").read_text(encoding="utf-8")
    found += [f"rules/README.md: {m.group()!r}" for m in THIS_MACHINE.finditer(catalogue)]
    assert not found, "\n".join(found)
