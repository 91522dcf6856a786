"""Find, read and validate ``[tool.ecolint]`` (``pyproject.toml``) or ``ecolint.toml``."""

from ecolint.config.loader import ConfigError, find_config, load_settings
from ecolint.config.settings import DEFAULT_EXCLUDES, Settings

__all__ = ["DEFAULT_EXCLUDES", "ConfigError", "Settings", "find_config", "load_settings"]
