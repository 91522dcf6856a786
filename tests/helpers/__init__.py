"""Plain helpers shared by the test modules: files, git repositories, real components.

Test modules import them with ``from helpers import write, git, ...``: ``tests/`` is on
``sys.path`` because pytest inserts the folder of the root ``conftest.py`` (no
``__init__.py`` there, the default ``prepend`` import mode). Fixtures stay in
``tests/conftest.py``; nothing here is a fixture, so importing it twice is harmless, unlike
``from conftest import ...``, which pytest's documentation advises against.
"""

from __future__ import annotations

from helpers.components import require_component
from helpers.energy_reports import read_energy_report
from helpers.files import ECOLINT, write
from helpers.git_repos import git, git_environment, git_repository

__all__ = [
    "ECOLINT",
    "git",
    "git_environment",
    "git_repository",
    "read_energy_report",
    "require_component",
    "write",
]
