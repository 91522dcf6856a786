"""CPU profiles joined to findings: ``ecolint check --profile FILE``.

``read`` opens py-spy's collapsed stacks (``--format raw``, also what ``pytest --eco
--eco-profile`` writes), speedscope JSON, Austin's text samples and pyinstrument sessions;
``paths`` maps the files a profile recorded onto the linted tree; ``ranges`` gives the
lines whose samples a finding is charged with; ``join`` puts the measured cost on each
finding. Nothing here is imported unless a profile is given, so ``ecolint check``
without one pays nothing for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ecolint.energy.meters import cpu_time_model
from ecolint.profiles.join import keep_costly, measure
from ecolint.profiles.model import DEFAULT_RATE_HZ, ProfileError
from ecolint.profiles.paths import PathMap
from ecolint.profiles.read import read_profile
from ecolint.results import LintReport

__all__ = ["DEFAULT_RATE_HZ", "ProfileError", "keep_costly", "measure_report", "read_profile"]


def measure_report(
    report: LintReport,
    files: Sequence[Path],
    recorded_roots: Sequence[str] = (),
    rate_hz: float = DEFAULT_RATE_HZ,
    watts_per_thread: float | None = None,
) -> LintReport:
    """``report`` with the cost the profiles in ``files`` measured on each finding;
    joules through ``pytest --eco``'s CPU-time model (``watts_per_thread`` configured
    under ``[tool.ecolint.energy]``, else the CPU's TDP per thread)."""
    profiles = [read_profile(path, rate_hz) for path in files]
    paths = PathMap(Path(report.root), [result.path for result in report.files], recorded_roots)
    return measure(report, profiles, paths, cpu_time_model(watts_per_thread))
