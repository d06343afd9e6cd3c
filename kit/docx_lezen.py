"""Safe reading of .docx files that come back from outside (reviewers, other tools).

A reviewed document is foreign input: it may be renamed, encrypted, truncated, a zip
bomb or carry XML entity tricks. This module opens it with hard limits and returns the
few parsed parts the kit needs, or raises ``InputError`` with a Dutch message that
names the file. It never follows external references and never expands entities.

Limits (``Grenzen``) are checked twice: on the sizes the zip *declares* (cheap, before
any decompression) and on the bytes actually read (declared sizes can lie).
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from kit.berichten import bericht, os_reden
from kit.errors import InputError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"

RT_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
RT_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
RT_COMMENTS_EXT = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"

MAGIC_ZIP = b"PK\x03\x04"
MAGIC_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # CFB: encrypted OOXML or old .doc
MAGIC_PDF = b"%PDF"


@dataclass(frozen=True)
class Grenzen:
    """Hard limits for one file. Generous for real documents, fatal for bombs."""

    bestand_bytes: int = 100 * 1024 * 1024      # the .docx on disk
    onderdelen: int = 5000                       # zip entries
    onderdeel_bytes: int = 50 * 1024 * 1024      # one uncompressed XML part read
    totaal_bytes: int = 50 * 1024 * 1024         # all parts read from one file, uncompressed
    ratio: int = 200                             # max uncompressed/compressed for parts > 1 MB
    ratio_vanaf: int = 1024 * 1024


GRENZEN = Grenzen()


@dataclass
class DocxOnderdelen:
    """The parsed parts of one .docx that the comment reader needs."""

    pad: Path
    document: etree._Element                     # w:document
    comments: etree._Element | None = None       # w:comments
    comments_ext: etree._Element | None = None   # w15:commentsEx
    styles: etree._Element | None = None         # w:styles
    kenmerken: dict[str, str] = field(default_factory=dict)  # core properties, by local name


def _fout(sleutel: str, pad: Path, **velden: object) -> InputError:
    return InputError(bericht(f"comments.{sleutel}", bestand=pad, **velden))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_pis=True,
    )


def _heeft_dtd(data: bytes) -> bool:
    """A DOCTYPE or ENTITY declaration anywhere (UTF-8 or UTF-16): Word never writes one."""
    for tekst in ("<!DOCTYPE", "<!ENTITY"):
        for codering in ("utf-8", "utf-16-le", "utf-16-be"):
            if tekst.encode(codering) in data:
                return True
    return False


def veilig_xml(data: bytes, pad: Path, onderdeel: str) -> etree._Element:
    """Parse one XML part: no DTD, no entities, no network, no huge trees."""
    if _heeft_dtd(data):
        raise _fout("xml_dtd", pad, onderdeel=onderdeel)
    try:
        boom = etree.fromstring(data, parser=_parser()).getroottree()
    except (etree.XMLSyntaxError, ValueError) as e:
        regel, kolom = getattr(e, "position", (0, 0)) or (0, 0)
        reden = bericht("comments.reden_xml", regel=regel, kolom=kolom) if regel else bericht("comments.reden_xml_onbekend")
        raise _fout("xml_kapot", pad, onderdeel=onderdeel, reden=reden) from None
    if boom.docinfo.doctype or boom.docinfo.internalDTD is not None:
        raise _fout("xml_dtd", pad, onderdeel=onderdeel)
    return boom.getroot()


def _zip_reden(e: BaseException) -> str:
    """A Dutch reason for a broken zip (never zipfile's or zlib's English text)."""
    tekst = str(e)
    if isinstance(e, zipfile.BadZipFile):
        if "CRC" in tekst:
            return bericht("comments.reden_crc")
        if "magic" in tekst.lower() or "header" in tekst.lower():
            return bericht("comments.reden_kop")
        return bericht("comments.reden_geen_zip")
    if isinstance(e, zipfile.LargeZipFile):
        return bericht("comments.reden_zip64")
    if isinstance(e, EOFError):
        return bericht("comments.reden_afgekapt")
    if isinstance(e, zlib.error):
        return bericht("comments.reden_inpakken")
    if isinstance(e, NotImplementedError):
        return bericht("comments.reden_methode")
    return bericht("comments.reden_onbekend")


def _kort(tekst: str, n: int = 120) -> str:
    tekst = " ".join(tekst.split())
    return tekst if len(tekst) <= n else tekst[: n - 1] + "…"


class _Zip:
    """A zip opened with limits; reads parts with a cap on the bytes decompressed."""

    def __init__(self, pad: Path, zf: zipfile.ZipFile, grenzen: Grenzen):
        self.pad = pad
        self.zf = zf
        self.grenzen = grenzen
        self.gelezen = 0
        self.info = {i.filename: i for i in zf.infolist()}
        # Part names are case-insensitive in OPC.
        self.klein = {naam.lower(): naam for naam in self.info}

    def controleer(self) -> None:
        g = self.grenzen
        if len(self.info) > g.onderdelen:
            raise _fout("te_veel_onderdelen", self.pad, aantal=len(self.info), max=g.onderdelen)
        totaal = 0
        for info in self.info.values():
            if info.flag_bits & 0x1:
                raise _fout("versleuteld", self.pad)
            if info.file_size > g.onderdeel_bytes and info.filename.lower().endswith((".xml", ".rels")):
                raise _fout("zipbom", self.pad, onderdeel=info.filename)
            # the ratio limit only for the parts the kit decompresses (XML, .rels): a real
            # document may hold a large, highly compressible picture that is never read
            if info.filename.lower().endswith((".xml", ".rels")) and info.file_size > g.ratio_vanaf \
                    and info.file_size > g.ratio * max(info.compress_size, 1):
                raise _fout("zipbom", self.pad, onderdeel=info.filename)
            totaal += info.file_size
        # Media may be large; XML is what we decompress, but a package declaring far more
        # than a real document holds is refused outright.
        if totaal > 4 * g.bestand_bytes:
            raise _fout("zipbom", self.pad, onderdeel="*")

    def heeft(self, naam: str) -> bool:
        return naam.lower() in self.klein

    def lees(self, naam: str) -> bytes:
        echte = self.klein[naam.lower()]
        info = self.info[echte]
        g = self.grenzen
        ruimte = min(g.onderdeel_bytes, g.totaal_bytes - self.gelezen)
        if info.file_size > ruimte:
            raise _fout("zipbom", self.pad, onderdeel=echte)
        # Ask for the declared size (+1), not for the whole allowance: zipfile inflates up to the
        # amount asked before it cuts at the declared size, so a part that declares 1 kB but
        # inflates to 100 MB would otherwise cost ~2 x the allowance in memory before the CRC
        # check refuses it.
        with self.zf.open(info) as f:
            data = f.read(min(ruimte, info.file_size) + 1)
        if len(data) > min(ruimte, info.file_size):  # declared size lied
            raise _fout("zipbom", self.pad, onderdeel=echte)
        self.gelezen += len(data)
        return data

    def xml(self, naam: str) -> etree._Element:
        return veilig_xml(self.lees(naam), self.pad, naam)


def _rels_pad(onderdeel: str) -> str:
    map_, naam = posixpath.split(onderdeel)
    return posixpath.join(map_, "_rels", naam + ".rels")


def _relaties(z: _Zip, onderdeel: str) -> dict[str, str]:
    """Relationship type → target part name (internal targets only; first of each type)."""
    rels = _rels_pad(onderdeel)
    if not z.heeft(rels):
        return {}
    wortel = z.xml(rels)
    basis = posixpath.dirname(onderdeel)
    uit: dict[str, str] = {}
    for rel in wortel.iter(f"{{{REL}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        doel = rel.get("Target") or ""
        if doel.startswith("/"):
            doel = doel[1:]
        else:
            doel = posixpath.normpath(posixpath.join(basis, doel))
        uit.setdefault(rel.get("Type") or "", doel)
    return uit


def _kenmerken(wortel: etree._Element) -> dict[str, str]:
    uit: dict[str, str] = {}
    for kind in wortel:
        if not isinstance(kind.tag, str):
            continue
        naam = etree.QName(kind).localname
        uit[naam] = (kind.text or "").strip()
    return uit


def lees_docx(pad: Path, grenzen: Grenzen = GRENZEN) -> DocxOnderdelen:
    """Open ``pad`` safely; raise ``InputError`` (exit 2) with a Dutch message otherwise."""
    pad = Path(pad)
    try:
        if not pad.exists():
            raise _fout("niet_gevonden", pad)
        if not pad.is_file():
            raise _fout("geen_bestand", pad)
        grootte = pad.stat().st_size
        if grootte > grenzen.bestand_bytes:
            raise _fout("te_groot", pad, mb=grenzen.bestand_bytes // (1024 * 1024))
        with open(pad, "rb") as f:
            kop = f.read(8)
    except OSError as e:
        raise _fout("niet_leesbaar", pad, reden=os_reden(e)) from None
    if kop.startswith(MAGIC_OLE):
        raise _fout("versleuteld_of_doc", pad)
    if kop.startswith(MAGIC_PDF):
        raise _fout("pdf", pad)
    if not kop.startswith(MAGIC_ZIP):
        raise _fout("geen_docx", pad)
    try:
        with zipfile.ZipFile(pad) as zf:
            z = _Zip(pad, zf, grenzen)
            z.controleer()
            return _lees_onderdelen(z)
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, NotImplementedError, RuntimeError) as e:
        raise _fout("kapotte_zip", pad, reden=_zip_reden(e)) from None
    except OSError as e:
        raise _fout("niet_leesbaar", pad, reden=os_reden(e)) from None


def _lees_onderdelen(z: _Zip) -> DocxOnderdelen:
    pad = z.pad
    if not z.heeft("[Content_Types].xml"):
        raise _fout("geen_docx", pad)
    pakket = _relaties(z, "")  # _rels/.rels
    hoofd = pakket.get(RT_OFFICE_DOCUMENT)
    if not hoofd:
        # Strict OOXML uses other relationship types; say so rather than "not a docx".
        if any("purl.oclc.org" in t for t in pakket):
            raise _fout("strict_ooxml", pad)
        raise _fout("geen_docx", pad)
    if not z.heeft(hoofd):
        raise _fout("geen_docx", pad)
    document = z.xml(hoofd)
    if document.tag == f"{{{W_STRICT}}}document":
        raise _fout("strict_ooxml", pad)
    if document.tag != f"{{{W}}}document":
        raise _fout("geen_docx", pad)
    uit = DocxOnderdelen(pad=pad, document=document)
    rels = _relaties(z, hoofd)
    for soort, attr in ((RT_COMMENTS, "comments"), (RT_COMMENTS_EXT, "comments_ext"), (RT_STYLES, "styles")):
        doel = rels.get(soort)
        if doel and z.heeft(doel):
            setattr(uit, attr, z.xml(doel))
    kern = pakket.get(RT_CORE)
    if kern and z.heeft(kern):
        uit.kenmerken = _kenmerken(z.xml(kern))
    return uit
