"""Lints one file: read once, parse once, walk once; positions only for what is reported.

With fixes on, the file is re-linted after each round of fixes until nothing fixable is
left (at most ``MAX_FIX_ROUNDS``), like ruff; every round must produce code that parses.
"""

from __future__ import annotations

import ast
import hashlib
import sys
import time
from collections.abc import Iterable, Sequence

import libcst as cst

from ecolint.config.sizes import DEFAULT_MAX_FILE_SIZE, format_size
from ecolint.lint import noqa
from ecolint.lint.context import FileContext
from ecolint.lint.diagnostics import INVALID_SYNTAX, UNREADABLE_FILE, file_finding
from ecolint.lint.file_kinds import EVERY_RULE_EVERYWHERE, KindPolicy
from ecolint.lint.fix_mode import NO_FIX, FixMode
from ecolint.lint.fixer import apply_replacements
from ecolint.lint.positions import Span, spans
from ecolint.lint.problems import one_per_problem
from ecolint.lint.reading import read_source
from ecolint.lint.rule import Replacement, Report, Rule
from ecolint.lint.timings import Timings
from ecolint.lint.walker import Walker
from ecolint.results import FileKind, FileResult, Finding, Fix, InternalError

MAX_FIX_ROUNDS = 10
RECURSION_LIMIT = 20_000


class Engine:
    """Holds the enabled rules and their dispatch tables for the life of a process;
    ``kinds`` classifies each file and turns off the rules that do not apply to its kind."""

    def __init__(
        self,
        rules: Sequence[Rule],
        max_file_bytes: int = DEFAULT_MAX_FILE_SIZE,
        kinds: KindPolicy = EVERY_RULE_EVERYWHERE,
    ) -> None:
        self.walker = Walker(rules)
        self.codes = frozenset(rule.code for rule in rules)
        self.impact = {rule.code: rule.impact for rule in rules}
        self.max_file_bytes = max_file_bytes
        self.kinds = kinds
        self.timings: Timings | None = None
        if sys.getrecursionlimit() < RECURSION_LIMIT:
            # Deep trees (pydoc_data/topics.py) need it; Python-to-Python calls no longer
            # use the C stack in 3.11, so this is safe.
            sys.setrecursionlimit(RECURSION_LIMIT)

    def lint_path(
        self,
        path: str,
        display_path: str,
        fix: FixMode = NO_FIX,
        ignore: frozenset[str] = frozenset(),
        relative: str | None = None,
    ) -> FileResult:
        try:
            data = read_source(path, self.max_file_bytes)
        except OSError as error:
            reason = error.strerror or str(error)
            return _unreadable(display_path, f"cannot read file: {reason}")
        return self.lint_bytes(data, display_path, fix, ignore, relative)

    def lint_bytes(
        self,
        data: bytes,
        path: str,
        fix: FixMode = NO_FIX,
        ignore: frozenset[str] = frozenset(),
        relative: str | None = None,
    ) -> FileResult:
        """Lint ``data``, shown as ``path``; ``relative`` (to the project root, default
        ``path``) is what the file's kind is detected from."""
        if len(data) > self.max_file_bytes:
            limit = format_size(self.max_file_bytes)
            hint = "raise `max-file-size` in [tool.ecolint] to lint it"
            return _unreadable(path, f"file is larger than the {limit} limit; skipped ({hint})")
        if b"\0" in data:
            return _unreadable(path, "binary file (it contains NUL bytes); skipped")
        kind = self.kinds.kind_of(relative if relative is not None else path, data)
        if self.codes <= ignore | self.kinds.ignored_for(kind):
            return FileResult(path, kind=kind)  # no rule applies here (migration…): no parse
        try:
            module = self._parse(data)
        except cst.ParserSyntaxError as error:
            line, column, message = _syntax_error(data, error)
            return FileResult(path, (file_finding(path, INVALID_SYNTAX, message, line, column),))
        except (SyntaxError, UnicodeDecodeError, LookupError) as error:
            line, column = _undecodable_at(data, error)
            finding = file_finding(path, UNREADABLE_FILE, f"cannot decode: {error}", line, column)
            return FileResult(path, (finding,))
        except RecursionError:
            return FileResult(
                path, (file_finding(path, INVALID_SYNTAX, "cannot parse: nested too deeply"),)
            )
        return self.lint_module(module, path, fix, ignore | self.kinds.ignored_for(kind), kind)

    def time_rules(self, timings: Timings) -> None:
        """Add the time of each rule, and of parsing, to ``timings`` (``--timings``)."""
        self.timings = timings
        self.walker.time_rules(timings)

    def _parse(self, data: bytes) -> cst.Module:
        if self.timings is None:
            return cst.parse_module(data)
        started = time.perf_counter()
        try:
            return cst.parse_module(data)
        finally:
            self.timings.parse_s += time.perf_counter() - started
            self.timings.files += 1

    def lint_module(
        self,
        module: cst.Module,
        path: str,
        fix: FixMode = NO_FIX,
        ignore: frozenset[str] = frozenset(),
        kind: FileKind = "app",
    ) -> FileResult:
        """Lint a parsed module of ``kind``; rules in ``ignore`` (per-file ignores and
        the rules that do not apply to the kind) report nothing."""
        original = module.code if fix.apply else None
        encoding = module.encoding  # re-parsed fixed code would forget it
        applied = 0
        for _ in range(MAX_FIX_ROUNDS):
            resolved, errors = self._run_rules(module, path, ignore, kind)
            fixable = [r for r, _ in resolved if fix.accepts(r)]
            if not fixable:
                break
            fixed = _apply(module, fixable)
            if fixed is None:
                rules = ", ".join(sorted({r.rule.code for r in fixable}))
                message = "a fix produced code that does not parse; fixes were not applied"
                errors.append(InternalError(path, message, rules))
                break
            if fixed.code == module.code:
                break
            module = fixed
            applied += len(fixable)
        else:  # still fixing after the last round: report on the code as it now is
            resolved, errors = self._run_rules(module, path, ignore, kind)
        findings = one_per_problem((finding for _, finding in resolved), self.impact)
        fixed_source = module.code if fix.apply and module.code != original else None
        return FileResult(
            path,
            findings,
            tuple(errors),
            fixed_source,
            original if fixed_source else None,
            applied,
            encoding,
            kind,
        )

    def _run_rules(
        self, module: cst.Module, path: str, ignore: frozenset[str], kind: FileKind
    ) -> tuple[list[tuple[Report, Finding]], list[InternalError]]:
        context = FileContext(path, module, kind)
        try:
            failures = self.walker.run(context)
        except RecursionError:
            return [], [InternalError(path, "the file is nested too deeply to be walked")]
        errors = [
            InternalError(path, f"rule raised an exception:\n{trace}", rule.code)
            for rule, trace in failures.items()
        ]
        reports = _unique(
            r for r in context.reports if r.rule not in failures and r.rule.code not in ignore
        )
        if not reports:
            return [], errors
        span_of, code = spans(module, [r.node for r in reports])
        lines = code.splitlines()
        resolved = []
        for report in reports:
            span = span_of[id(report.node)]
            text = lines[span[0] - 1] if span[0] <= len(lines) else ""
            if not noqa.suppressed(text, report.rule.code, report.rule.name):
                fingerprint = _fingerprint(path, report.rule.code, lines, span[0])
                finding = _finding(path, report, span, text, fingerprint, kind)
                resolved.append((report, finding))
        return resolved, errors


def _syntax_error(data: bytes, error: cst.ParserSyntaxError) -> tuple[int, int, str]:
    """CPython's own compiler places syntax errors more precisely than libcst's parser;
    ask it (only for files that failed). Valid code that libcst rejects keeps libcst's."""
    try:
        compile(data, "<file>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as precise:
        return precise.lineno or 1, precise.offset or 1, f"cannot parse: {precise.msg}"
    except (ValueError, RecursionError, MemoryError):
        pass
    return error.raw_line, error.raw_column + 1, f"cannot parse (libcst): {error.message}"


def _unique(reports: Iterable[Report]) -> list[Report]:
    seen: set[tuple[int, int]] = set()
    kept = []
    for report in reports:
        key = (id(report.rule), id(report.node))
        if key not in seen:
            seen.add(key)
            kept.append(report)
    return kept


def _apply(module: cst.Module, reports: Sequence[Report]) -> cst.Module | None:
    replacements: dict[int, Replacement] = {}
    for report in reports:
        if report.replacement is not None:  # always: these are the reports fixes accept
            replacements[id(report.node)] = report.replacement
        replacements.update((id(node), replacement) for node, replacement in report.edits)
    imports = [name for r in reports for name in r.fix_imports]
    try:
        fixed = apply_replacements(module, replacements, imports)
        return cst.parse_module(fixed.code)
    except Exception:  # a fix that cannot be generated or re-parsed is dropped
        return None


def _fingerprint(path: str, code: str, lines: Sequence[str], line: int) -> str:
    """Stable across unrelated edits: rule, path, and the normalised line with its
    neighbours (not the line number), like SARIF ``partialFingerprints``."""
    window = lines[max(line - 2, 0) : line + 1]
    normalised = "\n".join(" ".join(text.split()) for text in window)
    digest = hashlib.sha256(f"{code}\0{path}\0{normalised}".encode()).hexdigest()
    return digest[:16]


def _finding(
    path: str, report: Report, span: Span, text: str, fingerprint: str, kind: FileKind
) -> Finding:
    line, column, end_line, end_column = span
    fix = None
    if report.replacement is not None:
        fix = Fix("unsafe" if report.unsafe else "safe", report.rule.fix_title)
    return Finding(
        path=path,
        code=report.rule.code,
        name=report.rule.name,
        message=report.message,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        severity=report.severity,
        fix=fix,
        line_text=text,
        fingerprint=fingerprint,
        confidence=report.confidence,
        kind=kind,
    )


def _undecodable_at(data: bytes, error: Exception) -> tuple[int, int]:
    """Line and column of the first byte that does not decode, so an editor jumps to it
    (the parser's own error only says the encoding is wrong); 1:1 when none is found."""
    if isinstance(error, UnicodeDecodeError) and error.object == data:
        offset = error.start
    else:
        try:
            data.decode("utf-8")
            return 1, 1
        except UnicodeDecodeError as utf8_error:
            offset = utf8_error.start
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _unreadable(path: str, message: str) -> FileResult:
    return FileResult(path, (file_finding(path, UNREADABLE_FILE, message),))
