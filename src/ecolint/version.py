"""The installed version, read from the package metadata."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("ecolint")
except PackageNotFoundError:  # running from a source tree without installing
    VERSION = "0+unknown"
