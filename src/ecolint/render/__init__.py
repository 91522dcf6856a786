"""Reporters turn a ``LintReport`` into text; they read results only and never lint."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecolint.results import LintReport

Renderer = Callable[..., str]

# Each format by the module of ``ecolint.render`` whose ``render`` writes it, imported
# when used: a run pays for its own format only.
RENDERERS: dict[str, str] = {
    "text": "text",
    "json": "json_format",
    "sarif": "sarif",
    "github": "github",
}


def render(report: LintReport, output_format: str, **options: object) -> str:
    module = importlib.import_module(f"ecolint.render.{RENDERERS[output_format]}")
    renderer: Renderer = module.render
    return renderer(report, **options)
