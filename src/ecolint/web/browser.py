"""Finding and launching the system Chromium through Playwright.

Playwright's own browser download does not work everywhere (and not on the machines
ecolint is developed on), so ecolint always launches an installed Chromium with
``executable_path``. One browser serves every page of a run: a fresh context per page
gives the empty profile the EcoIndex protocol asks for at a fraction of a launch's cost.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path
from typing import Any

# The flags the EcoIndex protocol notes validated here; --no-sandbox because CI runners and
# containers often run as root, where Chromium refuses to start (and Lighthouse to attach).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
DEFAULT_BROWSERS = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
INSTALL_HINT = (
    "install Chromium (Debian/Ubuntu: `apt-get install chromium`, or `make deps-chromium`), "
    "or name an installed Chrome/Chromium with [tool.ecolint.web] browser = PATH, "
    "--browser PATH or CHROME_PATH"
)


class BrowserUnavailable(RuntimeError):
    """The browser cannot be found or started; the message says how to install one."""


def find_browser(configured: str | None = None) -> Path:
    """``configured`` (setting or option), else ``CHROME_PATH``, else a system Chromium."""
    explicit = configured or os.environ.get("CHROME_PATH")
    if explicit:
        path = Path(explicit).expanduser()
        if path.is_file() and os.access(path, os.X_OK):
            return path
        found = shutil.which(explicit)
        if found:
            return Path(found)
        raise BrowserUnavailable(f"browser executable {explicit} not found; {INSTALL_HINT}")
    for candidate in DEFAULT_BROWSERS:
        found = shutil.which(candidate)
        if found:
            return Path(found)
    raise BrowserUnavailable(f"no Chromium found; {INSTALL_HINT}")


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (the DevTools port Lighthouse attaches to)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def launch_browser(playwright: Any, executable: Path, debugging_port: int | None) -> Any:
    """Launch ``executable`` headless; with a port, Lighthouse can attach to it later."""
    args = list(CHROMIUM_FLAGS)
    if debugging_port is not None:
        args += [
            f"--remote-debugging-port={debugging_port}",
            "--remote-debugging-address=127.0.0.1",
        ]
    try:
        return await playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=args
        )
    except Exception as error:  # Playwright raises its own Error with the browser's log
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        raise BrowserUnavailable(
            f"{executable} did not start: {first_line}; {INSTALL_HINT}"
        ) from error
