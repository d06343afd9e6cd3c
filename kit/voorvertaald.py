"""The kit's own templates, compiled ahead of time (issue 13: the first render on a machine).

Compiling the ~70 templates (Jinja's parser and code generator) took about 0.35 s of a first
``kit render``. Like Python's own ``.pyc`` files, that work is done once per installation instead:
``python -m kit.voorvertaald`` (run by ``make install`` and before a wheel is built) writes
Jinja's generated Python source of every kit template to ``kit/voorvertaald/t_<sleutel>.py``.
pip byte-compiles those files on install like any other module, so a first render only loads
code objects.

An entry is used only when it is exactly what compiling now would give: its file name is a hash
over the code version (Jinja's version and the kit modules that configure the environment, see
:func:`kit.cache._codeversie`), the environment class, the template name and the template's
source. A changed template, a new Jinja or an edited ``templating.py`` finds no entry and compiles
from source as before (and uses the signed user cache, :mod:`kit.cache`). Only the kit's own
template folder is served from here; a gemeente's own texts are always compiled from source.
The folder is part of the installed package, so it is as trusted as the kit's own ``.py`` files.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import sys
import types
from pathlib import Path

import jinja2

MAP = Path(__file__).resolve().parent / "voorvertaald"


def sleutel(omgeving: jinja2.Environment, naam: str, bron: str) -> str:
    from kit.cache import _codeversie

    h = hashlib.sha256()
    for deel in (_codeversie(), type(omgeving).__qualname__, naam, bron):
        h.update(deel.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()[:40]


def _pad(omgeving: jinja2.Environment, naam: str, bron: str) -> Path:
    """Where the entry of template ``naam`` with source ``bron`` is (whether or not it exists)."""
    return MAP / f"t_{sleutel(omgeving, naam, bron)}.py"


def code(omgeving: jinja2.Environment, naam: str, bron: str, bestand: str) -> types.CodeType | None:
    """The compiled code of template ``naam`` (source ``bron`` read from ``bestand``), or None
    when there is no up-to-date entry. The code's file name is the template's, as if compiled
    from source, so messages name the template and its line."""
    pad = _pad(omgeving, naam, bron)
    try:
        if not pad.is_file():
            return None
        gecompileerd = importlib.machinery.SourceFileLoader(pad.stem, str(pad)).get_code(pad.stem)
    except (OSError, ImportError, SyntaxError, ValueError, EOFError):
        return None
    return _met_bestand(gecompileerd, bestand) if gecompileerd is not None else None


def _met_bestand(gecompileerd: types.CodeType, bestand: str) -> types.CodeType:
    consts = tuple(_met_bestand(c, bestand) if isinstance(c, types.CodeType) else c for c in gecompileerd.co_consts)
    return gecompileerd.replace(co_filename=bestand, co_consts=consts)


def _kit_sjablonen() -> list[tuple[jinja2.Environment, str, str, str, Path]]:
    """Per environment of the kit's own templates (the trusted one, and the sandbox a gemeente's
    own texts render in) and per template: environment, name, source, file, entry."""
    from kit.paden import SJABLONEN
    from kit.templating import maak_omgeving

    uit = []
    for vertrouwd in (True, False):
        omgeving = maak_omgeving([SJABLONEN], vertrouwd=vertrouwd, bytecode_cache=None)
        for naam in sorted(n for n in omgeving.loader.list_templates() if n.endswith(".j2")):
            bron, bestand, _ = omgeving.loader.get_source(omgeving, naam)
            uit.append((omgeving, naam, bron, bestand, _pad(omgeving, naam, bron)))
    return uit


def ontbrekend() -> list[str]:
    """The kit templates without an up-to-date entry (empty after ``python -m kit.voorvertaald``)."""
    return [f"{naam} ({type(omgeving).__name__})" for omgeving, naam, _, _, doel in _kit_sjablonen() if not doel.is_file()]


def schrijf_alle() -> int:
    """(Re)write every entry; remove entries no template needs any more. Returns the count."""
    from kit.manifest import schrijf_atomisch

    sjablonen = _kit_sjablonen()
    MAP.mkdir(exist_ok=True)
    for omgeving, naam, bron, bestand, doel in sjablonen:
        if doel.is_file():
            continue
        try:
            python = omgeving.compile(bron, naam, bestand, raw=True)
        except jinja2.TemplateSyntaxError:  # a broken template: rendering it gives the Dutch message
            continue
        schrijf_atomisch(doel, python.encode("utf-8"))
    nodig = {doel.name for *_, doel in sjablonen}
    for oud in [*MAP.glob("t_*.py"), *MAP.glob(".t_*")]:  # stale entries, leftovers of a killed run
        if oud.name not in nodig:
            oud.unlink()
    import compileall

    compileall.compile_dir(str(MAP), quiet=2, force=False)
    return len(sjablonen)


if __name__ == "__main__":  # pragma: no cover - exercised by make install and tests/test_voorvertaald.py
    schrijf_alle()
    sys.exit(1 if ontbrekend() else 0)
