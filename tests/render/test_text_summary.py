"""The text reporter's summary: counts per rule, grouped by theme in catalogue order."""

from __future__ import annotations

from ecolint.render.summary import Summary
from ecolint.render.text import render
from ecolint.results import FileResult, Finding, LintReport


def finding(code: str, name: str, line: int) -> Finding:
    return Finding("app.py", code, name, "message", line, 1, line, 2)


REPORT = LintReport(
    files=(
        FileResult(
            "app.py",
            (
                finding("ECO701", "unbounded-cache", 1),
                finding("ECO102", "concat-accumulation-in-loop", 2),
                finding("ECO103", "linear-membership-in-loop", 3),
                finding("ECO103", "linear-membership-in-loop", 4),
                finding("ECO001", "invalid-syntax", 5),
            ),
        ),
    )
)


def test_summary_groups_rules_by_theme_in_catalogue_order():
    themes = Summary.of(REPORT).per_theme
    assert [(t.theme, t.findings) for t in themes] == [
        ("loops", 3),
        ("memory", 1),
        ("unparsable or unreadable files", 1),
    ]
    assert [row[0] for row in themes[0].rules] == ["ECO103", "ECO102"]  # most frequent first


def test_text_statistics_print_each_theme_above_its_rules():
    lines = render(REPORT, statistics=True).splitlines()
    loops = lines.index("loops: 3 findings")
    assert lines[loops + 1 : loops + 3] == [
        "     2  ECO103  linear-membership-in-loop",
        "     1  ECO102  concat-accumulation-in-loop",
    ]
    assert lines.index("memory: 1 finding") > loops + 2
