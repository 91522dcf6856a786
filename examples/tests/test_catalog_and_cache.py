import pytest

from shopstats.cache import ReportCache, TTLCache
from shopstats.catalog import load_catalog, most_expensive, normalise_sku

CATALOG_CSV = """sku,name,category,price,tags
acme_1 ,Frying pan,cookware,39.90,steel|induction
# discontinued
ACME--2,Stock pot,cookware,54.00,
zen 7,Wool rug,rugs,120.00,wool

"""


@pytest.fixture
def catalog(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text(CATALOG_CSV, encoding="utf-8")
    return load_catalog(path)


def test_load_catalog_normalises_skus_and_skips_comments(catalog):
    assert sorted(catalog) == ["ACME-1", "ACME-2", "ZEN7"]
    assert catalog["ACME-1"].tags == ("steel", "induction")
    assert catalog["ACME-2"].tags == ()
    assert most_expensive(catalog).name == "Wool rug"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(" acme_1 ", "ACME-1"), ("ACME--2", "ACME-2"), ("-zen-7-", "ZEN-7"), ("", "")],
)
def test_normalise_sku(raw, expected):
    assert normalise_sku(raw) == expected


def test_ttl_cache_evicts_the_least_recently_used_entry():
    cache = TTLCache(maxsize=2, ttl=60)
    cache.set("a", 1)
    cache.set("b", 2)
    assert cache.get("a") == 1  # "b" is now the least recently used
    cache.set("c", 3)
    assert len(cache) == 2
    assert cache.get("b") is None and cache.get("c") == 3


def test_expired_entries_are_dropped():
    cache = TTLCache(maxsize=10, ttl=-1)  # every entry is already stale
    cache.set("a", 1)
    cache.set("b", 2)
    assert cache.purge_expired() == 2
    cache.set("c", 3)
    assert cache.get("c", "gone") == "gone"


def test_report_cache_lists_its_keys():
    cache = ReportCache(maxsize=500, ttl=60)
    for day in range(400):
        cache.set(("berlin", f"2024-05-{day:03d}"), "report")
    index = cache.rendered_index().splitlines()
    assert len(index) == 400 and index[0] == "berlin/2024-05-000"
