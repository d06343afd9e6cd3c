"""Document markup → :class:`Document` (ARCHITECTURE.md, "Document markup" and "Document model").

``parse(markup, soort)`` reads the line markup the templates produce, computes every number
(hoofdstukken, paragrafen, artikelen over the whole document, leden, onderdelen, tabellen,
figuren) and then resolves ``⟦ref:ID⟧`` / ``⟦nr:ID⟧``. Numbers are never typed in a template.

Escapes (``kit.templating.escape`` writes them): ``\\\\ \\@ \\⟦ \\* \\|`` and a leading ``\\-``
are literal characters; ``\\n`` is a line break inside the paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from kit.berichten import bericht
from kit.errors import InputError

VERORDENING = "verordening"
ID_PATROON = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
MAX_ID = 36  # "kit_" + 36 = 40, Word's limit for bookmark names
_LETTERLIJK = set("\\@⟦*|-")


class MarkupFout(InputError):
    """The markup of a document is wrong (a template bug): names the document and the line."""


@dataclass
class Run:
    tekst: str
    vet: bool = False
    regelbreuk: bool = False  # True: a line break (tekst is then "")


@dataclass
class Blok:
    soort: str                # "kop" | "alinea" | "lijst" | "tabel" | "figuur" | "pagina"
    id: str                   # kop: the stable id; others: f"{sectie_id}.{n}"
    sectie_id: str            # id of the nearest preceding kop ("" before the first)
    niveau: int = 0           # kop: 1 | 2
    label: str = ""           # "Artikel 5", "Hoofdstuk 2", "2.1", lid "1.", list "a.", "Tabel 1"
    titel: str = ""           # kop title; tabel/figuur caption
    runs: list[Run] = field(default_factory=list)
    stijl: str = ""           # paragraph style override (@stijl)
    rijen: list[list[str]] = field(default_factory=list)
    grafiek: str = ""         # figuur: name in context["grafieken"]
    keuzes: list[str] = field(default_factory=list)
    anker: str = ""           # tabel/figuur: the id given in the markup (for ⟦ref⟧ and bookmarks)
    regel: int = 0            # markup line (for messages)
    soort_kop: str = ""       # kop: "hoofdstuk" | "paragraaf" | "artikel" | "sectie" | "subsectie"
    lid: bool = False         # alinea that is a lid of an article
    nieuwe_pagina: bool = False  # kop: starts a page (an @pagina right before it)

    @property
    def tekst(self) -> str:
        """The plain text of the runs (line breaks as newlines)."""
        runs = self.runs
        if len(runs) == 1:  # the common case
            return "\n" if runs[0].regelbreuk else runs[0].tekst
        return "".join("\n" if r.regelbreuk else r.tekst for r in self.runs)

    @property
    def kop_tekst(self) -> str:
        """A heading as printed: "Artikel 5. Titel", "2. Titel", "2.1 Titel", "Toelichting"."""
        if not self.label:
            return self.titel
        if self.niveau == 1 or self.soort_kop == "artikel":
            return f"{self.label}. {self.titel}"
        return f"{self.label} {self.titel}"


@dataclass
class Document:
    naam: str
    titel: str
    blokken: list[Blok]
    bron: str = ""

    def tekst(self) -> str:
        """Plain text, one block per line (tables: cells joined with " | ")."""
        regels: list[str] = []
        for b in self.blokken:
            if b.soort == "kop":
                regels.append(b.kop_tekst)
            elif b.soort == "alinea":
                regels.append(f"{b.label} {b.tekst}" if b.label else b.tekst)
            elif b.soort == "lijst":
                regels.append(f"{b.label or '-'} {b.tekst}")
            elif b.soort == "tabel":
                regels.append(f"{b.label}. {b.titel}" if b.titel else b.label)
                regels.extend(" | ".join(r) for r in b.rijen)
            elif b.soort == "figuur":
                regels.append(f"{b.label}. {b.titel}" if b.titel else b.label)
        return "\n".join(regels)

    def secties(self) -> dict[str, list[Blok]]:
        """kop id → [the kop, then its blocks up to the next kop]; blocks before any kop under ""."""
        uit: dict[str, list[Blok]] = {}
        for b in self.blokken:
            sleutel = b.id if b.soort == "kop" else b.sectie_id
            uit.setdefault(sleutel, []).append(b)
        return uit

    def kop(self, id_: str) -> Blok | None:
        for b in self.blokken:
            if b.soort == "kop" and b.id == id_:
                return b
        return None

    def koppen(self) -> list[Blok]:
        return [b for b in self.blokken if b.soort == "kop"]


def bookmark_naam(id_: str) -> str:
    """``maatschappelijke-begeleiding`` → ``kit_maatschappelijke_begeleiding``."""
    return "kit_" + id_.replace("-", "_")


def id_uit_bookmark(naam: str) -> str | None:
    """The inverse of :func:`bookmark_naam` (None for a bookmark the kit did not make)."""
    if not naam.startswith("kit_"):
        return None
    return naam[4:].replace("_", "-")


# ------------------------------------------------------------------------------- helpers

def _taal() -> dict:
    from kit.templating import taal

    return taal()


def _splits(tekst: str, teken: str = "|") -> list[str]:
    """Split on unescaped ``teken``; escapes are kept for the inline parser.

    A ``teken`` is escaped when an odd number of backslashes precedes it (a backslash escapes
    the character after it, whatever that is), so a plain ``str.split`` is corrected by gluing
    back each piece that follows such a piece."""
    delen = tekst.split(teken)
    if len(delen) == 1 or "\\" not in tekst:
        return delen
    uit = [delen[0]]
    for deel in delen[1:]:
        vorige = uit[-1]
        if vorige.endswith("\\") and (len(vorige) - len(vorige.rstrip("\\"))) % 2:
            uit[-1] = vorige + teken + deel
        else:
            uit.append(deel)
    return uit


_BIJZONDER = re.compile("[\\\\*⟦]")  # what kit.model inline markup gives a meaning


def _letters(n: int) -> str:
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(97 + r) + s
    return s


class _Open:
    """An open paragraph or list item while lines are collected."""

    __slots__ = ("soort", "regel", "stijl", "lid", "regels")

    def __init__(self, soort: str, regel: int, stijl: str, lid: bool = False):
        self.soort = soort
        self.regel = regel
        self.stijl = stijl
        self.lid = lid
        self.regels: list[str] = []


class _Parser:
    def __init__(self, markup: str, soort: str, titel: str, bron: str):
        self.markup = markup
        self.soort = soort
        self.titel = titel
        self.bron = bron or soort
        self.verordening = soort == VERORDENING
        self.blokken: list[Blok] = []
        self.ruw: dict[int, str] = {}          # index of blok -> raw inline text (runs made later)
        self.ids: dict[str, tuple[Blok, int]] = {}
        self.open: _Open | None = None
        self.tabel: Blok | None = None
        self.stijl = ""
        self.sectie = ""
        self.n_in_sectie = 0
        self.h = self.p = self.a = self.t = self.f = 0
        self.in_artikel = False
        self.leden: list[Blok] = []
        self.lijst_n = 0
        self.regelnr = 0
        self.regeltekst = ""
        self.titels_bezig: set[str] = set()  # unnumbered titles being resolved (a ⟦ref⟧ circle)

    # -- errors
    def fout(self, tekst: str) -> MarkupFout:
        return MarkupFout(bericht("render.markup_fout", document=self.soort, regel=self.regelnr, fout=tekst, tekst=self.regeltekst.strip()))

    # -- blocks
    def voeg_toe(self, blok: Blok, ruw: str | None = None) -> Blok:
        blok.regel = self.regelnr
        if blok.soort == "kop" and self.blokken and self.blokken[-1].soort == "pagina":
            # the heading itself starts the page (pageBreakBefore): a page-break paragraph before
            # it leaves an empty page when the page before is exactly full. Done here, in the model,
            # so the document and the redline write the same paragraphs.
            self.blokken.pop()
            blok.nieuwe_pagina = True
        if blok.soort == "kop":
            self.sectie = blok.id
            self.n_in_sectie = 0
            blok.sectie_id = blok.id
        else:
            self.n_in_sectie += 1
            blok.sectie_id = self.sectie
            blok.id = f"{self.sectie}.{self.n_in_sectie}"
        if blok.soort != "lijst":
            self.lijst_n = 0
        if ruw is not None:
            self.ruw[len(self.blokken)] = ruw
        self.blokken.append(blok)
        return blok

    def registreer(self, id_: str, blok: Blok) -> None:
        if not ID_PATROON.match(id_) or len(id_) > MAX_ID:
            raise self.fout(bericht("render.markup_id", id=id_))
        if id_ in self.ids:
            raise self.fout(bericht("render.markup_dubbel_id", id=id_, eerder=self.ids[id_][1]))
        self.ids[id_] = (blok, self.regelnr)

    def sluit(self) -> None:
        """Close the open paragraph / list item."""
        o, self.open = self.open, None
        if o is None:
            return
        regels = o.regels
        if len(regels) == 1:  # the common case
            ruw = regels[0].strip()
        else:
            ruw = " ".join(r.strip() for r in regels if r.strip())
        if o.soort == "lijst":
            label = ""
            if self.in_artikel:
                self.lijst_n += 1
                label = _letters(self.lijst_n) + "."
            n = self.lijst_n
            self.voeg_toe(Blok("lijst", "", "", label=label, stijl=o.stijl), ruw)
            self.lijst_n = n
        else:
            blok = self.voeg_toe(Blok("alinea", "", "", stijl=o.stijl, lid=o.lid), ruw)
            if o.lid:
                self.leden.append(blok)

    def sluit_tabel(self) -> None:
        if self.tabel is not None:
            if not self.tabel.rijen:
                self.regelnr, self.regeltekst = self.tabel.regel, self.markup.split("\n")[self.tabel.regel - 1]
                raise self.fout(bericht("render.markup_tabel_leeg", id=self.tabel.anker))
            self.tabel = None

    def sluit_artikel(self) -> None:
        if len(self.leden) > 1:
            for i, lid in enumerate(self.leden, 1):
                lid.label = f"{i}."
        self.leden = []

    def begin(self, soort: str, tekst: str, lid: bool = False) -> None:
        self.open = _Open(soort, self.regelnr, self.stijl, lid)
        self.stijl = ""
        if tekst:
            self.open.regels.append(tekst)

    # -- directives
    def kop(self, opdracht: str, rest: str) -> None:
        delen = [d.strip() for d in _splits(rest)]
        if len(delen) < 2 or not delen[0]:
            raise self.fout(bericht("render.markup_titel_ontbreekt", opdracht="@" + opdracht))
        id_, titel = delen[0], delen[1]
        keuzes: list[str] = []
        for extra in delen[2:]:
            if extra.startswith("keuzes:"):
                keuzes += [k.strip() for k in extra[len("keuzes:"):].split(",") if k.strip()]
        nummering = _taal()["nummering"]
        if opdracht == "hoofdstuk":
            self.sluit_artikel()
            self.h += 1
            self.p = 0
            self.in_artikel = False
            nr, niveau = str(self.h), 1
            label = nummering["hoofdstuk_verordening"].format(nr=nr) if self.verordening else nr
        elif opdracht == "paragraaf":
            self.sluit_artikel()
            self.p += 1
            self.in_artikel = False
            nr = f"{self.h}.{self.p}" if self.h else str(self.p)
            niveau = 2
            label = nummering["paragraaf_verordening"].format(nr=nr) if self.verordening else nr
        elif opdracht == "artikel":
            self.sluit_artikel()
            self.a += 1
            self.in_artikel = True
            nr, niveau = str(self.a), 2
            label = nummering["artikel"].format(nr=nr)
        else:  # sectie, subsectie
            self.sluit_artikel()
            self.in_artikel = False
            nr, niveau, label = "", (1 if opdracht == "sectie" else 2), ""
        blok = Blok("kop", id_, id_, niveau=niveau, label=label, keuzes=keuzes, soort_kop=opdracht)
        self.registreer(id_, blok)
        self.voeg_toe(blok, titel)
        self.nummers[id_] = (opdracht, nr)

    def opdracht(self, regel: str) -> None:
        naam, _, rest = regel[1:].partition(" ")
        rest = rest.strip()
        if naam in ("hoofdstuk", "paragraaf", "artikel", "sectie", "subsectie"):
            self.kop(naam, rest)
        elif naam == "lid":
            if not self.in_artikel:
                raise self.fout(bericht("render.markup_lid_buiten_artikel"))
            self.begin("alinea", rest, lid=True)
        elif naam == "stijl":
            if not rest:
                raise self.fout(bericht("render.markup_stijl"))
            self.stijl = rest
        elif naam == "pagina":
            self.voeg_toe(Blok("pagina", "", ""))
        elif naam == "tabel":
            delen = [d.strip() for d in _splits(rest)]
            if not delen[0]:
                raise self.fout(bericht("render.markup_titel_ontbreekt", opdracht="@tabel"))
            self.t += 1
            label = _taal()["nummering"]["tabel"].format(nr=self.t)
            blok = Blok("tabel", "", "", label=label, anker=delen[0], stijl=self.stijl)
            self.stijl = ""
            self.registreer(delen[0], blok)
            self.voeg_toe(blok, delen[1] if len(delen) > 1 else "")
            self.nummers[delen[0]] = ("tabel", str(self.t))
            self.tabel = blok
            self.tabel_ruw = []
            self.tabel_ruw_per[id(blok)] = self.tabel_ruw
        elif naam == "figuur":
            delen = [d.strip() for d in _splits(rest)]
            if len(delen) != 3 or not delen[0] or not delen[2]:
                raise self.fout(bericht("render.markup_figuur"))
            self.f += 1
            label = _taal()["nummering"]["figuur"].format(nr=self.f)
            blok = Blok("figuur", "", "", label=label, anker=delen[0], grafiek=delen[2])
            self.registreer(delen[0], blok)
            self.voeg_toe(blok, delen[1])
            self.nummers[delen[0]] = ("figuur", str(self.f))
        else:
            raise self.fout(bericht("render.markup_onbekende_opdracht", opdracht="@" + naam))

    # -- main loop
    def parse(self) -> Document:
        self.nummers: dict[str, tuple[str, str]] = {}
        self.tabel_ruw_per: dict[int, list[tuple[int, list[str]]]] = {}
        self.regels(self.markup, 1)
        return self.af(0)

    def verder(self, extra: str) -> Document:
        """The document of ``markup.rstrip("\\n") + "\\n\\n" + extra``, without parsing the markup
        again: the lines of ``extra`` continue the state the markup left (numbering, ids, the
        closed last article; a blank line closes what was open, as :meth:`af` did). Only the new
        blocks are resolved: the markup cannot refer to what follows it (it parsed without)."""
        basis = self.markup.rstrip("\n")
        self.markup = basis + "\n\n" + extra
        vanaf = len(self.blokken)
        if self.einde is not None:  # closed by the end of the markup; in one parse, by the blank line
            self.einde.regel += 1
        self.regels(extra, basis.count("\n") + 3)
        return self.af(vanaf)

    def af(self, vanaf: int) -> Document:
        self.regeltekst = ""
        open_ = self.open is not None
        self.sluit()
        self.einde = self.blokken[-1] if open_ and self.blokken else None
        self.sluit_tabel()
        self.sluit_artikel()
        self.los_op(vanaf)
        return Document(self.soort, self.titel, list(self.blokken), bron=self.bron)

    def regels(self, markup: str, eerste: int) -> None:
        for i, ruw in enumerate(markup.split("\n"), eerste):
            self.regelnr = i
            self.regeltekst = ruw
            s = ruw.strip()
            if self.tabel is not None:
                if s[:1] == "|":
                    cellen = _splits(s)[1:]
                    if cellen and cellen[-1].strip() == "":
                        cellen.pop()
                    self.tabel_ruw.append((i, [c.strip() for c in cellen]))
                    self.tabel.rijen.append([])  # placeholder, filled in _inline pass
                    continue
                self.sluit_tabel()
            open_ = self.open
            if not s:
                if open_ is not None:
                    self.sluit()
                continue
            teken = s[0]
            if teken == "@":
                if open_ is not None:
                    self.sluit()
                self.opdracht(s)
                continue
            if teken == "-" and (len(s) == 1 or s[1] == " "):  # "-" or "- ..."
                if open_ is not None:
                    self.sluit()
                self.begin("lijst", s[2:])
                continue
            if open_ is not None:
                if open_.soort == "alinea" or ruw[:1].isspace():
                    open_.regels.append(s)
                    continue
                self.sluit()
            self.begin("alinea", s)

    # -- second pass: inline text with references
    def los_op(self, vanaf: int = 0) -> None:
        ruw_per_blok = self.ruw
        for index in range(vanaf, len(self.blokken)):
            blok = self.blokken[index]
            ruw = ruw_per_blok.get(index, "")
            self.regelnr = blok.regel
            soort = blok.soort
            if soort in ("kop", "tabel", "figuur"):
                blok.titel = self.platte_tekst(ruw, " ").strip()
            else:
                blok.runs = self.inline(ruw)
            if soort == "tabel":
                rijen = self.tabel_ruw_per.get(id(blok), [])
                blok.rijen = []
                for regel, cellen in rijen:
                    self.regelnr = regel
                    blok.rijen.append([self.platte_tekst(c, "\n") for c in cellen])

    def verwijzing(self, soort: str, id_: str) -> str:
        if id_ not in self.nummers:
            raise MarkupFout(bericht("render.ref_onbekend", document=self.soort, sjabloon=self.bron, soort=soort, id=id_))
        wat, nr = self.nummers[id_]
        if soort == "nr":
            if not nr:
                raise MarkupFout(bericht("render.ref_ongenummerd", document=self.soort, sjabloon=self.bron, id=id_))
            return nr
        if not nr:  # an unnumbered section: its title (which may refer to another title)
            if id_ in self.titels_bezig:
                raise self.fout(bericht("render.ref_kring", id=id_))
            blok = self.ids[id_][0]
            index = self.blokken.index(blok)
            self.titels_bezig.add(id_)
            try:
                return self.platte_tekst(self.ruw.get(index, ""), "")
            finally:
                self.titels_bezig.discard(id_)
        return _taal()["verwijzing"][wat].format(nr=nr)

    def platte_tekst(self, tekst: str, breuk: str) -> str:
        """The text of :meth:`inline` without runs (bold dropped), a line break as ``breuk``."""
        if _BIJZONDER.search(tekst) is None:  # the common case: nothing to resolve
            return tekst
        return "".join(breuk if r.regelbreuk else r.tekst for r in self.inline(tekst))

    def inline(self, tekst: str) -> list[Run]:
        """Runs of ``tekst``: bold (``**``), line breaks, escapes and resolved references."""
        zoek = _BIJZONDER.search
        m = zoek(tekst)
        if m is None:  # the common case: plain text, one run
            return [Run(tekst)] if tekst else []
        runs: list[Run] = []
        buf: list[str] = []
        vet = False

        def spoel() -> None:
            if buf:
                t = "".join(buf)
                if runs and not runs[-1].regelbreuk and runs[-1].vet == vet:
                    runs[-1].tekst += t
                else:
                    runs.append(Run(t, vet=vet))
                buf.clear()

        i, n = 0, len(tekst)
        while i < n:
            if i:  # (at 0 the search above found it) plain text up to the next special character
                m = zoek(tekst, i)
            if m is None:
                buf.append(tekst[i:])
                break
            if m.start() > i:
                buf.append(tekst[i : m.start()])
                i = m.start()
            c = tekst[i]
            if c == "\\" and i + 1 < n:
                volgende = tekst[i + 1]
                if volgende in _LETTERLIJK:
                    buf.append(volgende)
                elif volgende == "n":
                    spoel()
                    runs.append(Run("", vet=vet, regelbreuk=True))
                else:
                    buf.append(c + volgende)
                i += 2
                continue
            if c == "*" and tekst.startswith("**", i):
                spoel()
                vet = not vet
                i += 2
                continue
            if c == "⟦":
                eind = tekst.find("⟧", i)
                inhoud = tekst[i + 1 : eind] if eind > 0 else ""
                soort, _, id_ = inhoud.partition(":")
                if eind < 0 or soort not in ("ref", "nr"):
                    raise self.fout(bericht("render.markup_onbekende_opdracht", opdracht="⟦" + inhoud[:40]))
                buf.append(self.verwijzing(soort, id_.strip()))
                i = eind + 1
                continue
            buf.append(c)
            i += 1
        spoel()
        return runs


def parse(markup: str, soort: str, titel: str = "", bron: str = "") -> Document:
    """Parse ``markup`` of document ``soort`` (``verordening`` numbers chapters/articles the
    verordening way). ``bron`` names the template in messages."""
    return _Parser(markup, soort, titel, bron).parse()


def parse_met_vervolg(markup: str, soort: str, titel: str = "", bron: str = "") -> tuple[Document, Callable[[str], Document]]:
    """:func:`parse`, plus a function that gives the document with more markup appended (after a
    blank line) at the cost of parsing only that (the annex "Open punten en aannames")."""
    parser = _Parser(markup, soort, titel, bron)
    return parser.parse(), parser.verder
