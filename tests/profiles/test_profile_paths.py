"""Mapping the paths a profile recorded onto the linted tree (ecolint.profiles.paths)."""

from __future__ import annotations

from pathlib import Path

from ecolint.profiles.paths import PathMap
from helpers import write


def tree(root: Path, *names: str) -> list[str]:
    return [str(write(root / name, "x = 1\n")) for name in names]


def test_py_spys_short_path_matches_by_suffix(tmp_path):
    (cart,) = tree(tmp_path, "src/shop/cart.py")
    assert PathMap(tmp_path, [cart]).lookup("shop/cart.py") == cart


def test_a_container_path_matches_by_suffix_without_a_root(tmp_path):
    (cart,) = tree(tmp_path, "src/shop/cart.py")
    assert PathMap(tmp_path, [cart]).lookup("/app/src/shop/cart.py") == cart


def test_the_recorded_root_is_stripped_and_other_absolute_paths_ignored(tmp_path):
    cart, util = tree(tmp_path, "src/shop/cart.py", "json/util.py")
    paths = PathMap(tmp_path, [cart, util], recorded_roots=["/app"])
    assert paths.lookup("/app/src/shop/cart.py") == cart
    assert paths.lookup("/usr/lib/python3.11/json/util.py") is None


def test_a_linted_file_named_by_its_absolute_path_is_itself(tmp_path):
    (cart,) = tree(tmp_path, "shop/cart.py")
    absolute = str((tmp_path / "shop/cart.py").resolve())
    assert PathMap(tmp_path, [cart], recorded_roots=["/app"]).lookup(absolute) == cart


def test_installed_packages_and_frozen_modules_are_ignored(tmp_path):
    (api,) = tree(tmp_path, "requests/api.py")
    paths = PathMap(tmp_path, [api])
    assert paths.lookup("/venv/lib/python3.11/site-packages/requests/api.py") is None
    assert paths.lookup("/usr/lib/python3/dist-packages/requests/api.py") is None
    assert paths.lookup("<frozen importlib._bootstrap>") is None


def test_the_longest_suffix_wins_and_a_tie_maps_nowhere(tmp_path):
    a, b = tree(tmp_path, "a/utils.py", "b/utils.py")
    paths = PathMap(tmp_path, [a, b])
    assert paths.lookup("/srv/project/b/utils.py") == b
    assert paths.lookup("utils.py") is None


def test_whole_folder_names_only(tmp_path):
    (cart,) = tree(tmp_path, "shop/cart.py")
    assert PathMap(tmp_path, [cart]).lookup("/app/myshop/cart.py") is None


def test_windows_paths_match_too(tmp_path):
    (cart,) = tree(tmp_path, "src/shop/cart.py")
    paths = PathMap(tmp_path, [cart], recorded_roots=["C:\\work\\proj"])
    assert paths.lookup("C:\\work\\proj\\src\\shop\\cart.py") == cart
