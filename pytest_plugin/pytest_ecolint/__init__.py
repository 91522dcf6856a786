"""pytest plugin of ecolint (energy and carbon of test runs).

The warnings it issues when part of a measurement cannot run as asked and the run goes on
without it (pytest-cov's ``PytestCovWarning`` model): one base class, so a CI can make all
of them fail the run with ``-W error::pytest_ecolint.EcolintWarning``, or silence one kind.
"""

from __future__ import annotations

import pytest


class EcolintWarning(pytest.PytestWarning):
    """Base class of the warnings of ecolint's pytest plugin."""


class EnergyNotMeasuredWarning(EcolintWarning):
    """``[tool.ecolint.energy]`` cannot be read and ``--eco`` was not given: the tests run,
    their energy is not measured."""


class MeterWarning(EcolintWarning):
    """The meter cannot give everything configured (a codecarbon output that does not run):
    the rest of the measurement goes on."""


class InstructionCountWarning(EcolintWarning):
    """Precise tests were left without an instruction count (no PMU, callgrind failed or
    was interrupted): their energy figures stand, their counts are missing."""
