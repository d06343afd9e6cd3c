"""The example choice files: each validates, and each carries the facts of its seed.

Lansingerland: seed 004 (raadsinformatiebrief, six themes). HBEL: seed 001 (startnotitie of
Huizen, Blaricum, Eemnes and Laren) as one regio file and four gemeente files that extend it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHOICES = ROOT / "choices"
HBEL = CHOICES / "hbel"
REGIO = HBEL / "regio.yaml"

# Bijlage 2, tabel 1 of seed 001: statushouders (incl. kinderen) and adults per gemeente.
HBEL_LEDEN = {
    "huizen": ("Huizen", 29, 20),
    "blaricum": ("Blaricum", 9, 6),
    "eemnes": ("Eemnes", 7, 4),
    "laren": ("Laren", 9, 6),
}
VOORBEELDEN = [CHOICES / "lansingerland.yaml", *(HBEL / f"{slug}.yaml" for slug in HBEL_LEDEN)]


def kit(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kit", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, timeout=120,
        env={**__import__("os").environ, "KIT_DEBUG": "1"},  # an internal error fails loudly, not as exit 2
    )


def laad(pad: Path):
    from kit.loader import load_choices

    return load_choices(pad)


@pytest.mark.parametrize("pad", VOORBEELDEN, ids=lambda p: p.relative_to(CHOICES).as_posix())
def test_voorbeeld_valideert(pad: Path):
    r = kit("validate", pad)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert ": fout:" not in r.stdout


def test_alle_voorbeelden_samen_valideren():
    """What a beleidsmedewerker types: every shipped file at once, the regio file included."""
    r = kit("validate", CHOICES / "voorbeeld.yaml", *VOORBEELDEN, REGIO)
    assert r.returncode == 0, r.stdout + r.stderr
    assert ": fout:" not in r.stdout and ": waarschuwing:" not in r.stdout, r.stdout
    assert f"{REGIO}: regiobestand" in r.stdout


def test_voorbeelden_zijn_schoon_yaml():
    for pad in [*VOORBEELDEN, REGIO]:
        data = yaml.safe_load(pad.read_text(encoding="utf-8"))
        assert isinstance(data, dict), pad


# --- HBEL: regio inheritance ----------------------------------------------------------------


def test_regio_is_geen_gemeente():
    data = yaml.safe_load(REGIO.read_text(encoding="utf-8"))
    assert "gemeente" not in data
    assert "extends" not in data
    assert data["organisatie"]["samenwerking"] == "subregionaal"
    assert data["organisatie"]["regio"]["naam"] == "HBEL"
    assert data["organisatie"]["regio"]["gemeenten"] == [naam for naam, _, _ in HBEL_LEDEN.values()]


@pytest.mark.parametrize("slug", list(HBEL_LEDEN))
def test_hbel_lid_erft_van_regio(slug: str):
    naam, statushouders, volwassenen = HBEL_LEDEN[slug]
    pad = HBEL / f"{slug}.yaml"
    assert yaml.safe_load(pad.read_text(encoding="utf-8"))["extends"] == "regio.yaml"
    c = laad(pad)
    assert [Path(f).resolve() for f in c.files] == [pad.resolve(), REGIO.resolve()]

    # inherited from the regio file, with provenance pointing there
    for sleutel in ("leerroutes.inkoop", "pip.termijn_na_intake_weken", "voortgang.gesprekken_eerste_jaar",
                    "brede_intake.gesprekken", "visie.missie", "advies.adviesraad"):
        mark = c.mark(sleutel)
        assert mark is not None, sleutel
        assert Path(mark.file).resolve() == REGIO.resolve(), sleutel
    assert c.data["leerroutes"]["inkoop"] == "regionaal"
    assert c.data["leerroutes"]["facturatie"] == "lokaal"
    assert c.data["pvt"]["uitvoering"] == "uitbesteed"          # bought locally from a provider (issue 10)
    assert c.data["organisatie"]["uitvoering"]["pvt"] == "overheidsopdracht"
    assert c.data["pip"]["termijn_na_intake_weken"] == 4
    assert c.data["voortgang"]["gesprekken_eerste_jaar"] == 2
    assert c.data["brede_intake"]["start"] == "azc"
    assert c.data["brede_intake"]["gesprekken"] == 3
    assert c.data["organisatie"]["regie"]["contactpersoon"] == "integratieconsulent"
    assert c.data["advies"]["adviesraad"] == "Adviesraad Sociaal Domein HBEL"
    assert len(c.data["visie"]["ambities"]) == 7       # the seven points of the visie
    assert len(c.data["visie"]["kernwaarden"]) == 8
    assert naam in c.data["organisatie"]["regio"]["gemeenten"]

    # set by the gemeente itself
    for sleutel in ("gemeente.naam", "versie.datum", "financien.prognose.statushouders_per_jaar",
                    "verordening.citeertitel"):
        mark = c.mark(sleutel)
        assert mark is not None and Path(mark.file).resolve() == pad.resolve(), sleutel
    assert c.data["gemeente"]["naam"] == naam
    assert naam in c.data["verordening"]["citeertitel"]
    prognose = c.data["financien"]["prognose"]
    assert prognose["statushouders_per_jaar"] == statushouders
    assert prognose["volwassenen"] == volwassenen
    assert prognose["aandeel_onderwijsroute_procent"] == 40
    assert prognose["aandeel_b1_procent"] == 65
    assert prognose["volgorde"] == "onderwijsroute_eerst"
    # deep merge: the regio's other financien keys survive next to the gemeente's prognose
    assert c.data["financien"]["voorziening_meeneemregeling"] is True
    assert c.data["financien"]["uitvoeringskosten_bron"]
    # the regio's date is also the gemeente's (inherited)
    assert c.data["verordening"]["inwerkingtreding"] == "2022-01-01"


def test_hbel_uitvoeringskosten_per_gemeente():
    """§6.1 of seed 001: the meicirculaire 2020 amounts add up to the HBEL total per year."""
    totaal = {2020: 144896, 2021: 104694, 2022: 232686, 2023: 255982, 2024: 255982}
    som: dict[int, float] = {}
    for slug in HBEL_LEDEN:
        for rij in laad(HBEL / f"{slug}.yaml").data["financien"]["uitvoeringskosten_rijk"]:
            som[rij["jaar"]] = som.get(rij["jaar"], 0) + rij["bedrag"]
    assert som == totaal


def test_hbel_prognose_telt_op():
    """Bijlage 2, tabel 1: 54 statushouders, 36 adults in total."""
    leden = [laad(HBEL / f"{slug}.yaml").data["financien"]["prognose"] for slug in HBEL_LEDEN]
    assert sum(p["statushouders_per_jaar"] for p in leden) == 54
    assert sum(p["volwassenen"] for p in leden) == 36


# --- Lansingerland --------------------------------------------------------------------------


def test_lansingerland_keuzes_uit_seed_004():
    c = laad(CHOICES / "lansingerland.yaml")
    d = c.data
    assert d["gemeente"]["naam"] == "Lansingerland"
    assert d["gemeente"]["burgemeester"] == "drs. Pieter van de Stadt"
    assert d["gemeente"]["secretaris"] == "Lucas Vokurka"
    assert d["verordening"]["inwerkingtreding"] == "2022-01-01"
    assert d["pvt"]["uitvoering"] == "lokaal"                       # PVT in eigen beheer
    assert d["organisatie"]["uitvoering"]["pvt"] == "inbesteden"
    assert "vitaliteit en gezondheid" in d["pvt"]["extra_themas"]
    assert d["leerroutes"]["inkoop"] == "regionaal"
    # "gemiddeld anderhalf jaar" is an aim (beleidsregels), the verordening guarantees a minimum
    assert d["maatschappelijke_begeleiding"]["duur_maanden"] == 12
    # review4 M7: the average is a duration for the group (its own key), not an intensity
    assert d["maatschappelijke_begeleiding"]["gemiddelde_duur_maanden"] == 18
    # the new combined opdracht is tendered: no provider named yet, the current ones are partners
    assert d["maatschappelijke_begeleiding"]["aanbieder"] == ""
    assert {"VluchtelingenWerk", "Humanitas (Tandem Nieuwkomers)"} <= set(d["organisatie"]["partners"])
    assert d["maatschappelijke_begeleiding"]["signaleren_welzijn"] is True
    assert d["financieel_ontzorgen"]["verlenging"] == "maatwerk"
    assert d["financieel_ontzorgen"]["training"] == "beide"         # group training + individual talk
    assert any("Zoetermeer" in p for p in d["financieel_ontzorgen"]["partners"])
    assert d["brede_intake"]["start"] == "maatwerk"                 # the azc's are far away
    assert any("Wmo" in p for p in d["brede_intake"]["deelnemers"])
    assert d["map"]["lokale_werkgevers"] is True
    for partner in ("Het Nieuwe WIJ", "Werkgeversservicepunt"):
        assert partner in d["organisatie"]["partners"]
    assert "extends" not in yaml.safe_load((CHOICES / "lansingerland.yaml").read_text(encoding="utf-8"))


def test_aannames_zijn_gemarkeerd():
    """Where a seed is silent the files say so: '# aanname: …' comments are present."""
    for pad in (CHOICES / "lansingerland.yaml", REGIO):
        assert "# aanname:" in pad.read_text(encoding="utf-8"), pad


def test_readme_noemt_elk_voorbeeld():
    tekst = (CHOICES / "README.md").read_text(encoding="utf-8")
    for pad in [*VOORBEELDEN, REGIO]:
        assert pad.relative_to(CHOICES).as_posix() in tekst, pad
