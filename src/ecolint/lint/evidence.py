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

:func:`benchmark_ratios` reads the section's first series of ``<ratio>x at n=<size>``
figures (``3.2x at n=100, 56x at n=10⁴``): the bad form's time over the fixed form's at
each size the benchmark ran, which ``ecolint explain --profile`` turns into an estimated
saving for a finding with a measured cost.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

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


class Ratio(NamedTuple):
    """The benchmark's bad/good time ratio at one size ``n``."""

    size: int
    ratio: float


_EXPONENT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPTS = str.maketrans(_EXPONENT_DIGITS, "0123456789")
# "3.2x at n=100", "1,005× at n=10⁴", "63× at n=1,000"; the runs of a "4.6× / 2.2× at n=10"
# give their smallest figure (an estimate should not pick the luckier run)
_FIGURE = r"\d[\d,]*(?:\.\d+)?"
_RATIO_AT_SIZE = re.compile(
    rf"(?<![\w.])((?:{_FIGURE}\s*[x×]\s*/\s*)*{_FIGURE})\s*[x×]\s+at\s+n\s*=\s*"
    r"(10[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\d[\d,]*\d|\d)"
)
_NUMBER = re.compile(_FIGURE)


def benchmark_ratios(doc: str) -> tuple[Ratio, ...]:
    """The first series of ``<ratio>x at n=<size>`` in the first paragraph of the
    ``## Evidence`` section of ``doc``, sizes growing (a size not larger than the one
    before starts another series, which is left out: the first is the rule's main case).
    Empty when the evidence has no such figures (memory, wall time against a count...)."""
    paragraphs = _paragraphs(_section(doc, "## Evidence"))
    if not paragraphs:
        return ()
    series: list[Ratio] = []
    for match in _RATIO_AT_SIZE.finditer(paragraphs[0]):
        ratio = min(float(figure.replace(",", "")) for figure in _NUMBER.findall(match[1]))
        size = _size(match[2])
        if series and size <= series[-1].size:
            break
        series.append(Ratio(size, ratio))
    return tuple(series)


def _size(text: str) -> int:
    exponent = text[2:]
    if text.startswith("10") and exponent and exponent[0] in _EXPONENT_DIGITS:
        return 10 ** int(exponent.translate(_SUPERSCRIPTS))
    return int(text.replace(",", ""))


def nearest(ratios: tuple[Ratio, ...], size: int) -> Ratio:
    """The benchmarked size nearest to ``size`` on a log scale (10⁴ is as near to 10³ as
    10⁵); ``ratios`` must not be empty."""
    return min(ratios, key=lambda r: abs(math.log10(r.size) - math.log10(max(size, 1))))


def saving(joules: float, ratio: float) -> float:
    """Joules saved by the fixed form, if the code ran ``ratio`` times longer than it:
    ``joules × (1 − 1/ratio)``; none when the benchmark found the fix no faster."""
    return joules * (1.0 - 1.0 / ratio) if ratio > 1.0 else 0.0
