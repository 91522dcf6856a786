"""The written site: self-contained, relative links that resolve, every name escaped."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from dashboard_history import (
    MALICIOUS_BRANCH,
    MALICIOUS_REPOSITORY,
    MALICIOUS_TEAM,
    MALICIOUS_URL,
    bare_run,
    malicious_history,
    run,
    small_history,
)

from ecolint.config.teams import TeamBudget
from ecolint.dashboard import build_site
from ecolint.scoring.indicators import aggregate, indicators_csv


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_the_site_has_an_overview_a_page_per_repository_and_per_team(tmp_path):
    summary = build_site(small_history(), tmp_path)
    assert (summary.repositories, summary.teams, summary.pages) == (3, 2, 6)
    assert len(list((tmp_path / "repositories").glob("*.html"))) == 3
    assert len(list((tmp_path / "teams").glob("*.html"))) == 2
    assert summary.index_bytes == (tmp_path / "index.html").stat().st_size


def test_every_link_is_relative_and_leads_to_a_written_file(tmp_path):
    build_site(small_history(), tmp_path)
    for page in pages(tmp_path):
        for target in re.findall(r'href="([^"]*)"', page.read_text(encoding="utf-8")):
            if target.startswith("data:"):
                continue
            assert "://" not in target and not target.startswith("/"), (page, target)
            assert (page.parent / target).resolve().is_file(), (page, target)


def test_pages_load_nothing_from_outside_and_forbid_scripts(tmp_path):
    build_site(small_history(), tmp_path)
    for page in pages(tmp_path):
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text and "src=" not in text
        assert "default-src 'none'" in text


def test_the_indicator_downloads_hold_every_repository_for_the_chosen_period(tmp_path):
    records = small_history()
    build_site(records, tmp_path, period="quarter")
    assert (tmp_path / "indicators.csv").read_text() == indicators_csv(
        aggregate(records, "quarter")
    )
    document = json.loads((tmp_path / "indicators.json").read_text())
    assert {row["repository"] for row in document["rows"]} == {"acme/api", "acme/web", "acme/data"}


def test_names_branches_commits_and_urls_from_the_data_are_escaped_everywhere(tmp_path):
    build_site(malicious_history(), tmp_path)
    texts = {
        page.relative_to(tmp_path).parts[0]: page.read_text(encoding="utf-8")
        for page in pages(tmp_path)
    }
    for text in texts.values():
        for markup in ("<script", "<img", "<b ", "<svg onload", "<i>", 'href="javascript'):
            assert markup not in text
    for raw in (MALICIOUS_REPOSITORY, MALICIOUS_TEAM, MALICIOUS_BRANCH, MALICIOUS_URL):
        assert html.escape(raw, quote=True) in texts["repositories"]
    assert html.escape(MALICIOUS_TEAM, quote=True) in texts["teams"]


def test_files_of_an_earlier_build_are_replaced_and_other_files_are_kept(tmp_path):
    (tmp_path / "CNAME").write_text("dashboard.example.org\n")
    build_site([run("a", 0, 10.0)], tmp_path)
    build_site([run("a", 0, 10.0), run("a", 1, 90.0)], tmp_path)
    assert (tmp_path / "CNAME").read_text() == "dashboard.example.org\n"
    assert ">90<" in (tmp_path / "index.html").read_text(encoding="utf-8")
    assert not [p for p in tmp_path.rglob(".*") if p.name != "CNAME"]  # no temporary file left


def test_a_bad_record_time_stops_the_build_before_anything_is_written(tmp_path):
    bad = run("a", 0)
    broken = type(bad)(**{**{k: getattr(bad, k) for k in bad.__slots__}, "recorded_at": "soon"})
    with pytest.raises(ValueError, match="'soon' is not an ISO 8601 time"):
        build_site([run("b", 0), broken], tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_a_team_page_shows_how_much_of_its_budget_is_used(tmp_path):
    records = [run("a", 0, carbon_g=600.0), run("a", 1, carbon_g=600.0)]
    summary = build_site(records, tmp_path, budgets={"core": TeamBudget(1.0, "year")})
    (team_page,) = (tmp_path / "teams").glob("*.html")
    text = team_page.read_text(encoding="utf-8")
    assert "1.2 kg</strong> of 1 kg CO2e used in 2026" in text and "over budget" in text
    assert summary.teams == 1


def test_a_team_without_budget_says_how_to_set_one(tmp_path):
    build_site([run("a", 0)], tmp_path)
    (team_page,) = (tmp_path / "teams").glob("*.html")
    assert "carbon-budget-kg" in team_page.read_text(encoding="utf-8")


def test_a_repository_that_measured_nothing_gets_a_page_saying_so(tmp_path):
    build_site([bare_run()], tmp_path)
    (page,) = (tmp_path / "repositories").glob("*.html")
    text = page.read_text(encoding="utf-8")
    for message in (
        "No run had a score.",
        "The latest run has no finding.",
        "Energy was never measured",
        "Carbon was never measured",
        "No page was audited",
        "No commit changed a figure yet.",
    ):
        assert message in text
    assert "<svg" not in text
    assert "not measured" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_pages_beyond_the_palette_are_counted_not_drawn(tmp_path):
    pages = {f"http://127.0.0.1/{n}": 50.0 + n for n in range(9)}
    build_site([run("a", 0, ecoindex=pages), run("a", 1, ecoindex=pages)], tmp_path)
    (page,) = (tmp_path / "repositories").glob("*.html")
    text = page.read_text(encoding="utf-8")
    assert text.count('<path class="line"') == 3 + 7  # score, energy, carbon; 7 pages
    assert "2 more page(s) not drawn." in text
