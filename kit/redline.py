"""Structural diff of two :class:`~kit.model.Document` models → native Word tracked changes.

The engine (README, "Versies vergelijken"): sections are aligned by their stable kop id, the
blocks inside a matched section by :mod:`difflib` on their text, and a changed paragraph is
diffed word by word. The result is a *plan* (a list of :class:`Stap`) that
:class:`RedlineLichaam` turns into body XML through the kit's own writer (so the redline has
the huisstijl, the bookmarks and the numbering of the render):

* unchanged block → written exactly as ``kit render`` writes it;
* inserted / deleted block (whole sections, paragraphs, tables, figures) → the render's XML
  with every run wrapped in ``<w:ins>`` / ``<w:del>`` and the paragraph mark (``w:pPr/w:rPr``)
  and table rows (``w:trPr``) marked too, so accepting or rejecting removes the paragraph;
* changed paragraph or heading (renumbering included) → word-level ``<w:ins>``/``<w:del>``.

:func:`accepteer` and :func:`verwerp` apply "accept all" / "reject all" to document XML;
:func:`alinea_teksten` reads the paragraph texts (tests verify both directions with them).
"""

from __future__ import annotations

import difflib
import re
from collections import ChainMap
from dataclasses import dataclass
from typing import Any, Mapping

from lxml import etree

from kit.docx_writer import W_NS, _Lichaam, alinea_xml, run_xml, xml_schoon, xml_tekst
from kit.model import Blok, Document, Run, bookmark_naam

W = f"{{{W_NS}}}"
_NS_DECL = (
    f'xmlns:w="{W_NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)
_WOORD = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
EERSTE_WIJZIGING_ID = 90000  # far away from the bookmark ids of the huisstijl and the body


# ------------------------------------------------------------------------------- the plan

@dataclass
class Stap:
    soort: str                # "gelijk" | "ins" | "del" | "wijzig"
    oud: Blok | None = None
    nieuw: Blok | None = None


def _handtekening(b: Blok) -> tuple:
    """What must be equal for a block to count as unchanged (not its positional id)."""
    if b.soort == "kop":
        return ("kop", b.niveau, b.kop_tekst)
    return (b.soort, b.label, b.titel, b.tekst, b.stijl, b.lid, tuple(tuple(r) for r in b.rijen), b.grafiek,
            tuple(r.vet for r in b.runs))


def _tekst(b: Blok) -> str:
    return b.kop_tekst if b.soort == "kop" else f"{b.label} {b.tekst}".strip()


def _secties(doc: Document) -> tuple[list[str], dict[str, list[Blok]]]:
    secties = doc.secties()
    return list(secties), secties


def plan(oud: Document, nieuw: Document) -> list[Stap]:
    """The steps that turn ``oud`` into ``nieuw``, in the order of the new document."""
    o_ids, o_sec = _secties(oud)
    n_ids, n_sec = _secties(nieuw)
    stappen: list[Stap] = []
    sm = difflib.SequenceMatcher(None, o_ids, n_ids, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            for o_id, n_id in zip(o_ids[i1:i2], n_ids[j1:j2]):
                stappen += _sectie_plan(o_sec[o_id], n_sec[n_id])
            continue
        for o_id in o_ids[i1:i2]:
            stappen += [Stap("del", oud=b) for b in o_sec[o_id]]
        for n_id in n_ids[j1:j2]:
            stappen += [Stap("ins", nieuw=b) for b in n_sec[n_id]]
    return stappen


def _sectie_plan(oud: list[Blok], nieuw: list[Blok]) -> list[Stap]:
    stappen: list[Stap] = []
    if oud and oud[0].soort == "kop" and nieuw and nieuw[0].soort == "kop":
        o_kop, n_kop = oud[0], nieuw[0]
        stappen.append(Stap("gelijk" if _handtekening(o_kop) == _handtekening(n_kop) else "wijzig", o_kop, n_kop))
        oud, nieuw = oud[1:], nieuw[1:]
    sm = difflib.SequenceMatcher(None, [_handtekening(b) for b in oud], [_handtekening(b) for b in nieuw], autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            stappen += [Stap("gelijk", o, n) for o, n in zip(oud[i1:i2], nieuw[j1:j2])]
        elif op == "delete":
            stappen += [Stap("del", oud=b) for b in oud[i1:i2]]
        elif op == "insert":
            stappen += [Stap("ins", nieuw=b) for b in nieuw[j1:j2]]
        else:
            stappen += _koppel(oud[i1:i2], nieuw[j1:j2])
    return stappen


def _koppel(oud: list[Blok], nieuw: list[Blok]) -> list[Stap]:
    """Pair changed blocks that are the same paragraph with other words; the rest del/ins."""
    stappen: list[Stap] = []
    i = j = 0
    while i < len(oud) and j < len(nieuw):
        o, n = oud[i], nieuw[j]
        if o.soort == n.soort and o.soort in ("alinea", "lijst") and \
                difflib.SequenceMatcher(None, _tekst(o), _tekst(n), autojunk=False).ratio() >= 0.4:
            stappen.append(Stap("wijzig", o, n))
            i += 1
            j += 1
            continue
        # the one that is worst matched goes out first
        beste_o = max((difflib.SequenceMatcher(None, _tekst(o), _tekst(x)).ratio() for x in nieuw[j:]), default=0)
        if beste_o < 0.4:
            stappen.append(Stap("del", oud=o))
            i += 1
        else:
            stappen.append(Stap("ins", nieuw=n))
            j += 1
    stappen += [Stap("del", oud=b) for b in oud[i:]]
    stappen += [Stap("ins", nieuw=b) for b in nieuw[j:]]
    return stappen


def is_gewijzigd(stappen: list[Stap]) -> bool:
    return any(s.soort != "gelijk" for s in stappen)


# ------------------------------------------------------------------------------- word diff

Token = tuple[str, str, bool]   # (kind "t" | "tab" | "br", text, bold)


def _tokens(runs: list[Run], voorvoegsel: str = "") -> list[Token]:
    uit: list[Token] = []
    if voorvoegsel:
        uit += [("t", voorvoegsel, False), ("tab", "", False)]
    for r in runs:
        if r.regelbreuk:
            uit.append(("br", "", r.vet))
            continue
        uit += [("t", w, r.vet) for w in _WOORD.findall(r.tekst)]
    return uit


class RedlineLichaam(_Lichaam):
    """Body XML with tracked changes; constructed by ``Huisstijl.schrijf(..., lichaam=...)``."""

    def __init__(self, stijl, document: Document, grafieken: Mapping[str, Any], *,
                 stappen: list[Stap], auteur: str, datum: str, oude_grafieken: Mapping[str, Any] | None = None):
        super().__init__(stijl, document, ChainMap(dict(grafieken), dict(oude_grafieken or {})))
        self.stappen = stappen
        self.auteur = xml_schoon(auteur)  # an attribute value: XML-valid characters only
        self.datum = datum
        self.wijziging_id = EERSTE_WIJZIGING_ID

    # -- ids and marks
    def _id(self) -> int:
        self.wijziging_id += 1
        return self.wijziging_id

    def _attr(self) -> str:
        return f'w:id="{self._id()}" w:author="{xml_tekst(self.auteur)}" w:date="{self.datum}"'

    def xml(self) -> str:
        delen = []
        for s in self.stappen:
            if s.soort == "gelijk":
                delen.append(self.blok(s.nieuw))
            elif s.soort == "ins":
                delen.append(self._markeer(self.blok(s.nieuw), "ins"))
            elif s.soort == "del":
                delen.append(self._markeer(self.blok(s.oud), "del"))
            else:
                delen.append(self._wijzig(s.oud, s.nieuw))
        return "".join(delen)

    # -- a whole block inserted or deleted
    def _markeer(self, xml: str, soort: str) -> str:
        wortel = etree.fromstring(f"<w:body {_NS_DECL}>{xml}</w:body>".encode("utf-8"))
        if soort == "del":
            for bm in wortel.iter(f"{W}bookmarkStart", f"{W}bookmarkEnd"):
                bm.getparent().remove(bm)
        for tr in wortel.iter(f"{W}tr"):
            trpr = tr.find(f"{W}trPr")
            if trpr is None:
                trpr = etree.Element(f"{W}trPr")
                tr.insert(1 if len(tr) and tr[0].tag == f"{W}tblPrEx" else 0, trpr)
            trpr.append(self._merk(soort))
        for p in wortel.iter(f"{W}p"):
            for r in [c for c in p if c.tag == f"{W}r"]:
                omhulsel = self._merk(soort)
                r.addprevious(omhulsel)
                omhulsel.append(r)
                if soort == "del":
                    for t in r.iter(f"{W}t"):
                        t.tag = f"{W}delText"
                    for t in r.iter(f"{W}instrText"):
                        t.tag = f"{W}delInstrText"
            if _in_cel(p):
                continue  # a cell keeps its paragraph mark; the row carries the change
            ppr = p.find(f"{W}pPr")
            if ppr is None:
                ppr = etree.Element(f"{W}pPr")
                p.insert(0, ppr)
            rpr = ppr.find(f"{W}rPr")
            if rpr is None:
                rpr = etree.SubElement(ppr, f"{W}rPr")
            rpr.insert(0, self._merk(soort))
        return "".join(etree.tostring(c, encoding="unicode") for c in wortel)

    def _merk(self, soort: str) -> etree._Element:
        el = etree.Element(f"{W}{soort}")
        el.set(f"{W}id", str(self._id()))
        el.set(f"{W}author", self.auteur)
        el.set(f"{W}date", self.datum)
        return el

    # -- a changed heading or paragraph: word diff
    def _wijzig(self, oud: Blok, nieuw: Blok) -> str:
        if nieuw.soort == "kop":
            sid = self.s_kop.get(nieuw.niveau)
            extra = "" if sid else f'<w:keepNext/><w:outlineLvl w:val="{nieuw.niveau - 1}"/>'
            inhoud = self._woorddiff(_tokens([Run(oud.kop_tekst)]), _tokens([Run(nieuw.kop_tekst)]), vet=not sid)
            return alinea_xml(self._bm(bookmark_naam(nieuw.id), inhoud), sid, extra)
        if nieuw.soort not in ("alinea", "lijst") or oud.soort != nieuw.soort:
            return self._markeer(self.blok(oud), "del") + self._markeer(self.blok(nieuw), "ins")
        stijl, voor_n = self._stijl_en_voorvoegsel(nieuw)
        _, voor_o = self._stijl_en_voorvoegsel(oud)
        return alinea_xml(self._woorddiff(_tokens(oud.runs, voor_o), _tokens(nieuw.runs, voor_n)), stijl)

    def _stijl_en_voorvoegsel(self, b: Blok) -> tuple[str | None, str]:
        eigen = self._eigen_stijl(b)
        if b.soort == "alinea":
            if b.lid and b.label:
                return eigen or self.s_lid, b.label
            return eigen, ""
        if b.label:
            return eigen or self.s_lijst, b.label
        return eigen or self.s_opsomming, "•"

    def _woorddiff(self, oud: list[Token], nieuw: list[Token], vet: bool = False) -> str:
        sm = difflib.SequenceMatcher(None, oud, nieuw, autojunk=False)
        delen = []
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op == "equal":
                delen.append(self._runs(nieuw[j1:j2], vet))
                continue
            if i2 > i1:
                delen.append(f"<w:del {self._attr()}>{self._runs(oud[i1:i2], vet, verwijderd=True)}</w:del>")
            if j2 > j1:
                delen.append(f"<w:ins {self._attr()}>{self._runs(nieuw[j1:j2], vet)}</w:ins>")
        return "".join(delen)

    @staticmethod
    def _runs(tokens: list[Token], vet: bool, verwijderd: bool = False) -> str:
        delen: list[str] = []
        buf: list[str] = []
        buf_vet = False

        def spoel() -> None:
            if buf:
                delen.append(run_xml(Run("".join(buf), vet=buf_vet or vet), verwijderd=verwijderd))
                buf.clear()

        for soort, tekst, b in tokens:
            if soort == "t":
                if buf and b != buf_vet:
                    spoel()
                buf_vet = b
                buf.append(tekst)
                continue
            spoel()
            delen.append("<w:r><w:tab/></w:r>" if soort == "tab" else run_xml(Run("", vet=b or vet, regelbreuk=True)))
        spoel()
        return "".join(delen)


def _in_cel(p: etree._Element) -> bool:
    ouder = p.getparent()
    while ouder is not None:
        if ouder.tag == f"{W}tc":
            return True
        ouder = ouder.getparent()
    return False


# ------------------------------------------------------------------------------- accept / reject

def _pas_toe(document_xml: bytes, houd: str) -> etree._Element:
    """``houd`` = "ins" (accept all) or "del" (reject all)."""
    weg = "del" if houd == "ins" else "ins"
    wortel = etree.fromstring(document_xml)
    for tr in list(wortel.iter(f"{W}tr")):
        if tr.find(f"{W}trPr/{W}{weg}") is not None:
            tr.getparent().remove(tr)
    for p in list(wortel.iter(f"{W}p")):
        if p.find(f"{W}pPr/{W}rPr/{W}{weg}") is not None:
            p.getparent().remove(p)
    for el in list(wortel.iter(f"{W}{weg}")):
        if el.getparent() is not None and el.getparent().tag not in (f"{W}rPr", f"{W}trPr"):
            el.getparent().remove(el)
    for el in list(wortel.iter(f"{W}{houd}")):
        ouder = el.getparent()
        if ouder.tag in (f"{W}rPr", f"{W}trPr"):
            ouder.remove(el)
            continue
        index = ouder.index(el)
        for kind in list(el):
            ouder.insert(index, kind)
            index += 1
        ouder.remove(el)
    for t in wortel.iter(f"{W}delText"):
        t.tag = f"{W}t"
    return wortel


def accepteer(document_xml: bytes) -> etree._Element:
    """"Accept all changes" on ``word/document.xml``."""
    return _pas_toe(document_xml, "ins")


def verwerp(document_xml: bytes) -> etree._Element:
    """"Reject all changes" on ``word/document.xml``."""
    return _pas_toe(document_xml, "del")


def alinea_teksten(wortel: etree._Element | bytes, vanaf_bookmark: bool = True) -> list[str]:
    """The text of every paragraph of the body (tables included), in order. ``vanaf_bookmark``:
    start at the first paragraph with a kit bookmark (skips the huisstijl's title block)."""
    if isinstance(wortel, bytes):
        wortel = etree.fromstring(wortel)
    uit: list[str] = []
    begonnen = not vanaf_bookmark
    for p in wortel.iter(f"{W}p"):
        if not begonnen:
            namen = [bm.get(f"{W}name", "") for bm in p.iter(f"{W}bookmarkStart")]
            begonnen = any(n.startswith("kit_") for n in namen)
            if not begonnen:
                continue
        delen = []
        for el in p.iter(f"{W}t", f"{W}delText", f"{W}tab", f"{W}br"):
            if el.tag in (f"{W}t", f"{W}delText"):
                delen.append(el.text or "")
            elif el.tag == f"{W}tab":
                if el.getparent().tag == f"{W}r":
                    delen.append("\t")
            else:
                delen.append("\n")
        uit.append("".join(delen))
    return uit


__all__ = ["Stap", "plan", "is_gewijzigd", "RedlineLichaam", "accepteer", "verwerp", "alinea_teksten"]
