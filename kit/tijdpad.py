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
meeting is the latest that leaves ``advies_weken`` before the college decides, so it always precedes
the raad meeting. The draft goes to the adviesraad ``toezending_dagen`` before that meeting (or on
``besluiten.<doc>.toezending``); an advice on a draft that works out a document the raad still
decides on falls before that raad decision or at least ``toezending_dagen`` after it (review5 M02). Where no
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
from kit.findings import FOUT, WAARSCHUWING, Finding

AANTAL_FASEN = 7
RAAD, COLLEGE, ADVIESRAAD, COMMISSIE = "raad", "college", "adviesraad", "commissie"
ORGANEN = (RAAD, COLLEGE, ADVIESRAAD, COMMISSIE)
STAPPEN = (ADVIESRAAD, COLLEGE, COMMISSIE, RAAD)   # the procedure of a raad decision, in order

# phase number -> (document, deciding body); phases 5-7 need no decision
BESLUITEN = {
    1: ("startnotitie", COLLEGE),
    2: ("beleidskader", RAAD),
    3: ("verordening", RAAD),
    4: ("beleidsregels", COLLEGE),
}
RIB_FASEN = (1, 4)                   # college decisions the raad receives by a raadsinformatiebrief (review5 K07)
ADVIESRAAD_VERPLICHT = (3,)          # phases whose raad decision needs the adviesraad first
# review M1/M2: the phase in which the draft of a document is written (berichten tijdpad.fase_N_inhoud
# says so). The adviesraad can only advise once the draft exists, so never before that phase begins;
# the drafts of the verordening and the beleidsregels are written in phase 2, so that the adviesraad
# can advise on them early enough for the griffie's lead times. Other documents: their own phase.
ONTWERP_FASE = {3: 2, 4: 2}
# review3 M4: the verordening works out the beleidskader, the beleidsregels work out the verordening
# (phase -> phase whose raad decision the draft depends on). Review5 M02 replaced the rule "advice only
# after that raad decision": it left one working day between the raad decision and the advice. Now the
# advice may come before that decision (the draft is sent before it; the college processes the
# amendments afterwards) or after it with enough days in between (see below).
KADER_FASE = {3: 2, 4: 3}
# review5 M02/K08: the adviesraad needs time with a text before it meets on it. The draft is sent
# (``toezending``: planning.besluiten.<doc>.toezending, else ``toezending_dagen`` before the meeting)
# at least ``toezending_dagen`` days before the meeting. The advice on a draft that works out a
# document the raad still decides on (KADER_FASE) may come before that raad decision (the college
# processes the raad's amendments afterwards, in its own decision) or after it, but then at least
# ``toezending_dagen`` days after it: the adviesraad must be able to receive and read the text as
# amended. One working day between the raad decision and the advice (review5 M02) is too little.
# The number of days is a local choice (not a legal figure): a default in planning.schema.json.

# problem keys (also the berichten keys of the warnings)
GEEN_VERGADERING = "geen_vergadering"
GEEN_COLLEGEVOORSTEL = "geen_collegevoorstel"
GEEN_ADVIESRAAD = "geen_adviesraad"
VOOR_VERSIEDATUM = "voor_versiedatum"
NIET_OPLOPEND = "niet_oplopend"
# order of the procedure (juridisch.md, "Aanhef, dates and procedure"): errors, with the dates
ADVIES_NA_COLLEGE = "advies_na_college"
COMMISSIE_NIET_TUSSEN = "commissie_niet_tussen"
COLLEGE_NA_RAAD = "college_na_raad"
AGENDA_TE_KORT = "agenda_te_kort"
RIB_VOOR_COLLEGE = "rib_voor_college"
# lead times (planning.advies_weken, aanlevertermijn_weken, agenda_weken) and the draft (review M1/M2)
ADVIES_TE_KORT = "advies_te_kort"
AANLEVERING_TE_KORT = "aanlevering_te_kort"
ADVIES_VOOR_ONTWERP = "advies_voor_ontwerp"
# review5 M02/K08: warnings (the number of days is a local choice, not a rule of the procedure)
ADVIES_KORT_NA_KADER = "advies_kort_na_kader"
ADVIES_KORT_NA_TOEZENDING = "advies_kort_na_toezending"
TOEZENDING_VOOR_ONTWERP = "toezending_voor_ontwerp"
VOORBEREIDING = (ADVIES_KORT_NA_KADER, ADVIES_KORT_NA_TOEZENDING, TOEZENDING_VOOR_ONTWERP)
# review5 M01: the contract date must fit the chosen inkoop track (planning.inkoop)
INKOOP_CONTRACTEN_KADER = "inkoop_contracten_kader"
INKOOP_CONTRACTEN_OVERBRUGGING = "inkoop_contracten_overbrugging"
ADVIESTERMIJN_VOOR_ADVIES = "adviestermijn_voor_advies"   # a warning: advies.termijn before any advice meeting
NA_VERSIEDATUM = "na_versiedatum"
VOLGORDE = (ADVIES_NA_COLLEGE, COMMISSIE_NIET_TUSSEN, COLLEGE_NA_RAAD, RIB_VOOR_COLLEGE,
            ADVIES_TE_KORT, AANLEVERING_TE_KORT, AGENDA_TE_KORT, ADVIES_VOOR_ONTWERP)
TERMIJNEN = (ADVIES_TE_KORT, AANLEVERING_TE_KORT, AGENDA_TE_KORT)


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


def _datum_of_geen(waarde: Any) -> dt.date | None:
    """The date of a choice-file value, or None when it is empty or not a date (the schema
    reports a bad date; the planning checks then have nothing to compare)."""
    if not waarde:
        return None
    try:
        return als_datum(waarde)
    except (TypeError, ValueError):
        return None


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
    ``rib_raad``: phases 1 and 4, the first raad meeting after the college decision (the raad
    receives the startnotitie and the beleidsregels by a raadsinformatiebrief, review5 K07);
    ``toezending``: the day the draft goes to the adviesraad (review5 K08);
    ``kader``: the raad decision on the document this draft works out (review5 M02), if any.
    """

    document: str
    orgaan: str
    datum: dt.date | None
    college: dt.date | None = None
    adviesraad: dt.date | None = None
    adviesraad_verplicht: bool = False
    rib: bool = False
    rib_raad: dt.date | None = None
    commissie: dt.date | None = None
    kenmerk: str = ""
    rib_datum: dt.date | None = None   # phase 1: the date of the raadsinformatiebrief (planning.rib)
    toezending: dt.date | None = None
    kader: dt.date | None = None
    toezending_dagen: int = 0

    @property
    def advies_na_kader(self) -> bool:
        """The adviesraad meets after the raad decision on the document this draft works out."""
        return self.kader is not None and self.adviesraad is not None and self.adviesraad > self.kader

    @property
    def advies_voor_kader(self) -> bool:
        """The adviesraad advises on the draft before the raad has decided on the kader: the
        college processes the raad's amendments afterwards (review5 M02)."""
        return self.kader is not None and self.adviesraad is not None and self.adviesraad < self.kader

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
    lijst: str                      # fasen_weken | raad | college | adviesraad | besluiten.<doc>.<stap> | rib
    fase: int | None = None
    datum: dt.date | None = None     # the meeting involved (raad date, out-of-order date)
    vorige: dt.date | None = None    # niet_oplopend: the date before it
    index: int | None = None         # niet_oplopend: list position of `datum`
    andere: dt.date | None = None    # order rules: the other date of the pair
    weken: int | None = None         # lead-time rules: the required number of weeks
    dagen: int | None = None         # review5 M02/K08: planning.toezending_dagen


@dataclass(frozen=True)
class InkoopSpoor:
    """Review6 M14: the procurement track as its own bar (table and Gantt chart), from the
    publication to the day before the contracts start. ``spoor``: voorbehoud (published after the
    college proposal on the beleidskader, subject to the raad decision and the budget) or
    overbrugging (published after the raad decision). ``gunning``: the raad decision on the
    beleidskader; no award before it (review5 M01)."""

    spoor: str
    begin: dt.date
    contracten: dt.date
    gunning: dt.date | None = None

    @property
    def eind(self) -> dt.date:
        return self.contracten - dt.timedelta(days=1)

    @property
    def dagen(self) -> int:
        return (self.eind - self.begin).days + 1


INKOOPVORMEN = ("overheidsopdracht", "open_house")   # organisatie.uitvoering: bought from a provider


def _inkoopspoor(data: Mapping[str, Any], inkoop: Mapping[str, Any], b2: Besluit | None) -> InkoopSpoor | None:
    """The procurement track, when something is bought (organisatie.uitvoering), the contracts have
    a date and the publication moment (college proposal or raad decision) is planned."""
    organisatie = data.get("organisatie") if isinstance(data.get("organisatie"), Mapping) else {}
    uitvoering = organisatie.get("uitvoering") if isinstance(organisatie.get("uitvoering"), Mapping) else {}
    lopend = inkoop.get("lopend") if isinstance(inkoop.get("lopend"), (list, tuple)) else ()
    if not any(str(v) in INKOOPVORMEN and k not in lopend for k, v in uitvoering.items()):
        return None
    contracten = _datum_of_geen(inkoop.get("contracten"))
    if contracten is None or b2 is None:
        return None
    spoor = str(inkoop.get("spoor") or "overbrugging")
    begin = b2.college if spoor == "voorbehoud" else (b2.datum + dt.timedelta(days=1) if b2.datum else None)
    if begin is None or begin >= contracten:
        return None
    return InkoopSpoor(spoor, begin, contracten, gunning=b2.datum)


@dataclass(frozen=True)
class Tijdpad:
    inwerkingtreding: dt.date
    fasen: tuple[Fase, ...]
    raad: tuple[dt.date, ...]
    college: tuple[dt.date, ...]
    adviesraad: tuple[dt.date, ...]
    problemen: tuple[Probleem, ...]
    commissie: tuple[dt.date, ...] = ()
    kadernota: dt.date | None = None
    kadernota_naam: str = "kadernota"
    begroting: dt.date | None = None
    agenda_weken: int = 0
    advies_weken: int = 0
    aanlevertermijn_weken: int = 0
    toezending_dagen: int = 0
    inkoop: InkoopSpoor | None = None   # review6 M14

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
    termijnen = {}
    for naam in ("agenda_weken", "advies_weken", "aanlevertermijn_weken", "toezending_dagen"):
        waarde = planning.get(naam) or 0
        grens = 365 if naam == "toezending_dagen" else 52
        if isinstance(waarde, bool) or not isinstance(waarde, int) or not 0 <= waarde <= grens:
            raise ValueError(f"planning.{naam}")
        termijnen[naam] = waarde
    agenda = termijnen["agenda_weken"]
    expliciet = planning.get("besluiten") or {}
    if not isinstance(expliciet, Mapping):
        raise TypeError("planning.besluiten: geen mapping")

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
            eigen = expliciet.get(BESLUITEN[nummer][0]) or {}
            if not isinstance(eigen, Mapping):
                raise TypeError("planning.besluiten: geen mapping")
            advies_vanaf = grenzen[ONTWERP_FASE.get(nummer, nummer) - 1][0]
            kader = None
            if nummer in KADER_FASE:
                vorig = fasen[KADER_FASE[nummer] - 1].besluit
                kader = vorig.datum if vorig is not None else None
            besluit = _besluit(nummer, begin, eind, lijsten, problemen, eigen, termijnen, advies_vanaf, kader)
            if nummer == 1 and planning.get("rib"):
                besluit = _met_rib(besluit, als_datum(planning["rib"]), problemen)
        fasen.append(Fase(nummer, weken[nummer - 1], begin, eind, besluit))

    versie = data.get("versie") if isinstance(data.get("versie"), Mapping) else {}
    versiedatum = _datum_of_geen(versie.get("datum"))
    if versiedatum is not None and versie.get("status", "concept") == "concept":
        # the startnotitie is written in phase 1: the phase begins before this concept's date
        # (review K1), but its decision (or, without one, its end) comes after it
        eerste = fasen[0]
        einde = eerste.besluit.datum if eerste.besluit and eerste.besluit.datum else eerste.eind
        if einde < versiedatum:
            problemen.append(Probleem(VOOR_VERSIEDATUM, "fasen_weken", fase=1, datum=versiedatum))
        elif eerste.begin > versiedatum and lijsten[COLLEGE]:
            # only once the meetings are planned (an empty list: not planned yet, nothing to check;
            # a fresh `kit init` plans from the next possible year)
            problemen.append(Probleem(NA_VERSIEDATUM, "fasen_weken", fase=1, datum=versiedatum))

    # review5 M01: track "overbrugging" publishes after the raad decision on the beleidskader, so its
    # contracts start after the inwerkingtreding; no track can contract before that raad decision
    inkoop = planning.get("inkoop") if isinstance(planning.get("inkoop"), Mapping) else {}
    contracten = _datum_of_geen(inkoop.get("contracten"))
    kader_raad = fasen[1].besluit.datum if fasen[1].besluit is not None else None
    if contracten is not None:
        if kader_raad is not None and contracten <= kader_raad:
            problemen.append(Probleem(INKOOP_CONTRACTEN_KADER, "inkoop.contracten", datum=contracten, andere=kader_raad))
        elif str(inkoop.get("spoor") or "overbrugging") == "overbrugging" and contracten <= inwerkingtreding:
            problemen.append(Probleem(INKOOP_CONTRACTEN_OVERBRUGGING, "inkoop.contracten", datum=contracten,
                                      andere=inwerkingtreding))

    # review3 M4: the adviestermijn of this version must not end before the adviesraad meets on it
    advies = data.get("advies")
    termijn_datum = _datum_of_geen(advies.get("termijn") if isinstance(advies, Mapping) else None)
    if termijn_datum is not None:
        vanaf = versiedatum
        geplande = sorted(f.besluit.adviesraad for f in fasen if f.besluit is not None
                          and f.besluit.adviesraad is not None and (vanaf is None or f.besluit.adviesraad >= vanaf))
        if geplande and termijn_datum < geplande[0]:
            problemen.append(Probleem(ADVIESTERMIJN_VOOR_ADVIES, "advies.termijn", datum=termijn_datum,
                                      andere=geplande[0]))

    kadernota = planning.get("kadernota") or {}
    begroting = planning.get("begroting") or {}
    if not isinstance(kadernota, Mapping) or not isinstance(begroting, Mapping):
        raise TypeError("planning.kadernota / planning.begroting: geen mapping")
    return Tijdpad(inwerkingtreding, tuple(fasen), lijsten[RAAD], lijsten[COLLEGE], lijsten[ADVIESRAAD],
                   tuple(problemen), commissie=lijsten[COMMISSIE],
                   kadernota=als_datum(kadernota["datum"]) if kadernota.get("datum") else None,
                   kadernota_naam=str(kadernota.get("naam") or "kadernota"),
                   begroting=als_datum(begroting["datum"]) if begroting.get("datum") else None,
                   agenda_weken=agenda, advies_weken=termijnen["advies_weken"],
                   aanlevertermijn_weken=termijnen["aanlevertermijn_weken"],
                   toezending_dagen=termijnen["toezending_dagen"],
                   inkoop=_inkoopspoor(data, inkoop, fasen[1].besluit))


def _met_rib(besluit: Besluit, rib: dt.date, problemen: list[Probleem]) -> Besluit:
    """Phase 1 with an explicit RIB date: it reports the college decision, so it follows it."""
    from dataclasses import replace

    if besluit.datum is not None and rib <= besluit.datum:
        problemen.append(Probleem(RIB_VOOR_COLLEGE, "rib", fase=1, datum=rib, andere=besluit.datum))
    return replace(besluit, rib_datum=rib)


def _besluit(nummer: int, begin: dt.date, eind: dt.date, lijsten: Mapping[str, Sequence[dt.date]],
             problemen: list[Probleem], eigen: Mapping[str, Any] | None = None,
             termijnen: Mapping[str, int] | None = None, advies_vanaf: dt.date | None = None,
             kader: dt.date | None = None) -> Besluit:
    """The meetings of one decision. Dates set in ``planning.besluiten.<document>`` win; the
    others are the latest fitting meeting: the raad in the phase, the commissie before the raad,
    the college before both (at least ``aanlevertermijn_weken`` before the commissie and
    ``agenda_weken`` before the raad: the griffie's lead times), the adviesraad at least
    ``advies_weken`` before the college decides (the advice and the college's reaction go into
    the proposal) and not before the draft exists (``advies_vanaf``: the begin of the phase in
    which the draft is written) nor on or before ``kader``, the raad decision on the document the
    draft works out (review3 M4)."""
    eigen = eigen or {}
    termijnen = termijnen or {}
    agenda_weken = termijnen.get("agenda_weken", 0)
    advies_weken = termijnen.get("advies_weken", 0)
    aanlever_weken = termijnen.get("aanlevertermijn_weken", 0)
    toezending_dagen = termijnen.get("toezending_dagen", 0)
    advies_vanaf = advies_vanaf or begin
    document, orgaan = BESLUITEN[nummer]
    vast = {stap: als_datum(eigen[stap]) for stap in STAPPEN if eigen.get(stap)}
    vaste_toezending = _datum_of_geen(eigen.get("toezending"))
    kenmerk = str(eigen.get("kenmerk") or "")
    pad = f"besluiten.{document}"

    def lijst(stap: str) -> str:
        return f"{pad}.{stap}" if stap in vast else stap

    def kiesbaar_advies(d: dt.date) -> bool:
        """Review5 M02: not on or just after the raad decision on the kader (too little time to
        receive and read the amended text); before it is fine (amendments processed afterwards)."""
        return kader is None or not kader <= d < kader + dt.timedelta(days=max(toezending_dagen, 1))

    def laatste_advies(tot: dt.date) -> dt.date | None:
        binnen = [d for d in lijsten[ADVIESRAAD] if advies_vanaf <= d <= tot and kiesbaar_advies(d)]
        return binnen[-1] if binnen else None

    datum = vast.get(orgaan) or _laatste(lijsten[orgaan], begin, eind)
    if datum is None and lijsten[orgaan] and orgaan not in vast:
        problemen.append(Probleem(GEEN_VERGADERING, orgaan, fase=nummer))

    def toezending_van(advies: dt.date | None) -> dt.date | None:
        """The day the draft goes to the adviesraad: the set date, else ``toezending_dagen``
        before the meeting, but not before the draft is written (``advies_vanaf``)."""
        if advies is None:
            return None
        if vaste_toezending is not None:
            return vaste_toezending
        return max(advies - dt.timedelta(days=toezending_dagen), min(advies_vanaf, advies))

    def advies_controle(advies: dt.date | None, college: dt.date | None) -> None:
        if advies is None:
            return
        if advies < advies_vanaf:
            problemen.append(Probleem(ADVIES_VOOR_ONTWERP, lijst(ADVIESRAAD), fase=nummer, datum=advies,
                                      andere=advies_vanaf))
        elif kader is not None and not kiesbaar_advies(advies):
            problemen.append(Probleem(ADVIES_KORT_NA_KADER, lijst(ADVIESRAAD), fase=nummer, datum=advies,
                                      andere=kader, dagen=toezending_dagen))
        toezending = toezending_van(advies)
        if vaste_toezending is not None and vaste_toezending < advies_vanaf:
            problemen.append(Probleem(TOEZENDING_VOOR_ONTWERP, f"{pad}.toezending", fase=nummer,
                                      datum=vaste_toezending, andere=advies_vanaf))
        elif toezending is not None and advies - toezending < dt.timedelta(days=toezending_dagen) \
                and advies >= advies_vanaf:
            problemen.append(Probleem(ADVIES_KORT_NA_TOEZENDING,
                                      f"{pad}.toezending" if vaste_toezending is not None else lijst(ADVIESRAAD),
                                      fase=nummer, datum=advies, andere=toezending, dagen=toezending_dagen))
        if college is None:
            return
        if advies >= college:
            problemen.append(Probleem(ADVIES_NA_COLLEGE, lijst(ADVIESRAAD), fase=nummer, datum=advies,
                                      andere=college))
        elif college - advies < dt.timedelta(weeks=advies_weken):
            problemen.append(Probleem(ADVIES_TE_KORT, lijst(ADVIESRAAD), fase=nummer, datum=advies,
                                      andere=college, weken=advies_weken))

    extra = {"kader": kader, "toezending_dagen": toezending_dagen}
    if orgaan == COLLEGE:
        advies = vast.get(ADVIESRAAD)
        if advies is None and datum is not None:
            advies = laatste_advies(datum - dt.timedelta(weeks=advies_weken))
        rib_raad = None
        rib = nummer in RIB_FASEN
        if rib and datum is not None:
            rib_raad = next((d for d in lijsten[RAAD] if d > datum), None)
        advies_controle(advies, datum)
        return Besluit(document, orgaan, datum, adviesraad=advies, rib=rib, rib_raad=rib_raad,
                       kenmerk=kenmerk, toezending=toezending_van(advies), **extra)

    verplicht = nummer in ADVIESRAAD_VERPLICHT
    college, advies, commissie = vast.get(COLLEGE), vast.get(ADVIESRAAD), vast.get(COMMISSIE)
    if datum is not None:
        if commissie is None and college is None:
            commissie = _laatste(lijsten[COMMISSIE], begin, datum - dt.timedelta(days=1))
        if college is None:
            uiterlijk = datum - dt.timedelta(days=1, weeks=agenda_weken)
            if commissie is not None:
                uiterlijk = min(uiterlijk, commissie - dt.timedelta(weeks=aanlever_weken))
            college = _laatste(lijsten[COLLEGE], begin, uiterlijk)
            if college is None and lijsten[COLLEGE]:
                problemen.append(Probleem(GEEN_COLLEGEVOORSTEL, COLLEGE, fase=nummer, datum=datum))
        if commissie is None and college is not None and COMMISSIE not in vast:
            tussen = [d for d in lijsten[COMMISSIE]
                      if college + dt.timedelta(weeks=aanlever_weken) <= d < datum]
            commissie = tussen[-1] if tussen else None
        if advies is None:
            tot = (college - dt.timedelta(weeks=advies_weken)) if college else datum - dt.timedelta(days=1)
            advies = laatste_advies(tot)
            if verplicht and advies is None and lijsten[ADVIESRAAD]:
                problemen.append(Probleem(GEEN_ADVIESRAAD, ADVIESRAAD, fase=nummer, datum=college or datum))
    # the order of the procedure and its lead times, for explicit and derived dates alike
    advies_controle(advies, college)
    if college is not None and datum is not None and college >= datum:
        problemen.append(Probleem(COLLEGE_NA_RAAD, lijst(COLLEGE), fase=nummer, datum=college, andere=datum))
    elif college is not None and datum is not None and datum - college < dt.timedelta(weeks=agenda_weken):
        problemen.append(Probleem(AGENDA_TE_KORT, lijst(COLLEGE), fase=nummer, datum=college, andere=datum,
                                  weken=agenda_weken))
    if commissie is not None and datum is not None and not (
            (college is None or college < commissie) and commissie < datum):
        problemen.append(Probleem(COMMISSIE_NIET_TUSSEN, lijst(COMMISSIE), fase=nummer, datum=commissie,
                                  andere=datum, vorige=college))
    elif commissie is not None and college is not None and \
            commissie - college < dt.timedelta(weeks=aanlever_weken):
        problemen.append(Probleem(AANLEVERING_TE_KORT, lijst(COMMISSIE), fase=nummer, datum=commissie,
                                  andere=college, weken=aanlever_weken))
    return Besluit(document, orgaan, datum, college=college, adviesraad=advies, adviesraad_verplicht=verplicht,
                   commissie=commissie, kenmerk=kenmerk, toezending=toezending_van(advies), **extra)


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
        sleutel = p.lijst if p.lijst.startswith("advies.") else f"planning.{p.lijst}"
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
        elif p.sleutel in (VOOR_VERSIEDATUM, NA_VERSIEDATUM):
            velden.update(versiedatum=datum_tekst(p.datum), inwerkingtreding=datum_tekst(tijdpad.inwerkingtreding))
        elif p.sleutel == NIET_OPLOPEND:
            velden.update(orgaan=bericht(f"tijdpad.orgaan_{p.lijst}"), datum=datum_tekst(p.datum),
                          vorige=datum_tekst(p.vorige))
        elif p.sleutel == ADVIESTERMIJN_VOOR_ADVIES:
            velden.update(datum=datum_tekst(p.datum), andere=datum_tekst(p.andere))
        elif p.sleutel in (INKOOP_CONTRACTEN_KADER, INKOOP_CONTRACTEN_OVERBRUGGING):
            velden.update(datum=datum_tekst(p.datum), andere=datum_tekst(p.andere))
        elif p.sleutel in VOORBEREIDING:
            velden.update(datum=datum_tekst(p.datum), andere=datum_tekst(p.andere),
                          dagen=p.dagen if p.dagen is not None else 0,
                          kader=bericht(f"tijdpad.kader_{KADER_FASE[p.fase]}") if p.fase in KADER_FASE else "")
        elif p.sleutel in VOLGORDE:
            velden.update(datum=datum_tekst(p.datum), andere=datum_tekst(p.andere),
                          college=datum_tekst(p.vorige) or bericht("tijdpad.onbekend"),
                          weken=bericht("tijdpad.week" if p.weken == 1 else "tijdpad.weken", n=p.weken)
                          if p.weken is not None else "",
                          document=bericht(f"tijdpad.fase_{p.fase}") if p.fase else "")
        niveau = FOUT if p.sleutel in VOLGORDE else WAARSCHUWING
        bevindingen.append(Finding(niveau, bestand, regel, sleutel, bericht(f"tijdpad.{p.sleutel}", **velden)))
    return bevindingen
