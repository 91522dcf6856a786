"""Reporters turn a ``LintReport`` into text; they read results only and never lint."""

from __future__ import annotations

from collections.abc import Callable

from ecolint.render import github, json_format, sarif, text
from ecolint.results import LintReport

Renderer = Callable[..., str]

RENDERERS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
}


def render(report: LintReport, output_format: str, **options: object) -> str:
    return RENDERERS[output_format](report, **options)
