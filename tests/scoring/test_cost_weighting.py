"""The code part weighted by measured cost: ``ecolint score --profile F --weight-by-cost``.

The formula (``cost_factors``) moves weight onto hot findings and never removes any, so no
profile can raise the score by saying the findings are cold. The command's tests profile a
real program with py-spy: a hot and a cold ECO104 finding (high impact) and, never
called, an ECO106 finding (low impact).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from ecolint.scoring.repo_score import COST_FLOOR_SHARE, cost_factors
from helpers import write
from helpers.profiling import HOT_COLD, record_profile

COLD_BUILD = """

def doubled(values):
    out = []
    for value in values:
        out.append(value * 2)
    return out
"""


def test_unprofiled_findings_count_once():
    assert cost_factors([None, None]) == [1.0, 1.0]


def test_the_measured_findings_share_their_number_in_proportion_to_their_cost():
    factors = cost_factors([0.9, 0.0, 0.1, None])
    measured = factors[:3]
    assert sum(measured) == pytest.approx(3.0)  # the total stays
    assert factors[3] == 1.0
    assert factors[0] > 2.5 > factors[2] > factors[1] > 0
    assert factors[1] == pytest.approx(3 * COST_FLOOR_SHARE / (3 * COST_FLOOR_SHARE + 1.0))


def test_a_profile_that_reached_no_finding_changes_nothing():
    assert cost_factors([0.0, 0.0, 0.0]) == pytest.approx([1.0, 1.0, 1.0])


@pytest.mark.parametrize(
    "shares", [[0.0], [0.5, 0.0], [0.0, 0.0, 1.0], [0.3, 0.3, 0.3, None], [1e-9, 0.0]]
)
def test_no_profile_lowers_the_total_weight_of_equally_weighted_findings(shares):
    assert sum(cost_factors(shares)) == pytest.approx(len(shares))


@pytest.fixture(scope="module")
def hot_and_cold(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A project with hot_cold.py's hot and cold ECO104 findings and, in a never-called
    function, an ECO106 one, with py-spy's profile of its run and one of an unrelated program."""
    root = tmp_path_factory.mktemp("weighted")
    write(root / "pyproject.toml", '[tool.ecolint]\nextend-select = ["ECO104", "ECO106"]\n')
    shutil.copy(HOT_COLD, root / "prog.py")
    with (root / "prog.py").open("a", encoding="utf-8") as program:
        program.write(COLD_BUILD)
    outside = tmp_path_factory.mktemp("profiles")
    write(outside / "other.py", "total = sum(i * i for i in range(3_000_000))\n")
    return {
        "root": root,
        "profile": record_profile(Path("prog.py"), outside / "prog.txt", cwd=root),
        "other": record_profile(outside / "other.py", outside / "other.txt", cwd=outside),
    }


def _code(invoke, root: Path, *args: str) -> tuple[float, str]:
    result = invoke("score", str(root), "--format", "json", *args)
    [part] = [p for p in json.loads(result.output)["parts"] if p["name"] == "code"]
    return part["score"], part["detail"]


@pytest.mark.slow
def test_weighting_by_a_real_profile_moves_the_weight_onto_the_hot_finding(hot_and_cold, invoke):
    root, profile = hot_and_cold["root"], str(hot_and_cold["profile"])
    plain, detail = _code(invoke, root)
    assert "3 findings (weight 7)" in detail  # 2 x ECO104 high (3) + ECO106 low (1)
    profiled, _ = _code(invoke, root, "--profile", profile)
    assert profiled == plain  # a profile alone changes nothing: weighting is off by default
    weighted, detail = _code(invoke, root, "--profile", profile, "--weight-by-cost")
    weight = float(re.search(r"weight ([\d.]+), weighted by measured cost", detail)[1])
    # the hot finding counts almost 3 times (3 x its 97 % + 1 %, over 3 % + 97 %), the two
    # cold ones 0.03 each: 3 x 2.9 + 3 x 0.03 + 1 x 0.03
    assert 8.5 < weight < 9.0, detail
    assert weighted < plain


@pytest.mark.slow
def test_a_profile_of_another_program_cannot_raise_the_score(hot_and_cold, invoke):
    root = hot_and_cold["root"]
    plain, _ = _code(invoke, root)
    other = str(hot_and_cold["other"])
    weighted, detail = _code(invoke, root, "--profile", other, "--weight-by-cost")
    assert weighted == plain and "weighted by measured cost" not in detail


@pytest.mark.slow
def test_the_configuration_turns_weighting_on(hot_and_cold, invoke, tmp_path):
    config = tmp_path / "ecolint.toml"
    write(config, 'extend-select = ["ECO104", "ECO106"]\n\n[score]\nweight-by-cost = true\n')
    args = ("--profile", str(hot_and_cold["profile"]), "--config", str(config))
    _, detail = _code(invoke, hot_and_cold["root"], *args)
    assert "weighted by measured cost" in detail
    _, detail = _code(invoke, hot_and_cold["root"], *args, "--no-weight-by-cost")
    assert "weighted by measured cost" not in detail


def test_weighting_without_a_profile_is_a_usage_error(project, invoke):
    from click.testing import CliRunner

    from ecolint.cli.main import cli

    result = CliRunner().invoke(cli, ["score", str(project), "--weight-by-cost"])
    assert result.exit_code == 2 and "add --profile FILE" in result.output
