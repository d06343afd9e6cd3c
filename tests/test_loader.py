"""Tests of kit/loader.py: values, marks, raw text, provenance, extends, and refusals.

Fixtures: tests/fixtures/loader/ (line numbers in these files are asserted below).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kit.loader as loader_module
from kit.errors import InputError
from kit.loader import MAX_BYTES, Choices, Mark, load_choices

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).resolve().parent / "fixtures" / "loader"
VOORBEELD = ROOT / "choices" / "voorbeeld.yaml"

ENGELS = re.compile(r"\b(found|expected|error|line|column|while|could not|Traceback)\b", re.IGNORECASE)


def fout_bij(pad: Path) -> str:
    """Load ``pad`` and return the InputError message (fails if it loads)."""
    with pytest.raises(InputError) as exc:
        load_choices(pad)
    assert exc.value.exit_code == 2
    return str(exc.value)


def assert_bericht(bericht: str, bestand: Path | str, regel: int | None = None, sleutel: str | None = None) -> None:
    """A loader message names the file (and line, key), is Dutch, and has no English residue."""
    assert str(bestand) in bericht
    if regel is not None:
        assert f"{bestand}:{regel}:" in bericht
    if sleutel is not None:
        assert f": {sleutel}:" in bericht
    assert ": fout: " in bericht
    assert not ENGELS.search(bericht), bericht


def schrijf(tmp_path: Path, tekst: str | bytes, naam: str = "keuzes.yaml") -> Path:
    pad = tmp_path / naam
    if isinstance(tekst, bytes):
        pad.write_bytes(tekst)
    else:
        pad.write_text(tekst, encoding="utf-8")
    return pad


# --------------------------------------------------------------------------------------
# Values, marks, raw text
# --------------------------------------------------------------------------------------


def test_geldig_bestand_waarden():
    c = load_choices(FIX / "geldig.yaml")
    assert isinstance(c, Choices)
    assert c.path == FIX / "geldig.yaml"
    assert c.files == [FIX / "geldig.yaml"]
    assert c.data["gemeente"] == {"naam": "Teststad", "afdeling": "Team Werk"}
    assert c.data["versie"]["nummer"] == 0.1
    assert c.data["handhaving"] == {"boete_pip": 400, "verrekening_bijstand": True, "leeg": None, "octaal": 15}
    assert c.data["visie"]["missie"] == "Tekst met {{ accolades }} en <tekens> & meer"
    assert c.get("visie.doelen[2]") == "derde doel"
    assert c.get("visie.doelen[9]", "standaard") == "standaard"
    assert c.get("bestaat.niet") is None
    assert c.get("gemeente.naam.dieper", 5) == 5


def test_datums_worden_iso_tekst():
    c = load_choices(FIX / "geldig.yaml")
    assert c.data["versie"]["datum"] == "2021-06-01"
    assert c.data["planning"]["raad"] == ["2021-03-25", "2021-05-27"]
    assert c.data["planning"]["tijdstip"] == "2021-06-01T10:30:00"
    assert all(not isinstance(v, (dt.date, dt.datetime)) for v in c.data["planning"]["raad"])


def test_marks_van_geneste_sleutels_en_lijstitems():
    c = load_choices(FIX / "geldig.yaml")
    pad = FIX / "geldig.yaml"
    assert c.mark("gemeente") == Mark(pad, 2, 1)
    assert c.mark("gemeente.naam") == Mark(pad, 3, 3)
    assert c.mark("versie.nummer") == Mark(pad, 6, 3)
    assert c.mark("visie.doelen") == Mark(pad, 10, 3)
    assert c.mark("visie.doelen[0]") == Mark(pad, 11, 7)
    assert c.mark("visie.doelen[2]") == Mark(pad, 13, 7)
    assert c.mark("planning.raad[1]").line == 16
    assert c.mark("handhaving.boete_pip").line == 19
    assert str(c.mark("handhaving.boete_pip")) == f"{pad}:19"
    assert c.herkomst("handhaving.boete_pip") == pad


def test_mark_van_ontbrekende_sleutel():
    c = load_choices(FIX / "geldig.yaml")
    assert c.mark("gemeente.bestaat_niet") is None
    assert c.mark("visie.doelen[3]") is None
    assert c.mark("visie.doelen.x") is None
    assert c.mark("niet..geldig") is None
    assert c.mark_of_nearest("gemeente.bestaat_niet.dieper").line == 2
    assert c.mark_of_nearest("visie.doelen[7]").line == 10
    assert c.mark_of_nearest("ontbreekt").file == FIX / "geldig.yaml"
    assert "gemeente.naam" in c and "gemeente.ontbreekt" not in c


def test_raw_tekst_van_scalars():
    c = load_choices(FIX / "geldig.yaml")
    assert c.raw("versie.nummer") == "0.10"
    assert c.raw("versie.datum") == "2021-06-01"
    assert c.raw("handhaving.octaal") == "017"
    assert c.raw("handhaving.verrekening_bijstand") == "yes"
    assert c.raw("gemeente") is None  # a mapping has no source text
    assert c.raw("bestaat.niet") is None


def test_keypaths():
    c = load_choices(FIX / "geldig.yaml")
    paden = list(c.keypaths())
    assert paden[:3] == ["gemeente", "gemeente.naam", "gemeente.afdeling"]
    assert "visie.doelen[2]" in paden
    assert all(c.mark(p) is not None for p in paden)


def test_choices_met_de_hand_gemaakt():
    c = Choices(path=Path("x.yaml"), data={"a": {"b": 1}}, files=[Path("x.yaml")])
    assert c.get("a.b") == 1
    assert c.mark("a.b") is None and c.raw("a.b") is None
    assert c.mark_of_nearest("a.b") == Mark(Path("x.yaml"), 1, 1)
    assert list(c.keypaths()) == []


def test_voorbeeld_gelijk_aan_safe_load():
    c = load_choices(VOORBEELD)
    verwacht = yaml.safe_load(VOORBEELD.read_text(encoding="utf-8"))

    def iso(w):
        if isinstance(w, dict):
            return {k: iso(v) for k, v in w.items()}
        if isinstance(w, list):
            return [iso(v) for v in w]
        return w.isoformat() if isinstance(w, (dt.date, dt.datetime)) else w

    assert c.data == iso(verwacht)
    assert c.get("maatschappelijke_begeleiding.duur_maanden") == 18
    assert c.raw("versie.nummer") == "0.3"


def test_pure_python_parser_geeft_dezelfde_marks(monkeypatch):
    snel = load_choices(VOORBEELD)
    monkeypatch.setattr(loader_module, "_LOADER", yaml.SafeLoader)
    traag = load_choices(VOORBEELD)
    assert snel.data == traag.data
    for pad in snel.keypaths():
        assert snel.mark(pad) == traag.mark(pad), pad
        assert snel.raw(pad) == traag.raw(pad), pad


def test_aliassen_en_samenvoegsleutel(tmp_path):
    pad = schrijf(tmp_path, "basis: &b\n  x: 1\n  y: 2\nkopie: *b\neigen:\n  <<: *b\n  y: 3\n")
    c = load_choices(pad)
    assert c.data["kopie"] == {"x": 1, "y": 2}
    assert c.data["eigen"] == {"x": 1, "y": 3}
    assert c.data["kopie"] is not c.data["basis"]  # aliases are expanded into copies
    assert c.mark("eigen.y").line == 7
    assert c.mark("eigen.x").line == 2  # set where the anchor defines it
    assert c.mark("kopie").line == 4


def test_niet_specifieke_tag_en_kerntags(tmp_path):
    pad = schrijf(tmp_path, 'a: ! 12\nb: !!str 2022-01-01\nc: !!int "7"\nd: !!float "1.5"\n')
    assert load_choices(pad).data == {"a": "12", "b": "2022-01-01", "c": 7, "d": 1.5}


def test_bom_en_crlf(tmp_path):
    pad = schrijf(tmp_path, b"\xef\xbb\xbfgemeente:\r\n  naam: Teststad\r\n")
    c = load_choices(pad)
    assert c.data == {"gemeente": {"naam": "Teststad"}}
    assert c.mark("gemeente.naam").line == 2


def test_leeg_document_met_mapping_is_toegestaan(tmp_path):
    assert load_choices(schrijf(tmp_path, "{}\n")).data == {}


# --------------------------------------------------------------------------------------
# Refusals: every error is an InputError with a Dutch message naming file, line, key
# --------------------------------------------------------------------------------------


def test_bestand_niet_gevonden(tmp_path):
    pad = tmp_path / "bestaat_niet.yaml"
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad)
    assert "bestaat niet" in bericht


def test_pad_is_een_map(tmp_path):
    bericht = fout_bij(tmp_path)
    assert_bericht(bericht, tmp_path)
    assert "map" in bericht


def test_geen_utf8_noemt_regel_van_de_foute_byte(tmp_path):
    pad = schrijf(tmp_path, "gemeente:\n  naam: Teststad\n  afdeling: Café\n".encode("latin-1"))
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad, regel=3)
    assert "UTF-8" in bericht and "0xE9" in bericht


def test_utf16_wordt_herkend(tmp_path):
    pad = schrijf(tmp_path, "gemeente:\n  naam: Teststad\n".encode("utf-16"))
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad)
    assert "UTF-16" in bericht


def test_stuurteken_met_regel(tmp_path):
    pad = schrijf(tmp_path, "gemeente:\n  naam: Test\x0bstad\n")
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad, regel=2)
    assert "U+000B" in bericht


@pytest.mark.parametrize("inhoud", ["", "\n\n", "# alleen commentaar\n", "---\n", "~\n"])
def test_leeg_bestand(tmp_path, inhoud):
    pad = schrijf(tmp_path, inhoud)
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad)
    assert "leeg" in bericht


def test_leeg_fixture_alleen_commentaar():
    assert "leeg of bevat alleen commentaar" in fout_bij(FIX / "leeg.yaml")


def test_hoogste_niveau_geen_mapping():
    pad = FIX / "lijst.yaml"
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad, regel=2)
    assert "een lijst" in bericht


def test_hoogste_niveau_losse_tekst(tmp_path):
    pad = schrijf(tmp_path, "zomaar een zin\n")
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad, regel=1)
    assert "zomaar een zin" in bericht


def test_syntaxfout_met_regel_en_kolom():
    pad = FIX / "syntaxfout.yaml"
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad, regel=3)
    assert "kolom 17" in bericht
    assert "aanhalingstekens" in bericht


def test_tab_voor_inspringen():
    pad = FIX / "tab.yaml"
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad, regel=3)
    assert "tab" in bericht


def test_syntaxfout_open_aanhalingsteken_noemt_beginregel(tmp_path):
    pad = schrijf(tmp_path, 'gemeente:\n  naam: "Teststad\n  afdeling: x\n')
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad)
    assert "regel 2" in bericht


@pytest.mark.parametrize(
    "inhoud, regel",
    [
        ("a: [1, 2\nb: 3\n", None),
        ("a: {x: 1\n", None),
        ("a:\n  - x\n  y: 1\n", 3),
        ('a: "x\\qy"\n', 1),
        ("a: @b\n", 1),
        ("a: 1\n...\nb\n", 3),
        ("a: &\n", 1),
        ("a: !e!x 1\n", 1),
    ],
)
def test_diverse_syntaxfouten_zijn_nederlands(tmp_path, inhoud, regel):
    pad = schrijf(tmp_path, inhoud)
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad, regel=regel)


def test_dubbele_sleutel_noemt_beide_regels():
    pad = FIX / "dubbele_sleutel.yaml"
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad, regel=4, sleutel="gemeente.naam")
    assert "regel 2" in bericht and "regel 4" in bericht


def test_dubbele_sleutel_op_hoogste_niveau_en_in_lijst(tmp_path):
    pad = schrijf(tmp_path, "a: 1\nb:\n  - x: 1\n    x: 2\n")
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad, regel=4, sleutel="b[0].x")
    pad = schrijf(tmp_path, "a: 1\nb: 2\na: 3\n", "top.yaml")
    assert_bericht(fout_bij(pad), pad, regel=3, sleutel="a")


@pytest.mark.parametrize("bestand, regel, sleutel, tag", [
    ("tag_python.yaml", 2, "gemeente.naam", "!!python/object/apply:os.system"),
    ("tag_eigen.yaml", 6, "visie.doelen[1]", "!eigen"),
])
def test_tags_geweigerd(bestand, regel, sleutel, tag):
    pad = FIX / bestand
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad, regel=regel, sleutel=sleutel)
    assert tag in bericht


@pytest.mark.parametrize("inhoud", [
    "a: !!binary aGFsbG8=\n",
    "a: !!set {x, y}\n",
    "a: !!omap [x: 1]\n",
    "a: !!python/name:os.system ''\n",
    "a: !!map [1]\n",
    "!!python/object:object {}\n",
    "a:\n  !foo b: 1\n",
])
def test_andere_tags_geweigerd(tmp_path, inhoud):
    pad = schrijf(tmp_path, inhoud)
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad)
    assert "tag" in bericht


def test_sleutel_geen_tekst():
    pad = FIX / "sleutel_getal.yaml"
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad, regel=4, sleutel="financien.bedragen")
    assert "'2022'" in bericht and "geheel getal" in bericht


@pytest.mark.parametrize("sleutel, soort", [
    ("true", "ja/nee"), ("~", "lege waarde"), ("1.5", "kommagetal"), ("2022-01-01", "datum"),
])
def test_andere_sleutels_geen_tekst(tmp_path, sleutel, soort):
    pad = schrijf(tmp_path, f"a:\n  {sleutel}: x\n")
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad, regel=2, sleutel="a")
    assert soort in bericht


def test_samengestelde_sleutel(tmp_path):
    pad = schrijf(tmp_path, "a:\n  ? [1, 2]\n  : x\n")
    assert_bericht(fout_bij(pad), pad, regel=2, sleutel="a")


def test_ongeldige_datum(tmp_path):
    pad = schrijf(tmp_path, "versie:\n  datum: 2021-02-30\n")
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad, regel=2, sleutel="versie.datum")
    assert "2021-02-30" in bericht and "datum" in bericht


@pytest.mark.parametrize("inhoud", ["a: !!int\n", "a: !!float ''\n", "a: !!bool misschien\n", "a: !!timestamp gisteren\n"])
def test_waarde_past_niet_bij_kerntag(tmp_path, inhoud):
    pad = schrijf(tmp_path, inhoud)
    assert_bericht(fout_bij(pad), pad, regel=1, sleutel="a")


def test_meer_documenten(tmp_path):
    pad = schrijf(tmp_path, "a: 1\n---\nb: 2\n")
    assert_bericht(fout_bij(pad), pad, regel=2)


def test_alias_bom_wordt_snel_geweigerd():
    pad = FIX / "alias_bom.yaml"
    start = time.perf_counter()
    bericht = fout_bij(pad)
    assert time.perf_counter() - start < 10.0  # a guard against a hang, not a speed target
    assert_bericht(bericht, pad)
    assert "aliassen" in bericht


def test_alias_kringverwijzing_en_onbekend_anker(tmp_path):
    pad = schrijf(tmp_path, "a: &x\n  - 1\n  - *x\n")
    assert_bericht(fout_bij(pad), pad, regel=3, sleutel="a[1]")
    pad = schrijf(tmp_path, "a: *nergens\n", "onbekend.yaml")
    assert "*nergens" in fout_bij(pad)


def test_dubbel_anker(tmp_path):
    pad = schrijf(tmp_path, "a: &x 1\nb: &x 2\n")
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad, regel=2, sleutel="b")
    assert "regel 1" in bericht


def test_ongeldige_samenvoegsleutel(tmp_path):
    pad = schrijf(tmp_path, "a:\n  <<: 5\n")
    assert_bericht(fout_bij(pad), pad, regel=2)


@pytest.mark.parametrize("inhoud", [
    "a: " + "[" * 5000 + "]" * 5000 + "\n",
    "a: " + "{x: " * 5000 + "1" + "}" * 5000 + "\n",
    "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "x: 1\n",
])
def test_te_diep_genest(tmp_path, inhoud):
    pad = schrijf(tmp_path, inhoud)
    start = time.perf_counter()
    bericht = fout_bij(pad)
    assert time.perf_counter() - start < 10.0  # a guard against a hang, not a speed target
    assert_bericht(bericht, pad, regel=None)
    assert "niveaus" in bericht


def test_diepte_via_aliassen(tmp_path):
    regels = ["a0: &a0 [1]"]
    for i in range(1, 80):
        regels.append(f"a{i}: &a{i} [*a{i - 1}]")
    pad = schrijf(tmp_path, "\n".join(regels) + "\n")
    assert "niveaus" in fout_bij(pad)


def test_te_groot_bestand(tmp_path):
    pad = schrijf(tmp_path, "a: " + "x" * MAX_BYTES + "\n")
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad)
    assert "MB" in bericht


def test_te_veel_waarden_zonder_aliassen(tmp_path):
    pad = schrijf(tmp_path, "a: [" + "1," * (loader_module.MAX_WAARDEN + 10) + "]\n")
    assert_bericht(fout_bij(pad), pad, regel=1)


# --------------------------------------------------------------------------------------
# extends: regio files, chains, provenance
# --------------------------------------------------------------------------------------


def test_extends_samenvoegen_en_herkomst():
    gemeente = FIX / "gemeente_regio.yaml"
    regio = FIX / "regio" / "hbel.yaml"
    basis = FIX / "regio" / "basis.yaml"
    c = load_choices(gemeente)
    assert "extends" not in c.data
    assert c.files == [gemeente, regio, basis]
    # mappings merged recursively, the gemeente wins
    assert c.data["gemeente"] == {
        "afdeling": "Team Werk",
        "college": "burgemeester en wethouders",
        "naam": "Teststad",
    }
    assert c.data["pvt"] == {"uitvoering": "regionaal", "uren": 16}
    # lists replaced whole
    assert c.data["visie"]["doelen"] == ["eigen doel"]
    # inherited from the regio, and from the regio's own basis (chain)
    assert c.data["leerroutes"] == {"inkoop": "regionaal", "regio": "Regio HBEL"}
    assert c.data["handhaving"] == {"boete_brede_intake": 250, "hoor_en_wederhoor": True}

    # provenance: inherited -> regio file and its line; overridden -> gemeente file
    assert c.mark("pvt.uitvoering") == Mark(regio, 10, 3)
    assert c.herkomst("pvt.uitvoering") == regio
    assert c.mark("pvt.uren") == Mark(gemeente, 7, 3)
    assert c.herkomst("pvt.uren") == gemeente
    assert c.mark("leerroutes.regio").file == regio and c.mark("leerroutes.regio").line == 8
    assert c.mark("handhaving.boete_brede_intake") == Mark(basis, 5, 3)
    assert c.mark("gemeente.college").file == regio
    assert c.mark("gemeente.afdeling").file == gemeente  # overrides regio and basis
    assert c.mark("visie.doelen[0]") == Mark(gemeente, 10, 7)
    assert c.mark("visie.doelen[1]") is None  # the regio's longer list is replaced whole
    assert c.mark("gemeente").file == gemeente
    assert c.mark_of_nearest("leerroutes.ontbreekt") == Mark(regio, 6, 1)
    assert c.raw("pvt.uren") == "16"


def test_regio_zelf_laden():
    c = load_choices(FIX / "regio" / "hbel.yaml")
    assert c.files == [FIX / "regio" / "hbel.yaml", FIX / "regio" / "basis.yaml"]
    assert c.data["gemeente"]["afdeling"] == "Team Regio"


@pytest.mark.parametrize("bestand, keten", [
    ("kring_a.yaml", ["kring_a.yaml", "kring_b.yaml", "kring_a.yaml"]),
    ("zelf.yaml", ["zelf.yaml", "zelf.yaml"]),
])
def test_extends_kring(bestand, keten):
    bericht = fout_bij(FIX / bestand)
    assert_bericht(bericht, FIX / keten[-2], regel=None)
    assert " → ".join(str(FIX / k) for k in keten) in bericht
    assert "kring" in bericht


def test_extends_ontbrekend_regiobestand():
    pad = FIX / "extends_ontbreekt.yaml"
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad, regel=3, sleutel="extends")
    assert "regio/bestaat_niet.yaml" in bericht
    assert f"{pad} → {FIX / 'regio' / 'bestaat_niet.yaml'}" in bericht


def test_extends_geen_tekst():
    pad = FIX / "extends_lijst.yaml"
    bericht = fout_bij(pad)
    assert_bericht(bericht, pad, regel=1, sleutel="extends")
    assert "een lijst" in bericht


@pytest.mark.parametrize("waarde", ["12", "null", "''", "{a: b}"])
def test_extends_ongeldige_waarden(tmp_path, waarde):
    pad = schrijf(tmp_path, f"extends: {waarde}\ngemeente:\n  naam: X\n")
    assert_bericht(fout_bij(pad), pad, regel=1, sleutel="extends")


def test_extends_naar_map(tmp_path):
    (tmp_path / "regio").mkdir()
    pad = schrijf(tmp_path, "extends: regio\n")
    assert_bericht(fout_bij(pad), pad, regel=1, sleutel="extends")


def test_fout_in_regiobestand_noemt_regiobestand(tmp_path):
    (tmp_path / "regio.yaml").write_text("a: 1\na: 2\n", encoding="utf-8")
    pad = schrijf(tmp_path, "extends: regio.yaml\nb: 1\n")
    assert_bericht(fout_bij(pad), tmp_path / "regio.yaml", regel=2, sleutel="a")


def test_extends_alleen_op_hoogste_niveau(tmp_path):
    pad = schrijf(tmp_path, "gemeente:\n  extends: niets.yaml\n")
    assert load_choices(pad).data == {"gemeente": {"extends": "niets.yaml"}}


def test_hbel_voorbeelden_laden():
    for pad in sorted((ROOT / "choices").rglob("*.yaml")):
        c = load_choices(pad)
        for keypath in c.keypaths():
            mark = c.mark(keypath)
            assert mark.file in c.files and mark.line >= 1


# --------------------------------------------------------------------------------------
# Robustness (hypothesis)
# --------------------------------------------------------------------------------------

ROBUUST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

yaml_achtig = st.text(
    alphabet=st.sampled_from(list("ab:- \n\t#&*!|>'\"[]{},.?%@`~0123456789eé\\<")) | st.characters(codec="utf-8"),
    max_size=200,
)


@pytest.mark.parametrize("parser", ["libyaml", "python"])
@ROBUUST
@given(tekst=yaml_achtig)
def test_willekeurige_tekst_laadt_of_geeft_inputerror(tmp_path, monkeypatch, parser, tekst):
    if parser == "python":
        monkeypatch.setattr(loader_module, "_LOADER", yaml.SafeLoader)
    pad = tmp_path / "h.yaml"
    pad.write_text(tekst, encoding="utf-8")
    try:
        c = load_choices(pad)
    except InputError as e:
        assert str(e).startswith(str(pad))
    else:
        assert isinstance(c.data, dict)
        for keypath in c.keypaths():
            c.mark(keypath)


@ROBUUST
@given(inhoud=st.binary(max_size=200))
def test_willekeurige_bytes_laden_of_geven_inputerror(tmp_path, inhoud):
    pad = tmp_path / "b.yaml"
    pad.write_bytes(inhoud)
    try:
        load_choices(pad)
    except InputError as e:
        assert str(e).startswith(str(pad))  # the message names the file


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
)
waarden = st.recursive(
    scalars,
    lambda kind: st.lists(kind, max_size=4) | st.dictionaries(st.text(max_size=8), kind, max_size=4),
    max_leaves=15,
)
documenten = st.dictionaries(st.text(max_size=8).filter(lambda s: s != "extends"), waarden, max_size=5)


@ROBUUST
@given(data=documenten, unicode=st.booleans(), flow=st.sampled_from([None, False, True]))
def test_rondgang_safe_dump(tmp_path, data, unicode, flow):
    pad = tmp_path / "r.yaml"
    tekst = yaml.safe_dump(data, allow_unicode=unicode, default_flow_style=flow)
    pad.write_text(tekst, encoding="utf-8")
    c = load_choices(pad)
    # PyYAML itself does not round-trip a few exotic characters (e.g. U+0085 in a key with
    # allow_unicode): the loader must then agree with yaml.safe_load, else with the data.
    assert c.data == yaml.safe_load(tekst)
    if unicode is False:
        assert c.data == data
    for keypath in c.keypaths():
        assert c.mark(keypath) is not None


# --------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("bestand, regel", [("syntaxfout.yaml", 3), ("dubbele_sleutel.yaml", 4), ("alias_bom.yaml", None)])
def test_cli_validate_slecht_yaml(bestand, regel):
    pad = FIX / bestand
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env["KIT_DEBUG"] = "1"  # an internal error must show (and fail), not pass as a tidy exit 2
    proces = subprocess.run(
        [sys.executable, "-m", "kit", "validate", str(pad)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
    )
    uitvoer = proces.stdout + proces.stderr
    assert proces.returncode == 2, uitvoer
    assert "Traceback" not in uitvoer
    assert str(pad) in uitvoer
    if regel is not None:
        assert f"{pad}:{regel}:" in uitvoer
