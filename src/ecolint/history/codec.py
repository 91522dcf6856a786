"""``HistoryRecord`` ↔ plain JSON data, validated strictly in both directions.

Why strict: a history outlives the tool version that wrote it, and the git data-branch store
has no schema of its own, so a record that does not read back exactly is refused before it
is written, and a stored line that does not parse is an error, never silently skipped.
"""

from __future__ import annotations

import json
import math
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from ecolint.documents import DocumentType
from ecolint.history.store import HistoryError
from ecolint.records import (
    TOP_HOT_FINDINGS,
    Grade,
    HistoryRecord,
    HotFinding,
    RepoScore,
    ScorePart,
)

RECORD_VERSION = 1
RECORD = DocumentType(
    "record", RECORD_VERSION, HistoryError, wrong_version="unsupported record version {found}"
)
_FIELDS = frozenset({"version"} | {spec.name for spec in fields(HistoryRecord)})
GRADES: tuple[Grade, ...] = ("A", "B", "C", "D", "E", "F", "G")


def utc_time(value: str | datetime) -> datetime:
    """An aware UTC datetime from an ISO 8601 string or a datetime (naive means UTC)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError as error:
            raise HistoryError(f"recorded_at {value!r} is not an ISO 8601 time") from error
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def normalise_time(value: str | datetime) -> str:
    """The one spelling stores keep: ``2026-01-31T12:00:00+00:00`` (microseconds if any)."""
    return utc_time(value).isoformat()


def record_to_dict(rec: HistoryRecord) -> dict[str, Any]:
    """A JSON-ready dict with a ``version`` key; raises ``HistoryError`` on an invalid record."""
    data = {
        "version": RECORD_VERSION,
        "repository": rec.repository,
        "team": rec.team,
        "branch": rec.branch,
        "commit": rec.commit,
        "recorded_at": rec.recorded_at,
        "score": {
            "score": rec.score.score,
            "grade": rec.score.grade,
            "parts": [
                {"name": p.name, "score": p.score, "grade": p.grade, "detail": p.detail}
                for p in rec.score.parts
            ],
        },
        "findings": dict(rec.findings),
        "energy_kwh": rec.energy_kwh,
        "carbon_g": rec.carbon_g,
        "ecoindex": dict(rec.ecoindex),
        "lines_of_code": rec.lines_of_code,
        "tool_version": rec.tool_version,
    }
    if rec.hot_findings:  # written only when the run had a profile: older readers read the rest
        data["hot_findings"] = [
            {
                "rule": h.rule,
                "path": h.path,
                "line": h.line,
                "share": h.share,
                "joules": h.joules,
                "clock": h.clock,
            }
            for h in rec.hot_findings
        ]
    record_from_dict(data)  # refuse what would not read back
    data["recorded_at"] = normalise_time(rec.recorded_at)
    return data


def record_to_json(rec: HistoryRecord) -> str:
    """One line of JSON (no newline inside), keys in a stable order."""
    return json.dumps(record_to_dict(rec), ensure_ascii=False, allow_nan=False)


def record_from_json(line: str) -> HistoryRecord:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise HistoryError(f"not JSON: {error}") from error
    return record_from_dict(data)


def record_from_dict(data: Any) -> HistoryRecord:
    """Validate and build a record; every problem names the field."""
    data = RECORD.check(data)
    RECORD.refuse_unknown(data, _FIELDS, "record")
    repository = _text(data, "repository", required=True)
    score = data.get("score")
    if not isinstance(score, dict) or set(score) != {"score", "grade", "parts"}:
        raise HistoryError("score must be an object with score, grade and parts")
    parts = tuple(_part(p, i) for i, p in enumerate(_list(score.get("parts"), "parts")))
    if len({p.name for p in parts}) != len(parts):
        raise HistoryError("score.parts names must be unique")
    return HistoryRecord(
        repository=repository,
        commit=_text(data, "commit"),
        recorded_at=normalise_time(_text(data, "recorded_at", required=True)),
        score=RepoScore(
            score=_number(score.get("score"), "score.score", upper=100.0, optional=True),
            grade=_grade(score.get("grade"), "score.grade", optional=True),
            parts=parts,
        ),
        team=_text(data, "team"),
        branch=_text(data, "branch"),
        findings=_counts(data.get("findings", {})),
        energy_kwh=_number(data.get("energy_kwh"), "energy_kwh", optional=True),
        carbon_g=_number(data.get("carbon_g"), "carbon_g", optional=True),
        ecoindex=_ecoindex(data.get("ecoindex", {})),
        lines_of_code=_integer(data.get("lines_of_code", 0), "lines_of_code"),
        tool_version=_text(data, "tool_version"),
        hot_findings=_hot_findings(data.get("hot_findings", [])),
    )


def _text(data: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise HistoryError(f"{key} must be a string, got {value!r}")
    if required and not value.strip():
        raise HistoryError(f"{key} must not be empty")
    return value


def _number(value: Any, key: str, *, upper: float | None = None, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise HistoryError(f"{key} must be a finite number, got {value!r}")
    if value < 0 or (upper is not None and value > upper):
        bound = f"0–{upper:g}" if upper is not None else "≥ 0"
        raise HistoryError(f"{key} must be {bound}, got {value!r}")
    return float(value)


def _integer(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise HistoryError(f"{key} must be a whole number ≥ 0, got {value!r}")
    return value


def _grade(value: Any, key: str, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if value not in GRADES:
        raise HistoryError(f"{key} must be one of {'/'.join(GRADES)}, got {value!r}")
    return value


def _list(value: Any, key: str) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        raise HistoryError(f"{key} must be a list, got {value!r}")
    return list(value)


def _part(value: Any, index: int) -> ScorePart:
    where = f"score.parts[{index}]"
    if not isinstance(value, dict) or not {"name", "score", "grade"} <= set(value):
        raise HistoryError(f"{where} must be an object with name, score, grade (and detail)")
    name = value["name"]
    detail = value.get("detail", "")
    if not isinstance(name, str) or not name or not isinstance(detail, str):
        raise HistoryError(f"{where}: name and detail must be strings")
    return ScorePart(
        name=name,
        score=_number(value["score"], f"{where}.score", upper=100.0),
        grade=_grade(value["grade"], f"{where}.grade"),
        detail=detail,
    )


def _hot_findings(value: Any) -> tuple[HotFinding, ...]:
    items = _list(value, "hot_findings")
    if len(items) > TOP_HOT_FINDINGS:
        raise HistoryError(f"hot_findings holds at most {TOP_HOT_FINDINGS}, got {len(items)}")
    return tuple(_hot_finding(item, index) for index, item in enumerate(items))


def _hot_finding(value: Any, index: int) -> HotFinding:
    where = f"hot_findings[{index}]"
    fields = {"rule", "path", "line", "share", "joules"}
    if not isinstance(value, dict) or not fields <= set(value) <= {*fields, "clock"}:
        raise HistoryError(f"{where} must be an object with rule, path, line, share, joules")
    clock = value.get("clock", "cpu")
    if clock not in ("cpu", "sampled"):
        raise HistoryError(f"{where}.clock must be cpu or sampled, got {clock!r}")
    return HotFinding(
        rule=_key(value["rule"], f"{where}.rule"),
        path=_key(value["path"], f"{where}.path"),
        line=_integer(value["line"], f"{where}.line"),
        share=_number(value["share"], f"{where}.share", upper=1.0),
        joules=_number(value["joules"], f"{where}.joules"),
        clock=clock,
    )


def _counts(value: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        raise HistoryError(f"findings must be an object of rule id → count, got {value!r}")
    return {_key(k, "findings"): _integer(v, f"findings[{k!r}]") for k, v in value.items()}


def _ecoindex(value: Any) -> dict[str, float]:
    if not isinstance(value, dict):
        raise HistoryError(f"ecoindex must be an object of URL → score, got {value!r}")
    return {
        _key(k, "ecoindex"): _number(v, f"ecoindex[{k!r}]", upper=100.0) for k, v in value.items()
    }


def _key(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value:
        raise HistoryError(f"{key} keys must be non-empty strings, got {value!r}")
    return value
