"""Configuration: found by walking up, validated, merged with the command line."""

from __future__ import annotations

import pytest

from ecolint.config import ConfigError, find_config, load_settings
from helpers import write

SLEEPY = "import asyncio, time\n\nasync def f():\n    time.sleep(1)\n"


def test_the_nearest_pyproject_with_a_tool_table_is_found(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.ecolint]\nignore = ['ECO1']\n")
    write(tmp_path / "pkg" / "pyproject.toml", "[project]\nname = 'x'\n")
    (tmp_path / "pkg" / "sub").mkdir()
    assert find_config(tmp_path / "pkg" / "sub") == tmp_path / "pyproject.toml"


def test_ecolint_toml_wins_in_the_same_folder(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.ecolint]\n")
    write(tmp_path / "ecolint.toml", "select = ['ECO6']\n")
    settings = load_settings(start=tmp_path)
    assert settings.select == ("ECO6",)


def test_unknown_keys_are_an_error(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.ecolint]\nselekt = ['ECO1']\n")
    with pytest.raises(ConfigError, match=r"unknown key.*selekt"):
        load_settings(start=tmp_path)


def test_wrong_types_are_an_error(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.ecolint]\nselect = 'ECO1'\n")
    with pytest.raises(ConfigError, match="select must be a list of strings"):
        load_settings(start=tmp_path)


def test_unknown_rule_ids_in_the_config_exit_2(project, invoke):
    write(project / "pyproject.toml", "[tool.ecolint]\nignore = ['ECO998']\n")
    result = invoke("check")
    assert result.exit_code == 2 and "ECO998" in result.output


def test_unknown_rule_options_exit_2(project, invoke):
    write(project / "pyproject.toml", "[tool.ecolint.options.ECO603]\nspeed = 3\n")
    result = invoke("check")
    assert result.exit_code == 2 and "has no option speed" in result.output


@pytest.mark.parametrize(
    "value", ['"eight"', "true", "8.5e0 ", "[8]"], ids=["string", "bool", "float", "list"]
)
def test_a_rule_option_of_the_wrong_type_exits_2(project, invoke, value):
    write(
        project / "pyproject.toml",
        f"[tool.ecolint.options.linear-membership-in-loop]\nmin-elements = {value}\n",
    )
    result = invoke("check")
    assert result.exit_code == 2, result.output
    assert "option min-elements must be like 5" in result.output


def test_a_rule_option_of_the_right_type_is_accepted(project, invoke):
    write(project / "pyproject.toml", "[tool.ecolint.options.ECO103]\nmin-elements = 8\n")
    assert invoke("check").exit_code == 0


def test_select_ignore_and_per_file_ignores_from_the_config(project, invoke):
    write(project / "app.py", SLEEPY)
    write(project / "tests" / "test_app.py", SLEEPY)
    write(
        project / "pyproject.toml",
        "[tool.ecolint]\nselect = ['ECO6']\n"
        "[tool.ecolint.per-file-ignores]\n'tests/*' = ['ECO603']\n",
    )
    output = invoke("check", "-q").output
    assert "app.py:4:5: ECO603" in output and "test_app.py" not in output


def test_command_line_select_overrides_the_config(project, invoke):
    write(project / "app.py", SLEEPY)
    write(project / "pyproject.toml", "[tool.ecolint]\nselect = ['ECO1']\n")
    assert invoke("check").exit_code == 0
    assert invoke("check", "--select", "ECO603").exit_code == 1


def test_config_exclude_and_extend_exclude(project, invoke):
    write(project / "vendor" / "lib.py", SLEEPY)
    write(project / "gen" / "out.py", SLEEPY)
    write(project / "pyproject.toml", "[tool.ecolint]\nextend-exclude = ['vendor', 'gen/*.py']\n")
    assert invoke("check").exit_code == 0


def test_a_pue_below_one_in_the_config_is_an_error(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.ecolint.energy]\npue = 0.8\n")
    with pytest.raises(ConfigError, match="pue must be at least 1"):
        load_settings(start=tmp_path)


def test_the_energy_meter_is_read_and_a_wrong_one_named(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.ecolint.energy]\nmeter = "codecarbon"\n')
    assert load_settings(start=tmp_path).energy.meter == "codecarbon"
    write(tmp_path / "pyproject.toml", "[tool.ecolint]\n")
    assert load_settings(start=tmp_path).energy.meter == "auto"
    write(tmp_path / "pyproject.toml", '[tool.ecolint.energy]\nmeter = "psutil"\n')
    with pytest.raises(ConfigError, match="meter must be one of auto, model, rapl, codecarbon"):
        load_settings(start=tmp_path)
