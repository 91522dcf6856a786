"""A rule's evidence line, taken from its ``## Evidence`` section."""

from __future__ import annotations

import inspect

from ecolint.lint.evidence import evidence_line
from ecolint_rules.loops.sort_for_extreme import SortForExtreme


def doc(evidence: str) -> str:
    return f"## What it does\nFlags x.\n\n## Evidence\n{evidence}\n\n## References\n- y\n"


def test_the_figures_of_the_first_sentence_are_kept_without_the_lead_in():
    text = doc(
        "`bench/rules/x.py` on this machine (CPython 3.11, median: of 7): 1.2x at n=100,\n"
        "3.2x at n=10⁴. The saving grows with n."
    )
    assert evidence_line(text) == "1.2x at n=100, 3.2x at n=10⁴."


def test_a_summary_paragraph_is_the_line_when_present():
    text = doc("`bench/x.py` on this machine: 1.1x.\n\nSummary: memory 626x at n=10⁶,\nflat time.")
    assert evidence_line(text) == "memory 626x at n=10⁶, flat time."


def test_a_sentence_without_a_lead_in_is_kept_whole():
    assert evidence_line(doc("Spinning burns one core. More text.")) == "Spinning burns one core."


def test_abbreviations_and_decimals_do_not_end_the_sentence():
    text = doc("setup: 1.5x, e.g. for lists. Then more.")
    assert evidence_line(text) == "1.5x, e.g. for lists."


def test_a_doc_without_an_evidence_section_has_an_empty_line():
    assert evidence_line("## What it does\nFlags x.\n") == ""


def test_rule_info_carries_the_evidence_line_of_its_docstring():
    info = SortForExtreme.info()
    assert info.evidence == evidence_line(inspect.cleandoc(SortForExtreme.__doc__ or ""))
    assert info.evidence.startswith("1.2x at n=100")
