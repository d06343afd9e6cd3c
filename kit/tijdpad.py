"""The planning: the seven phases of seed 003, laid out backwards from the inwerkingtreding.

Layout (``planning.fasen_weken`` = seven whole numbers of weeks, f1 … f7):

* phase 7 (start of the law) begins on ``verordening.inwerkingtreding`` (and lasts f7
  weeks, usually 0: then it is that one day);
* phase 6 ends the day before the inwerkingtreding and lasts f6 weeks; every earlier phase
  ends the day before the next one begins. Begin and end dates are inclusive.

Decisions (which body decides, seed 003):

* phase 1 startnotitie – college; then a raadsinformatiebrief to the raad (no raad
  decision; ``rib_raad`` is the first raad meeting after the college decision, for information);
* phase 2 beleidskader – raad (college proposal first);
* phase 3 verordening – raad (college proposal first, adviesraad before the raad);
* phase 4 beleidsregels – college.

Which meeting: a decision falls on the **latest** meeting of its body within its phase
(``begin ≤ datum ≤ eind``) – the latest gives the most time to prepare. For a raad decision
the college proposal is the latest college meeting in ``[begin, raad)``, and the adviesraad
meeting is the latest in ``[begin, raad)``, so it always precedes the raad meeting. Where no
meeting fits, the date is ``None`` and :func:`controleer` warns – unless that body's list of
meeting dates is empty (not planned yet: nothing to check).

The date check against ``versie.datum``: only the plan's first phase is compared (all later
phases begin later) and only while the version is a ``concept`` (for later versions the
first phases are simply done). Meeting lists out of order are sorted here and warned about.
Names and contents of the phases live in ``kit/data/berichten/tijdpad.yaml``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping, Sequence

from kit.berichten import bericht
from kit.findings import WAARSCHUWING, Finding

AANTAL_FASEN = 7
RAAD, COLLEGE, ADVIESRAAD = "raad", "college", "adviesraad"
ORGANEN = (RAAD, COLLEGE, ADVIESRAAD)

# phase number -> (document, deciding body); phases 5-7 need no decision
BESLUITEN = {
    1: ("startnotitie", COLLEGE),
    2: ("beleidskader", RAAD),
    3: ("verordening", RAAD),
    4: ("beleidsregels", COLLEGE),
}
ADVIESRAAD_VERPLICHT = (3,)          # phases whose raad decision needs the adviesraad first

# problem keys (also the berichten keys of the warnings)
GEEN_VERGADERING = "geen_vergadering"
GEEN_COLLEGEVOORSTEL = "geen_collegevoorstel"
GEEN_ADVIESRAAD = "geen_adviesraad"
VOOR_VERSIEDATUM = "voor_versiedatum"
NIET_OPLOPEND = "niet_oplopend"


@lru_cache(maxsize=1)
def _standaarden() -> dict[str, Any]:
    tekst = (resources.files("kit") / "schema" / "planning.schema.json").read_text(encoding="utf-8")
    return {k: v.get("default") for k, v in json.loads(tekst)["properties"].items()}


def als_datum(waarde: Any) -> dt.date:
    if isinstance(waarde, dt.datetime):
        return waarde.date()
    if isinstance(waarde, dt.date):
        return waarde
    return dt.date.fromisoformat(str(waarde))


def datum_tekst(d: dt.date | None) -> str:
    """``8 juli 2021`` (month names from the berichten catalogue)."""
    if d is None:
        return ""
    return bericht("tijdpad.datum", dag=d.day, maand=bericht(f"tijdpad.maand_{d.month}"), jaar=d.year)


@dataclass(frozen=True)
class Besluit:
    """The decision a phase needs and the meetings it falls on (``None``: no meeting fits).

    ``document``: startnotitie | beleidskader | verordening | beleidsregels;
    ``orgaan``: raad | college (the body that adopts); ``datum``: its meeting;
    ``college``: the college meeting that adopts the raadsvoorstel (raad decisions only);
    ``adviesraad``: the adviesraad meeting before the decision (when one fits);
    ``rib_raad``: phase 1 only, the first raad meeting after the college decision.
    """

    document: str
    orgaan: str
    datum: dt.date | None
    college: dt.date | None = None
    adviesraad: dt.date | None = None
    adviesraad_verplicht: bool = False
    rib: bool = False
    rib_raad: dt.date | None = None

    @property
    def past(self) -> bool:
        """Every meeting this decision needs was found."""
        if self.datum is None:
            return False
        if self.orgaan == RAAD and self.college is None:
            return False
        return not (self.adviesraad_verplicht and self.adviesraad is None)


@dataclass(frozen=True)
class Fase:
    nummer: int
    weken: int
    begin: dt.date
    eind: dt.date
    besluit: Besluit | None

    @property
    def sleutel(self) -> str:
        return f"fase_{self.nummer}"

    @property
    def naam(self) -> str:
        return bericht(f"tijdpad.fase_{self.nummer}")

    @property
    def onderdelen(self) -> tuple[str, ...]:
        return tuple(deel.strip() for deel in bericht(f"tijdpad.fase_{self.nummer}_inhoud").split(";"))

    @property
    def dagen(self) -> int:
        return (self.eind - self.begin).days + 1


@dataclass(frozen=True)
class Probleem:
    """Something that does not fit; ``lijst`` is the planning key the warning points at."""

    sleutel: str
    lijst: str                      # fasen_weken | raad | college | adviesraad
    fase: int | None = None
    datum: dt.date | None = None     # the meeting involved (raad date, out-of-order date)
    vorige: dt.date | None = None    # niet_oplopend: the date before it
    index: int | None = None         # niet_oplopend: list position of `datum`


@dataclass(frozen=True)
class Tijdpad:
    inwerkingtreding: dt.date
    fasen: tuple[Fase, ...]
    raad: tuple[dt.date, ...]
    college: tuple[dt.date, ...]
    adviesraad: tuple[dt.date, ...]
    problemen: tuple[Probleem, ...]

    @property
    def begin(self) -> dt.date:
        return self.fasen[0].begin

    @property
    def besluiten(self) -> tuple[Besluit, ...]:
        return tuple(f.besluit for f in self.fasen if f.besluit is not None)

    def fase(self, nummer: int) -> Fase:
        return self.fasen[nummer - 1]

    def vergaderingen(self, orgaan: str) -> tuple[dt.date, ...]:
        return getattr(self, orgaan)


def _laatste(data: Sequence[dt.date], van: dt.date, tot_en_met: dt.date) -> dt.date | None:
    binnen = [d for d in data if van <= d <= tot_en_met]
    return binnen[-1] if binnen else None


def _planning(data: Mapping[str, Any]) -> dict[str, Any]:
    planning = dict(_standaarden())
    eigen = data.get("planning")
    if eigen is not None and not isinstance(eigen, Mapping):
        raise TypeError("planning: geen mapping")
    for sleutel, waarde in (eigen or {}).items():
        if waarde is not None:
            planning[sleutel] = waarde
    return planning


def bereken(data: Mapping[str, Any]) -> Tijdpad:
    """The phases and decisions for the choice data (``Choices.data``)."""
    verordening = data.get("verordening")
    if not isinstance(verordening, Mapping):
        raise TypeError("verordening: geen mapping")
    inwerkingtreding = als_datum(verordening["inwerkingtreding"])
    planning = _planning(data)
    weken = planning["fasen_weken"]
    if (not isinstance(weken, (list, tuple)) or len(weken) != AANTAL_FASEN
            or any(isinstance(w, bool) or not isinstance(w, int) or not 0 <= w <= 520 for w in weken)):
        raise ValueError("planning.fasen_weken: zeven gehele getallen ≥ 0 verwacht")

    problemen: list[Probleem] = []
    lijsten: dict[str, tuple[dt.date, ...]] = {}
    for orgaan in ORGANEN:
        lijst = planning.get(orgaan) or ()
        if not isinstance(lijst, (list, tuple)):
            raise TypeError(f"planning.{orgaan}: geen lijst")
        ruw = [als_datum(d) for d in lijst]
        for i in range(1, len(ruw)):
            if ruw[i] <= ruw[i - 1]:
                problemen.append(Probleem(NIET_OPLOPEND, orgaan, datum=ruw[i], vorige=ruw[i - 1], index=i))
                break
        lijsten[orgaan] = tuple(sorted(set(ruw)))

    # backwards from the inwerkingtreding
    grenzen: list[tuple[dt.date, dt.date]] = []
    volgende_begin = inwerkingtreding
    for w in reversed(weken[:-1]):                                   # phases 6 … 1
        begin = volgende_begin - dt.timedelta(weeks=w)
        grenzen.append((begin, volgende_begin - dt.timedelta(days=1)))
        volgende_begin = begin
    grenzen.reverse()
    w7 = weken[-1]
    grenzen.append((inwerkingtreding, inwerkingtreding + dt.timedelta(weeks=w7, days=-1) if w7 else inwerkingtreding))

    fasen: list[Fase] = []
    for nummer, (begin, eind) in enumerate(grenzen, start=1):
        besluit = None
        if nummer in BESLUITEN:
            besluit = _besluit(nummer, begin, eind, lijsten, problemen)
        fasen.append(Fase(nummer, weken[nummer - 1], begin, eind, besluit))

    versie = data.get("versie")
    if isinstance(versie, Mapping) and versie.get("datum") and versie.get("status", "concept") == "concept":
        try:
            versiedatum = als_datum(versie["datum"])
        except (TypeError, ValueError):
            versiedatum = None                      # the schema reports a bad date
        if versiedatum is not None and fasen[0].begin < versiedatum:
            problemen.append(Probleem(VOOR_VERSIEDATUM, "fasen_weken", fase=1, datum=versiedatum))

    return Tijdpad(inwerkingtreding, tuple(fasen), lijsten[RAAD], lijsten[COLLEGE], lijsten[ADVIESRAAD],
                   tuple(problemen))


def _besluit(nummer: int, begin: dt.date, eind: dt.date, lijsten: Mapping[str, Sequence[dt.date]],
             problemen: list[Probleem]) -> Besluit:
    document, orgaan = BESLUITEN[nummer]
    datum = _laatste(lijsten[orgaan], begin, eind)
    if datum is None and lijsten[orgaan]:
        problemen.append(Probleem(GEEN_VERGADERING, orgaan, fase=nummer))
    if orgaan == COLLEGE:
        advies = _laatste(lijsten[ADVIESRAAD], begin, datum - dt.timedelta(days=1)) if datum else None
        rib_raad = None
        if nummer == 1 and datum is not None:
            rib_raad = next((d for d in lijsten[RAAD] if d > datum), None)
        return Besluit(document, orgaan, datum, adviesraad=advies, rib=nummer == 1, rib_raad=rib_raad)

    verplicht = nummer in ADVIESRAAD_VERPLICHT
    college = advies = None
    if datum is not None:
        voor_raad = datum - dt.timedelta(days=1)
        college = _laatste(lijsten[COLLEGE], begin, voor_raad)
        advies = _laatste(lijsten[ADVIESRAAD], begin, voor_raad)
        if college is None and lijsten[COLLEGE]:
            problemen.append(Probleem(GEEN_COLLEGEVOORSTEL, COLLEGE, fase=nummer, datum=datum))
        if verplicht and advies is None and lijsten[ADVIESRAAD]:
            problemen.append(Probleem(GEEN_ADVIESRAAD, ADVIESRAAD, fase=nummer, datum=datum))
    return Besluit(document, orgaan, datum, college=college, adviesraad=advies, adviesraad_verplicht=verplicht)


# --------------------------------------------------------------------------- validation


def _plaats(choices: Any, sleutel: str, index: int | None = None) -> tuple[Any, int | None]:
    mark = None
    if index is not None:
        mark = choices.mark(f"{sleutel}[{index}]")
    if mark is None:
        mark = choices.mark(sleutel)
    if mark is None:
        mark = choices.mark("planning")
    if mark is None:
        return getattr(choices, "path", None), None
    return mark.file, mark.line


def controleer(choices: Any, wet: Any = None) -> list[Finding]:
    """Warnings for a planning that does not fit (a rule of ``kit.validate.REGELS``).

    Nothing is reported when the planning cannot be computed at all (a missing or malformed
    inwerkingtreding, fasen_weken or meeting date is the schema's finding, not this rule's);
    any value at any key is tolerated.
    """
    data = choices.data
    if not isinstance(data.get("planning"), Mapping):
        return []
    try:
        tijdpad = bereken(data)
    except (KeyError, TypeError, ValueError, OverflowError):
        return []

    bevindingen: list[Finding] = []
    for p in tijdpad.problemen:
        sleutel = f"planning.{p.lijst}"
        bestand, regel = _plaats(choices, sleutel, p.index)
        velden: dict[str, Any] = {}
        if p.fase is not None:
            fase = tijdpad.fase(p.fase)
            velden.update(nummer=fase.nummer, fase=fase.naam, begin=datum_tekst(fase.begin),
                          eind=datum_tekst(fase.eind))
        if p.sleutel == GEEN_VERGADERING:
            velden["orgaan"] = bericht(f"tijdpad.orgaan_{p.lijst}")
        elif p.sleutel in (GEEN_COLLEGEVOORSTEL, GEEN_ADVIESRAAD):
            velden["raad"] = datum_tekst(p.datum)
        elif p.sleutel == VOOR_VERSIEDATUM:
            velden.update(versiedatum=datum_tekst(p.datum), inwerkingtreding=datum_tekst(tijdpad.inwerkingtreding))
        elif p.sleutel == NIET_OPLOPEND:
            velden.update(orgaan=bericht(f"tijdpad.orgaan_{p.lijst}"), datum=datum_tekst(p.datum),
                          vorige=datum_tekst(p.vorige))
        bevindingen.append(Finding(WAARSCHUWING, bestand, regel, sleutel, bericht(f"tijdpad.{p.sleutel}", **velden)))
    return bevindingen
