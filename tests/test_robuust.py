"""No internal error, no hang, no English, no raw control character (issue 14).

Every item runs the CLI with ``KIT_DEBUG=1``: an internal error raises here instead of
passing as a one-line message. Each asserts the exit code, a Dutch message that names the
file (and line, key or template), and that nothing was written. Inputs that could hang
(a FIFO, a device) run in a subprocess with a timeout; the rest in-process (fast).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
VOORBEELD = ROOT / "choices" / "voorbeeld.yaml"
HBEL = ROOT / "choices" / "hbel"
HUISSTIJL = ROOT / "templates" / "huisstijl.docx"

#: English words of YAML, Jinja, zip, XML and OS messages (none is a Dutch word)
ENGELS = re.compile(
    r"\b(the|found|expected|error|line|column|while|could|cannot|invalid|unexpected|undefined|attribute|"
    r"file|directory|permission|denied|such|exceeded|nesting|depth|division|zero|traceback|errno|object|"
    r"too|loop|symbolic|encountered|unknown|got|end of|template|has no|no such|not a|is not)\b",
    re.IGNORECASE,
)
STUURTEKEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass
class Uitkomst:
    code: int
    out: str
    err: str

    @property
    def tekst(self) -> str:
        return self.out + self.err


@pytest.fixture
def kit(monkeypatch, capsys):
    """Run ``kit ARGS`` in-process with KIT_DEBUG=1 (an internal error raises)."""
    from kit.cli import main

    def voer_uit(*args: str | Path, cwd: Path | None = None) -> Uitkomst:
        monkeypatch.setenv("KIT_DEBUG", "1")
        if cwd is not None:
            monkeypatch.chdir(cwd)
        monkeypatch.setattr(sys, "argv", ["kit", *map(str, args)])
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
        uit = capsys.readouterr()
        return Uitkomst(code, uit.out, uit.err)

    return voer_uit


def kit_proces(*args: str | Path, cwd: Path, timeout: float = 60) -> Uitkomst:
    """``kit ARGS`` in a subprocess (for inputs that hung): a hang fails as a timeout."""
    r = subprocess.run([sys.executable, "-m", "kit", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                       timeout=timeout, env={**os.environ, "KIT_DEBUG": "1"})
    assert "Traceback" not in r.stderr, r.stderr
    return Uitkomst(r.returncode, r.stdout, r.stderr)


def nederlands(tekst: str, *paden: Path | str) -> None:
    """No English word (paths taken out: a temp folder's name is not a message)."""
    for pad in sorted(map(str, paden), key=len, reverse=True):
        tekst = tekst.replace(pad, "PAD")
    tekst = re.sub(r"/\S+", "PAD", tekst)  # any other path
    assert not ENGELS.search(tekst), tekst
    assert "Interne fout" not in tekst, tekst


def keuzebestand(map_: Path, wijzig=None, naam: str = "keuzes.yaml", voor: str = "") -> Path:
    data = yaml.safe_load(VOORBEELD.read_text(encoding="utf-8"))
    if wijzig is not None:
        wijzig(data)
    pad = map_ / naam
    pad.write_text(voor + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return pad


def zet(data: dict, keypath: str, waarde) -> None:
    delen = keypath.split(".")
    for deel in delen[:-1]:
        data = data.setdefault(deel, {})
    data[delen[-1]] = waarde


def niets_geschreven(map_: Path) -> None:
    assert not map_.exists() or not any(map_.rglob("*")), sorted(map_.rglob("*"))


# ===================================================================================== numbers

GETALSLEUTELS = [
    "financien.prognose.statushouders_per_jaar", "financien.eigen_middelen", "financien.kosten_per_inburgeraar.map",
    "maatschappelijke_begeleiding.duur_maanden", "verordening.evaluatie_jaren", "organisatie.regie.caseload",
]
GETALLEN = [float("nan"), float("inf"), float("-inf"), 1e308, 10**28, 2**63, 10**20]


@pytest.mark.parametrize("waarde", GETALLEN, ids=repr)
@pytest.mark.parametrize("sleutel", GETALSLEUTELS)
def test_getal_dat_render_liet_crashen_wordt_geweigerd(kit, tmp_path, sleutel, waarde):
    pad = keuzebestand(tmp_path, lambda d: zet(d, sleutel, waarde))
    r = kit("render", pad, "-o", tmp_path / "uit", "--no-pdf")
    assert r.code == 1, r.tekst
    regel = next(x for x in r.err.splitlines() if f": fout: {sleutel}:" in x)
    assert regel.startswith(f"{pad}:")
    nederlands(r.err, tmp_path)
    niets_geschreven(tmp_path / "uit")


@pytest.mark.parametrize("wijzig, sleutel, woord", [
    (lambda d: d["financien"].setdefault("prognose", {}).update(statushouders_per_jaar=10, volwassenen=50),
     "financien.prognose.volwassenen", "groter dan het aantal statushouders"),
    (lambda d: zet(d, "verordening.inwerkingtreding", "9999-12-31"), "verordening.inwerkingtreding", "2100-12-31"),
    (lambda d: zet(d, "versie.datum", "1900-01-01"), "versie.datum", "2000-01-01"),
    (lambda d: zet(d, "planning.raad", ["2021-03-01", "9999-01-01"]), "planning.raad[1]", "2100-12-31"),
    (lambda d: zet(d, "verordening.evaluatie_jaren", 10**20), "verordening.evaluatie_jaren", "ten hoogste 10"),
    (lambda d: zet(d, "gemeente.naam", "㎒" * 60), "gemeente.naam", "mapnaam"),
    (lambda d: zet(d, "gemeente.naam", "x" * 300), "gemeente.naam", "ten hoogste 100 tekens"),
], ids=["volwassenen", "inwerkingtreding-9999", "datum-1900", "raad-9999", "evaluatie-1e20", "naam-slug", "naam-lang"])
def test_regels_tussen_velden_en_grenzen(kit, tmp_path, wijzig, sleutel, woord):
    pad = keuzebestand(tmp_path, wijzig)
    r = kit("render", pad, "-o", tmp_path / "uit", "--no-pdf")
    assert r.code == 1, r.tekst
    assert any(f": fout: {sleutel}:" in x and woord in x for x in r.err.splitlines()), r.err
    nederlands(r.err, tmp_path)
    niets_geschreven(tmp_path / "uit")


def _numerieke_sleutels():
    from kit.schema import deelschema, iter_keys

    for sleutel in iter_keys():
        sub = deelschema(sleutel) or {}
        typen = sub.get("type") if isinstance(sub.get("type"), list) else [sub.get("type")]
        if sub.get("type") == "array":
            sub = sub.get("items") or {}
            typen = [sub.get("type")]
        yield sleutel, sub, typen


def test_elk_getal_en_elke_datum_in_het_schema_is_begrensd():
    """A bound for every number (``maximum``, or a law figure that caps it) and every date."""
    from kit.minima import wettabel

    soorten = {naam: f.soort for naam, f in wettabel().nieuwste().items()} if hasattr(
        next(iter(wettabel().nieuwste().values())), "soort") else {}
    zonder = []
    for sleutel, sub, typen in _numerieke_sleutels():
        if "integer" in typen or "number" in typen:
            wettelijk = sub.get("x-wettelijk")
            begrensd_door_wet = wettelijk and (soorten.get(wettelijk, "maximum") in ("maximum", "vast"))
            if "minimum" not in sub or ("maximum" not in sub and not begrensd_door_wet):
                zonder.append(sleutel)
        if sub.get("format") == "date" and not ("formatMinimum" in sub and "formatMaximum" in sub):
            zonder.append(sleutel)
    assert not zonder, f"zonder grens: {zonder}"


def test_alle_getallen_op_hun_maximum_renderen(tmp_path):
    """The bounds themselves are sane: every number at its maximum still makes the documents."""
    from kit.loader import load_choices
    from kit.render import DOCUMENTEN, renderer
    from kit.validate import validate

    def wijzig(data):
        for sleutel, sub, typen in _numerieke_sleutels():
            if ("integer" in typen or "number" in typen) and "maximum" in sub and "x-wettelijk" not in sub \
                    and not sleutel.startswith("planning.") and sleutel != "financien.jaar":
                zet(data, sleutel, sub["maximum"])
        zet(data, "financien.prognose.volwassenen", None)

    choices = load_choices(keuzebestand(tmp_path, wijzig))
    assert not [f.als_tekst() for f in validate(choices) if f.is_fout]
    documenten, _, _ = renderer().documenten(choices, DOCUMENTEN)
    assert set(documenten) == set(DOCUMENTEN)


# ===================================================================================== paths

def test_keuzebestand_fifo_en_apparaat_hangen_niet(tmp_path):
    os.mkfifo(tmp_path / "k.yaml")
    for pad in (tmp_path / "k.yaml", Path("/dev/zero")):
        r = kit_proces("validate", pad, cwd=tmp_path, timeout=60)
        assert r.code == 2
        assert f"{pad}: fout: dit is geen gewoon bestand" in r.tekst
        nederlands(r.tekst, tmp_path)


def test_fifo_als_regiobestand_huisstijl_en_sjabloon(tmp_path):
    os.mkfifo(tmp_path / "r.yaml")
    os.mkfifo(tmp_path / "h.docx")
    (tmp_path / "tk" / "verordening").mkdir(parents=True)
    os.mkfifo(tmp_path / "tk" / "verordening" / "aanhef.md.j2")
    gevallen = [
        (keuzebestand(tmp_path, naam="a.yaml", voor="extends: r.yaml\n"), "r.yaml: fout: dit is geen gewoon bestand"),
        (keuzebestand(tmp_path, lambda d: zet(d, "gemeente.huisstijl", "h.docx"), naam="b.yaml"), "pijp (FIFO)"),
        (keuzebestand(tmp_path, lambda d: zet(d, "gemeente.teksten", "tk"), naam="c.yaml"), "aanhef.md.j2 kan niet"),
    ]
    for pad, verwacht in gevallen:
        r = kit_proces("render", pad, "-o", tmp_path / "uit", "--no-pdf", cwd=tmp_path, timeout=60)
        assert r.code == 2, r.tekst
        assert verwacht in r.err
        nederlands(r.err, tmp_path)
    niets_geschreven(tmp_path / "uit")


def test_fifo_naast_een_regiobestand_wordt_overgeslagen(tmp_path):
    """The regio prognosis scans the sibling files of the regio file: a FIFO there must not hang."""
    shutil.copytree(HBEL, tmp_path / "hbel")
    os.mkfifo(tmp_path / "hbel" / "zz.yaml")
    os.mkfifo(tmp_path / "hbel" / "aa.yaml")
    r = kit_proces("render", tmp_path / "hbel" / "huizen.yaml", "-o", tmp_path / "uit", "--no-pdf", "--only",
                   "startnotitie", cwd=tmp_path, timeout=120)
    assert r.code == 0, r.tekst
    assert (tmp_path / "uit" / "huizen" / "startnotitie.docx").is_file()


@pytest.mark.parametrize("doel", ["/etc/passwd", "../../../../../../etc/passwd", "../buiten.yaml", "link.yaml"])
def test_extends_leest_niets_buiten_de_map(kit, tmp_path, doel):
    (tmp_path / "buiten.yaml").write_text("gemeente:\n  naam: Geheim\n", encoding="utf-8")
    map_ = tmp_path / "gemeente"
    map_.mkdir()
    (map_ / "link.yaml").symlink_to(tmp_path / "buiten.yaml")
    pad = keuzebestand(map_, voor=f"extends: {doel}\n")
    r = kit("validate", pad)
    assert r.code == 2
    assert f"{pad}:1: fout: extends: '{doel}' ligt buiten de map van het keuzebestand" in r.tekst
    assert "root:" not in r.tekst and "Geheim" not in r.tekst
    nederlands(r.tekst, tmp_path)


def test_extends_in_een_submap_mag(kit, tmp_path):
    (tmp_path / "regio").mkdir()
    shutil.copy(HBEL / "regio.yaml", tmp_path / "regio" / "hbel.yaml")
    data = yaml.safe_load((HBEL / "huizen.yaml").read_text(encoding="utf-8"))
    data["extends"] = "regio/hbel.yaml"
    (tmp_path / "huizen.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    r = kit("validate", tmp_path / "huizen.yaml")
    assert r.code == 0, r.tekst


def _lus(map_: Path, naam: str = "lus") -> str:
    (map_ / f"{naam}1").symlink_to(map_ / f"{naam}2")
    (map_ / f"{naam}2").symlink_to(map_ / f"{naam}1")
    return f"{naam}1"


@pytest.mark.parametrize("geval", ["nul", "lus", "lang", "segmenten"])
@pytest.mark.parametrize("soort", ["keuzebestand", "extends", "huisstijl", "teksten"])
def test_paden_met_nul_lus_of_te_lange_naam(kit, tmp_path, soort, geval):
    if soort == "keuzebestand" and geval == "nul":
        pytest.skip("a command line cannot hold a NUL byte (execve); the loader refuses it all the same")
    naam = {"nul": "a\x00b", "lus": _lus(tmp_path), "lang": "a" * 300 + ".yaml",
            "segmenten": "/".join(["b" * 200] * 30) + ".yaml"}[geval]
    if soort == "keuzebestand":
        r = kit("validate", tmp_path / naam)
    elif soort == "extends":
        r = kit("validate", keuzebestand(tmp_path, voor=f"extends: {yaml.safe_dump(naam).splitlines()[0]}\n"))
    else:
        pad = keuzebestand(tmp_path, lambda d: zet(d, f"gemeente.{soort}", naam))
        r = kit("render", pad, "-o", tmp_path / "uit", "--no-pdf")
    assert r.code == 2, r.tekst
    assert re.search(r": fout: |(kan|kunnen) niet worden gelezen|bestaat niet", r.tekst), r.tekst
    assert "\x00" not in r.tekst
    nederlands(r.tekst, tmp_path)
    niets_geschreven(tmp_path / "uit")


def test_nul_in_de_naam_van_het_keuzebestand():
    from kit.errors import InputError
    from kit.loader import load_choices

    with pytest.raises(InputError) as e:
        load_choices("a\x00b.yaml")
    assert "NUL-teken" in str(e.value) and "\x00" not in str(e.value)


def test_symlink_in_eigen_teksten_naar_buiten_wordt_geweigerd(kit, tmp_path):
    geheim = tmp_path / "geheim.txt"
    geheim.write_text("@sectie aanhef | Aanhef\nGEHEIME INHOUD\n", encoding="utf-8")
    map_ = tmp_path / "tk" / "verordening"
    map_.mkdir(parents=True)
    (map_ / "aanhef.md.j2").symlink_to(geheim)
    pad = keuzebestand(tmp_path, lambda d: zet(d, "gemeente.teksten", "tk"))
    r = kit("render", pad, "-o", tmp_path / "uit", "--no-pdf")
    assert r.code == 2, r.tekst
    assert "buiten de map met eigen teksten" in r.err and "GEHEIME" not in r.tekst
    niets_geschreven(tmp_path / "uit")


def test_symlink_binnen_eigen_teksten_mag(kit, tmp_path):
    map_ = tmp_path / "tk" / "verordening"
    map_.mkdir(parents=True)
    (map_ / "mijn-aanhef.j2").write_text("@sectie aanhef | Aanhef\nEIGEN AANHEF {{ gemeente.naam }}\n", encoding="utf-8")
    (map_ / "aanhef.md.j2").symlink_to(map_ / "mijn-aanhef.j2")
    pad = keuzebestand(tmp_path, lambda d: zet(d, "gemeente.teksten", "tk"))
    r = kit("render", pad, "-o", tmp_path / "uit", "--no-pdf", "--only", "verordening")
    assert r.code == 0, r.tekst
    from docx import Document

    tekst = "\n".join(p.text for p in Document(tmp_path / "uit" / "heuvelrode" / "verordening.docx").paragraphs)
    assert "EIGEN AANHEF Heuvelrode" in tekst


def test_init_regio_fifo_en_buiten_de_map(tmp_path):
    os.mkfifo(tmp_path / "r.yaml")
    r = kit_proces("init", "Naarden", "--regio", tmp_path / "r.yaml", "-o", tmp_path / "n.yaml", cwd=tmp_path)
    assert r.code == 2 and "geen gewoon bestand" in r.err
    (tmp_path / "sub").mkdir()
    r = kit_proces("init", "Naarden", "--regio", HBEL / "regio.yaml", "-o", tmp_path / "sub" / "n.yaml", cwd=tmp_path)
    assert r.code == 1 and "staat niet in de map van het nieuwe keuzebestand" in r.err, r.err
    assert not (tmp_path / "n.yaml").exists() and not (tmp_path / "sub" / "n.yaml").exists()


# ===================================================================================== templates

SJABLOONFOUTEN = {
    "typfout-onderdeel": ("{{ gemeente.nam }}", "geen onderdeel 'nam'"),
    "typfout-naam": ("{{ gemeent.naam }}", "de naam 'gemeent' bestaat niet"),
    "een-letter": ("{{ x }}", "de naam 'x' bestaat niet"),
    "label": ("{{ label('bestaat.niet') }}", "kent geen sleutel 'bestaat.niet'"),
    "deling-door-nul": ("{{ 1 / 0 }}", "door nul gedeeld"),
    "modulo-nul": ("{{ 1 % 0 }}", "door nul gedeeld"),
    "datum-tekst": ("{{ 'abc'|datum }}", "filter datum"),
    "datum-getal": ("{{ 5|datum }}", "filter datum"),
    "euro-tekst": ("{{ 'abc'|euro }}", "filter euro"),
    "euro-oneindig": ("{{ (1e308 * 10)|euro }}", "filter euro"),
    "euro-groot": ("{{ (10**30)|euro }}", "te groot"),
    "recursieve-include": ("{% include 'verordening/aanhef.md.j2' %}", "roept zichzelf aan"),
    "recursieve-macro": ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "roept zichzelf aan"),
    "groot-getal": ("{{ 10**5000 }}", "te groot"),
    "macht": ("{{ 2 ** 100000 }}", "te groot"),
    "range": ("{% for i in range(10**9) %}{% endfor %}", "100.000"),
    "geneste-lussen": ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}", "stappen"),
    "tekst-maal": ("{{ 'x' * 10**9 }}", "tekens"),
    "center": ("{{ 'x'|center(10**9) }}", "tekens"),
    "ljust": ("{{ 'x'.ljust(10**9) }}", "tekens"),
    "format": ("{{ '%999999999d' % 1 }}", "tekens"),
    "format-methode": ("{{ '{:999999999}'.format(1) }}", "tekens"),
    "syntax-if": ("{% if %}", "ontbreekt een waarde"),
    "syntax-haakje": ("{{ }", "onverwacht"),
    "onbekende-opdracht": ("{% foo %}", "{% foo %} bestaat niet"),
    "onbekend-filter": ("{{ 1|datumm }}", "filter 'datumm' bestaat niet"),
    "niet-afgesloten": ("{% if true %}", "afsluiting"),
    "sandbox": ("{{ ''.__class__ }}", "afgeschermd"),
    "aanroep": ("{{ gemeente() }}", "deze soort waarden"),
    "include-ontbreekt": ("{% include 'bestaat/niet.j2' %}", "bestaat/niet.j2"),
    "verdubbelen-met-tilde": ("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
                              "{% endfor %}{{ ns.s|length }}", "tekens"),
    "lijst-verdubbelen": ("{% set x = [1] %}{% for i in range(40) %}{% set _ = x.extend(x) %}{% endfor %}", "elementen"),
    "replace-bom": ("{{ ('x' * 999999)|replace('x', 'y' * 999999) }}", "geheugen"),
    "join-bom": ("{{ (['y' * 999999] * 999)|join }}", "geheugen"),
    "lipsum": ("{{ lipsum(10**6) }}", "de naam 'lipsum' bestaat niet"),
}


@pytest.mark.parametrize("naam", list(SJABLOONFOUTEN))
def test_eigen_sjabloon_fout_is_een_nederlands_bericht(kit, tmp_path, naam):
    code, verwacht = SJABLOONFOUTEN[naam]
    if verwacht == "geheugen" and not Path("/proc/self/statm").is_file():
        pytest.skip("the memory budget of a render uses RLIMIT_AS and /proc (Linux)")
    teksten = tmp_path / "teksten.yaml"
    teksten.write_text(yaml.safe_dump({"verordening/aanhef.md.j2": f"@sectie aanhef | Aanhef\n{code}\n"}),
                       encoding="utf-8")
    pad = keuzebestand(tmp_path, lambda d: zet(d, "gemeente.teksten", "teksten.yaml"))
    r = kit("render", pad, "-o", tmp_path / "uit", "--no-pdf", "--only", "verordening")
    assert r.code == 2, r.tekst
    assert r.err.startswith(f"Sjabloon {teksten} (sjabloon verordening/aanhef.md.j2), regel 2: "), r.err
    assert verwacht in r.err, r.err
    nederlands(r.err, tmp_path)
    niets_geschreven(tmp_path / "uit")


def test_sjabloonbudget_telt_stappen_niet_seconden(monkeypatch):
    """The loop budget is a count (deterministic); the time budget only a backstop."""
    import kit.templating as t

    monkeypatch.setattr(t, "MAX_STAPPEN", 5000)
    env = t.maak_omgeving([ROOT / "templates"])
    sjabloon = env.from_string("{% for i in range(100) %}{% for j in range(100) %}.{% endfor %}{% endfor %}")
    with pytest.raises(t.InputError) as e:
        t.render_veilig(sjabloon, {})
    assert "5.000 stappen" in str(e.value)
    assert t.render_veilig(env.from_string("{% for i in range(40) %}{% for j in range(100) %}{% endfor %}{% endfor %}ok"),
                           {}) == "ok"


# ===================================================================================== huisstijl

def _huisstijl(pad: Path, wijzig) -> Path:
    with zipfile.ZipFile(HUISSTIJL) as z:
        delen = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    delen = wijzig(delen)
    with zipfile.ZipFile(pad, "w", zipfile.ZIP_DEFLATED) as z:
        for naam, data in delen:
            z.writestr(naam, data)
    return pad


def _in_document(extra: bytes):
    return lambda delen: [(n, d.replace(b"</w:body>", b"<w:p><w:r><w:t>" + extra + b"</w:t></w:r></w:p></w:body>")
                           if n == "word/document.xml" else d) for n, d in delen]


HUISSTIJLFOUTEN = {
    "typfout": (_in_document(b"{{ meta.gemeent }}"), "geen onderdeel 'gemeent'"),
    "deling-door-nul": (_in_document(b"{{ 1 / 0 }}"), "door nul gedeeld"),
    "lussen": (_in_document(b"{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"), "stappen"),
    "syntax": (_in_document(b"{% if %}"), "ontbreekt een waarde"),
    "niet-utf8": (lambda delen: [(n, d.replace(b"<w:styles", b'<w:styles a="\xff"', 1) if n == "word/styles.xml" else d)
                                 for n, d in delen], "word/styles.xml is geen UTF-8"),
    "geen-content-types": (lambda delen: [(n, d) for n, d in delen if n != "[Content_Types].xml"], "[Content_Types].xml"),
    "bladwijzer": (lambda delen: [(n, d.replace(b"</w:body>", b'<w:p><w:bookmarkStart w:id="' + b"9" * 5000
                                                + b'" w:name="x"/></w:p></w:body>') if n == "word/document.xml" else d)
                                  for n, d in delen], "bladwijzer"),
    "zipbom": (lambda delen: delen + [("word/media/bom.png", b"\0" * (30 * 1024 * 1024))], "groter is dan 25 MB"),
    "doctype": (lambda delen: [(n, d.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "b">]>', 1) if n == "word/document.xml"
                                else d) for n, d in delen], "DOCTYPE"),
    "kapotte-xml": (lambda delen: [(n, d.replace(b"</w:body>", b"<w:p></w:body>") if n == "word/document.xml" else d)
                                   for n, d in delen], "geen geldige XML"),
    "geen-zip": (None, "geen Word-document"),
}


@pytest.mark.parametrize("naam", list(HUISSTIJLFOUTEN))
def test_kapotte_huisstijl_wordt_geweigerd(kit, tmp_path, naam):
    wijzig, verwacht = HUISSTIJLFOUTEN[naam]
    stijl = tmp_path / "stijl.docx"
    if wijzig is None:
        stijl.write_bytes(b"PK\x03\x04kapot")
    else:
        _huisstijl(stijl, wijzig)
    pad = keuzebestand(tmp_path, lambda d: zet(d, "gemeente.huisstijl", "stijl.docx"))
    r = kit("render", pad, "-o", tmp_path / "uit", "--no-pdf", "--only", "verordening")
    assert r.code == 2, r.tekst
    assert f"De huisstijl {stijl}" in r.err and verwacht in r.err, r.err
    nederlands(r.err, tmp_path)
    niets_geschreven(tmp_path / "uit")


def test_uitvoerbudget_van_de_huisstijl_telt_het_document_niet_mee(tmp_path, monkeypatch):
    """The huisstijl's output budget is for what its own template makes; a long document (many
    open points: the kit's body, linear in the choices) did not render ("De huisstijl … kan niet
    worden gebruikt … meer dan 20.000.000 tekens"). A huisstijl that makes too much itself still
    stops."""
    import kit.templating as t
    from kit.docx_writer import Huisstijl
    from kit.loader import load_choices
    from kit.render import Renderer

    # the verordening's markup is ~32.000 characters, its body XML (with the annex) over 50.000
    monkeypatch.setattr(t, "MAX_UITVOER", 45_000)
    uit, _, _ = Renderer().documenten(load_choices(VOORBEELD), ["verordening"])
    assert uit["verordening"].startswith(b"PK")

    stijl = _huisstijl(tmp_path / "stijl.docx", _in_document(b"{{ 'x' * 60000 }}"))
    pad = keuzebestand(tmp_path, lambda d: zet(d, "gemeente.huisstijl", "stijl.docx"))
    with pytest.raises(t.InputError) as e:
        Renderer().documenten(load_choices(pad), ["verordening"])
    assert f"De huisstijl {stijl}" in str(e.value) and "45.000 tekens" in str(e.value)
    assert type(Huisstijl(stijl).env).__name__ == "_VeiligeStijl"


# ===================================================================================== kit init

@pytest.mark.parametrize("naam", ["Hee\x1b]0;titel\x07rlen", "A\x01B", "A\x7fB", "A\x85B", "A\x9bB", "A\u202eB",
                                  "A\ud800B", "A\x00B", "A\x0bB", "A\tB", "Súdwest-Fryslân"],
                         ids=["osc", "soh", "del", "nel", "csi", "rlo", "surrogaat", "nul", "vt", "tab", "fries"])
def test_init_schrijft_alleen_wat_de_kit_zelf_leest(kit, tmp_path, naam):
    from kit.loader import load_choices

    doel = tmp_path / "nieuw.yaml"
    r = kit("init", naam, "-o", doel)
    if r.code == 0:
        c = load_choices(doel)
        assert not STUURTEKEN.search(c.get("gemeente.naam")), repr(c.get("gemeente.naam"))
        assert kit("validate", doel).code == 0
    else:
        assert r.code == 2, r.tekst
        assert "stuurteken" in r.err and not STUURTEKEN.search(r.err.replace("\n", "")), repr(r.err)
        assert not doel.exists()


# ===================================================================================== escaping

OSC = "\x1b]0;gehackt\x07\x1b[31m"


def test_stuurtekens_uit_het_keuzebestand_bereiken_de_terminal_niet(kit, tmp_path):
    pad = keuzebestand(tmp_path, lambda d: (d.__setitem__(OSC + "sleutel", 1), zet(d, "versie.status", OSC + "\x9b2J")))
    for args in (("validate", pad), ("validate", "--format", "json", pad), ("render", pad, "-o", tmp_path / "uit")):
        r = kit(*args)
        assert r.code == 1, r.tekst
        assert not STUURTEKEN.search(r.tekst.replace("\n", "")), repr(r.tekst)
        assert "\\x1b]0;gehackt" in r.tekst
    dubbel = tmp_path / "dubbel.yaml"
    dubbel.write_text(f'"{OSC}a": 1\n"{OSC}a": 2\n'.replace("\x1b", "\\e").replace("\x07", "\\a"), encoding="utf-8")
    r = kit("validate", dubbel)
    assert r.code == 2 and "\\x1b" in r.tekst and not STUURTEKEN.search(r.tekst.replace("\n", ""))


def test_toon_is_een_functie_voor_elk_bericht():
    from kit.berichten import bericht, toon

    assert toon("a\x1b[31mb\u202ec\nd\te") == "a\\x1b[31mb\\u202ec\nd\te"
    assert toon(toon("\x1b")) == "\\x1b"
    assert "\\x1b" in bericht("loader.niet_gevonden", bestand="x\x1by")


# ===================================================================================== English

@pytest.mark.parametrize("melding", [
    "while increasing flow level exceeded maximum nesting depth",   # PyYAML 6.0.4 / libyaml 0.2.6
    "exceeded max depth of 1000",                                   # an older libyaml
    "while parsing a flow node expected the node content, but found '<stream end>'",
    "something entirely new that no version has said before",
])
def test_yaml_melding_wordt_nederlands_welke_woorden_ook(melding):
    from kit.loader import _syntax_uitleg

    uitleg = _syntax_uitleg(melding)
    nederlands(uitleg)
    if "depth" in melding:
        assert "niveaus" in uitleg


@pytest.mark.parametrize("inhoud", [
    "a: [1, 2\n", "a: {b: 1\n", "a: 'open\n", 'a: "\\q"\n', "a:\n\t- 1\n", "a: b: c\n", "- a\nb: 1\n", "a: @x\n",
    "a: &x 1\nb: *y\n", "a: !!python/object 1\n", "%YAML 9.9\n---\na: 1\n", "a: 1\n...\nb: 2\n", "? [a]\n: 1\n",
    "a: " + "[" * 2000 + "]" * 2000 + "\n", "a:\n  - b\n c: 1\n", "\ufeff\ufeffa: 1\n", "a: |\n x\n  y\n z: 1\n",
])
def test_elke_yaml_fout_is_nederlands(kit, tmp_path, inhoud):
    pad = tmp_path / "k.yaml"
    pad.write_text(inhoud, encoding="utf-8")
    r = kit("validate", pad)
    assert r.code in (1, 2), r.tekst  # 1: valid YAML after all, the schema speaks
    assert f"{pad}:" in r.tekst and ": fout: " in r.tekst
    nederlands(r.tekst, tmp_path)


@pytest.mark.parametrize("nummer", [errno.ENOENT, errno.EACCES, errno.ELOOP, errno.ENAMETOOLONG, errno.ENOSPC, errno.EIO,
                                    errno.EXDEV, errno.EROFS, errno.ENOTDIR, errno.EINVAL, 9999])
def test_systeemfouten_in_het_nederlands(nummer):
    from kit.berichten import os_reden

    reden = os_reden(OSError(nummer, os.strerror(nummer)))
    assert reden and os.strerror(nummer) not in reden
    nederlands(reden)


def test_tijdbudget_breekt_een_sjabloon_af(monkeypatch):
    """The time budget (a backstop for what no counter sees) ends a render with a message."""
    import kit.templating as t

    monkeypatch.setattr(t, "MAX_SECONDEN", -1.0)  # already past: no waiting in a test
    env = t.maak_omgeving([ROOT / "templates"])
    sjabloon = env.from_string("{% for i in range(5000) %}{{ i|getal }}{% endfor %}")
    with pytest.raises(t.InputError) as e:
        t.render_veilig(sjabloon, {})
    assert "seconden" in str(e.value) and "regel 1" in str(e.value)


@pytest.mark.parametrize("soort", ["zip", "xml"])
def test_comments_zegt_zip_en_xml_fouten_in_het_nederlands(kit, tmp_path, soort):
    doc = tmp_path / "adviesraad.docx"
    if soort == "zip":
        data = HUISSTIJL.read_bytes()
        doc.write_bytes(data[: len(data) // 2])  # cut off: the central directory is gone
    else:
        _huisstijl(doc, lambda delen: [(n, b"<w:document><w:body>" if n == "word/document.xml" else d)
                                       for n, d in delen])
    r = kit("comments", doc, "-o", tmp_path / "nota.docx")
    assert r.code == 2, r.tekst
    assert str(doc) in r.err
    nederlands(r.err, tmp_path)
    assert not (tmp_path / "nota.docx").exists()
