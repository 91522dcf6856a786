"""The CPU-time model: its coefficient and the source of that coefficient."""

from __future__ import annotations

import pytest

from ecolint.energy.meters import (
    DEFAULT_WATTS_PER_THREAD,
    cpu_time_model,
    package_zones,
    tdp_watts,
)

pytest.importorskip("codecarbon", reason="pip install 'ecolint[energy]'")


def test_a_cpu_in_codecarbons_table_gets_its_tdp_shared_over_its_threads():
    model = cpu_time_model(brand="Intel(R) Core(TM) i7-8700K", threads=12)
    assert tdp_watts("Intel Core i7-8700K") is not None
    assert model.watts_per_thread == pytest.approx(tdp_watts("Intel Core i7-8700K") / 12)
    assert model.source.startswith("codecarbon cpu_power.csv: Intel(R) Core(TM) i7-8700K TDP")


def test_an_unknown_cpu_gets_codecarbons_default_and_says_so():
    model = cpu_time_model(brand="AMD EPYC", threads=2)
    assert model.watts_per_thread == DEFAULT_WATTS_PER_THREAD
    assert "unrecognised CPU" in model.source


def test_configured_watts_win_and_must_be_positive():
    assert cpu_time_model(2.5, brand="Intel Core i7-8700K").watts_per_thread == 2.5
    with pytest.raises(ValueError, match="positive"):
        cpu_time_model(0)


def test_the_uncertainty_range_spans_the_published_models():
    low, high = cpu_time_model(brand="AMD EPYC").joules_range(10.0)
    assert low < high and high == 10.0 * DEFAULT_WATTS_PER_THREAD


def test_the_tdp_lookup_matches_a_whole_model_name_not_a_line_that_merely_contains_it(
    tmp_path,
):
    table = tmp_path / "cpu_power.csv"
    table.write_text(
        "Name,TDP\nXeon Gold 6130F,125\nIntel Xeon Gold 6130 Extra,150\n"
        "Intel  Xeon Gold 6130 , 140\n"
    )
    assert tdp_watts("Intel(R) Xeon(R) Gold 6130", table) == 140.0
    assert tdp_watts("Intel Xeon Gold 6131", table) is None
    assert tdp_watts("   ", table) is None


def test_only_top_level_packages_are_added_up_not_their_subzones_nor_psys(tmp_path):
    """The layout of /sys/class/powercap on a two-socket machine with a psys zone: the
    cores, uncore and DRAM subzones are inside their package's energy, psys holds all."""
    for zone, name in [
        ("intel-rapl:0", "package-0"),
        ("intel-rapl:0:0", "core"),
        ("intel-rapl:0:1", "uncore"),
        ("intel-rapl:0:2", "dram"),
        ("intel-rapl:1", "package-1"),
        ("intel-rapl:1:0", "core"),
        ("intel-rapl:2", "psys"),
    ]:
        (tmp_path / zone).mkdir()
        (tmp_path / zone / "name").write_text(name + "\n")
    zones = [path.rsplit("/", 1)[1] for path in package_zones(str(tmp_path))]
    assert zones == ["intel-rapl:0", "intel-rapl:1"]
