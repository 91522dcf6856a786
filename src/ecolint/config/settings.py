"""The validated settings of one run, as plain frozen data."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecolint.config.file_kinds import FileKindSettings
from ecolint.config.sizes import DEFAULT_MAX_FILE_SIZE

if TYPE_CHECKING:
    from ecolint.config.ci import CISettings
    from ecolint.config.energy import EnergySettings
    from ecolint.config.history import HistorySettings
    from ecolint.config.score import ScoreSettings
    from ecolint.config.teams import TeamBudget
    from ecolint.config.web import WebSettings

# Like ruff's defaults: folders that never hold the project's own code.
DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".pytest_cache",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pycache__",
    "__pypackages__",
    "_build",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
)


@dataclass(frozen=True)
class Settings:
    """``root`` is the folder of the configuration file (or the working folder): globs in
    ``exclude`` and ``per-file-ignores`` are relative to it."""

    root: Path = field(default_factory=Path.cwd)
    config_path: Path | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    options: dict[str, dict[str, object]] = field(default_factory=dict)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE  # bytes; larger files are skipped (ECO002)
    file_kinds: FileKindSettings = field(default_factory=FileKindSettings)
    # The sections of the file (energy, history, ci, web, teams, score), each parsed and
    # validated by the loader, by the name of its property below. A section the file lacks
    # is built with its defaults when read, so that ``ecolint check`` imports none of
    # their modules (a warm run is mostly start-up).
    sections: Mapping[str, Any] = field(default_factory=dict)

    @property
    def excludes(self) -> tuple[str, ...]:
        return (*self.exclude, *self.extend_exclude)

    @property
    def energy(self) -> EnergySettings:
        return self._section("energy", "EnergySettings")

    @property
    def history(self) -> HistorySettings:
        return self._section("history", "HistorySettings")

    @property
    def ci(self) -> CISettings:
        return self._section("ci", "CISettings")

    @property
    def web(self) -> WebSettings:
        return self._section("web", "WebSettings")

    @property
    def score(self) -> ScoreSettings:
        return self._section("score", "ScoreSettings")

    @property
    def teams(self) -> dict[str, TeamBudget]:
        """The carbon budgets by team."""
        return self.sections.get("teams", {})

    def with_sections(self, **sections: Any) -> Settings:
        """A copy with these sections (by property name) replaced: what
        ``dataclasses.replace`` does for a field."""
        return replace(self, sections={**self.sections, **sections})

    def _section(self, name: str, default: str) -> Any:
        """The ``name`` section of the file, else the ``default`` class of the module
        ``ecolint.config.<name>`` built with its defaults."""
        if name in self.sections:
            return self.sections[name]
        return getattr(importlib.import_module(f"ecolint.config.{name}"), default)()
