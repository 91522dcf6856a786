"""`ecolint web` from the command line: outputs and exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from web_sites import FixtureServer, need_chromium, plain_site

from ecolint.web.model import load_web_report

FAST = "[tool.ecolint.web]\nwait-before = 0\nwait-after = 0\ntimeout = 10\n"


def test_without_urls_it_exits_2_saying_where_urls_come_from(project, invoke):
    result = invoke("web")
    assert result.exit_code == 2 and "no URL to audit" in result.output


def test_a_url_that_is_not_http_exits_2(project, invoke):
    result = invoke("web", "example.org")
    assert result.exit_code == 2 and "not an http(s) URL: example.org" in result.output


def test_a_host_without_scheme_gets_the_http_url_suggested(project, invoke):
    result = invoke("web", "localhost:8002")
    assert result.exit_code == 2 and "did you mean http://localhost:8002 ?" in result.output
    other = invoke("web", "ftp://example.org/")
    assert other.exit_code == 2 and "did you mean" not in other.output


def test_an_unknown_web_setting_exits_2(project, invoke):
    (project / "pyproject.toml").write_text("[tool.ecolint.web]\nspeed = 1\n")
    result = invoke("web", "http://127.0.0.1:1/")
    assert result.exit_code == 2 and "unknown key(s) speed" in result.output


@pytest.mark.slow
def test_a_clean_audit_exits_0_and_writes_json_and_html(tmp_path: Path, run_ecolint):
    need_chromium()
    (tmp_path / "pyproject.toml").write_text(FAST)
    with FixtureServer(plain_site()) as server:
        completed = run_ecolint(
            "web", server.url("/"), "--format", "json", "-o", "web.json", "--html", "web.html",
            cwd=tmp_path,
        )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    report = load_web_report(tmp_path / "web.json")
    assert report.pages[0].ecoindex is not None
    assert (tmp_path / "web.html").read_text().startswith("<!doctype html>")


@pytest.mark.slow
def test_an_error_budget_exceeded_exits_1_naming_url_budget_and_figure(tmp_path: Path, run_ecolint):
    need_chromium()
    (tmp_path / "pyproject.toml").write_text(
        FAST + '[tool.ecolint.web.budgets]\n"page:requests" = { max = 2 }\n'
    )
    with FixtureServer(plain_site()) as server:
        completed = run_ecolint("web", server.url("/"), cwd=tmp_path)
    assert completed.returncode == 1, completed.stderr
    assert (
        f"{server.url('/')}: page:requests 4 is above max 2 (median of 1 run)" in completed.stdout
    )


@pytest.mark.slow
def test_a_warning_budget_exceeded_still_exits_0(tmp_path: Path, run_ecolint):
    need_chromium()
    (tmp_path / "pyproject.toml").write_text(
        FAST + '[tool.ecolint.web.budgets]\n"page:requests" = { max = 2, level = "warn" }\n'
    )
    with FixtureServer(plain_site()) as server:
        completed = run_ecolint("web", server.url("/"), cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    assert "budget warn" in completed.stdout


@pytest.mark.slow
def test_a_page_that_cannot_be_audited_exits_2_after_auditing_the_others(
    tmp_path: Path, run_ecolint
):
    need_chromium()
    (tmp_path / "pyproject.toml").write_text(FAST)
    with FixtureServer(plain_site()) as server:
        completed = run_ecolint(
            "web", server.url("/gone"), server.url("/"), "--format", "markdown", cwd=tmp_path
        )
    assert completed.returncode == 2
    assert f"`{server.url('/gone')}` (response): HTTP 404 Not Found" in completed.stdout
    assert f"| `{server.url('/')}` | **A**" in completed.stdout


@pytest.mark.slow
def test_the_cli_does_not_import_playwright_until_a_web_audit_runs():
    import subprocess

    code = "import sys, ecolint.cli.main; print('playwright' in sys.modules)"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.stdout.strip() == "False", completed.stderr


def test_an_unwritable_report_path_stops_web_before_the_browser_starts(tmp_path):
    from click.testing import CliRunner

    from ecolint.cli.main import cli

    (tmp_path / "taken").mkdir()
    for option in ("-o", "--html"):
        result = CliRunner().invoke(
            cli, ["web", "http://127.0.0.1:9/", option, str(tmp_path / "taken")]
        )
        assert result.exit_code == 2, result.output
        assert "cannot write" in result.stderr and "it is a folder" in result.stderr


def test_a_missing_journey_file_is_a_usage_error_before_any_browser_starts(project, invoke):
    # a browser that does not exist: reaching the audit would report it instead
    result = invoke(
        "web", "http://127.0.0.1:1/", "--journey", "absent.py", "--browser", "/no/chromium"
    )
    assert result.exit_code == 2
    assert "'absent.py' does not exist" in result.output and "chromium" not in result.output


def test_a_missing_journey_file_in_the_settings_is_a_usage_error(project, invoke):
    (project / "pyproject.toml").write_text('[tool.ecolint.web]\njourney = "journeys/login.py"\n')
    result = invoke("web", "http://127.0.0.1:1/", "--browser", "/no/chromium")
    assert result.exit_code == 2
    assert "journey file" in result.output and "login.py not found" in result.output
    assert "chromium" not in result.output
