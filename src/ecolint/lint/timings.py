"""Where a lint run spends its time: per rule, and in parsing (``ecolint check --timings``).

Fixit prints per-rule timings so a slow rule is found without bisecting ``--select``.
Here the walker times each rule's handlers with ``perf_counter`` only when asked: the
plain walk keeps its untimed dispatch, so the feature costs nothing when it is off. A
timed run lints in one process without the cache, so the figures add up to the run.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class Timings:
    """Seconds spent per rule id in its handlers, and in libcst's parser, over the files."""

    rules: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    parse_s: float = 0.0
    files: int = 0

    def render(self, names: dict[str, str], top: int | None = None) -> str:
        """A table, slowest first: the rule, its seconds and share of the rules' time."""
        total = sum(self.rules.values())
        rows = [("(libcst parse)", "", self.parse_s)]
        slowest = sorted(self.rules.items(), key=lambda item: -item[1])[:top]
        rows += [(code, names.get(code, ""), seconds) for code, seconds in slowest]
        lines = [f"time per rule over {self.files} file(s), slowest first:"]
        for code, name, seconds in rows:
            share = f"{100 * seconds / total:5.1f} %" if total and code.startswith("ECO") else ""
            lines.append(f"  {seconds * 1000:9.1f} ms  {share:>7}  {code:<15} {name}".rstrip())
        lines.append(f"  {total * 1000:9.1f} ms  in rules, {self.parse_s * 1000:.1f} ms parsing")
        return "\n".join(lines)
