"""The README cannot drift from the code: every documented flag and key must exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from ecolint.cli.main import cli
from ecolint.config.energy import _KNOWN as ENERGY_KEYS
from ecolint.config.energy import BUDGET_METRICS
from ecolint.lint.registry import all_rules

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
SHELL_BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)


def documented_commands() -> list[list[str]]:
    """Every ``ecolint …`` command line of the README's shell blocks, as words."""
    lines = []
    for block in SHELL_BLOCK.findall(README):
        for line in block.splitlines():
            line = line.split(" #")[0].strip()
            if line.startswith("ecolint "):
                lines.append(shlex.split(line)[1:])
    return lines


def resolve(words: list[str]) -> tuple[click.Command, list[str]]:
    """The (sub)command the words name, and the flags given to it."""
    command: click.Command = cli
    rest = words[: words.index("--")] if "--" in words else list(words)  # then: pytest's
    while isinstance(command, click.Group) and rest and rest[0] in command.commands:
        command = command.commands[rest.pop(0)]
    return command, [word.split("=")[0] for word in rest if word.startswith("--")]


@pytest.mark.parametrize("words", documented_commands(), ids=" ".join)
def test_every_documented_command_and_flag_exists(words):
    command, flags = resolve(words)
    assert command is not cli, f"`ecolint {words[0]}` is not a command"
    known = {name for param in command.params for name in (*param.opts, *param.secondary_opts)}
    assert set(flags) <= known, f"unknown flags {set(flags) - known} for ecolint {words}"


def test_the_readme_documents_every_energy_key_and_budget():
    table = README[README.index("[tool.ecolint.energy]\nenabled") :]
    table = table[: table.index("```")]
    keys = set(re.findall(r"^([a-z0-9-]+) = ", table, re.MULTILINE))
    assert keys == (ENERGY_KEYS - {"budget"}) | set(BUDGET_METRICS)


def test_the_readme_documents_every_pytest_eco_option():
    import pytest_ecolint.options as options

    source = Path(options.__file__).read_text(encoding="utf-8")
    for option in re.findall(r'"(--eco[a-z-]*)"', source):
        assert f"`{option}" in README, f"{option} is not in the README"


def test_the_readme_counts_the_default_and_opt_in_rules_as_the_catalogue_does():
    rules = all_rules()
    default = sum(not rule.opt_in for rule in rules)
    text = " ".join(README.split())
    assert f"{default} of the {len(rules)} rules are on by default" in text
    assert f"The other {len(rules) - default} are opt-in" in text


def how_ecolint_measures() -> str:
    section = README[README.index("### How ecolint measures") :]
    return section[: section.index("\n## ")]


def test_the_meter_table_has_one_row_per_meter_the_code_knows_in_its_order():
    from ecolint.config.energy import METERS

    section = how_ecolint_measures()
    first_table = section[section.index("\n| meter |") :].split("\n\n")[0]
    rows = re.findall(r"^\| `([a-z]+)`", first_table, re.MULTILINE)
    assert tuple(rows) == METERS


def test_every_figure_of_the_meter_section_names_a_bench_that_exists():
    section = how_ecolint_measures()
    benches = set(re.findall(r"`(bench/[a-z_]+\.py)`", section))
    assert benches, "the costs must say which bench measured them"
    root = Path(__file__).parent.parent
    assert all((root / bench).is_file() for bench in benches), benches
