"""``ecolint ci`` with its optional parts: the energy A/B, the web audit, SARIF."""

from __future__ import annotations

import json

import ci_support
import pytest
from ci_support import commit_all, pull_request_event, read_outputs, run_ci, runner_env

from helpers import git_repository, require_component, write

github_spec = ci_support.github_spec
github = ci_support.github
pr_repo = ci_support.pr_repo

pytestmark = pytest.mark.slow  # real PRs; the energy A/B and Chromium on top


def test_the_energy_ab_of_the_test_suite_is_reported_when_enabled(tmp_path, github, monkeypatch):
    (tmp_path / "repo").mkdir()
    repo = git_repository(tmp_path / "repo")
    write(repo / "pyproject.toml", "[tool.ecolint]\n[tool.ecolint.ci]\nenergy = true\nrounds = 3\n")
    test = "def test_work():\n    assert sum(i * i for i in range({n})) > 0\n"
    write(repo / "tests" / "test_work.py", test.format(n=20_000))
    base = commit_all(repo, "base")
    write(repo / "tests" / "test_work.py", test.format(n=200_000))
    head = commit_all(repo, "head: ten times the work")
    env = runner_env(
        tmp_path / "runner", "pull_request", pull_request_event(base, head), github.url
    )
    result = run_ci(repo, env, "--fail-on", "energy-regression", monkeypatch=monkeypatch)
    outputs = read_outputs(tmp_path / "runner" / "output.txt")
    assert outputs["energy-verdict"] in ("pass", "regression", "improvement", "inconclusive")
    [comment] = github.state.comments[7]
    assert "Test-suite CPU (3 rounds, median)" in comment["body"]
    assert "gCO2e" in comment["body"]
    assert result.exit_code == (1 if outputs["energy-verdict"] == "regression" else 0)


def chromium_available() -> bool:
    try:
        from ecolint.web.browser import BrowserUnavailable, find_browser
    except ImportError:  # playwright is not installed
        return False
    try:
        find_browser(None)
    except BrowserUnavailable:
        return False
    return True


@pytest.fixture
def site(tmp_path):
    """A small page served on 127.0.0.1."""
    import functools
    import http.server
    import threading

    folder = tmp_path / "site"
    folder.mkdir()
    items = "".join(f"<li>item {n}</li>" for n in range(40))
    (folder / "index.html").write_text(
        f"<!doctype html><html><head><title>Shop</title></head><body><ul>{items}</ul></body>",
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()


def test_configured_pages_are_audited_in_chromium_and_shown_with_their_ecoindex(
    pr_repo, github, site, tmp_path, monkeypatch
):
    require_component(chromium_available(), "Chromium", "apt-get install chromium")
    root = pr_repo["root"]
    write(
        root / "pyproject.toml",
        "[tool.ecolint]\n[tool.ecolint.web]\nwait-before = 0\nwait-after = 0\n",
    )
    head = commit_all(root, "web settings")
    event = pull_request_event(pr_repo["base"], head)
    env = runner_env(tmp_path / "runner", "pull_request", event, github.url)
    run_ci(root, env, "--urls", site, "--fail-on", "none", monkeypatch=monkeypatch)
    [comment] = github.state.comments[7]
    assert "Web pages (EcoIndex)" in comment["body"]
    row = next(line for line in comment["body"].splitlines() if "index.html" in line)
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[1].isdigit() and 0 <= int(cells[1]) <= 100
    assert cells[2] in "ABCDEFG"
    assert "requests" in cells[3] and "DOM elements" in cells[3]


def test_sarif_of_the_head_is_written_on_request(pr_repo, github, tmp_path, monkeypatch):
    event = pull_request_event(pr_repo["base"], pr_repo["head"])
    env = runner_env(tmp_path / "runner", "pull_request", event, github.url)
    sarif = tmp_path / "out" / "ecolint.sarif"
    run_ci(pr_repo["root"], env, "--sarif", str(sarif), monkeypatch=monkeypatch)
    document = json.loads(sarif.read_text(encoding="utf-8"))
    [result] = document["runs"][0]["results"]
    assert document["version"] == "2.1.0"
    assert result["ruleId"] == "ECO603"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "shop/orders.py"
    assert result["partialFingerprints"]
