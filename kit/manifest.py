"""``manifest.json`` per output folder, overwrite protection and atomic writes.

The manifest records the kit version, every input file read (sha256) and every output the kit
wrote (name, sha256, size). Before a render writes anything it compares each existing output
with the manifest: a file changed since the kit wrote it (a reviewer's comments), or a file
the manifest does not know, is *not* overwritten (``WouldOverwrite``, exit 3) unless
``force``. The check covers all files first; nothing is written when one would be refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Iterable, Mapping

from kit import __version__
from kit.berichten import bericht
from kit.errors import WouldOverwrite
from kit.paden import KIT, SJABLONEN

NAAM = "manifest.json"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_bestand(pad: Path) -> str:
    h = hashlib.sha256()
    with open(pad, "rb") as f:
        for blok in iter(lambda: f.read(1 << 20), b""):
            h.update(blok)
    return h.hexdigest()


def schrijf_atomisch(pad: Path | str, data: bytes, fsync_map: bool = True) -> None:
    """Write ``data`` to ``pad`` via a temp file in the same folder (fsync, rename).

    The temp file is removed on any error, so no ``.kit-*.tmp`` is ever left behind.
    ``fsync_map=False``: the caller fsyncs the folder itself, once after several files.
    """
    pad = Path(pad)
    pad.parent.mkdir(parents=True, exist_ok=True)
    fd, tijdelijk = tempfile.mkstemp(dir=pad.parent, prefix=f".{pad.name}.", suffix=".kit-tmp")
    try:
        os.chmod(tijdelijk, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tijdelijk, pad)
    except BaseException:
        try:
            os.unlink(tijdelijk)
        except FileNotFoundError:
            pass
        raise
    if fsync_map:
        _fsync_map(pad.parent)


def schrijf_nieuw(pad: Path | str, data: bytes) -> None:
    """Create ``pad`` atomically and never replace it: ``FileExistsError`` if it exists,
    also when another process creates it between a check and this write.

    A temp file in the same folder is linked into place (``os.link`` fails on an existing
    target); on file systems without hard links: check, then rename. The temp file never stays.
    """
    pad = Path(pad)
    fd, tijdelijk = tempfile.mkstemp(dir=pad.parent, prefix=f".{pad.name}.", suffix=".kit-tmp")
    try:
        os.chmod(tijdelijk, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tijdelijk, pad)
        except FileExistsError:
            raise
        except OSError:
            if pad.exists():
                raise FileExistsError(str(pad)) from None
            os.replace(tijdelijk, pad)
    finally:
        if os.path.exists(tijdelijk):
            os.unlink(tijdelijk)


def _umask() -> int:
    huidig = os.umask(0)
    os.umask(huidig)
    return huidig


def verplaats_atomisch(bron: Path, doel: Path) -> None:
    """Move a finished file (same file system) into place."""
    with open(bron, "rb") as f:
        os.fsync(f.fileno())
    os.replace(bron, doel)
    _fsync_map(doel.parent)


def _fsync_map(map_: Path) -> None:
    try:
        fd = os.open(map_, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _relatief(pad: Path) -> str:
    cwd = os.getcwd()
    sleutel = (os.fspath(pad), cwd)
    if sleutel not in _RELATIEF:  # resolve() is slow; kit batch asks the same ~70 paths per gemeente
        opgelost = Path(pad).resolve()
        try:
            _RELATIEF[sleutel] = opgelost.relative_to(Path(cwd).resolve()).as_posix()
        except ValueError:
            _RELATIEF[sleutel] = opgelost.as_posix()
    return _RELATIEF[sleutel]


_RELATIEF: dict[tuple[str, str], str] = {}
_INVOER_HASH: dict[tuple, str] = {}


_KIT_MAPPEN = tuple(os.path.abspath(m) + os.sep for m in (KIT, SJABLONEN))


def _sha256_invoer(pad: Path) -> str:
    """sha256 of an input file; the kit's own templates and tables are hashed once per process
    (while inode, size and mtime stay), a user's files every time."""
    if not os.path.abspath(pad).startswith(_KIT_MAPPEN):
        return sha256_bestand(pad)
    st = os.stat(pad)
    sleutel = (os.fspath(pad), st.st_ino, st.st_size, st.st_mtime_ns)
    if sleutel not in _INVOER_HASH:
        _INVOER_HASH[sleutel] = sha256_bestand(pad)
    return _INVOER_HASH[sleutel]


class Manifest:
    """The manifest of one output folder."""

    def __init__(self, map_: Path | str):
        self.map = Path(map_)
        self.pad = self.map / NAAM
        self.uitvoer: dict[str, dict] = {}
        self.leesbaar = True
        if self.pad.is_file():
            try:
                data = json.loads(self.pad.read_text(encoding="utf-8"))
                for item in data.get("outputs", []):
                    self.uitvoer[str(item["name"])] = dict(item)
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self.leesbaar = False
                self.uitvoer = {}

    def gewijzigd(self, naam: str) -> bool:
        """True if ``naam`` exists in the folder and is not byte-for-byte what the kit wrote."""
        pad = self.map / naam
        if not pad.exists():
            return False
        bekend = self.uitvoer.get(naam)
        if bekend is None or not pad.is_file():
            return True
        return sha256_bestand(pad) != bekend.get("sha256")

    def controleer(self, namen: Iterable[str], force: bool = False) -> None:
        """Raise ``WouldOverwrite`` naming every file that would be overwritten against its will."""
        if force:
            return
        geweigerd = [self.map / n for n in namen if self.gewijzigd(n)]
        if geweigerd:
            regels = [bericht("render.overschrijven")]
            regels += [bericht("render.overschrijven_regel", pad=p) for p in geweigerd]
            raise WouldOverwrite("\n".join(regels), paths=geweigerd)

    def registreer(self, naam: str, data: bytes | None = None, pad: Path | None = None) -> None:
        if data is not None:
            self.uitvoer[naam] = {"name": naam, "sha256": sha256_bytes(data), "size": len(data)}
        else:
            p = pad or (self.map / naam)
            self.uitvoer[naam] = {"name": naam, "sha256": sha256_bestand(p), "size": p.stat().st_size}

    def schrijf(self, invoer: Iterable[Path]) -> None:
        """Write manifest.json (atomically). Outputs that no longer exist are dropped."""
        uit = [self.uitvoer[n] for n in sorted(self.uitvoer) if (self.map / n).is_file()]
        gezien: set[str] = set()
        inputs = []
        for p in invoer:
            naam = _relatief(p)
            if naam in gezien or not Path(p).is_file():
                continue
            gezien.add(naam)
            inputs.append({"path": naam, "sha256": _sha256_invoer(Path(p))})
        data = {"kit_version": __version__, "inputs": inputs, "outputs": uit}
        tekst = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        schrijf_atomisch(self.pad, tekst.encode("utf-8"))


def schrijf_alles(map_: Path, bestanden: Mapping[str, bytes], manifest: Manifest) -> list[Path]:
    """Write every file atomically and register it in ``manifest`` (not yet saved)."""
    geschreven = []
    try:
        for naam, data in bestanden.items():
            pad = map_ / naam
            schrijf_atomisch(pad, data, fsync_map=False)
            manifest.registreer(naam, data)
            geschreven.append(pad)
    finally:  # the renames made durable with one folder fsync, not one per file
        if geschreven:
            _fsync_map(map_)
    return geschreven
