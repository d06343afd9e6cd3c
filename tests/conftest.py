"""Shared test setup.

* ``@pytest.mark.libreoffice`` tests need ``soffice``: skipped locally when it is absent, but
  with ``KIT_REQUIRE_LIBREOFFICE=1`` (CI) a missing LibreOffice is a failure, not a skip.
* Every test session uses its own disk cache (``KIT_CACHE_DIR``), so tests never read or
  write the user's cache.
"""

from __future__ import annotations

import os
import shutil

import pytest


def _libreoffice() -> bool:
    return bool(shutil.which("soffice") or shutil.which("libreoffice"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "libreoffice: needs soffice (skipped locally when absent, required in CI)")


@pytest.fixture(scope="session", autouse=True)
def _kit_cache(tmp_path_factory: pytest.TempPathFactory):
    oud = os.environ.get("KIT_CACHE_DIR")
    os.environ["KIT_CACHE_DIR"] = str(tmp_path_factory.mktemp("kit-cache"))
    yield
    if oud is None:
        os.environ.pop("KIT_CACHE_DIR", None)
    else:
        os.environ["KIT_CACHE_DIR"] = oud


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("libreoffice") is None or _libreoffice():
        return
    if os.environ.get("KIT_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail("KIT_REQUIRE_LIBREOFFICE=1, maar LibreOffice (soffice) is niet gevonden", pytrace=False)
    pytest.skip("LibreOffice (soffice) niet gevonden")
