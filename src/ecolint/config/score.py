"""``[tool.ecolint.score]``: how ``ecolint score`` weighs the code part.

```toml
[tool.ecolint.score]
weight-by-cost = true   # with --profile: findings weigh by their measured share (off by default)
```

The formula is in :func:`ecolint.scoring.repo_score.cost_factors`; without a profile the
switch changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecolint.config.values import check_keys, read_bool

_KNOWN = ("weight-by-cost",)


@dataclass(frozen=True, slots=True)
class ScoreSettings:
    weight_by_cost: bool = False


def parse_score(table: Any, path: Path) -> ScoreSettings:
    where = f"{path}: [tool.ecolint.score]"
    check_keys(table, where, _KNOWN)
    if "weight-by-cost" in table:
        return ScoreSettings(read_bool(table["weight-by-cost"], "weight-by-cost", where))
    return ScoreSettings()
