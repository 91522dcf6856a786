"""A rule's evidence line: its ``## Evidence`` section said in one line.

``ecolint rules``, ``ecolint explain`` and ``rules/README.md`` show it beside each rule, so
a reader sees what the rule saves without opening its documentation. It is taken from
the docstring, the only documentation of a rule, by one of two conventions:

1. an explicit paragraph of the section that starts with ``Summary:``, which is then the
   line (without the marker), for sections whose first sentence does not summarise well;
2. otherwise the section's first sentence, without its lead-in: the section is written
   ``<benchmark> on <machine> (<setup>): <figures>. <more>``, and the line is
   ``<figures>``, the part after the first colon outside parentheses. A first sentence
   without such a colon is kept whole.

A rule without an ``## Evidence`` section has an empty line.
"""

from __future__ import annotations

import re

MARKER = "Summary:"
_SENTENCE_END = re.compile(r"[.!?]\s+")
_ABBREVIATIONS = ("e.g.", "i.e.", "vs.", "etc.", "cf.")


def evidence_line(doc: str) -> str:
    """The one-line summary of the ``## Evidence`` section of ``doc`` (cleaned)."""
    paragraphs = _paragraphs(_section(doc, "## Evidence"))
    if not paragraphs:
        return ""
    for paragraph in paragraphs:
        if paragraph.startswith(MARKER):
            return paragraph.removeprefix(MARKER).strip()
    return _without_lead_in(_first_sentence(paragraphs[0]))


def _first_sentence(paragraph: str) -> str:
    """Up to the first ``.``/``!``/``?`` followed by a space, abbreviations aside (a
    decimal point such as ``3.2x`` is followed by a digit, never a space)."""
    for end in _SENTENCE_END.finditer(paragraph):
        head = paragraph[: end.start() + 1]
        if not head.endswith(_ABBREVIATIONS):
            return head
    return paragraph


def _section(doc: str, heading: str) -> list[str]:
    lines = doc.splitlines()
    try:
        start = [line.strip() for line in lines].index(heading) + 1
    except ValueError:
        return []
    section = []
    for line in lines[start:]:
        if line.startswith("## "):
            break
        section.append(line.strip())
    return section


def _paragraphs(lines: list[str]) -> list[str]:
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [" ".join(p) for p in paragraphs if p]


def _without_lead_in(sentence: str) -> str:
    """``<figures>`` of ``<benchmark> on <machine> (<setup>): <figures>``."""
    depth = 0
    for index, char in enumerate(sentence):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == ":" and depth == 0 and sentence[index + 1 : index + 2] in (" ", ""):
            return sentence[index + 1 :].strip() or sentence
    return sentence
