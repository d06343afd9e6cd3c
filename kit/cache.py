"""The disk cache for derived data (compiled templates, prepared huisstijl, chart PNGs).

``$KIT_CACHE_DIR`` (empty or ``0``: no cache), else ``$XDG_CACHE_HOME/inburgeringskit`` or
``~/.cache/inburgeringskit``. Entries are keyed by the content they derive from, so a stale
entry is never used.

Security (issue 14): Jinja's bytecode cache unpickles and runs what it reads, so whoever can
write the cache can run code as the user. Therefore

* the kit creates the cache folder (and every folder under it) with mode 0700 and uses a
  folder only when it is a real folder owned by the user and not writable by group or others;
  otherwise it says so (once, in Dutch, on stderr) and renders without a cache;
* every entry is signed: HMAC-SHA256 with a random key that only the user can read
  (``sleutel``, mode 0600, in the cache root), over the entry's name and bytes. An entry is
  read only through :func:`lees`: opened without following a symlink, a regular file owned by
  the user, not writable by others, and with a valid signature. Anything else is ignored (and
  rebuilt), so nothing is unpickled that this user's kit did not write itself;
* entries are written through a temp file (0600) and a rename: a reader never sees half an entry.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import jinja2

SLEUTEL = "sleutel"
#: an entry larger than this is not a cache entry of the kit (never read)
MAX_ENTRY = 64 * 1024 * 1024
_GEMELD: set[str] = set()


def cache_map(deel: str) -> Path | None:
    """The cache folder for ``deel`` (``jinja``, ``huisstijl``, ``grafieken``), or None (no cache)."""
    basis = _basis()
    if basis is None:
        return None
    wortel = _veilige_wortel(str(basis))
    if wortel is None:
        return None
    from kit import __version__

    map_ = wortel / f"{__version__}-{_codeversie()}" / deel
    return map_ if _veilige_submap(wortel, map_) else None


def _basis() -> Path | None:
    waarde = os.environ.get("KIT_CACHE_DIR")
    if waarde is not None and waarde.strip() in ("", "0"):
        return None
    if waarde:
        return Path(waarde)
    xdg = os.environ.get("XDG_CACHE_HOME")
    try:
        return (Path(xdg) if xdg else Path.home() / ".cache") / "inburgeringskit"
    except RuntimeError:  # no home folder: no cache
        return None


def _eigen_map(st: os.stat_result) -> bool:
    """A folder owned by this user that nobody else can write."""
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid() and not st.st_mode & 0o022


def _meld(sleutel: str, pad: Path | str) -> None:  # noqa: D401
    """A Dutch note on stderr, once per process and folder."""
    from kit.berichten import bericht

    if f"{sleutel}:{pad}" in _GEMELD:
        return
    _GEMELD.add(f"{sleutel}:{pad}")
    try:
        print(bericht(sleutel, pad=pad), file=sys.stderr)
    except (OSError, ValueError):
        pass


@lru_cache(maxsize=8)
def _veilige_wortel(basis: str) -> Path | None:
    """The cache root, created 0700 when missing; None (with a note) when it is not safe."""
    try:
        os.makedirs(basis, mode=0o700, exist_ok=True)
        echt = Path(os.path.realpath(basis))  # from here on the resolved path: a link swapped later does not count
        st = os.stat(echt)
    except (OSError, ValueError):  # cannot be made (read-only home, a file in the way): no cache
        return None
    if not _eigen_map(st):
        _meld("render.cache_onveilig", basis)
        return None
    return echt


def _veilige_submap(wortel: Path, map_: Path) -> bool:
    """Create the folders from ``wortel`` down to ``map_`` (0700); each must be ours and closed."""
    huidig = wortel
    for deel in map_.relative_to(wortel).parts:
        huidig = huidig / deel
        try:
            os.mkdir(huidig, 0o700)
        except FileExistsError:
            pass
        except OSError:
            return False
        try:
            st = os.lstat(huidig)
        except OSError:
            return False
        if not _eigen_map(st):  # also a symlink (lstat): not a folder
            _meld("render.cache_onveilig", huidig)
            return False
    return True


@lru_cache(maxsize=1)
def _codeversie() -> str:
    """Changes whenever the code that compiles templates changes (invalidates the cache):
    the Jinja version and the modules that configure the environments (options such as
    ``finalize`` are compiled into the bytecode, but are not part of Jinja's cache key)."""
    h = hashlib.sha256(jinja2.__version__.encode())
    kit = Path(__file__).resolve().parent
    for naam in ("templating.py", "docx_writer.py", "cache.py"):
        try:
            h.update((kit / naam).read_bytes())
        except OSError:
            h.update(naam.encode())
    return h.hexdigest()[:12]


@lru_cache(maxsize=8)
def _sleutel(wortel: Path) -> bytes | None:
    """The HMAC key of this cache: made once (random, 0600), afterwards only read when it is
    a regular file of this user that nobody else can read or write."""
    pad = wortel / SLEUTEL
    for _ in range(2):
        try:
            fd = os.open(pad, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)  # a FIFO must not block
        except FileNotFoundError:
            try:
                fd_t, tijdelijk = tempfile.mkstemp(dir=wortel, prefix=".sleutel.")
                with os.fdopen(fd_t, "wb") as f:
                    f.write(os.urandom(32))
                try:
                    os.link(tijdelijk, pad)  # never replaces: two processes agree on one key
                except FileExistsError:
                    pass
                finally:
                    os.unlink(tijdelijk)
            except OSError:
                return None
            continue
        except OSError:
            return None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o077 or st.st_size != 32:
                _meld("render.cache_onveilig", pad)
                return None
            return os.read(fd, 32)
        finally:
            os.close(fd)
    return None


def _handtekening(sleutel: bytes, naam: str, data: bytes) -> bytes:
    return hmac.new(sleutel, naam.encode("utf-8") + b"\0" + data, hashlib.sha256).digest()


def _wortel_van(map_: Path) -> Path:
    """The cache root of a folder from :func:`cache_map` (``root/<version>/<deel>``)."""
    return map_.parent.parent


def lees(map_: Path | None, naam: str) -> bytes | None:
    """The bytes of entry ``naam`` in ``map_`` (from :func:`cache_map`), or None when the entry
    is missing or not provably written by this user's kit (then the caller rebuilds it)."""
    if map_ is None:
        return None
    sleutel = _sleutel(_wortel_van(map_))
    if sleutel is None:
        return None
    try:
        fd = os.open(map_ / naam, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)  # a FIFO must not block
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o022 or st.st_size > MAX_ENTRY:
            return None
        with os.fdopen(os.dup(fd), "rb") as f:
            inhoud = f.read(MAX_ENTRY + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    tag, data = inhoud[:32], inhoud[32:]
    if len(tag) != 32 or not hmac.compare_digest(tag, _handtekening(sleutel, naam, data)):
        return None
    return data


def schrijf(map_: Path | None, naam: str, data: bytes) -> None:
    """Store entry ``naam`` (signed, 0600, atomically). A cache that cannot be written is skipped."""
    if map_ is None:
        return
    sleutel = _sleutel(_wortel_van(map_))
    if sleutel is None:
        return
    try:
        fd, tijdelijk = tempfile.mkstemp(dir=map_, prefix=f".{naam}.", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_handtekening(sleutel, naam, data) + data)
        os.replace(tijdelijk, map_ / naam)
    except OSError:
        try:
            os.unlink(tijdelijk)
        except OSError:
            pass


class BytecodeCache(jinja2.BytecodeCache):
    """Jinja's compiled templates in the kit cache: read only through :func:`lees`, so the
    pickle/marshal data Jinja loads is always data this user's kit wrote.

    ``soort`` names the environment class: Jinja keys an entry by template name, file and
    source only, but the code differs per environment (the sandbox's budget hooks), so the kit's
    trusted and sandboxed environments must never load each other's code."""

    def __init__(self, map_: Path, soort: str = ""):
        self.map = map_
        self.voorvoegsel = f"{soort}-" if soort else ""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = lees(self.map, f"{self.voorvoegsel}{bucket.key}.jbc")
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        schrijf(self.map, f"{self.voorvoegsel}{bucket.key}.jbc", bucket.bytecode_to_string())


def bytecode_cache(soort: str = "") -> BytecodeCache | None:
    """The bytecode cache for environments of class ``soort`` (its ``__qualname__``)."""
    map_ = cache_map("jinja")
    return BytecodeCache(map_, soort) if map_ else None
