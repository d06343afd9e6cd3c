"""Issue 14, item 3: the disk cache cannot be used to run code as the user.

* the kit creates the cache 0700 (key file 0600);
* a cache folder owned by someone else, or writable by group/others, is refused with a Dutch
  message and the render goes on without a cache;
* an entry the kit did not write itself (no valid signature: e.g. a pickle planted in the
  user's own cache) is never unpickled; a symlinked subfolder is refused.
"""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path

import jinja2.bccache
import pytest

ROOT = Path(__file__).resolve().parent.parent
VOORBEELD = ROOT / "choices" / "voorbeeld.yaml"


def render(cache: Path | str, uit: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, KIT_DEBUG="1", KIT_CACHE_DIR=str(cache))
    return subprocess.run(
        [sys.executable, "-m", "kit", "render", str(VOORBEELD), "-o", str(uit), "--no-pdf", "--force"],
        capture_output=True, text=True, env=env, cwd=cwd,
    )


class _Kwaad:
    def __init__(self, merk: Path):
        self.merk = merk

    def __reduce__(self):
        return (os.system, (f"touch {self.merk}",))


def _plant(map_: Path, merk: Path) -> int:
    """Overwrite every entry under ``map_`` with data that runs code when Jinja loads it."""
    n = 0
    for p in map_.rglob("*.jbc"):
        p.write_bytes(jinja2.bccache.bc_magic + pickle.dumps(_Kwaad(merk), 2))
        n += 1
    return n


def test_cache_wordt_0700_gemaakt(tmp_path):
    cache = tmp_path / "nieuw" / "cache"
    r = render(cache, tmp_path / "uit", tmp_path)
    assert r.returncode == 0, r.stderr
    mappen = [cache] + [p for p in cache.rglob("*") if p.is_dir()]
    assert len(mappen) >= 4
    for m in mappen:
        assert stat.S_IMODE(m.stat().st_mode) == 0o700, m
    assert stat.S_IMODE((cache / "sleutel").stat().st_mode) == 0o600
    assert list(cache.rglob("*.jbc")), "the cache is used"
    for p in cache.rglob("*.jbc"):
        assert not p.stat().st_mode & 0o077


def test_geplant_bestand_in_eigen_cache_wordt_nooit_geladen(tmp_path):
    cache = tmp_path / "cache"
    assert render(cache, tmp_path / "a", tmp_path).returncode == 0
    merk = tmp_path / "GEHACKT"
    # the kit's own templates come precompiled (kit/voorvertaald.py); the huisstijl's field
    # templates and a gemeente's own texts go through this cache
    assert _plant(cache, merk) >= 3
    r = render(cache, tmp_path / "b", tmp_path)
    assert r.returncode == 0, r.stderr
    assert not merk.exists()
    for doc in (tmp_path / "a" / "heuvelrode").glob("*.docx"):  # rebuilt, same bytes
        assert doc.read_bytes() == (tmp_path / "b" / "heuvelrode" / doc.name).read_bytes()


def test_cache_schrijfbaar_voor_anderen_wordt_geweigerd(tmp_path):
    cache = tmp_path / "gedeeld"
    cache.mkdir()
    os.chmod(cache, 0o777)
    r = render(cache, tmp_path / "uit", tmp_path)
    assert r.returncode == 0, r.stderr
    assert "cachemap" in r.stderr and str(cache) in r.stderr and "Traceback" not in r.stderr
    assert list(cache.iterdir()) == []  # nothing put in it
    from kit.render import DOCUMENTEN

    assert len(list((tmp_path / "uit" / "heuvelrode").glob("*.docx"))) == len(DOCUMENTEN)


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")
def test_cache_van_een_andere_gebruiker_wordt_geweigerd(tmp_path):
    cache = tmp_path / "vreemd"
    # the attacker pre-creates the cache with a planted entry at every place the kit would look
    assert render(cache, tmp_path / "a", tmp_path).returncode == 0
    merk = tmp_path / "GEHACKT"
    _plant(cache, merk)
    for p in [cache, *cache.rglob("*")]:
        os.chown(p, 65534, 65534, follow_symlinks=False)
    os.chmod(cache, 0o755)
    r = render(cache, tmp_path / "b", tmp_path)
    assert r.returncode == 0, r.stderr
    assert "cachemap" in r.stderr
    assert not merk.exists()


def test_symlink_als_submap_wordt_geweigerd(tmp_path):
    cache = tmp_path / "cache"
    assert render(cache, tmp_path / "a", tmp_path).returncode == 0
    (versie,) = [p for p in cache.iterdir() if p.is_dir()]
    elders = tmp_path / "elders"
    (versie / "jinja").rename(elders)
    (versie / "jinja").symlink_to(elders)
    merk = tmp_path / "GEHACKT"
    _plant(elders, merk)
    r = render(cache, tmp_path / "b", tmp_path)
    assert r.returncode == 0, r.stderr
    assert not merk.exists()
    assert "cachemap" in r.stderr


def test_geen_cache_bij_0(tmp_path):
    r = render("0", tmp_path / "uit", tmp_path)
    assert r.returncode == 0 and "cachemap" not in r.stderr
