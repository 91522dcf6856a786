"""What a run needs to know of the installed rules, kept in the cache folder, so that a
run answered from the result cache imports neither a rule pack nor libcst.

A ``RuleEntry`` holds what selection (id, name, opt-in), the option checks (``OPTIONS``),
the report (``info()``) and the result-cache key (module, class, source) read of a rule
class. The index of every entry is stored with a stamp and trusted while the stamp
holds: ecolint's version and engine sources, the Python version, the modification time of
every folder on ``sys.path`` (installing, upgrading or removing a pack adds or removes a
``*.dist-info`` folder there) and the size and time of every source file of every pack.
Any change rebuilds it from the classes; a missing or unreadable index is rebuilt too.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecolint.lint import registry
from ecolint.lint.cache import ENGINE_SOURCES, mark_cache_root, source_stamp
from ecolint.results import RuleInfo
from ecolint.version import VERSION

if TYPE_CHECKING:
    from ecolint.lint.rule import Rule

INDEX_FILE = "rule-index.pickle"


@dataclass(frozen=True)
class RuleEntry:
    """A rule class as selection, option checks and reports see it, without its code."""

    code: str
    name: str
    opt_in: bool
    OPTIONS: Mapping[str, Any]
    module: str
    qualname: str
    source: str  # the folder of the rule's top-level package, or its module file; "": none
    about: RuleInfo

    @classmethod
    def of(cls, rule: type[Rule]) -> RuleEntry:
        source = rule_source(rule.__module__)
        return cls(
            code=rule.code,
            name=rule.name,
            opt_in=rule.opt_in,
            OPTIONS=dict(rule.OPTIONS),
            module=rule.__module__,
            qualname=rule.__qualname__,
            source=str(source) if source else "",
            about=rule.info(),
        )

    def info(self) -> RuleInfo:
        return self.about


@dataclass(frozen=True)
class RuleIndex:
    """Every installed rule, sorted by id, with the stamp it was built under; ``checked``
    holds the digests of the option tables the rule classes have accepted under it."""

    rules: tuple[RuleEntry, ...]
    sources: tuple[str, ...] = ()
    stamp: str = ""
    checked: frozenset[str] = field(default_factory=frozenset)

    def check_options(
        self, options: Mapping[str, Mapping[str, object]], cache_dir: Path | None
    ) -> None:
        """Raise ``SelectionError`` for an option no rule knows, of the wrong type, or that
        a rule's constructor rejects, also for rules that are not enabled. Only the last
        check needs the classes; its verdict is kept in the stored index, so a rerun with
        the same options and the same packs imports no rule."""
        configured = [entry for entry in self.rules if {entry.code, entry.name} & {*options}]
        registry.check_options(configured, options)
        digest = _options_digest(options)
        if not configured or digest in self.checked:
            return
        codes = {entry.code for entry in configured}
        registry.instantiate([rule for rule in registry.all_rules() if rule.code in codes], options)
        if cache_dir is not None and self.stamp:
            _store(cache_dir, replace(self, checked=self.checked | {digest}))


def rule_index(cache_dir: Path | None) -> RuleIndex:
    """The index stored in ``cache_dir`` if its stamp still holds, else one built from the
    rule classes (and stored there); without ``cache_dir``, built and not stored."""
    if cache_dir is not None:
        stored = _load(cache_dir / INDEX_FILE)
        if stored is not None and stored.stamp == index_stamp(stored.sources):
            return stored
    index = build_index()
    if cache_dir is not None:
        _store(cache_dir, index)
    return index


def build_index() -> RuleIndex:
    """The index of the installed rule classes (this imports every pack, and libcst)."""
    rules = tuple(RuleEntry.of(rule) for rule in registry.all_rules())
    sources = {entry.source for entry in rules if entry.source}
    packs = map(rule_source, registry.pack_modules())
    sources |= {str(path) for path in packs if path is not None}
    ordered = tuple(sorted(sources))
    return RuleIndex(rules, ordered, index_stamp(ordered))


def index_stamp(sources: Sequence[str]) -> str:
    """What the index depends on: see the module's docstring."""
    digest = hashlib.sha256(f"{VERSION}\0{sys.version}".encode())
    for folder in _installation_folders():
        try:
            digest.update(f"\0{folder}:{os.stat(folder).st_mtime_ns}".encode())
        except OSError:
            digest.update(f"\0{folder}:-".encode())
    for source in (*ENGINE_SOURCES, *map(Path, sources)):
        try:
            digest.update(f"\0{source_stamp(source)}".encode())
        except OSError:  # a pack removed since: the index is stale
            digest.update(f"\0{source}:-".encode())
    return digest.hexdigest()


def rule_source(module: str) -> Path | None:
    """The folder of ``module``'s top-level package, or its file when it is a plain module
    (rules in tests or scripts): the code a rule's results depend on, helpers included."""
    top = sys.modules.get(module.partition(".")[0])
    source = getattr(top, "__file__", None)
    if not source:
        return None
    return Path(source).parent if hasattr(top, "__path__") else Path(source)


def _installation_folders() -> list[str]:
    """The folders of ``sys.path`` where a pack's metadata can be installed. The first
    entry, the script's folder or the working folder, is left out (unless ``-P``): the
    same installation seen from ``ecolint`` or ``python -m ecolint`` is one index, and an
    edit in the project, the cache folder's own creation included, does not rebuild it."""
    return [folder for folder in sys.path[0 if sys.flags.safe_path else 1 :] if folder]


def _options_digest(options: Mapping[str, Mapping[str, object]]) -> str:
    table = sorted((key, sorted(values.items())) for key, values in options.items())
    return hashlib.sha256(repr(table).encode()).hexdigest()


def _load(path: Path) -> RuleIndex | None:
    try:
        with open(path, "rb") as handle:
            index = pickle.load(handle)
    except Exception:  # missing, torn, or from another version: rebuilt
        return None
    return index if isinstance(index, RuleIndex) else None


def _store(cache_dir: Path, index: RuleIndex) -> None:
    from ecolint.atomic import write_atomically  # here: with tempfile, a warm run needs none

    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        mark_cache_root(cache_dir)
        write_atomically(cache_dir / INDEX_FILE, pickle.dumps(index, pickle.HIGHEST_PROTOCOL))
    except OSError:  # a read-only or full disk only costs speed
        return
