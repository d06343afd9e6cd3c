"""``kit render``: one choice file → five documents (+ PDF) in ``DIR/<gemeente-slug>/``.

Flow: load → validate (errors: exit 1, nothing written) → context → per document: template →
markup → model → .docx bytes → overwrite check of *all* outputs → write atomically →
PDF (one LibreOffice call) → manifest.json.

:class:`Renderer` keeps the prepared templates and huisstijlen, so one process can render many
gemeenten (``kit batch``) and compiles every template once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from kit.berichten import bericht, meld_fout
from kit.paden import SJABLONEN
from kit.errors import InputError, KitError, UsageError, ValidationFailed, WouldOverwrite

#: document names (DESIGN.md), in render order
DOCUMENTEN = ("startnotitie", "beleidskader", "verordening", "beleidsregels", "raadsinformatiebrief",
              "raadsvoorstel-beleidskader", "raadsvoorstel-verordening")
#: statuses whose documents show open points (markers and the annex "Open punten en aannames")
STATUS_MET_OPEN_PUNTEN = ("concept", "ter_advisering")
OPEN_PUNTEN_SJABLOON = "_gedeeld/tekstblokken/open-punten.md.j2"
ROOT = Path(__file__).resolve().parent.parent
STANDAARD_KEUZEBESTAND = Path("choices") / "voorbeeld.yaml"
STANDAARD_HUISSTIJL = SJABLONEN / "huisstijl.docx"


@dataclass
class RenderResultaat:
    bron: Path
    map: Path
    documenten: dict[str, Path] = field(default_factory=dict)   # name -> .docx
    pdfs: dict[str, Path] = field(default_factory=dict)         # name -> .pdf
    waarschuwingen: list = field(default_factory=list)          # Finding (niveau waarschuwing)
    meldingen: list[str] = field(default_factory=list)          # Dutch notes for the user

    @property
    def bestanden(self) -> list[Path]:
        return list(self.documenten.values()) + list(self.pdfs.values())


def kies_documenten(alleen: str | Sequence[str] | None) -> list[str]:
    """``--only`` → document names in render order; unknown names: UsageError (exit 2)."""
    if alleen is None:
        return list(DOCUMENTEN)
    namen = [n.strip() for n in (alleen.split(",") if isinstance(alleen, str) else alleen)]
    namen = [n[:-5] if n.endswith(".docx") else n for n in namen if n]
    onbekend = [n for n in namen if n not in DOCUMENTEN]
    if onbekend or not namen:
        raise UsageError(bericht("render.onbekend_document", namen=", ".join(onbekend) or "-", toegestaan=", ".join(DOCUMENTEN)))
    return [d for d in DOCUMENTEN if d in namen]


def pdf_keuze(pdf: bool | None) -> bool:
    """``--pdf`` without LibreOffice: UsageError (exit 2) before anything is written."""
    from kit.pdf import soffice

    if pdf is None:
        return soffice() is not None
    if pdf and soffice() is None:
        raise UsageError(bericht("render.pdf_vereist"))
    return pdf


def _relatief_pad(choices: Any, waarde: str) -> Path:
    p = Path(waarde)
    return p if p.is_absolute() else Path(choices.path).parent / p


class Renderer:
    """Prepared templates and huisstijlen, reusable across gemeenten in one process."""

    def __init__(self) -> None:
        self._wettabel = None

    # -- prepared resources (cached per process in the modules themselves)
    def sjablonen(self, extra: Path | None):
        from kit.templating import sjablonen

        return sjablonen(extra)

    def huisstijl(self, pad: Path):
        from kit.docx_writer import huisstijl

        return huisstijl(pad)

    def wet(self, choices: Any) -> dict:
        from kit.minima import wettabel

        if self._wettabel is None:
            self._wettabel = wettabel()
        datum = (choices.data.get("verordening") or {}).get("inwerkingtreding")
        return self._wettabel.op(datum) if datum else self._wettabel.nieuwste()

    # -- steps
    def laad(self, pad: Path):
        from kit.loader import load_choices

        return load_choices(pad)

    def valideer(self, choices: Any) -> list:
        from kit.validate import validate

        bevindingen = validate(choices)
        fouten = [f for f in bevindingen if f.is_fout]
        if fouten:
            raise ValidationFailed(bericht("render.validatie_fout", bestand=choices.path), bevindingen)
        return bevindingen

    def documenten(self, choices: Any, namen: Iterable[str]) -> tuple[dict[str, bytes], list[Path], dict]:
        """name → .docx bytes, the input files read, and the context (no file is written)."""
        from kit.context import build_context, meta_voor
        from kit.model import parse_met_vervolg
        from kit.templating import DOCUMENTEN as SJABLOON

        wet = self.wet(choices)
        ctx = build_context(choices, wet)
        gemeente = ctx.get("gemeente") or {}
        extra = _relatief_pad(choices, gemeente["teksten"]) if gemeente.get("teksten") else None
        sj = self.sjablonen(extra)
        stijl_pad = _relatief_pad(choices, gemeente["huisstijl"]) if gemeente.get("huisstijl") else STANDAARD_HUISSTIJL
        stijl = self.huisstijl(stijl_pad)
        namen = list(namen)
        uit: dict[str, bytes] = {}
        for naam in namen:
            meta = meta_voor(ctx, naam)
            markup = sj.render(naam, dict(ctx, meta=meta))
            document, verder = parse_met_vervolg(markup, naam, titel=meta["document_titel"], bron=SJABLOON[naam])
            document = _met_open_punten(sj, ctx, meta, document, verder)
            uit[naam] = stijl.schrijf(document, meta, ctx.get("grafieken") or {}, _huisstijl_context(ctx))
        invoer = list(choices.files) + [stijl_pad] + sj.bestanden(namen) + [_wettabel_pad()]
        return uit, invoer, ctx

    def render(
        self,
        pad: Path | str,
        uitvoer: Path | str = Path("build"),
        alleen: str | Sequence[str] | None = None,
        pdf: bool | None = None,
        force: bool = False,
        meld: Callable[[str], None] | None = None,
    ) -> RenderResultaat:
        """Render one choice file. Errors: ``KitError`` (Dutch message, exit code); an
        exception that escapes after files were written carries ``kit_geschreven`` (the paths)."""
        from kit.context import slug
        from kit.manifest import controleer_uitvoer, map_slot, ruim_leeg_op, schrijffout

        namen = kies_documenten(alleen)
        maak_pdf = pdf_keuze(pdf)
        pad = Path(pad)
        choices = self.laad(pad)
        bevindingen = self.valideer(choices)
        bestanden, invoer, ctx = self.documenten(choices, namen)

        map_ = Path(uitvoer) / slug(ctx["meta"]["gemeente"])
        resultaat = RenderResultaat(pad, map_, waarschuwingen=[f for f in bevindingen if not f.is_fout])
        docx = {f"{n}.docx": data for n, data in bestanden.items()}
        te_schrijven = list(docx) + ([f"{n}.pdf" for n in namen] if maak_pdf else [])
        try:
            controleer_uitvoer(Path(uitvoer), map_)  # nothing is created when the output cannot be
            with map_slot(map_, meld=meld) as gemaakt:  # one run per folder, from check to manifest
                try:
                    self._schrijf(resultaat, docx, te_schrijven, invoer, maak_pdf, pdf, force)
                finally:
                    if not resultaat.bestanden:
                        ruim_leeg_op(gemaakt)
        except OSError as e:
            fout = schrijffout(e, map_)
            fout.kit_geschreven = list(resultaat.bestanden)  # type: ignore[attr-defined]
            raise fout from e
        except BaseException as e:
            e.kit_geschreven = list(resultaat.bestanden)  # type: ignore[attr-defined]
            raise
        return resultaat

    def _schrijf(self, resultaat: RenderResultaat, docx: dict[str, bytes], te_schrijven: list[str],
                 invoer: list[Path], maak_pdf: bool, pdf: bool | None, force: bool) -> None:
        """Check, write, convert and record, with the folder lock held."""
        from kit.manifest import Manifest, ruim_resten_op, schrijf_alles

        map_ = resultaat.map
        ruim_resten_op(map_)  # leftovers of a killed run (temp files, PDF temp folders)
        manifest = Manifest(map_)
        manifest.controleer(te_schrijven, force=force)  # check all first: nothing written on refusal
        klaar = False
        try:  # the manifest is written also after an error: what the kit wrote stays its own
            for p in schrijf_alles(map_, docx, manifest, force=force, weiger=False):
                resultaat.documenten[p.stem] = p
            if maak_pdf:
                self._pdf(resultaat, manifest, verplicht=bool(pdf), force=force)
            elif pdf is None:
                resultaat.meldingen.append(bericht("render.geen_libreoffice"))
            klaar = True
        finally:
            if resultaat.bestanden or manifest.opzij or manifest.voorgenomen:
                try:
                    manifest.schrijf(invoer)
                except OSError:
                    if klaar:
                        raise  # else the first error is the one to report
        weigering = manifest.weigering()
        if weigering is not None:
            raise weigering

    def _pdf(self, resultaat: RenderResultaat, manifest, verplicht: bool, force: bool = False) -> None:
        from kit.pdf import PdfFout, naar_pdf, ruim_op

        docx = list(resultaat.documenten.values())
        try:
            tijdelijk = naar_pdf(docx, resultaat.map)
        except PdfFout as e:
            if verplicht:
                raise
            resultaat.meldingen.append(str(e))
            return
        try:
            manifest.voornemen({t.name: t for t in tijdelijk})
            for t in tijdelijk:  # checked again just before the move: a PDF edited meanwhile stays
                doel = manifest.plaats(t, t.name, force=force)
                if doel is not None:
                    resultaat.pdfs[doel.stem] = doel
        finally:
            ruim_op(tijdelijk)


def _met_open_punten(sj: Any, ctx: dict, meta: dict, document: Any, verder: Callable[[str], Any]) -> Any:
    """A concept with open points: markers under the headings whose choices rest on one, and
    the annex "Open punten en aannames" (key path, label, value, reason, where used).
    ``verder(annex markup)`` gives the document with the annex (kit.model.parse_met_vervolg)."""
    from kit.aannames import gebruik
    from kit.templating import taal

    punten = ctx.get("open_punten") or []
    if not punten or meta.get("status") not in STATUS_MET_OPEN_PUNTEN:
        return document
    geheugen: dict = {}  # the blocks of the document are those of the document with its annex
    gebruikt = gebruik(document, punten, geheugen)
    titelblok = taal()["open_punten"]["titelblok"]
    for p in gebruikt:
        if meta.get(p.sleutel.replace("versie.", "") + "_punt") == p.markering and p.sleutel.startswith("versie."):
            p.gebruikt.insert(0, titelblok)
    bijlage = sj.render(OPEN_PUNTEN_SJABLOON, dict(ctx, meta=meta, punten=gebruikt))
    document = verder(bijlage)
    gebruik(document, punten, geheugen)
    return document


def _wettabel_pad() -> Path:
    return Path(__file__).resolve().parent / "data" / "minima.yaml"


def _huisstijl_context(ctx: dict) -> dict:
    """What a huisstijl may use besides ``meta``: the gemeente, versie and advies blocks."""
    return {k: ctx.get(k) for k in ("gemeente", "versie", "advies")}


_RENDERER: Renderer | None = None


def renderer() -> Renderer:
    global _RENDERER
    if _RENDERER is None:
        _RENDERER = Renderer()
    return _RENDERER


def render(pad: Path | str, uitvoer: Path | str = Path("build"), alleen=None, pdf: bool | None = None, force: bool = False,
           meld: Callable[[str], None] | None = None) -> RenderResultaat:
    """Render one choice file (see :meth:`Renderer.render`)."""
    return renderer().render(pad, uitvoer, alleen, pdf, force, meld=meld)


def standaard_keuzebestand() -> Path:
    if STANDAARD_KEUZEBESTAND.is_file():
        return STANDAARD_KEUZEBESTAND
    return ROOT / STANDAARD_KEUZEBESTAND


def render_cli(
    bestanden: list[Path],
    uitvoer: Path = Path("build"),
    alleen: str | None = None,
    pdf: bool | None = None,
    force: bool = False,
    echo: Callable[..., Any] = print,
) -> int:
    """``kit render``: returns the exit code (0, 1 validation, 2 usage/input, 3 overwrite)."""
    def fout(tekst: str) -> None:
        meld_fout(echo, tekst)

    try:  # usage errors first, for all files at once
        kies_documenten(alleen)
        pdf_keuze(pdf)
    except KitError as e:
        fout(str(e))
        return e.exit_code
    code = 0
    geschreven: list[Path] = []  # over all files of this call: "er is niets geschreven" only when true
    for pad in bestanden or [standaard_keuzebestand()]:
        try:
            r = render(pad, uitvoer, alleen, pdf, force, meld=fout)
        except ValidationFailed as e:
            for f in e.findings:
                fout(f.als_tekst())
            fout(str(e))
            code = max(code, e.exit_code)
            continue
        except KitError as e:
            fout(str(e))
            if isinstance(e, WouldOverwrite) and getattr(e, "kit_geschreven", None):
                fout(bericht("render.wel_geschreven", bestanden=_namen(e.kit_geschreven)))
            code = max(code, e.exit_code)
            continue
        except KeyboardInterrupt as e:  # Ctrl-C: LibreOffice is stopped (kit.pdf), the manifest is written
            geschreven += getattr(e, "kit_geschreven", [])
            fout(bericht("render.onderbroken", bestanden=_namen(geschreven)) if geschreven else bericht("render.onderbroken_niets"))
            return 130
        except Exception as e:  # a bug: "niets geschreven" (kit.cli) only when that is true
            geschreven += getattr(e, "kit_geschreven", [])
            if not geschreven or os.environ.get("KIT_DEBUG"):
                raise
            fout(bericht("render.interne_fout_deels", soort=f"{type(e).__name__}: {e}", bestanden=_namen(geschreven)))
            return 2
        geschreven += r.bestanden
        for f in r.waarschuwingen:
            fout(f.als_tekst())
        namen = ", ".join(p.name for p in r.bestanden)
        echo(bericht("render.geschreven", map=r.map, bestanden=namen))
        for m in r.meldingen:
            fout(m)
    return code


def _namen(paden: Iterable[Path]) -> str:
    return ", ".join(str(p) for p in paden)
