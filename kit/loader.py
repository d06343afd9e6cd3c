"""YAML choice file -> ``Choices``: values, line marks, raw text and regio provenance.

The loader reads a choice file with PyYAML's *parser* only (libyaml when available) and
builds the values itself from the event stream. That gives what ``yaml.safe_load`` cannot:

* the line of every key and list item, also after an ``extends`` merge (provenance);
* the source text of every scalar (``0.10`` stays visible when YAML reads it as 0.1);
* duplicate keys refused (YAML silently keeps the last one);
* every tag that is not a plain YAML core tag refused;
* bounded work on hostile input: file size, nesting depth and the number of values after
  alias expansion are all capped, so an alias bomb ("billion laughs") or a deeply nested
  file is refused quickly with a message instead of eating memory or time.

Marks are 1-based (line and column). Key paths are dotted, list items ``[i]``:
``visie.doelen[2]``. All user-facing text comes from ``kit/data/berichten/loader.yaml``.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from kit.berichten import bericht, os_reden
from kit.errors import InputError

__all__ = ["Aanname", "Choices", "Mark", "load_choices", "lees_regulier_bestand", "lees_yaml", "BestandFout", "MAX_BYTES",
           "MAX_WAARDEN", "MAX_DIEPTE"]

#: A choice file is a few kilobytes; anything above this is not a choice file.
MAX_BYTES = 2 * 1024 * 1024
#: Number of values (keys, scalars, lists, mappings) after alias expansion, per file.
MAX_WAARDEN = 100_000
#: Nesting depth of lists and mappings (a choice file uses four or five).
MAX_DIEPTE = 64

# libyaml when PyYAML was built with it (much faster); the pure-Python parser otherwise.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_Y = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = _Y + "str", _Y + "int", _Y + "float", _Y + "bool", _Y + "null"
_TIMESTAMP, _MAP, _SEQ, _MERGE = _Y + "timestamp", _Y + "map", _Y + "seq", _Y + "merge"
_SCALAR_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP})

# Characters YAML does not allow in a stream (same set as PyYAML's reader).
_NIET_TOEGESTAAN = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_KEYPATH_DEEL = re.compile(r"([^.\[\]]+)|\[(\d+)\]|(\.)")
_ADRESSEERBAAR = re.compile(r"[^.\[\]]+")

# The gist of libyaml's / PyYAML's syntax messages -> key of the Dutch explanation.
# Matched as substrings of the problem text, first hit wins.
_SYNTAX_UITLEG = (
    ("mapping values are not allowed", "syntax_dubbele_punt_in_waarde"),
    ("found unexpected ':'", "syntax_dubbele_punt_in_waarde"),
    ("tab character", "syntax_tab"),
    ("cannot start any token", "syntax_teken"),
    ("could not find expected ':'", "syntax_geen_dubbele_punt"),
    ("did not find expected key", "syntax_sleutel_verwacht"),
    ("expected <block end>", "syntax_sleutel_verwacht"),
    ("did not find expected '-' indicator", "syntax_lijstitem_verwacht"),
    ("block sequence entries are not allowed", "syntax_lijstitem_niet_hier"),
    ("expected ',' or ']'", "syntax_lijst_niet_afgesloten"),
    ("expected ',' or '}'", "syntax_mapping_niet_afgesloten"),
    ("end of stream", "syntax_einde"),
    ("unknown escape character", "syntax_escape"),
    ("expected escape sequence", "syntax_escape"),
    ("did not find expected node content", "syntax_waarde_verwacht"),
    ("expected the node content", "syntax_waarde_verwacht"),
    ("document start", "syntax_document"),
    ("alphabetic or numeric character", "syntax_anker"),
    ("undefined tag handle", "syntax_tag"),
    # libyaml's nesting limit; its wording differs between versions ("exceeded max depth",
    # "while increasing flow level exceeded maximum nesting depth"): match on the words
    ("nesting", "syntax_te_diep"),
    ("depth", "syntax_te_diep"),
    ("flow level", "syntax_te_diep"),
)


@dataclass(frozen=True)
class Mark:
    """Where a value was set: the file, 1-based line and 1-based column."""

    file: Path
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class _Knoop:
    """One value in the tree. Scalars: ``waarde`` and ``raw``; mappings and lists: ``kinderen``.

    ``kinderen`` maps a key (or holds, for a list, in order) an *entry*: the tuple
    ``(file, line, column, _Knoop)`` with the place the key or list item was written.
    Nodes may be shared (YAML aliases); they are never changed after construction.
    """

    __slots__ = ("waarde", "raw", "kinderen")

    def __init__(self, waarde: Any = None, raw: str | None = None, kinderen: dict | list | None = None):
        self.waarde = waarde
        self.raw = raw
        self.kinderen = kinderen


_Entry = tuple  # (Path, int, int, _Knoop)


def waarde_op(data: Any, keypath: str, default: Any = None) -> Any:
    """The value at a dotted key path of plain ``data`` (``visie.doelen[0]``), or ``default``."""
    delen = _splits(keypath)
    if delen is None:
        return default
    waarde: Any = data
    for deel in delen:
        if isinstance(deel, int):
            if not isinstance(waarde, list) or deel >= len(waarde):
                return default
        elif not isinstance(waarde, dict) or deel not in waarde:
            return default
        waarde = waarde[deel]
    return waarde


@dataclass
class Choices:
    """A loaded choice file: merged values plus where each value came from."""

    path: Path                 # the gemeente's file
    data: dict                 # merged values; dates as ISO strings; no "extends"
    files: list[Path]          # every file read: the gemeente's first, then regio files
    _wortel: _Entry | None = field(repr=False, compare=False, default=None)  # set by load_choices
    _aanname_regels: dict = field(repr=False, compare=False, default_factory=dict)  # Path -> _AannameRegels

    # -- lookup -------------------------------------------------------------------------
    def mark(self, keypath: str) -> Mark | None:
        """Mark of the key or list item ``keypath`` in the file that set it; None if absent."""
        entry = self._entry(keypath)
        return None if entry is None else Mark(entry[0], entry[1], entry[2])

    def mark_of_nearest(self, keypath: str) -> Mark:
        """Mark of ``keypath`` or else of its deepest existing ancestor (the file's top)."""
        entry = self._entry(keypath, nearest=True)
        if entry is None:  # a Choices built by hand, without a tree
            return Mark(self.path, 1, 1)
        return Mark(entry[0], entry[1], entry[2])

    def herkomst(self, keypath: str) -> Path | None:
        """The file that set ``keypath`` (the regio file for an inherited value)."""
        entry = self._entry(keypath)
        return None if entry is None else entry[0]

    def raw(self, keypath: str) -> str | None:
        """Source text of the scalar at ``keypath`` (without quotes); None if absent or not a scalar."""
        entry = self._entry(keypath)
        return None if entry is None else entry[3].raw

    def get(self, keypath: str, default: Any = None) -> Any:
        """The value at a dotted key path (``handhaving.boete_pip``, ``visie.doelen[0]``)."""
        return waarde_op(self.data, keypath, default)

    def __contains__(self, keypath: str) -> bool:
        return self._entry(keypath) is not None

    def keypaths(self) -> Iterator[str]:
        """Every key path in the merged data, parents before children, in file order.

        Keys a dotted path cannot name (empty, or containing ``.``, ``[`` or ``]``) are
        skipped together with everything under them.
        """
        if self._wortel is not None:
            yield from _paden(self._wortel[3], "")

    # -- assumptions (``# aanname`` comments) ----------------------------------------------
    def aanname(self, keypath: str) -> "Aanname | None":
        """The assumption behind ``keypath``: a ``# aanname`` comment on its line, or on the line
        of a mapping key above it in the same file (the whole block is assumed). A value a member
        file sets itself is no longer the regio's assumption."""
        return self._aanname_bij(keypath, self._entry(keypath))

    def _aanname_bij(self, keypath: str, entry: "_Entry | None") -> "Aanname | None":
        """:meth:`aanname` of ``keypath`` whose entry was already found (the tree walk)."""
        if entry is None:
            return None
        regels = self._aanname_regels.get(entry[0])
        if regels is None:
            return None
        gevonden = regels.reden_op(entry[1])
        if gevonden is None:
            return None
        reden, regel = gevonden
        return Aanname(keypath, reden, entry[0], entry[1], regel)

    def aannames(self) -> list["Aanname"]:
        """Every assumed value, in file order: scalars, lists of scalars and empty blocks one
        by one; a mapping or a list of mappings by its parts."""
        if self._wortel is None or not self._aanname_regels:
            return []
        uit: list[Aanname] = []
        _verzamel_aannames(self, self._wortel[3], "", uit)
        return uit

    def losse_aannames(self) -> list[tuple[Path, int]]:
        """``# aanname`` comments that mark nothing (a comment line of its own): (file, line)."""
        uit = []
        for pad in self.files:
            regels = self._aanname_regels.get(pad)
            if regels is not None:
                uit.extend((pad, r) for r in regels.los)
        return uit

    # -- internals ----------------------------------------------------------------------
    def _entry(self, keypath: str, nearest: bool = False) -> _Entry | None:
        entry = self._wortel
        if entry is None:
            return None
        delen = _splits(keypath)
        if delen is None:
            return entry if nearest else None
        for deel in delen:
            kinderen = entry[3].kinderen
            if isinstance(deel, int):
                volgende = kinderen[deel] if isinstance(kinderen, list) and deel < len(kinderen) else None
            else:
                volgende = kinderen.get(deel) if isinstance(kinderen, dict) else None
            if volgende is None:
                return entry if nearest else None
            entry = volgende
        return entry


def _splits(keypath: str) -> list[str | int] | None:
    """``"a.b[2].c"`` -> ``["a", "b", 2, "c"]``; None when the path is malformed."""
    delen: list[str | int] = []
    positie, verwacht_naam = 0, True
    for m in _KEYPATH_DEEL.finditer(keypath):
        if m.start() != positie:
            return None
        positie = m.end()
        naam, index, punt = m.groups()
        if punt:
            if verwacht_naam:
                return None
            verwacht_naam = True
        elif naam is not None:
            if not verwacht_naam:
                return None
            delen.append(naam)
            verwacht_naam = False
        else:
            if verwacht_naam and delen:
                return None
            delen.append(int(index))
            verwacht_naam = False
    if positie != len(keypath) or (verwacht_naam and delen):
        return None
    return delen


def _paden(knoop: _Knoop, voorvoegsel: str) -> Iterator[str]:
    kinderen = knoop.kinderen
    if isinstance(kinderen, dict):
        for sleutel, entry in kinderen.items():
            if not _ADRESSEERBAAR.fullmatch(sleutel):
                continue  # "", "a.b", "x[1]": no dotted key path can name this key
            pad = f"{voorvoegsel}.{sleutel}" if voorvoegsel else sleutel
            yield pad
            yield from _paden(entry[3], pad)
    elif isinstance(kinderen, list):
        for i, entry in enumerate(kinderen):
            pad = f"{voorvoegsel}[{i}]"
            yield pad
            yield from _paden(entry[3], pad)


# ======================================================================================
# Loading
# ======================================================================================


def load_choices(path: str | os.PathLike) -> Choices:
    """Read a choice file (and the regio files it ``extends``) into ``Choices``.

    Raises ``InputError`` (exit code 2) with a complete Dutch message for every problem
    with the input: unreadable, not UTF-8, bad YAML, duplicate keys, tags, too large,
    bad or circular ``extends``.
    """
    pad = Path(path)
    bestanden: list[Path] = []
    wortel = _laad_keten(pad, [], bestanden)
    return Choices(path=pad, data=_naar_data(wortel[3]), files=bestanden, _wortel=wortel,
                   _aanname_regels=_aanname_regels_van(bestanden))


def _laad_keten(pad: Path, keten: list[Path], bestanden: list[Path]) -> _Entry:
    """Load ``pad`` and, first, the chain of regio files it extends; merge them."""
    wortel, extends = _lees_bestand(pad)
    bestanden.append(pad)
    if extends is None:
        return wortel
    _, regel, _, knoop = extends
    doel = knoop.waarde
    if knoop.kinderen is not None or not isinstance(doel, str):
        raise InputError(bericht("loader.extends_geen_tekst", bestand=pad, regel=regel, soort=_soort(knoop)))
    if not doel.strip():
        raise InputError(bericht("loader.extends_leeg", bestand=pad, regel=regel))
    regio = _extends_doel(pad, doel, regel, keten[0] if keten else pad)
    nieuwe_keten = keten + [pad]
    bezocht = {os.path.realpath(p) for p in nieuwe_keten}
    if os.path.realpath(regio) in bezocht:
        raise InputError(
            bericht("loader.extends_kring", bestand=pad, regel=regel, keten=_keten_tekst(nieuwe_keten + [regio]))
        )
    soort = _soort_bestand(regio)
    if soort == "niet_gevonden":
        raise InputError(
            bericht("loader.extends_niet_gevonden", bestand=pad, regel=regel, doel=doel, pad=regio,
                    keten=_keten_tekst(nieuwe_keten + [regio]))
        )
    if soort == "is_map":
        raise InputError(bericht("loader.extends_is_map", bestand=pad, regel=regel, doel=doel, pad=regio))
    basis = _laad_keten(regio, nieuwe_keten, bestanden)
    return (wortel[0], wortel[1], wortel[2], _voeg_samen(basis[3], wortel[3]))


# -- paths: what the loader may open --------------------------------------------------------


class BestandFout(Exception):
    """A file that cannot be read as a regular file. ``soort`` names the loader message
    (``niet_gevonden``, ``is_map``, ``geen_bestand``, ``geen_toegang``, ``te_groot``,
    ``nul_teken``, ``onleesbaar``); ``reden`` is the Dutch reason, without the file name."""

    def __init__(self, soort: str, reden: str = ""):
        super().__init__(reden or soort)
        self.soort = soort
        self.reden = reden or bericht("loader.reden_" + soort)


def lees_regulier_bestand(pad: str | os.PathLike, max_bytes: int) -> bytes:
    """The bytes of a *regular* file of at most ``max_bytes``; ``BestandFout`` otherwise.

    A FIFO, socket or device is refused before it is read (reading a FIFO waits forever for
    a writer, ``/dev/zero`` never ends); the open itself does not block (``O_NONBLOCK``) and
    the check is repeated on the open file, so a file swapped in between is refused too.
    NUL bytes, symlink loops and names that are too long give a Dutch reason, never the
    system's English text.
    """
    naam = os.fspath(pad)
    if "\x00" in str(naam):
        raise BestandFout("nul_teken")
    fout = bestand_fout(naam)
    if fout is not None:
        raise fout
    vlaggen = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(naam, vlaggen)
    except OSError as e:
        raise _bestand_fout(e) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise BestandFout("is_map")
        if not stat.S_ISREG(st.st_mode):
            raise BestandFout("geen_bestand")
        if st.st_size > max_bytes:
            raise BestandFout("te_groot")
        delen: list[bytes] = []
        over = max_bytes + 1
        while over > 0:
            stuk = os.read(fd, min(over, 1 << 20))
            if not stuk:
                break
            delen.append(stuk)
            over -= len(stuk)
        inhoud = b"".join(delen)
    except OSError as e:
        raise _bestand_fout(e) from None
    finally:
        os.close(fd)
    if len(inhoud) > max_bytes:
        raise BestandFout("te_groot")
    return inhoud


def _soort_bestand(pad: Path) -> str | None:
    """None for an existing regular file (symlinks followed); else the kind of refusal."""
    fout = bestand_fout(pad)
    return None if fout is None else fout.soort


def bestand_fout(pad: str | os.PathLike) -> BestandFout | None:
    """None for an existing regular file (symlinks followed); else why it cannot be read
    (``is_map`` for a folder). Never blocks, never raises."""
    try:
        st = os.stat(pad)
    except ValueError:  # a NUL byte in the name
        return BestandFout("nul_teken")
    except OSError as e:
        return _bestand_fout(e)
    if stat.S_ISDIR(st.st_mode):
        return BestandFout("is_map")
    if not stat.S_ISREG(st.st_mode):
        return BestandFout("geen_bestand")
    return None


def _bestand_fout(e: OSError) -> BestandFout:
    if isinstance(e, FileNotFoundError):
        return BestandFout("niet_gevonden")
    if isinstance(e, IsADirectoryError):
        return BestandFout("is_map")
    if isinstance(e, PermissionError):
        return BestandFout("geen_toegang")
    return BestandFout("onleesbaar", os_reden(e))


def _binnen(pad: str, map_: str) -> bool:
    return pad == map_ or pad.startswith(map_.rstrip(os.sep) + os.sep)


def _extends_doel(pad: Path, doel: str, regel: int, gemeentebestand: Path) -> Path:
    """The regio file ``doel`` names, relative to ``pad``'s folder, if the kit may read it.

    A regio file must lie in the folder of the gemeente's own file (the file the user named)
    or below it, also after following symlinks: ``extends: /etc/passwd`` or ``../../x`` would
    make the kit read, and quote in its messages, any file on the machine.
    """
    if "\x00" in doel:
        raise InputError(bericht("loader.extends_nul_teken", bestand=pad, regel=regel))
    map_ = Path(gemeentebestand).parent
    regio = pad.parent / doel
    try:
        echt = os.path.realpath(regio)
        basis = os.path.realpath(map_)
    except (OSError, ValueError):
        echt, basis = "", "\x00"
    if os.path.isabs(doel) or not _binnen(echt, basis):
        raise InputError(bericht("loader.extends_buiten", bestand=pad, regel=regel, doel=doel,
                                 map=map_ if str(map_) else "."))
    return regio


def lees_yaml(pad: str | os.PathLike, max_bytes: int = MAX_BYTES) -> Any:
    """Any YAML file of the kit's user (e.g. ``gemeente.teksten``) read as safely as a choice
    file: regular file, UTF-8, no tags, no duplicate keys, bounded; plain Python values.
    Every problem is an ``InputError`` with the loader's Dutch message (file and line)."""
    pad = Path(pad)
    try:
        inhoud = lees_regulier_bestand(pad, max_bytes)
    except BestandFout as e:
        if e.soort == "te_groot":
            raise InputError(bericht("loader.te_groot", bestand=pad, max_mb=max(1, max_bytes // (1024 * 1024)))) from None
        raise InputError(bericht("loader." + e.soort, bestand=pad, reden=e.reden)) from None
    tekst = _controleer_tekst(pad, inhoud)
    bouwer = _Bouwer(pad)
    bouwer.leeg_mag = True
    wortel = bouwer.bouw(tekst)
    return None if wortel is None else _naar_data(wortel[3])


def _keten_tekst(keten: list[Path]) -> str:
    return " → ".join(str(p) for p in keten)


def _voeg_samen(basis: _Knoop, eigen: _Knoop) -> _Knoop:
    """Deep merge: mappings recursively, everything else (lists too) replaced by ``eigen``."""
    kinderen = dict(basis.kinderen)
    for sleutel, entry in eigen.kinderen.items():
        oud = kinderen.get(sleutel)
        if oud is not None and isinstance(oud[3].kinderen, dict) and isinstance(entry[3].kinderen, dict):
            entry = (entry[0], entry[1], entry[2], _voeg_samen(oud[3], entry[3]))
        kinderen[sleutel] = entry
    return _Knoop(kinderen=kinderen)


def _naar_data(knoop: _Knoop) -> Any:
    """Plain Python values; aliases are expanded into independent copies."""
    kinderen = knoop.kinderen
    if kinderen is None:
        return knoop.waarde
    if isinstance(kinderen, dict):
        return {sleutel: _naar_data(entry[3]) for sleutel, entry in kinderen.items()}
    return [_naar_data(entry[3]) for entry in kinderen]


def _lees_bestand(pad: Path) -> tuple[_Entry, _Entry | None]:
    """One file -> (root entry, the ``extends`` entry or None). ``extends`` is removed."""
    tekst = _lees_tekst(pad)
    wortel = _Bouwer(pad).bouw(tekst)
    extends = wortel[3].kinderen.pop("extends", None)
    return wortel, extends


def _lees_tekst(pad: Path) -> str:
    try:
        inhoud = lees_regulier_bestand(pad, MAX_BYTES)
    except BestandFout as e:
        if e.soort == "te_groot":
            raise InputError(bericht("loader.te_groot", bestand=pad, max_mb=MAX_BYTES // (1024 * 1024))) from None
        raise InputError(bericht("loader." + e.soort, bestand=pad, reden=e.reden)) from None
    return _controleer_tekst(pad, inhoud)


def _controleer_tekst(pad: Path, inhoud: bytes) -> str:
    """Bytes of a YAML file -> text: UTF-8 (a BOM allowed), no characters YAML refuses."""
    if inhoud.startswith(codecs.BOM_UTF8):
        inhoud = inhoud[len(codecs.BOM_UTF8):]
    elif inhoud.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise InputError(bericht("loader.andere_codering", bestand=pad, codering="UTF-32"))
    elif inhoud.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(bericht("loader.andere_codering", bestand=pad, codering="UTF-16"))
    try:
        tekst = inhoud.decode("utf-8")
    except UnicodeDecodeError as e:
        regelbegin = inhoud.rfind(b"\n", 0, e.start) + 1
        raise InputError(
            bericht("loader.geen_utf8", bestand=pad, regel=inhoud.count(b"\n", 0, e.start) + 1,
                    kolom=e.start - regelbegin + 1, byte=f"{inhoud[e.start]:02X}")
        ) from None
    fout = _NIET_TOEGESTAAN.search(tekst)
    if fout is not None:
        regelbegin = tekst.rfind("\n", 0, fout.start()) + 1
        raise InputError(
            bericht("loader.stuurteken", bestand=pad, regel=tekst.count("\n", 0, fout.start()) + 1,
                    kolom=fout.start() - regelbegin + 1, code=f"U+{ord(fout.group()):04X}")
        )
    return tekst


# ======================================================================================
# Events -> tree
# ======================================================================================

_IN_AANBOUW = object()   # anchor of a collection that is still open (alias to it = cycle)


class _Frame:
    """An open mapping or list while its events arrive."""

    __slots__ = ("knoop", "is_map", "sleutel", "sleutel_plek", "regels", "samenvoegen",
                 "anker", "teller_start", "hoogte", "plek")

    def __init__(self, knoop: _Knoop, is_map: bool, anker: str | None, teller: int, plek: tuple):
        self.knoop = knoop
        self.is_map = is_map
        self.sleutel: Any = None          # key waiting for its value (mapping), or None
        self.sleutel_plek: tuple = ()     # (line, column) of that key
        self.regels: dict[str, int] = {}  # key -> line, for duplicate detection
        self.samenvoegen: list = []       # values of "<<" keys, merged at the end
        self.anker = anker
        self.teller_start = teller
        self.hoogte = 0                   # nesting height of the children so far
        self.plek = plek                  # (line, column) where this collection starts


class _Bouwer:
    """Builds the tree of one file from PyYAML parser events."""

    def __init__(self, pad: Path):
        self.pad = pad
        self.ankers: dict[str, Any] = {}     # name -> (knoop, gewicht, hoogte) or _IN_AANBOUW
        self.anker_regels: dict[str, int] = {}
        self.stapel: list[_Frame] = []
        self.teller = 0                      # values produced so far, aliases expanded
        self.constructor = SafeConstructor()
        self.wortel: _Entry | None = None
        self.documenten = 0
        self.leeg_mag = False                # lees_yaml: an empty file is None, not an error

    # -- messages -----------------------------------------------------------------------
    def fout(self, sleutel: str, regel: int, extra_sleutel: Any = None, **velden: Any) -> InputError:
        return InputError(bericht("loader." + sleutel, bestand=self.pad, regel=regel,
                                  sleutel=self.keypath(extra_sleutel), **velden))

    def keypath(self, extra: Any = None) -> str:
        pad = ""
        for frame in self.stapel:
            if frame.is_map:
                if frame.sleutel is not None and frame.sleutel is not _MERGE:
                    pad = f"{pad}.{frame.sleutel}" if pad else str(frame.sleutel)
                elif frame.sleutel is _MERGE:
                    pad = f"{pad}.<<" if pad else "<<"
            else:
                pad = f"{pad}[{len(frame.knoop.kinderen)}]"
        if extra is not None:
            pad = f"{pad}.{extra}" if pad else str(extra)
        if len(pad) > 120:  # a path through dozens of nested lists says nothing more
            pad = pad[:117] + "…"
        return pad or bericht("loader.pad_wortel")

    # -- main loop ----------------------------------------------------------------------
    def bouw(self, tekst: str) -> _Entry:
        loader = _LOADER(tekst)
        try:
            while True:
                try:
                    event = loader.get_event()
                except yaml.MarkedYAMLError as e:
                    raise self.syntaxfout(e) from None
                except yaml.YAMLError as e:  # ReaderError and the like: no mark
                    raise InputError(bericht("loader.syntax", bestand=self.pad, regel=1, kolom=1,
                                             uitleg=_syntax_uitleg(str(e)), samenhang="")) from None
                if event is None or isinstance(event, StreamEndEvent):
                    break
                self.verwerk(event)
        finally:
            loader.dispose()
        if self.wortel is None or (self.leeg_mag and self.wortel[3].kinderen is None and self.wortel[3].waarde is None):
            if self.leeg_mag:
                return None
            raise InputError(bericht("loader.leeg", bestand=self.pad))
        knoop = self.wortel[3]
        if not isinstance(knoop.kinderen, dict):
            if knoop.kinderen is None and knoop.waarde is None:
                raise InputError(bericht("loader.leeg", bestand=self.pad))
            raise InputError(bericht("loader.geen_mapping", bestand=self.pad, regel=self.wortel[1], soort=_soort(knoop)))
        return self.wortel

    def syntaxfout(self, e: yaml.MarkedYAMLError) -> InputError:
        mark = e.problem_mark or e.context_mark
        regel, kolom = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        probleem = e.problem or e.context or ""
        uitleg = _syntax_uitleg(probleem, e.context or "")
        samenhang = ""
        if (
            e.context_mark is not None
            and e.problem_mark is not None
            and e.context_mark.line != e.problem_mark.line
            and any(w in (e.context or "") for w in ("quoted scalar", "flow sequence", "flow mapping"))
        ):  # an unclosed quote or bracket: say where it was opened
            samenhang = bericht("loader.syntax_samenhang", regel=e.context_mark.line + 1)
        return InputError(bericht("loader.syntax", bestand=self.pad, regel=regel, kolom=kolom,
                                  uitleg=uitleg, samenhang=samenhang))

    def verwerk(self, event: Any) -> None:
        regel = event.start_mark.line + 1
        kolom = event.start_mark.column + 1
        if isinstance(event, ScalarEvent):
            self.scalar(event, regel, kolom)
        elif isinstance(event, (MappingStartEvent, SequenceStartEvent)):
            self.open(event, regel, kolom)
        elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            self.sluit()
        elif isinstance(event, AliasEvent):
            self.alias(event, regel, kolom)
        elif isinstance(event, DocumentStartEvent):
            self.documenten += 1
            if self.documenten > 1:
                raise InputError(bericht("loader.meer_documenten", bestand=self.pad, regel=regel))
        # StreamStart, DocumentEnd: nothing to do

    def tel(self, aantal: int, regel: int) -> None:
        self.teller += aantal
        if self.teller > MAX_WAARDEN:
            raise InputError(bericht("loader.te_veel_waarden", bestand=self.pad, regel=regel, max=MAX_WAARDEN))

    def verwacht_sleutel(self) -> bool:
        return bool(self.stapel) and self.stapel[-1].is_map and self.stapel[-1].sleutel is None

    # -- anchors ------------------------------------------------------------------------
    def anker_begin(self, anker: str | None, regel: int) -> None:
        if anker is None:
            return
        if anker in self.ankers:
            raise self.fout("anker_dubbel", regel, naam=anker, eerste=self.anker_regels[anker])
        self.anker_regels[anker] = regel
        self.ankers[anker] = _IN_AANBOUW

    # -- scalars ------------------------------------------------------------------------
    def scalar(self, event: ScalarEvent, regel: int, kolom: int) -> None:
        tag, waarde_tekst = event.tag, event.value
        if tag is None:
            tag = self.resolve(waarde_tekst, event.implicit)
        elif tag == "!":
            tag = _STR
        elif tag not in _SCALAR_TAGS:
            extra = None
            if self.verwacht_sleutel():
                extra = waarde_tekst
            raise self.fout("tag", regel, extra, tag=_toon_tag(tag))
        self.tel(1, regel)
        if self.verwacht_sleutel():
            self.sleutel(event, tag, waarde_tekst, regel, kolom)
            return
        waarde = self.construeer(tag, waarde_tekst, regel)
        self.anker_begin(event.anchor, regel)
        knoop = _Knoop(waarde, waarde_tekst)
        if event.anchor is not None:
            self.ankers[event.anchor] = (knoop, 1, 0)
        self.hang_op(knoop, regel, kolom, 0)

    @staticmethod
    def resolve(waarde: str, implicit: tuple) -> str:
        if not implicit[0]:
            return _STR
        resolvers = Resolver.yaml_implicit_resolvers.get(waarde[0] if waarde else "", [])
        for tag, regexp in resolvers:
            if regexp.match(waarde):
                return tag
        return _STR

    def construeer(self, tag: str, tekst: str, regel: int) -> Any:
        if tag == _STR:
            return tekst
        try:
            if tag == _NULL:
                return None
            if tag == _BOOL:
                return SafeConstructor.bool_values[tekst.lower()]
            node = ScalarNode(tag, tekst)
            if tag == _INT:
                return self.constructor.construct_yaml_int(node)
            if tag == _FLOAT:
                return self.constructor.construct_yaml_float(node)
            if tag == _TIMESTAMP:
                return self.constructor.construct_yaml_timestamp(node).isoformat()
        except (ValueError, LookupError, TypeError, AttributeError, ArithmeticError, yaml.YAMLError):
            pass
        raise self.fout("waarde_ongeldig", regel, tekst=tekst, soort=_soort_van_tag(tag))

    def sleutel(self, event: ScalarEvent, tag: str, tekst: str, regel: int, kolom: int) -> None:
        frame = self.stapel[-1]
        if event.anchor is not None:
            # An anchored key: harmless but useless; keep it simple and refuse nothing.
            self.anker_begin(event.anchor, regel)
            self.ankers[event.anchor] = (_Knoop(tekst, tekst), 1, 0)
        if tag == _MERGE:
            naam: Any = _MERGE
            regels_sleutel = "<<"
        elif tag == _STR:
            naam = regels_sleutel = tekst
        else:
            self.construeer(tag, tekst, regel)  # an invalid value says so first
            raise self.fout("sleutel_geen_tekst", regel, tekst=tekst, soort=_soort_van_tag(tag))
        self.zet_sleutel(frame, naam, regels_sleutel, regel, kolom)

    def zet_sleutel(self, frame: _Frame, naam: Any, regels_sleutel: str, regel: int, kolom: int) -> None:
        eerste = frame.regels.get(regels_sleutel)
        if eerste is not None:
            raise self.fout("dubbele_sleutel", regel, regels_sleutel, eerste=eerste)
        frame.regels[regels_sleutel] = regel
        frame.sleutel = naam
        frame.sleutel_plek = (regel, kolom)

    # -- collections --------------------------------------------------------------------
    def open(self, event: Any, regel: int, kolom: int) -> None:
        is_map = isinstance(event, MappingStartEvent)
        if self.verwacht_sleutel():
            raise self.fout("sleutel_samengesteld", regel)
        tag = event.tag
        if tag is not None and tag != "!" and tag != (_MAP if is_map else _SEQ):
            raise self.fout("tag", regel, tag=_toon_tag(tag))
        if len(self.stapel) >= MAX_DIEPTE:
            raise self.fout("te_diep", regel, max=MAX_DIEPTE)
        self.tel(1, regel)
        self.anker_begin(event.anchor, regel)
        knoop = _Knoop(kinderen={} if is_map else [])
        self.stapel.append(_Frame(knoop, is_map, event.anchor, self.teller, (regel, kolom)))

    def sluit(self) -> None:
        frame = self.stapel.pop()
        knoop = frame.knoop
        if frame.samenvoegen:
            samengevoegd: dict = {}
            for bron in frame.samenvoegen:
                for sleutel, entry in bron.kinderen.items():
                    samengevoegd.setdefault(sleutel, entry)
            samengevoegd.update(knoop.kinderen)
            knoop.kinderen = samengevoegd
        hoogte = frame.hoogte + 1
        if frame.anker is not None:
            self.ankers[frame.anker] = (knoop, self.teller - frame.teller_start + 1, hoogte)
        self.hang_op(knoop, frame.plek[0], frame.plek[1], hoogte)

    def alias(self, event: AliasEvent, regel: int, kolom: int) -> None:
        doel = self.ankers.get(event.anchor)
        if doel is None:
            raise self.fout("alias_onbekend", regel, naam=event.anchor)
        if doel is _IN_AANBOUW:
            raise self.fout("alias_kring", regel, naam=event.anchor)
        knoop, gewicht, hoogte = doel
        self.tel(gewicht, regel)
        if len(self.stapel) + hoogte > MAX_DIEPTE:
            raise self.fout("te_diep", regel, max=MAX_DIEPTE)
        if self.verwacht_sleutel():
            if knoop.kinderen is not None:
                raise self.fout("sleutel_samengesteld", regel)
            if not isinstance(knoop.waarde, str):
                raise self.fout("sleutel_geen_tekst", regel, tekst=knoop.raw, soort=_soort(knoop))
            self.zet_sleutel(self.stapel[-1], knoop.waarde, knoop.waarde, regel, kolom)
            return
        self.hang_op(knoop, regel, kolom, hoogte)

    def hang_op(self, knoop: _Knoop, regel: int, kolom: int, hoogte: int) -> None:
        """Attach a finished value to the open collection (or make it the document)."""
        if not self.stapel:
            self.wortel = (self.pad, regel, kolom, knoop)
            return
        frame = self.stapel[-1]
        if hoogte > frame.hoogte:
            frame.hoogte = hoogte
        if frame.is_map:
            if frame.sleutel is _MERGE:
                self.voeg_bron_toe(frame, knoop, regel)
            else:
                r, k = frame.sleutel_plek
                frame.knoop.kinderen[frame.sleutel] = (self.pad, r, k, knoop)
            frame.sleutel = None
        else:
            frame.knoop.kinderen.append((self.pad, regel, kolom, knoop))

    def voeg_bron_toe(self, frame: _Frame, knoop: _Knoop, regel: int) -> None:
        """``<<: *a`` or ``<<: [*a, *b]`` (YAML merge key): earlier sources win, own keys win."""
        if isinstance(knoop.kinderen, dict):
            frame.samenvoegen.append(knoop)
            return
        if isinstance(knoop.kinderen, list) and all(isinstance(e[3].kinderen, dict) for e in knoop.kinderen):
            frame.samenvoegen.extend(e[3] for e in knoop.kinderen)
            return
        raise self.fout("samenvoegen_ongeldig", regel)


def _syntax_uitleg(probleem: str, context: str = "") -> str:
    """The Dutch explanation of a YAML problem; never the library's English words.

    The known gists are matched as lower-case substrings of the problem (then of the
    context); anything else gets a general Dutch explanation (file, line and column are in
    the message around it).
    """
    for tekst in (probleem.lower(), context.lower()):
        for stuk, sleutel in _SYNTAX_UITLEG:
            if stuk.lower() in tekst:
                if sleutel == "syntax_te_diep":
                    return bericht("loader.syntax_te_diep", max=MAX_DIEPTE)
                return bericht("loader." + sleutel)
    return bericht("loader.syntax_algemeen")


def _toon_tag(tag: str) -> str:
    return "!!" + tag[len(_Y):] if tag.startswith(_Y) else tag


def _soort(knoop: _Knoop) -> str:
    """Dutch name of the kind of value (for messages)."""
    if isinstance(knoop.kinderen, dict):
        return bericht("loader.soort_mapping")
    if isinstance(knoop.kinderen, list):
        return bericht("loader.soort_lijst")
    waarde = knoop.waarde
    if waarde is None:
        return bericht("loader.soort_leeg")
    if isinstance(waarde, bool):
        return bericht("loader.soort_janee")
    if isinstance(waarde, int):
        return bericht("loader.soort_getal")
    if isinstance(waarde, float):
        return bericht("loader.soort_kommagetal")
    return bericht("loader.soort_tekst", tekst=knoop.raw if knoop.raw is not None else waarde)


def _soort_van_tag(tag: str) -> str:
    return bericht({
        _INT: "loader.soort_getal",
        _FLOAT: "loader.soort_kommagetal",
        _BOOL: "loader.soort_janee",
        _TIMESTAMP: "loader.soort_datum",
        _NULL: "loader.soort_leeg",
    }.get(tag, "loader.soort_onbekend"))



# ======================================================================================
# Assumptions: ``# aanname`` comments (DESIGN.md, "Status gates and assumptions")
# ======================================================================================
#
# PyYAML drops comments, so the loader reads them from the text: a comment that starts with
# ``# aanname`` on the line of a key or list item marks that value; on the line of a mapping
# key whose value is a block below it (``prognose:  # aanname: …``) it marks every line of the
# block. Positions are per file, so after an ``extends`` merge a value the member file sets
# itself carries the member's (unmarked) line, and an inherited value keeps the regio's mark.


@dataclass(frozen=True)
class Aanname:
    """An assumed value: its key path, the reason (the comment after ``aanname``), the file
    and line of the value, and the line of the comment that marks it."""

    sleutel: str
    reden: str
    bestand: Path
    regel: int
    markering: int

    @property
    def mark(self) -> Mark:
        return Mark(self.bestand, self.regel, 1)


_AANNAME = re.compile(r"#\s*aanname\b\s*:?\s*(.*)$", re.IGNORECASE)
_BLOKSLEUTEL = re.compile(r"^(\s*)(?:-\s+)?[^\s#][^#]*?:\s*(?:[&!][^\s#]*\s*)*$")


class _AannameRegels:
    """The ``# aanname`` comments of one file: per line, and the line ranges of marked blocks."""

    __slots__ = ("regels", "blokken", "los")

    def __init__(self) -> None:
        self.regels: dict[int, str] = {}                 # line -> reason (value on that line)
        self.blokken: list[tuple[int, int, str]] = []     # (first, last line, reason) of a block
        self.los: list[int] = []                          # comment lines that mark nothing

    def reden_op(self, regel: int) -> tuple[str, int] | None:
        if regel in self.regels:
            return self.regels[regel], regel
        for begin, eind, reden in self.blokken:
            if begin < regel <= eind:
                return reden, begin
        return None


def _commentaar(regel: str) -> int:
    """Column of the comment on a YAML line (-1: none): a ``#`` at the start or after a blank,
    outside a quoted scalar. Quotes count only where a value may start."""
    quote = ""
    vorige = " "
    i = 0
    while i < len(regel):
        c = regel[i]
        if quote:
            if quote == '"' and c == "\\":
                i += 2
                continue
            if c == quote:
                if quote == "'" and regel[i + 1:i + 2] == "'":
                    i += 2
                    continue
                quote = ""
        elif c in "'\"" and (vorige in " \t[{,:-" or i == 0):
            quote = c
        elif c == "#" and vorige in " \t":
            return i
        vorige = c
        i += 1
    return -1


def _inspringing(regel: str) -> int:
    return len(regel) - len(regel.lstrip(" "))


def _lees_aannames(tekst: str) -> _AannameRegels:
    resultaat = _AannameRegels()
    if "aanname" not in tekst.lower():
        return resultaat
    regels = tekst.split("\n")
    for nr, regel in enumerate(regels, start=1):
        if "aanname" not in regel.lower():
            continue
        kolom = _commentaar(regel)
        if kolom < 0:
            continue
        m = _AANNAME.match(regel[kolom:])
        if m is None:
            continue
        reden = m.group(1).strip()
        voor = regel[:kolom]
        if not voor.strip():
            resultaat.los.append(nr)
            continue
        if _BLOKSLEUTEL.match(voor):
            # a mapping key with its value below: the block runs to the next line that is
            # indented as far as the key or less (a list item at the key's column belongs to it)
            diepte = _inspringing(voor)
            eind = nr
            for volgende_nr in range(nr + 1, len(regels) + 1):
                volgende = regels[volgende_nr - 1]
                inhoud = volgende.strip()
                if not inhoud or inhoud.startswith("#"):
                    continue
                d = _inspringing(volgende)
                if d < diepte or (d == diepte and not inhoud.startswith("- ") and inhoud != "-"):
                    break
                eind = volgende_nr
            resultaat.blokken.append((nr, eind, reden))
            resultaat.regels[nr] = reden
        else:
            resultaat.regels[nr] = reden
    return resultaat


def _aanname_regels_van(bestanden: list[Path]) -> dict:
    """Per file read: its ``# aanname`` comments (the text is read again; it was just loaded)."""
    uit = {}
    for pad in bestanden:
        try:
            tekst = _lees_tekst(pad)
        except InputError:  # pragma: no cover - it was readable a moment ago
            continue
        uit[pad] = _lees_aannames(tekst)
    return uit


def _verzamel_aannames(choices: Choices, knoop: _Knoop, pad: str, uit: list) -> None:
    kinderen = knoop.kinderen
    if isinstance(kinderen, dict):
        items = [(f"{pad}.{k}" if pad else k, e) for k, e in kinderen.items() if _ADRESSEERBAAR.fullmatch(k)]
    elif isinstance(kinderen, list):
        items = [(f"{pad}[{i}]", e) for i, e in enumerate(kinderen)]
    else:
        return
    for sleutel, entry in items:
        sub = entry[3].kinderen
        heel = (
            sub is None
            or not sub
            or (isinstance(sub, list) and all(e[3].kinderen is None for e in sub))
        )
        if heel:
            aanname = choices._aanname_bij(sleutel, entry)
            if aanname is None and isinstance(sub, list) and sub:
                # one item of a list may carry its own mark
                for i, item in enumerate(sub):
                    a = choices._aanname_bij(f"{sleutel}[{i}]", item)
                    if a is not None:
                        uit.append(a)
                continue
            if aanname is not None:
                uit.append(aanname)
        else:
            _verzamel_aannames(choices, entry[3], sleutel, uit)
