"""Generate docs/keuzebestand.md: a reference of every key of the choice file, from the schema.

    python tools/keuzebestand_doc.py            # write docs/keuzebestand.md
    python tools/keuzebestand_doc.py --check    # exit 1 if the committed file is out of date

Everything in the document comes from the schema (``title``, ``description``, ``x-labels``,
``default``, ``x-wettelijk``, ``x-instrument``), from the law table (the newest statutory value and its source) and from the fixed lines in ``kit/data/berichten/init.yaml``
(keys ``doc_*``). The output is deterministic.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kit.berichten import _catalogus, bericht, heeft_bericht  # noqa: E402
from kit.init import INWERKINGTREDING, _eerste_wetsdatum, _keuzes, _typen, _wet, wettelijke_namen  # noqa: E402
from kit.schema import deelschema, iter_keys, schema  # noqa: E402

DOEL = ROOT / "docs" / "keuzebestand.md"


def _cel(tekst: str) -> str:
    return " ".join(str(tekst).split()).replace("|", "\\|")


def _waarde(w) -> str:
    if w is None:
        return "`null`"
    if isinstance(w, bool):
        return "`true`" if w else "`false`"
    if isinstance(w, str):
        return f"`{w}`" if w else '`""`'
    return "`" + json.dumps(w, ensure_ascii=False) + "`"


def _catalogus_tekst(sleutel: str) -> str:
    """The raw catalogue text (with its ``{naam}`` placeholders), for showing a template."""
    return _catalogus()[sleutel]


def _verplichte_paden(prefix: str = "") -> set[str]:
    """Key paths that are required all the way down (these ``kit init`` must fill in)."""
    node = deelschema(prefix) or {}
    paden = set()
    for naam in node.get("required") or []:
        pad = f"{prefix}.{naam}" if prefix else naam
        paden.add(pad)
        paden |= _verplichte_paden(pad)
    return paden


def _type(node: dict) -> str:
    typen = [t for t in _typen(node)]
    if "array" in typen and isinstance(node.get("items"), dict):
        binnen = "/".join(_typen(node["items"])) or "?"
        typen = [f"array<{binnen}>" if t == "array" else t for t in typen]
    if node.get("format") == "date":
        typen = [f"{t} (date)" if t == "string" else t for t in typen]
    return ", ".join(typen)


def _instrument(node: dict) -> str:
    """Where the key lands (``x-instrument``): verordening, beleidsregels, uitvoering."""
    return ", ".join(bericht(f"init.doc_instrument_{i}") for i in node.get("x-instrument") or [])


def genereer() -> str:
    wet = _wet(None)   # the newest values: what `kit init` writes for a date in the future
    root = schema()
    regels = [
        bericht("init.doc_titel"),
        "",
        bericht("init.doc_inleiding"),
        "",
        bericht("init.doc_instrumenten"),
        "",
    ]
    vorige_sectie = None
    for pad in iter_keys():
        sectie = pad.split(".")[0]
        if sectie != vorige_sectie:
            if vorige_sectie is not None:
                regels.append("")
            sectie_node = deelschema(sectie) or {}
            regels += [f"## `{sectie}` — {sectie_node.get('title', sectie)}", ""]
            if sectie_node.get("description"):
                regels += [_cel(sectie_node["description"]), ""]
            if sectie in (root.get("required") or []):
                regels += [bericht("init.doc_verplicht_sectie"), ""]
            regels += [
                "| " + " | ".join([
                    bericht("init.doc_kolom_sleutel"),
                    bericht("init.doc_kolom_betekenis"),
                    bericht("init.doc_kolom_instrument"),
                    bericht("init.doc_kolom_type"),
                    bericht("init.doc_kolom_standaard"),
                    bericht("init.doc_kolom_grens"),
                ]) + " |",
                "|---|---|---|---|---|---|",
            ]
            vorige_sectie = sectie
        node = deelschema(pad) or {}
        betekenis = node.get("title", "")
        if node.get("description"):
            betekenis = f"**{betekenis}** — {node['description']}" if betekenis else node["description"]
        keuzes = _keuzes(node)
        if keuzes:
            betekenis += " " + bericht("init.commentaar_keuzes", keuzes=keuzes)
        grens = []
        for naam in wettelijke_namen(node):
            figuur = wet.get(naam)
            if figuur is not None:
                sleutel = f"init.wettelijk_{figuur.soort}"
                grens.append(bericht(sleutel, waarde=figuur.waarde_tekst, bron=figuur.bron_kort) + f" (`{naam}`)")
        for grenssleutel in ("minimum", "maximum"):
            if grenssleutel in node and not isinstance(node[grenssleutel], bool):
                grens.append(bericht(f"init.doc_schema_{grenssleutel}", waarde=node[grenssleutel]))
        if heeft_bericht(f"init.invullen.{pad}"):
            standaard = "`" + _catalogus_tekst(f"init.invullen.{pad}") + "`"
        elif "default" in node:
            standaard = _waarde(node["default"])
        elif wettelijke_namen(node) and wettelijke_namen(node)[0] in wet:
            standaard = _waarde(wet[wettelijke_namen(node)[0]].waarde) + " " + bericht("init.doc_standaard_wet")
        elif node.get("format") == "date" and pad == INWERKINGTREDING:
            standaard = bericht("init.doc_standaard_wetsdatum", eerste=_eerste_wetsdatum())
        elif node.get("format") == "date" and pad in _verplichte_paden():
            standaard = bericht("init.doc_standaard_vandaag")
        else:
            standaard = bericht("init.doc_geen_standaard")
        regels.append("| " + " | ".join([
            f"`{pad}`", _cel(betekenis), _cel(_instrument(node)), _cel(_type(node)), _cel(standaard), _cel("; ".join(grens)),
        ]) + " |")
    regels.append("")
    return "\n".join(regels)


def main(argv: list[str]) -> int:
    tekst = genereer()
    if "--check" in argv:
        huidig = DOEL.read_text(encoding="utf-8") if DOEL.exists() else ""
        if huidig != tekst:
            print(bericht("init.doc_verouderd", pad=DOEL.relative_to(ROOT)), file=sys.stderr)
            return 1
        return 0
    DOEL.parent.mkdir(parents=True, exist_ok=True)
    DOEL.write_text(tekst, encoding="utf-8")
    print(bericht("init.doc_geschreven", pad=DOEL.relative_to(ROOT)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
