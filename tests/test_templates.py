"""Template checks (docxtpl practice: compile every template in CI, list undeclared variables).

* every template under templates/ compiles in the kit's sandboxed environment;
* no template uses a variable outside the context contract (ARCHITECTURE.md, "Context"),
  apart from names some template assigns itself (``set``, ``for``, ``import``, ``macro``);
* every choice key the schema assigns to a document (``x-documenten``) is used by that
  document's templates (its own folder or the shared text blocks);
* the five document templates exist, so ``kit render`` never skips a document.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import jinja2.meta
import pytest
from jinja2 import nodes

from kit.context import AFGELEIDE_SLEUTELS, KEUZE_SLEUTELS
from kit.templating import DOCUMENTEN, SJABLONEN, maak_omgeving

ENV = maak_omgeving([SJABLONEN])
BESTANDEN = sorted(p for p in SJABLONEN.rglob("*.j2"))
#: computed from, not printed as such: financien.* (prognose, begroting), planning.* (tijdpad);
#: the huisstijl and meta use versie.*, gemeente.huisstijl/teksten are paths, extends is the loader's
VIA_BEREKENING = ("financien.", "planning.", "versie.", "gemeente.huisstijl", "gemeente.teksten", "extends")


def _ast(pad: Path) -> nodes.Template:
    return ENV.parse(pad.read_text(encoding="utf-8"), name=pad.relative_to(SJABLONEN).as_posix())


def _toegewezen() -> set[str]:
    namen: set[str] = set()
    for pad in BESTANDEN:
        ast = _ast(pad)
        namen |= {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
        namen |= {n.target for n in ast.find_all(nodes.Import)}
        for imp in ast.find_all(nodes.FromImport):
            namen |= {(x[1] if isinstance(x, tuple) else x) for x in imp.names}
        namen |= {m.name for m in ast.find_all(nodes.Macro)}
    return namen


TOEGESTAAN = set(KEUZE_SLEUTELS) | set(AFGELEIDE_SLEUTELS) | set(ENV.globals) | _toegewezen()


def test_alle_vijf_documenten_hebben_een_sjabloon():
    for document, sjabloon in DOCUMENTEN.items():
        assert (SJABLONEN / sjabloon).is_file(), f"{document}: {sjabloon} ontbreekt"


@pytest.mark.parametrize("pad", BESTANDEN, ids=lambda p: p.relative_to(SJABLONEN).as_posix())
def test_sjabloon_compileert(pad):
    ENV.get_template(pad.relative_to(SJABLONEN).as_posix())


@pytest.mark.parametrize("pad", BESTANDEN, ids=lambda p: p.relative_to(SJABLONEN).as_posix())
def test_geen_onbekende_variabelen(pad):
    toegestaan = TOEGESTAAN
    if pad.relative_to(SJABLONEN).parts[0] == "diff":  # kit diff's pack has its own context
        from kit.diff import PAKKET_SLEUTELS

        toegestaan = TOEGESTAAN | set(PAKKET_SLEUTELS)
    if pad.name == "open-punten.md.j2":  # the annex gets the points of the document (kit/render.py)
        toegestaan = TOEGESTAAN | {"punten"}
    onbekend = jinja2.meta.find_undeclared_variables(_ast(pad)) - toegestaan
    assert not onbekend, f"{pad.name} gebruikt variabelen buiten de context: {sorted(onbekend)}"


def _tekst_van(document: str) -> str:
    map_ = (SJABLONEN / DOCUMENTEN[document]).parent
    delen = [p.read_text(encoding="utf-8") for p in sorted(map_.rglob("*.j2"))]
    delen += [p.read_text(encoding="utf-8") for p in sorted((SJABLONEN / "_gedeeld").rglob("*.j2"))]
    return "\n".join(delen)


def _gebruikt(sleutel: str, tekst: str) -> bool:
    """``pvt.uren`` is used as ``pvt.uren``, ``pvt['uren']`` or, inside a loop/with over its
    parent, as ``.uren`` / ``'uren'``."""
    pad = re.sub(r"\[\d+\]", "", sleutel)
    laatste = pad.split(".")[-1]
    return pad in tekst or re.search(rf"[.'\"]{re.escape(laatste)}\b", tekst) is not None


def _sleutels_met_documenten() -> list[tuple[str, list[str]]]:
    """Every leaf key with the documents of its nearest ``x-documenten`` (section level)."""
    schema = pytest.importorskip("kit.schema")
    uit = []
    for sleutel in schema.iter_keys():
        if sleutel.startswith(VIA_BEREKENING):
            continue
        deel, documenten = sleutel, None
        while deel and documenten is None:
            documenten = (schema.deelschema(deel) or {}).get("x-documenten")
            deel = deel.rpartition(".")[0]
        if documenten:
            uit.append((sleutel, [d for d in documenten if d in DOCUMENTEN]))
    return uit


def test_schema_sleutels_worden_gebruikt_door_hun_documenten():
    """Each key of a section is used by at least one of the documents the section names."""
    teksten = {d: _tekst_van(d) for d in DOCUMENTEN}
    ongebruikt = [
        f"{sleutel} ({', '.join(documenten)})"
        for sleutel, documenten in _sleutels_met_documenten()
        if not any(_gebruikt(sleutel, teksten[d]) for d in documenten)
    ]
    assert not ongebruikt, f"keuzes die geen van hun documenten gebruikt: {ongebruikt}"
