"""The kit's own templates render in a trusted environment (issue 13, per-document speed).

What must hold: without a gemeente's own texts the kit renders in ``_Vertrouwd`` (no sandbox, no
budgets), with them everything renders in the sandbox ``_Omgeving``; both give exactly the same
bytes; a gemeente's own template is still refused what the sandbox refuses; and a choice's text
with a long number renders in both (the format-width check is for format strings only).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from docx_tekst import VOORBEELDEN, kit, tekst
from kit import templating
from kit.loader import load_choices
from kit.render import DOCUMENTEN, Renderer
from kit.templating import Sjablonen, _Omgeving, _Vertrouwd, maak_omgeving

ROOT = Path(__file__).resolve().parent.parent
VOORBEELD = VOORBEELDEN["heuvelrode"]


def test_zonder_eigen_teksten_vertrouwd_met_eigen_teksten_sandbox(tmp_path):
    assert type(Sjablonen().env) is _Vertrouwd
    eigen = tmp_path / "teksten"
    eigen.mkdir()
    assert type(Sjablonen(eigen).env) is _Omgeving
    # another template folder than the kit's own is never trusted
    assert type(Sjablonen(basis=eigen).env) is _Omgeving


def _documenten(pad: Path, sandbox: bool, monkeypatch) -> dict[str, bytes]:
    def sjablonen(self, extra):
        sj = Sjablonen(extra)
        if sandbox:
            sj.env = maak_omgeving([templating.SJABLONEN], vertrouwd=False)
        return sj

    monkeypatch.setattr(Renderer, "sjablonen", sjablonen)
    uit, _, _ = Renderer().documenten(load_choices(pad), list(DOCUMENTEN))
    return uit


@pytest.mark.parametrize("gemeente", sorted(VOORBEELDEN))
def test_zelfde_bytes_in_beide_omgevingen(gemeente, monkeypatch):
    vertrouwd = _documenten(VOORBEELDEN[gemeente], False, monkeypatch)
    sandbox = _documenten(VOORBEELDEN[gemeente], True, monkeypatch)
    assert vertrouwd.keys() == sandbox.keys() == set(DOCUMENTEN)
    for naam in DOCUMENTEN:
        assert vertrouwd[naam] == sandbox[naam], naam


def _met_kwaliteitseis(tmp_path: Path, eis: str, teksten: bool) -> Path:
    data = yaml.safe_load(VOORBEELD.read_text(encoding="utf-8"))
    data["leerroutes"]["extra_kwaliteitseisen"].insert(0, eis)
    if teksten:  # a gemeente's own text for one article: the whole render runs in the sandbox
        eigen = tmp_path / "teksten.yaml"
        eigen.write_text(yaml.safe_dump({"verordening/aanhef.md.j2": "@sectie aanhef | Aanhef\nDe raad besluit.\n"}),
                         encoding="utf-8")
        data["gemeente"]["teksten"] = "teksten.yaml"
    pad = tmp_path / "keuzes.yaml"
    pad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return pad


@pytest.mark.parametrize("teksten", [False, True], ids=["eigen-sjablonen", "eigen-teksten"])
def test_lang_getal_in_een_eigen_tekst_wordt_gerenderd(tmp_path, teksten):
    """A quality requirement with a case number: the sandbox refused it as a format width
    ('hier ontstaat een tekst … van meer dan 1.000.000 tekens') because the template calls
    ``.rstrip('.;')`` on it."""
    eis = "Registratie in het zaaksysteem onder nummer 2024123456."
    pad = _met_kwaliteitseis(tmp_path, eis, teksten)
    r = kit("render", str(pad), "-o", str(tmp_path / "uit"), "--no-pdf", "--only", "beleidskader")
    assert r.returncode == 0, r.stderr
    assert "registratie in het zaaksysteem onder nummer 2024123456;" in tekst(tmp_path / "uit" / "heuvelrode" / "beleidskader.docx")


def test_eigen_sjabloon_blijft_begrensd(tmp_path):
    """A format width in a gemeente's own template is still refused (in Dutch, exit 2)."""
    pad = _met_kwaliteitseis(tmp_path, "Een eis.", True)
    (tmp_path / "teksten.yaml").write_text(
        yaml.safe_dump({"verordening/aanhef.md.j2": "@sectie aanhef | Aanhef\n{{ '{:999999999}'.format(1) }}\n"}),
        encoding="utf-8")
    r = kit("render", str(pad), "-o", str(tmp_path / "uit"), "--no-pdf", "--only", "verordening")
    assert r.returncode == 2, r.stderr
    assert "regel 2" in r.stderr and "1.000.000 tekens" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_de_twee_omgevingen_laden_elkaars_code_niet(tmp_path, monkeypatch):
    """Jinja keys its bytecode by template name and source only. Without precompiled entries
    the trusted environment loaded the sandbox's code (with its budget hooks) from the user
    cache and failed ("deze waarde bestaat niet"); each class now has its own entries."""
    from kit import voorvertaald
    from kit.context import build_context, meta_voor

    monkeypatch.setattr(voorvertaald, "MAP", tmp_path / "geen-voorvertaling")
    monkeypatch.setenv("KIT_CACHE_DIR", str(tmp_path / "cache"))
    eigen = tmp_path / "teksten"
    eigen.mkdir()
    r = Renderer()
    choices = load_choices(VOORBEELD)
    ctx = build_context(choices, r.wet(choices))
    context = dict(ctx, meta=meta_voor(ctx, "verordening"))
    teksten = []
    for extra in (eigen, None, eigen, None):  # each a new environment over the same disk cache
        sj = Sjablonen(extra)
        teksten.append(sj.render("verordening", context))
    assert len(set(teksten)) == 1
    soorten = {p.name.split("-", 1)[0] for p in (tmp_path / "cache").rglob("*.jbc")}
    assert soorten == {"_Omgeving", "_Vertrouwd"}


def test_eigen_huisstijl_in_de_sandbox_die_van_de_kit_vertrouwd(tmp_path, monkeypatch):
    """The kit's own huisstijl renders in a plain environment; the same file elsewhere (a
    gemeente's own huisstijl) in the sandbox, with the same bytes."""
    import shutil

    from kit.docx_writer import Huisstijl
    from kit.render import STANDAARD_HUISSTIJL
    from kit.templating import _VeiligeStijl, _VertrouwdeStijl

    kopie = tmp_path / "huisstijl.docx"
    shutil.copyfile(STANDAARD_HUISSTIJL, kopie)
    assert type(Huisstijl(STANDAARD_HUISSTIJL).env) is _VertrouwdeStijl
    assert type(Huisstijl(kopie).env) is _VeiligeStijl

    data = yaml.safe_load(VOORBEELD.read_text(encoding="utf-8"))
    bestanden = {}
    for naam, stijl in (("kit", STANDAARD_HUISSTIJL), ("eigen", kopie)):
        data["gemeente"]["huisstijl"] = str(stijl)  # in both files: the same line numbers
        (tmp_path / naam).mkdir()
        pad = tmp_path / naam / "keuzes.yaml"  # the same name: the documents name their source file
        pad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        uit, _, _ = Renderer().documenten(load_choices(pad), ["verordening"])
        bestanden[naam] = uit["verordening"]
    assert bestanden["kit"] == bestanden["eigen"]
