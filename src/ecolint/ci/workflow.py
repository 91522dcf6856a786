"""The runner's own channels: annotations (workflow commands), step outputs, job summary.

They work with a read-only token, so they are the fallbacks that fork PRs always get.

- Annotations: only about 10 warnings and 10 errors per step are shown, so only the
  first ones are emitted as commands and a notice says how many more are in the summary.
  Only *new* findings are annotated: the PR did not write the others.
- Outputs: ``name<<DELIMITER`` with a random delimiter, so a value cannot end the
  heredoc early and inject other outputs.
- Summary: appended, capped at 1 MiB (the runner drops a larger step summary).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path

from ecolint.ci.markdown import SUMMARY_LIMIT, cap
from ecolint.ci.model import FindingRef
from ecolint.render.github import escape_data, escape_property
from ecolint.wording import plural

SHOWN_PER_LEVEL = 10
_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def annotation_commands(new: Sequence[FindingRef], per_level: int = SHOWN_PER_LEVEL) -> list[str]:
    """Workflow commands for the first ``per_level`` new findings of each level, and one
    notice that counts the rest."""
    shown: dict[str, int] = {}
    lines = []
    for finding in new:
        command = _COMMANDS.get(finding.severity, "warning")
        if shown.get(command, 0) >= per_level:
            continue
        shown[command] = shown.get(command, 0) + 1
        properties = {
            "file": finding.path,
            "line": str(finding.line),
            "col": str(finding.column),
            "title": f"{finding.code} {finding.name}",
        }
        joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
        lines.append(f"::{command} {joined}::{escape_data(f'{finding.code} {finding.message}')}")
    rest = len(new) - len(lines)
    if rest > 0:
        verb = "is" if rest == 1 else "are"
        message = f"ecolint: {plural(rest, 'more new finding')} {verb} listed in the job summary"
        lines.append(f"::notice title=ecolint::{escape_data(message)}")
    return lines


def write_outputs(path: Path, values: Mapping[str, str]) -> None:
    """Append step outputs to ``$GITHUB_OUTPUT`` as heredocs with random delimiters."""
    with path.open("a", encoding="utf-8") as handle:
        for name, value in values.items():
            delimiter = f"ecolint_{secrets.token_hex(16)}"
            while delimiter in value:  # pragma: no cover - 128 random bits
                delimiter = f"ecolint_{secrets.token_hex(16)}"
            handle.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")


def write_summary(path: Path, markdown: str) -> None:
    """Append the report to ``$GITHUB_STEP_SUMMARY``, within the runner's 1 MiB."""
    used = path.stat().st_size if path.exists() else 0
    room = max(SUMMARY_LIMIT - used - 1024, 0)
    body = markdown
    if len(markdown.encode("utf-8")) > room:  # a character takes at most 4 bytes
        body = cap(markdown, room // 4, "*The summary was cut at the runner's 1 MiB limit.*")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(body)
