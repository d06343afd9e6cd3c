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


def _sleutel(b: Blok) -> tuple:
    """What aligns two blocks of a section: their content without the position label (lid
    "2." that becomes "3." after an inserted lid is still the same lid)."""
    if b.soort in ("alinea", "lijst"):
        return (b.soort, b.stijl, b.lid, _norm(b.tekst), tuple(r.vet for r in b.runs))
    if b.soort in ("tabel", "figuur"):
        return (b.soort, b.anker)
    return (b.soort,)


def _norm(tekst: str) -> str:
    return " ".join(tekst.split())


def _woorden(tekst: str) -> list[str]:
    return [w for w in _WOORD.findall(tekst) if not w.isspace()]


def _gelijkenis(o: Blok, n: Blok) -> float:
    """0..1: how much two blocks are the same paragraph / table (0: never paired)."""
    if o.soort != n.soort:
        return 0.0
    if o.soort in ("tabel", "figuur"):
        return 1.0 if o.anker == n.anker else 0.0
    if o.soort not in ("alinea", "lijst") or o.lid != n.lid:
        return 0.0
    a, b = _woorden(o.tekst), _woorden(n.tekst)
    if not a and not b:
        return 1.0
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if sm.real_quick_ratio() < DREMPEL or sm.quick_ratio() < DREMPEL:
        return 0.0
    return sm.ratio()


DREMPEL = 0.5   # below this share of common words two paragraphs are a deletion + an insertion


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


def _paar(o: Blok, n: Blok) -> Stap:
    return Stap("gelijk" if _handtekening(o) == _handtekening(n) else "wijzig", o, n)


def _sectie_plan(oud: list[Blok], nieuw: list[Blok]) -> list[Stap]:
    """Paragraphs first (leden, onderdelen, tables matched on content), then words inside the
    matched ones: an inserted lid is one insertion, the leden after it only get a new number."""
    stappen: list[Stap] = []
    if oud and oud[0].soort == "kop" and nieuw and nieuw[0].soort == "kop":
        stappen.append(_paar(oud[0], nieuw[0]))
        oud, nieuw = oud[1:], nieuw[1:]
    sm = difflib.SequenceMatcher(None, [_sleutel(b) for b in oud], [_sleutel(b) for b in nieuw], autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            stappen += [_paar(o, n) for o, n in zip(oud[i1:i2], nieuw[j1:j2])]
        else:
            stappen += _koppel(oud[i1:i2], nieuw[j1:j2])
    return stappen


def _koppel(oud: list[Blok], nieuw: list[Blok]) -> list[Stap]:
    """Best order-keeping pairing of changed blocks (most common words in total); the blocks
    left unpaired are whole insertions and deletions."""
    n, m = len(oud), len(nieuw)
    if n * m > 40000:  # a rewritten document: no pairing, every block in or out
        return [Stap("del", oud=b) for b in oud] + [Stap("ins", nieuw=b) for b in nieuw]
    sim = [[_gelijkenis(o, x) for x in nieuw] for o in oud]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            s = sim[i][j]
            paar = best[i + 1][j + 1] + s if s >= DREMPEL else -1.0
            best[i][j] = max(paar, best[i + 1][j], best[i][j + 1])
    stappen: list[Stap] = []
    i = j = 0
    while i < n and j < m:
        s = sim[i][j]
        if s >= DREMPEL and best[i][j] == best[i + 1][j + 1] + s:
            stappen.append(_paar(oud[i], nieuw[j]))
            i += 1
            j += 1
        elif best[i][j] == best[i + 1][j]:
            stappen.append(Stap("del", oud=oud[i]))
            i += 1
        else:
            stappen.append(Stap("ins", nieuw=nieuw[j]))
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
        self.vorige = ""
        for s in self.stappen:
            self.ins_eerst = self.vorige == "ins"
            self.vorige = s.soort
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
        self._markeer_el(wortel, soort)
        return "".join(etree.tostring(c, encoding="unicode") for c in wortel)

    def _markeer_el(self, wortel: etree._Element, soort: str) -> None:
        """Mark everything under ``wortel`` inserted / deleted: the runs of a paragraph in one
        ``w:ins``/``w:del`` (one tracked change per paragraph), the paragraph mark, table rows."""
        if soort == "del":
            for bm in list(wortel.iter(f"{W}bookmarkStart", f"{W}bookmarkEnd")):
                bm.getparent().remove(bm)
        for tr in wortel.iter(f"{W}tr"):
            trpr = tr.find(f"{W}trPr")
            if trpr is None:
                trpr = etree.Element(f"{W}trPr")
                tr.insert(1 if len(tr) and tr[0].tag == f"{W}tblPrEx" else 0, trpr)
            trpr.append(self._merk(soort))
        for p in list(wortel.iter(f"{W}p")):
            omhulsel = None
            for c in list(p):
                if c.tag != f"{W}r":
                    omhulsel = None
                    continue
                if omhulsel is None:
                    omhulsel = self._merk(soort)
                    c.addprevious(omhulsel)
                omhulsel.append(c)
                if soort == "del":
                    for t in c.iter(f"{W}t"):
                        t.tag = f"{W}delText"
                    for t in c.iter(f"{W}instrText"):
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

    def _merk(self, soort: str) -> etree._Element:
        el = etree.Element(f"{W}{soort}")
        el.set(f"{W}id", str(self._id()))
        el.set(f"{W}author", self.auteur)
        el.set(f"{W}date", self.datum)
        return el

    # -- a changed heading, paragraph or table
    def _wijzig(self, oud: Blok, nieuw: Blok) -> str:
        if nieuw.soort == "kop":
            sid = self.s_kop.get(nieuw.niveau)
            extra = "" if sid else f'<w:keepNext/><w:outlineLvl w:val="{nieuw.niveau - 1}"/>'
            inhoud = self._woorddiff(_tokens([Run(oud.kop_tekst)]), _tokens([Run(nieuw.kop_tekst)]), vet=not sid)
            return alinea_xml(self._bm(bookmark_naam(nieuw.id), inhoud), sid, extra)
        if nieuw.soort == "tabel" and oud.soort == "tabel":
            return self._tabel_diff(oud, nieuw)
        if nieuw.soort not in ("alinea", "lijst") or oud.soort != nieuw.soort:
            return self._markeer(self.blok(oud), "del") + self._markeer(self.blok(nieuw), "ins")
        stijl, voor_n = self._stijl_en_voorvoegsel(nieuw)
        _, voor_o = self._stijl_en_voorvoegsel(oud)
        return alinea_xml(self._woorddiff(_tokens(oud.runs, voor_o), _tokens(nieuw.runs, voor_n)), stijl)

    def _tabel_diff(self, oud: Blok, nieuw: Blok) -> str:
        """A table compared cell by cell: rows matched, changed cells word by word, inserted and
        deleted rows tracked as rows. The caption and the paragraph after the table stay."""
        o_kol = max((len(r) for r in oud.rijen), default=1)
        n_kol = max((len(r) for r in nieuw.rijen), default=1)
        if o_kol != n_kol:  # other columns: another table
            return self._markeer(self.blok(oud), "del") + self._markeer(self.blok(nieuw), "ins")
        o_wortel = etree.fromstring(f"<w:body {_NS_DECL}>{self._zonder_bm(self.blok(oud))}</w:body>".encode("utf-8"))
        n_wortel = etree.fromstring(f"<w:body {_NS_DECL}>{self.blok(nieuw)}</w:body>".encode("utf-8"))
        o_tbl, n_tbl = o_wortel.find(f"{W}tbl"), n_wortel.find(f"{W}tbl")
        o_rijen, n_rijen = o_tbl.findall(f"{W}tr"), n_tbl.findall(f"{W}tr")
        # the caption: word diff when its number or title changed
        bijschrift = n_tbl.getprevious()
        o_tekst = f"{oud.label}. {oud.titel}" if oud.titel else oud.label
        n_tekst = f"{nieuw.label}. {nieuw.titel}" if nieuw.titel else nieuw.label
        if bijschrift is not None and o_tekst != n_tekst:
            self._vervang_runs(bijschrift, self._woorddiff(_tokens([Run(o_tekst)]), _tokens([Run(n_tekst)])))
        for tr in n_rijen:
            n_tbl.remove(tr)
        for soort, i, j in _rij_plan(oud.rijen, nieuw.rijen):
            if soort == "ins":
                self._markeer_el(n_rijen[j], "ins")
                n_tbl.append(n_rijen[j])
            elif soort == "del":
                self._markeer_el(o_rijen[i], "del")
                n_tbl.append(o_rijen[i])
            else:
                tr = n_rijen[j]
                o_cel, n_cel = oud.rijen[i], nieuw.rijen[j]
                for k, tc in enumerate(tr.findall(f"{W}tc")):
                    a = o_cel[k] if k < len(o_cel) else ""
                    b = n_cel[k] if k < len(n_cel) else ""
                    if a != b:
                        p = tc.find(f"{W}p")
                        self._vervang_runs(p, self._woorddiff(_cel_tokens(a, j == 0), _cel_tokens(b, j == 0)))
                n_tbl.append(tr)
        return "".join(etree.tostring(c, encoding="unicode") for c in n_wortel)

    @staticmethod
    def _zonder_bm(xml: str) -> str:
        return re.sub(r"<w:bookmark(Start|End)\b[^>]*/>", "", xml)

    @staticmethod
    def _vervang_runs(p: etree._Element, runs_xml_: str) -> None:
        for c in [c for c in p if c.tag == f"{W}r"]:
            p.remove(c)
        nieuw = etree.fromstring(f"<w:p {_NS_DECL}>{runs_xml_}</w:p>".encode("utf-8"))
        eind = p.find(f"{W}bookmarkEnd")
        for c in list(nieuw):
            if eind is not None:
                eind.addprevious(c)
            else:
                p.append(c)

    def _stijl_en_voorvoegsel(self, b: Blok) -> tuple[str | None, str]:
        eigen = self._eigen_stijl(b)
        if b.soort == "alinea":
            if b.lid and b.label:
                return eigen or self.s_lid, b.label
            return eigen, ""
        if b.label:
            return eigen or self.s_lijst, b.label
        return eigen or self.s_opsomming, "•"

    def _woorddiff(self, oud: list[Token], nieuw: list[Token], vet: bool = False, rpr: str = "") -> str:
        """Word-level changes. A change at the very start of a paragraph right after an inserted
        paragraph puts its insertion first, so it joins that insertion (a new lid and the next
        lid's new number are one insertion, as in Word's and LibreOffice's Compare)."""
        delen = []
        ins_eerst = getattr(self, "ins_eerst", False)
        for op, i1, i2, j1, j2 in woord_opcodes(oud, nieuw):
            if op == "equal":
                delen.append(self._runs(nieuw[j1:j2], vet, rpr=rpr))
                continue
            weg = f"<w:del {self._attr()}>{self._runs(oud[i1:i2], vet, verwijderd=True, rpr=rpr)}</w:del>" if i2 > i1 else ""
            bij = f"<w:ins {self._attr()}>{self._runs(nieuw[j1:j2], vet, rpr=rpr)}</w:ins>" if j2 > j1 else ""
            delen.append(bij + weg if ins_eerst and i1 == 0 and j1 == 0 else weg + bij)
        return "".join(delen)

    @staticmethod
    def _runs(tokens: list[Token], vet: bool, verwijderd: bool = False, rpr: str = "") -> str:
        delen: list[str] = []
        buf: list[str] = []
        buf_vet = False

        def spoel() -> None:
            if buf:
                delen.append(run_xml(Run("".join(buf), vet=buf_vet or vet), verwijderd=verwijderd, rpr=rpr))
                buf.clear()

        for soort, tekst, b in tokens:
            if soort == "t":
                if buf and b != buf_vet:
                    spoel()
                buf_vet = b
                buf.append(tekst)
                continue
            spoel()
            delen.append("<w:r><w:tab/></w:r>" if soort == "tab" else run_xml(Run("", vet=b or vet, regelbreuk=True), rpr=rpr))
        spoel()
        return "".join(delen)


def woord_opcodes(oud: list[Token], nieuw: list[Token]) -> list[tuple[str, int, int, int, int]]:
    """difflib opcodes on word tokens, cleaned up the way a reader (and Word's or LibreOffice's
    Compare) sees a change: an equal piece between two changes that is no longer than the
    changes on either side of it (a space, a comma, "het minimum") is folded into one change,
    so "houdt het minimum van 12 uur aan" → "kiest voor 16 uur, meer dan het minimum" is one
    deletion and one insertion, not five pieces."""
    ops = [list(x) for x in difflib.SequenceMatcher(None, oud, nieuw, autojunk=False).get_opcodes()]

    def lengte(tokens: list[Token]) -> int:
        return sum(len(t) or 1 for _, t, _ in tokens)

    def wijziging(op: list) -> int:
        return max(lengte(oud[op[1]:op[2]]), lengte(nieuw[op[3]:op[4]]))

    veranderd = True
    while veranderd:
        veranderd = False
        for k in range(1, len(ops) - 1):
            op = ops[k]
            if op[0] != "equal" or ops[k - 1][0] == "equal" or ops[k + 1][0] == "equal":
                continue
            stuk = oud[op[1]:op[2]]
            if _klein(stuk) or lengte(stuk) <= min(wijziging(ops[k - 1]), wijziging(ops[k + 1])):
                voor, na = ops[k - 1], ops[k + 1]
                ops[k - 1: k + 2] = [["replace", voor[1], na[2], voor[3], na[4]]]
                veranderd = True
                break
    return [tuple(x) for x in ops]


def _klein(tokens: list[Token]) -> bool:
    tekst = "".join(t for _, t, _ in tokens)
    return not tekst.strip() or len(tekst.strip()) <= 2 and all(s == "t" for s, _, _ in tokens)


def _cel_tokens(cel: str, vet: bool) -> list[Token]:
    runs: list[Run] = []
    for j, stuk in enumerate(cel.split("\n")):
        if j:
            runs.append(Run("", vet=vet, regelbreuk=True))
        runs.append(Run(stuk, vet=vet))
    return _tokens(runs)


def _rij_plan(oud: list[list[str]], nieuw: list[list[str]]) -> list[tuple[str, int, int]]:
    """Rows of two tables aligned: ("gelijk"|"wijzig", i, j), ("del", i, -1), ("ins", -1, j)."""
    def sim(a: list[str], b: list[str]) -> float:
        if a == b:
            return 1.0
        if a and b and a[0] == b[0] and a[0].strip():
            return 0.9  # same first cell: the same row with other figures
        gelijk = sum(1 for x, y in zip(a, b) if x == y)
        return gelijk / max(len(a), len(b), 1)

    n, m = len(oud), len(nieuw)
    s = [[sim(a, b) for b in nieuw] for a in oud]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            paar = best[i + 1][j + 1] + s[i][j] if s[i][j] >= 0.5 else -1.0
            best[i][j] = max(paar, best[i + 1][j], best[i][j + 1])
    uit: list[tuple[str, int, int]] = []
    i = j = 0
    while i < n and j < m:
        if s[i][j] >= 0.5 and best[i][j] == best[i + 1][j + 1] + s[i][j]:
            uit.append(("wijzig" if oud[i] != nieuw[j] else "gelijk", i, j))
            i += 1
            j += 1
        elif best[i][j] == best[i + 1][j]:
            uit.append(("del", i, -1))
            i += 1
        else:
            uit.append(("ins", -1, j))
            j += 1
    uit += [("del", k, -1) for k in range(i, n)]
    uit += [("ins", -1, k) for k in range(j, m)]
    return uit


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


# ------------------------------------------------------------------------------- the title block

_MERKTEKEN = "\ue000kit-inhoud\ue000"


def _titelblok(stijl, meta: Mapping, context: Mapping) -> tuple[str, list[etree._Element]]:
    """The huisstijl's main part rendered up to the body: (its text up to the body, the title
    block's paragraphs as elements)."""
    from markupsafe import Markup

    from kit.templating import render_veilig

    waarden = dict(context, meta=meta, inhoud=Markup(f"<w:p><w:r><w:t>{_MERKTEKEN}</w:t></w:r></w:p>"))
    # the huisstijl is a gemeente's own template: within the budgets, as in kit render
    xml = render_veilig(stijl.sjablonen[stijl.hoofd], waarden)
    kop = xml[: xml.index(f"<w:p><w:r><w:t>{_MERKTEKEN}")]
    wortel = etree.fromstring(xml.encode("utf-8"))
    body = wortel.find(f"{W}body")
    alineas = []
    for c in body:
        if c.tag == f"{W}p" and _MERKTEKEN in "".join(c.itertext()):
            break
        alineas.append(c)
    return kop, alineas


def titelblok_redline(docx: bytes, stijl, oud: tuple[Mapping, Mapping], nieuw: tuple[Mapping, Mapping],
                      eigen: tuple[Mapping, Mapping], auteur: str, datum: str) -> bytes:
    """Replace the redline's own title block (written with ``eigen`` = (meta, context)) by the
    old title block tracked into the new one: Accept All gives the new document's title page
    (with its "Ter advisering aan …" notice), Reject All the old one's."""
    import io
    import zipfile

    from kit.docx_writer import _zip

    eigen_kop, _ = _titelblok(stijl, *eigen)
    _, o_alineas = _titelblok(stijl, *oud)
    _, n_alineas = _titelblok(stijl, *nieuw)
    lichaam = RedlineLichaam.__new__(RedlineLichaam)
    lichaam.auteur, lichaam.datum, lichaam.wijziging_id = auteur, datum, EERSTE_WIJZIGING_ID - 5000

    def sleutel(p: etree._Element) -> tuple:
        ppr = p.find(f"{W}pPr")
        return (etree.tostring(ppr) if ppr is not None else b"", "".join(p.itertext()))

    delen: list[str] = []
    sm = difflib.SequenceMatcher(None, [sleutel(p) for p in o_alineas], [sleutel(p) for p in n_alineas], autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            delen += [etree.tostring(p, encoding="unicode") for p in n_alineas[j1:j2]]
            continue
        oude, nieuwe = o_alineas[i1:i2], n_alineas[j1:j2]
        k = 0
        while k < min(len(oude), len(nieuwe)) and sleutel(oude[k])[0] == sleutel(nieuwe[k])[0] \
                and len(oude[k].findall(f"{W}r")) == 1 and len(nieuwe[k].findall(f"{W}r")) == 1:
            p = nieuwe[k]
            rpr = p.find(f"{W}r/{W}rPr")
            rpr_xml = "".join(etree.tostring(c, encoding="unicode") for c in rpr) if rpr is not None else ""
            inhoud = lichaam._woorddiff(_tokens([Run("".join(oude[k].itertext()))]),
                                        _tokens([Run("".join(p.itertext()))]), rpr=rpr_xml)
            lichaam._vervang_runs(p, inhoud)
            delen.append(etree.tostring(p, encoding="unicode"))
            k += 1
        for p in oude[k:]:
            delen.append(lichaam._markeer(etree.tostring(p, encoding="unicode"), "del"))
        for p in nieuwe[k:]:
            delen.append(lichaam._markeer(etree.tostring(p, encoding="unicode"), "ins"))
    z = zipfile.ZipFile(io.BytesIO(docx))
    delen_zip = []
    for info in z.infolist():
        data = z.read(info.filename)
        if info.filename == stijl.hoofd:
            tekst = data.decode("utf-8")
            body = eigen_kop.rfind("<w:body")
            body = eigen_kop.index(">", body) + 1
            if not tekst.startswith(eigen_kop):
                return docx  # a huisstijl that renders differently each time: leave it
            data = (eigen_kop[:body] + "".join(delen) + tekst[len(eigen_kop):]).encode("utf-8")
        delen_zip.append((info.filename, data))
    return _zip(delen_zip)
