"""``kit comments``: reviewers' Word comments → a reactienota (.docx) and a .csv.

Flow: each reviewed .docx is opened safely (``kit.docx_lezen``), its comments are read
with their replies (commentsExtended ``w15:paraIdParent``), and each comment is mapped to

* the document (core property ``category``, else the file name, else the title),
* the section it sits in: the nearest preceding ``kit_…`` bookmark (the stable id, see
  ARCHITECTURE.md) and that heading's text; for a file not made by the kit, the nearest
  preceding heading paragraph (with a warning),
* the quoted text (between ``commentRangeStart`` and ``commentRangeEnd``),
* the choice keys behind that section (the ``keuzes:`` of the heading directive in
  ``templates/<document>/``), with their labels from the schema.

Several reviewers' copies of one document are merged; a comment present in more than one
copy (same author, date, text and anchor) appears once. Nothing is written when any input
is unreadable (exit 2): a reactienota that silently misses one adviesraad member's
comments would be worse than none. An existing reactienota is never overwritten: it is
the file the beleidsmedewerker fills in (exit 3, like ``render`` without ``--force``).
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

from lxml import etree

from kit.berichten import bericht
from kit.docx_lezen import W, W14, W15, MC, DocxOnderdelen, lees_docx, os_reden
from kit.errors import InputError, KitError, UsageError, WouldOverwrite
from kit.manifest import schrijf_nieuw

DOCUMENTEN = ("startnotitie", "beleidskader", "verordening", "beleidsregels", "raadsinformatiebrief",
              "raadsvoorstel-beleidskader", "raadsvoorstel-verordening")
# Template folder per document where it differs from the document name (DESIGN.md: templates/rib/).
SJABLOONMAPPEN = {"raadsinformatiebrief": ("raadsinformatiebrief", "rib")}
BOOKMARK_PREFIX = "kit_"
MAX_BESTANDEN = 200
MAX_CITAAT = 1500

from kit.paden import SJABLONEN as TEMPLATES  # noqa: E402


def bookmark_naam(id_: str) -> str:
    """ARCHITECTURE.md: the Word bookmark of a stable id."""
    return BOOKMARK_PREFIX + id_.replace("-", "_")


def id_uit_bookmark(naam: str) -> str | None:
    """Inverse of ``bookmark_naam`` (ids are ``[a-z0-9-]+``, so ``_`` was ``-``)."""
    if not naam.startswith(BOOKMARK_PREFIX):
        return None
    rest = naam[len(BOOKMARK_PREFIX):]
    if not rest or not re.fullmatch(r"[a-z0-9_]+", rest):
        return None
    return rest.replace("_", "-")


# --------------------------------------------------------------------------- model


@dataclass
class Sectie:
    id: str | None          # stable id from a kit_ bookmark; None when mapped by heading only
    kop: str = ""           # the heading text as the reviewer saw it ("Artikel 5. Persoonlijk plan")
    volgorde: int = 0


@dataclass
class Opmerking:
    cid: str                # w:id in its file
    auteur: str
    initialen: str
    datum: str              # as written (ISO 8601); "" when absent
    tekst: str
    bestand: Path
    sectie: Sectie | None = None
    citaat: str = ""
    positie: int = -1       # character offset of the anchor in the document text
    klaar: bool = False     # marked "done" in Word
    versie: str = ""        # versie of the document it was made in (core ``version``)
    antwoorden: list["Opmerking"] = field(default_factory=list)
    bestanden: list[Path] = field(default_factory=list)  # every copy it was found in
    soort: str = "opmerking"   # "opmerking" | "wijziging" (a reviewer's tracked change)
    oud: str = ""              # wijziging: the deleted text
    nieuw: str = ""            # wijziging: the inserted text
    alinea: str = ""           # the paragraph the anchor is in
    alinea_begin: int = 0      # offsets of the anchor in that paragraph
    alinea_eind: int = 0
    laatste_auteur: str = ""   # core lastModifiedBy of the copy (tells copies apart)

    @property
    def dag(self) -> str:
        return self.datum[:10] if re.match(r"\d{4}-\d{2}-\d{2}", self.datum) else ""

    def sleutel(self) -> tuple:
        """Equal for the same comment in two copies: whitespace is ignored, because a copy saved
        again by LibreOffice drops a tab or splits a line into two ``w:t``."""
        sectie = self.sectie.id or self.sectie.kop if self.sectie else ""
        return (self.soort, self.auteur.strip(), self.datum[:16], _zonder_wit(self.tekst), sectie,
                _zonder_wit(self.citaat), _zonder_wit(self.oud), _zonder_wit(self.nieuw))


@dataclass
class GelezenDocument:
    pad: Path
    naam: str | None        # one of DOCUMENTEN, or None
    kenmerken: dict[str, str]
    opmerkingen: list[Opmerking]   # top-level comments (replies inside) and tracked changes
    door_kit: bool                 # has kit_ bookmarks
    waarschuwingen: list[str] = field(default_factory=list)

    @property
    def versie(self) -> str:
        return self.kenmerken.get("version", "")

    @property
    def titel(self) -> str:
        return self.kenmerken.get("title", "")

    @property
    def gemeente(self) -> str:
        """The gemeente's name as written (core ``creator`` of a kit document, ARCHITECTURE.md).

        In a file the kit did not make, ``creator`` is a person: not used."""
        return self.kenmerken.get("creator", "") if self.door_kit else ""

    @property
    def gemeente_id(self) -> str:
        return (self.kenmerken.get("identifier", "") if self.door_kit else "") or self.gemeente


def _norm(tekst: str) -> str:
    return " ".join(tekst.split())


def _zonder_wit(tekst: str) -> str:
    return "".join(tekst.split())


# --------------------------------------------------------------------------- reading


def _attr(el: etree._Element, ns: str, naam: str) -> str:
    return el.get(f"{{{ns}}}{naam}") or ""


def _tekst(el: etree._Element) -> str:
    """Visible text of an element: w:t, tabs and breaks; no deleted text, no fallbacks."""
    delen: list[str] = []
    walker = etree.iterwalk(el, events=("start",))
    for _, kind in walker:
        tag = kind.tag
        if tag == f"{{{MC}}}Fallback" or tag == f"{{{W}}}del":
            walker.skip_subtree()
        elif tag == f"{{{W}}}t":
            delen.append(kind.text or "")
        elif tag in (f"{{{W}}}tab", f"{{{W}}}ptab"):
            delen.append("\t")
        elif tag in (f"{{{W}}}br", f"{{{W}}}cr"):
            delen.append("\n")
        elif tag == f"{{{W}}}noBreakHyphen":
            delen.append("-")
    return "".join(delen)


def _kopstijlen(styles: etree._Element | None) -> set[str]:
    """Style ids of heading styles: an outline level, or named "heading N" (any base chain)."""
    if styles is None:
        return set()
    info: dict[str, tuple[str, bool, str]] = {}
    for stijl in styles.iter(f"{{{W}}}style"):
        if _attr(stijl, W, "type") != "paragraph":
            continue
        sid = _attr(stijl, W, "styleId")
        naam_el = stijl.find(f"{{{W}}}name")
        naam = _attr(naam_el, W, "val").lower() if naam_el is not None else ""
        lvl = stijl.find(f"{{{W}}}pPr/{{{W}}}outlineLvl")
        heeft_lvl = lvl is not None and _attr(lvl, W, "val").isdigit() and int(_attr(lvl, W, "val")) < 9
        basis_el = stijl.find(f"{{{W}}}basedOn")
        basis = _attr(basis_el, W, "val") if basis_el is not None else ""
        info[sid] = (naam, heeft_lvl, basis)
    uit = set()
    for sid in info:
        huidig, stappen = sid, 0
        while huidig in info and stappen < 20:
            naam, heeft_lvl, basis = info[huidig]
            if heeft_lvl or re.fullmatch(r"heading [1-9]", naam):
                uit.add(sid)
                break
            huidig, stappen = basis, stappen + 1
    return uit


def _is_kop(p: etree._Element, kopstijlen: set[str]) -> bool:
    ppr = p.find(f"{{{W}}}pPr")
    if ppr is None:
        return False
    lvl = ppr.find(f"{{{W}}}outlineLvl")
    if lvl is not None and _attr(lvl, W, "val").isdigit() and int(_attr(lvl, W, "val")) < 9:
        return True
    stijl = ppr.find(f"{{{W}}}pStyle")
    if stijl is None:
        return False
    sid = _attr(stijl, W, "val")
    return sid in kopstijlen or bool(re.fullmatch(r"(Heading|Kop)[1-9]", sid))


def _lees_commentaren(wortel: etree._Element | None, pad: Path) -> tuple[dict[str, Opmerking], dict[str, str]]:
    """comment id → Opmerking, and paraId → comment id (for commentsExtended)."""
    opmerkingen: dict[str, Opmerking] = {}
    para: dict[str, str] = {}
    if wortel is None:
        return opmerkingen, para
    for c in wortel.iter(f"{{{W}}}comment"):
        cid = _attr(c, W, "id")
        if not cid or cid in opmerkingen:
            continue
        alineas = c.findall(f".//{{{W}}}p")
        tekst = "\n".join(_tekst(p).strip() for p in alineas).strip()
        for p in alineas:
            pid = _attr(p, W14, "paraId")
            if pid:
                para[pid.upper()] = cid
        opmerkingen[cid] = Opmerking(
            cid=cid,
            auteur=_attr(c, W, "author").strip(),
            initialen=_attr(c, W, "initials").strip(),
            datum=_attr(c, W, "date").strip(),
            tekst=tekst,
            bestand=pad,
        )
    return opmerkingen, para


def _lees_draden(ext: etree._Element | None, para: dict[str, str], opmerkingen: dict[str, Opmerking]) -> dict[str, str]:
    """reply comment id → parent comment id; marks done comments."""
    ouder: dict[str, str] = {}
    if ext is None:
        return ouder
    for ex in ext.iter(f"{{{W15}}}commentEx"):
        cid = para.get(_attr(ex, W15, "paraId").upper())
        if cid is None:
            continue
        if _attr(ex, W15, "done") in ("1", "true"):
            opmerkingen[cid].klaar = True
        pcid = para.get(_attr(ex, W15, "paraIdParent").upper())
        if pcid is not None and pcid != cid:
            ouder[cid] = pcid
    return ouder


def _wortel(cid: str, ouder: dict[str, str], geheugen: dict[str, str] | None = None) -> str:
    """The top of a reply chain (``ouder`` has no circles: see _breek_lussen). With
    ``geheugen`` every chain is walked once, so 10,000 replies cost linear time."""
    pad = []
    gezien = {cid}
    while cid in ouder and ouder[cid] not in gezien:
        if geheugen is not None and cid in geheugen:
            break
        pad.append(cid)
        cid = ouder[cid]
        gezien.add(cid)
    if geheugen is not None:
        cid = geheugen.get(cid, cid)
        for c in pad:
            geheugen[c] = cid
    return cid


@dataclass
class Wijziging:
    """One tracked insertion or deletion in the body (a reviewer's suggested text)."""
    soort: str              # "ins" | "del" | "vervang"
    auteur: str
    datum: str
    nieuw: str
    oud: str
    sectie: "Sectie | None"
    begin: int              # offset in the body text (a deletion has no width there)
    eind: int
    alinea: int             # index of the paragraph


@dataclass
class Doorloop:
    ankers: dict            # comment id -> (section, start, end)
    tekst: str
    door_kit: bool
    alineas: list           # (start offset, text) of every top-level paragraph
    wijzigingen: list       # Wijziging, in document order


def _verwijderd(el: etree._Element) -> str:
    delen = []
    for kind in el.iter(f"{{{W}}}delText", f"{{{W}}}t", f"{{{W}}}tab", f"{{{W}}}br", f"{{{W}}}cr"):
        if kind.tag in (f"{{{W}}}delText", f"{{{W}}}t"):
            delen.append(kind.text or "")
        elif kind.tag == f"{{{W}}}tab":
            delen.append("\t")
        else:
            delen.append("\n")
    return "".join(delen)


def _loop_document(doc: DocxOnderdelen) -> Doorloop:
    """Walk the body once: comment anchors, the body text, paragraphs, tracked changes."""
    kopstijlen = _kopstijlen(doc.styles)
    stukken: list[str] = []
    lengte = 0
    sectie: Sectie | None = None       # by kit bookmark
    kop: Sectie | None = None          # by heading paragraph (fallback)
    wacht: Sectie | None = None        # kit section whose heading text is still to come
    door_kit = False
    volgorde = 0
    ankers: dict[str, list] = {}        # id -> [sectie_kit, sectie_kop, start, end]
    in_alinea = 0
    alineas: list[tuple[int, str]] = []
    wijzigingen: list[list] = []        # [soort, auteur, datum, tekst, sectie_kit, sectie_kop, begin, eind, alinea]
    RUN = f"{{{W}}}r"

    def nieuwe_kit_sectie(id_: str, tekst: str) -> None:
        nonlocal sectie, wacht, door_kit, volgorde
        door_kit = True
        volgorde += 1
        sectie = Sectie(id=id_, kop=_norm(tekst), volgorde=volgorde)
        wacht = None if sectie.kop else sectie

    def wijziging(soort: str, el: etree._Element, tekst: str, begin: int, eind: int) -> None:
        auteur, datum = _attr(el, W, "author").strip(), _attr(el, W, "date").strip()
        if not tekst:
            return
        vorige = wijzigingen[-1] if wijzigingen else None
        if vorige is not None and vorige[1] == auteur and vorige[8] == len(alineas) - 1 and vorige[7] == begin \
                and (vorige[0] == soort or {vorige[0], soort} == {"ins", "del"} or vorige[0] == "vervang"):
            # adjacent pieces of one suggestion (a deletion right before an insertion = a replacement)
            if vorige[0] != soort:
                vorige[0] = "vervang"
            if soort == "del":
                vorige[9] += tekst
            else:
                vorige[3] += tekst
            vorige[7] = eind
            return
        rij = [soort, auteur, datum, tekst if soort == "ins" else "", sectie, kop, begin, eind, len(alineas) - 1,
               tekst if soort == "del" else ""]
        wijzigingen.append(rij)

    body = doc.document.find(f"{{{W}}}body")
    if body is None:
        return Doorloop({}, "", False, [], [])
    walker = etree.iterwalk(body, events=("start", "end"))
    for gebeurtenis, el in walker:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if gebeurtenis == "end":
            if tag == f"{{{W}}}p":
                in_alinea -= 1
            continue
        if tag == f"{{{MC}}}Fallback":
            walker.skip_subtree()
            continue
        if tag in (f"{{{W}}}del", f"{{{W}}}moveFrom"):
            if el.find(f".//{RUN}") is not None or (len(el) and el[0].tag == RUN):
                wijziging("del", el, _verwijderd(el), lengte, lengte)
            walker.skip_subtree()
            continue
        if tag in (f"{{{W}}}ins", f"{{{W}}}moveTo") and el.find(f".//{RUN}") is not None:
            tekst = _tekst(el)
            wijziging("ins", el, tekst, lengte, lengte + len(tekst))
        if tag == f"{{{W}}}p":
            in_alinea += 1
            if in_alinea > 1:
                continue  # a paragraph inside a text box: its text flows with the outer one
            if lengte:
                stukken.append("\n")
                lengte += 1
            tekst = _tekst(el)
            alineas.append((lengte, tekst))
            for bm in el.iter(f"{{{W}}}bookmarkStart"):
                id_ = id_uit_bookmark(_attr(bm, W, "name"))
                if id_:
                    nieuwe_kit_sectie(id_, tekst)
                    break
            else:
                if wacht is not None and tekst.strip():
                    wacht.kop = _norm(tekst)
                    wacht = None
            if _is_kop(el, kopstijlen) and tekst.strip():
                volgorde += 1
                kop = Sectie(id=None, kop=_norm(tekst), volgorde=volgorde)
        elif tag == f"{{{W}}}bookmarkStart" and in_alinea == 0:
            id_ = id_uit_bookmark(_attr(el, W, "name"))
            if id_:
                nieuwe_kit_sectie(id_, "")
        elif tag == f"{{{W}}}commentRangeStart":
            cid = _attr(el, W, "id")
            if cid and cid not in ankers:
                ankers[cid] = [sectie, kop, lengte, None]
        elif tag == f"{{{W}}}commentRangeEnd":
            cid = _attr(el, W, "id")
            if cid in ankers and ankers[cid][3] is None:
                ankers[cid][3] = lengte
        elif tag == f"{{{W}}}commentReference":
            cid = _attr(el, W, "id")
            if cid and cid not in ankers:
                ankers[cid] = [sectie, kop, lengte, lengte]
        elif tag == f"{{{W}}}t":
            t = el.text or ""
            stukken.append(t)
            lengte += len(t)
        elif tag in (f"{{{W}}}tab", f"{{{W}}}ptab", f"{{{W}}}br", f"{{{W}}}cr"):
            stukken.append(" ")
            lengte += 1
        elif tag == f"{{{W}}}noBreakHyphen":
            stukken.append("-")
            lengte += 1
    tekst = "".join(stukken)
    uit: dict[str, tuple[Sectie | None, int, int]] = {}
    for cid, (s_kit, s_kop, begin, eind) in ankers.items():
        gekozen = s_kit if door_kit else s_kop
        if eind is None:
            eind = begin
        uit[cid] = (gekozen, begin, eind)
    lijst = [Wijziging("ins" if not w[9] else ("del" if not w[3] else "vervang"), w[1], w[2], w[3], w[9],
                       w[4] if door_kit else w[5], w[6], w[7], w[8]) for w in wijzigingen]
    return Doorloop(uit, tekst, door_kit, alineas, lijst)


def _citaat(tekst: str, begin: int, eind: int) -> str:
    stuk = tekst[begin:eind]
    stuk = "\n".join(_norm(regel) for regel in stuk.split("\n"))
    stuk = re.sub(r"\n+", "\n", stuk).strip()
    if len(stuk) > MAX_CITAAT:
        stuk = stuk[: MAX_CITAAT - 1].rstrip() + "…"
    return stuk


def documentnaam(kenmerken: dict[str, str], pad: Path) -> str | None:
    """Which of the five documents a file is: core ``category``, else file name, else title."""
    categorie = kenmerken.get("category", "").strip().lower()
    if categorie in DOCUMENTEN:
        return categorie
    stam = pad.stem.lower()
    for naam in sorted(DOCUMENTEN, key=len, reverse=True):  # "raadsvoorstel-verordening" before "verordening"
        if naam in stam:
            return naam
    if re.search(r"(^|[^a-z])rib([^a-z]|$)", stam):
        return "raadsinformatiebrief"
    titel = kenmerken.get("title", "").lower()
    for naam in sorted(DOCUMENTEN, key=len, reverse=True):
        if naam in titel:
            return naam
    return None


def _breek_lussen(ouder: dict[str, str], opmerkingen: dict[str, "Opmerking"]) -> list[list[str]]:
    """Replies that (through commentsExtended) answer each other in a circle would hang under
    each other and vanish: the earliest comment of each circle becomes a top-level comment."""
    lussen: list[list[str]] = []
    klaar: set[str] = set()
    for start in list(ouder):
        pad: list[str] = []
        op_pad: set[str] = set()
        cid = start
        while cid in ouder and cid not in klaar and cid not in op_pad:
            pad.append(cid)
            op_pad.add(cid)
            cid = ouder[cid]
        if cid in op_pad:  # a circle: from cid round to cid
            lus = pad[pad.index(cid):]
            eerste = min(lus, key=lambda c: (opmerkingen[c].datum, _int(c), c))
            del ouder[eerste]
            lussen.append(lus)
        klaar.update(pad)
    return lussen


def lees_opmerkingen(pad: Path) -> GelezenDocument:
    """Read one reviewed .docx: its comments with replies, anchors and sections, and the
    reviewers' tracked changes (each a row of its own)."""
    doc = lees_docx(pad)
    opmerkingen, para = _lees_commentaren(doc.comments, doc.pad)
    ouder = _lees_draden(doc.comments_ext, para, opmerkingen)
    waarschuwingen = [bericht("comments.antwoordlus", bestand=doc.pad, ids=", ".join(lus))
                      for lus in _breek_lussen(ouder, opmerkingen)]
    loop = _loop_document(doc)
    starts = [b for b, _ in loop.alineas]
    laatste = doc.kenmerken.get("lastModifiedBy", "")
    wortels: dict[str, str] = {}

    def plaats(o: Opmerking, begin: int, eind: int) -> None:
        i = bisect.bisect_right(starts, begin) - 1
        if 0 <= i < len(loop.alineas):
            b, tekst = loop.alineas[i]
            o.alinea, o.alinea_begin, o.alinea_eind = tekst, begin - b, min(eind - b, len(tekst))

    for cid, o in opmerkingen.items():
        o.bestanden = [doc.pad]
        o.versie = doc.kenmerken.get("version", "")
        o.laatste_auteur = laatste
        anker = loop.ankers.get(cid)
        if anker is None and cid in ouder:
            anker = loop.ankers.get(_wortel(cid, ouder, wortels))
        if anker is not None:
            s, begin, eind = anker
            o.sectie, o.positie, o.citaat = s, begin, _citaat(loop.tekst, begin, eind)
            plaats(o, begin, eind)
    hoofd: list[Opmerking] = []
    for cid, o in opmerkingen.items():
        w = _wortel(cid, ouder, wortels)
        if w != cid and w in opmerkingen:
            opmerkingen[w].antwoorden.append(o)
        else:
            hoofd.append(o)
    for n, w in enumerate(loop.wijzigingen, 1):
        o = Opmerking(cid=f"w{n}", auteur=w.auteur, initialen="", datum=w.datum, tekst="", bestand=doc.pad,
                      sectie=w.sectie, citaat=_citaat(w.oud, 0, len(w.oud)) if w.oud else "", positie=w.begin,
                      versie=doc.kenmerken.get("version", ""), bestanden=[doc.pad], soort="wijziging",
                      oud=w.oud.strip(), nieuw=w.nieuw.strip(), laatste_auteur=laatste)
        if 0 <= w.alinea < len(loop.alineas):
            b, tekst = loop.alineas[w.alinea]
            o.alinea, o.alinea_begin, o.alinea_eind = tekst, w.begin - b, w.eind - b
        hoofd.append(o)
    for o in hoofd:
        o.antwoorden.sort(key=lambda a: (a.datum, _int(a.cid)))
    hoofd.sort(key=lambda o: (o.positie, o.datum, o.soort, _int(o.cid.lstrip("w"))))
    return GelezenDocument(
        pad=doc.pad,
        naam=documentnaam(doc.kenmerken, doc.pad),
        kenmerken=doc.kenmerken,
        opmerkingen=hoofd,
        door_kit=loop.door_kit,
        waarschuwingen=waarschuwingen,
    )


def _int(tekst: str) -> int:
    return int(tekst) if tekst.isdigit() else 0


# --------------------------------------------------------------------------- choice keys


@lru_cache(maxsize=None)
def keuzes_per_sectie(document: str, templates: Path = TEMPLATES) -> dict[str, tuple[str, ...]]:
    """id → choice keys, from the heading directives in ``templates/<document>/**/*.j2``."""
    patroon = re.compile(r"^\s*@(?:hoofdstuk|paragraaf|artikel|sectie|subsectie)\s+([a-z0-9-]+)\s*\|(.*)$")
    uit: dict[str, tuple[str, ...]] = {}
    mappen = [templates / m for m in SJABLOONMAPPEN.get(document, (document,))] + [templates / "_gedeeld"]
    for map_ in mappen:
        if not map_.is_dir():
            continue
        for bestand in sorted(map_.rglob("*.j2")):
            try:
                regels = bestand.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            for regel in regels:
                m = patroon.match(regel)
                if not m:
                    continue
                keuzes: tuple[str, ...] = ()
                for deel in m.group(2).split("|"):
                    deel = deel.strip()
                    if deel.startswith("keuzes:"):
                        keuzes = tuple(k.strip() for k in deel[len("keuzes:"):].split(",") if k.strip())
                uit.setdefault(m.group(1), keuzes)
    return uit


@lru_cache(maxsize=1)
def keuzes_per_sectie_alle() -> frozenset[str]:
    """Every article / section id of every document (to tell a toelichting on an article)."""
    return frozenset(k for d in DOCUMENTEN for k in keuzes_per_sectie(d))


def keuze_label(sleutel: str) -> str:
    """Dutch label of a choice key from the schema; the key itself when there is none."""
    try:
        from kit.schema import label
    except ImportError:
        return sleutel
    try:
        tekst = label(sleutel)
    except Exception:  # an unknown key is not worth failing a reactienota for
        return sleutel
    return str(tekst) if tekst else sleutel


# --------------------------------------------------------------------------- which choice a sentence comes from

_KOP = re.compile(r"^\s*@(?:hoofdstuk|paragraaf|artikel|sectie|subsectie)\s+([a-z0-9-]+)\s*\|(.*)$")
_UITDRUKKING = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_NAAM = re.compile(r"(?<![\w.'\"])([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*)")
_ZET = re.compile(r"\{%-?\s*set\s+([a-z_][a-z0-9_]*)\s*=\s*(.*?)-?%\}", re.S)
_LABEL = re.compile(r"^(?:\d+[a-z]?\.|[a-z]{1,3}\.|•)\s+")


@dataclass
class _Regel:
    patroon: re.Pattern
    letterlijk: int                      # characters of fixed text (how telling a match is)
    groepen: list[tuple[str, ...]]       # choice keys per expression group, in order


@lru_cache(maxsize=1)
def _schema_sleutels() -> frozenset[str]:
    try:
        from kit.schema import iter_keys
    except ImportError:
        return frozenset()
    try:
        return frozenset(iter_keys())
    except Exception:  # no schema: no exact keys
        return frozenset()


@lru_cache(maxsize=1)
def _schema_voorvoegsels() -> frozenset[str]:
    uit: set[str] = set()
    for k in _schema_sleutels():
        delen = k.split(".")
        uit |= {".".join(delen[:n]) for n in range(1, len(delen) + 1)}
    return frozenset(uit)


def _keuzesleutels(expressie: str, aliassen: dict[str, str], voorvoegsel: bool = False) -> tuple[str, ...]:
    """The choice keys an expression reads (aliases of ``{% set mb = maatschappelijke_begeleiding %}``
    resolved); only keys of the choice file's schema, never ``wet.*`` or derived values."""
    alle = _schema_voorvoegsels() if voorvoegsel else _schema_sleutels()
    uit: list[str] = []
    for m in _NAAM.finditer(re.sub(r"(['\"]).*?\1", "", expressie)):
        naam = m.group(1)
        eerste, _, rest = naam.partition(".")
        if eerste in aliassen:
            naam = aliassen[eerste] + ("." + rest if rest else "")
        delen = naam.split(".")
        for n in range(len(delen), 0, -1):
            kandidaat = ".".join(delen[:n])
            if kandidaat in alle:
                uit.append(kandidaat)
                break
    return tuple(dict.fromkeys(uit))


@lru_cache(maxsize=None)
def herkomst_index(document: str, templates: Path = TEMPLATES) -> dict[str, tuple[list[_Regel], tuple[str, ...]]]:
    """Section id → (its template lines as patterns, every choice key the section reads)."""
    mappen = [templates / m for m in SJABLOONMAPPEN.get(document, (document,))] + [templates / "_gedeeld"]
    uit: dict[str, tuple[list[_Regel], tuple[str, ...]]] = {}
    for map_ in mappen:
        if not map_.is_dir():
            continue
        for bestand in sorted(map_.rglob("*.j2")):
            try:
                tekst = bestand.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            aliassen: dict[str, str] = {}
            for m in _ZET.finditer(tekst):
                sleutels = _keuzesleutels(m.group(2), {}, voorvoegsel=True)
                if sleutels:
                    aliassen[m.group(1)] = sleutels[0]
            sectie = None
            for regel in tekst.splitlines():
                m = _KOP.match(regel)
                if m:
                    sectie = m.group(1)
                    uit.setdefault(sectie, ([], ()))
                    continue
                s = regel.strip()
                if sectie is None or not s or s.startswith(("@", "{#")):
                    continue
                if s.startswith("- "):
                    s = s[2:]
                stukken = _UITDRUKKING.split(s)
                uitdrukkingen = _UITDRUKKING.findall(s)
                letterlijk = sum(len(x.strip()) for x in stukken)
                groepen = [_keuzesleutels(u, aliassen) for u in uitdrukkingen]
                regels, alle = uit[sectie]
                alle = tuple(dict.fromkeys(alle + tuple(k for g in groepen for k in g)))
                if letterlijk >= 8:
                    delen = _afwisselend(stukken, uitdrukkingen)
                    while delen and not delen[-1].strip():
                        delen.pop()
                    bron = "".join(re.escape(re.sub(r"\s+", " ", x)).replace(r"\ ", r"\s+") if i % 2 == 0
                                   else ("(.*)" if i == len(delen) - 1 else "(.*?)")
                                   for i, x in enumerate(delen))
                    try:
                        regels.append(_Regel(re.compile(bron), letterlijk, groepen))
                    except re.error:
                        pass
                uit[sectie] = (regels, alle)
    return uit


def _afwisselend(stukken: list[str], uitdrukkingen: list[str]) -> list[str]:
    uit: list[str] = []
    for i, s in enumerate(stukken):
        uit.append(s)
        if i < len(uitdrukkingen):
            uit.append(uitdrukkingen[i])
    return uit


def herkomst(document: str, sectie_id: str, alinea: str, begin: int, eind: int) -> tuple[str, ...]:
    """The choice key(s) the commented text comes from: the template line that made the
    paragraph, and of that line the expression(s) whose output the comment covers.
    ``begin``/``eind`` are offsets of the comment in ``alinea``. Empty when unknown."""
    index = herkomst_index(document)
    if sectie_id not in index:
        return ()
    regels, _ = index[sectie_id]
    tekst = _LABEL.sub("", alinea.replace("\t", " "), count=1)
    verschuiving = len(alinea) - len(tekst)
    b, e = begin - verschuiving, max(eind - verschuiving, begin - verschuiving)
    beste = None
    for r in regels:
        m = r.patroon.search(tekst)
        if m is None:
            continue
        # a paragraph may be made of several template lines: the line that holds the comment
        score = (m.start() <= b and m.end() >= e, r.letterlijk)
        if beste is None or score > beste[0]:
            beste = (score, r, m)
    if beste is None:
        return ()
    _, r, m = beste
    geraakt: list[str] = []
    alle: list[str] = []
    for i, sleutels in enumerate(r.groepen, 1):
        if not sleutels:
            continue
        alle += sleutels
        gb, ge = m.span(i)
        if gb < ge and gb < max(e, b + 1) and ge > b:
            geraakt += sleutels
    gekozen = tuple(dict.fromkeys(geraakt or alle))
    return gekozen


def sectie_keuzes(document: str, sectie_id: str) -> tuple[str, ...]:
    """The choice keys of a section: declared on its heading (``keuzes:``), else every choice
    key its template reads; a toelichting section (``toel-<artikel>``) has its article's."""
    gedeclareerd = keuzes_per_sectie(document)
    if gedeclareerd.get(sectie_id):
        return gedeclareerd[sectie_id]
    if sectie_id.startswith("toel-") and gedeclareerd.get(sectie_id[5:]):
        return gedeclareerd[sectie_id[5:]]
    index = herkomst_index(document)
    return index.get(sectie_id, ([], ()))[1]


# --------------------------------------------------------------------------- merging


@dataclass
class Rij:
    nr: int
    opmerking: Opmerking
    sectie_id: str
    kop: str
    keuzes: tuple[str, ...]


@dataclass
class DocumentGroep:
    sleutel: tuple[str, str]        # (gemeente, document)
    naam: str | None
    titel: str
    gemeente: str
    versies: list[str]
    bestanden: list[Path]
    indieners: list[str]
    rijen: list[Rij] = field(default_factory=list)
    door_kit: bool = True
    weergave: dict = field(default_factory=dict)        # path -> as shown (enough of the path)
    laatste_auteur: dict = field(default_factory=dict)  # path -> core lastModifiedBy


def weergavenamen(paden: Iterable[Path]) -> dict[Path, str]:
    """Each file as shown in the reactienota: its name, or as much of its path as it takes
    to tell it apart from the other files (every member sends ``verordening.docx``)."""
    paden = list(dict.fromkeys(Path(p) for p in paden))
    delen = {p: (p.resolve().parts if p.is_absolute() or p.exists() else p.parts) for p in paden}
    uit: dict[Path, str] = {}
    for p in paden:
        for n in range(1, len(delen[p]) + 1):
            staart = delen[p][-n:]
            if not any(q != p and delen[q][-n:] == staart for q in paden):
                break
        uit[p] = "/".join(staart) if len(staart) > 1 else staart[0]
    return uit


def voeg_samen(documenten: Iterable[GelezenDocument]) -> list[DocumentGroep]:
    """Group copies of the same document; drop comments present in more than one copy
    (compared without whitespace); afgehandeld when any copy says so."""
    documenten = list(documenten)
    namen = weergavenamen(d.pad for d in documenten)
    # the last author tells copies apart only when a reviewer saved it (not the kit: creator)
    laatste = {d.pad: d.kenmerken.get("lastModifiedBy", "") if d.kenmerken.get("lastModifiedBy", "") != d.kenmerken.get("creator", "")
               else "" for d in documenten}
    groepen: dict[tuple[str, str], DocumentGroep] = {}
    gezien: dict[tuple[str, str], dict[tuple, Opmerking]] = {}
    volgorde: list[tuple[str, str]] = []
    for doc in documenten:
        sleutel = (doc.gemeente_id, doc.naam or doc.titel or doc.pad.stem)
        groep = groepen.get(sleutel)
        if groep is None:
            groep = DocumentGroep(sleutel, doc.naam, doc.titel, doc.gemeente, [], [], [])
            groepen[sleutel] = groep
            gezien[sleutel] = {}
            volgorde.append(sleutel)
        groep.weergave = namen
        groep.laatste_auteur = laatste
        if doc.versie and doc.versie not in groep.versies:
            groep.versies.append(doc.versie)
        if not groep.titel and doc.titel:
            groep.titel = doc.titel
        groep.bestanden.append(doc.pad)
        groep.door_kit = groep.door_kit and doc.door_kit
        for o in doc.opmerkingen:
            k = o.sleutel()
            bestaand = gezien[sleutel].get(k)
            if bestaand is None:
                gezien[sleutel][k] = o
                continue
            bestaand.bestanden.append(doc.pad)
            bestaand.klaar = bestaand.klaar or o.klaar
            bekend = {a.sleutel() for a in bestaand.antwoorden}
            for a in o.antwoorden:
                if a.sleutel() not in bekend:
                    bestaand.antwoorden.append(a)
                    bekend.add(a.sleutel())
            bestaand.antwoorden.sort(key=lambda a: (a.datum, _int(a.cid)))
    uit = []
    for sleutel in volgorde:
        groep = groepen[sleutel]
        opmerkingen = sorted(gezien[sleutel].values(), key=lambda o: (o.positie, o.datum, o.soort, o.auteur, _int(o.cid.lstrip("w"))))
        for nr, o in enumerate(opmerkingen, start=1):
            sid = o.sectie.id if o.sectie and o.sectie.id else ""
            keuzes: tuple[str, ...] = ()
            if groep.naam and sid:
                keuzes = herkomst(groep.naam, sid, o.alinea, o.alinea_begin, o.alinea_eind) or sectie_keuzes(groep.naam, sid)
            groep.rijen.append(Rij(nr, o, sid, o.sectie.kop if o.sectie else "", keuzes))
        namen_: list[str] = []
        for o in opmerkingen:
            for a in [o, *o.antwoorden]:
                if a.auteur and a.auteur not in namen_:
                    namen_.append(a.auteur)
        groep.indieners = namen_
        uit.append(groep)
    return uit


# --------------------------------------------------------------------------- output


@lru_cache(maxsize=1)
def _teksten() -> dict:
    """The reactienota's text (``templates/reactienota/reactienota.yaml``)."""
    import yaml

    return yaml.safe_load((TEMPLATES / "reactienota" / "reactienota.yaml").read_text(encoding="utf-8"))


_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def _csv_cel(waarde: str) -> str:
    """Excel runs cells starting with = + - @ as formulas (CSV injection): prefix a quote."""
    return "'" + waarde if waarde.startswith(_FORMULE) else waarde


def maak_csv(groepen: list[DocumentGroep]) -> bytes:
    """UTF-8 with BOM, ';' separated, CRLF: what Dutch Excel opens right on a double click."""
    t = _teksten()
    kolommen = t["csv_kolommen"]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    w.writerow([kolommen[k] for k in kolommen])
    for groep in groepen:
        for rij in groep.rijen:
            waarden = rij_waarden(groep, rij, t)
            w.writerow([_csv_cel(waarden[k]) for k in kolommen])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def sectietekst(rij: Rij, t: dict) -> str:
    if rij.kop and rij.sectie_id.startswith("toel-") and rij.sectie_id[5:] in keuzes_per_sectie_alle():
        return _tekst_uit("toelichting_op", kop=rij.kop)
    if rij.kop:
        return rij.kop
    return t["geen_sectie"] if rij.opmerking.positie >= 0 else t["plaats_onbekend"]


def bestandsnaam(groep: DocumentGroep, pad: Path) -> str:
    return _tekst_uit("bestand_regel", pad=groep.weergave.get(pad, pad.name), auteur=groep.laatste_auteur.get(pad, ""))


def opmerkingtekst(o: Opmerking) -> str:
    """What the reviewer wrote, or for a tracked change: the suggestion, old → new."""
    if o.soort != "wijziging":
        return o.tekst
    return _sjabloon(_teksten()["voorgestelde_wijziging"]).render(oud=o.oud, nieuw=o.nieuw).strip()


def rij_waarden(groep: DocumentGroep, rij: Rij, t: dict) -> dict[str, str]:
    o = rij.opmerking
    antwoorden = "\n".join(f"{a.auteur} ({a.dag}): {a.tekst}" if a.dag else f"{a.auteur}: {a.tekst}" for a in o.antwoorden)
    return {
        "document": groep.naam or groep.titel or groep.sleutel[1],
        "versie": o.versie,
        "nr": str(rij.nr),
        "soort": t["soorten"][o.soort],
        "sectie_id": rij.sectie_id,
        "sectie": sectietekst(rij, t),
        "keuzes": ", ".join(rij.keuzes),
        "keuzes_labels": "; ".join(keuze_label(k) for k in rij.keuzes),
        "citaat": o.citaat,
        "opmerking": opmerkingtekst(o),
        "oud": o.oud,
        "nieuw": o.nieuw,
        "antwoorden": antwoorden,
        "indiener": o.auteur,
        "datum": o.dag,
        "afgehandeld": t["ja"] if o.klaar else t["nee"],
        "reactie": "",
        "gevolg": "",
        "bestanden": "; ".join(bestandsnaam(groep, p) for p in o.bestanden),
    }


# --------------------------------------------------------------------------- reactienota (.docx)
#
# Written with python-docx, not with the kit's markup writer: the table needs cells with
# several paragraphs (an opmerking with its replies under it), free text that may hold any
# character (the markup's ``| cel |`` rows have no escape for "|"), fixed column widths,
# a repeated header row and a landscape page -- none of which the document markup has.
# All text comes from ``templates/reactienota/reactienota.yaml``.

KOLOMBREEDTES_CM = {"nr": 0.9, "sectie": 3.4, "citaat": 4.4, "opmerking": 5.6, "indiener": 2.4,
                    "datum": 2.2, "reactie": 4.2, "gevolg": 2.6}  # 25.7 cm: A4 landscape minus 2 x 2 cm
VASTE_ZIPTIJD = (1980, 1, 1, 0, 0, 0)


@lru_cache(maxsize=1)
def _jinja():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


@lru_cache(maxsize=None)
def _sjabloon(bron: str):
    """A text of reactienota.yaml, compiled once (not once per row)."""
    return _jinja().from_string(bron)


def _tekst_uit(sleutel: str, **context: object) -> str:
    from kit.docx_writer import xml_schoon

    return xml_schoon(_norm(_sjabloon(_teksten()[sleutel]).render(**context)))


def datum_nl(iso: str) -> str:
    """"2021-06-10" → "10-06-2021" (the date as written in a Dutch document)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso[:10]) if iso else None
    return f"{m.group(3)}-{m.group(2)}-{m.group(1)}" if m else ""


def _groepcontext(groep: DocumentGroep) -> dict:
    t = _teksten()
    titel = groep.titel or t["documentnamen"].get(groep.naam or "", "") or groep.sleutel[1]
    return {
        "titel": titel,
        "naam": groep.naam or "",
        "versies": groep.versies,
        "gemeente": groep.gemeente,
        "aantal": len(groep.rijen),
        "indieners": groep.indieners,
        "bestanden": [bestandsnaam(groep, p) for p in groep.bestanden],
    }


def _nota_context(groepen: list[DocumentGroep]) -> dict:
    documenten = [_groepcontext(g) for g in groepen]
    indieners: list[str] = []
    for g in groepen:
        for naam in g.indieners:
            if naam not in indieners:
                indieners.append(naam)
    gemeenten = sorted({g.gemeente for g in groepen if g.gemeente})
    return {
        "documenten": documenten,
        "indieners": indieners,
        "aantal": sum(len(g.rijen) for g in groepen),
        "gemeente": gemeenten[0] if len(gemeenten) == 1 else "",
    }


def _laatste_datum(groepen: list[DocumentGroep]):
    import datetime as dt

    data = [a.dag for g in groepen for r in g.rijen for a in (r.opmerking, *r.opmerking.antwoorden) if a.dag]
    if not data:
        return dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    return dt.datetime.fromisoformat(max(data)).replace(tzinfo=dt.timezone.utc)


def _zet_taal(document, taal: str = "nl-NL") -> None:
    from docx.oxml.ns import qn
    from docx.oxml import OxmlElement

    rpr = document.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), taal)
    lang.set(qn("w:eastAsia"), taal)


def _voettekst_liggend(sectie, breedte) -> None:
    """The huisstijl's header/footer tab stops are set for portrait: clear those (the paragraph's
    own and its style's, else the tab stops at the portrait margin, mid-page) and add a right
    stop at the landscape text width so "pagina x van y" stays at the right margin."""
    from docx.enum.text import WD_TAB_ALIGNMENT

    for deel in (sectie.header, sectie.footer):
        if deel.is_linked_to_previous and not deel.paragraphs:
            continue
        for p in deel.paragraphs:
            if "\t" in p.text or p._p.xpath(".//w:tab"):
                stops = p.paragraph_format.tab_stops
                stops.clear_all()
                geerfd: set[int] = set()
                stijl = p.style
                while stijl is not None:
                    geerfd |= {t.position for t in stijl.paragraph_format.tab_stops}
                    stijl = stijl.base_style
                for positie in sorted(geerfd - {breedte}):
                    stops.add_tab_stop(positie, WD_TAB_ALIGNMENT.CLEAR)
                stops.add_tab_stop(breedte, WD_TAB_ALIGNMENT.RIGHT)


def _niet_splitsen(rij) -> None:
    """A comment row stays on one page (w:cantSplit): a row cut over two pages reads badly."""
    from docx.oxml import OxmlElement

    rij._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _kopregel(rij) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = rij._tr.get_or_add_trPr()
    kop = OxmlElement("w:tblHeader")
    kop.set(qn("w:val"), "true")
    trpr.append(kop)


def _rij_xml(cellen: list[tuple[list[tuple[str, dict]], Any]]) -> str:
    """One table row (kept on one page) as OOXML; each cell (paragraphs, width), each paragraph
    (text, opmaak) as in :func:`_cel`. Line breaks in a text become paragraphs, tabs tabs."""
    from kit.docx_writer import xml_tekst

    delen = ['<w:tr><w:trPr><w:cantSplit/></w:trPr>']
    for regels, breedte in cellen:
        delen.append(f'<w:tc><w:tcPr><w:tcW w:w="{breedte.twips}" w:type="dxa"/></w:tcPr>')
        for tekst, opmaak in regels:
            rpr = ("<w:b/>" if opmaak.get("vet") else "") + ("<w:i/>" if opmaak.get("cursief") else "")
            rpr += '<w:color w:val="595959"/>' if opmaak.get("grijs") else ""
            rpr += f'<w:sz w:val="{16 if opmaak.get("klein") else 18}"/>'
            for deel in (tekst.split("\n") if tekst else [""]):
                stukken = [f'<w:t xml:space="preserve">{xml_tekst(x)}</w:t>' for x in deel.split("\t")]
                delen.append(f'<w:p><w:pPr><w:spacing w:after="40"/></w:pPr><w:r><w:rPr>{rpr}</w:rPr>'
                             f'{"<w:tab/>".join(stukken)}</w:r></w:p>')
        delen.append("</w:tc>")
    delen.append("</w:tr>")
    return "".join(delen)


def _cel(cel, regels: list[tuple[str, dict]], breedte) -> None:
    """Fill a cell with paragraphs; each (text, opmaak) with opmaak keys vet/cursief/klein/grijs."""
    from docx.shared import Pt, RGBColor

    from kit.docx_writer import xml_schoon

    cel.width = breedte
    eerste = True
    for tekst, opmaak in regels:
        for deel in (tekst.split("\n") if tekst else [""]):
            p = cel.paragraphs[0] if eerste else cel.add_paragraph()
            eerste = False
            p.paragraph_format.space_after = Pt(2)
            run = p.add_run(xml_schoon(deel))
            run.font.size = Pt(8 if opmaak.get("klein") else 9)
            run.bold = bool(opmaak.get("vet")) or None
            run.italic = bool(opmaak.get("cursief")) or None
            if opmaak.get("grijs"):
                run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def _reproduceerbaar(data: bytes) -> bytes:
    """Rewrite python-docx's zip with fixed entry times (same input ⇒ same bytes)."""
    import zipfile

    bron = zipfile.ZipFile(io.BytesIO(data))
    uit = io.BytesIO()
    with zipfile.ZipFile(uit, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for info in bron.infolist():
            nieuw = zipfile.ZipInfo(info.filename, date_time=VASTE_ZIPTIJD)
            nieuw.compress_type = zipfile.ZIP_DEFLATED
            nieuw.external_attr = 0o644 << 16
            z.writestr(nieuw, bron.read(info))
    return uit.getvalue()


HUISSTIJL = TEMPLATES / "huisstijl.docx"


def _basisdocument(groepen: list[DocumentGroep], ctx: dict):
    """The huisstijl (title block, header, footer, styles) rendered by the kit's writer with an
    empty body, opened in python-docx for the tables. Without the writer or the huisstijl
    (a bare checkout): python-docx's own template. Returns (document, has_title_block)."""
    import docx

    try:
        from kit.docx_writer import Huisstijl
        from kit.model import Document as Model
    except ImportError:
        return docx.Document(), False
    if not HUISSTIJL.is_file():
        return docx.Document(), False
    versies: list[str] = []
    for g in groepen:
        versies += [v for v in g.versies if v not in versies]
    meta = {
        "gemeente": ctx["gemeente"],
        "document_titel": _tekst_uit("titel", **ctx),
        "versie": ", ".join(versies),
        "status_label": _tekst_uit("status", **ctx),
        "datum": _laatste_datum(groepen).date().isoformat(),
        "auteur": "",
        "ter_advisering": False,
        "adviesraad": "",
        "advies_termijn": "",
        "advies_wijze": "",
    }
    data = Huisstijl(HUISSTIJL).schrijf(Model(naam="reactienota", titel=meta["document_titel"], blokken=[]), meta)
    return docx.Document(io.BytesIO(data)), True


def maak_reactienota(groepen: list[DocumentGroep]) -> bytes:
    """The reactienota as .docx bytes: landscape A4, intro, one table per document."""
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt

    t = _teksten()
    ctx = _nota_context(groepen)
    doc, titelblok = _basisdocument(groepen, ctx)
    _zet_taal(doc)
    doc.styles["Normal"].font.size = Pt(10)
    sectie = doc.sections[0]
    sectie.orientation = WD_ORIENT.LANDSCAPE
    sectie.page_width, sectie.page_height = Cm(29.7), Cm(21.0)
    for kant in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sectie, kant, Cm(2.0))
    _voettekst_liggend(sectie, Cm(29.7 - 4.0))

    kp = doc.core_properties
    kp.title = _tekst_uit("titel_document", **ctx)
    kp.subject = _tekst_uit("titel", **ctx)
    kp.author = ctx["gemeente"]
    kp.category = "reactienota"
    kp.language = "nl-NL"
    kp.last_modified_by = ""
    kp.revision = 1
    kp.created = kp.modified = _laatste_datum(groepen)
    kp.comments = ""

    if not titelblok:
        doc.add_heading(_tekst_uit("titel", **ctx), level=0)
    doc.add_paragraph(_tekst_uit("ondertitel", **ctx))
    doc.add_heading(_tekst_uit("inleiding_kop", **ctx), level=1)
    doc.add_paragraph(_tekst_uit("inleiding", **ctx))
    for d in ctx["documenten"]:
        doc.add_paragraph(_tekst_uit("document_regel", d=d, **ctx), style="List Bullet")
    doc.add_paragraph(_tekst_uit("indieners", **ctx))
    doc.add_paragraph(_tekst_uit("werkwijze", **ctx))

    kolommen = t["tabel_kolommen"]
    breedtes = {k: Cm(KOLOMBREEDTES_CM[k]) for k in kolommen}
    for groep, d in zip(groepen, ctx["documenten"]):
        doc.add_heading(_tekst_uit("document_kop", d=d, **ctx), level=1)
        tabel = doc.add_table(rows=1, cols=len(kolommen))
        tabel.style = "Table Grid"
        tabel.alignment = WD_TABLE_ALIGNMENT.CENTER
        tabel.autofit = False
        for kolom, k in zip(tabel.columns, kolommen):
            kolom.width = breedtes[k]
        kop = tabel.rows[0]
        _kopregel(kop)
        for cel, k in zip(kop.cells, kolommen):
            _cel(cel, [(kolommen[k], {"vet": True})], breedtes[k])
        rijen_xml: list[str] = []
        for rij in groep.rijen:
            o = rij.opmerking
            labels = [keuze_label(k) for k in rij.keuzes]
            sectiecel = [(sectietekst(rij, t), {})]
            if len(groep.versies) > 1 and o.versie:
                sectiecel.append((_tekst_uit("versie_regel", versie=o.versie), {"klein": True, "grijs": True}))
            if labels:
                sectiecel.append((_tekst_uit("keuzes_regel", labels=labels), {"klein": True, "grijs": True}))
            opmerkingcel = [(t["soort_wijziging"], {"klein": True, "grijs": True})] if o.soort == "wijziging" else []
            opmerkingcel.append((opmerkingtekst(o), {}))
            if o.klaar:
                opmerkingcel.append((t["afgehandeld"], {"klein": True, "grijs": True}))
            for a in o.antwoorden:
                regel = _tekst_uit("antwoord_regel", a={"auteur": a.auteur, "datum": datum_nl(a.dag), "tekst": a.tekst})
                opmerkingcel.append((regel, {"cursief": True}))
            inhoud = {
                "nr": [(str(rij.nr), {})],
                "sectie": sectiecel,
                "citaat": [(o.citaat, {"cursief": True})],
                "opmerking": opmerkingcel,
                "indiener": [(o.auteur or t["onbekende_indiener"], {})],
                "datum": [(datum_nl(o.dag), {})],
                "reactie": [("", {})],
                "gevolg": [("", {})],
            }
            rijen_xml.append(_rij_xml([(inhoud[k], breedtes[k]) for k in kolommen]))
        # all rows at once, as OOXML (python-docx's add_row/cells cost ~10 ms a row and walk
        # the whole table: 10,000 comments took minutes; this is linear and fast)
        wortel = etree.fromstring(f'<w:tbl xmlns:w="{W}">{"".join(rijen_xml)}</w:tbl>'.encode("utf-8"))
        tabel._tbl.extend(list(wortel))
    buf = io.BytesIO()
    doc.save(buf)
    return _reproduceerbaar(buf.getvalue())


def csv_pad(uitvoer: Path) -> Path:
    return uitvoer.with_suffix(".csv")


def comments_cli(paths: list[Path], uitvoer: Path, echo: Callable[..., None]) -> int:
    """The ``kit comments`` command; returns the exit code. Messages go through ``echo``."""
    uitvoer = Path(uitvoer)
    if uitvoer.suffix.lower() != ".docx":
        raise UsageError(bericht("comments.uitvoer_geen_docx", bestand=uitvoer))
    if len(paths) > MAX_BESTANDEN:
        raise UsageError(bericht("comments.te_veel_bestanden", aantal=len(paths), max=MAX_BESTANDEN, bestand=paths[MAX_BESTANDEN]))
    documenten: list[GelezenDocument] = []
    fouten: list[str] = []
    gezien: set[Path] = set()
    for pad in paths:
        pad = Path(pad)
        try:
            echt = pad.resolve()
        except OSError:
            echt = pad
        if echt in gezien:
            echo(bericht("comments.dubbel_bestand", bestand=pad), err=True)
            continue
        gezien.add(echt)
        if uitvoer.exists() and echt == uitvoer.resolve():
            fouten.append(bericht("comments.invoer_is_uitvoer", bestand=pad))
            continue
        try:
            documenten.append(lees_opmerkingen(pad))
        except KitError as e:
            fouten.append(str(e))
    if fouten:
        for f in fouten:
            echo(f, err=True)
        echo(bericht("comments.niets_geschreven", aantal=len(fouten)), err=True)
        return 2
    totaal = 0
    for doc in documenten:
        n = len(doc.opmerkingen)
        for w in doc.waarschuwingen:
            echo(w, err=True)
        totaal += n
        if n == 0:
            echo(bericht("comments.geen_opmerkingen", bestand=doc.pad), err=True)
        elif not doc.door_kit:
            echo(bericht("comments.niet_door_kit", bestand=doc.pad), err=True)
        if n and doc.naam is None:
            echo(bericht("comments.document_onbekend", bestand=doc.pad), err=True)
    if totaal == 0:
        echo(bericht("comments.nergens_opmerkingen"), err=True)
        return 0
    groepen = voeg_samen(documenten)
    csvdoel = csv_pad(uitvoer)
    bestaand = [p for p in (uitvoer, csvdoel) if p.exists()]
    if bestaand:
        raise WouldOverwrite(bericht("comments.bestaat_al", bestand=bestaand[0]), bestaand)
    if not uitvoer.parent.is_dir():
        raise InputError(bericht("comments.map_bestaat_niet", bestand=uitvoer.parent))
    docx = maak_reactienota(groepen)
    csvdata = maak_csv(groepen)
    try:
        schrijf_nieuw(uitvoer, docx)
        try:
            schrijf_nieuw(csvdoel, csvdata)
        except BaseException:
            uitvoer.unlink(missing_ok=True)
            raise
    except FileExistsError:
        raise WouldOverwrite(bericht("comments.bestaat_al", bestand=uitvoer), [uitvoer]) from None
    except OSError as e:
        raise InputError(bericht("comments.schrijven_mislukt", bestand=uitvoer, reden=os_reden(e))) from None
    aantal = sum(len(g.rijen) for g in groepen)
    echo(bericht("comments.geschreven", docx=uitvoer, csv=csvdoel, aantal=aantal, documenten=len(groepen)))
    return 0
