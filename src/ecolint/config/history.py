"""``[tool.ecolint.history]``: where ``ecolint history`` keeps the runs and how it names them.

```toml
[tool.ecolint.history]
database = "git"              # or "sqlite:///…", a .sqlite path; a PostgreSQL URL with a
                              # password belongs in $ECOLINT_DATABASE_URL, not in a file
team = "payments"             # the team owning this repository
repository = "acme/shop"      # when neither CI variables nor the git remote name it
```

Precedence: command-line options, then the environment (``$ECOLINT_DATABASE_URL``,
``$ECOLINT_TEAM``, CI variables), then this table, then git and the defaults. The store has
one name: ``database`` here, ``--database`` (or ``--db``) in ``ecolint history``, ``ecolint
ci`` and ``ecolint dashboard``, the action's input ``database``, which sets
``$ECOLINT_DATABASE_URL``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecolint.config.values import ConfigError, check_keys

_KNOWN = ("database", "team", "repository")


@dataclass(frozen=True, slots=True)
class HistorySettings:
    database: str | None = None
    team: str | None = None
    repository: str | None = None


def parse_history(table: Any, path: Path) -> HistorySettings:
    where = f"{path}: [tool.ecolint.history]"
    check_keys(table, where, _KNOWN)
    values: dict[str, str] = {}
    for key in _KNOWN:
        if key in table:
            value = table[key]
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{where}: {key} must be a non-empty string, got {value!r}")
            values[key] = value
    if _has_password(values.get("database", "")):
        raise ConfigError(
            f"{where}: database holds a password; put that URL in $ECOLINT_DATABASE_URL "
            "(or a CI secret) instead of the configuration file"
        )
    return HistorySettings(**values)


def _has_password(url: str) -> bool:
    """``scheme://user:password@host…`` (without parsing the URL with SQLAlchemy here)."""
    _, separator, rest = url.partition("://")
    return bool(separator) and "@" in url and ":" in rest.partition("@")[0]
