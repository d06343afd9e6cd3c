"""Choices + law table + computations → the dict every template sees (ARCHITECTURE.md, "Context").

``build_context(choices, wet)`` returns the choices with the schema's defaults filled in (as
top-level keys ``gemeente``, ``versie``, …), ``wet`` (name → Figuur in force at
``verordening.inwerkingtreding``), ``meta`` and the finance/planning keys. ``meta_voor(ctx,
document)`` adds the per-document fields (``document``, ``document_titel``).
"""

from __future__ import annotations

import copy
import datetime as _dt
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kit import __version__

#: the top-level keys every template may use (the choices, defaults filled in)
KEUZE_SLEUTELS = (
    "gemeente", "versie", "verordening", "advies", "organisatie", "visie", "brede_intake", "pip",
    "leerroutes", "map", "pvt", "maatschappelijke_begeleiding", "financieel_ontzorgen", "voortgang",
    "tolk", "kwaliteit", "handhaving", "participatie", "financien", "planning",
)
#: what build_context adds
AFGELEIDE_SLEUTELS = ("wet", "meta", "prognose", "prognose_regio", "begroting", "tijdpad", "grafieken", "open_punten", "formatie")


def slug(naam: str) -> str:
    """``'s-Hertogenbosch`` → ``s-hertogenbosch``; ``Súdwest-Fryslân`` → ``sudwest-fryslan``."""
    return kale_slug(naam) or "gemeente"


def kale_slug(naam: str) -> str:
    """The slug of ``naam``; empty when the name has no letter or digit."""
    # a character the documents do not show (a control or format character; xml_schoon drops it)
    # does not split the name: "Heuvel\x01rode" is shown as Heuvelrode and gets heuvelrode
    tekst = "".join(t for t in str(naam) if t.isspace() or unicodedata.category(t) not in ("Cc", "Cf"))
    tekst = unicodedata.normalize("NFKD", tekst).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", tekst.lower()).strip("-")


def _schema_deel(keypath: str) -> dict | None:
    try:
        from kit.schema import deelschema
    except ImportError:
        return None
    return deelschema(keypath)


def _vul_standaarden(waarde: Any, keypath: str, wet: Mapping[str, Any]) -> Any:
    """Fill in the schema's defaults (``default``, or the ``x-wettelijk`` figure's value)."""
    sub = _schema_deel(keypath) if keypath else _schema_deel("")
    if not isinstance(sub, dict) or not isinstance(waarde, dict):
        return waarde
    props = sub.get("properties") or {}
    for naam in props:
        pad = f"{keypath}.{naam}" if keypath else naam
        if naam not in waarde:
            deel = _schema_deel(pad) or {}
            if "default" in deel:
                waarde[naam] = copy.deepcopy(deel["default"])
            elif deel.get("x-wettelijk") and deel["x-wettelijk"] in wet:
                waarde[naam] = wet[deel["x-wettelijk"]].waarde
            elif deel.get("type") == "object" or "properties" in deel:
                waarde[naam] = {}
            else:
                continue
        if isinstance(waarde[naam], dict):
            _vul_standaarden(waarde[naam], pad, wet)
    return waarde


def _versie_nummer(choices: Any, data: Mapping[str, Any]) -> str:
    nummer = (data.get("versie") or {}).get("nummer", "")
    if isinstance(nummer, str):
        return nummer
    raw = choices.raw("versie.nummer") if hasattr(choices, "raw") else None
    return raw if raw else str(nummer)


def _status_label(status: str) -> str:
    try:
        from kit.schema import enum_label

        label = enum_label("versie.status", status)
        if label and label != status:
            return label
    except (ImportError, KeyError):
        pass
    from kit.templating import taal

    return taal()["status"].get(status, status)


def maak_meta(choices: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    gemeente = data.get("gemeente") or {}
    versie = data.get("versie") or {}
    advies = data.get("advies") or {}
    status = str(versie.get("status", "concept"))
    return {
        "gemeente": gemeente.get("naam", ""),
        "slug": slug(gemeente.get("naam", "")),
        "document": "",
        "document_titel": "",
        "versie": _versie_nummer(choices, data),
        "status": status,
        "status_label": _status_label(status),
        "datum": str(versie.get("datum", "")),
        "kit_versie": __version__,
        "ter_advisering": status == "ter_advisering",
        "advies_termijn": str(advies.get("termijn") or ""),
        "advies_wijze": advies.get("wijze") or "",
        "adviesraad": advies.get("adviesraad") or "",
        "auteur": versie.get("auteur") or "",
    }


def meta_voor(ctx: Mapping[str, Any], document: str) -> dict[str, Any]:
    """``ctx["meta"]`` for one document (``document``, ``document_titel``)."""
    from kit.templating import taal

    meta = dict(ctx["meta"])
    meta["document"] = document
    meta["document_titel"] = taal()["documenten"].get(document, document)
    return meta


_ONVERANDERLIJK = (str, int, float, bool, type(None), _dt.date)


def _kopie(waarde: Any) -> Any:
    """A deep copy of loaded YAML data (mappings, lists and unchangeable scalars), several
    times faster than ``copy.deepcopy``; anything else goes through ``copy.deepcopy``."""
    if type(waarde) is dict:
        return {k: _kopie(v) for k, v in waarde.items()}
    if type(waarde) is list:
        return [_kopie(v) for v in waarde]
    if isinstance(waarde, _ONVERANDERLIJK):
        return waarde
    return copy.deepcopy(waarde)


def build_context(choices: Any, wet: Mapping[str, Any]) -> dict[str, Any]:
    """The template context for one choice file (ARCHITECTURE.md, "Context")."""
    data = _kopie(choices.data)
    _vul_standaarden(data, "", wet)
    ctx: dict[str, Any] = {sleutel: data.get(sleutel, {}) for sleutel in KEUZE_SLEUTELS}
    for sleutel, waarde in data.items():  # keys beyond the contract stay available
        ctx.setdefault(sleutel, waarde)
    ctx["wet"] = dict(wet)
    ctx["meta"] = maak_meta(choices, data)
    ruw = choices.data.get("financien") if isinstance(choices.data, dict) else None
    _financien_en_planning(ctx, data, wet, ruw if isinstance(ruw, dict) else None)
    from kit.prognose import regio_van  # the regio per member gemeente (sibling files), or None

    ctx["prognose_regio"] = regio_van(choices)
    _open_punten(ctx, choices)
    return ctx


def _open_punten(ctx: dict[str, Any], choices: Any) -> None:
    """Assumptions and placeholders: listed (``open_punten``) and marked in the values (kit/aannames.py)."""
    from kit.aannames import markeer, open_punten

    punten = open_punten(choices) if hasattr(choices, "aannames") else []
    ctx["open_punten"] = punten
    ctx["meta"]["bronbestand"] = Path(getattr(choices, "path", "") or "").name
    # the title block (huisstijl) prints versie.datum and versie.auteur: an assumed one carries
    # its marker there too ("Opgesteld door: … [aanname 5]")
    for p in punten:
        if p.sleutel in ("versie.datum", "versie.auteur") and p.soort == "aanname" and not p.leeg:
            ctx["meta"][p.sleutel.replace("versie.", "") + "_punt"] = p.markering
    markeer(ctx, punten)


# ==========================================================================================
# FINANCIËN EN PLANNING — owned by the finance/planning engineer (kit/prognose.py,
# begroting.py, tijdpad.py, grafieken.py). Adjust the calls here; keep the keys.
# ==========================================================================================

def _financien_en_planning(ctx: dict[str, Any], data: Mapping[str, Any], wet: Mapping[str, Any],
                           ruw: Mapping[str, Any] | None = None) -> None:
    from kit.prognose import bereken as prognose_bereken

    prognose = prognose_bereken(data.get("financien"), ctx["meta"]["gemeente"],
                                opgegeven=(ruw.get("prognose") if ruw and isinstance(ruw.get("prognose"), dict) else {}) if ruw is not None else None)
    ctx["prognose"] = prognose
    try:
        from kit.begroting import bereken as begroting_bereken
    except ImportError:  # pragma: no cover - while the module is being written
        ctx["begroting"] = None
    else:
        ctx["begroting"] = begroting_bereken(data.get("financien"), prognose, wet)
        from kit.begroting import formatie

        regie = ((data.get("organisatie") or {}).get("regie") or {})
        ctx["formatie"] = formatie(prognose, regie.get("caseload"))
    try:
        from kit.tijdpad import bereken as tijdpad_bereken
    except ImportError:  # pragma: no cover
        ctx["tijdpad"] = None
    else:
        ctx["tijdpad"] = tijdpad_bereken(data)
    from kit.grafieken import Grafieken

    # the charts are data (a few microseconds each), made when a document shows one
    ctx["grafieken"] = Grafieken(prognose, ctx["begroting"], ctx["tijdpad"])
