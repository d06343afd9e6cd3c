"""The budget: SPUK per voorziening, uitvoeringskosten, the gemeente's own estimate, risks.

Which counts the norm amounts apply to
--------------------------------------
The Rijk pays the specifieke uitkering (SPUK) per *inburgeringsplichtige*, not per child
and not per leerroute: each norm amount is an average over all inburgeringsplichtigen of
that group (the MAP norm, for instance, is averaged although the onderwijsroute has no
MAP). So:

* asielmigranten: every norm (``spuk_leerroutes_asiel_max``, ``spuk_map_asiel``,
  ``spuk_mb_asiel``, ``spuk_pvt_asiel``, ``spuk_tolk_asiel``) × the **adult
  asielstatushouders** of the prognosis (``Prognose.volwassenen``; children are not
  inburgeringsplichtig);
* gezins- en overige migranten: ``spuk_map_gezin``, ``spuk_pvt_gezin``,
  ``spuk_tolk_gezin`` × ``Prognose.gezinsmigranten``; there is no norm for their
  leerroute (they pay their course themselves) nor for maatschappelijke begeleiding;
* uitvoeringskosten (integratie-uitkering, gemeentefonds): ``uitvoeringskosten_asiel`` ×
  adult asielstatushouders + ``uitvoeringskosten_gezin`` × gezinsmigranten — an
  *indication* at the national volume; the gemeente's real amount is the one in the
  circulaire (``financien.uitvoeringskosten_rijk``), shown next to it when given.

The gemeente's own estimate (``financien.kosten_per_inburgeraar.*`` per asielstatushouder,
``financien.kosten_per_gezinsmigrant.*`` per gezinsmigrant) is multiplied by the same
counts. An empty estimate is *no* estimate: the norm amount is a budget, not a cost, so a
voorziening without an own estimate for every group it serves has ``raming = None`` and no
saldo ("eigen raming ontbreekt"), and the total saldo exists only when every voorziening has
one. Risks compare only real estimates with the budget.

All amounts come from the law table (``wet``: name → Figuur with ``.waarde``, or a plain
number in tests); this module holds no amount. Amounts are whole euros (half up).
Risks are data (:class:`Risico`: key + amounts); the Dutch text is in the templates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, Mapping

from kit.prognose import Prognose, _breuk, euro, getal, rond_half_omhoog, standaard

VOORZIENINGEN = ("leerroutes", "map", "maatschappelijke_begeleiding", "pvt", "tolk")

# voorziening -> law-table name of the norm amount (None: no norm for that group)
NORM_ASIEL = {
    "leerroutes": "spuk_leerroutes_asiel_max",
    "map": "spuk_map_asiel",
    "maatschappelijke_begeleiding": "spuk_mb_asiel",
    "pvt": "spuk_pvt_asiel",
    "tolk": "spuk_tolk_asiel",
}
NORM_GEZIN = {
    "leerroutes": None,
    "map": "spuk_map_gezin",
    "maatschappelijke_begeleiding": None,
    "pvt": "spuk_pvt_gezin",
    "tolk": "spuk_tolk_gezin",
}
UITVOERING = {"asiel": "uitvoeringskosten_asiel", "gezin": "uitvoeringskosten_gezin"}

# risk keys (templates give each a sentence and a beheersmaatregel)
TEKORT_VOORZIENING = "tekort_voorziening"
LEERROUTE_BOVEN_NORM = "leerroute_boven_norm"
TEKORT_TOTAAL = "tekort_totaal"
TEKORT_UITVOERING = "tekort_uitvoering"
OVERSCHOT_ZONDER_VOORZIENING = "overschot_zonder_voorziening"
GEEN_RAMING = "geen_raming"
VOLUME_TE_LAAG = "volume_te_laag"


def _waarde(figuur: Any) -> Fraction:
    return _breuk(getattr(figuur, "waarde", figuur))


def _bron(figuur: Any) -> str:
    return str(getattr(figuur, "bron_kort", "") or "")


def _euro_heel(x: Fraction) -> int:
    return rond_half_omhoog(x) if x >= 0 else -rond_half_omhoog(-x)


@dataclass(frozen=True)
class Regel:
    """One multiplication: ``aantal × bedrag_per = bedrag``, as text in ``formule``.

    ``groep``: ``asiel`` | ``gezin``; ``soort``: ``spuk`` | ``raming`` | ``uitvoering``;
    ``norm``: law-table name (``""`` for an own estimate typed in the choice file);
    ``bron``: the figure's short legal source; ``gelijk_aan_norm``: the estimate was empty
    and the norm amount was used.
    """

    groep: str
    soort: str
    aantal: int
    bedrag_per: int | float
    bedrag: int
    formule: str
    norm: str = ""
    bron: str = ""
    gelijk_aan_norm: bool = False


def _regel(groep: str, soort: str, aantal: int, per: Fraction, norm: str = "", bron: str = "",
           gelijk: bool = False) -> Regel:
    bedrag = _euro_heel(aantal * per)
    per_getal: int | float = int(per) if per.denominator == 1 else float(per)
    return Regel(groep, soort, aantal, per_getal, bedrag,
                 f"{getal(aantal)} × {euro(per)} = {euro(bedrag)}", norm, bron, gelijk)


@dataclass(frozen=True)
class Post:
    """One voorziening: SPUK (per group) next to the own estimate; saldo = SPUK − raming.
    ``raming`` is None when the gemeente has no own estimate for a group it serves."""

    voorziening: str
    spuk_regels: tuple[Regel, ...]
    raming_regels: tuple[Regel, ...]
    spuk: int
    raming: int | None

    @property
    def heeft_raming(self) -> bool:
        return self.raming is not None

    @property
    def saldo(self) -> int | None:
        return None if self.raming is None else self.spuk - self.raming

    @property
    def tekort(self) -> int:
        return 0 if self.raming is None else max(0, self.raming - self.spuk)


@dataclass(frozen=True)
class Risico:
    """A computed risk. ``bedrag``: the shortfall or excess in euros; ``grens``: the budget or
    norm it exceeds; ``raming``: the planned amount; ``per_inburgeraar``: True when the amounts
    are per person (leerroute above the norm)."""

    sleutel: str
    voorziening: str = ""
    bedrag: int = 0
    grens: int = 0
    raming: int = 0
    per_inburgeraar: bool = False
    totaal: int | None = None         # volume too low: the yearly shortfall (None while the cost per traject is open)
    stap: int = 0                     # volume too low: a step in the cost per traject above the norm ...
    per_stap: int = 0                 # ... and what that step costs per year (an order of magnitude)


#: review5 M2: while the market's cost per traject is open, the documents give the order of magnitude
#: of the shortfall: what each step of this many euros per traject above the norm costs per year
STAP_TRAJECT = 1000


@dataclass(frozen=True)
class Uitkering:
    jaar: int
    bedrag: int
    incidenteel: bool = False


@dataclass(frozen=True)
class Begroting:
    jaar: int | None
    aantal_asiel: int                 # adult asielstatushouders
    aantal_gezin: int                 # gezins- en overige migranten
    posten: tuple[Post, ...]
    spuk_totaal: int
    raming_totaal: int | None          # None unless every voorziening has an own estimate
    norm_per_asiel: int               # sum of the asiel norms (seed: € 13.154)
    norm_per_gezin: int               # sum of the gezin norms (seed: € 681)
    eigen_middelen: int
    uitvoeringskosten_regels: tuple[Regel, ...]
    uitvoeringskosten: int            # indication: counts × norm
    uitvoeringskosten_rijk: tuple[Uitkering, ...]   # circulaire, per year
    uitvoeringskosten_rijk_jaar: int | None         # circulaire amount for `jaar`
    uitvoeringskosten_bron: str
    uitvoeringskosten_raming: int | None
    meeneemregeling: bool             # voorziening ingesteld
    meeneem_procent: int | float | None
    meeneem_max: int | None           # max. reservable: procent × spuk_totaal
    risicos: tuple[Risico, ...]
    voorbereiding: tuple["Kostenpost", ...] = ()
    voorbereiding_totaal: int | None = None
    invoeringsmiddelen: int = 0         # incidental Rijk money (uitvoeringskosten_rijk, incidenteel)

    @property
    def zonder_raming(self) -> tuple[str, ...]:
        return tuple(p.voorziening for p in self.posten if p.raming is None)

    @property
    def raming_volledig(self) -> bool:
        return self.raming_totaal is not None

    @property
    def raming_deels(self) -> int:
        """The sum of the estimates that exist (for a partial picture)."""
        return sum(p.raming for p in self.posten if p.raming is not None)

    @property
    def per_voorziening(self) -> dict[str, Post]:
        return {p.voorziening: p for p in self.posten}

    @property
    def saldo_voorzieningen(self) -> int | None:
        """SPUK − own estimate, without eigen middelen (None without a complete estimate)."""
        return None if self.raming_totaal is None else self.spuk_totaal - self.raming_totaal

    @property
    def saldo(self) -> int | None:
        """SPUK + eigen middelen − own estimate (None without a complete estimate)."""
        return None if self.raming_totaal is None else self.spuk_totaal + self.eigen_middelen - self.raming_totaal

    @property
    def uitvoeringskosten_beschikbaar(self) -> int:
        """The circulaire amount for the year when known, else the indication."""
        if self.uitvoeringskosten_rijk_jaar is not None:
            return self.uitvoeringskosten_rijk_jaar
        return self.uitvoeringskosten

    @property
    def saldo_uitvoering(self) -> int | None:
        if self.uitvoeringskosten_raming is None:
            return None
        return self.uitvoeringskosten_beschikbaar - self.uitvoeringskosten_raming

    @property
    def heeft_tekort(self) -> bool:
        return any(r.sleutel in (TEKORT_VOORZIENING, TEKORT_TOTAAL, TEKORT_UITVOERING) for r in self.risicos)


def _kosten(financien: Mapping[str, Any], blok: str, voorziening: str) -> Fraction | None:
    waarden = financien.get(blok) or {}
    w = waarden.get(voorziening)
    if w is None:
        w = standaard(f"{blok}.{voorziening}")
    return None if w is None else _breuk(w)


def bereken(financien: Mapping[str, Any] | None, prognose: Prognose, wet: Mapping[str, Any]) -> Begroting:
    financien = financien or {}
    asiel, gezin = prognose.volwassenen, prognose.gezinsmigranten

    posten: list[Post] = []
    risicos: list[Risico] = []
    norm_asiel_som = Fraction(0)
    norm_gezin_som = Fraction(0)
    for v in VOORZIENINGEN:
        spuk_regels: list[Regel] = []
        raming_regels: list[Regel] = []
        # asielstatushouders
        naam = NORM_ASIEL[v]
        norm = _waarde(wet[naam])
        norm_asiel_som += norm
        spuk_regels.append(_regel("asiel", "spuk", asiel, norm, naam, _bron(wet[naam])))
        eigen = _kosten(financien, "kosten_per_inburgeraar", v)
        compleet = eigen is not None or asiel == 0
        if eigen is not None:
            raming_regels.append(_regel("asiel", "raming", asiel, eigen))
        if v == "leerroutes" and eigen is not None and eigen > norm:
            risicos.append(Risico(LEERROUTE_BOVEN_NORM, v, _euro_heel(eigen - norm), _euro_heel(norm),
                                  _euro_heel(eigen), per_inburgeraar=True))
        # gezins- en overige migranten
        naam_g = NORM_GEZIN[v]
        eigen_g = _kosten(financien, "kosten_per_gezinsmigrant", v) if v != "leerroutes" else None
        if naam_g is not None:
            norm_g = _waarde(wet[naam_g])
            norm_gezin_som += norm_g
            spuk_regels.append(_regel("gezin", "spuk", gezin, norm_g, naam_g, _bron(wet[naam_g])))
            if eigen_g is not None:
                raming_regels.append(_regel("gezin", "raming", gezin, eigen_g))
            elif gezin:
                compleet = False
        elif eigen_g:
            raming_regels.append(_regel("gezin", "raming", gezin, eigen_g))
        spuk = sum(r.bedrag for r in spuk_regels)
        raming = sum(r.bedrag for r in raming_regels) if compleet else None
        post = Post(v, tuple(spuk_regels), tuple(raming_regels), spuk, raming)
        posten.append(post)
        if post.tekort > 0:
            risicos.append(Risico(TEKORT_VOORZIENING, v, post.tekort, spuk, raming))

    spuk_totaal = sum(p.spuk for p in posten)
    volledig = all(p.raming is not None for p in posten)
    raming_totaal = sum(p.raming for p in posten) if volledig else None
    eigen_middelen = _euro_heel(_breuk(financien.get("eigen_middelen") or 0))
    if raming_totaal is not None and raming_totaal > spuk_totaal + eigen_middelen:
        risicos.append(Risico(TEKORT_TOTAAL, "", raming_totaal - spuk_totaal - eigen_middelen,
                              spuk_totaal + eigen_middelen, raming_totaal))
    if not volledig:
        risicos.append(Risico(GEEN_RAMING, ", ".join(p.voorziening for p in posten if p.raming is None)))
    consultatie = financien.get("marktconsultatie") or {}
    if consultatie.get("volume_toereikend") is False:
        # review5 M2: with the market's expected cost per traject the yearly shortfall is known
        norm = _euro_heel(_waarde(wet[NORM_ASIEL["leerroutes"]]))
        traject = consultatie.get("kosten_per_traject")
        traject = None if traject is None else _euro_heel(_breuk(traject))
        boven = max(traject - norm, 0) if traject is not None else 0
        risicos.append(Risico(VOLUME_TE_LAAG, "leerroutes", boven, norm, traject or 0, per_inburgeraar=True,
                              totaal=None if traject is None else boven * asiel,
                              stap=STAP_TRAJECT, per_stap=STAP_TRAJECT * asiel))

    # uitvoeringskosten
    uk_regels = (
        _regel("asiel", "uitvoering", asiel, _waarde(wet[UITVOERING["asiel"]]), UITVOERING["asiel"],
               _bron(wet[UITVOERING["asiel"]])),
        _regel("gezin", "uitvoering", gezin, _waarde(wet[UITVOERING["gezin"]]), UITVOERING["gezin"],
               _bron(wet[UITVOERING["gezin"]])),
    )
    uitkeringen = tuple(sorted(
        (Uitkering(int(u["jaar"]), _euro_heel(_breuk(u["bedrag"])), bool(u.get("incidenteel", False)))
         for u in financien.get("uitvoeringskosten_rijk") or ()),
        key=lambda u: u.jaar,
    ))
    jaar = financien.get("jaar") if financien.get("jaar") is not None else prognose.jaar
    jaar = int(jaar) if jaar is not None else None
    rijk_jaar = next((u.bedrag for u in uitkeringen if u.jaar == jaar), None)
    uk_raming = financien.get("uitvoeringskosten_raming")
    uk_raming = None if uk_raming is None else _euro_heel(_breuk(uk_raming))

    meeneem = financien.get("voorziening_meeneemregeling")
    if meeneem is None:
        meeneem = standaard("voorziening_meeneemregeling")
    if "meeneemregeling_procent" in wet:
        mp = _waarde(wet["meeneemregeling_procent"])
        meeneem_procent: int | float | None = int(mp) if mp.denominator == 1 else float(mp)
        meeneem_max: int | None = _euro_heel(spuk_totaal * mp / 100)
    else:
        meeneem_procent = meeneem_max = None

    begroting = Begroting(
        jaar=jaar,
        aantal_asiel=asiel,
        aantal_gezin=gezin,
        posten=tuple(posten),
        spuk_totaal=spuk_totaal,
        raming_totaal=raming_totaal,
        norm_per_asiel=_euro_heel(norm_asiel_som),
        norm_per_gezin=_euro_heel(norm_gezin_som),
        eigen_middelen=eigen_middelen,
        uitvoeringskosten_regels=uk_regels,
        uitvoeringskosten=sum(r.bedrag for r in uk_regels),
        uitvoeringskosten_rijk=uitkeringen,
        uitvoeringskosten_rijk_jaar=rijk_jaar,
        uitvoeringskosten_bron=str(financien.get("uitvoeringskosten_bron") or ""),
        uitvoeringskosten_raming=uk_raming,
        meeneemregeling=bool(meeneem),
        meeneem_procent=meeneem_procent,
        meeneem_max=meeneem_max,
        risicos=(),
    )
    saldo_uk = begroting.saldo_uitvoering
    if saldo_uk is not None and saldo_uk < 0:
        risicos.append(Risico(TEKORT_UITVOERING, "", -saldo_uk, begroting.uitvoeringskosten_beschikbaar,
                              uk_raming or 0))
    overschot = begroting.saldo
    if overschot is not None and overschot > 0 and not begroting.meeneemregeling:
        risicos.append(Risico(OVERSCHOT_ZONDER_VOORZIENING, "", overschot, 0, raming_totaal or 0))
    voorbereiding = tuple(
        Kostenpost(str(k.get("omschrijving", "")), _euro_heel(_breuk(k["bedrag"])))
        for k in financien.get("voorbereidingskosten") or () if isinstance(k, Mapping) and k.get("bedrag") is not None
    )
    return replace(begroting, risicos=tuple(risicos), voorbereiding=voorbereiding,
                   voorbereiding_totaal=sum(k.bedrag for k in voorbereiding) if voorbereiding else None,
                   invoeringsmiddelen=sum(u.bedrag for u in uitkeringen if u.incidenteel))


@dataclass(frozen=True)
class Kostenpost:
    """One line of the voorbereidingskosten (seed 003, fase 2)."""

    omschrijving: str
    bedrag: int


@dataclass(frozen=True)
class Formatie:
    """Integratieconsulenten: inburgeraars per jaar ÷ caseload = fte for one year's intake.

    ``instroom``: adult asielstatushouders + gezins- en overige migranten per year;
    ``caseload``: inburgeraars per fte (organisatie.regie.caseload); ``formule`` shows the sum."""

    instroom: int
    caseload: int
    fte: float
    formule: str

    def opgebouwd(self, jaargangen: int) -> float:
        """Review6 M03: the formatie when ``jaargangen`` yearly intakes are in begeleiding at the same
        time (the regie lasts the inburgeringstermijn), rounded to one decimal."""
        fte = Fraction(self.instroom * max(0, int(jaargangen))) / _breuk(self.caseload)
        return rond_half_omhoog(fte * 10) / 10


def formatie(prognose: Prognose, caseload: Any) -> Formatie | None:
    """The formatie for one year's intake; None without a usable caseload."""
    if isinstance(caseload, bool) or not isinstance(caseload, (int, float)) or caseload <= 0:
        return None
    instroom = prognose.volwassenen + prognose.gezinsmigranten
    fte = Fraction(instroom) / _breuk(caseload)
    fte_afgerond = rond_half_omhoog(fte * 10) / 10
    return Formatie(instroom, int(caseload), fte_afgerond,
                    f"{getal(instroom)} ÷ {getal(caseload)} = {getal(fte_afgerond)}")
