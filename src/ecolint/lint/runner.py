"""Lints many files: discovery, then one engine per process, files spread over processes.

Worker processes are forked after the rules are imported, so each builds its dispatch
tables once and then only reads, parses and walks files. Small runs stay in-process,
where a pool would cost more than it saves. A run with the cache selects its rules from
the cached rule index and imports the rules (and libcst) only when a file misses.
"""

from __future__ import annotations

import fnmatch
import functools
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ecolint.config import Settings
from ecolint.lint.cache import ResultCache, run_key
from ecolint.lint.diagnostics import UNREADABLE_FILE, file_finding
from ecolint.lint.file_kinds import EVERY_RULE_EVERYWHERE, KindPolicy, build_policy
from ecolint.lint.files import Discovery, discover, resolved
from ecolint.lint.fix_mode import NO_FIX, FixMode
from ecolint.lint.reading import read_source
from ecolint.lint.registry import RuleLike, Selection, all_rules, codes_for, instantiate
from ecolint.lint.rule_index import RuleIndex, rule_index
from ecolint.lint.timings import Timings
from ecolint.lint.visibility import meets_bar
from ecolint.results import FileResult, InternalError, LintReport

if TYPE_CHECKING:
    from ecolint.lint.engine import Engine

Progress = Callable[[int, int], None]
MIN_FILES_PER_WORKER = 8

# (path, displayed path, rules per-file-ignores turn off, path relative to the root)
Task = tuple[str, str, frozenset[str], str]


class _Worker:
    """What each process keeps between files: the engine, the fix mode, the cache."""

    engine: Engine | None = None
    fix: FixMode = NO_FIX
    cache: ResultCache | None = None


def _start_worker(
    codes: Sequence[str],
    options: Mapping[str, Mapping[str, object]],
    fix: FixMode,
    cache: ResultCache | None,
    max_file_bytes: int,
    kinds: KindPolicy,
) -> None:
    from ecolint.lint.engine import Engine  # here: a run answered from the cache needs none

    rules = [rule for rule in all_rules() if rule.code in set(codes)]
    _Worker.engine = Engine(instantiate(rules, options), max_file_bytes, kinds)
    _Worker.fix = fix
    _Worker.cache = cache


def _lint_one(task: Task) -> FileResult:
    path, display, ignored, relative = task
    engine = _Worker.engine
    assert engine is not None
    try:
        if _Worker.cache is None:
            return engine.lint_path(path, display, _Worker.fix, ignored, relative)
        try:
            data = read_source(path, engine.max_file_bytes)
        except OSError:
            return engine.lint_path(path, display, _Worker.fix, ignored, relative)  # says why
        result = engine.lint_bytes(data, display, _Worker.fix, ignored, relative)
        # Keyed by the bytes linted here, so a file edited during the run stays consistent.
        _Worker.cache.put(ResultCache.entry_key(data, display, ignored, relative), result)
        return result
    except Exception:  # an engine bug on one file must not lose the others
        import traceback

        return FileResult(display, errors=(InternalError(display, traceback.format_exc()),))


def _cached(
    tasks: list[Task], cache: ResultCache | None, limit: int
) -> tuple[list[FileResult], list[Task]]:
    """Split ``tasks`` into results found in the cache and files still to lint; a file
    over the size limit is keyed by its first ``limit + 1`` bytes, as the engine reads it."""
    if cache is None:
        return [], tasks
    hits: list[FileResult] = []
    misses: list[Task] = []
    for task in tasks:
        path, display, ignored, relative = task
        try:
            data = read_source(path, limit)
        except OSError:
            misses.append(task)
            continue
        found = cache.get(ResultCache.entry_key(data, display, ignored, relative))
        if found is None:
            misses.append(task)
        else:
            hits.append(found)
    return hits, misses


def display_path(path: Path, root: Path | None = None) -> str:
    """``path`` as reports show it: relative to ``root`` (default: the working folder, as
    ruff shows paths), else as given. ``ecolint ci`` passes each checkout's root, so a
    file has the same name (and fingerprint) in base and head whatever the working folder."""
    try:
        return resolved(path).relative_to(resolved(root or Path.cwd())).as_posix()
    except ValueError:
        return path.as_posix()


def lint_paths(
    paths: Iterable[Path],
    settings: Settings,
    *,
    selection: Selection | None = None,
    jobs: int | None = None,
    fix: FixMode = NO_FIX,
    progress: Progress | None = None,
    cache_dir: Path | None = None,
    show_all: bool = False,
    display_root: Path | None = None,
    timings: Timings | None = None,
    index: RuleIndex | None = None,
) -> LintReport:
    """Lint every Python file under ``paths`` with the rules ``selection`` enables;
    with ``cache_dir``, unchanged files are answered from the content cache there.
    Paths in the report are relative to ``display_root`` (default: the working folder).
    ``timings`` collects the time per rule; the run is then one process, without cache.
    ``index`` is the rule index of ``cached_index`` when the caller has loaded it.

    By default each file kind gets only the rules that apply to it and low-confidence
    findings are left out (counted in ``LintReport.hidden``); ``show_all`` keeps all."""
    selection = selection or Selection(settings.select, settings.extend_select, settings.ignore)
    if cache_dir is None or fix.apply or timings is not None:
        index, cache_dir = None, None
    elif index is None:
        index = rule_index(cache_dir)
    pool: Sequence[RuleLike] = index.rules if index is not None else all_rules()
    rules = selection.resolve(pool)
    _check_options(settings.options, index, cache_dir)
    kinds = kind_policy(settings, rules, show_all, pool)
    found = _discover(list(paths), settings, cache_dir)
    shown = functools.partial(display_path, root=display_root or Path.cwd())
    results = [
        FileResult(
            shown(p), (file_finding(shown(p), UNREADABLE_FILE, "no such file or directory"),)
        )
        for p in found.missing
    ]
    shown_root = resolved(display_root or Path.cwd())
    folders: dict[str, Path] = {}
    tasks = [_task(path, shown_root, settings, pool, folders) for path in found.files]
    cache = None
    if cache_dir is not None and index is not None:
        codes = {rule.code for rule in rules}
        enabled = [entry for entry in index.rules if entry.code in codes]
        extra = (settings.max_file_size, kinds.stable_key())
        key = run_key(enabled, settings.options, index.stamp, *extra)
        cache = ResultCache(cache_dir, key)
    hits, tasks = _cached(tasks, cache, settings.max_file_size)
    results.extend(hits)
    jobs = 1 if timings is not None else jobs or os.cpu_count() or 1
    results.extend(_run(tasks, rules, settings, jobs, fix, cache, progress, kinds, timings))
    results.sort(key=lambda r: r.path)
    return shown_report(results, settings, rules, show_all)


def _discover(paths: list[Path], settings: Settings, cache_dir: Path | None) -> Discovery:
    """The files to lint; with the cache, the stored list while its folders are unchanged."""
    if cache_dir is None:
        return discover(paths, settings.root, settings.excludes, settings.respect_gitignore)
    from ecolint.lint.discovery_cache import cached_discover

    return cached_discover(
        paths, settings.root, settings.excludes, settings.respect_gitignore, cache_dir
    )


def cached_index(cache_dir: Path | None, fixing: bool, timed: bool) -> RuleIndex | None:
    """The rule index a run with these settings selects from: the one stored in the cache
    folder when the run uses the cache (not with fixes or timings), else ``None`` (the
    rule classes themselves)."""
    return rule_index(cache_dir) if cache_dir is not None and not (fixing or timed) else None


def _check_options(
    options: Mapping[str, Mapping[str, object]], index: RuleIndex | None, cache_dir: Path | None
) -> None:
    """Option errors surface here, before any work, also for rules that are not enabled
    (a typo in the options of an opt-in rule must not wait for the day it is turned on)."""
    if index is not None:
        index.check_options(options, cache_dir)
        return
    configured = {*options}
    instantiate([rule for rule in all_rules() if {rule.code, rule.name} & configured], options)


def kind_policy(
    settings: Settings,
    rules: Sequence[RuleLike],
    show_all: bool,
    pool: Sequence[RuleLike] | None = None,
) -> KindPolicy:
    """Which rules apply to which file kind (every rule everywhere with ``show_all``);
    the selectors of ``file-kinds`` name rules of ``pool`` (default: every rule class)."""
    if show_all:
        return KindPolicy(paths=settings.file_kinds.paths)
    enabled = [rule.code for rule in rules]
    codes = functools.partial(codes_for, rules=pool)
    return build_policy(enabled, settings.file_kinds.rules, settings.file_kinds.paths, codes)


def shown_report(
    results: Sequence[FileResult],
    settings: Settings,
    rules: Sequence[RuleLike],
    show_all: bool,
) -> LintReport:
    """The report of ``results``, without the findings under the bar unless ``show_all``."""
    hidden = 0
    if not show_all:
        shown = []
        for result in results:
            kept = tuple(f for f in result.findings if meets_bar(f))
            if len(kept) < len(result.findings):
                hidden += len(result.findings) - len(kept)
                result = replace(result, findings=kept)
            shown.append(result)
        results = shown
    return LintReport(
        files=tuple(results),
        root=str(settings.root),
        rules=tuple(rule.info() for rule in rules),
        hidden=hidden,
    )


def _run(
    tasks: list[Task],
    rules: Sequence[RuleLike],
    settings: Settings,
    jobs: int,
    fix: FixMode,
    cache: ResultCache | None,
    progress: Progress | None,
    kinds: KindPolicy = EVERY_RULE_EVERYWHERE,
    timings: Timings | None = None,
) -> list[FileResult]:
    if not tasks and timings is None:  # all answered from the cache: import no rule
        return []
    codes = [rule.code for rule in rules]
    workers = min(jobs, max(1, len(tasks) // MIN_FILES_PER_WORKER))
    results: list[FileResult] = []
    if workers <= 1:
        _start_worker(codes, settings.options, fix, cache, settings.max_file_size, kinds)
        if timings is not None and _Worker.engine is not None:
            _Worker.engine.time_rules(timings)
        for task in tasks:
            results.append(_lint_one(task))
            if progress:
                progress(len(results), len(tasks))
        return results
    import multiprocessing  # here: a run answered from the cache starts no process

    context = multiprocessing.get_context("fork")
    initargs = (codes, settings.options, fix, cache, settings.max_file_size, kinds)
    with context.Pool(workers, _start_worker, initargs) as pool:
        for result in pool.imap_unordered(_lint_one, tasks, chunksize=2):
            results.append(result)
            if progress:
                progress(len(results), len(tasks))
    return results


def _task(
    path: Path,
    shown_root: Path,
    settings: Settings,
    pool: Sequence[RuleLike],
    folders: dict[str, Path],
) -> Task:
    """What a worker needs to lint ``path``, the path resolved once: on a warm run these
    path operations are a good part of the time left. ``folders`` keeps each folder
    resolved (by its path as text) for the other files in it."""
    absolute = _resolved_file(path, folders)
    relative = _relative(absolute, settings.root, str(path))
    shown = _relative(absolute, shown_root, path.as_posix())
    return (str(path), shown, _ignored(relative, path.name, settings, pool), relative)


def _resolved_file(path: Path, folders: dict[str, Path]) -> Path:
    """``resolved(path)``, with one ``lstat`` per file instead of one per part: unless the
    file is a link, it is its folder resolved (once per folder) and its name."""
    if path.is_symlink():
        return resolved(path)
    parent = path.parent
    key = str(parent)
    folder = folders.get(key)
    if folder is None:
        folder = folders[key] = resolved(parent)
    return folder / path.name


def _relative(absolute: Path, root: Path, otherwise: str) -> str:
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return otherwise


def ignored_codes(path: str, settings: Settings) -> frozenset[str]:
    """The rules that ``per-file-ignores`` turns off for ``path``."""
    return _ignored(relative_to_root(path, settings.root), Path(path).name, settings, None)


def _ignored(
    relative: str, name: str, settings: Settings, pool: Sequence[RuleLike] | None
) -> frozenset[str]:
    """The rules of ``pool`` (default: every rule class) that ``per-file-ignores`` turns
    off for the file at ``relative`` (to the root), named ``name``."""
    ignored: set[str] = set()
    for pattern, selectors in settings.per_file_ignores.items():
        if fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(name, pattern):
            ignored |= codes_for(selectors, pool)
    return frozenset(ignored)


def relative_to_root(path: str, root: Path) -> str:
    return _relative(resolved(Path(path)), root, path)
