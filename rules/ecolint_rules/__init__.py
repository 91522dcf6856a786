"""ecolint's built-in rule pack, found through the ``ecolint.rules`` entry point.

Written only against the public ``ecolint`` API, exactly like a third-party pack: one
rule per module, grouped in folders by the hundreds digit of its id.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from ecolint import Rule


def _discover() -> list[type[Rule]]:
    found: list[type[Rule]] = []
    for info in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
        module = importlib.import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Rule) and value.__module__ == module.__name__:
                found.append(value)
    return sorted(found, key=lambda rule: rule.code)


RULES: list[type[Rule]] = _discover()
