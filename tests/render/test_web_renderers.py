"""Text, Markdown and HTML renderings of a web report."""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from web_samples import HOSTILE_TITLE, sample_report

from ecolint.render.web import render_html, render_markdown, render_text


def test_the_text_report_shows_the_grade_letter_in_colour():
    text = render_text(sample_report())
    assert click.style(" A ", fg="black", bg="green", bold=True) in text
    assert "90/100" in click.unstyle(text)


def test_the_text_report_names_budget_failures_and_page_errors():
    text = click.unstyle(render_text(sample_report()))
    assert "budget error: http://127.0.0.1:8000/: page:bytes 8203 is above max 5000" in text
    assert "error (response): HTTP 404 Not Found: not audited" in text
    assert "Audited 2 pages: 1 with errors, 1 budget exceeded, 0 warnings" in text


def test_the_markdown_report_has_a_row_per_page_with_grade_and_figures():
    markdown = render_markdown(sample_report())
    assert (
        "| `http://127.0.0.1:8000/` | **A** 90 | 8.2 kB | 6 | 154 | 1.20 | 1.80 | budget exceeded |"
        in markdown
    )
    assert "| `http://127.0.0.1:8000/missing` | – |" in markdown


def test_the_markdown_report_carries_no_raw_html_from_page_content():
    report = sample_report()
    markdown = render_markdown(report)
    assert "<script>" not in markdown and "<img>" not in markdown
    tags = set(re.findall(r"</?([a-z]+)", markdown))
    assert tags <= {"details", "summary", "sub"}  # only the renderer's own


def test_the_html_report_is_self_contained_and_escapes_page_text():
    html = render_html(sample_report())
    assert html.startswith("<!doctype html>")
    assert "<script" not in html and "&lt;script&gt;" in html
    assert not re.search(r"""(src|href)=["']?https?:""", html)  # nothing fetched from outside
    assert HOSTILE_TITLE not in html
    assert "page:bytes 8203 is above max 5000" in html


def test_the_html_report_of_several_pages_opens_with_an_overview_linked_to_each_card():
    html = render_html(sample_report())
    overview = html[html.index("<table class=overview>") : html.index("</table>")]
    assert overview.count("<tr>") == 3  # the header and one row per page
    assert "<a href='#page-1'>http://127.0.0.1:8000/</a>" in overview
    assert "8.2 kB" in overview and ">A</span> 90" in overview and "budget exceeded" in overview
    assert "<section id=page-2>" in html


def test_the_html_report_of_one_page_has_no_overview():
    report = sample_report()
    one = replace(report, pages=report.pages[:1])
    assert "class=overview" not in render_html(one)


def test_the_html_card_does_not_repeat_its_url_in_budget_messages_and_counts_in_words():
    html = render_html(sample_report())
    assert "budget error: page:bytes 8203 is above max 5000" in html
    assert "1 run</summary>" in html and "1 run per page" in html and "2 pages" in html
