"""``made_once``: dataclass fields and behaviour, with one shared ``__init__``."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import pytest

from ecolint.made_once import made_once


@made_once
class Totals:
    """A record with required fields, a default and a default factory."""

    name: str
    joules: float
    tests: int = 0
    parts: dict[str, float] = dataclasses.field(default_factory=dict)
    UNITS: ClassVar[str] = "J"  # a class attribute, not an argument


def test_arguments_are_taken_by_position_and_by_name_with_the_defaults_filled_in():
    made = Totals("suite", 1.5, parts={"cpu": 1.5})
    assert (made.name, made.joules, made.tests, made.parts) == ("suite", 1.5, 0, {"cpu": 1.5})
    assert dataclasses.asdict(Totals(joules=2.0, name="x", tests=3)) == {
        "name": "x",
        "joules": 2.0,
        "tests": 3,
        "parts": {},
    }
    assert Totals("a", 1.0).parts is not Totals("b", 1.0).parts  # a fresh dict each
    assert "UNITS" not in vars(Totals("a", 1.0))


def test_it_stays_a_dataclass_that_replace_and_fields_work_on():
    made = dataclasses.replace(Totals("suite", 1.5), tests=7)
    assert (made.name, made.tests) == ("suite", 7)
    assert [f.name for f in dataclasses.fields(Totals)] == ["name", "joules", "tests", "parts"]


@pytest.mark.parametrize(
    ("arguments", "keywords", "message"),
    [
        (("a",), {}, "missing required argument 'joules'"),
        (("a", 1.0, 2, {}, "extra"), {}, "takes 4 positional arguments, got 5"),
        (("a", 1.0), {"watts": 3}, "unexpected keyword argument 'watts'"),
        (("a", 1.0), {"name": "b"}, "multiple values for argument 'name'"),
    ],
)
def test_wrong_arguments_fail_as_a_compiled_init_would(arguments, keywords, message):
    with pytest.raises(TypeError, match=message):
        Totals(*arguments, **keywords)


def test_a_class_without_a_docstring_is_refused():
    with pytest.raises(TypeError, match="needs a docstring"):

        @made_once
        class Undocumented:
            value: int
