"""Open points: assumptions (``# aanname``) and empty names or missing dates (placeholders).

DESIGN.md, "Status gates and assumptions". One list per choice file, numbered 1, 2, … in
file order, used three ways:

* :func:`open_punten` — the list (validate refuses ``ter_besluitvorming``/``vastgesteld``
  while it is not empty; the annex "Open punten en aannames" prints it);
* :func:`markeer` — the template context with every assumed value wrapped, so that printing
  it (``{{ x }}``, ``{{ x|maanden }}``, ``{{ x|euro }}``) adds the marker "[aanname N]", and
  every placeholder a truthy value that prints "[in te vullen N]" (a template's own fallback
  text never hides an open point);
* :func:`gebruik` — after parsing a document: where each point is used (inline markers and the
  ``keuzes:`` of the headings), and a marker paragraph under a heading whose choices rest on
  an assumption that did not show inline (a value that only steered a condition).

The Dutch words come from ``kit/data/taal.yaml`` (``open_punten``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

#: statuses for which no open point may remain
BESLUITSTATUS = ("ter_besluitvorming", "vastgesteld")
AANNAME, INVULLEN = "aanname", "invullen"


@dataclass
class OpenPunt:
    nummer: int
    soort: str                 # AANNAME | INVULLEN
    sleutel: str               # key path
    label: str                 # the schema's title
    waarde: str                # the value as text ("" when empty)
    reden: str                 # the comment after "aanname" (empty for a placeholder)
    bestand: Path | None
    regel: int | None
    leeg: bool = False         # an empty value: shown as "[in te vullen N]"
    gebruikt: list[str] = field(default_factory=list)   # where used, per document (filled by gebruik)

    @property
    def markering(self) -> str:
        return markering(self.nummer, self.leeg or self.soort == INVULLEN)


def _taal() -> dict:
    from kit.templating import taal

    return taal()["open_punten"]


def markering(nummer: int, invullen: bool = False) -> str:
    return _taal()["invullen" if invullen else "aanname"].format(n=nummer)


@lru_cache(maxsize=1)
def _invulplekken() -> tuple[str, ...]:
    import yaml

    tekst = (resources.files("kit") / "data" / "invulplekken.yaml").read_text(encoding="utf-8")
    return tuple(yaml.safe_load(tekst)["namen"])


def _haal(data: Any, keypath: str) -> Any:
    from kit.loader import waarde_op

    return waarde_op(data, keypath)


def _label(keypath: str) -> str:
    from kit.schema import label

    pad = re.sub(r"\[\d+\]$", "", keypath)
    try:
        return label(pad)
    except Exception:  # a key the schema does not know (the schema reports it)
        return pad


_ISO_DATUM = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def _is_bedrag(keypath: str) -> bool:
    """Whether the schema describes the value at ``keypath`` as an amount in euro."""
    from kit.schema import deelschema

    sub = deelschema(re.sub(r"\[\d+\]", "", keypath)) if keypath else None
    if not isinstance(sub, dict):
        return False
    return ("(euro)" in str(sub.get("title", "")) or "bedrag" in str(sub.get("x-verwacht", ""))
            or re.search(r"\bin euro\b", str(sub.get("description", ""))) is not None)


def waarde_tekst(waarde: Any, sleutel: str = "") -> str:
    """A value as the documents print it: dates in words, amounts in euro, numbers in Dutch
    notation, enum values by their label, yes/no (``sleutel`` = its key path, for the schema)."""
    from kit.notatie import euro, getal
    from kit.schema import enum_labels
    from kit.templating import datum, taal

    if waarde is None:
        return _taal()["leeg"]
    if isinstance(waarde, bool):
        return taal()["ja_nee"][waarde]
    if isinstance(waarde, list):
        return ", ".join(waarde_tekst(w, sleutel) for w in waarde) if waarde else _taal()["leeg"]
    if isinstance(waarde, dict):
        if not waarde:
            return _taal()["leeg"]
        bedrag = _is_bedrag(sleutel)
        delen = []
        for k, v in waarde.items():
            sub = f"{sleutel}.{k}" if sleutel else str(k)
            tekst = euro(v) if bedrag and isinstance(v, (int, float)) and not isinstance(v, bool) else waarde_tekst(v, sub)
            delen.append(f"{_label(sub) if sleutel else k}: {tekst}")
        return "; ".join(delen)
    if isinstance(waarde, dt.date) or (isinstance(waarde, str) and _ISO_DATUM.match(waarde.strip())):
        try:
            return datum(waarde)
        except ValueError:
            return str(waarde)
    if isinstance(waarde, (int, float)):
        return euro(waarde) if _is_bedrag(sleutel) else getal(waarde)
    if isinstance(waarde, str) and sleutel:
        labels = enum_labels(re.sub(r"\[\d+\]", "", sleutel))
        return labels.get(waarde, waarde)
    return str(waarde)


def _leeg(waarde: Any) -> bool:
    return waarde is None or (isinstance(waarde, str) and not waarde.strip())


def _mark(choices: Any, keypath: str) -> tuple[Path | None, int | None]:
    try:
        m = choices.mark(keypath) or choices.mark_of_nearest(keypath)
    except Exception:
        return getattr(choices, "path", None), None
    return (m.file, m.line) if m is not None else (getattr(choices, "path", None), None)


def _tijdpad(data: Mapping[str, Any]) -> Any:
    """The computed planning, or None when the choice file's planning cannot be computed
    (validate reports why); computed once for the date and decision points below."""
    from kit import tijdpad as tp

    try:
        return tp.bereken(data)
    except (KeyError, TypeError, ValueError, OverflowError):
        return None


def _datum_plekken(data: Mapping[str, Any], tijd: Any) -> list[tuple[str, str]]:
    """Dates a raadsvoorstel needs that the planning does not give: (key path, which)."""
    if tijd is None:
        return []
    uit = []
    # review3 K5: a concept RIB has no date of sending; without a planned one it is an open point
    versie = data.get("versie") if isinstance(data.get("versie"), Mapping) else {}
    planning = data.get("planning") if isinstance(data.get("planning"), Mapping) else {}
    if versie.get("status", "concept") in ("concept", "ter_advisering") and not planning.get("rib"):
        uit.append(("planning.rib", "startnotitie"))
    for nummer in (2, 3):
        b = tijd.fase(nummer).besluit
        document = b.document
        if b.college is None:
            uit.append((f"planning.besluiten.{document}.college", document))
        if b.datum is None:
            uit.append((f"planning.besluiten.{document}.raad", document))
    return uit


def _bedrag_plekken(data: Mapping[str, Any]) -> list[str]:
    """Amounts the financial kader and the raadsvoorstel need but the choice file does not give
    (review3 M2): the own estimate per voorziening for asielstatushouders and the estimate of the
    uitvoeringskosten. Each is an open point "[in te vullen N]", not just the word "ontbreekt"."""
    from kit.begroting import VOORZIENINGEN

    financien = data.get("financien")
    if not isinstance(financien, Mapping):
        return []
    uit = []
    kosten = financien.get("kosten_per_inburgeraar")
    kosten = kosten if isinstance(kosten, Mapping) else {}
    for v in VOORZIENINGEN:
        if kosten.get(v) is None:
            uit.append(f"financien.kosten_per_inburgeraar.{v}")
    # review4 E1: the market says the volume is too low: the raad chooses between extra means and a
    # more modest offer when it adopts the kader (before the tender is published)
    consultatie = financien.get("marktconsultatie")
    if isinstance(consultatie, Mapping) and consultatie.get("volume_toereikend") is False \
            and consultatie.get("keuze") is None:
        uit.append("financien.marktconsultatie.keuze")
    # review5 M05/M2: the expected cost per traject and the dekking of the shortfall
    if isinstance(consultatie, Mapping) and consultatie.get("volume_toereikend") is False:
        if consultatie.get("kosten_per_traject") is None:
            uit.append("financien.marktconsultatie.kosten_per_traject")
        if consultatie.get("keuze") != "sober_aanbod" and _leeg(consultatie.get("dekking")):
            uit.append("financien.marktconsultatie.dekking")
    if financien.get("uitvoeringskosten_raming") is None:
        uit.append("financien.uitvoeringskosten_raming")
    # review3 M6: the gemeente's own amount from the circulaire gemeentefonds
    if not financien.get("uitvoeringskosten_rijk"):
        uit.append("financien.uitvoeringskosten_rijk")
    # review3 M5: incidental invoeringsmiddelen are general means; what is left depends on the
    # resultaatbestemming of the year they were paid
    rijk = financien.get("uitvoeringskosten_rijk")
    if isinstance(rijk, list) and any(isinstance(u, Mapping) and u.get("incidenteel") for u in rijk) \
            and financien.get("invoeringsmiddelen_beschikbaar") is None:
        uit.append("financien.invoeringsmiddelen_beschikbaar")
    return uit


def _besluit_plekken(data: Mapping[str, Any], tijd: Any) -> list[str]:
    """Review3 M1/M2: what the aanhef of a raadsbesluit (verordening, ontwerp-raadsbesluiten)
    names but the choice file does not yet hold: the kenmerk of the voorstel ("nr. …") and the
    dagtekening of the advice letter ("gelet op het advies van … van …"). The letter's date is
    open while the advice has not been given: no meeting date, or, in a concept, a meeting after
    the version date. Key paths, after the date placeholders (so earlier numbers stay)."""
    if tijd is None:
        return []
    meta = data.get("versie") if isinstance(data.get("versie"), dict) else {}
    concept = meta.get("status", "concept") in ("concept", "ter_advisering")
    versiedatum = meta.get("datum")
    participatie = data.get("participatie") if isinstance(data.get("participatie"), dict) else {}
    advies = data.get("advies") if isinstance(data.get("advies"), dict) else {}
    uit = []
    for nummer in (2, 3):
        b = tijd.fase(nummer).besluit
        pad = f"planning.besluiten.{b.document}"
        kenmerk = b.kenmerk or (_haal(data, "verordening.voorstel_kenmerk") if nummer == 3 else "")
        if _leeg(kenmerk) and concept:   # a kenmerk is not required: a decision without one omits "nr."
            uit.append(f"{pad}.kenmerk")
        if participatie.get("adviesraad") and not _leeg(advies.get("adviesraad")) \
                and _leeg(_haal(data, f"{pad}.adviesbrief")):
            gepland = b.adviesraad is None or (concept and versiedatum is not None
                                               and str(b.adviesraad) > str(versiedatum))
            if gepland:
                uit.append(f"{pad}.adviesbrief")
    # Review6 M2: in a concept, the college has not yet adopted the voorstel on the verordening when
    # its (planned) date lies after the version date; "gelezen het voorstel … van <date> (gepland)"
    # is no text the raad can adopt. The aanhef then gets "[in te vullen N]" (BesluitWeergave.
    # collegebesluit). After the other points, so that their numbers stay. The beleidskader
    # (phase 2) keeps its planned date: that raadsvoorstel belongs to the kader documents.
    b = tijd.fase(3).besluit
    if concept and b.college is not None and versiedatum is not None and str(b.college) > str(versiedatum):
        uit.append(f"planning.besluiten.{b.document}.college")
    return uit


def open_punten(choices: Any) -> list[OpenPunt]:
    """Every open point of a choice file, numbered in file order (assumptions first)."""
    punten: list[OpenPunt] = []
    gezien: set[str] = set()
    aannames = choices.aannames() if hasattr(choices, "aannames") else []
    for a in aannames:
        waarde = _haal(choices.data, a.sleutel)
        punten.append(OpenPunt(0, AANNAME, a.sleutel, _label(a.sleutel), waarde_tekst(waarde, a.sleutel) if not _leeg(waarde) else "",
                               a.reden, a.bestand, a.regel, leeg=_leeg(waarde)))
        gezien.add(a.sleutel)
    data = choices.data if isinstance(choices.data, dict) else {}

    def invullen(sleutel: str, reden: str = "") -> None:
        bestand, regel = _mark(choices, sleutel)
        punten.append(OpenPunt(0, INVULLEN, sleutel, _label(sleutel), "", reden, bestand, regel, leeg=True))

    for sleutel in _invulplekken():
        if sleutel not in gezien and _leeg(_haal(data, sleutel)):
            invullen(sleutel)
    for sleutel in _bedrag_plekken(data):
        if sleutel not in gezien:   # review6 M9: a choice, not an amount, has its own reason
            invullen(sleutel, _taal().get("reden_" + sleutel.rsplit(".", 1)[1], ""))
    tijd = _tijdpad(data)
    for sleutel, _document in _datum_plekken(data, tijd):
        invullen(sleutel)
    for sleutel in _besluit_plekken(data, tijd):
        if sleutel not in gezien:
            invullen(sleutel, _taal()["reden_" + sleutel.rsplit(".", 1)[1]])
    for i, p in enumerate(punten, start=1):
        p.nummer = i
    return punten


# ------------------------------------------------------------------------------ wrapped values

class _Gemarkeerd:
    """Mixin: ``kit_punt`` is the open point's number, ``kit_open`` True for an empty value."""

    __slots__ = ()
    kit_punt: int
    kit_open: bool


class GemarkeerdeTekst(str, _Gemarkeerd):
    __slots__ = ("kit_punt", "kit_open")

    def __new__(cls, waarde: str, punt: int, open_: bool = False):
        obj = super().__new__(cls, waarde)
        obj.kit_punt, obj.kit_open = punt, open_
        return obj

    def __getnewargs__(self):
        return (str(self), self.kit_punt, self.kit_open)

    def __bool__(self) -> bool:  # an open placeholder is "there": it prints its marker
        return True if self.kit_open else len(self) > 0


class GemarkeerdGetal(int, _Gemarkeerd):

    def __new__(cls, waarde: int, punt: int, open_: bool = False):
        obj = super().__new__(cls, waarde)
        obj.kit_punt, obj.kit_open = punt, False
        return obj

    def __getnewargs__(self):
        return (int(self), self.kit_punt)


class GemarkeerdKommagetal(float, _Gemarkeerd):

    def __new__(cls, waarde: float, punt: int, open_: bool = False):
        obj = super().__new__(cls, waarde)
        obj.kit_punt, obj.kit_open = punt, False
        return obj

    def __getnewargs__(self):
        return (float(self), self.kit_punt)


class GemarkeerdeDatum(dt.date, _Gemarkeerd):
    __slots__ = ("kit_punt", "kit_open")

    def __new__(cls, waarde: dt.date, punt: int, open_: bool = False):
        obj = super().__new__(cls, waarde.year, waarde.month, waarde.day)
        obj.kit_punt, obj.kit_open = punt, False
        return obj

    def __reduce__(self):
        return (GemarkeerdeDatum, (dt.date(self.year, self.month, self.day), self.kit_punt))


class GemarkeerdJaNee(_Gemarkeerd):
    """A yes/no value (``bool`` cannot be subclassed): true/false in conditions, equal to the bool."""

    __slots__ = ("waarde", "kit_punt", "kit_open")

    def __init__(self, waarde: bool, punt: int, open_: bool = False):
        self.waarde, self.kit_punt, self.kit_open = bool(waarde), punt, False

    def __bool__(self) -> bool:
        return self.waarde

    def __eq__(self, other: object) -> bool:
        return self.waarde == (other.waarde if isinstance(other, GemarkeerdJaNee) else other)

    def __hash__(self) -> int:
        return hash(self.waarde)

    def __repr__(self) -> str:
        return f"GemarkeerdJaNee({self.waarde}, {self.kit_punt})"


class GemarkeerdeLijst(list, _Gemarkeerd):
    def __init__(self, waarden: list, punt: int, open_: bool = False):
        super().__init__(wikkel(w, punt) for w in waarden)
        self.kit_punt, self.kit_open = punt, False


def wikkel(waarde: Any, punt: int, open_: bool = False) -> Any:
    """``waarde`` marked with open point ``punt`` (a mapping: each value inside)."""
    if isinstance(waarde, _Gemarkeerd):
        return waarde
    if isinstance(waarde, bool):
        return GemarkeerdJaNee(waarde, punt)
    if isinstance(waarde, int):
        return GemarkeerdGetal(waarde, punt)
    if isinstance(waarde, float):
        return GemarkeerdKommagetal(waarde, punt)
    if isinstance(waarde, str):
        return GemarkeerdeTekst(waarde, punt, open_ or not waarde.strip())
    if isinstance(waarde, dt.date):
        return GemarkeerdeDatum(waarde, punt)
    if isinstance(waarde, list):
        return GemarkeerdeLijst(waarde, punt)
    if isinstance(waarde, dict):
        return {k: wikkel(v, punt) for k, v in waarde.items()}
    if waarde is None and open_:
        return GemarkeerdeTekst("", punt, True)
    return waarde


def punt_van(waarde: Any) -> tuple[int, bool] | None:
    """(number, empty) of a marked value, else None."""
    if isinstance(waarde, _Gemarkeerd):
        return waarde.kit_punt, bool(getattr(waarde, "kit_open", False))
    return None


def kaal(waarde: Any) -> Any:
    """The plain value, but an open placeholder stays one (it has no value to show)."""
    punt = punt_van(waarde)
    return waarde if punt is not None and punt[1] else ontdaan(waarde)


def ontdaan(waarde: Any) -> Any:
    """The plain value of a marked one (for lists: the items too)."""
    if isinstance(waarde, GemarkeerdJaNee):
        return waarde.waarde
    if isinstance(waarde, GemarkeerdeTekst):
        return str(waarde)
    if isinstance(waarde, GemarkeerdGetal):
        return int(waarde)
    if isinstance(waarde, GemarkeerdKommagetal):
        return float(waarde)
    if isinstance(waarde, GemarkeerdeDatum):
        return dt.date(waarde.year, waarde.month, waarde.day)
    if isinstance(waarde, GemarkeerdeLijst):
        return [ontdaan(w) for w in waarde]
    return waarde


def _zet(ctx: dict, keypath: str, maak) -> None:
    from kit.loader import _splits

    delen = _splits(keypath)
    if not delen:
        return
    houder: Any = ctx
    for deel in delen[:-1]:
        if isinstance(deel, int):
            if not isinstance(houder, list) or deel >= len(houder):
                return
            houder = houder[deel]
        else:
            if not isinstance(houder, dict):
                return
            if deel not in houder or houder[deel] is None:
                houder[deel] = {}
            houder = houder[deel]
    laatste = delen[-1]
    if isinstance(laatste, int):
        if isinstance(houder, list) and laatste < len(houder):
            houder[laatste] = maak(houder[laatste])
    elif isinstance(houder, dict):
        houder[laatste] = maak(houder.get(laatste))


def markeer(ctx: dict, punten: list[OpenPunt]) -> None:
    """Wrap every assumed value and placeholder in the template context (in place)."""
    for p in punten:
        if p.sleutel.startswith("planning.besluiten."):
            continue  # dates of the procedure: marked on the tijdpad (TijdpadWeergave)
        # an assumed "no value" (null) stays None: it steers a condition, the heading marks it
        _zet(ctx, p.sleutel, lambda w, p=p: None if (w is None and p.soort == AANNAME) else wikkel(w, p.nummer, p.leeg))
    if ctx.get("tijdpad") is not None:
        planning = ctx.get("planning") if isinstance(ctx.get("planning"), Mapping) else {}
        ctx["tijdpad"] = TijdpadWeergave(ctx["tijdpad"], punten, planning.get("besluiten"))


# ------------------------------------------------------------------------------ the planning

_BESLUIT_LIJST = {"datum": None, "college": "college", "adviesraad": "adviesraad", "toezending": "adviesraad", "rib_raad": "raad",
                  "commissie": "commissie"}


class _Weergave:
    """Delegates to a frozen dataclass; the template sees the same attributes."""

    def __init__(self, doel: Any):
        self._doel = doel

    def __getattr__(self, naam: str) -> Any:
        if naam.startswith("_"):
            raise AttributeError(naam)
        return getattr(self._doel, naam)

    def __bool__(self) -> bool:
        return True


class BesluitWeergave(_Weergave):
    def __init__(self, besluit: Any, punten: Mapping[str, OpenPunt], besluiten: Mapping[str, Any] | None = None):
        super().__init__(besluit)
        self._punten = punten
        self._besluiten = besluiten if isinstance(besluiten, Mapping) else {}

    def __getattr__(self, naam: str) -> Any:
        if naam in ("kenmerk", "adviesbrief"):
            return self._besluit_gegeven(naam)
        if naam == "collegebesluit":
            return self._collegebesluit()
        waarde = super().__getattr__(naam)
        if naam not in _BESLUIT_LIJST:
            return waarde
        document = self._doel.document
        lijst = _BESLUIT_LIJST[naam] or self._doel.orgaan
        stap = "raad" if naam == "datum" and self._doel.orgaan == "raad" else (naam if naam != "datum" else "college")
        open_punt = self._punten.get(f"planning.besluiten.{document}.{stap}")
        if waarde is None:
            return GemarkeerdeTekst("", open_punt.nummer, True) if open_punt is not None else None
        # an explicit date set as an assumption, else the meeting list it came from
        for sleutel in (f"planning.besluiten.{document}.{stap}", f"planning.{lijst}"):
            p = self._punten.get(sleutel)
            if p is not None and not (p.soort == INVULLEN and naam == "college"):  # a planned date: see collegebesluit
                return GemarkeerdeDatum(waarde, p.nummer)
        return waarde

    def _collegebesluit(self) -> Any:
        """Review6 M2: the date of the college's decision for an aanhef ("gelezen het voorstel …
        van …"): "[in te vullen N]" while the decision lies after the version date of a concept,
        else the (marked) college date, else None."""
        p = self._punten.get(f"planning.besluiten.{self._doel.document}.college")
        if p is not None and p.soort == INVULLEN:
            return GemarkeerdeTekst("", p.nummer, True)
        return self.college


    def _besluit_gegeven(self, naam: str) -> Any:
        """The kenmerk or the advice letter's date (review3 M1/M2): the value in the choice file,
        else its open point ("[in te vullen N]"), else empty (kenmerk) or None (letter date)."""
        sleutel = f"planning.besluiten.{self._doel.document}.{naam}"
        if naam == "kenmerk" and self._doel.kenmerk:
            return self._doel.kenmerk
        if naam == "adviesbrief":
            waarde = (self._besluiten.get(self._doel.document) or {}).get("adviesbrief")
            if not _leeg(waarde):
                return waarde
        p = self._punten.get(sleutel)
        if p is not None:
            return GemarkeerdeTekst("", p.nummer, True)
        return "" if naam == "kenmerk" else None


class FaseWeergave(_Weergave):
    def __init__(self, fase: Any, punten: Mapping[str, OpenPunt], besluiten: Mapping[str, Any] | None = None):
        super().__init__(fase)
        self._punten = punten
        self._besluiten = besluiten

    @property
    def besluit(self) -> Any:
        b = self._doel.besluit
        return None if b is None else BesluitWeergave(b, self._punten, self._besluiten)


class TijdpadWeergave(_Weergave):
    """The Tijdpad with the dates of its decisions marked when they rest on an open point."""

    def __init__(self, tijdpad: Any, punten: list[OpenPunt], besluiten: Mapping[str, Any] | None = None):
        super().__init__(tijdpad)
        self._punten = {p.sleutel: p for p in punten}
        self._besluiten = besluiten

    def fase(self, nummer: int) -> FaseWeergave:
        return FaseWeergave(self._doel.fase(nummer), self._punten, self._besluiten)

    @property
    def fasen(self) -> tuple:
        return tuple(FaseWeergave(f, self._punten, self._besluiten) for f in self._doel.fasen)

    @property
    def besluiten(self) -> tuple:
        return tuple(f.besluit for f in self.fasen if f.besluit is not None)

    def __repr__(self) -> str:  # the chart cache keys on the plain tijdpad
        return repr(self._doel)


# ------------------------------------------------------------------------------ where used

@lru_cache(maxsize=1)
def markering_patroon() -> re.Pattern:
    """The markers "[aanname N]" and "[in te vullen N]"; N is the group that matched."""
    t = _taal()
    delen = [re.escape(t[k]).replace(re.escape("{n}"), r"(\d+)") for k in ("aanname", "invullen")]
    return re.compile("|".join(delen))


def _dekt(keuze: str, sleutel: str) -> bool:
    return sleutel == keuze or sleutel.startswith(keuze + ".") or sleutel.startswith(keuze + "[")


def _markeringen_in(blok: Any, patroon: re.Pattern) -> tuple[int, ...]:
    """The numbers of the markers in a block's text, title and table cells, in order."""
    # one search over the texts joined by newlines (a marker holds no newline)
    tekst = blok.tekst
    if blok.titel:
        tekst += "\n" + blok.titel
    if blok.rijen:
        tekst += "\n" + "\n".join("\t".join(r) for r in blok.rijen)
    if patroon.search(tekst) is None:
        return ()
    return tuple(int(next(g for g in m.groups() if g)) for m in patroon.finditer(tekst))


def gebruik(document: Any, punten: list[OpenPunt], geheugen: dict | None = None) -> list[OpenPunt]:
    """Where each point is used in ``document`` (filled into copies of the points) and, under
    each heading whose ``keuzes`` rest on a point that has no inline marker in its section, a
    paragraph with those markers. Changes ``document.blokken`` in place. ``geheugen``: kept by
    the caller between two calls on documents that share blocks (the document, then the
    document with its annex): the markers found per block (by ``id``) and the points each
    choice key rests on (by ``("keuze", key)``)."""
    from kit.model import Blok, Run

    patroon = markering_patroon()
    per_punt: dict[int, list[str]] = {p.nummer: [] for p in punten}
    blokken = document.blokken

    def plaats(kop: Any) -> str:
        if kop.id == "aanhef":  # review3 K15: the place, not the citeertitel above the aanhef
            return _taal()["aanhef"]
        return kop.kop_tekst

    if geheugen is None:
        geheugen = {}

    # one pass: the headings (with their index) and the inline markers per section (the section
    # of a heading is its own id; of any other block, its sectie_id; "" before the first heading)
    koppen: list[tuple[int, Any]] = []
    inline_per_sectie: dict[str, set[int]] = {}
    for i, b in enumerate(blokken):
        if b.soort == "kop":
            koppen.append((i, b))
            sectie = b.id
        else:
            sectie = b.sectie_id
        bekend = geheugen.get(id(b))
        if bekend is None or bekend[0] is not b:  # the block itself is kept: its id stays its own
            bekend = geheugen[id(b)] = (b, _markeringen_in(b, patroon))
        if bekend[1]:
            inline_per_sectie.setdefault(sectie, set()).update(bekend[1])

    geen: frozenset[int] = frozenset()
    invoegen: list[tuple[int, Any]] = []  # (index after the heading, marker paragraph)
    for i, b in koppen:
        inline = inline_per_sectie.get(b.id, geen)
        gedekt: set[int] = set()
        for k in b.keuzes:  # the points each choice key rests on, once per key and call pair
            per_keuze = geheugen.get(("keuze", k))
            if per_keuze is None:
                per_keuze = geheugen[("keuze", k)] = frozenset(p.nummer for p in punten if _dekt(k, p.sleutel))
            gedekt |= per_keuze
        if not inline and not gedekt:
            continue
        waar = plaats(b)
        for n in sorted(inline | gedekt):
            if n in per_punt and waar not in per_punt[n]:
                per_punt[n].append(waar)
        extra = sorted(gedekt - inline)
        if extra:
            pmap = {p.nummer: p for p in punten}
            tekst = _taal()["in_onderdeel"] + " " + ", ".join(pmap[n].markering for n in extra)
            invoegen.append((i + 1, Blok("alinea", f"{b.id}.0", b.id, runs=[Run(tekst)])))
    for i, blok in reversed(invoegen):  # from the back: the earlier indexes stay valid
        blokken.insert(i, blok)
    # text before the first heading (title block, raadsinformatiebrief header)
    for n in inline_per_sectie.get("", geen):
        if n in per_punt and document.titel not in per_punt[n]:
            per_punt[n].insert(0, document.titel)
    return [replace(p, gebruikt=list(per_punt.get(p.nummer, []))) for p in punten]
