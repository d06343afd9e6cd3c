"""`kit init`: a complete, valid, commented choice file; never overwrites; --regio; the key reference."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
REGIO = ROOT / "choices" / "hbel" / "regio.yaml"


def kit(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kit", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, timeout=120,
        env={**__import__("os").environ, "KIT_DEBUG": "1"},  # an internal error fails loudly, not as exit 2
    )


def secties() -> list[str]:
    from kit.schema import schema

    return [n for n in schema()["properties"] if n != "extends"]


@pytest.fixture
def nieuw(tmp_path: Path) -> Path:
    r = kit("init", "Súdwest-Fryslân", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    pad = tmp_path / "choices" / "sudwest-fryslan.yaml"   # default: choices/<slug>.yaml
    assert pad.is_file()
    assert str(Path("choices") / "sudwest-fryslan.yaml") in r.stdout
    return pad


def test_slug():
    from kit.init import slug

    assert slug("Súdwest-Fryslân") == "sudwest-fryslan"
    assert slug("  's-Hertogenbosch ") == "s-hertogenbosch"
    assert slug("Bergen (NH)") == "bergen-nh"
    assert slug("Huizen") == "huizen"
    assert slug("Gemeente") == "gemeente"
    assert slug("???") == ""


def test_slug_van_de_uitvoermap_negeert_onzichtbare_tekens():
    """A control or format character in gemeente.naam is not shown in the documents (xml_schoon
    drops it), so it does not split the folder name either."""
    from kit.context import slug

    assert slug("Heuvel\x01rode") == slug("Heuvel\u200brode") == slug("Heuvel\x7frode") == "heuvelrode"
    assert slug("Heuvel rode") == "heuvel-rode"
    assert slug("???") == "gemeente"


def test_init_valideert(nieuw: Path):
    r = kit("validate", nieuw, cwd=nieuw.parent.parent)
    assert r.returncode == 0, r.stdout + r.stderr
    assert ": fout:" not in r.stdout


def test_init_is_yaml_met_alle_secties(nieuw: Path):
    data = yaml.safe_load(nieuw.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    assert list(data) == secties()
    assert "extends" not in data
    assert data["gemeente"]["naam"] == "Súdwest-Fryslân"
    assert data["pvt"]["uitvoering"] in ("lokaal", "regionaal", "uitbesteed")


def test_init_standaardwaarden_en_wettelijke_waarden(nieuw: Path):
    from kit.berichten import heeft_bericht
    from kit.loader import load_choices
    from kit.minima import wettabel
    from kit.schema import deelschema, iter_keys, wettelijk

    c = load_choices(nieuw)
    wet = wettabel().op(c.data["verordening"]["inwerkingtreding"])
    for pad in iter_keys():
        if pad == "extends":
            continue
        node = deelschema(pad)
        waarde = c.data
        for deel in pad.split("."):
            assert deel in waarde, pad          # every key is written
            waarde = waarde[deel]
        figuur = wettelijk(pad)
        if figuur and "default" not in node:
            assert waarde == wet[figuur].waarde, pad
        elif "default" in node and not heeft_bericht(f"init.invullen.{pad}"):
            assert waarde == node["default"], pad


def test_init_commentaar_pvt_minimum_met_bron(nieuw: Path):
    from kit.minima import wettabel

    tekst = nieuw.read_text(encoding="utf-8")
    data = yaml.safe_load(tekst)
    figuur = wettabel().op(str(data["verordening"]["inwerkingtreding"]))["pvt_uren_min"]
    # the comment block directly above `uren:` in the pvt section names the minimum and its source
    pvt = tekst[tekst.index("\npvt:"):]
    blok = pvt[: pvt.index("\n  uren:")].splitlines()
    commentaar = []
    for r in reversed(blok):                     # the comment lines directly above `uren:`
        if not r.startswith("  #"):
            break
        commentaar.insert(0, r.strip().lstrip("#").strip())
    regel = " ".join(commentaar)
    assert figuur.waarde_tekst in regel, regel
    assert figuur.bron_kort in regel, regel
    assert re.search(r"minimum", regel, re.I)


def test_init_commentaar_uit_schema(nieuw: Path):
    from kit.schema import enum_labels, label

    tekst = nieuw.read_text(encoding="utf-8")
    assert f"# {label('pvt.uitvoering')} — " in tekst
    # the comment block above pvt.uitvoering, unwrapped
    pvt = tekst[tekst.index("\npvt:"):]
    blok = " ".join(r.strip().lstrip("#").strip() for r in pvt[: pvt.index("\n  uitvoering:")].splitlines()
                    if r.strip().startswith("#"))
    for waarde, lab in enum_labels("pvt.uitvoering").items():
        assert waarde in blok and lab in blok, (waarde, lab, blok)


def test_init_weigert_te_overschrijven(tmp_path: Path):
    doel = tmp_path / "bestaand.yaml"
    doel.write_text("# mijn werk\n", encoding="utf-8")
    r = kit("init", "Huizen", "-o", doel, cwd=tmp_path)
    assert r.returncode == 1
    assert "bestaand.yaml" in r.stderr
    assert "Traceback" not in r.stderr
    assert doel.read_text(encoding="utf-8") == "# mijn werk\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bestaand.yaml"]   # no temp file left


def test_init_tweede_keer_weigert(tmp_path: Path):
    assert kit("init", "Eemnes", cwd=tmp_path).returncode == 0
    pad = tmp_path / "choices" / "eemnes.yaml"
    voor = pad.read_bytes()
    r = kit("init", "Eemnes", cwd=tmp_path)
    assert r.returncode == 1
    assert pad.read_bytes() == voor


@pytest.mark.parametrize("naam", ["", "   ", "???"])
def test_init_slechte_naam(tmp_path: Path, naam: str):
    r = kit("init", naam, cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip()
    assert "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_init_regio_bestaat_niet(tmp_path: Path):
    r = kit("init", "Huizen", "--regio", tmp_path / "geen.yaml", cwd=tmp_path)
    assert r.returncode == 2
    assert "geen.yaml" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "choices").exists()


def test_init_regio_onleesbaar(tmp_path: Path):
    kapot = tmp_path / "kapot.yaml"
    kapot.write_text("a: 1\na: 2\n", encoding="utf-8")        # duplicate key: the loader refuses
    r = kit("init", "Huizen", "--regio", kapot, "-o", tmp_path / "h.yaml", cwd=tmp_path)
    assert r.returncode == 2
    assert "kapot.yaml" in r.stderr
    assert not (tmp_path / "h.yaml").exists()


def test_init_regio(tmp_path: Path):
    from kit.loader import load_choices

    regio = tmp_path / "hbel" / "regio.yaml"
    regio.parent.mkdir()
    regio.write_bytes(REGIO.read_bytes())
    doel = tmp_path / "hbel" / "naarden.yaml"
    r = kit("init", "Naarden", "--regio", regio, "-o", doel, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    tekst = doel.read_text(encoding="utf-8")
    data = yaml.safe_load(tekst)
    assert data["extends"] == "regio.yaml"
    assert load_choices(doel).get("gemeente.naam") == "Naarden"  # the kit reads what it wrote
    assert re.search(r"^extends: ", tekst, re.M)
    # only the gemeente's own keys
    assert set(data) <= {"extends", "gemeente", "versie", "verordening", "financien"}
    assert set(data["financien"]) == {"prognose"}
    assert set(data.get("verordening", {})) <= {"citeertitel"}
    # a comment says where the rest comes from
    assert "regio.yaml" in "".join(r for r in tekst.splitlines() if r.startswith("#"))

    c = load_choices(doel)
    assert Path(c.mark("leerroutes.inkoop").file).resolve() == regio.resolve()
    assert c.data["gemeente"]["naam"] == "Naarden"
    r = kit("validate", doel, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr


def test_init_geen_nederlands_in_python():
    """The comment text is schema data; fixed lines live in kit/data/berichten/init.yaml."""
    from kit.berichten import bericht

    bron = (ROOT / "kit" / "init.py").read_text(encoding="utf-8")
    assert "wettelijk minimum" not in bron.lower()
    assert "Keuzebestand" not in bron
    for sleutel in ("kop", "kop_regio", "bestaat_al", "naam_leeg", "wettelijk_minimum", "wettelijk_maximum",
                    "extends_toelichting", "commentaar_keuzes"):
        assert bericht(f"init.{sleutel}", naam="X", datum="2022-01-01", regio="r.yaml", pad="p", sleutels="a",
                       keuzes="a", waarde="1", bron="b")


def test_standaard_inwerkingtreding_laat_ruimte_voor_de_planning():
    import datetime as dt

    from kit.init import _eerste_wetsdatum, standaard_inwerkingtreding

    eerste = _eerste_wetsdatum()
    assert standaard_inwerkingtreding(dt.date(2000, 1, 1), 10) == eerste      # never before the law
    datum = dt.date.fromisoformat(standaard_inwerkingtreding(dt.date(2030, 11, 23), 44))
    assert (datum.month, datum.day) == (1, 1)
    assert datum - dt.timedelta(weeks=44) >= dt.date(2030, 11, 23)
    assert dt.date(datum.year - 1, 1, 1) - dt.timedelta(weeks=44) < dt.date(2030, 11, 23)


def test_keuzebestand_doc_is_bijgewerkt():
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "keuzebestand_doc.py"), "--check"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def test_keuzebestand_doc_noemt_elke_sleutel():
    from kit.schema import iter_keys

    tekst = (ROOT / "docs" / "keuzebestand.md").read_text(encoding="utf-8")
    for pad in iter_keys():
        assert f"`{pad}`" in tekst, pad


def test_init_lichte_boete_begint_leeg(nieuw: Path):
    """review2 M5: the lichte category of the boete scale is capped by the legal maximum, but kit init
    does not fill it with that maximum (an explicit default goes first)."""
    from kit.loader import load_choices

    h = load_choices(nieuw).data["handhaving"]
    assert h["boete_pip_licht"] is None and h["matiging_procent"] == 50
