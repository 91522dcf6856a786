"""SARIF 2.1.0 for code scanning: rules with their docs, repo-relative URIs, fingerprints."""

from __future__ import annotations

import json
from pathlib import Path

from ecolint.lint.diagnostics import DIAGNOSTICS
from ecolint.results import Finding, LintReport, RuleInfo
from ecolint.version import VERSION

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _rule(info: RuleInfo) -> dict[str, object]:
    return {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary or info.name},
        "fullDescription": {"text": info.summary or info.name},
        "help": {"text": info.doc, "markdown": info.doc},
        "helpUri": f"https://github.com/ecolint/ecolint/blob/main/rules/README.md#{info.code.lower()}",
        "properties": {"fix": info.fix, "opt-in": info.opt_in},
    }


def _uri(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except (ValueError, RuntimeError):  # outside the root, or a symlink loop
        return Path(path).as_posix()


def _result(finding: Finding, index: dict[str, int], root: Path) -> dict[str, object]:
    properties: dict[str, object] = {
        "confidence": finding.confidence,
        "fileKind": finding.kind,
        "related": [f"{code}: {message}" for code, message in finding.related],
    }
    result: dict[str, object] = {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(finding.path, root), "uriBaseId": "%SRCROOT%"},
                    "region": {
                        "startLine": finding.line,
                        "startColumn": finding.column,
                        "endLine": finding.end_line,
                        "endColumn": finding.end_column,
                    },
                }
            }
        ],
        "partialFingerprints": {"ecolint/v1": finding.fingerprint or finding.code},
        "properties": properties,
    }
    measured = finding.measured
    if measured is not None:  # SARIF's rank: 0 to 100, the higher the more important
        result["rank"] = round(measured.share * 100, 2)
        properties["measured"] = {
            "share": measured.share,
            "samples": measured.samples,
            "cpuSeconds": measured.cpu_s,
            "joules": measured.joules,
            "profile": measured.profile,
            "clock": measured.clock,  # "sampled": cpuSeconds and joules are upper bounds
        }
    return result


def render(report: LintReport, **_: object) -> str:
    root = Path(report.root).resolve()
    rules = [*DIAGNOSTICS, *report.rules]
    index = {info.code: position for position, info in enumerate(rules)}
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ecolint",
                        "version": VERSION,
                        "informationUri": "https://github.com/ecolint/ecolint",
                        "rules": [_rule(info) for info in rules],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
                "results": [_result(f, index, root) for f in report.findings],
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
