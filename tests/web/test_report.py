"""The versioned JSON report and its loader (read by the score and the GitHub Action)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from web_samples import sample_report

from ecolint.render.web import render_json
from ecolint.web.model import WebReportError, load_web_report


def test_a_written_report_loads_back_equal(tmp_path: Path):
    path = tmp_path / "web.json"
    path.write_text(render_json(sample_report()), encoding="utf-8")
    assert load_web_report(path) == sample_report()


def test_the_json_renderer_writes_version_1_first(tmp_path: Path):
    data = json.loads(render_json(sample_report()))
    assert next(iter(data)) == "version" and data["version"] == 1
    assert data["pages"][0]["ecoindex"] == {"score": 90, "grade": "A", "ghg": 1.2, "water": 1.8}


def test_a_missing_report_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(WebReportError, match="cannot read the web report"):
        load_web_report(tmp_path / "absent.json")


def test_a_file_that_is_not_json_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "web.json"
    path.write_text("<html>")
    with pytest.raises(WebReportError, match="not a JSON web report"):
        load_web_report(path)


def test_another_version_is_refused_with_what_to_do(tmp_path: Path):
    path = tmp_path / "web.json"
    path.write_text(json.dumps({"version": 2, "pages": []}))
    with pytest.raises(WebReportError, match=r"version 2 is not supported.*re-run"):
        load_web_report(path)


def test_a_report_missing_a_field_names_it(tmp_path: Path):
    data = json.loads(render_json(sample_report()))
    del data["pages"][0]["dom"]
    path = tmp_path / "web.json"
    path.write_text(json.dumps(data))
    with pytest.raises(WebReportError, match="'dom'"):
        load_web_report(path)


def test_a_report_with_an_impossible_grade_is_refused(tmp_path: Path):
    data = json.loads(render_json(sample_report()))
    data["pages"][0]["ecoindex"]["grade"] = "Z"
    path = tmp_path / "web.json"
    path.write_text(json.dumps(data))
    with pytest.raises(WebReportError, match="bad ecoindex grade 'Z'"):
        load_web_report(path)
