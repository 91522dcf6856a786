"""Which configuration file is read, what shape it has, and how its mistakes are reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecolint.config import ConfigError, find_config, load_settings
from ecolint.config.loader import OWN_FILES, PYPROJECT
from helpers import write

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
# each file of one folder, what it holds, and the selection it gives when it is read
ONE_FOLDER = {
    ".ecolint.toml": ('select = ["ECO1"]\n', ("ECO1",)),
    "ecolint.toml": ('select = ["ECO2"]\n', ("ECO2",)),
    "pyproject.toml": ('[tool.ecolint]\nselect = ["ECO3"]\n', ("ECO3",)),
}


def test_in_one_folder_the_dot_file_wins_then_ecolint_toml_then_pyproject(tmp_path):
    """Ruff's order (``.ruff.toml``, ``ruff.toml``, ``pyproject.toml``); the winner is the
    whole configuration, the others are not merged into it."""
    for name, (text, _) in ONE_FOLDER.items():
        write(tmp_path / name, text)
    order = []
    for _ in ONE_FOLDER:
        found = find_config(tmp_path)
        assert found is not None
        order.append(found.name)
        assert load_settings(start=tmp_path).select == ONE_FOLDER[found.name][1]
        found.unlink()
    assert order == [*OWN_FILES, PYPROJECT]
    assert find_config(tmp_path) is None


def test_the_readme_states_the_order_the_loader_applies():
    first, second = OWN_FILES
    assert f"`{first}` wins over `{second}`, which wins over `{PYPROJECT}`" in README


def test_a_nearer_folder_wins_over_a_better_file_name_further_up(tmp_path):
    write(tmp_path / ".ecolint.toml", 'select = ["ECO1"]\n')
    write(tmp_path / "pkg" / "pyproject.toml", '[tool.ecolint]\nselect = ["ECO3"]\n')
    assert load_settings(start=tmp_path / "pkg").select == ("ECO3",)


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ("[tool.ecolnt]", "tool.ecolnt"),
        ("[tool.EcoLint]", "tool.EcoLint"),
        ("[tool.eco-lint]", "tool.eco-lint"),
        ("[ecolint]", "ecolint"),
    ],
)
def test_a_misspelt_tool_table_is_reported_not_passed_over(tmp_path, table, named):
    write(tmp_path / "pyproject.toml", f'{table}\nselect = ["ECO1"]\n')
    with pytest.raises(ConfigError) as error:
        load_settings(start=tmp_path / "src")
    assert str(error.value) == (
        f"{tmp_path / 'pyproject.toml'}: [{named}] is not read by ecolint: "
        "did you mean [tool.ecolint]?"
    )


def test_a_misspelt_table_beside_the_right_one_is_reported_too(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.ecolint]\n[tool.ecolnt]\nignore = ['ECO1']\n")
    with pytest.raises(ConfigError, match=r"\[tool\.ecolnt\] is not read"):
        load_settings(start=tmp_path)


@pytest.mark.parametrize("tool", ["ecoindex", "pylint", "coverage", "ruff"])
def test_other_tools_tables_are_not_taken_for_a_typo(tmp_path, tool):
    write(tmp_path / "pyproject.toml", f"[tool.{tool}]\nx = 1\n")
    assert find_config(tmp_path) is None
    assert load_settings(start=tmp_path).select is None


def test_a_named_file_shaped_like_a_pyproject_is_read_from_its_tool_table(tmp_path):
    """``--config ci.toml`` copied from a pyproject.toml used to fail with
    "unknown key(s) project, tool"."""
    config = write(
        tmp_path / "ci.toml", '[project]\nname = "x"\n[tool.ecolint]\nselect = ["ECO6"]\n'
    )
    settings = load_settings(config)
    assert settings.select == ("ECO6",) and settings.root == tmp_path.resolve()


def test_an_ecolint_toml_holding_a_tool_ecolint_table_is_read_from_it(tmp_path):
    write(tmp_path / "ecolint.toml", '[tool.ecolint]\nselect = ["ECO6"]\n')
    assert load_settings(start=tmp_path).select == ("ECO6",)


def test_a_named_file_with_tool_tables_but_none_for_ecolint_says_so(tmp_path):
    config = write(tmp_path / "ci.toml", "[tool.ruff]\nline-length = 100\n")
    with pytest.raises(ConfigError, match=r"ci\.toml: no \[tool\.ecolint\] table"):
        load_settings(config)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[tool.ecolint]\nextend-selct = []\n", "extend-selct (did you mean extend-select?)"),
        ("[tool.ecolint.enrgy]\n", "enrgy (did you mean energy?)"),
        ('[tool.ecolint.energy]\ncountri = "FRA"\n', "countri (did you mean country?)"),
        (
            "[tool.ecolint.energy.budget]\nsuite-energy = 3\n",
            "'suite-energy' (did you mean suite-energy-j?)",
        ),
        ("[tool.ecolint.web]\ntimout = 3\n", "timout (did you mean timeout?)"),
        (
            '[tool.ecolint.web.budgets]\npreset = "ecoindex:recomended"\n',
            "did you mean ecoindex:recommended?",
        ),
        ('[tool.ecolint.history]\ndatabse = "git"\n', "databse (did you mean database?)"),
        ("[tool.ecolint.ci]\nround = 3\n", "round (did you mean rounds?)"),
        ('[tool.ecolint.ci]\nfail-on = ["budgets"]\n', "budgets (did you mean budget?)"),
    ],
)
def test_an_unknown_key_names_the_known_one_it_is_close_to(tmp_path, text, message):
    write(tmp_path / "pyproject.toml", text)
    with pytest.raises(ConfigError) as error:
        load_settings(start=tmp_path)
    assert message in str(error.value)


def test_an_unknown_key_close_to_nothing_gets_no_suggestion(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.ecolint]\ncolour = 1\n")
    with pytest.raises(ConfigError) as error:
        load_settings(start=tmp_path)
    assert "unknown key(s) colour; known:" in str(error.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[tool.ecolint.options.linear-membership-in-loop]\nmin-element = 3\n",
            "has no option min-element (did you mean min-elements?)",
        ),
        (
            '[tool.ecolint]\nignore = ["concat-acumulation-in-loop"]\n',
            "did you mean concat-accumulation-in-loop?",
        ),
        ('[tool.ecolint]\nselect = ["ECO1O2"]\n', "did you mean ECO102?"),
    ],
)
def test_a_misspelt_rule_or_rule_option_names_the_close_one(project, invoke, text, message):
    write(project / "pyproject.toml", text)
    write(project / "app.py", "x = 1\n")
    result = invoke("check", "app.py")
    assert result.exit_code == 2 and message in result.output
