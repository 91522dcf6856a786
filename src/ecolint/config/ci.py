"""``[tool.ecolint.ci]``: what ``ecolint ci`` runs on a pull request and which gates fail it.

Every key can also come from the GitHub Action's inputs (the CLI options win), so a
repository can keep its gates next to its rules and its workflow stays a copy-paste. The
pages to audit are ``[tool.ecolint.web] urls``, shared with ``ecolint web``.

One name per concept: the key, the action input and the ``ecolint ci`` option are spelt
alike (``energy``, ``rounds``, ``report-id``...). ``comment-id``, the first name of
``report-id``, is still read, with a deprecation note, so no configuration breaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecolint.config.values import (
    ConfigError,
    check_keys,
    read_bool,
    read_choice,
    read_positive,
    read_strings,
    unknown_names,
)

GATES = ("new-findings", "score-drop", "energy-regression", "budget")
SEVERITIES = ("info", "warning", "error")
REPORT_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# The rounds of the energy A/B: the default of `ecolint energy ab --rounds` too (a test checks
# they agree). On a shared 2-vCPU VM, 15 rounds caught a 30 % slowdown of one test in 20 in
# 10 runs of 10, 10 rounds in only 5-7 (bench/energy_verdicts.py, README "Energy of test runs").
AB_ROUNDS = 15
_DEPRECATED = {"comment-id": "report-id"}  # old key -> its name now


@dataclass(frozen=True)
class CISettings:
    paths: tuple[str, ...] = (".",)
    fail_on: tuple[str, ...] = ("new-findings", "energy-regression", "budget")
    new_findings_level: str = "warning"  # findings at least this severe count for the gate
    max_new_findings: int = 0
    max_score_drop: float = 0.0  # points of the 0-100 score
    energy: bool = False  # the A/B of the test suite (slow: 2 x rounds pytest runs)
    rounds: int = AB_ROUNDS
    pytest_args: tuple[str, ...] = ()
    report_id: str = "default"  # tells this job's comment apart (the marker's suffix)
    max_comment_findings: int = 50
    # CPU profiles joined to head's findings (relative to the repository's root): the
    # comment lists the hot new findings first, with their measured share
    profile: tuple[str, ...] = ()
    deprecations: tuple[str, ...] = ()  # a line per deprecated key, for ecolint ci to print


_KNOWN = {
    "paths",
    "fail-on",
    "new-findings-level",
    "max-new-findings",
    "max-score-drop",
    "energy",
    "rounds",
    "pytest-args",
    "report-id",
    "max-comment-findings",
    "profile",
}


def parse_ci(table: Any, path: Path) -> CISettings:
    where = f"{path}: [tool.ecolint.ci]"
    table, deprecations = _renamed(table, where)
    check_keys(table, where, sorted(_KNOWN))
    values: dict[str, Any] = {
        key.replace("-", "_"): read_strings(table[key], key, where)
        for key in ("paths", "pytest-args", "fail-on")
        if key in table
    }
    try:
        check_gates(values.get("fail_on", ()))
    except ValueError as problem:
        raise ConfigError(f"{where}: {problem}") from problem
    if "profile" in table:  # one file, or a list of them
        profile = table["profile"]
        values["profile"] = read_strings(
            [profile] if isinstance(profile, str) else profile, "profile", where
        )
    if "energy" in table:
        values["energy"] = read_bool(table["energy"], "energy", where)
    for key, low in (("max-new-findings", 0), ("rounds", 3), ("max-comment-findings", 1)):
        if key in table:
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ConfigError(
                    f"{where}: {key} must be an integer of at least {low}, got {value!r}"
                )
            values[key.replace("-", "_")] = value
    if "max-score-drop" in table:
        values["max_score_drop"] = read_positive(table["max-score-drop"], "max-score-drop", where)
    if "new-findings-level" in table:
        values["new_findings_level"] = read_choice(
            table["new-findings-level"], "new-findings-level", where, SEVERITIES
        )
    if "report-id" in table:
        value = table["report-id"]
        if not isinstance(value, str) or not REPORT_ID.match(value):
            raise ConfigError(f"{where}: report-id must be 1-64 letters, digits, '.', '_' or '-'")
        values["report_id"] = value
    return CISettings(**values, deprecations=deprecations)


def _renamed(table: Any, where: str) -> tuple[Any, tuple[str, ...]]:
    """The table with deprecated keys under their current names, and a note for each: an old
    configuration keeps working, and says what to write instead."""
    if not isinstance(table, dict):
        return table, ()  # check_keys says what is wrong
    table, notes = dict(table), []
    for old, new in _DEPRECATED.items():
        if old not in table:
            continue
        if new in table:
            raise ConfigError(f"{where}: {old} is the old name of {new}; keep only {new}")
        table[new] = table.pop(old)
        notes.append(f"{where}: {old} is deprecated, write {new} (same meaning)")
    return table, tuple(notes)


def check_gates(gates: tuple[str, ...]) -> None:
    wrong = [gate for gate in gates if gate not in GATES and gate != "none"]
    if wrong:
        raise ValueError(
            f"unknown gate(s) {unknown_names(wrong, (*GATES, 'none'))}; "
            f"known: {', '.join(GATES)}, none"
        )


def check_urls(urls: tuple[str, ...]) -> None:
    wrong = [url for url in urls if not url.startswith(("http://", "https://"))]
    if wrong:
        raise ValueError(f"urls must start with http:// or https://, got {', '.join(wrong)}")
