"""The dated law table: every statutory figure with the date it applies from and its source.

``kit/data/minima.yaml`` holds one entry per figure (OpenFisca-style, see
docs/ARCHITECTURE.md "The law table"). This module loads it strictly (a broken table is a
bug in the kit or in a correction someone made, and must say exactly what is wrong),
answers "which figures are in force on date D" (``Wettabel.op``) and prints the table for
``kit minima``.

``kit minima`` without ``--datum`` shows the newest value of every figure: "today" would
make the output depend on the day it is run, and the newest values are what a gemeente
preparing a new verordening wants to see. The heading says so.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from kit.berichten import bericht
from kit.errors import InputError

EENHEDEN = ("uur", "week", "maand", "jaar", "euro", "procent", "leeftijd", "aantal", "artikel", "jaartal")
JAARTAL = "jaartal"   # a calendar year (a peiljaar): printed without a thousands separator
SOORTEN = ("minimum", "maximum", "vast", "norm", "verwijzing")
# A figure of unit "artikel" (kind "verwijzing") holds no number but the article a document cites,
# as text ("artikel 13, eerste lid"): renumbering is then one dated line in the table.
VERWIJZING = "artikel"
ZEKERHEDEN = ("A", "B")
FIGUUR_SLEUTELS = ("description", "unit", "kind", "values")
WAARDE_SLEUTELS = ("value", "reference")
REFERENTIE_SLEUTELS = ("wet", "artikel", "bron", "zekerheid")
TE_VERIFIEREN = "te verifiëren"
_NAAM = re.compile(r"^[a-z][a-z0-9_]*$")


class WettabelFout(InputError):
    """The law table is malformed (unknown key, bad date, missing reference, unknown unit, ...)."""


@dataclass(frozen=True)
class Figuur:
    """One statutory figure as in force on a date."""

    naam: str
    waarde: int | float | str     # str only for unit "artikel"
    eenheid: str
    soort: str
    omschrijving: str
    wet: str
    artikel: str | None
    bron: str
    zekerheid: str
    sinds: dt.date

    @property
    def bron_kort(self) -> str:
        """E.g. ``art. 3.1 Besluit inburgering 2021``; without a known article the law and a caveat."""
        if self.artikel:
            return bericht("minima.bron_kort", artikel=self.artikel, wet=self.wet)
        return bericht("minima.bron_kort_zonder_artikel", wet=self.wet)

    @property
    def waarde_tekst(self) -> str:
        """The value with its unit in Dutch, e.g. ``12 uur``, ``€ 10.000``."""
        return met_eenheid(self.waarde, self.eenheid)

    def als_dict(self) -> dict[str, Any]:
        return {
            "naam": self.naam,
            "waarde": self.waarde,
            "eenheid": self.eenheid,
            "soort": self.soort,
            "omschrijving": self.omschrijving,
            "wet": self.wet,
            "artikel": self.artikel,
            "bron": self.bron,
            "zekerheid": self.zekerheid,
            "sinds": self.sinds.isoformat(),
            "bron_kort": self.bron_kort,
            "waarde_tekst": self.waarde_tekst,
        }


def getal(waarde: int | float) -> str:
    """Dutch number notation: ``10.000``, ``2,5``."""
    if isinstance(waarde, float) and waarde.is_integer():
        waarde = int(waarde)
    if isinstance(waarde, int):
        return f"{waarde:,}".replace(",", ".")
    geheel, _, fractie = f"{waarde:,.2f}".partition(".")
    return geheel.replace(",", ".") + "," + fractie


def met_eenheid(waarde: int | float | str, eenheid: str) -> str:
    if eenheid == VERWIJZING:
        return bericht("minima.eenheid_artikel", waarde=waarde)
    if eenheid == JAARTAL:
        return bericht("minima.eenheid_jaartal", waarde=str(waarde))
    sleutel = f"minima.eenheid_{eenheid}"
    if waarde == 1 and eenheid in ("week", "maand"):
        sleutel += "_1"
    return bericht(sleutel, waarde=getal(waarde))


@dataclass(frozen=True)
class _Entry:
    naam: str
    omschrijving: str
    eenheid: str
    soort: str
    waarden: tuple[tuple[dt.date, int | float, dict], ...]  # sorted by date

    def figuur(self, index: int) -> Figuur:
        sinds, waarde, ref = self.waarden[index]
        return Figuur(
            naam=self.naam,
            waarde=waarde,
            eenheid=self.eenheid,
            soort=self.soort,
            omschrijving=self.omschrijving,
            wet=ref["wet"],
            artikel=ref["artikel"] or None,
            bron=ref["bron"],
            zekerheid=ref["zekerheid"],
            sinds=sinds,
        )


class Wettabel:
    """All figures with their dated values."""

    def __init__(self, entries: dict[str, _Entry], pad: str = ""):
        self._entries = dict(entries)  # file order: grouped by subject
        self.pad = pad

    @property
    def namen(self) -> list[str]:
        return list(self._entries)

    @property
    def eerste_datum(self) -> dt.date | None:
        data = [e.waarden[0][0] for e in self._entries.values() if e.waarden]
        return min(data) if data else None

    def op(self, datum: dt.date | str) -> dict[str, Figuur]:
        """The figures in force on ``datum``; a figure whose first date is later is absent."""
        datum = _als_datum(datum)
        resultaat: dict[str, Figuur] = {}
        for naam, entry in self._entries.items():
            gekozen = None
            for i, (sinds, _, _) in enumerate(entry.waarden):
                if sinds <= datum:
                    gekozen = i
            if gekozen is not None:
                resultaat[naam] = entry.figuur(gekozen)
        return resultaat

    def nieuwste(self) -> dict[str, Figuur]:
        """The newest value of every figure (what ``kit minima`` shows without a date)."""
        return {naam: e.figuur(len(e.waarden) - 1) for naam, e in self._entries.items()}

    def geschiedenis(self, naam: str) -> list[Figuur]:
        entry = self._entries[naam]
        return [entry.figuur(i) for i in range(len(entry.waarden))]


def _als_datum(datum: dt.date | dt.datetime | str) -> dt.date:
    if isinstance(datum, dt.datetime):
        return datum.date()
    if isinstance(datum, dt.date):
        return datum
    return dt.date.fromisoformat(str(datum))


# --- loading ------------------------------------------------------------------------------


class _StrikteLader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: ~10x faster
    """SafeLoader that refuses duplicate keys (a silently overwritten figure is a wrong figure)."""


def _mapping_zonder_dubbele(loader: _StrikteLader, node: yaml.MappingNode, deep: bool = False):
    loader.flatten_mapping(node)
    gezien: set = set()
    for sleutel_node, _ in node.value:
        sleutel = loader.construct_object(sleutel_node, deep=deep)
        try:
            dubbel = sleutel in gezien
        except TypeError:
            dubbel = False
        if dubbel:
            raise WettabelFout(
                bericht(
                    "minima.tabel_dubbele_sleutel",
                    pad=loader.name,
                    sleutel=sleutel,
                    regel=sleutel_node.start_mark.line + 1,
                )
            )
        try:
            gezien.add(sleutel)
        except TypeError:
            pass
    return loader.construct_mapping(node, deep=deep)


_StrikteLader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_zonder_dubbele)
# Dates stay text, so that an impossible date (2022-13-01) is reported by name, not as a crash.
_StrikteLader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def laad_wettabel(pad: Path | str) -> Wettabel:
    """Load and check a law table file. Raises ``WettabelFout`` with a Dutch message."""
    pad = Path(pad)
    try:
        tekst = pad.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise WettabelFout(bericht("minima.tabel_onleesbaar", pad=pad, reden=e)) from None
    return _lees(tekst, str(pad))


def _lees(tekst: str, pad: str) -> Wettabel:
    try:
        loader = _StrikteLader(tekst)
        loader.name = pad
        try:
            inhoud = loader.get_single_data()
        finally:
            loader.dispose()
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as e:
        raise WettabelFout(bericht("minima.tabel_onleesbaar", pad=pad, reden=e)) from None
    if not isinstance(inhoud, dict) or not inhoud:
        raise WettabelFout(bericht("minima.tabel_geen_mapping", pad=pad))
    entries = {}
    for naam, gegevens in inhoud.items():
        entries[str(naam)] = _controleer_figuur(pad, naam, gegevens)
    return Wettabel(entries, pad)


def _controleer_figuur(pad: str, naam: Any, gegevens: Any) -> _Entry:
    if not isinstance(naam, str) or not _NAAM.match(naam):
        raise WettabelFout(bericht("minima.figuur_naam_ongeldig", pad=pad, naam=naam))
    if not isinstance(gegevens, dict):
        raise WettabelFout(bericht("minima.figuur_geen_mapping", pad=pad, naam=naam))
    for sleutel in gegevens:
        if sleutel not in FIGUUR_SLEUTELS:
            raise WettabelFout(
                bericht(
                    "minima.figuur_onbekende_sleutel",
                    pad=pad, naam=naam, sleutel=sleutel, toegestaan=", ".join(FIGUUR_SLEUTELS),
                )
            )
    for sleutel in FIGUUR_SLEUTELS:
        if sleutel not in gegevens:
            raise WettabelFout(bericht("minima.figuur_ontbrekende_sleutel", pad=pad, naam=naam, sleutel=sleutel))
    omschrijving = gegevens["description"]
    if not isinstance(omschrijving, str) or not omschrijving.strip():
        raise WettabelFout(bericht("minima.figuur_omschrijving", pad=pad, naam=naam))
    eenheid = gegevens["unit"]
    if eenheid not in EENHEDEN:
        raise WettabelFout(
            bericht("minima.figuur_onbekende_eenheid", pad=pad, naam=naam, waarde=eenheid, toegestaan=", ".join(EENHEDEN))
        )
    soort = gegevens["kind"]
    if soort not in SOORTEN:
        raise WettabelFout(
            bericht("minima.figuur_onbekende_soort", pad=pad, naam=naam, waarde=soort, toegestaan=", ".join(SOORTEN))
        )
    waarden = gegevens["values"]
    if not isinstance(waarden, dict) or not waarden:
        raise WettabelFout(bericht("minima.figuur_geen_waarden", pad=pad, naam=naam))
    rijen = []
    for datum_sleutel, item in waarden.items():
        datum = _controleer_datum(pad, naam, datum_sleutel)
        waarde, ref = _controleer_waarde(pad, naam, datum, item, eenheid)
        rijen.append((datum, waarde, ref))
    rijen.sort(key=lambda r: r[0])
    return _Entry(naam, omschrijving.strip(), eenheid, soort, tuple(rijen))


def _controleer_datum(pad: str, naam: str, sleutel: Any) -> dt.date:
    if isinstance(sleutel, dt.datetime):
        raise WettabelFout(bericht("minima.datum_ongeldig", pad=pad, naam=naam, datum=sleutel))
    if isinstance(sleutel, dt.date):
        return sleutel
    if isinstance(sleutel, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", sleutel):
        try:
            return dt.date.fromisoformat(sleutel)
        except ValueError:
            pass
    raise WettabelFout(bericht("minima.datum_ongeldig", pad=pad, naam=naam, datum=sleutel))


def _controleer_waarde(pad: str, naam: str, datum: dt.date, item: Any, eenheid: str = "") -> tuple[int | float | str, dict]:
    velden = {"pad": pad, "naam": naam, "datum": datum.isoformat()}
    if not isinstance(item, dict):
        raise WettabelFout(bericht("minima.waarde_geen_mapping", **velden))
    for sleutel in item:
        if sleutel not in WAARDE_SLEUTELS:
            raise WettabelFout(
                bericht("minima.waarde_onbekende_sleutel", sleutel=sleutel, toegestaan=", ".join(WAARDE_SLEUTELS), **velden)
            )
    waarde = item.get("value")
    if eenheid == VERWIJZING:
        if not isinstance(waarde, str) or not waarde.strip():
            raise WettabelFout(bericht("minima.waarde_geen_artikel", **velden))
        waarde = waarde.strip()
    elif isinstance(waarde, bool) or not isinstance(waarde, (int, float)):
        raise WettabelFout(bericht("minima.waarde_ontbreekt", **velden))
    ref = item.get("reference")
    if not isinstance(ref, dict):
        raise WettabelFout(bericht("minima.referentie_ontbreekt", **velden))
    for sleutel in ref:
        if sleutel not in REFERENTIE_SLEUTELS:
            raise WettabelFout(
                bericht(
                    "minima.referentie_onbekende_sleutel",
                    sleutel=sleutel, toegestaan=", ".join(REFERENTIE_SLEUTELS), **velden,
                )
            )
    for sleutel in ("wet", "bron"):
        if not isinstance(ref.get(sleutel), str) or not ref[sleutel].strip():
            raise WettabelFout(bericht("minima.referentie_veld_ontbreekt", sleutel=sleutel, **velden))
    if "artikel" not in ref or not (ref["artikel"] is None or isinstance(ref["artikel"], str)):
        raise WettabelFout(bericht("minima.referentie_veld_ontbreekt", sleutel="artikel", **velden))
    zekerheid = ref.get("zekerheid")
    if zekerheid not in ZEKERHEDEN:
        raise WettabelFout(bericht("minima.referentie_zekerheid", waarde=zekerheid, **velden))
    if zekerheid == "B" and TE_VERIFIEREN not in ref["bron"]:
        raise WettabelFout(bericht("minima.referentie_b_niet_eerlijk", **velden))
    schoon = {
        "wet": ref["wet"].strip(),
        "artikel": (ref["artikel"] or "").strip() or None,
        "bron": ref["bron"].strip(),
        "zekerheid": zekerheid,
    }
    return waarde, schoon


@lru_cache(maxsize=1)
def wettabel() -> Wettabel:
    """The kit's own law table (cached)."""
    bron = resources.files("kit") / "data" / "minima.yaml"
    return _lees(bron.read_text(encoding="utf-8"), "kit/data/minima.yaml")


# --- kit minima ---------------------------------------------------------------------------


def toon_minima(datum: dt.date | str | None = None, formaat: str = "text") -> str:
    """The table for ``kit minima``: in force on ``datum``, or the newest values without one."""
    tabel = wettabel()
    if datum is None:
        figuren = tabel.nieuwste()
    else:
        datum = _als_datum(datum)
        figuren = tabel.op(datum)
    if formaat == "json":
        return json.dumps(
            {
                "datum": datum.isoformat() if datum else None,
                "figuren": {naam: f.als_dict() for naam, f in figuren.items()},
            },
            ensure_ascii=False,
            indent=2,
        )
    return _als_tekst(figuren, datum, tabel)


def _als_tekst(figuren: dict[str, Figuur], datum: dt.date | None, tabel: Wettabel) -> str:
    regels = [bericht("minima.kop", datum=datum.isoformat()) if datum else bericht("minima.kop_nieuwste"), ""]
    if not figuren:
        eerste = tabel.eerste_datum
        regels.append(bericht("minima.geen_figuren", datum=datum, eerste=eerste.isoformat() if eerste else "?"))
        return "\n".join(regels)
    kolommen = [
        bericht("minima.kolom_naam"),
        bericht("minima.kolom_waarde"),
        bericht("minima.kolom_soort"),
        bericht("minima.kolom_zekerheid"),
        bericht("minima.kolom_sinds"),
        bericht("minima.kolom_bron"),
    ]
    rijen = [
        [
            f.naam,
            f.waarde_tekst,
            bericht(f"minima.soort_{f.soort}"),
            f.zekerheid,
            f.sinds.isoformat(),
            f.bron_kort,
        ]
        for f in figuren.values()
    ]
    breedtes = [max(len(r[i]) for r in [kolommen, *rijen]) for i in range(len(kolommen) - 1)]

    def regel(cellen: list[str]) -> str:
        return "  ".join(c.ljust(b) for c, b in zip(cellen, breedtes)) + "  " + cellen[-1]

    regels.append(regel(kolommen))
    regels.append("-" * len(regel(kolommen)))
    inspringing = " " * 4
    for f, rij in zip(figuren.values(), rijen):
        regels.append(regel(rij))
        regels.append(f"{inspringing}{bericht('minima.kolom_omschrijving')}: {f.omschrijving}")
        regels.append(f"{inspringing}{bericht('minima.kolom_bron')}: {f.bron}")
    regels.append("")
    regels.append(bericht("minima.voetnoot"))
    return "\n".join(regels)
