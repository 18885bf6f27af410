"""The public API is small, sorted and complete (httpx's test_exported_members)."""

from __future__ import annotations

import types

import communique


def test_all_is_sorted() -> None:
    assert communique.__all__ == sorted(communique.__all__)


def test_all_is_complete() -> None:
    # Everything public at the package's top level, less its submodules and the
    # helpers its own imports bring in, is listed in __all__, and nothing more.
    imported_helpers = {"version", "PackageNotFoundError"}
    public = {
        name
        for name, value in vars(communique).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name not in imported_helpers
    }
    assert public == set(communique.__all__) - {"__version__"}
    for name in communique.__all__:
        assert hasattr(communique, name), name
