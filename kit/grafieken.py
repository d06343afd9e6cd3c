"""Charts for the documents: prognosis per leerroute, budget per voorziening, planning.

PNG bytes, deterministic: same input → identical bytes. To get there every chart is drawn
(Agg) with an explicit, complete set of rcParams (matplotlib defaults + ``_RC``; a user's
matplotlibrc does not leak in), a fixed size and DPI, the bundled DejaVu Sans font, no
timestamps or software name in the PNG (encoded by Pillow directly, which writes neither;
the equivalent of ``savefig(metadata={"Software": None})``), and dates as
plain day numbers with our own tick labels (no locale). matplotlib is imported lazily, and
only the object-oriented API is used (no pyplot, no global figure list to leak).

Labels come from ``kit/data/berichten/grafieken.yaml``; numbers are written the Dutch way
("1.000", "€ 200.000").

:class:`Grafieken` is the lazy mapping for the template context: a chart is drawn on first
access, so documents without figures never import matplotlib.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from typing import Any, Callable, Iterator

from kit.berichten import bericht
from kit.prognose import LEERROUTES, euro, getal

NAMEN = ("prognose", "begroting", "tijdpad")

BREEDTE, DPI = 6.3, 150          # inch (16 cm: A4 text width), dots per inch
PNG_COMPRESSIE = 3               # zlib level: 3 is ~3x faster than 6 for ~10 % more bytes
_RC = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 8.5,
    "axes.titlesize": 10,
    "axes.labelsize": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.unicode_minus": True,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "savefig.dpi": DPI,
    "savefig.facecolor": "white",
    "figure.facecolor": "white",
    "figure.dpi": DPI,
    "svg.hashsalt": "inburgeringskit",
    "svg.fonttype": "path",
    "path.simplify": True,
    "text.usetex": False,
    "text.hinting": "no_hinting",     # ~25 % faster than hinted text, same look at 150 dpi
    "text.antialiased": True,
}
# colour-blind safe (Okabe-Ito), in a fixed order
KLEUREN = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
GRIJS = "#7F7F7F"


def _t(sleutel: str, **velden: Any) -> str:
    return bericht(f"grafieken.{sleutel}", **velden)


def _nieuwe_figuur(hoogte: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(BREEDTE, hoogte), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> bytes:
    """Draw and encode as an RGB PNG with Pillow: no timestamp, no software name, 150 dpi
    in the pHYs chunk (so Word sizes it at 16 cm). Faster and smaller than ``savefig``'s RGBA."""
    from PIL import Image

    canvas = fig.canvas
    canvas.draw()
    breedte, hoogte = canvas.get_width_height(physical=True)
    beeld = Image.frombuffer("RGBA", (breedte, hoogte), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    buffer = io.BytesIO()
    beeld.save(buffer, format="png", compress_level=PNG_COMPRESSIE, dpi=(DPI, DPI))
    fig.clf()
    return buffer.getvalue()


def _teken(functie: Callable[..., Any], *args: Any) -> bytes:
    import matplotlib

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(_RC)
        fig = functie(*args)
        return _png(fig)


def _tekstbreedte(teksten) -> float:
    """Rough width in inches of the widest (line of a) label at the base font size.

    Margins are set from this estimate instead of ``tight_layout`` (which draws the figure
    an extra time: half the cost of a chart).
    """
    regels = [r for t in teksten for r in str(t).split("\n")]
    return max((len(r) for r in regels), default=0) * _RC["font.size"] * 0.56 / 72


def _geheel_formatter(euros: bool = False):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: euro(round(x)) if euros else getal(round(x)))


# --------------------------------------------------------------------------- prognose


def _prognose(prognose) -> Any:
    from matplotlib.ticker import MaxNLocator

    fig = _nieuwe_figuur(3.0)
    ax = fig.add_subplot()
    labels = [_t(f"leerroute_{r}") for r in LEERROUTES]
    x = list(range(len(LEERROUTES)))
    if prognose.delen:
        onder = [0] * len(LEERROUTES)
        for i, deel in enumerate(prognose.delen):
            waarden = [deel.leerroutes[r] for r in LEERROUTES]
            ax.bar(x, waarden, 0.6, bottom=onder, color=KLEUREN[i % len(KLEUREN)], label=deel.gemeente,
                   edgecolor="white", linewidth=0.6)
            onder = [a + b for a, b in zip(onder, waarden)]
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    else:
        ax.bar(x, [prognose.leerroutes[r] for r in LEERROUTES], 0.6, color=KLEUREN[: len(LEERROUTES)])
    totalen = [prognose.leerroutes[r] for r in LEERROUTES]
    hoogste = max(totalen + [1])
    for xi, n in zip(x, totalen):
        ax.annotate(getal(n), (xi, n), xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
                    fontweight="bold")
    ax.set_ylim(0, hoogste * 1.18)
    ax.set_xticks(x, labels)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(_geheel_formatter())
    ax.set_ylabel(_t("prognose_as"))
    titel = _t("prognose_titel", jaar=prognose.jaar) if prognose.jaar else _t("prognose_titel_zonder_jaar")
    ax.set_title(titel, loc="left")
    rechts = 1 - (_tekstbreedte([d.gemeente for d in prognose.delen]) + 0.45) / BREEDTE if prognose.delen else 0.98
    fig.subplots_adjust(left=0.1, right=rechts, top=0.88, bottom=0.1)
    return fig


# --------------------------------------------------------------------------- begroting


def _begroting(begroting) -> Any:
    fig = _nieuwe_figuur(3.4)
    ax = fig.add_subplot()
    posten = list(begroting.posten)
    y = list(range(len(posten)))
    hoogte = 0.38
    spuk = [p.spuk for p in posten]
    # a voorziening without an own estimate gets no raming bar (no estimate is not "€ 0")
    raming = [p.raming for p in posten]
    ax.barh([v - hoogte / 2 for v in y], spuk, hoogte, color=KLEUREN[0], label=_t("spuk"))
    met = [(v, r) for v, r in zip(y, raming) if r is not None]
    if met:
        ax.barh([v + hoogte / 2 for v, _ in met], [r for _, r in met], hoogte, color=KLEUREN[1], label=_t("raming"))
    hoogste = max(spuk + [r for _, r in met] + [1])
    for v, s, r in zip(y, spuk, raming):
        ax.annotate(euro(s), (s, v - hoogte / 2), xytext=(3, 0), textcoords="offset points", va="center",
                    fontsize=7)
        if r is not None:
            ax.annotate(euro(r), (r, v + hoogte / 2), xytext=(3, 0), textcoords="offset points", va="center",
                        fontsize=7)
    ax.set_xlim(0, hoogste * 1.25)
    ax.set_yticks(y, [_t(f"voorziening_{p.voorziening}") for p in posten])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(_geheel_formatter(euros=True))
    ax.set_xlabel(_t("begroting_as"))
    titel = _t("begroting_titel", jaar=begroting.jaar) if begroting.jaar else _t("begroting_titel_zonder_jaar")
    ax.set_title(titel, loc="left")
    ax.legend(loc="lower right")
    links = (_tekstbreedte(_t(f"voorziening_{p.voorziening}") for p in posten) + 0.25) / BREEDTE
    fig.subplots_adjust(left=links, right=0.93, top=0.9, bottom=0.15)   # room for the last € tick label
    return fig


# --------------------------------------------------------------------------- tijdpad


def _maanden(begin: dt.date, eind: dt.date) -> list[dt.date]:
    d = dt.date(begin.year, begin.month, 1)
    if d < begin:
        d = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    uit = []
    while d <= eind:
        uit.append(d)
        d = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return uit


def _tijdpad(tijdpad) -> Any:
    from matplotlib.lines import Line2D
    from kit.tijdpad import datum_tekst

    fasen = list(tijdpad.fasen)
    fig = _nieuwe_figuur(0.42 * len(fasen) + 1.5)
    ax = fig.add_subplot()
    nul = tijdpad.begin.toordinal()
    eind = max(f.eind for f in fasen)

    def x(d: dt.date) -> float:
        return d.toordinal() - nul

    y = list(range(len(fasen)))
    for f, yi in zip(fasen, y):
        kleur = KLEUREN[(f.nummer - 1) % len(KLEUREN)]
        if f.weken == 0 and f.begin == f.eind:
            ax.plot([x(f.begin)], [yi], marker="*", markersize=11, color=kleur, linestyle="none")
        else:
            ax.barh(yi, f.dagen, 0.55, left=x(f.begin), color=kleur, alpha=0.85)
        b = f.besluit
        if b is not None:
            if b.datum is not None:
                ax.plot([x(b.datum)], [yi], marker="D", markersize=5.5, color="black", linestyle="none")
            if b.adviesraad is not None:
                ax.plot([x(b.adviesraad)], [yi], marker="o", markersize=5, markerfacecolor="white",
                        markeredgecolor="black", linestyle="none")
    for d in tijdpad.raad:
        if tijdpad.begin <= d <= eind:
            ax.axvline(x(d), color=GRIJS, linestyle=":", linewidth=0.8, zorder=0)
            ax.plot([x(d)], [-0.75], marker="v", markersize=6, color=GRIJS, linestyle="none", clip_on=False)

    ax.set_yticks(y, [_t("fase", nummer=f.nummer, naam=f.naam) for f in fasen])
    ax.set_ylim(len(fasen) - 0.5, -1.1)
    ticks = _maanden(tijdpad.begin, eind)
    ax.set_xticks([x(d) for d in ticks],
                  [_t(f"maand_kort_{d.month}") + (f"\n{d.year}" if d.month == 1 or i == 0 else "")
                   for i, d in enumerate(ticks)])
    ax.set_xlim(-3, x(eind) + 6)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_title(_t("tijdpad_titel", datum=datum_tekst(tijdpad.inwerkingtreding)), loc="left")
    legenda = [
        Line2D([], [], marker="v", color=GRIJS, linestyle=":", label=_t("raad")),
        Line2D([], [], marker="D", color="black", linestyle="none", label=_t("besluit")),
        Line2D([], [], marker="o", markerfacecolor="white", markeredgecolor="black", linestyle="none",
               label=_t("adviesraad")),
        Line2D([], [], marker="*", color=KLEUREN[6], linestyle="none", markersize=10, label=_t("inwerkingtreding")),
    ]
    fig.legend(handles=legenda, loc="lower center", ncol=4, columnspacing=1.2, handlelength=1.6)
    hoogte = fig.get_figheight()
    links = (_tekstbreedte(_t("fase", nummer=f.nummer, naam=f.naam) for f in fasen) + 0.2) / BREEDTE
    fig.subplots_adjust(left=links, right=0.97, top=1 - 0.4 / hoogte, bottom=0.85 / hoogte)
    return fig


_TEKENAARS = {"prognose": _prognose, "begroting": _begroting, "tijdpad": _tijdpad}


def teken(naam: str, bron: Any) -> bytes:
    """One chart as PNG bytes (``naam`` in ``NAMEN``; ``bron`` the Prognose/Begroting/Tijdpad)."""
    return _teken(_TEKENAARS[naam], bron)


def maak(prognose, begroting, tijdpad) -> dict[str, bytes]:
    """All three charts; a ``None`` input leaves its chart out."""
    bronnen = {"prognose": prognose, "begroting": begroting, "tijdpad": tijdpad}
    return {naam: teken(naam, bron) for naam, bron in bronnen.items() if bron is not None}


class Grafieken(Mapping):
    """Lazy ``name -> PNG bytes``: a chart is drawn (and cached) on first access.

    Sources may be given directly or as zero-argument callables (computed on first use).
    """

    def __init__(self, prognose: Any = None, begroting: Any = None, tijdpad: Any = None) -> None:
        self._bronnen = {"prognose": prognose, "begroting": begroting, "tijdpad": tijdpad}
        self._cache: dict[str, bytes] = {}

    def _bron(self, naam: str) -> Any:
        bron = self._bronnen[naam]
        return bron() if callable(bron) else bron

    def __getitem__(self, naam: str) -> bytes:
        if naam not in self._cache:
            if naam not in self._bronnen or self._bronnen[naam] is None:
                raise KeyError(naam)
            bron = self._bron(naam)
            if bron is None:
                raise KeyError(naam)
            self._cache[naam] = teken(naam, bron)
        return self._cache[naam]

    def __iter__(self) -> Iterator[str]:
        return (n for n in NAMEN if self._bronnen[n] is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, naam: object) -> bool:
        return naam in self._bronnen and self._bronnen[naam] is not None  # type: ignore[index]

    def __repr__(self) -> str:
        return f"Grafieken({list(self)}, getekend={sorted(self._cache)})"
