"""The validated settings of one run, as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ecolint.config.ci import CISettings
from ecolint.config.energy import EnergySettings
from ecolint.config.file_kinds import FileKindSettings
from ecolint.config.history import HistorySettings
from ecolint.config.score import ScoreSettings
from ecolint.config.sizes import DEFAULT_MAX_FILE_SIZE
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
    energy: EnergySettings = field(default_factory=EnergySettings)
    history: HistorySettings = field(default_factory=HistorySettings)
    ci: CISettings = field(default_factory=CISettings)
    web: WebSettings = field(default_factory=WebSettings)
    teams: dict[str, TeamBudget] = field(default_factory=dict)  # carbon budgets by team
    max_file_size: int = DEFAULT_MAX_FILE_SIZE  # bytes; larger files are skipped (ECO002)
    file_kinds: FileKindSettings = field(default_factory=FileKindSettings)
    score: ScoreSettings = field(default_factory=ScoreSettings)

    @property
    def excludes(self) -> tuple[str, ...]:
        return (*self.exclude, *self.extend_exclude)
