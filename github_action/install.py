"""Install ecolint for the action, with only the extras its inputs need.

Why a script and not shell in action.yml: it is the one place with logic before ecolint
exists in the job, and Python keeps it readable and testable. It installs the ecolint
that sits next to this action (the same commit as the action's ref), so the action and
the tool never drift apart. Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TRUE = {"1", "true", "yes", "on"}


def extras(env: dict[str, str]) -> list[str]:
    chosen = []
    if env.get("ECOLINT_ENERGY", "").strip().lower() in TRUE:
        chosen.append("energy")
    if env.get("ECOLINT_URLS", "").strip():
        chosen.append("web")
    database = env.get("ECOLINT_DATABASE_URL", "").strip()
    history = env.get("ECOLINT_HISTORY", "").strip().lower() in TRUE or bool(database)
    if database.startswith("postgresql"):
        chosen.append("postgres")
    elif history and not database.startswith("git"):  # the git store needs no extra
        chosen.append("history")
    return chosen


def command(env: dict[str, str], source: Path) -> list[str]:
    chosen = extras(env)
    target = str(source) + (f"[{','.join(chosen)}]" if chosen else "")
    return [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", target]


def main() -> int:
    source = Path(__file__).resolve().parent.parent
    argv = command(dict(os.environ), source)
    print("+ " + " ".join(argv), flush=True)
    return subprocess.call(argv)


if __name__ == "__main__":
    raise SystemExit(main())
