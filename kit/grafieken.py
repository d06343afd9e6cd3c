"""Charts for the documents: prognosis per leerroute, budget per voorziening, planning.

A chart is data, not a picture: :class:`Grafiek` holds the title, the alternative text,
the categories and the series (the numbers :mod:`kit.prognose`, :mod:`kit.begroting` and
:mod:`kit.tijdpad` computed) and how to show them. The writer turns it into a native Word
chart with its data in an embedded workbook (:mod:`kit.grafiek_xml`), in the colours and
font of the huisstijl, so a beleidsmedewerker can correct a figure with "Gegevens
bewerken", it prints sharp, and a screen reader reads the alternative text.

* prognose: a column per leerroute (a regio: stacked per member gemeente, with a legend);
* begroting: horizontal bars per voorziening, SPUK next to the own estimate;
* tijdpad: a Gantt chart — stacked horizontal bars whose first series (the start date) is
  invisible, the second the length of the phase in days; the date axis reads top-down.

Building a chart costs microseconds and imports nothing heavy. Labels and the sentences
of the alternative text come from ``kit/data/berichten/grafieken.yaml``; numbers in the
text are written the Dutch way ("1.000", "€ 200.000"); Excel number formats (the ``[$-413]``
prefix is the Dutch locale) make Word and LibreOffice show them the same way.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Iterator

from kit.berichten import bericht
from kit.notatie import euro, getal
from kit.prognose import LEERROUTES

NAMEN = ("prognose", "begroting", "tijdpad")

# Excel number formats. Separators follow the reader's locale (Word on a Dutch machine, and
# LibreOffice in kit/pdf.py, show "1.000", "€ 1.000"); [$-413] gives Dutch month names anywhere.
NOTATIE_GETAL = "#,##0"
NOTATIE_EURO = "[$€-413] #,##0"
NOTATIE_DATUM = "[$-413]d mmm yyyy"
NOTATIE_DATUM_KORT = "[$-413]d mmm"
EXCEL_NUL = dt.date(1899, 12, 30)   # day 0 of Excel's 1900 date system (dates are day numbers)


@dataclass(frozen=True)
class Reeks:
    """One data series: a column of the workbook."""

    naam: str
    waarden: tuple[float | None, ...]   # None: no value (an empty point and cell)
    notatie: str = ""            # number format of this series ("" = the chart's)
    kleur: int | None = None     # index into the huisstijl's palette (None: by position)
    onzichtbaar: bool = False    # Gantt: the start series carries the bars, unseen
    labels: bool = False         # show the values at the bars
    label_punten: tuple[int, ...] = ()  # or only at these points (by index)


@dataclass(frozen=True)
class Grafiek:
    """A bar/column chart, ready for :func:`kit.grafiek_xml.chart_xml`."""

    naam: str                    # prognose | begroting | tijdpad
    titel: str
    beschrijving: str            # alternative text: what the chart shows, with its numbers
    richting: str                # "kolom" (vertical bars) | "staaf" (horizontal bars)
    categorie_kop: str           # header of the category column in the workbook
    categorieen: tuple[str, ...]
    reeksen: tuple[Reeks, ...]
    notatie: str = NOTATIE_GETAL
    gestapeld: bool = False
    as_titel: str = ""
    as_notatie: str = ""
    as_min: float | None = None
    as_max: float | None = None
    as_stap: float | None = None
    legenda: bool = False
    van_boven: bool = False      # horizontal bars: the first category on top
    tussenruimte: int = 80       # gap between bar groups, % of a bar
    hoogte_cm: float = 7.5

    def reeks(self, naam: str) -> Reeks:
        return next(r for r in self.reeksen if r.naam == naam)


def excel_datum(d: dt.date) -> int:
    """The serial number Excel (1900 date system) uses for ``d``: a date in the workbook."""
    return (d - EXCEL_NUL).days


def _t(sleutel: str, **velden: Any) -> str:
    return bericht(f"grafieken.{sleutel}", **velden)


def _opsomming(delen: list[str]) -> str:
    return _t("alt_scheiding").join(delen)


def _mooie_stap(hoogste: float, stappen: int = 5) -> float:
    """A round axis step (1, 2, 2.5 or 5 × 10^n) giving about ``stappen`` gridlines."""
    if hoogste <= 0:
        return 1
    ruw = hoogste / stappen
    macht = 10 ** math.floor(math.log10(ruw))
    for f in (1, 2, 2.5, 5, 10):
        if ruw <= f * macht:
            stap = f * macht
            return int(stap) if stap >= 1 else 1
    return 10 * macht  # pragma: no cover


# --------------------------------------------------------------------------- prognose


def prognose(p) -> Grafiek:
    labels = tuple(_t(f"leerroute_{r}") for r in LEERROUTES)
    titel = _t("prognose_titel", jaar=p.jaar) if p.jaar else _t("prognose_titel_zonder_jaar")
    totalen = [p.leerroutes[r] for r in LEERROUTES]
    punten = _opsomming([_t("alt_punt", categorie=c, waarde=getal(n)) for c, n in zip(labels, totalen)])
    if p.delen:
        reeksen = tuple(
            Reeks(d.gemeente, tuple(d.leerroutes[r] for r in LEERROUTES), labels=True) for d in p.delen
        )
        beschrijving = _t("alt_prognose_regio", titel=titel, punten=punten,
                          gemeenten=_opsomming([d.gemeente for d in p.delen]))
    else:
        reeksen = (Reeks(_t("prognose_as"), tuple(totalen), labels=True),)
        beschrijving = _t("alt_prognose", titel=titel, punten=punten)
    hoogste = max(totalen + [1])
    stap = _mooie_stap(hoogste)
    return Grafiek(
        naam="prognose", titel=titel, beschrijving=beschrijving, richting="kolom",
        categorie_kop=_t("leerroute"), categorieen=labels, reeksen=reeksen,
        gestapeld=bool(p.delen), as_titel=_t("prognose_as"), as_min=0,
        as_max=stap * math.ceil(hoogste * 1.15 / stap), as_stap=stap,
        legenda=bool(p.delen), tussenruimte=70, hoogte_cm=7.5,
    )


# --------------------------------------------------------------------------- begroting


def begroting(b) -> Grafiek:
    posten = list(b.posten)
    labels = tuple(_t(f"voorziening_{p.voorziening}") for p in posten)
    volledig = all(p.raming is not None for p in posten)
    # review3 K6: with an incomplete own estimate the chart shows the Rijk's budget only (a single
    # raming bar next to missing ones reads as "€ 0" for the others)
    if volledig:
        titel = _t("begroting_titel", jaar=b.jaar) if b.jaar else _t("begroting_titel_zonder_jaar")
    else:
        titel = _t("begroting_titel_spuk", jaar=b.jaar) if b.jaar else _t("begroting_titel_spuk_zonder_jaar")
    spuk, raming = _t("spuk"), _t("raming")
    punten = _opsomming([
        _t("alt_begroting_punt", voorziening=lbl, spuk=euro(p.spuk), raming=euro(p.raming))
        if p.raming is not None else _t("alt_begroting_punt_zonder_raming", voorziening=lbl, spuk=euro(p.spuk))
        for lbl, p in zip(labels, posten)
    ])
    # a voorziening without an own estimate gets no raming bar (no estimate is not "€ 0"): an empty point
    ramingen = tuple(p.raming for p in posten)
    reeksen = [Reeks(spuk, tuple(p.spuk for p in posten), kleur=0, labels=True)]
    if volledig:
        reeksen.append(Reeks(raming, ramingen, kleur=1, labels=True))
    hoogste = max([p.spuk for p in posten] + [r for r in ramingen if r is not None] + [1])
    stap = _mooie_stap(hoogste, 4)
    return Grafiek(
        naam="begroting", titel=titel, beschrijving=_t("alt_begroting", titel=titel, punten=punten),
        richting="staaf", categorie_kop=_t("voorziening"), categorieen=labels,
        reeksen=tuple(reeksen),
        notatie=NOTATIE_EURO, as_titel=_t("begroting_as"), as_min=0,
        as_max=stap * math.ceil(hoogste * 1.22 / stap), as_stap=stap,
        legenda=True, van_boven=True, tussenruimte=50, hoogte_cm=0.95 * len(posten) + 3.6,
    )


# --------------------------------------------------------------------------- tijdpad


def tijdpad(t) -> Grafiek:
    from kit.tijdpad import datum_tekst

    fasen = list(t.fasen)
    labels = tuple(_t("fase", nummer=f.nummer, naam=f.naam) for f in fasen)
    # review6 M14: the procurement track as its own bar, running on past the inwerkingtreding
    # until the contracts start (a bar after the seven phases; kit.tijdpad.InkoopSpoor)
    inkoop = getattr(t, "inkoop", None)
    if inkoop is not None:
        fasen.append(inkoop)
        labels += (_t("inkoop"),)
    titel = _t("tijdpad_titel", datum=datum_tekst(t.inwerkingtreding))
    punten = _opsomming([
        _t("alt_fase", fase=lbl, begin=datum_tekst(f.begin), eind=datum_tekst(f.eind))
        if f.begin != f.eind else _t("alt_fase_dag", fase=lbl, datum=datum_tekst(f.begin))
        for lbl, f in zip(labels, fasen)
    ])
    begin = min(f.begin for f in fasen)
    eind = max(f.eind for f in fasen)
    # ticks every whole number of weeks, counted back from the inwerkingtreding: the phases
    # are whole weeks laid out backwards from it, so the ticks fall on phase boundaries
    stap_weken = max(1, math.ceil(((t.inwerkingtreding - begin).days / 7) / 7))
    stappen = max(1, math.ceil((t.inwerkingtreding - begin).days / (7 * stap_weken)))
    as_begin = t.inwerkingtreding - dt.timedelta(weeks=stap_weken * stappen)
    as_eind = max(eind + dt.timedelta(days=1), t.inwerkingtreding + dt.timedelta(weeks=max(1, stap_weken // 2)))
    # a phase of one day (the start of the law) is a sliver: its date is written beside it
    eendaags = tuple(i for i, f in enumerate(fasen) if f.begin == f.eind)
    return Grafiek(
        naam="tijdpad", titel=titel, beschrijving=_t("alt_tijdpad", titel=titel, punten=punten),
        richting="staaf", categorie_kop=_t("fase_kop"), categorieen=labels,
        reeksen=(
            Reeks(_t("begin"), tuple(excel_datum(f.begin) for f in fasen), notatie=NOTATIE_DATUM,
                  onzichtbaar=True, label_punten=eendaags),
            Reeks(_t("duur"), tuple(f.dagen for f in fasen), kleur=0),
        ),
        notatie=NOTATIE_GETAL, gestapeld=True, as_notatie=NOTATIE_DATUM_KORT,
        as_min=excel_datum(as_begin), as_max=excel_datum(as_eind), as_stap=7 * stap_weken,
        legenda=False, van_boven=True, tussenruimte=40, hoogte_cm=1.1 * len(fasen) + 2.2,  # room for two-line labels
    )


_MAKERS = {"prognose": prognose, "begroting": begroting, "tijdpad": tijdpad}


def maak_grafiek(naam: str, bron: Any) -> Grafiek:
    """One chart (``naam`` in ``NAMEN``; ``bron`` the Prognose/Begroting/Tijdpad)."""
    return _MAKERS[naam](bron)


def maak(prognose_: Any, begroting_: Any, tijdpad_: Any) -> dict[str, Grafiek]:
    """All three charts; a ``None`` input leaves its chart out."""
    bronnen = {"prognose": prognose_, "begroting": begroting_, "tijdpad": tijdpad_}
    return {naam: maak_grafiek(naam, bron) for naam, bron in bronnen.items() if bron is not None}


class Grafieken(Mapping):
    """Lazy ``name -> Grafiek`` for the template context: built (and kept) on first access.

    Sources may be given directly or as zero-argument callables (computed on first use).
    """

    def __init__(self, prognose: Any = None, begroting: Any = None, tijdpad: Any = None) -> None:
        self._bronnen = {"prognose": prognose, "begroting": begroting, "tijdpad": tijdpad}
        self._cache: dict[str, Grafiek] = {}

    def __getitem__(self, naam: str) -> Grafiek:
        if naam not in self._cache:
            bron = self._bronnen.get(naam)
            if callable(bron):
                bron = bron()
            if bron is None:
                raise KeyError(naam)
            self._cache[naam] = maak_grafiek(naam, bron)
        return self._cache[naam]

    def __iter__(self) -> Iterator[str]:
        return (n for n in NAMEN if self._bronnen[n] is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, naam: object) -> bool:
        return naam in self._bronnen and self._bronnen[naam] is not None  # type: ignore[index]

    def __repr__(self) -> str:
        return f"Grafieken({list(self)}, gemaakt={sorted(self._cache)})"
