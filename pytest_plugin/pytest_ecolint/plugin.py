"""pytest entry point of ecolint (registered through ``pytest11``): hooks only.

Inactive unless ``--eco`` is given or ``[tool.ecolint.energy] enabled = true``. Each
process that runs tests records two clocks per test (``recorder``); the process that
reports (the only one without xdist, the controller with it) turns them into energy and
carbon once, at the end (``session``).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from ecolint.energy import CHILD_ENV
from pytest_ecolint import EnergyNotMeasuredWarning
from pytest_ecolint.options import add_options, energy_settings
from pytest_ecolint.recorder import Recorder


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "eco_budget(cpu_ms=None, joules=None, level='error'): energy budget of one test "
        "(ecolint); exceeding an error-level budget fails the session.",
    )
    config.addinivalue_line(
        "markers", "eco_precise: also count the test's instructions (ecolint --eco)."
    )
    status = os.environ.pop(CHILD_ENV, None)  # not inherited by pytest runs of the tests
    if status:  # the callgrind re-run of precise tests: count, do not measure energy
        from pytest_ecolint.probe import Probe

        config.pluginmanager.register(Probe(Path(status)), "ecolint-probe")
        return
    try:
        settings = energy_settings(config)
    except pytest.UsageError as error:
        if config.getoption("eco"):
            raise
        # A broken [tool.ecolint.energy] must not stop the tests of someone who never
        # measures energy: warn, and stay out of the run.
        message = f"ecolint: {error}; energy is not measured (the table is read for --eco)"
        config.issue_config_time_warning(EnergyNotMeasuredWarning(message), stacklevel=2)
        return
    if not (config.getoption("eco") or settings.enabled):
        if config.getoption("eco_profile") is not None:
            raise pytest.UsageError("ecolint: --eco-profile samples the --eco run: add --eco")
        return
    if not _energy_extra_installed():
        raise pytest.UsageError(
            "pytest --eco needs ecolint's energy extra: pip install 'ecolint[energy]'"
        )
    recorder = Recorder(
        precise_all=config.getoption("eco_precise"),
        use_pmu=config.getoption("eco_precise_method") != "callgrind",
    )
    config.pluginmanager.register(recorder, "ecolint-recorder")
    if config.getoption("eco_profile") is not None or settings.profile:
        from pytest_ecolint.profiler import register_profiler

        register_profiler(config, settings)
    if hasattr(config, "workerinput"):  # an xdist worker: the controller reports
        from pytest_ecolint.xdist import WorkerTotals

        config.pluginmanager.register(WorkerTotals(recorder), "ecolint-worker")
        return
    from pytest_ecolint.session import EnergySession

    session = EnergySession(config, settings, recorder)
    config.pluginmanager.register(session, "ecolint-session")
    if config.pluginmanager.hasplugin("xdist"):
        from pytest_ecolint.xdist import ControllerHooks

        config.pluginmanager.register(ControllerHooks(session), "ecolint-xdist")


def _energy_extra_installed() -> bool:
    try:
        return importlib.util.find_spec("codecarbon") is not None
    except (ImportError, ValueError):  # a broken or blocked installation
        return False
