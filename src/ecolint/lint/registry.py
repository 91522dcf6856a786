"""Rule packs found through the ``ecolint.rules`` entry point, and rule selection.

A selector is a rule id (``ECO102``), an id prefix (``ECO1``, ``ECO``), a rule name
(``concat-accumulation-in-loop``) or ``ALL``. Opt-in rules are enabled only when named
by id or name (or by ``ALL``), never by a prefix or by default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, overload

from ecolint.config.values import close_match, unknown_names

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from ecolint.lint.rule import Rule
    from ecolint.results import RuleInfo

ENTRY_POINT_GROUP = "ecolint.rules"
_CODE = re.compile(r"^[A-Z]{1,8}[0-9]{3}$")


class RuleLike(Protocol):
    """What selection, option checks and reports read of a rule: its class, or its entry
    in the cached index (``ecolint.lint.rule_index``), which a run answered from the cache
    uses instead. The defaults in ``OPTIONS`` give each option its type."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def opt_in(self) -> bool: ...

    @property
    def OPTIONS(self) -> Mapping[str, Any]: ...

    def info(self) -> RuleInfo: ...


R = TypeVar("R", bound=RuleLike)


class SelectionError(ValueError):
    """A selector, option or rule pack that does not make sense (exit code 2)."""


@cache
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule of every installed pack, sorted by id; ids and names must be unique."""
    from ecolint.lint.rule import Rule

    found: dict[str, type[Rule]] = {}
    names: dict[str, str] = {}
    for entry in _entry_points():
        loaded = entry.load()
        rules = getattr(loaded, "RULES", loaded)
        for rule in rules:
            if not (isinstance(rule, type) and issubclass(rule, Rule)):
                raise SelectionError(f"rule pack {entry.name!r} exports {rule!r}, not a Rule")
            if not _CODE.match(rule.code):
                raise SelectionError(f"rule {rule.__name__}: invalid id {rule.code!r}")
            if rule.code in found and found[rule.code] is not rule:
                raise SelectionError(f"rule id {rule.code} is defined twice")
            if rule.name in names and names[rule.name] != rule.code:
                raise SelectionError(f"rule name {rule.name} is defined twice")
            found[rule.code] = rule
            names[rule.name] = rule.code
    if not found:  # linting with no rule would say "All checks passed": never true here
        raise SelectionError(
            f"no rule is installed: no {ENTRY_POINT_GROUP!r} entry point was found in "
            "ecolint's package metadata; reinstall ecolint (pip install --force-reinstall)"
        )
    return tuple(found[code] for code in sorted(found))


def pack_modules() -> list[str]:
    """The modules the ``ecolint.rules`` entry points name (their packs' code)."""
    return [entry.module for entry in _entry_points()]


def _entry_points() -> list[EntryPoint]:
    from importlib.metadata import entry_points

    return sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)


def find_rule(selector: str, rules: Sequence[type[Rule]] | None = None) -> type[Rule] | None:
    return _named(selector, rules if rules is not None else all_rules())


def _named(selector: str, rules: Sequence[R]) -> R | None:
    """The rule whose id (in any case) or name is ``selector``."""
    for rule in rules:
        if selector.upper() == rule.code or selector == rule.name:
            return rule
    return None


def _matching(selector: str, rules: Sequence[R]) -> tuple[list[R], bool]:
    """Rules matched by ``selector`` and whether it named them exactly."""
    if selector == "ALL":
        return list(rules), True
    exact = _named(selector, rules)
    if exact is not None:
        return [exact], True
    prefixed = [rule for rule in rules if rule.code.startswith(selector.upper())]
    if not prefixed or not re.match(r"^[A-Za-z]+[0-9]*$", selector):
        close = close_match(selector, [name for rule in rules for name in (rule.code, rule.name)])
        hint = f"; did you mean {close}?" if close else ""
        raise SelectionError(
            f"unknown rule selector {selector!r} (not an id, prefix or name{hint})"
        )
    return prefixed, False


def validate_selectors(selectors: Iterable[str], rules: Sequence[RuleLike] | None = None) -> None:
    for selector in selectors:
        _matching(selector, rules if rules is not None else all_rules())


def codes_for(selectors: Iterable[str], rules: Sequence[RuleLike] | None = None) -> set[str]:
    """All ids matched by ``selectors`` (opt-in rules included): for ignores."""
    pool = rules if rules is not None else all_rules()
    return {rule.code for selector in selectors for rule in _matching(selector, pool)[0]}


@dataclass(frozen=True)
class Selection:
    """Which rules are on: ``select`` (default: every rule that is not opt-in), plus
    ``extend_select``, minus ``ignore``."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @overload
    def resolve(self) -> list[type[Rule]]: ...

    @overload
    def resolve(self, rules: Sequence[R]) -> list[R]: ...

    def resolve(self, rules: Sequence[Any] | None = None) -> list[Any]:
        """The enabled rules of ``rules`` (default: every installed rule class), in order."""
        pool = list(rules if rules is not None else all_rules())
        enabled: set[str] = set()
        if self.select is None:
            enabled = {rule.code for rule in pool if not rule.opt_in}
        for selector in (*(self.select or ()), *self.extend_select):
            matched, exact = _matching(selector, pool)
            enabled |= {rule.code for rule in matched if exact or not rule.opt_in}
        enabled -= codes_for(self.ignore, pool)
        return [rule for rule in pool if rule.code in enabled]


def instantiate(
    rules: Iterable[type[Rule]], options: Mapping[str, Mapping[str, object]]
) -> list[Rule]:
    """One instance per rule with its configured options (keyed by id or name)."""
    instances = []
    for rule in rules:
        configured = check_options([rule], options)[0]
        try:
            instances.append(rule(configured))
        except ValueError as error:  # a rule rejects an option's value: a usage error
            raise SelectionError(f"{rule.code} ({rule.name}): {error}") from error
    return instances


def check_options(
    rules: Iterable[RuleLike], options: Mapping[str, Mapping[str, object]]
) -> list[dict[str, object]]:
    """Each rule's configured options (keyed by id or name), checked against the names
    and types of its defaults; what only the rule's constructor knows is left to it."""
    tables = []
    for rule in rules:
        configured = {**options.get(rule.name, {}), **options.get(rule.code, {})}
        unknown = set(configured) - set(rule.OPTIONS)
        if unknown:
            raise SelectionError(
                f"{rule.code} ({rule.name}) has no option "
                f"{unknown_names(sorted(unknown), rule.OPTIONS)}; "
                f"known: {', '.join(rule.OPTIONS) or 'none'}"
            )
        for key, value in configured.items():
            _check_option_type(rule, key, value)
        tables.append(configured)
    return tables


def _check_option_type(rule: RuleLike, key: str, value: object) -> None:
    """An option takes the type of its default (an int where a float is expected too):
    ``min-elements = "eight"`` is an error, not a silently broken comparison."""
    default = rule.OPTIONS[key]
    expected: tuple[type, ...] = (type(default),)
    if isinstance(default, float):
        expected = (int, float)
    elif isinstance(default, (list, tuple)):
        expected = (list, tuple)
    wrong = not isinstance(value, expected) or (
        isinstance(value, bool) and not isinstance(default, bool)
    )
    if isinstance(default, (list, tuple)) and isinstance(value, (list, tuple)) and default:
        item = type(default[0])
        wrong = not all(isinstance(element, item) for element in value)
    if wrong:
        raise SelectionError(
            f"{rule.code} ({rule.name}) option {key} must be like {default!r}, got {value!r}"
        )
