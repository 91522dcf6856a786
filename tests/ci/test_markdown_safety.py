"""Strings from the repository or the PR render inert in the comment (checked by rendering
the Markdown with markdown-it, GFM tables on, as GitHub would)."""

from __future__ import annotations

import re
from pathlib import Path

import ci_support
import pytest
from ci_support import cli_env, commit_all, pull_request_event, runner_env
from click.testing import CliRunner

from ecolint.ci import comment
from ecolint.ci.markdown import COMMENT_LIMIT, JOINER, cap, code, text
from ecolint.ci.model import (
    CIReport,
    EnergyRef,
    FindingRef,
    FindingsDelta,
    GateResult,
    PageRef,
    PerTestChange,
    ScorePartRef,
    ScoreRef,
)
from ecolint.cli.main import cli
from helpers import write

github_spec = ci_support.github_spec
github = ci_support.github
pr_repo = ci_support.pr_repo

EVIL = (
    "a`b``c --> <!-- x --> @org/team [x](http://evil) ![i](http://evil/p.png)"
    " | <b>hi</b> &#64;me\nnext"
)


def rendered(markdown: str) -> str:
    import markdown_it

    return markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


def assert_inert(body: str) -> None:
    html = rendered(body)
    links = re.findall(r"<a [^>]*>", html)
    assert all(
        link.startswith('<a href="https://github.com/acme/shop/actions/runs/') for link in links
    )
    assert "<img" not in html and "<b>" not in html
    assert "@org" not in body and "@me" not in body
    assert body.count("-->") == 1  # only the marker's own end
    assert body.count("<!--") == 1
    for table in re.findall(r"<table>.*?</table>", html, flags=re.S):
        header = re.search(r"<tr>(.*?)</tr>", table, flags=re.S).group(1)
        width = header.count("<th")
        assert all(
            row.count("<td") == width
            for row in re.findall(r"<tr>(.*?)</tr>", table[len(header) :], flags=re.S)
            if "<td" in row
        )


def test_text_escapes_markdown_html_mentions_and_links():
    escaped = text(EVIL)
    assert "\n" not in escaped
    assert "\\[x\\]\\(http:" in escaped
    assert f"@{JOINER}org" in escaped
    assert "&amp;\\#64;" in escaped
    assert "<b>" not in rendered(escaped)


def test_code_spans_cannot_be_closed_early():
    span = code("a``b")
    assert span.startswith("```") and span.endswith("```")
    assert "<code>a``b</code>" in rendered(span)


def test_cap_keeps_the_body_within_the_comment_limit():
    body = "<!-- m -->\n" + "\n".join("| row |" for _ in range(20_000))
    capped = cap(body, COMMENT_LIMIT, "see the summary")
    assert len(capped) <= COMMENT_LIMIT
    assert capped.startswith("<!-- m -->") and capped.rstrip().endswith("see the summary")


def test_a_malicious_path_message_and_test_name_render_inert():
    finding = FindingRef("ECO102", EVIL, EVIL, 3, 1, EVIL, "warning", "f1")
    energy = EnergyRef(
        "regression",
        "regression",
        EVIL,
        10,
        EVIL,
        1.0,
        1.2,
        1.2,
        1.1,
        1.3,
        5.0,
        6.0,
        0.1,
        0.12,
        (PerTestChange(EVIL, 0.1, 0.2, 1.0, "regression", 0.001),),
    )
    report = CIReport(
        report_id="default",
        event="pull_request",
        repository="acme/shop",
        head_sha="b" * 40,
        base_sha="a" * 40,
        base_ref=EVIL,
        findings=FindingsDelta(
            new=(finding,), fixed=(finding,), unchanged=0, base_total=1, head_total=1
        ),
        energy=energy,
        base_score=ScoreRef(50.0, EVIL),
        head_score=ScoreRef(40.0, EVIL, (ScorePartRef(EVIL, 40.0, EVIL, EVIL),)),
        pages=(PageRef(EVIL, 50.0, EVIL, EVIL),),
        gates=(GateResult(EVIL, False, EVIL), GateResult(EVIL, None, EVIL)),
        notes=(EVIL,),
    )
    assert_inert(comment.render(report))


@pytest.mark.slow
def test_a_malicious_file_name_in_a_real_pr_renders_inert(pr_repo, github, tmp_path, monkeypatch):
    root = pr_repo["root"]
    folder = root / "@org" / "team`--> [x](http:" / "evil)|"
    write(folder / "a\nb`.py", "async def f():\n    import time\n    time.sleep(1)\n")
    head = commit_all(root, "evil names")
    env = runner_env(
        tmp_path / "runner", "pull_request", pull_request_event(pr_repo["base"], head), github.url
    )
    monkeypatch.chdir(root)
    CliRunner().invoke(cli, ["ci", "--fail-on", "none"], env=cli_env(env), catch_exceptions=False)
    [posted] = github.state.comments[7]
    assert "team" in posted["body"] and "New findings (2)" in posted["body"]
    assert_inert(posted["body"])
    assert_inert((tmp_path / "runner" / "summary.md").read_text(encoding="utf-8"))
    assert Path(root / "ecolint-ci" / "report.json").is_file()
