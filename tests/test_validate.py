"""kit validate: schema findings, law rules, CLI; and the schema helpers of kit/schema.py."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit import schema as kschema
from kit.errors import KitError
from kit.findings import FOUT, WAARSCHUWING, Finding
from kit.loader import load_choices
from kit.minima import wettabel
from kit.validate import REGELS, validate, valideer_bestanden

ROOT = Path(__file__).resolve().parents[1]
VOORBEELD = ROOT / "choices" / "voorbeeld.yaml"
FIXTURES = Path(__file__).parent / "fixtures" / "validate"
WET = wettabel().op(dt.date(2022, 1, 1))


def kit(*args: str) -> subprocess.CompletedProcess:
    # KIT_DEBUG=1: an internal error shows as a traceback (and fails), not as a tidy exit 2
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**__import__("os").environ, "KIT_DEBUG": "1"})


def voorbeeld_data() -> dict:
    return yaml.safe_load(VOORBEELD.read_text(encoding="utf-8"))


def zet(data: dict, keypath: str, waarde) -> None:
    delen = keypath.split(".")
    for deel in delen[:-1]:
        data = data.setdefault(deel, {})
    data[delen[-1]] = waarde


def variant(tmp_path: Path, wijzigingen: dict, naam: str = "keuzes.yaml") -> Path:
    """voorbeeld.yaml with some values changed, written to tmp_path."""
    data = voorbeeld_data()
    for keypath, waarde in wijzigingen.items():
        zet(data, keypath, waarde)
    pad = tmp_path / naam
    pad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return pad


def vervang_regel(tmp_path: Path, oud: str, nieuw: str, naam: str = "keuzes.yaml") -> tuple[Path, int]:
    """voorbeeld.yaml with one text replaced (comments and lines kept); returns the path and the line."""
    tekst = VOORBEELD.read_text(encoding="utf-8")
    assert tekst.count(oud) == 1, oud
    regel = tekst[: tekst.index(oud)].count("\n") + 1
    pad = tmp_path / naam
    pad.write_text(tekst.replace(oud, nieuw), encoding="utf-8")
    return pad, regel


def bevindingen(tmp_path: Path, wijzigingen: dict, datum=None) -> list[Finding]:
    return validate(load_choices(variant(tmp_path, wijzigingen)), datum)


def met_sleutel(fs: list[Finding], sleutel: str) -> list[Finding]:
    return [f for f in fs if f.sleutel == sleutel]


# --- the example and the real loader --------------------------------------------------------


def test_voorbeeld_is_schoon():
    assert validate(load_choices(VOORBEELD)) == []


def test_voorbeeld_cli_exit_0():
    r = kit("validate", str(VOORBEELD))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "geen fouten en geen waarschuwingen" in r.stdout


def test_loader_is_de_echte():
    import kit.loader

    choices = load_choices(VOORBEELD)
    assert type(choices).__module__ == "kit.loader"
    assert kit.loader.load_choices is load_choices


# --- law rules: for every rule a lawful and an unlawful case ------------------------------------

GRENZEN = [
    # key path, lawful, unlawful, figure
    ("pvt.uren", 12, 11, "pvt_uren_min"),
    ("map.uren_praktijk", 40, 39, "map_uren_praktijk_min"),
    ("financieel_ontzorgen.duur_maanden", 6, 5, "ontzorgen_maanden_min"),
    ("pip.termijn_weken", 10, 11, "pip_termijn_weken_max"),
    ("handhaving.boete_pip", 800, 801, "boete_pip_max"),
    ("handhaving.boete_pip_herhaling", 800, 1000, "boete_pip_max"),
    ("handhaving.boete_brede_intake", 250, 251, "boete_brede_intake"),
]


@pytest.mark.parametrize("keypath,goed,fout,figuur", GRENZEN)
def test_wettelijke_grens(tmp_path, keypath, goed, fout, figuur):
    extra = {"handhaving.boete_pip": 400} if keypath == "handhaving.boete_pip_herhaling" else {}
    assert [f for f in bevindingen(tmp_path, {keypath: goed, **extra}) if f.is_fout] == []
    fs = met_sleutel(bevindingen(tmp_path, {keypath: fout, **extra}), keypath)
    assert len(fs) == 1 and fs[0].niveau == FOUT
    assert fs[0].bron == WET[figuur].bron_kort
    assert WET[figuur].waarde_tekst in fs[0].bericht
    assert kschema.label(keypath) in fs[0].bericht


def test_grens_volgt_de_tabel_niet_de_code(tmp_path, monkeypatch):
    """The bound comes from the law table: a changed table changes the verdict."""
    import kit.validate as v

    gewijzigd = dict(WET)
    from dataclasses import replace

    gewijzigd["pvt_uren_min"] = replace(WET["pvt_uren_min"], waarde=20)
    choices = load_choices(variant(tmp_path, {"pvt.uren": 12}))
    fs = list(v.regel_pvt_uren(choices, gewijzigd))
    assert len(fs) == 1 and "20 uur" in fs[0].bericht


def test_boete_brede_intake_lager_is_waarschuwing(tmp_path):
    fs = met_sleutel(bevindingen(tmp_path, {"handhaving.boete_brede_intake": 200}), "handhaving.boete_brede_intake")
    assert len(fs) == 1 and fs[0].niveau == WAARSCHUWING
    assert "matiging" in fs[0].bericht and "5:46" in fs[0].bericht
    assert fs[0].bron == WET["boete_brede_intake"].bron_kort


def test_inwerkingtreding_voor_de_wet(tmp_path):
    fs = met_sleutel(bevindingen(tmp_path, {"verordening.inwerkingtreding": dt.date(2021, 7, 1)}), "verordening.inwerkingtreding")
    assert len(fs) == 1 and fs[0].is_fout
    assert "2022-01-01" in fs[0].bericht and fs[0].bron
    assert met_sleutel(bevindingen(tmp_path, {"verordening.inwerkingtreding": dt.date(2022, 1, 1)}), "verordening.inwerkingtreding") == []


def test_datum_parameter_gaat_voor(tmp_path):
    choices = load_choices(VOORBEELD)
    fs = validate(choices, dt.date(2020, 1, 1))
    assert [f.sleutel for f in fs] == ["verordening.inwerkingtreding"]
    assert "peildatum" in fs[0].bericht
    assert validate(choices, "2024-05-01") == []


WAARSCHUWINGEN = [
    # (name, unlawful-ish changes, key of the warning, lawful changes)
    ("ontzorgen langer dan begeleiding",
     {"financieel_ontzorgen.duur_maanden": 24, "financieel_ontzorgen.toelichting_duur": ""},
     "financieel_ontzorgen.duur_maanden",
     {"financieel_ontzorgen.duur_maanden": 24, "financieel_ontzorgen.toelichting_duur": "Schuldenrisico in de regio."}),
    ("regionale inkoop zonder regio", {"leerroutes.inkoop": "regionaal", "leerroutes.regio": ""}, "leerroutes.regio",
     {"leerroutes.inkoop": "lokaal", "leerroutes.regio": ""}),
    ("samenwerking zonder regio", {"organisatie.samenwerking": "subregionaal"}, "organisatie.regio.naam",
     {"organisatie.samenwerking": "subregionaal", "organisatie.regio.naam": "Heuvelland"}),
    ("lokale PIP-norm niet korter", {"pip.termijn_na_intake_weken": 10}, "pip.termijn_na_intake_weken",
     {"pip.termijn_na_intake_weken": None}),
    ("herhaling lager", {"handhaving.boete_pip": 600, "handhaving.boete_pip_herhaling": 300}, "handhaving.boete_pip_herhaling",
     {"handhaving.boete_pip": 600, "handhaving.boete_pip_herhaling": 600}),
    ("verlenging zonder gronden", {"financieel_ontzorgen.verlenging_gronden": []}, "financieel_ontzorgen.verlenging_gronden",
     {"financieel_ontzorgen.verlenging": "nee", "financieel_ontzorgen.verlenging_gronden": []}),
    ("ter advisering zonder termijn", {"versie.status": "ter_advisering", "advies.termijn": None}, "advies.termijn",
     {"versie.status": "ter_advisering"}),
    ("ter advisering zonder adviesraad", {"versie.status": "ter_advisering", "advies.adviesraad": ""}, "advies.adviesraad",
     {"versie.status": "concept", "advies.adviesraad": ""}),
    ("advies na inwerkingtreding", {"advies.termijn": dt.date(2022, 2, 1)}, "advies.termijn",
     {"advies.termijn": dt.date(2021, 12, 1)}),
    ("begeleiding gezinsmigranten", {"maatschappelijke_begeleiding.gezinsmigranten": True},
     "maatschappelijke_begeleiding.gezinsmigranten", {"maatschappelijke_begeleiding.gezinsmigranten": False}),
    ("verrekening en samenloop", {"handhaving.samenloop_participatiewet": "beide_mogelijk"}, "handhaving.samenloop_participatiewet",
     {"handhaving.samenloop_participatiewet": "beide_mogelijk", "handhaving.verrekening_bijstand": False}),
    ("zonder hoor en wederhoor", {"handhaving.hoor_en_wederhoor": False}, "handhaving.hoor_en_wederhoor",
     {"handhaving.hoor_en_wederhoor": True}),
    ("tolk tegenstrijdig", {"tolk.inzet": False, "brede_intake.tolk": True}, "tolk.inzet",
     {"tolk.inzet": False, "brede_intake.tolk": False}),
]


@pytest.mark.parametrize("naam,slecht,sleutel,goed", WAARSCHUWINGEN, ids=[w[0] for w in WAARSCHUWINGEN])
def test_waarschuwing(tmp_path, naam, slecht, sleutel, goed):
    fs = bevindingen(tmp_path, slecht)
    assert [f for f in fs if f.is_fout] == [], fs
    gevonden = met_sleutel(fs, sleutel)
    assert len(gevonden) == 1 and gevonden[0].niveau == WAARSCHUWING, fs
    assert gevonden[0].bericht.strip()
    assert bevindingen(tmp_path, goed) == []


def test_begeleiding_gezinsmigranten_noemt_normbedrag(tmp_path):
    (f,) = bevindingen(tmp_path, {"maatschappelijke_begeleiding.gezinsmigranten": True})
    assert f.bron == WET["spuk_mb_asiel"].bron_kort and "€\u00a02.250" in f.bericht


def test_regels_is_een_uitbreidbare_lijst(tmp_path):
    assert isinstance(REGELS, list) and all(callable(r) for r in REGELS)

    def extra(choices, wet):
        yield Finding(WAARSCHUWING, choices.path, 1, "planning", "proef", "")

    REGELS.append(extra)
    try:
        fs = validate(load_choices(VOORBEELD))
    finally:
        REGELS.remove(extra)
    assert [f.bericht for f in fs] == ["proef"]


def test_regels_verdragen_elke_waarde(tmp_path):
    """Rules skip values they cannot compare (the schema reports them)."""
    wijzigingen = {
        "pvt.uren": "twaalf", "pip.termijn_weken": None, "handhaving.boete_pip": [1],
        "financieel_ontzorgen.duur_maanden": True, "advies.termijn": "morgen",
        "verordening.inwerkingtreding": "binnenkort",
    }
    fs = bevindingen(tmp_path, wijzigingen)
    assert {f.sleutel for f in fs} >= {"pvt.uren", "handhaving.boete_pip", "financieel_ontzorgen.duur_maanden",
                                       "verordening.inwerkingtreding", "advies.termijn"}
    assert all(f.is_fout for f in fs if f.sleutel in wijzigingen and f.sleutel != "pip.termijn_weken")


# --- schema findings ------------------------------------------------------------------------------


def test_onbekende_sleutel_met_voorstel_en_regel(tmp_path):
    pad, regel = vervang_regel(tmp_path, "uren_praktijk: 40", "uren_praktjk: 40")
    fs = validate(load_choices(pad))
    (f,) = fs
    assert f.sleutel == "map.uren_praktjk" and f.regel == regel and f.bestand == pad
    assert "bedoelt u 'uren_praktijk'?" in f.bericht


def test_onbekende_sleutel_zonder_voorstel_noemt_toegestane(tmp_path):
    fs = bevindingen(tmp_path, {"pvt.xyzzy": 1})
    (f,) = fs
    assert "uitvoering" in f.bericht and "extra_themas" in f.bericht


def test_onbekende_sleutel_bovenaan(tmp_path):
    (f,) = bevindingen(tmp_path, {"handhaven": {"boete_pip": 1}})
    assert f.sleutel == "handhaven" and "'handhaving'" in f.bericht


def test_keuze_noemt_opties_met_labels(tmp_path):
    pad, regel = vervang_regel(tmp_path, "uitvoering: lokaal                   # lokaal | regionaal | uitbesteed\n  uren: 12",
                               "uitvoering: lokal\n  uren: 12")
    (f,) = validate(load_choices(pad))
    assert f.sleutel == "pvt.uitvoering" and f.regel == regel
    assert "'lokal'" in f.bericht
    for waarde in ("lokaal", "regionaal", "uitbesteed"):
        assert waarde in f.bericht
    assert kschema.enum_label("pvt.uitvoering", "lokaal") in f.bericht


def test_type_fout_zegt_wat_verwacht_wordt(tmp_path):
    pad, regel = vervang_regel(tmp_path, "duur_maanden: 18", "duur_maanden: achttien")
    (f,) = validate(load_choices(pad))
    assert f.sleutel == "maatschappelijke_begeleiding.duur_maanden" and f.regel == regel
    assert "een geheel aantal maanden" in f.bericht and "achttien" in f.bericht


def test_datum_en_negatief_getal(tmp_path):
    fs = bevindingen(tmp_path, {"advies.termijn": "15 juli 2021", "organisatie.regie.caseload": -3})
    sleutels = {f.sleutel: f for f in fs}
    assert "JJJJ-MM-DD" in sleutels["advies.termijn"].bericht
    assert "te klein" in sleutels["organisatie.regie.caseload"].bericht


def test_lijst_item_krijgt_index(tmp_path):
    fs = bevindingen(tmp_path, {"organisatie.sociaal_domein": ["wmo", "onderwijs"]})
    (f,) = fs
    assert f.sleutel == "organisatie.sociaal_domein[1]"
    assert f.regel is not None


def test_versienummer_als_getal_gebruikt_brontekst(tmp_path):
    pad, _ = vervang_regel(tmp_path, 'nummer: "0.3"', "nummer: 0.30")
    choices = load_choices(pad)
    assert validate(choices) == []
    fs = bevindingen(tmp_path, {"versie.nummer": [0, 3]})
    assert [f.sleutel for f in fs] == ["versie.nummer"]


def test_ontbrekende_verplichte_sleutel_bij_dichtstbijzijnde_regel(tmp_path):
    data = voorbeeld_data()
    del data["verordening"]["inwerkingtreding"]
    pad = tmp_path / "k.yaml"
    pad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    fs = validate(load_choices(pad))
    (f,) = [f for f in fs if f.sleutel == "verordening.inwerkingtreding"]
    assert f.is_fout and "verplicht" in f.bericht
    tekst = pad.read_text(encoding="utf-8").splitlines()
    assert tekst[f.regel - 1].startswith("verordening:")


def test_herkomst_uit_regiobestand():
    fs = validate(load_choices(FIXTURES / "gemeente_met_regio.yaml"))
    per_sleutel = {f.sleutel: f for f in fs}
    pvt = per_sleutel["pvt.uren"]
    assert pvt.bestand.name == "regio.yaml" and pvt.regel == 6 and pvt.is_fout
    onbekend = per_sleutel["map.uren_prakijk"]
    assert onbekend.bestand.name == "regio.yaml" and onbekend.regel == 8 and "uren_praktijk" in onbekend.bericht
    boete = per_sleutel["handhaving.boete_pip"]
    assert boete.bestand.name == "gemeente_met_regio.yaml" and boete.regel == 10
    assert "versie.nummer" not in per_sleutel  # 1.10 as a number: the source text is used


def test_gesorteerd_op_bestand_en_regel(tmp_path):
    fs = bevindingen(tmp_path, {"pvt.uren": 1, "map.uren_praktijk": 1, "handhaving.boete_pip": 9999, "pip.termijn_weken": 99})
    sleutels = [(str(f.bestand), f.regel or 0) for f in fs]
    assert sleutels == sorted(sleutels) and len([f for f in fs if f.is_fout]) == 4


# --- valideer_bestanden and the CLI -------------------------------------------------------------


def test_valideer_bestanden_samenvatting(tmp_path):
    pad = variant(tmp_path, {"pvt.uren": 4, "map.uren_praktijk": 4, "handhaving.hoor_en_wederhoor": False})
    tekst, code = valideer_bestanden([pad], None, "text")
    assert code == 1
    assert tekst.splitlines()[-1] == f"{pad}: 2 fouten, 1 waarschuwing."


def test_cli_fout_exit_1_met_bestand_regel_sleutel(tmp_path):
    pad, regel = vervang_regel(tmp_path, "uren: 12 ", "uren: 8 ")
    r = kit("validate", str(pad))
    assert r.returncode == 1
    assert "Traceback" not in r.stdout + r.stderr
    assert re.search(rf"^{re.escape(str(pad))}:{regel}: fout: pvt\.uren: .*\(bron: art\. 3\.1 Besluit inburgering 2021\)$",
                     r.stdout, re.M), r.stdout
    assert "1 fout, 0 waarschuwingen" in r.stdout


def test_cli_alleen_waarschuwingen_exit_0(tmp_path):
    pad = variant(tmp_path, {"handhaving.hoor_en_wederhoor": False})
    r = kit("validate", str(pad))
    assert r.returncode == 0 and "waarschuwing: handhaving.hoor_en_wederhoor" in r.stdout


def test_cli_onleesbaar_exit_2():
    r = kit("validate", str(FIXTURES / "kapot.yaml"), str(VOORBEELD))
    assert r.returncode == 2
    assert "Traceback" not in r.stdout + r.stderr
    assert "kapot.yaml" in r.stdout and "onleesbaar" in r.stdout
    assert "voorbeeld.yaml: geen fouten" in r.stdout  # the other file is still checked


def test_cli_ontbrekend_bestand_exit_2(tmp_path):
    r = kit("validate", str(tmp_path / "bestaat_niet.yaml"))
    assert r.returncode == 2 and "Traceback" not in r.stdout + r.stderr
    assert "bestaat_niet.yaml" in r.stdout + r.stderr


def test_cli_zonder_bestand_is_gebruiksfout():
    r = kit("validate")
    assert r.returncode == 2 and "Traceback" not in r.stdout + r.stderr


def test_cli_onbekende_sleutel_voorstel(tmp_path):
    pad, regel = vervang_regel(tmp_path, "termijn_weken: 10", "termijn_weeken: 10")
    r = kit("validate", str(pad))
    assert r.returncode == 1
    assert f"{pad}:{regel}: fout: pip.termijn_weeken: onbekende sleutel 'termijn_weeken'; bedoelt u 'termijn_weken'?" in r.stdout


def test_cli_json(tmp_path):
    pad = variant(tmp_path, {"pvt.uren": 4, "handhaving.hoor_en_wederhoor": False})
    r = kit("validate", str(pad), str(FIXTURES / "kapot.yaml"), "--format", "json")
    assert r.returncode == 2
    data = json.loads(r.stdout)
    assert {"niveau", "bestand", "regel", "sleutel", "bericht", "bron"} <= set(data["bevindingen"][0])
    assert {f["sleutel"] for f in data["bevindingen"]} == {"pvt.uren", "handhaving.hoor_en_wederhoor"}
    s = data["samenvatting"]
    assert s["fouten"] == 1 and s["waarschuwingen"] == 1 and s["onleesbaar"] == 1 and s["exit_code"] == 2
    assert [b["leesbaar"] for b in s["bestanden"]] == [True, False]


def test_cli_datum(tmp_path):
    r = kit("validate", str(VOORBEELD), "--datum", "2021-06-01")
    assert r.returncode == 1 and "verordening.inwerkingtreding" in r.stdout
    r = kit("validate", str(VOORBEELD), "--datum", "2023-01-01", "--format", "json")
    assert r.returncode == 0 and json.loads(r.stdout)["bevindingen"] == []


def test_alle_meegeleverde_keuzebestanden_zijn_geldig():
    paden = sorted((ROOT / "choices").rglob("*.yaml"))
    assert ROOT / "choices" / "hbel" / "regio.yaml" in paden
    tekst, code = valideer_bestanden(paden)
    assert code == 0, tekst
    assert ": fout:" not in tekst and ": waarschuwing:" not in tekst, tekst


def test_regiobestand_valideert_zonder_gemeente_en_versie():
    """`kit validate` of a regio file (no gemeente): gemeente and versie are not asked for; the rest is."""
    regio = ROOT / "choices" / "hbel" / "regio.yaml"
    r = kit("validate", str(regio), "--format", "json")
    assert r.returncode == 0, r.stdout + r.stderr
    data = json.loads(r.stdout)
    assert data["bevindingen"] == [] and data["samenvatting"]["bestanden"][0]["regiobestand"] is True
    r = kit("validate", str(regio))
    assert r.returncode == 0 and f"{regio}: regiobestand" in r.stdout
    # the law still applies to a regio file (fixture regio: PVT under the minimum, a misspelt key)
    tekst, code = valideer_bestanden([FIXTURES / "regio.yaml"])
    assert code == 1 and ": fout: pvt.uren:" in tekst and ": fout: gemeente:" not in tekst, tekst
    # a gemeente file still needs its gemeente (and render, which calls validate(), refuses a regio file)
    assert {"gemeente", "versie"} <= {f.sleutel for f in validate(load_choices(regio)) if f.is_fout}


def test_gemeentebestand_zonder_versie_blijft_fout(tmp_path):
    data = voorbeeld_data()
    del data["versie"]
    pad = tmp_path / "k.yaml"
    pad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    tekst, code = valideer_bestanden([pad])
    assert code == 1 and ": fout: versie:" in tekst and "regiobestand" not in tekst


# --- robustness ---------------------------------------------------------------------------------


def _alle_paden(data, prefix=""):
    if isinstance(data, dict):
        for k, v in data.items():
            pad = f"{prefix}.{k}" if prefix else str(k)
            yield pad
            yield from _alle_paden(v, pad)


PADEN = sorted(set(_alle_paden(voorbeeld_data())))

waarden = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=10**30, max_value=10**60)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30)
    | st.sampled_from(["😀🇳🇱", "{{ x }}", "<b>&amp;</b>", "2022-13-45", "x" * 5000, "lokaal", "2021-01-01"])
    | st.dates().map(lambda d: d.isoformat()),
    lambda kind: st.lists(kind, max_size=3) | st.dictionaries(st.text(min_size=1, max_size=8), kind, max_size=3),
    max_leaves=6,
)


class _Dubbel:
    """Just data: no marks, no raw text (validate must cope)."""

    def __init__(self, data):
        self.data = data
        self.path = Path("dubbel.yaml")
        self.files = [self.path]

    def mark(self, keypath):
        return None

    def mark_of_nearest(self, keypath):
        return None

    def raw(self, keypath):
        return None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PADEN), waarden), min_size=1, max_size=4))
def test_willekeurige_waarden_geven_nooit_een_crash(tmp_path, wijzigingen):
    data = voorbeeld_data()
    for keypath, waarde in wijzigingen:
        delen = keypath.split(".")
        doel = data
        for deel in delen[:-1]:
            if not isinstance(doel.get(deel), dict):
                doel[deel] = {}
            doel = doel[deel]
        doel[delen[-1]] = copy.deepcopy(waarde)
    for f in validate(_Dubbel(data)):
        assert f.niveau in (FOUT, WAARSCHUWING) and f.bericht
        f.als_tekst()
    # and through the real loader and the CLI function
    pad = tmp_path / "h.yaml"
    pad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        choices = load_choices(pad)
    except KitError:
        return
    for f in validate(choices):
        assert f.bestand is not None
    tekst, code = valideer_bestanden([pad], None, "json")
    assert code in (0, 1, 2)
    json.loads(tekst)


# --- schema helpers ------------------------------------------------------------------------------


def _schemas(sub, pad=""):
    sub = kschema._volg_ref(sub)
    yield pad, sub
    for naam, kind in (sub.get("properties") or {}).items():
        yield from _schemas(kind, f"{pad}.{naam}" if pad else naam)


def test_schema_is_streng_en_beschreven():
    for pad, sub in _schemas(kschema.schema()):
        if sub.get("type") == "object" or "properties" in sub:
            assert sub.get("additionalProperties") is False, pad
        if pad:
            assert sub.get("title") and sub.get("description"), pad
        if "enum" in sub:
            assert set(sub.get("x-labels", {})) == set(sub["enum"]) - {None}, pad  # null: left open
        if "x-wettelijk" in sub:
            assert sub["x-wettelijk"] in wettabel().namen, pad
            assert "default" not in sub or sub["default"] is None, pad  # the number comes from the table


def test_schema_kent_elke_sleutel_van_het_voorbeeld_en_design():
    bekend = set(kschema.iter_keys())
    choices = load_choices(VOORBEELD)
    for pad in choices.keypaths():
        assert kschema.deelschema(pad) is not None, pad
    for pad in ["gemeente.naam", "extends", "versie.nummer", "versie.datum", "versie.status", "verordening.inwerkingtreding",
                "maatschappelijke_begeleiding.duur_maanden", "maatschappelijke_begeleiding.gezinsmigranten",
                "financieel_ontzorgen.duur_maanden", "pvt.uitvoering", "pvt.uren", "map.uren_praktijk", "leerroutes.inkoop",
                "pip.termijn_weken", "handhaving.boete_brede_intake", "handhaving.boete_pip"]:
        assert pad in bekend, pad
    assert kschema.deelschema("versie.status")["enum"] == ["concept", "ter_advisering", "ter_besluitvorming", "vastgesteld"]
    assert kschema.deelschema("pvt.uitvoering")["enum"] == ["lokaal", "regionaal", "uitbesteed"]
    assert kschema.deelschema("leerroutes.inkoop")["enum"] == ["lokaal", "regionaal"]


def test_schema_helpers():
    assert kschema.label("maatschappelijke_begeleiding.duur_maanden") == "Duur maatschappelijke begeleiding (maanden)"
    assert kschema.enum_label("pvt.uitvoering", "lokaal") == "lokaal, door de gemeente zelf"
    assert kschema.enum_label("pvt.uitvoering", "onbekend") == "onbekend"
    assert kschema.enum_label("organisatie.sociaal_domein", "wmo").startswith("de Wet maatschappelijke")
    assert kschema.beschrijving("pvt.uren")
    assert kschema.label("financien.prognose.statushouders_per_jaar")  # through $ref
    assert kschema.label("visie.doelen[2]") == kschema.label("visie.doelen")
    assert kschema.deelschema("bestaat.niet") is None
    assert kschema.wettelijk("pvt.uren") == "pvt_uren_min"
    assert kschema.standaard("pvt.uren", WET) == 12
    assert kschema.standaard("brede_intake.start") == "azc"
    keys = list(kschema.iter_keys())
    assert len(keys) == len(set(keys)) and "pvt.uren" in keys and "organisatie.regio.naam" in keys
    assert any(k.startswith("planning.") for k in keys)
    assert kschema.schema() is kschema.schema()


def test_schema_standaarden_zijn_geldig():
    """Every default (and the law-table value for x-wettelijk) satisfies its own property schema."""
    from jsonschema import Draft202012Validator

    for pad in kschema.iter_keys():
        sub = kschema.deelschema(pad)
        if "default" not in sub and "x-wettelijk" not in sub:
            continue
        waarde = kschema.standaard(pad, WET)
        if waarde is None and "default" not in sub:
            continue
        v = Draft202012Validator(sub, registry=kschema.registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)
        assert list(v.iter_errors(waarde)) == [], (pad, waarde)


def test_elke_berichtsleutel_bestaat():
    from kit.berichten import heeft_bericht

    for module, groep in (("validate.py", "validate"), ("minima.py", "minima")):
        bron = (ROOT / "kit" / module).read_text(encoding="utf-8")
        for sleutel in set(re.findall(rf"\"({groep}\.[a-z_0-9]+)\"", bron)) - {"minima.yaml"}:
            assert heeft_bericht(sleutel), sleutel
    for soort in ("integer", "number", "string", "boolean", "array", "object", "null"):
        assert heeft_bericht(f"validate.soort_{soort}") and heeft_bericht(f"validate.gevonden_{soort}")
    for soort in ("minimum", "maximum", "vast", "norm"):
        assert heeft_bericht(f"minima.soort_{soort}")
