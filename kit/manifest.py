"""``manifest.json`` per output folder, overwrite protection and atomic writes.

The manifest records the kit version, every input file read (sha256) and every output the kit
wrote (name, sha256, size). Before a render writes anything it compares each existing output
with the manifest: a file changed since the kit wrote it (a reviewer's comments), or a file
the manifest does not know, is *not* overwritten (``WouldOverwrite``, exit 3) unless
``force``. The check covers all files first; nothing is written when one would be refused.

Integrity (issue 14):

* **Never behind the disk.** :func:`schrijf_alles` writes every file to a temp file first,
  then records its intent in the manifest (``"bezig"``: name, sha256, size of each file about
  to be renamed), then renames, then the caller writes the final manifest. A run killed at any
  point leaves files whose hash the manifest knows (old or new), so the next run trusts them.
* **Checked again just before each rename** (:meth:`Manifest.plaats`): a file changed since
  the first check (a PDF edited during a minutes-long conversion), or open in an editor
  (LibreOffice ``.~lock.<name>#``, Word ``~$<name>``), is not replaced: the new file is kept
  aside as ``<name>.nieuw.<ext>`` and the run ends with exit 3.
* **One run per folder** (:func:`map_slot`): an exclusive lock on the output folder from the
  check until the manifest is written; a second run waits (``KIT_WACHTTIJD`` seconds, default
  60) and then refuses (exit 3).
* **Leftovers** of a killed run (``.kit-tmp`` files, ``.kit-pdf-*`` folders, LibreOffice
  profiles) are removed by the next run (:func:`ruim_resten_op`, :func:`ruim_oude_mappen_op`).
* **Output paths** are checked before anything is written (:func:`controleer_uitvoer`):
  ``-o`` a file, a dangling symlink or a folder that cannot be written, the gemeente's folder
  being a file, ``manifest.json`` being a folder; OS errors while writing (a full disk) become
  a Dutch message (:func:`schrijffout`, exit 2).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from kit import __version__
from kit.berichten import bericht
from kit.errors import KitError, WouldOverwrite
from kit.paden import KIT, SJABLONEN
from kit.notatie import getal

NAAM = "manifest.json"
#: suffix of the temp files of :func:`schrijf_atomisch` (``.<name>.<random>.kit-tmp``)
TMP_SUFFIX = ".kit-tmp"
#: marker file inside a kit temp folder that is locked while in use (see :func:`tijdelijke_map`)
SLOT_MERK = ".kit-slot"
WACHTTIJD = 60.0
#: a manifest.json larger than this was not written by the kit (read as unreadable, never whole)
MAX_MANIFEST = 64 * 1024 * 1024


class SchrijfFout(KitError):
    """The output cannot be written (a file in the way, no rights, a full disk): exit 2."""

    exit_code = 2


class MapBezet(WouldOverwrite):
    """Another kit run holds the output folder (exit 3)."""


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
    tijdelijk = _schrijf_tijdelijk(pad, data)
    try:
        os.replace(tijdelijk, pad)
    except BaseException:
        _weg(tijdelijk)
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
    tijdelijk = _schrijf_tijdelijk(pad, data)
    try:
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


def _weg(pad: Path | str) -> None:
    """Remove a temp file of the kit's own; gone already is fine."""
    try:
        os.unlink(pad)
    except FileNotFoundError:
        pass


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


def _sha256_invoer(pad: Path) -> str | None:
    """sha256 of an input file, None when it is not a regular file (any more); the kit's own
    templates and tables are hashed once per process (while inode, size and mtime stay), a
    user's files every time."""
    try:
        st = os.stat(pad)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    if not os.path.abspath(pad).startswith(_KIT_MAPPEN):
        return sha256_bestand(pad)
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
        self.bezig: dict[str, dict] = {}  # intent recorded by an earlier (interrupted) run
        self.inputs: list[dict] = []      # the inputs as recorded (kept when no new ones are given)
        self.opzij: list[tuple[Path, Path]] = []  # (refused target, new file kept aside) of plaats()
        self.voorgenomen = False  # an intent was written: the final manifest must follow
        self.leesbaar = True
        if os.path.lexists(self.pad) and not self.pad.is_file():
            raise SchrijfFout(bericht("render.manifest_geen_bestand", pad=self.pad))
        if self.pad.is_file():
            try:
                if self.pad.stat().st_size > MAX_MANIFEST:
                    raise ValueError("te groot")
                data = json.loads(self.pad.read_text(encoding="utf-8"))
                for item in data.get("outputs", []):
                    self.uitvoer[str(item["name"])] = dict(item)
                for item in data.get("bezig", []):
                    self.bezig[str(item["name"])] = dict(item)
                self.inputs = [dict(i) for i in data.get("inputs", []) if isinstance(i, dict)]
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self.leesbaar = False
                self.uitvoer = {}
                self.bezig = {}

    def gewijzigd(self, naam: str) -> bool:
        """True if ``naam`` exists in the folder and is not byte-for-byte what the kit wrote
        (the last recorded output, or a file an interrupted run was about to put there)."""
        pad = self.map / naam
        if not os.path.lexists(pad):
            return False
        bekend = [h for h in (self.uitvoer.get(naam, {}).get("sha256"), self.bezig.get(naam, {}).get("sha256")) if h]
        if not bekend or pad.is_symlink() or not pad.is_file():
            return True
        return sha256_bestand(pad) not in bekend

    def geopend(self, naam: str) -> Path | None:
        """The lock file of an editor that has ``naam`` open (LibreOffice, Word), or None."""
        for kandidaat in (f".~lock.{naam}#", f"~${naam}", f"~${naam[2:]}" if len(naam) > 2 else ""):
            if kandidaat and os.path.lexists(self.map / kandidaat):
                return self.map / kandidaat
        return None

    def controleer(self, namen: Iterable[str], force: bool = False) -> None:
        """Raise ``WouldOverwrite`` naming every file that would be overwritten against its will:
        changed since the kit wrote it (unless ``force``), or open in an editor (always)."""
        regels = []
        for n in namen:
            slot = self.geopend(n)
            if slot is not None:
                regels.append(bericht("render.geopend_regel", pad=self.map / n, slot=slot))
        geweigerd = [] if force else [self.map / n for n in namen if self.gewijzigd(n)]
        if geweigerd or regels:
            tekst = []
            if geweigerd:
                tekst += [bericht("render.overschrijven")] + [bericht("render.overschrijven_regel", pad=p) for p in geweigerd]
            if regels:
                tekst += [bericht("render.geopend")] + regels
            raise WouldOverwrite("\n".join(tekst), paths=geweigerd + [self.map / n for n in namen if self.geopend(n)])

    def registreer(self, naam: str, data: bytes | None = None, pad: Path | None = None) -> None:
        if data is not None:
            self.uitvoer[naam] = {"name": naam, "sha256": sha256_bytes(data), "size": len(data)}
        else:
            p = pad or (self.map / naam)
            self.uitvoer[naam] = {"name": naam, "sha256": sha256_bestand(p), "size": p.stat().st_size}

    def voornemen(self, bestanden: Mapping[str, Path], inhoud: Mapping[str, bytes] | None = None) -> None:
        """Record, before renaming, which files are about to be put in place (name → temp file):
        whatever happens next, the manifest on disk knows both the old and the new bytes.
        ``inhoud``: the bytes just written to those temp files (hashed here, not read back)."""
        for naam, tijdelijk in bestanden.items():
            data = inhoud.get(naam) if inhoud is not None else None
            if data is not None:
                self.bezig[naam] = {"name": naam, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            else:
                self.bezig[naam] = {"name": naam, "sha256": sha256_bestand(tijdelijk), "size": tijdelijk.stat().st_size}
        self._schrijf(None, bezig=True)
        self.voorgenomen = True

    def plaats(self, tijdelijk: Path, naam: str, force: bool = False) -> Path | None:
        """Move a finished temp file to ``naam`` after checking once more that the file there
        is still the kit's own and not open in an editor. Returns the path written, or None when
        it was refused: then the new file is kept aside (:attr:`opzij`) and not registered."""
        doel = self.map / naam
        if self.geopend(naam) is not None or (not force and self.gewijzigd(naam)):
            opzij = _vrije_naam(self.map, naam)
            os.replace(tijdelijk, opzij)
            self.opzij.append((doel, opzij))
            return None
        os.replace(tijdelijk, doel)
        self.uitvoer[naam] = dict(self.bezig.get(naam) or {}) or {"name": naam, "sha256": sha256_bestand(doel), "size": doel.stat().st_size}
        return doel

    def weigering(self) -> WouldOverwrite | None:
        """The exit-3 error for files kept aside by :meth:`plaats`, or None."""
        if not self.opzij:
            return None
        regels = [bericht("render.opzij")] + [bericht("render.opzij_regel", doel=d, nieuw=n) for d, n in self.opzij]
        return WouldOverwrite("\n".join(regels), paths=[d for d, _ in self.opzij])

    def schrijf(self, invoer: Iterable[Path] | None) -> None:
        """Write manifest.json (atomically). Outputs that no longer exist are dropped.
        ``invoer`` None: keep the inputs as recorded (e.g. when only PDFs were added).
        A file an interrupted run had put in place (its intent, ``bezig``) is the kit's own."""
        for naam, item in self.bezig.items():
            pad = self.map / naam
            if naam not in self.uitvoer or self.uitvoer[naam].get("sha256") != item.get("sha256"):
                if pad.is_file() and not pad.is_symlink() and sha256_bestand(pad) == item.get("sha256"):
                    self.uitvoer[naam] = dict(item)
        self.bezig = {}
        self._schrijf(invoer)

    def _schrijf(self, invoer: Iterable[Path] | None, bezig: bool = False) -> None:
        uit = [self.uitvoer[n] for n in sorted(self.uitvoer) if (self.map / n).is_file()]
        if invoer is not None:
            gezien: set[str] = set()
            inputs = []
            for p in invoer:
                naam = _relatief(p)
                if naam in gezien:
                    continue
                som = _sha256_invoer(Path(p))
                if som is None:
                    continue
                gezien.add(naam)
                inputs.append({"path": naam, "sha256": som})
            self.inputs = inputs
        data = {"kit_version": __version__, "inputs": self.inputs, "outputs": uit}
        if bezig and self.bezig:
            data["bezig"] = [self.bezig[n] for n in sorted(self.bezig)]
        schrijf_atomisch(self.pad, _json_tekst(data).encode("utf-8"))


def _json_tekst(data: Mapping[str, object]) -> str:
    """The manifest as JSON, a line per key and per list item (one input, one output). Python's
    JSON encoder is written in C only for output without indentation: each item is encoded in
    one piece, ~5× faster than ``indent=2`` and as easy to read and to diff."""
    regels = []
    for sleutel, waarde in data.items():
        naam = json.dumps(sleutel, ensure_ascii=False)
        if isinstance(waarde, list) and waarde:
            items = ",\n".join("    " + json.dumps(w, ensure_ascii=False) for w in waarde)
            regels.append(f"  {naam}: [\n{items}\n  ]")
        else:
            regels.append(f"  {naam}: {json.dumps(waarde, ensure_ascii=False)}")
    return "{\n" + ",\n".join(regels) + "\n}\n"


def _vrije_naam(map_: Path, naam: str) -> Path:
    """``verordening.nieuw.pdf`` (or ``.nieuw-2.pdf``, …): a name that does not exist yet."""
    stam, punt, ext = naam.rpartition(".")
    if not punt:
        stam, ext = naam, ""
    for i in range(1, 1000):
        kandidaat = map_ / (f"{stam}.nieuw{'' if i == 1 else f'-{i}'}" + (f".{ext}" if ext else ""))
        if not os.path.lexists(kandidaat):
            return kandidaat
    raise SchrijfFout(bericht("render.opzij_vol", pad=map_ / naam))


def schrijf_alles(
    map_: Path, bestanden: Mapping[str, bytes], manifest: Manifest, force: bool = False, weiger: bool = True,
) -> list[Path]:
    """Write every file and register it in ``manifest`` (the final manifest is the caller's).

    1. every file to a temp file in ``map_`` (fsync): a full disk stops here, nothing replaced;
    2. the intent in the manifest (:meth:`Manifest.voornemen`);
    3. each rename after a last check (:meth:`Manifest.plaats`), then one folder fsync.
    Files refused in step 3 are kept aside and raise :meth:`Manifest.weigering` (exit 3) after
    the others are in place; ``weiger=False``: the caller raises it later (render, after the PDFs).
    """
    tijdelijk: dict[str, Path] = {}
    geschreven: list[Path] = []
    Path(map_).mkdir(parents=True, exist_ok=True)
    try:
        for naam, data in bestanden.items():
            tijdelijk[naam] = _schrijf_tijdelijk(map_ / naam, data)
        manifest.voornemen(tijdelijk, bestanden)
        for naam, t in tijdelijk.items():
            doel = manifest.plaats(t, naam, force=force)
            if doel is not None:
                geschreven.append(doel)
    finally:
        for t in tijdelijk.values():  # what was not renamed (an error) goes
            _weg(t)
        if geschreven:  # the renames made durable with one folder fsync, not one per file
            _fsync_map(map_)
    weigering = manifest.weigering() if weiger else None
    if weigering is not None:
        raise weigering
    return geschreven


def _schrijf_tijdelijk(pad: Path, data: bytes) -> Path:
    """``data`` in a temp file next to ``pad`` (fsynced, the umask's mode); removed on error."""
    fd, tijdelijk = tempfile.mkstemp(dir=pad.parent, prefix=f".{pad.name}.", suffix=TMP_SUFFIX)
    try:
        os.chmod(tijdelijk, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        _weg(tijdelijk)
        raise
    return Path(tijdelijk)


# ------------------------------------------------------------------------------- the output folder

def controleer_uitvoer(uitvoer: Path, map_: Path) -> None:
    """Refuse (``SchrijfFout``, exit 2) before anything is written when the output cannot be:
    ``-o`` is a file or a dangling symlink, the gemeente's folder is a file, or the first
    existing folder on the way cannot be written."""
    for pad, sleutel in ((uitvoer, "render.uitvoer_geen_map"), (map_, "render.gemeentemap_geen_map")):
        if os.path.islink(pad) and not pad.exists():
            raise SchrijfFout(bericht("render.uitvoer_symlink", pad=pad, doel=os.readlink(pad)))
        if pad.exists() and not pad.is_dir():
            raise SchrijfFout(bericht(sleutel, pad=pad))
    bestaand = map_
    while not bestaand.exists():
        if os.path.lexists(bestaand):  # a dangling symlink higher up
            raise SchrijfFout(bericht("render.uitvoer_symlink", pad=bestaand, doel=os.readlink(bestaand)))
        if bestaand.parent == bestaand:
            break
        bestaand = bestaand.parent
    if not bestaand.is_dir():
        raise SchrijfFout(bericht("render.uitvoer_geen_map", pad=bestaand))
    if not os.access(bestaand, os.W_OK | os.X_OK):
        raise SchrijfFout(bericht("render.uitvoer_alleen_lezen", pad=bestaand))


_FOUTSLEUTELS = {
    errno.ENOSPC: "render.schijf_vol",
    errno.EDQUOT: "render.schijf_vol",
    errno.EROFS: "render.uitvoer_alleen_lezen",
    errno.EACCES: "render.uitvoer_alleen_lezen",
    errno.EPERM: "render.uitvoer_alleen_lezen",
    errno.ENOTDIR: "render.uitvoer_geen_map",
    errno.EEXIST: "render.uitvoer_geen_map",
    errno.EISDIR: "render.manifest_geen_bestand",
    errno.ENAMETOOLONG: "render.naam_te_lang",
}


def schrijffout(e: OSError, pad: Path | str) -> SchrijfFout:
    """An OS error while writing the output as a Dutch message (no English system text)."""
    sleutel = _FOUTSLEUTELS.get(e.errno or 0, "render.schrijven_mislukt")
    plek = e.filename if isinstance(e.filename, (str, bytes, os.PathLike)) and e.filename else pad
    if isinstance(plek, bytes):
        plek = os.fsdecode(plek)
    return SchrijfFout(bericht(sleutel, pad=plek, code=errno.errorcode.get(e.errno or 0, e.errno or "-")))


def _melding_stderr(tekst: str) -> None:
    try:
        print(tekst, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


@contextmanager
def map_slot(map_: Path, wachttijd: float | None = None, meld: Callable[[str], None] | None = None) -> Iterator[list[Path]]:
    """Hold an exclusive lock on the output folder ``map_`` (created when missing).

    A second kit run on the same folder waits up to ``wachttijd`` seconds (``KIT_WACHTTIJD``,
    default 60) and then refuses with :class:`MapBezet` (exit 3). The lock is the folder's own
    (``flock`` on the folder), so no lock file is left behind and a killed run frees it.
    Yields the folders this call created (so a caller that writes nothing can remove them).
    """
    if wachttijd is None:
        try:
            wachttijd = float(os.environ.get("KIT_WACHTTIJD", WACHTTIJD))
        except ValueError:
            wachttijd = WACHTTIJD
        if not 0 <= wachttijd <= 24 * 3600:  # NaN, inf or negative: the default (NaN would wait forever)
            wachttijd = WACHTTIJD
    gemaakt: list[Path] = []
    nieuw = map_
    while not os.path.lexists(nieuw) and nieuw.parent != nieuw:
        gemaakt.insert(0, nieuw)
        nieuw = nieuw.parent
    map_.mkdir(parents=True, exist_ok=True)
    fd = os.open(map_, os.O_RDONLY | os.O_DIRECTORY)
    try:
        begin = time.monotonic()
        gemeld = False
        while True:
            try:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() - begin >= wachttijd:
                    raise MapBezet(bericht("render.map_bezet", map=map_, seconden=getal(wachttijd))) from None
                if not gemeld:
                    (meld or _melding_stderr)(bericht("render.map_wacht", map=map_))
                    gemeld = True
                time.sleep(0.1)
            except (OSError, ImportError):  # no locks on this file system: go on without
                break
        yield gemaakt
    finally:
        os.close(fd)


def ruim_leeg_op(mappen: Iterable[Path]) -> None:
    """Remove folders this run created when they are still empty (deepest first)."""
    for m in sorted(mappen, key=lambda p: len(p.parts), reverse=True):
        try:
            os.rmdir(m)
        except OSError:
            pass


def ruim_resten_op(map_: Path) -> None:
    """Leftovers of a killed run in ``map_`` (call with the folder lock held): temp files of
    :func:`schrijf_atomisch` / :func:`schrijf_alles` and unlocked kit temp folders."""
    try:
        namen = os.listdir(map_)
    except OSError:
        return
    for naam in namen:
        if naam.startswith(".") and naam.endswith(TMP_SUFFIX):
            try:
                st = os.lstat(map_ / naam)
                if stat.S_ISREG(st.st_mode):
                    os.unlink(map_ / naam)
            except OSError:
                pass
        elif naam.startswith(".kit-pdf-"):
            try:
                st = os.lstat(map_ / naam)
                if stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid():
                    import shutil

                    shutil.rmtree(map_ / naam, ignore_errors=True)
            except OSError:
                pass


@contextmanager
def tijdelijke_map(prefix: str, dir: Path | str | None = None) -> Iterator[Path]:
    """A temp folder that is locked while in use (and removed afterwards), so that
    :func:`ruim_oude_mappen_op` of a later run can tell a leftover from a folder in use."""
    import shutil
    import signal

    # A worker stopped by the pool (SIGTERM) between mkdtemp and the marker left a folder no
    # later run may remove (no marker: not provably the kit's). The signals wait until the
    # marker is there; only SIGKILL can still hit the window, which is a few system calls wide.
    blokkeer = hasattr(signal, "pthread_sigmask")
    oud = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT}) if blokkeer else None
    fd = None
    try:
        pad = Path(tempfile.mkdtemp(prefix=prefix, dir=dir))
        try:
            import fcntl

            fd = os.open(pad, os.O_RDONLY | os.O_DIRECTORY)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            (pad / SLOT_MERK).touch()
        except (OSError, ImportError):
            pass
    finally:
        if blokkeer:
            signal.pthread_sigmask(signal.SIG_SETMASK, oud)
    try:
        yield pad
    finally:
        shutil.rmtree(pad, ignore_errors=True)
        if fd is not None:
            os.close(fd)


def ruim_oude_mappen_op(map_: Path | str, prefix: str) -> None:
    """Remove folders ``map_/<prefix>*`` made by :func:`tijdelijke_map` of a run that has ended
    (marker present, lock free, owned by this user, not a symlink). Others are left alone."""
    import shutil

    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        return
    try:
        namen = [n for n in os.listdir(map_) if n.startswith(prefix)]
    except OSError:
        return
    for naam in namen:
        pad = Path(map_) / naam
        try:
            st = os.lstat(pad)
            if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid() or not os.path.lexists(pad / SLOT_MERK):
                continue
            fd = os.open(pad, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # in use by a running kit
        try:
            shutil.rmtree(pad, ignore_errors=True)
        finally:
            os.close(fd)
