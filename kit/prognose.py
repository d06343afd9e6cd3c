"""Expected inburgeraars per leerroute (method of seed 001, bijlage 2).

Input: the ``financien`` block of a choice file; ``financien.prognose`` holds

* ``statushouders_per_jaar`` – the taakstelling huisvesting, **including children**;
* ``volwassenen`` – the number of adults when the gemeente knows it (the seed's table 1
  gives these counts; they are *given*, not computed: 7 × 2/3 would not give 4);
  when empty, adults = ``statushouders_per_jaar × aandeel_volwassenen_procent``;
* ``aandeel_onderwijsroute_procent`` (about 40 % of adults are under 28),
  ``aandeel_b1_procent`` (the ministry's 65 %), ``volgorde`` and
  ``gezinsmigranten_per_jaar``.

Order (``volgorde``):

* ``onderwijsroute_eerst`` (seed table 1): onderwijsroute = adults × share;
  B1 = (adults − onderwijsroute) × B1 share; Z = the rest.
* ``b1_eerst`` (seed table 2): B1 = adults × B1 share; onderwijsroute = (adults − B1) ×
  onderwijsroute share; Z = the rest.

Rounding (``AFRONDING``), chosen so that the seed's table 1 comes out exactly
(Huizen 20 → 8/8/4, Blaricum 6 → 3/2/1, Eemnes 4 → 2/1/1, Laren 6 → 3/2/1):

* onderwijsroute: **rounded up** – everyone under 28 must take it, so a fraction of a
  young person is a whole one (6 × 40 % = 2,4 → 3);
* B1-route: **rounded half up** (12 × 65 % = 7,8 → 8; 2 × 65 % = 1,3 → 1);
* Z-route: **the remainder**, so the three routes always add up to the adults;
* computed adults: rounded half up.

All arithmetic is exact (``Fraction``), so 5 × 70 % is 3,5 and never 3,4999….
Each step is kept as a :class:`Stap` (key, formula text, result) for the templates.
Numbers in formula text are written the Dutch way ("1.234,5"); that is notation, not prose.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping

from kit.notatie import euro, getal, procent  # noqa: F401  (Dutch notation; begroting and grafieken import them from here)

ONDERWIJSROUTE_EERST = "onderwijsroute_eerst"
B1_EERST = "b1_eerst"
LEERROUTES = ("onderwijsroute", "b1", "z")

# rounding per computed count; the keys are the Stap.afronding values templates explain
OMHOOG = "omhoog"
HALF_OMHOOG = "half_omhoog"
REST = "rest"
GEGEVEN = "gegeven"
STANDAARD = "standaard"   # not in the choice file: the schema default (0 gezinsmigranten)
SOM = "som"
AFRONDING = {
    "volwassenen": HALF_OMHOOG,
    "onderwijsroute": OMHOOG,
    "b1": HALF_OMHOOG,
    "z": REST,
}


# --------------------------------------------------------------------------- numbers


def _breuk(waarde: Any) -> Fraction:
    if isinstance(waarde, Fraction):
        return waarde
    if isinstance(waarde, bool):
        raise TypeError("boolean is geen getal")
    return Fraction(str(waarde))


def rond_half_omhoog(x: Fraction) -> int:
    """Round half up (x ≥ 0): 7,5 → 8; 1,3 → 1."""
    return math.floor(x + Fraction(1, 2))


def rond_omhoog(x: Fraction) -> int:
    return math.ceil(x)


def _uitkomst_tekst(x: Fraction) -> str:
    """The unrounded product: at least one decimal ("8,0"); "≈" when more than two."""
    if (x * 100).denominator != 1:
        return "≈ " + getal(x, 2)
    return "= " + getal(x, 1 if (x * 10).denominator == 1 else 2)


# --------------------------------------------------------------------------- schema defaults


@lru_cache(maxsize=1)
def _schema() -> dict:
    tekst = (resources.files("kit") / "schema" / "financien.schema.json").read_text(encoding="utf-8")
    return json.loads(tekst)


def standaard(pad: str) -> Any:
    """The schema's ``default`` for a key path under ``financien`` (e.g. ``prognose.volgorde``)."""
    knoop = _schema()
    for deel in pad.split("."):
        knoop = knoop["properties"][deel]
    return knoop.get("default")


def _waarde(blok: Mapping[str, Any] | None, sleutel: str, pad: str) -> Any:
    if blok and blok.get(sleutel) is not None:
        return blok[sleutel]
    return standaard(pad)


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class Stap:
    """One visible step of the arithmetic.

    ``sleutel``: what is computed (``statushouders``, ``volwassenen``, ``kinderen``,
    ``onderwijsroute``, ``rest``, ``b1``, ``z``, ``gezinsmigranten``);
    ``formule``: e.g. ``"20 × 40 % = 8,0 → 8"``; ``uitkomst``: the whole number;
    ``afronding``: ``omhoog`` | ``half_omhoog`` | ``rest`` | ``gegeven`` | ``som`` | ``""``.
    """

    sleutel: str
    formule: str
    uitkomst: int
    afronding: str = ""


@dataclass(frozen=True)
class Prognose:
    gemeente: str
    jaar: int | None
    statushouders: int              # incl. children
    volwassenen: int                # adult asielstatushouders = inburgeringsplichtigen
    volwassenen_gegeven: bool       # True: typed in the choice file; False: computed
    onderwijsroute: int
    b1: int
    z: int
    gezinsmigranten: int            # gezins- en overige migranten per year
    volgorde: str                   # onderwijsroute_eerst | b1_eerst | "" (regio, mixed)
    aandeel_volwassenen_procent: float | None
    aandeel_onderwijsroute_procent: float | None
    aandeel_b1_procent: float | None
    stappen: tuple[Stap, ...] = ()
    delen: tuple["Prognose", ...] = field(default=())   # regio: one per gemeente

    @property
    def kinderen(self) -> int:
        return self.statushouders - self.volwassenen

    @property
    def asielstatushouders(self) -> int:
        """Adult asielstatushouders: the inburgeringsplichtigen the SPUK is paid for."""
        return self.volwassenen

    @property
    def inburgeraars(self) -> int:
        """All inburgeringsplichtigen per year: adult asielstatushouders + gezinsmigranten."""
        return self.volwassenen + self.gezinsmigranten

    @property
    def leerroutes(self) -> dict[str, int]:
        """``{"onderwijsroute": n, "b1": n, "z": n}`` in this fixed order."""
        return {"onderwijsroute": self.onderwijsroute, "b1": self.b1, "z": self.z}

    @property
    def is_regio(self) -> bool:
        return bool(self.delen)

    def stap(self, sleutel: str) -> Stap | None:
        for s in self.stappen:
            if s.sleutel == sleutel:
                return s
        return None


def _geheel(waarde: Any, naam: str) -> int:
    if isinstance(waarde, bool) or not isinstance(waarde, (int, float)) or waarde < 0 or int(waarde) != waarde:
        raise ValueError(f"{naam}: geen geheel getal ≥ 0: {waarde!r}")
    return int(waarde)


def _deel(aantal: int, aandeel: Fraction, sleutel: str) -> Stap:
    """``aantal × aandeel %`` rounded by ``AFRONDING[sleutel]``."""
    x = aantal * aandeel / 100
    regel = AFRONDING[sleutel]
    uitkomst = rond_omhoog(x) if regel == OMHOOG else rond_half_omhoog(x)
    formule = f"{getal(aantal)} × {procent(aandeel)} {_uitkomst_tekst(x)} → {getal(uitkomst)}"
    return Stap(sleutel, formule, uitkomst, regel)


def _verschil(sleutel: str, a: int, b: int, afronding: str = "") -> Stap:
    return Stap(sleutel, f"{getal(a)} − {getal(b)} = {getal(a - b)}", a - b, afronding)


def _getal_uit(aandeel: Fraction) -> float | int:
    return int(aandeel) if aandeel.denominator == 1 else float(aandeel)


def bereken(financien: Mapping[str, Any] | None, gemeente: str = "",
            opgegeven: Mapping[str, Any] | None = None) -> Prognose:
    """The prognosis for one gemeente from its ``financien`` block (defaults from the schema).
    ``opgegeven``: the prognose block as typed in the choice file (before defaults), to tell a
    given count from a default one; None: ``financien`` itself is as typed."""
    financien = financien or {}
    blok = financien.get("prognose") or {}
    typed = blok if opgegeven is None else opgegeven
    statushouders = _geheel(_waarde(blok, "statushouders_per_jaar", "prognose.statushouders_per_jaar"),
                            "statushouders_per_jaar")
    a_volw = _breuk(_waarde(blok, "aandeel_volwassenen_procent", "prognose.aandeel_volwassenen_procent"))
    a_or = _breuk(_waarde(blok, "aandeel_onderwijsroute_procent", "prognose.aandeel_onderwijsroute_procent"))
    a_b1 = _breuk(_waarde(blok, "aandeel_b1_procent", "prognose.aandeel_b1_procent"))
    volgorde = _waarde(blok, "volgorde", "prognose.volgorde")
    gezin = _geheel(_waarde(blok, "gezinsmigranten_per_jaar", "prognose.gezinsmigranten_per_jaar"),
                    "gezinsmigranten_per_jaar")
    for naam, a in (("volwassenen", a_volw), ("onderwijsroute", a_or), ("b1", a_b1)):
        if not 0 <= a <= 100:
            raise ValueError(f"aandeel {naam}: niet tussen 0 en 100: {a}")
    if volgorde not in (ONDERWIJSROUTE_EERST, B1_EERST):
        raise ValueError(f"volgorde onbekend: {volgorde!r}")

    stappen = [Stap("statushouders", getal(statushouders), statushouders,
                    GEGEVEN if typed.get("statushouders_per_jaar") is not None else STANDAARD)]
    if blok.get("volwassenen") is not None:
        volwassenen = _geheel(blok["volwassenen"], "volwassenen")
        gegeven = True
        stappen.append(Stap("volwassenen", getal(volwassenen), volwassenen, GEGEVEN))
    else:
        stap = _deel(statushouders, a_volw, "volwassenen")
        volwassenen, gegeven = stap.uitkomst, False
        stappen.append(stap)
    if volwassenen > statushouders:
        raise ValueError("volwassenen: meer dan statushouders_per_jaar")
    stappen.append(_verschil("kinderen", statushouders, volwassenen))

    if volgorde == ONDERWIJSROUTE_EERST:
        eerste = _deel(volwassenen, a_or, "onderwijsroute")
        rest = _verschil("rest", volwassenen, eerste.uitkomst)
        tweede = _deel(rest.uitkomst, a_b1, "b1")
        onderwijsroute, b1 = eerste.uitkomst, tweede.uitkomst
    else:
        eerste = _deel(volwassenen, a_b1, "b1")
        rest = _verschil("rest", volwassenen, eerste.uitkomst)
        tweede = _deel(rest.uitkomst, a_or, "onderwijsroute")
        b1, onderwijsroute = eerste.uitkomst, tweede.uitkomst
    z = _verschil("z", rest.uitkomst, tweede.uitkomst, REST)
    stappen += [eerste, rest, tweede, z]
    stappen.append(Stap("gezinsmigranten", getal(gezin), gezin,
                        GEGEVEN if typed.get("gezinsmigranten_per_jaar") is not None else STANDAARD))

    jaar = financien.get("jaar")
    return Prognose(
        gemeente=gemeente,
        jaar=int(jaar) if jaar is not None else None,
        statushouders=statushouders,
        volwassenen=volwassenen,
        volwassenen_gegeven=gegeven,
        onderwijsroute=onderwijsroute,
        b1=b1,
        z=z.uitkomst,
        gezinsmigranten=gezin,
        volgorde=volgorde,
        aandeel_volwassenen_procent=_getal_uit(a_volw),
        aandeel_onderwijsroute_procent=_getal_uit(a_or),
        aandeel_b1_procent=_getal_uit(a_b1),
        stappen=tuple(stappen),
    )


_SOMVELDEN = ("statushouders", "volwassenen", "onderwijsroute", "b1", "z", "gezinsmigranten")


def regio_totaal(prognoses: Iterable[Prognose], naam: str = "") -> Prognose:
    """The region's prognosis: the sum of the members' rounded counts (as seed table 1 does).

    ``delen`` keeps the members (for per-gemeente tables and a stacked chart); each step is
    the sum written out (``"20 + 6 + 4 + 6 = 36"``). Shares and ``volgorde`` are kept when
    all members agree, else ``None`` / ``""``.
    """
    delen = tuple(prognoses)
    if not delen:
        raise ValueError("regio_totaal: geen gemeenten")
    sommen = {veld: sum(getattr(p, veld) for p in delen) for veld in _SOMVELDEN}
    stappen = tuple(
        Stap(veld, " + ".join(getal(getattr(p, veld)) for p in delen) + f" = {getal(sommen[veld])}",
             sommen[veld], SOM)
        for veld in _SOMVELDEN
    )

    def gelijk(veld: str, leeg: Any) -> Any:
        waarden = {getattr(p, veld) for p in delen}
        return waarden.pop() if len(waarden) == 1 else leeg

    jaren = {p.jaar for p in delen}
    return Prognose(
        gemeente=naam,
        jaar=jaren.pop() if len(jaren) == 1 else None,
        volwassenen_gegeven=all(p.volwassenen_gegeven for p in delen),
        volgorde=gelijk("volgorde", ""),
        aandeel_volwassenen_procent=gelijk("aandeel_volwassenen_procent", None),
        aandeel_onderwijsroute_procent=gelijk("aandeel_onderwijsroute_procent", None),
        aandeel_b1_procent=gelijk("aandeel_b1_procent", None),
        stappen=stappen,
        delen=delen,
        **sommen,
    )



def regio_van(choices: Any) -> Prognose | None:
    """The regio's prognosis per member gemeente, for a choice file that ``extends`` a regio
    file (HBEL: huizen.yaml → regio.yaml): the sum over every ``*.yaml`` next to the regio file
    whose ``organisatie.regio`` comes from that same regio file, in the order of
    ``organisatie.regio.gemeenten``. The file's own gemeente counts with ``choices.data``.

    None when the file has no regio file, when fewer than two members are found, or when the
    file is not on disk (``kit diff`` of a git revision). A sibling that does not load or has
    no gemeente is left out; its own ``kit validate`` reports it.
    """
    try:
        herkomst = choices.herkomst("organisatie.regio")
        eigen = Path(choices.path).resolve()
    except (AttributeError, TypeError, OSError):
        return None
    if herkomst is None:
        return None
    regio = Path(herkomst).resolve()
    if regio == eigen or not regio.is_file() or not eigen.is_file() or eigen.parent != regio.parent:
        return None
    organisatie = choices.data.get("organisatie") or {}
    regio_blok = organisatie.get("regio") or {}
    leden: list[tuple[str, Prognose]] = []
    for pad in sorted(regio.parent.glob("*.yaml")):
        pad = pad.resolve()
        if pad == regio:
            continue
        if pad == eigen:
            naam = str((choices.data.get("gemeente") or {}).get("naam") or "")
            try:
                lid = (naam, bereken(choices.data.get("financien"), naam)) if naam else None
            except (ValueError, TypeError):
                lid = None
        else:
            lid = _regiolid(pad, regio)
        if lid:
            leden.append(lid)
    if len(leden) < 2:
        return None
    rang = {str(n): i for i, n in enumerate(regio_blok.get("gemeenten") or [])}
    leden.sort(key=lambda x: (rang.get(x[0], len(rang)), x[0]))
    return regio_totaal((p for _, p in leden), naam=str(regio_blok.get("naam") or ""))


_REGIOLEDEN: dict[tuple, tuple[str, Prognose] | None] = {}


def _regiolid(pad: Path, regio: Path) -> tuple[str, Prognose] | None:
    """(gemeente, prognosis) of a sibling file that extends ``regio``; None otherwise.
    Kept per process by path, mtime and size (``kit batch`` renders every member)."""
    from kit.errors import InputError
    from kit.loader import load_choices

    try:
        st = pad.stat()
    except OSError:
        return None
    sleutel = (str(pad), st.st_mtime_ns, st.st_size, str(regio))
    if sleutel not in _REGIOLEDEN:
        lid = None
        try:
            c = load_choices(pad)
            herkomst = c.herkomst("organisatie.regio")
            naam = str((c.data.get("gemeente") or {}).get("naam") or "")
            if herkomst is not None and Path(herkomst).resolve() == regio and naam:
                lid = (naam, bereken(c.data.get("financien"), naam))
        except (InputError, ValueError, TypeError, AttributeError, OSError):
            lid = None
        if len(_REGIOLEDEN) > 256:
            _REGIOLEDEN.clear()
        _REGIOLEDEN[sleutel] = lid
    return _REGIOLEDEN[sleutel]
