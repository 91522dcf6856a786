"""Which findings the default output shows: those that meet the bar of "worth acting on".

A rule grades each finding (``Finding.confidence``). ``low`` means the saving depends on
what the rule cannot see (how big the data is, which logging level runs): such findings
are right about the pattern but rarely worth a change, so they are hidden unless the user
asks for everything (``ecolint check --show-all``). Findings in file kinds a rule does not
apply to never reach this point: the engine does not run the rule there.
"""

from __future__ import annotations

from ecolint.results import Finding


def meets_bar(finding: Finding) -> bool:
    """Whether ``finding`` is shown by default (and counted by the repository score)."""
    return finding.confidence != "low"
