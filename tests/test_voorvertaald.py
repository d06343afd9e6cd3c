"""Issue 13, first render: the kit's own templates compiled ahead of time (kit/voorvertaald.py).

What must hold: with the entries present, a render compiles none of the kit's templates and gives
the same bytes as a render that compiles them all; an entry is used only for exactly the source
(and code version) it was made from; messages still name the template and its line.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from kit import voorvertaald
from kit.loader import load_choices
from kit.paden import SJABLONEN
from kit.render import DOCUMENTEN, Renderer
from kit.templating import Sjablonen
from kit.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
VOORBEELD = ROOT / "choices" / "voorbeeld.yaml"


@pytest.fixture
def eigen_map(tmp_path, monkeypatch):
    """Entries in a folder of this test only (the package's own folder is left alone)."""
    map_ = tmp_path / "voorvertaald"
    monkeypatch.setattr(voorvertaald, "MAP", map_)
    monkeypatch.setenv("KIT_CACHE_DIR", "0")  # no user cache: every miss really compiles
    return map_


@pytest.fixture
def compilaties(monkeypatch):
    """The kit templates compiled from source in this test (by name)."""
    namen: list[str] = []
    echt = jinja2.Environment.compile

    def tel(self, source, name=None, filename=None, raw=False, defer_init=False):
        if filename and Path(filename).resolve().is_relative_to(SJABLONEN.resolve()):
            namen.append(name)
        return echt(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", tel)
    return namen


def _documenten(monkeypatch) -> dict[str, bytes]:
    monkeypatch.setattr(Renderer, "sjablonen", lambda self, extra: Sjablonen(extra))  # a new environment
    r = Renderer()
    choices = load_choices(VOORBEELD)
    uit, _, _ = r.documenten(choices, list(DOCUMENTEN))
    return uit


def test_met_voorvertaling_niets_gecompileerd_en_dezelfde_bytes(eigen_map, compilaties, monkeypatch):
    zonder = _documenten(monkeypatch)
    assert len(set(compilaties)) > 40  # without entries every template of the seven documents compiles
    assert voorvertaald.ontbrekend()  # and they are reported as missing

    aantal = voorvertaald.schrijf_alle()
    assert aantal == len(list(eigen_map.glob("t_*.py"))) > 40
    assert voorvertaald.ontbrekend() == []
    compilaties.clear()
    met = _documenten(monkeypatch)
    assert compilaties == []
    assert met.keys() == zonder.keys() == set(DOCUMENTEN)
    for naam in DOCUMENTEN:
        assert met[naam] == zonder[naam], naam


def test_alleen_voor_precies_deze_bron(eigen_map):
    voorvertaald.schrijf_alle()
    sj = Sjablonen()
    bron, bestand, _ = sj.env.loader.get_source(sj.env, "verordening/verordening.md.j2")
    assert voorvertaald.code(sj.env, "verordening/verordening.md.j2", bron, bestand) is not None
    # a changed template, another name, or another code version: no entry
    assert voorvertaald.code(sj.env, "verordening/verordening.md.j2", bron + "\n", bestand) is None
    assert voorvertaald.code(sj.env, "beleidsregels/beleidsregels.md.j2", bron, bestand) is None
    from kit import cache

    echte = cache._codeversie
    try:
        cache._codeversie = lambda: "andere-versie"
        assert voorvertaald.code(sj.env, "verordening/verordening.md.j2", bron, bestand) is None
    finally:
        cache._codeversie = echte


def test_verouderde_en_vreemde_bestanden_worden_opgeruimd(eigen_map):
    voorvertaald.schrijf_alle()
    oud = eigen_map / ("t_" + "0" * 40 + ".py")
    oud.write_text("raise SystemExit('nooit geladen')\n", encoding="utf-8")
    rest = eigen_map / ".t_abc.tmp"  # a killed run's temp file
    rest.write_text("half", encoding="utf-8")
    voorvertaald.schrijf_alle()
    assert not oud.exists() and not rest.exists()
    assert voorvertaald.ontbrekend() == []


def test_code_draagt_de_naam_van_het_sjabloon(eigen_map):
    voorvertaald.schrijf_alle()
    sj = Sjablonen()
    bron, bestand, _ = sj.env.loader.get_source(sj.env, "verordening/verordening.md.j2")
    code = voorvertaald.code(sj.env, "verordening/verordening.md.j2", bron, bestand)

    def alle(c):
        yield c
        for k in c.co_consts:
            if hasattr(k, "co_filename"):
                yield from alle(k)

    bestanden = {c.co_filename for c in alle(code)}
    assert bestanden == {bestand} and bestand.endswith(".j2")


def test_melding_noemt_sjabloon_en_regel_als_zonder_voorvertaling(eigen_map):
    """A runtime error in a precompiled template gives the same Dutch message (template, line)."""
    meldingen = []
    for met in (False, True):
        if met:
            voorvertaald.schrijf_alle()
        with pytest.raises(InputError) as e:
            Sjablonen().render("verordening", {})
        meldingen.append(str(e.value))
    assert meldingen[0] == meldingen[1]
    assert "verordening" in meldingen[1] and "regel" in meldingen[1]
