"""codecarbon's own outputs (logger, Prometheus push) for the tracker of the codecarbon
meter, chosen by codecarbon's own configuration.

ecolint constructs the tracker, so nobody can hand it arguments; codecarbon still reads
its configuration itself when it is constructed: ``~/.codecarbon.config``, then
``./.codecarbon.config``, then the ``CODECARBON_*`` variables (the last layer that sets a
key wins). ecolint reads the same layers through codecarbon's own reader, rather than
inventing keys of its own, and passes on what it supports:

- the outputs asked for: ``output_methods`` (``logger,prometheus``), else the older
  ``save_to_logger`` and ``save_to_prometheus`` flags set to true;
- ``logger`` and ``prometheus`` run. codecarbon itself reads ``prometheus_url`` (default
  ``localhost:9091``), ``project_name`` (``pytest`` unless configured) and
  ``experiment_name`` (``base``): the pushgateway job is ``<project>_<experiment>``,
  ``pytest_base`` by default. codecarbon pushes once, when the tracker stops (ecolint's
  tracker takes no periodic measurement), and its Prometheus output then deletes the
  job's metrics from the gateway, as it does at the end of any run of its own tracker;
- the logger: codecarbon wants a ``LoggerOutput`` object, which a configuration file
  cannot hold, so ecolint reads ``logging_logger`` as the *name* of the Python logger
  (default ``ecolint.codecarbon``) and wraps it; the record, codecarbon's JSON of its
  ``EmissionsData``, is logged at INFO, and the logger is set to INFO when it has no
  level of its own (else the root's WARNING would drop it). The tracker runs in a sidecar
  process, where nobody configured that logger: the sidecar sends the record to pytest,
  which logs it to its own logger of that name (:func:`python_logger`);
- the other outputs (``csv``, ``api``, ``logfire``, ``boamps``) do not run; the caller
  warns about each (``--eco-csv`` writes codecarbon's ``emissions.csv``). codecarbon's
  ``emissions_endpoint`` (its HTTP output) is read and run by codecarbon itself.

Imported only with the codecarbon meter, after codecarbon.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

RUN = ("logger", "prometheus")
# the older flags, in codecarbon's order, and the output each one asks for
FLAGS = {
    "save_to_file": "csv",
    "save_to_api": "api",
    "save_to_logger": "logger",
    "save_to_prometheus": "prometheus",
    "save_to_logfire": "logfire",
}
DEFAULT_LOGGER = "ecolint.codecarbon"
PROJECT_NAME = "pytest"


@dataclass
class TrackerOutputs:
    """The tracker's output arguments, the outputs that run and why others do not."""

    arguments: dict[str, Any] = field(default_factory=dict)
    running: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    logger: str | None = None  # the Python logger the logger output writes to


def tracker_outputs() -> TrackerOutputs:
    """The outputs codecarbon's configuration asks for, as tracker arguments."""
    from codecarbon.output_methods.base_output import OutputMethod

    conf, sources = _configuration()
    asked = _asked(conf, sources)
    known = {method.value for method in OutputMethod}
    outputs = TrackerOutputs()
    for name, source in asked.items():
        if name in RUN:
            outputs.running.append(name)
        elif name in known:
            hint = ": --eco-csv writes codecarbon's emissions.csv" if name == "csv" else ""
            outputs.notes.append(
                f"codecarbon output {name!r} ({source}) does not run under pytest --eco"
                f" (its logger and prometheus outputs do){hint}"
            )
        else:
            outputs.notes.append(
                f"codecarbon output {name!r} ({source}) is unknown to codecarbon"
                f" (known: {', '.join(sorted(known))})"
            )
    outputs.arguments["output_methods"] = [OutputMethod(name) for name in outputs.running]
    if "logger" in outputs.running:
        outputs.logger = str(conf.get("logging_logger") or DEFAULT_LOGGER)
        outputs.arguments["logging_logger"] = _logger_output(outputs.logger)
    if "project_name" not in conf:
        outputs.arguments["project_name"] = PROJECT_NAME
    return outputs


def _configuration() -> tuple[dict[str, Any], dict[str, str]]:
    """codecarbon's configuration and where each key came from (a file, a variable)."""
    from codecarbon.core import config

    reader = getattr(config, "get_hierarchical_config_with_sources", None)
    if reader is not None:
        conf, sources = reader()
        return dict(conf), dict(sources)
    conf = config.get_hierarchical_config()  # before 3.3: values only
    return dict(conf), {key: "codecarbon's configuration" for key in conf}


def _asked(conf: dict[str, Any], sources: dict[str, str]) -> dict[str, str]:
    """Each output asked for, with where: ``output_methods`` wins over the flags, as in
    codecarbon's ``_resolve_output_methods``."""
    if conf.get("output_methods") is not None:
        source = sources.get("output_methods", "output_methods")
        names = (name.strip().lower() for name in str(conf["output_methods"]).split(","))
        return {name: source for name in names if name}
    return {
        name: sources.get(flag, flag)
        for flag, name in FLAGS.items()
        if str(conf.get(flag, "")).strip().lower() == "true"
    }


def python_logger(name: str) -> logging.Logger:
    """The logger the record goes to, at INFO when it has no level of its own (else the
    root's WARNING would drop the record)."""
    target = logging.getLogger(name)
    if target.level == logging.NOTSET:
        target.setLevel(logging.INFO)
    return target


def _logger_output(name: str) -> Any:
    from codecarbon.output_methods.logger import LoggerOutput

    return LoggerOutput(python_logger(name), logging.INFO)
