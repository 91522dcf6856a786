"""``[tool.ecolint.ci]``: what ``ecolint ci`` runs on a pull request and which gates fail it.

Every key can also come from the GitHub Action's inputs (the CLI options win), so a
repository can keep its gates next to its rules and its workflow stays a copy-paste. The
pages to audit are ``[tool.ecolint.web] urls``, shared with ``ecolint web``.
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
)

GATES = ("new-findings", "score-drop", "energy-regression", "budget")
SEVERITIES = ("info", "warning", "error")
REPORT_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@dataclass(frozen=True)
class CISettings:
    paths: tuple[str, ...] = (".",)
    fail_on: tuple[str, ...] = ("new-findings", "energy-regression", "budget")
    new_findings_level: str = "warning"  # findings at least this severe count for the gate
    max_new_findings: int = 0
    max_score_drop: float = 0.0  # points of the 0-100 score
    energy: bool = False  # the A/B of the test suite (slow: 2 x rounds pytest runs)
    rounds: int = 10
    pytest_args: tuple[str, ...] = ()
    comment_id: str = "default"
    max_comment_findings: int = 50


_KNOWN = {
    "paths",
    "fail-on",
    "new-findings-level",
    "max-new-findings",
    "max-score-drop",
    "energy",
    "rounds",
    "pytest-args",
    "comment-id",
    "max-comment-findings",
}


def parse_ci(table: Any, path: Path) -> CISettings:
    where = f"{path}: [tool.ecolint.ci]"
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
    if "comment-id" in table:
        value = table["comment-id"]
        if not isinstance(value, str) or not REPORT_ID.match(value):
            raise ConfigError(f"{where}: comment-id must be 1-64 letters, digits, '.', '_' or '-'")
        values["comment_id"] = value
    return CISettings(**values)


def check_gates(gates: tuple[str, ...]) -> None:
    wrong = [gate for gate in gates if gate not in GATES and gate != "none"]
    if wrong:
        raise ValueError(f"unknown gate(s) {', '.join(wrong)}; known: {', '.join(GATES)}, none")


def check_urls(urls: tuple[str, ...]) -> None:
    wrong = [url for url in urls if not url.startswith(("http://", "https://"))]
    if wrong:
        raise ValueError(f"urls must start with http:// or https://, got {', '.join(wrong)}")
