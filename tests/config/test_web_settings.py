"""[tool.ecolint.web]: defaults, validation, budgets and presets."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecolint.config import ConfigError, load_settings
from ecolint.config.web import BUDGET_PRESETS, WebBudget


def settings(tmp_path: Path, text: str):
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.ecolint.web]\n" + text)
    return load_settings(path).web


def test_defaults_follow_the_ecoindex_protocol(tmp_path: Path):
    web = settings(tmp_path, "")
    assert (web.wait_before, web.wait_after, web.viewport, web.runs) == (3.0, 3.0, (1280, 720), 1)


def test_urls_runs_waits_viewport_and_paths_are_read(tmp_path: Path):
    web = settings(
        tmp_path,
        'urls = ["http://localhost/"]\nruns = 3\nwait-before = 0\nwait-after = 0.5\n'
        'viewport = "1920x1080"\nbrowser = "/opt/chrome"\njourney = "j.py"\n'
        'run-lighthouse = true\nlighthouse-preset = "mobile"\ntimeout = 10\n',
    )
    assert web.urls == ("http://localhost/",) and web.runs == 3
    assert (web.wait_before, web.wait_after, web.viewport) == (0.0, 0.5, (1920, 1080))
    assert (web.browser, web.journey, web.run_lighthouse) == ("/opt/chrome", "j.py", True)
    assert (web.lighthouse_preset, web.timeout) == ("mobile", 10.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 1\n", "unknown key"),
        ("runs = 0\n", "runs must be a whole number"),
        ('wait-before = "3"\n', "wait-before must be a number of seconds"),
        ('viewport = "big"\n', "viewport must be"),
        ("timeout = 0\n", "timeout must be more than 0"),
        ('lighthouse-preset = "tv"\n', "lighthouse-preset must be one of"),
        ('urls = "http://x"\n', "urls must be a list"),
        ('budgets.preset = "nope"\n', "unknown preset"),
        ('budgets."page:weight" = { max = 1 }\n', "unknown budget 'page:weight'"),
        ('budgets."page:bytes" = { level = "fatal", max = 1 }\n', "level must be one of"),
        ('budgets."page:bytes" = { level = "warn" }\n', "needs min or max"),
        ('budgets."ecoindex:grade" = { min = "H" }\n', "grade letter"),
        ('budgets."page:dom" = { max = "many" }\n', "must be a number"),
        ('budgets.aggregation = "mean"\n', "aggregation must be one of"),
        ('[[tool.ecolint.web.budgets.url]]\n"page:dom" = { max = 1 }\n', "needs pattern"),
    ],
)
def test_bad_settings_are_errors_naming_the_key(tmp_path: Path, text: str, message: str):
    with pytest.raises(ConfigError, match=message):
        settings(tmp_path, text)


def test_a_preset_is_merged_with_the_tables_own_budgets_which_win(tmp_path: Path):
    web = settings(
        tmp_path,
        '[tool.ecolint.web.budgets]\npreset = "ecoindex:recommended"\n'
        'aggregation = "pessimistic"\n"page:bytes" = { max = 500000 }\n',
    )
    assert web.aggregation == "pessimistic"
    by_metric = {budget.metric: budget for budget in web.budgets}
    assert by_metric["page:bytes"] == WebBudget("page:bytes", "error", None, 500000)
    assert by_metric["page:dom"] == WebBudget("page:dom", "warn", None, 600)
    assert set(by_metric) == set(BUDGET_PRESETS["ecoindex:recommended"])


def test_url_overrides_are_read_in_order(tmp_path: Path):
    web = settings(
        tmp_path,
        '[[tool.ecolint.web.budgets.url]]\npattern = "*/blog/*"\n"page:requests" = { max = 80 }\n'
        '"ecoindex:grade" = "off"\n',
    )
    (override,) = web.url_budgets
    assert override.pattern == "*/blog/*"
    assert override.budgets == (
        WebBudget("page:requests", max=80),
        WebBudget("ecoindex:grade", level="off"),
    )
