"""Validation of a choice file: the schema, then the law as of a date.

``validate(choices, datum=None)`` returns every finding, sorted by file and line:
schema findings (unknown keys with a suggestion, wrong types, enum values with their
labels, missing keys) and the findings of the law rules in ``REGELS``. The law rules read
the figures in force on ``datum`` or, without it, on ``verordening.inwerkingtreding``
(without a usable date: the newest figures, and the schema reports the missing date).

A law rule is a function ``regel(choices, wet) -> Iterable[Finding]`` where ``wet`` maps
figure names to ``Figuur`` (kit.minima). Rules must tolerate any value at any key: the
schema reports wrong types, rules silently skip what they cannot compare. Other modules
may append rules to ``REGELS``.

Each finding is reported in the file that set the value (``Choices.mark``), so a value
inherited from a regio file is reported at the regio file's line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import math
import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from importlib import resources
from pathlib import Path
from typing import Any

from kit import schema as kschema
from kit.berichten import bericht, toon_json
from kit.errors import KitError
from kit.findings import FOUT, WAARSCHUWING, Finding
from kit.loader import waarde_op as _haal  # the value at a key path, or None (never raises)
from kit.minima import Figuur, met_eenheid, wettabel

Regel = Callable[[Any, dict[str, Figuur]], Iterable[Finding]]
_ONTBREEKT = object()
_MAX_WAARDE = 60
#: Top-level keys a *regio file* (one that gemeente files ``extends``) leaves to its gemeenten:
#: ``kit validate`` does not ask for them in a file without ``gemeente`` (kit render still does).
REGIO_VRIJ = ("gemeente", "versie")
# The explicit --datum of the running validation (None: verordening.inwerkingtreding is used).
_PEILDATUM: ContextVar[dt.date | None] = ContextVar("kit_validate_peildatum", default=None)


# --- access to choices --------------------------------------------------------------------


def _getal(choices: Any, keypath: str) -> int | float | None:
    waarde = _haal(choices.data, keypath)
    if isinstance(waarde, bool) or not isinstance(waarde, (int, float)):
        return None
    if waarde != waarde or waarde in (float("inf"), float("-inf")):  # NaN / inf
        return None
    return waarde


def _tekst_gevuld(waarde: Any) -> bool:
    return isinstance(waarde, str) and waarde.strip() != ""


def _datum(waarde: Any) -> dt.date | None:
    if isinstance(waarde, dt.datetime):
        return waarde.date()
    if isinstance(waarde, dt.date):
        return waarde
    if isinstance(waarde, str):
        try:
            return dt.date.fromisoformat(waarde.strip())
        except ValueError:
            return None
    return None


def _plaats(choices: Any, keypath: str) -> tuple[Path | None, int | None]:
    """File and line of ``keypath``; for an absent key the nearest existing parent."""
    mark = None
    try:
        mark = choices.mark(keypath)
        if mark is None and hasattr(choices, "mark_of_nearest"):
            mark = choices.mark_of_nearest(keypath)
    except Exception:  # a mark is a courtesy; never let it break validation
        mark = None
    if mark is None:
        return getattr(choices, "path", None), None
    bestand = getattr(mark, "file", None) or getattr(choices, "path", None)
    regel = getattr(mark, "line", None)
    return (Path(bestand) if bestand is not None else None), regel


def bevinding(choices: Any, niveau: str, keypath: str, tekst: str, bron: str = "") -> Finding:
    """A finding at the place where ``keypath`` was set (for rules added by other modules too)."""
    bestand, regel = _plaats(choices, keypath)
    return Finding(niveau=niveau, bestand=bestand, regel=regel, sleutel=keypath, bericht=tekst, bron=bron)


def _toon(keypath: str, waarde: Any, figuur: Figuur | None = None) -> str:
    if figuur is not None and isinstance(waarde, (int, float)):
        return met_eenheid(waarde, figuur.eenheid)
    return str(waarde)


# --- schema findings ----------------------------------------------------------------------


def _pad(delen: Iterable[Any]) -> str:
    tekst = ""
    for deel in delen:
        if isinstance(deel, int) and not isinstance(deel, bool):
            tekst += f"[{deel}]"
        else:
            tekst += ("." if tekst else "") + str(deel)
    return tekst


def _kort(waarde: Any) -> str:
    tekst = waarde if isinstance(waarde, str) else json.dumps(waarde, ensure_ascii=False, default=str)
    if len(tekst) > _MAX_WAARDE:
        return bericht("validate.waarde_lang", begin=tekst[:_MAX_WAARDE], lengte=len(tekst))
    return tekst


    if isinstance(waarde, list):
        return "array"
    if isinstance(waarde, dict):
        return "object"
    return "string"


def _verwacht(keypath: str, sub: dict) -> str:
    if isinstance(sub.get("x-verwacht"), str):
        return sub["x-verwacht"]
    soorten = sub.get("type")
    if isinstance(soorten, str):
        soorten = [soorten]
    if not isinstance(soorten, list):
        return bericht("validate.soort_object")
    return bericht("validate.of").join(
        bericht(f"validate.soort_{s}") if s in ("integer", "number", "string", "boolean", "array", "object", "null") else str(s)
        for s in soorten
    )


def _gevonden(waarde: Any) -> str:
    soort = kschema.json_soort(waarde)
    tekst = "true" if waarde is True else "false" if waarde is False else _kort(waarde)
    return bericht(f"validate.gevonden_{soort}", waarde=tekst)


def is_regiobestand(choices: Any) -> bool:
    """A file without ``gemeente`` (own or inherited) is a regio file: gemeenten extend it."""
    return isinstance(choices.data, dict) and "gemeente" not in choices.data


def _schema_bevindingen(choices: Any, data: Any, regio: bool = False) -> list[Finding]:
    bevindingen: list[Finding] = []
    gezien: set[tuple[str, str]] = set()
    try:
        fouten = list(kschema.validator().iter_errors(data))
    except RecursionError:
        fouten = []
    for fout in fouten:
        if _niet_eindig(fout.instance):
            continue  # regel_eindige_getallen says it once, in words
        for keypath, tekst in _vertaal(fout):
            if regio and fout.validator == "required" and keypath in REGIO_VRIJ:
                continue
            if (keypath, tekst) in gezien:
                continue
            gezien.add((keypath, tekst))
            bevindingen.append(bevinding(choices, FOUT, keypath, tekst))
    return bevindingen


def _vertaal(fout: Any) -> list[tuple[str, str]]:
    """One jsonschema error → [(key path, Dutch message)]."""
    keypath = _pad(fout.absolute_path)
    soort = fout.validator
    sub = fout.schema if isinstance(fout.schema, dict) else {}
    waarde = fout.instance
    lbl = kschema.label(keypath) if keypath else ""

    if soort == "additionalProperties" and isinstance(waarde, dict):
        toegestaan = list((sub.get("properties") or {}).keys())
        resultaat = []
        for sleutel in waarde:
            if str(sleutel) in toegestaan:
                continue
            pad = f"{keypath}.{sleutel}" if keypath else str(sleutel)
            resultaat.append((pad, _onbekend(str(sleutel), toegestaan)))
        return resultaat
    if soort == "required" and isinstance(waarde, dict):
        resultaat = []
        for sleutel in fout.validator_value or []:
            if sleutel not in waarde:
                pad = f"{keypath}.{sleutel}" if keypath else str(sleutel)
                resultaat.append((pad, bericht("validate.ontbrekende_sleutel", label=kschema.label(pad))))
        return resultaat
    if soort == "enum":
        labels = sub.get("x-labels") or {}
        opties = ", ".join(
            bericht("validate.optie", waarde=w, label=labels[w]) if w in labels and labels[w] != w else str(w)
            for w in fout.validator_value or []
        )
        return [(keypath, bericht("validate.verkeerde_keuze", label=lbl, waarde=_kort(waarde), opties=opties))]
    if soort == "type":
        return [(keypath, bericht("validate.verkeerd_type", label=lbl, verwacht=_verwacht(keypath, sub), gevonden=_gevonden(waarde)))]
    if soort in ("minimum", "exclusiveMinimum"):
        return [(keypath, bericht("validate.te_klein", label=lbl, waarde=_kort(waarde), grens=fout.validator_value))]
    if soort in ("maximum", "exclusiveMaximum"):
        return [(keypath, bericht("validate.te_groot", label=lbl, waarde=_kort(waarde), grens=fout.validator_value))]
    if soort == "minLength":
        return [(keypath, bericht("validate.leeg", label=lbl))]
    if soort == "maxLength":
        return [(keypath, bericht("validate.te_lang", label=lbl, grens=fout.validator_value))]
    if soort == "uniqueItems":
        return [(keypath, bericht("validate.dubbel", label=lbl))]
    if soort == "minItems":
        return [(keypath, bericht("validate.te_weinig", label=lbl, grens=fout.validator_value))]
    if soort == "maxItems":
        return [(keypath, bericht("validate.te_veel", label=lbl, grens=fout.validator_value))]
    if soort == "pattern":
        return [(keypath, bericht("validate.patroon", label=lbl, waarde=_kort(waarde)))]
    if soort == "formatMinimum":
        return [(keypath, bericht("validate.datum_te_vroeg", label=lbl, waarde=_kort(waarde), grens=fout.validator_value))]
    if soort == "formatMaximum":
        return [(keypath, bericht("validate.datum_te_laat", label=lbl, waarde=_kort(waarde), grens=fout.validator_value))]
    if soort == "format" and fout.validator_value == "date":
        return [(keypath, bericht("validate.datum", label=lbl, waarde=_kort(waarde)))]
    eis = f"{soort}: {_kort(fout.validator_value)}"
    return [(keypath, bericht("validate.overig", label=lbl, waarde=_kort(waarde), eis=eis))]


def _onbekend(sleutel: str, toegestaan: list[str]) -> str:
    if not toegestaan:
        return bericht("validate.onbekende_sleutel_geen_mapping", sleutel=sleutel)
    voorstel = difflib.get_close_matches(sleutel, toegestaan, n=1, cutoff=0.6)
    if not voorstel:
        # also try without the underscores and case (e.g. "Uren-Praktijk")
        normaal = {t.replace("_", ""): t for t in toegestaan}
        gevonden = difflib.get_close_matches(sleutel.lower().replace("_", "").replace("-", ""), list(normaal), n=1, cutoff=0.6)
        voorstel = [normaal[g] for g in gevonden]
    if voorstel:
        return bericht("validate.onbekende_sleutel", sleutel=sleutel, voorstel=voorstel[0])
    return bericht("validate.onbekende_sleutel_zonder_voorstel", sleutel=sleutel, toegestaan=", ".join(toegestaan))


def _voor_schema(choices: Any) -> Any:
    """The data as the schema sees it: ``versie.nummer`` written as a number becomes its source text."""
    data = choices.data
    versie = data.get("versie") if isinstance(data, dict) else None
    if isinstance(versie, dict):
        nummer = versie.get("nummer")
        if isinstance(nummer, (int, float)) and not isinstance(nummer, bool):
            raw = None
            try:
                raw = choices.raw("versie.nummer")
            except Exception:
                raw = None
            data = dict(data)
            data["versie"] = {**versie, "nummer": str(raw) if raw not in (None, "") else str(nummer)}
    return data


# --- law rules ----------------------------------------------------------------------------


def _grens_regel(keypath: str, figuur_naam: str, richting: str) -> Regel:
    """A rule: the value at ``keypath`` must not be below (``min``) / above (``max``) the figure."""

    def regel(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
        figuur = wet.get(figuur_naam)
        waarde = _getal(choices, keypath)
        if figuur is None or waarde is None:
            return
        te_laag = richting == "min" and waarde < figuur.waarde
        te_hoog = richting == "max" and waarde > figuur.waarde
        if te_laag or te_hoog:
            sleutel = "validate.onder_minimum" if te_laag else "validate.boven_maximum"
            tekst = bericht(
                sleutel,
                label=kschema.label(keypath),
                waarde=_toon(keypath, waarde, figuur),
                grens=figuur.waarde_tekst,
            )
            yield bevinding(choices, FOUT, keypath, tekst, figuur.bron_kort)

    regel.__name__ = f"regel_{keypath.replace('.', '_')}_{richting}"
    regel.__doc__ = f"{keypath} {'≥' if richting == 'min' else '≤'} {figuur_naam}"
    return regel


regel_pvt_uren = _grens_regel("pvt.uren", "pvt_uren_min", "min")
regel_map_uren_praktijk = _grens_regel("map.uren_praktijk", "map_uren_praktijk_min", "min")
regel_ontzorgen_duur = _grens_regel("financieel_ontzorgen.duur_maanden", "ontzorgen_maanden_min", "min")
regel_pip_termijn = _grens_regel("pip.termijn_weken", "pip_termijn_weken_max", "max")
regel_boete_pip = _grens_regel("handhaving.boete_pip", "boete_pip_max", "max")
regel_boete_pip_herhaling = _grens_regel("handhaving.boete_pip_herhaling", "boete_pip_max", "max")
regel_boete_pip_licht = _grens_regel("handhaving.boete_pip_licht", "boete_pip_max", "max")


def regel_inwerkingtreding(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    """No figures in force on the date: the verordening would precede the law."""
    if wet:
        return
    eerste = wettabel().eerste_datum
    peildatum = _PEILDATUM.get()
    inwerking = _datum(_haal(choices.data, "verordening.inwerkingtreding"))
    if peildatum is not None and peildatum != inwerking:
        tekst = bericht("validate.geen_wet_peildatum", datum=peildatum.isoformat(), eerste=eerste.isoformat() if eerste else "?")
    else:
        datum = inwerking.isoformat() if inwerking else "?"
        tekst = bericht("validate.geen_wet", datum=datum, eerste=eerste.isoformat() if eerste else "?")
    yield bevinding(choices, FOUT, "verordening.inwerkingtreding", tekst, bericht("validate.bron_wet"))


def regel_boete_brede_intake(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    """A fixed amount: higher is unlawful; a lower general amount is only possible per case (matiging)."""
    figuur = wet.get("boete_brede_intake")
    keypath = "handhaving.boete_brede_intake"
    waarde = _getal(choices, keypath)
    if figuur is None or waarde is None or waarde == figuur.waarde:
        return
    velden = {"label": kschema.label(keypath), "waarde": _toon(keypath, waarde, figuur), "grens": figuur.waarde_tekst}
    if waarde > figuur.waarde:
        yield bevinding(choices, FOUT, keypath, bericht("validate.boete_boven_vast", **velden), figuur.bron_kort)
    else:
        yield bevinding(choices, WAARSCHUWING, keypath, bericht("validate.boete_onder_vast", **velden), figuur.bron_kort)


def regel_ontzorgen_langer_dan_begeleiding(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    ontzorgen = _getal(choices, "financieel_ontzorgen.duur_maanden")
    begeleiding = _getal(choices, "maatschappelijke_begeleiding.duur_maanden")
    if ontzorgen is None or begeleiding is None or ontzorgen <= begeleiding:
        return
    if _tekst_gevuld(_haal(choices.data, "financieel_ontzorgen.toelichting_duur")):
        return
    figuur = wet.get("ontzorgen_maanden_min")
    tekst = bericht(
        "validate.ontzorgen_langer_dan_begeleiding",
        ontzorgen=met_eenheid(ontzorgen, "maand"),
        begeleiding=met_eenheid(begeleiding, "maand"),
    )
    yield bevinding(choices, WAARSCHUWING, "financieel_ontzorgen.duur_maanden", tekst, figuur.bron_kort if figuur else "")


def regel_regionale_inkoop_zonder_regio(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    if _haal(choices.data, "leerroutes.inkoop") == "regionaal" and not _tekst_gevuld(_haal(choices.data, "leerroutes.regio")):
        yield bevinding(choices, WAARSCHUWING, "leerroutes.regio", bericht("validate.regionaal_zonder_regio"))


def regel_samenwerking_zonder_regio(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    samenwerking = _haal(choices.data, "organisatie.samenwerking")
    if samenwerking in ("subregionaal", "regionaal") and not _tekst_gevuld(_haal(choices.data, "organisatie.regio.naam")):
        tekst = bericht(
            "validate.samenwerking_zonder_regio",
            samenwerking=kschema.enum_label("organisatie.samenwerking", samenwerking),
        )
        yield bevinding(choices, WAARSCHUWING, "organisatie.regio.naam", tekst)


def regel_pip_lokale_norm(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    norm = _getal(choices, "pip.termijn_na_intake_weken")
    termijn = _getal(choices, "pip.termijn_weken")
    if norm is None or termijn is None or norm < termijn:
        return
    tekst = bericht("validate.pip_norm_niet_korter", norm=met_eenheid(norm, "week"), termijn=met_eenheid(termijn, "week"))
    yield bevinding(choices, WAARSCHUWING, "pip.termijn_na_intake_weken", tekst)


def regel_gesprek_bijstand(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    """Het gesprek dat de consulent bijstand voert, moet een van de gesprekken van de brede intake zijn."""
    nr = _getal(choices, "brede_intake.gesprek_bijstand")
    aantal = _getal(choices, "brede_intake.gesprekken")
    if nr is None or aantal is None or nr <= aantal:
        return
    tekst = bericht("validate.gesprek_bijstand_te_hoog", nr=nr, aantal=aantal)
    yield bevinding(choices, FOUT, "brede_intake.gesprek_bijstand", tekst)


def regel_gemiddelde_duur_begeleiding(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    """Een gemiddelde duur als streven moet langer zijn dan de gegarandeerde minimumduur."""
    gemiddeld = _getal(choices, "maatschappelijke_begeleiding.gemiddelde_duur_maanden")
    minimum = _getal(choices, "maatschappelijke_begeleiding.duur_maanden")
    if gemiddeld is None or minimum is None or gemiddeld > minimum:
        return
    tekst = bericht("validate.gemiddelde_duur_niet_langer", gemiddeld=met_eenheid(gemiddeld, "maand"),
                    minimum=met_eenheid(minimum, "maand"))
    yield bevinding(choices, WAARSCHUWING, "maatschappelijke_begeleiding.gemiddelde_duur_maanden", tekst)


def regel_boete_herhaling_lager(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    eerste = _getal(choices, "handhaving.boete_pip")
    herhaling = _getal(choices, "handhaving.boete_pip_herhaling")
    if eerste is None or herhaling is None or herhaling >= eerste:
        return
    tekst = bericht("validate.herhaling_lager", herhaling=met_eenheid(herhaling, "euro"), eerste=met_eenheid(eerste, "euro"))
    figuur = wet.get("boete_pip_max")
    yield bevinding(choices, WAARSCHUWING, "handhaving.boete_pip_herhaling", tekst, figuur.bron_kort if figuur else "")


def regel_boete_licht_hoger(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    """The boete scale climbs: a lichte overtreding costs no more than a first (other) overtreding."""
    eerste = _getal(choices, "handhaving.boete_pip")
    licht = _getal(choices, "handhaving.boete_pip_licht")
    if eerste is None or licht is None or licht <= eerste:
        return
    tekst = bericht("validate.licht_hoger", licht=met_eenheid(licht, "euro"), eerste=met_eenheid(eerste, "euro"))
    figuur = wet.get("art_awb_matiging")
    yield bevinding(choices, FOUT, "handhaving.boete_pip_licht", tekst, figuur.bron_kort if figuur else "")


def regel_verlenging_zonder_gronden(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    if _haal(choices.data, "financieel_ontzorgen.verlenging") != "maatwerk":
        return
    gronden = _haal(choices.data, "financieel_ontzorgen.verlenging_gronden")
    if isinstance(gronden, list) and any(_tekst_gevuld(g) for g in gronden):
        return
    if _tekst_gevuld(gronden):
        return
    figuur = wet.get("ontzorgen_maanden_min")
    yield bevinding(
        choices, WAARSCHUWING, "financieel_ontzorgen.verlenging_gronden",
        bericht("validate.verlenging_zonder_gronden"), figuur.bron_kort if figuur else "",
    )


def regel_advisering(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    if _haal(choices.data, "versie.status") != "ter_advisering":
        return
    geen_termijn = _datum(_haal(choices.data, "advies.termijn")) is None
    geen_raad = not _tekst_gevuld(_haal(choices.data, "advies.adviesraad"))
    if not (geen_termijn or geen_raad):
        return
    if geen_termijn and geen_raad:
        ontbreekt, sleutel = bericht("validate.advisering_ontbreekt_beide"), "advies"
    elif geen_termijn:
        ontbreekt, sleutel = bericht("validate.advisering_ontbreekt_termijn"), "advies.termijn"
    else:
        ontbreekt, sleutel = bericht("validate.advisering_ontbreekt_adviesraad"), "advies.adviesraad"
    yield bevinding(choices, WAARSCHUWING, sleutel, bericht("validate.advisering_zonder_termijn", ontbreekt=ontbreekt))


def regel_advies_na_inwerkingtreding(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    termijn = _datum(_haal(choices.data, "advies.termijn"))
    inwerking = _datum(_haal(choices.data, "verordening.inwerkingtreding"))
    if termijn is None or inwerking is None or termijn <= inwerking:
        return
    tekst = bericht("validate.advies_na_inwerkingtreding", termijn=termijn.isoformat(), inwerkingtreding=inwerking.isoformat())
    yield bevinding(choices, WAARSCHUWING, "advies.termijn", tekst)


def regel_begeleiding_gezinsmigranten(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    if _haal(choices.data, "maatschappelijke_begeleiding.gezinsmigranten") is not True:
        return
    figuur = wet.get("spuk_mb_asiel")
    if figuur is None:
        return
    tekst = bericht("validate.begeleiding_gezinsmigranten", bedrag=figuur.waarde_tekst)
    yield bevinding(choices, WAARSCHUWING, "maatschappelijke_begeleiding.gezinsmigranten", tekst, figuur.bron_kort)


def regel_verrekening_en_samenloop(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    if (
        _haal(choices.data, "handhaving.verrekening_bijstand") is True
        and _haal(choices.data, "handhaving.samenloop_participatiewet") == "beide_mogelijk"
    ):
        yield bevinding(choices, WAARSCHUWING, "handhaving.samenloop_participatiewet", bericht("validate.verrekening_en_samenloop"))


def regel_hoor_en_wederhoor(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    if _haal(choices.data, "handhaving.hoor_en_wederhoor") is False:
        yield bevinding(choices, WAARSCHUWING, "handhaving.hoor_en_wederhoor", bericht("validate.zonder_hoor_en_wederhoor"))


def regel_tolk_tegenstrijdig(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    """A tolk at the brede intake while the tolkvoorziening is switched off gives two conflicting articles."""
    if _haal(choices.data, "brede_intake.tolk") is True and _haal(choices.data, "tolk.inzet") is False:
        yield bevinding(choices, WAARSCHUWING, "tolk.inzet", bericht("validate.tolk_tegenstrijdig"))


@functools.lru_cache(maxsize=1)
def _gezondheidstermen() -> dict[str, re.Pattern[str]]:
    """Level → a pattern of the words (at the start of a word) in kit/data/gezondheidstermen.yaml."""
    import yaml

    data = yaml.safe_load((resources.files("kit") / "data" / "gezondheidstermen.yaml").read_text(encoding="utf-8"))
    return {niveau: re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, data[niveau])) + ")", re.IGNORECASE)
            for niveau in ("fout", "twijfel")}


def regel_intake_gezondheid(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    """Review6 E1: an extra brede-intake topic about health. Health data are special-category data
    (art. 9 AVG); the law already has the college examine health (art. 14 lid 3 Wi2021). A topic the
    verordening adds "naast" the law rests on the verordening alone, which cannot be the ground for
    processing such data. An unmistakable health word is an error (a verordening with it would be
    unlawful, and the fix is simply to drop the item: health stays in the statutory intake); a word
    that may or may not mean health (vitaliteit, leefstijl) is a warning: the gemeente describes it."""
    lijst = _haal(choices.data, "brede_intake.extra_levensdomeinen")
    if not isinstance(lijst, list):
        return
    termen = _gezondheidstermen()
    figuur = wet.get("art_wi_brede_intake_gezondheid")
    artikel = figuur.waarde_tekst if figuur else ""
    bron = bericht("validate.bron_intake_gezondheid", bron=figuur.bron_kort if figuur else "")
    for i, waarde in enumerate(lijst):
        if not isinstance(waarde, str):
            continue
        if termen["fout"].search(waarde):
            niveau, sleutel = FOUT, "validate.intake_gezondheid"
        elif termen["twijfel"].search(waarde):
            niveau, sleutel = WAARSCHUWING, "validate.intake_gezondheid_twijfel"
        else:
            continue
        yield bevinding(choices, niveau, f"brede_intake.extra_levensdomeinen[{i}]",
                        bericht(sleutel, waarde=_kort(waarde), artikel=artikel), bron)


# --- values the documents cannot be made from (kit/validate.py, issue 14) ---------------------


def _niet_eindig(waarde: Any) -> bool:
    return isinstance(waarde, float) and not math.isfinite(waarde)


def _eindig_paden(waarde: Any, pad: str) -> Iterable[tuple[str, float]]:
    if isinstance(waarde, dict):
        for sleutel, kind in waarde.items():
            yield from _eindig_paden(kind, f"{pad}.{sleutel}" if pad else str(sleutel))
    elif isinstance(waarde, list):
        for i, kind in enumerate(waarde):
            yield from _eindig_paden(kind, f"{pad}[{i}]")
    elif _niet_eindig(waarde):
        yield pad, waarde


def regel_eindige_getallen(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    """``.nan`` and ``.inf`` are YAML numbers, but nothing can be counted or paid with them."""
    for keypath, waarde in _eindig_paden(choices.data, ""):
        label = kschema.label(keypath) if kschema.deelschema(keypath) else keypath
        try:
            raw = choices.raw(keypath)
        except Exception:  # a Choices built by hand
            raw = None
        yield bevinding(choices, FOUT, keypath, bericht("validate.niet_eindig", label=label, waarde=raw or waarde))


def regel_volwassenen_niet_meer_dan_statushouders(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    """The adults are part of the statushouders (the rest are children)."""
    volwassenen = _getal(choices, "financien.prognose.volwassenen")
    statushouders = _getal(choices, "financien.prognose.statushouders_per_jaar")
    if statushouders is None and volwassenen is not None:
        statushouders = kschema.standaard("financien.prognose.statushouders_per_jaar")
    if volwassenen is None or not isinstance(statushouders, (int, float)) or volwassenen <= statushouders:
        return
    tekst = bericht("validate.volwassenen_meer_dan_statushouders", volwassenen=volwassenen, statushouders=statushouders)
    yield bevinding(choices, FOUT, "financien.prognose.volwassenen", tekst)


#: the output folder is named after the gemeente (kit.context.slug); file systems allow 255 bytes
MAX_SLUG = 100


def regel_naam_als_mapnaam(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    """The gemeente's name becomes a folder name; some characters expand (``㎒`` → ``MHz``)."""
    from kit.context import slug

    naam = _haal(choices.data, "gemeente.naam")
    if not isinstance(naam, str) or len(slug(naam)) <= MAX_SLUG:
        return
    yield bevinding(choices, FOUT, "gemeente.naam", bericht("validate.naam_te_lang_voor_map", max=MAX_SLUG))


def regel_aanbieder_bij_aanbesteding(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    """A provider named while the uitvoering is still to be tendered pre-empts the aanbesteding (juridisch.md)."""
    aanbieder = _haal(choices.data, "maatschappelijke_begeleiding.aanbieder")
    vorm = _haal(choices.data, "organisatie.uitvoering.maatschappelijke_begeleiding")
    if vorm == "overheidsopdracht" and _tekst_gevuld(aanbieder):
        tekst = bericht("validate.aanbieder_bij_aanbesteding", aanbieder=_kort(aanbieder))
        yield bevinding(choices, WAARSCHUWING, "maatschappelijke_begeleiding.aanbieder", tekst)


_UITBESTEDEN = ("overheidsopdracht", "open_house", "subsidie")


def regel_uitvoering_tegenstrijdig(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    """``pvt.uitvoering`` / ``map.uitvoering`` against ``organisatie.uitvoering.pvt`` / ``.map``."""
    for deel in ("pvt", "map"):
        waarde = _haal(choices.data, f"{deel}.uitvoering")
        vorm = _haal(choices.data, f"organisatie.uitvoering.{deel}")
        if waarde == "lokaal" and vorm in _UITBESTEDEN:
            uitleg = bericht("validate.uitvoering_lokaal_uitbesteed")
        elif waarde == "uitbesteed" and vorm == "inbesteden":
            uitleg = bericht("validate.uitvoering_uitbesteed_inbesteed")
        else:
            continue
        tekst = bericht(
            "validate.uitvoering_tegenstrijdig",
            onderdeel=kschema.label(f"{deel}.uitvoering"), sleutel=f"{deel}.uitvoering", waarde=waarde,
            deel=deel, vorm=vorm, uitleg=uitleg,
        )
        yield bevinding(choices, WAARSCHUWING, f"{deel}.uitvoering", tekst)


# --- status gates (DESIGN.md, "Status gates and assumptions") --------------------------------


def _besluitstatus(choices: Any) -> str | None:
    from kit.aannames import BESLUITSTATUS

    status = _haal(choices.data, "versie.status")
    return status if status in BESLUITSTATUS else None


def regel_status_open_punten(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    """``ter_besluitvorming``/``vastgesteld``: no assumption and no empty name or date may remain."""
    status = _besluitstatus(choices)
    if status is None or not hasattr(choices, "aannames"):
        return
    from kit.aannames import AANNAME, open_punten

    status_label = kschema.enum_label("versie.status", status)
    for p in open_punten(choices):
        if p.soort == AANNAME:
            tekst = bericht("validate.status_aanname", status=status_label, label=p.label,
                            waarde=p.waarde or bericht("validate.status_leeg"), reden=p.reden or "-")
        elif p.sleutel.startswith("planning."):
            tekst = bericht("validate.status_datum", status=status_label, label=p.label)
        else:
            tekst = bericht("validate.status_naam", status=status_label, label=p.label)
        yield Finding(FOUT, p.bestand, p.regel, p.sleutel, tekst)


def regel_status_rib_datum(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    """A decided version: the raadsinformatiebrief (dated planning.rib or versie.datum) follows
    the college decision on the startnotitie it reports."""
    if _besluitstatus(choices) is None or _haal(choices.data, "planning.rib"):
        return  # an explicit planning.rib is checked by the planning itself
    from kit import tijdpad

    try:
        besluit = tijdpad.bereken(choices.data).fase(1).besluit
    except (KeyError, TypeError, ValueError, OverflowError):
        return
    versiedatum = _datum(_haal(choices.data, "versie.datum"))
    if besluit is None or besluit.datum is None or versiedatum is None or versiedatum > besluit.datum:
        return
    tekst = bericht("validate.rib_voor_college", datum=tijdpad.datum_tekst(versiedatum),
                    college=tijdpad.datum_tekst(besluit.datum))
    yield bevinding(choices, FOUT, "versie.datum", tekst)


def _sleutel_van_figuur(naam: str) -> str:
    for sleutel in kschema.iter_keys():
        try:
            if kschema.wettelijk(sleutel) == naam:
                return sleutel
        except Exception:
            continue
    return "verordening.inwerkingtreding"


def regel_status_zekerheid_b(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    """Before the raad decides: every statutory figure of confidence B, with the source it really has."""
    if _besluitstatus(choices) is None:
        return
    for naam in sorted(wet):
        figuur = wet[naam]
        if getattr(figuur, "zekerheid", "A") != "B":
            continue
        tekst = bericht("validate.zekerheid_b", omschrijving=figuur.omschrijving, waarde=figuur.waarde_tekst,
                        naam=naam)
        yield bevinding(choices, WAARSCHUWING, _sleutel_van_figuur(naam), tekst, figuur.bron)


def regel_losse_aanname(choices: Any, wet: dict[str, Figuur]) -> Iterable[Finding]:
    """A ``# aanname`` comment on a line of its own marks nothing: say where it belongs."""
    if not hasattr(choices, "losse_aannames"):
        return
    for bestand, regel in choices.losse_aannames():
        volgende = ""
        for sleutel in choices.keypaths():
            m = choices.mark(sleutel)
            if m is not None and m.file == bestand and m.line > regel:
                volgende = sleutel
                break
        yield Finding(WAARSCHUWING, bestand, regel, volgende or "-", bericht("validate.losse_aanname"))


REGELS: list[Regel] = [
    regel_inwerkingtreding,
    regel_pvt_uren,
    regel_map_uren_praktijk,
    regel_ontzorgen_duur,
    regel_pip_termijn,
    regel_boete_pip,
    regel_boete_pip_herhaling,
    regel_boete_pip_licht,
    regel_boete_brede_intake,
    regel_ontzorgen_langer_dan_begeleiding,
    regel_regionale_inkoop_zonder_regio,
    regel_samenwerking_zonder_regio,
    regel_pip_lokale_norm,
    regel_boete_herhaling_lager,
    regel_gesprek_bijstand,
    regel_gemiddelde_duur_begeleiding,
    regel_boete_licht_hoger,
    regel_verlenging_zonder_gronden,
    regel_advisering,
    regel_advies_na_inwerkingtreding,
    regel_begeleiding_gezinsmigranten,
    regel_verrekening_en_samenloop,
    regel_hoor_en_wederhoor,
    regel_tolk_tegenstrijdig,
    regel_intake_gezondheid,
    regel_eindige_getallen,
    regel_volwassenen_niet_meer_dan_statushouders,
    regel_naam_als_mapnaam,
    regel_aanbieder_bij_aanbesteding,
    regel_uitvoering_tegenstrijdig,


    regel_status_open_punten,
    regel_status_rib_datum,
    regel_status_zekerheid_b,
    regel_losse_aanname,
]
REGELS.append(__import__("kit.tijdpad", fromlist=["controleer"]).controleer)  # planning (kit/tijdpad.py)


# --- validate -----------------------------------------------------------------------------


def peildatum(choices: Any, datum: dt.date | str | None = None) -> dt.date | None:
    """The date the law is checked for: ``datum``, else ``verordening.inwerkingtreding``."""
    if datum is not None:
        return _datum(datum)
    return _datum(_haal(choices.data, "verordening.inwerkingtreding"))


def _sorteer(f: Finding) -> tuple:
    return (str(f.bestand or ""), f.regel if f.regel is not None else 0, f.sleutel, f.niveau, f.bericht)


def validate(choices: Any, datum: dt.date | str | None = None, *, regio: bool = False) -> list[Finding]:
    """All findings for ``choices``: schema, then the law rules as of ``datum`` / inwerkingtreding.

    ``regio=True``: ``choices`` is a regio file; the keys of ``REGIO_VRIJ`` are not required.
    """
    bevindingen = _schema_bevindingen(choices, _voor_schema(choices), regio)
    tabel = wettabel()
    dag = peildatum(choices, datum)
    wet = tabel.op(dag) if dag is not None else tabel.nieuwste()
    token = _PEILDATUM.set(dag if datum is not None else None)
    try:
        for regel in list(REGELS):
            bevindingen.extend(regel(choices, wet) or ())
    finally:
        _PEILDATUM.reset(token)
    gezien: set[Finding] = set()
    uniek = []
    for f in bevindingen:
        if f not in gezien:
            gezien.add(f)
            uniek.append(f)
    return sorted(uniek, key=_sorteer)


def _telling(n: int, soort: str) -> str:
    return bericht(f"validate.{soort}_1") if n == 1 else bericht(f"validate.{soort}_n", n=n)


def valideer_bestanden(paths: list[Path | str], datum: dt.date | None = None, formaat: str = "text") -> tuple[str, int]:
    """``kit validate``: load and validate every file; the printable output and the exit code.

    Exit 0: no errors (warnings allowed); 1: errors; 2: a file could not be read.
    """
    from kit.loader import load_choices

    regels: list[str] = []
    alle: list[Finding] = []
    bestanden: list[dict] = []
    code = 0
    for pad in paths:
        try:
            choices = load_choices(Path(pad))
        except KitError as e:
            code = max(code, 2)
            regels.append(str(e))
            regels.append(bericht("validate.onleesbaar", pad=pad))
            bestanden.append({"bestand": str(pad), "leesbaar": False, "melding": str(e), "fouten": 0, "waarschuwingen": 0,
                              "regiobestand": False})
            continue
        regio = is_regiobestand(choices)
        bevindingen = validate(choices, datum, regio=regio)
        fouten = sum(1 for f in bevindingen if f.is_fout)
        waarschuwingen = len(bevindingen) - fouten
        if fouten:
            code = max(code, 1)
        alle.extend(bevindingen)
        regels.extend(f.als_tekst() for f in bevindingen)
        if regio:
            regels.append(bericht("validate.regiobestand", pad=pad, sleutels=", ".join(REGIO_VRIJ)))
        if bevindingen:
            regels.append(
                bericht(
                    "validate.samenvatting",
                    pad=pad,
                    fouten=_telling(fouten, "fouten"),
                    waarschuwingen=_telling(waarschuwingen, "waarschuwingen"),
                )
            )
        else:
            regels.append(bericht("validate.samenvatting_schoon", pad=pad))
        bestanden.append(
            {"bestand": str(pad), "leesbaar": True, "melding": None, "fouten": fouten, "waarschuwingen": waarschuwingen,
             "regiobestand": regio}
        )
    if formaat == "json":
        uitvoer = {
            "bevindingen": [f.als_dict() for f in alle],
            "samenvatting": {
                "bestanden": bestanden,
                "fouten": sum(b["fouten"] for b in bestanden),
                "waarschuwingen": sum(b["waarschuwingen"] for b in bestanden),
                "onleesbaar": sum(1 for b in bestanden if not b["leesbaar"]),
                "exit_code": code,
            },
        }
        return toon_json(json.dumps(uitvoer, ensure_ascii=False, indent=2)), code
    return "\n".join(regels), code
