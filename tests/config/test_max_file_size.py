"""``max-file-size``: bytes or a size with a unit, validated like every other key."""

from __future__ import annotations

import pytest

from ecolint.config import ConfigError, load_settings
from ecolint.config.sizes import format_size
from helpers import write


def settings_with(tmp_path, value: str):
    write(tmp_path / "pyproject.toml", f"[tool.ecolint]\nmax-file-size = {value}\n")
    return load_settings(start=tmp_path)


def test_the_default_limit_is_ten_mebibytes(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.ecolint]\n")
    assert load_settings(start=tmp_path).max_file_size == 10 * 2**20


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1234", 1234),
        ("'1234'", 1234),
        ("'1234 B'", 1234),
        ("'512kB'", 512_000),
        ("'10MB'", 10_000_000),
        ("'10 mb'", 10_000_000),
        ("'1.5 GB'", 1_500_000_000),
        ("'64KiB'", 64 * 1024),
        ("'10 MiB'", 10 * 2**20),
        ("'2GiB'", 2 * 2**30),
    ],
)
def test_a_size_is_read_in_bytes_or_with_a_unit(tmp_path, value, expected):
    assert settings_with(tmp_path, value).max_file_size == expected


@pytest.mark.parametrize("value", ["'ten megabytes'", "'10 MX'", "'MB'", "'-5MB'", "true", "1.5"])
def test_a_size_in_an_unknown_format_is_a_config_error(tmp_path, value):
    with pytest.raises(ConfigError, match="max-file-size"):
        settings_with(tmp_path, value)


@pytest.mark.parametrize("value", ["0", "-1", "'0MB'"])
def test_a_size_of_zero_or_less_is_a_config_error(tmp_path, value):
    with pytest.raises(ConfigError, match="more than 0 bytes"):
        settings_with(tmp_path, value)


@pytest.mark.parametrize(
    ("size", "text"),
    [(10 * 2**20, "10 MiB"), (20_000_000, "20 MB"), (3 * 1024, "3 KiB"), (1001, "1001 bytes")],
)
def test_a_limit_is_shown_in_the_unit_it_was_most_likely_written_in(size, text):
    assert format_size(size) == text
