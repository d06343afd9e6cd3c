"""Issue 14, item 1: XML-invalid characters in any text field never make a corrupt document.

Every string field of the example choice file gets the characters XML 1.0 cannot hold
(``\\x00-\\x08``, ``\\x0b``, ``\\x0c``, ``\\x0e-\\x1f``, ``\\ufffe``, ``\\uffff``). The render and the
diff pack must succeed, every XML part of every .docx must parse, python-docx must open each
file, and LibreOffice must convert each one. Decision (kit.docx_writer.xml_schoon): ``\\x0b``
(Word's soft line break) and ``\\x0c`` become a line break in body text and a space in one-line
fields; all other invalid characters are dropped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from lxml import etree

from kit.docx_writer import run_xml, xml_schoon, xml_tekst
from kit.model import Run

ROOT = Path(__file__).resolve().parent.parent
VOORBEELD = ROOT / "choices" / "voorbeeld.yaml"
ONGELDIG = "".join(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))) + "\ufffe\uffff"
HUISSTIJL_VELDEN = ("gemeente.naam", "versie.nummer", "versie.auteur", "advies.adviesraad", "advies.wijze")


def kit_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, KIT_DEBUG="1")
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True, env=env, cwd=cwd)


def _vuil(waarde: str) -> str:
    midden = len(waarde) // 2
    return waarde[:midden] + "\x0b" + ONGELDIG + waarde[midden:]


def _paden(data, prefix=""):
    """(key path, parent, key) of every string value."""
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return
    for k, v in items:
        pad = f"{prefix}[{k}]" if isinstance(data, list) else (f"{prefix}.{k}" if prefix else str(k))
        if isinstance(v, str):
            yield pad, data, k
        else:
            yield from _paden(v, pad)


def maak_vuil_keuzebestand(doel: Path) -> list[str]:
    """Write the example with control characters in every string field that still validates."""
    from kit.loader import load_choices
    from kit.validate import validate

    data = yaml.safe_load(VOORBEELD.read_text(encoding="utf-8"))
    origineel = {pad: (ouder, k, ouder[k]) for pad, ouder, k in _paden(data)}
    for ouder, k, v in origineel.values():
        ouder[k] = _vuil(v)
    for _ in range(10):
        doel.write_text(yaml.safe_dump(data, allow_unicode=False, sort_keys=False), encoding="utf-8")
        fout = {f.sleutel for f in validate(load_choices(doel)) if f.is_fout}
        terug = [p for p in origineel if any(p == s or p.startswith(s + ".") or p.startswith(s + "[") or s.startswith(p) for s in fout)]
        terug = [p for p in terug if origineel[p][0][origineel[p][1]] != origineel[p][2]]
        if not terug:
            break
        for p in terug:
            ouder, k, v = origineel[p]
            ouder[k] = v
    else:  # pragma: no cover
        pytest.fail(f"keuzebestand blijft ongeldig: {fout}")
    return [p for p, (ouder, k, v) in origineel.items() if ouder[k] != v]


def test_xml_schoon_regels():
    assert xml_schoon("a\x0bb\x0cc") == "a b c"
    assert xml_schoon("a" + ONGELDIG + "b") == "a  b"  # \x0b and \x0c: a space each
    assert xml_schoon("tab\tnl\ncr\r") == "tab\tnl\ncr\r"  # valid XML: kept
    assert xml_tekst('<&"\x01>') == "&lt;&amp;&quot;&gt;"
    xml = run_xml(Run("regel 1\x0bregel 2\x07"))
    assert xml.count("<w:br/>") == 1 and "\x07" not in xml and "\x0b" not in xml
    etree.fromstring(f'<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{xml}</w:p>')


def _controleer_docx(pad: Path) -> None:
    with zipfile.ZipFile(pad) as z:
        for naam in z.namelist():
            if naam.endswith((".xml", ".rels")):
                data = z.read(naam)
                etree.fromstring(data)  # raises on any invalid character
                tekst = data.decode("utf-8")
                assert not any(c in tekst for c in ONGELDIG), (pad.name, naam)
    docx.Document(str(pad))


@pytest.fixture(scope="module")
def vuile_render(tmp_path_factory):
    werk = tmp_path_factory.mktemp("xml")
    bron = werk / "vuil.yaml"
    gewijzigd = maak_vuil_keuzebestand(bron)
    assert set(HUISSTIJL_VELDEN) <= set(gewijzigd), sorted(set(HUISSTIJL_VELDEN) - set(gewijzigd))
    assert len(gewijzigd) > 40  # really every free-text field, not a handful
    r = kit_cli("render", str(bron), "-o", str(werk / "out"), "--no-pdf", cwd=werk)
    assert r.returncode == 0, r.stderr
    (map_,) = [p for p in (werk / "out").iterdir() if p.is_dir()]
    # the older version: the same (dirty) gemeente, other choices, so the pack has redlines
    oud = yaml.safe_load(bron.read_text(encoding="utf-8"))
    oud["maatschappelijke_begeleiding"]["duur_maanden"] += 6
    oud["versie"]["nummer"] = "0.1"
    (werk / "oud.yaml").write_text(yaml.safe_dump(oud, allow_unicode=False, sort_keys=False), encoding="utf-8")
    r = kit_cli("diff", str(werk / "oud.yaml"), str(bron), "-o", str(werk / "pakket"), cwd=werk)
    assert r.returncode == 0, r.stderr
    return werk, map_, sorted(map_.glob("*.docx")), sorted((werk / "pakket").rglob("*.docx"))


def test_elke_docx_is_geldig_en_opent_in_python_docx(vuile_render):
    _werk, map_, documenten, pakket = vuile_render
    assert len(documenten) >= 5 and len(pakket) >= 2
    for pad in documenten + pakket:
        _controleer_docx(pad)
    d = docx.Document(str(map_ / "verordening.docx"))
    kop = " ".join(p.text for p in d.sections[0].header.paragraphs)
    assert "Heuve" in kop and "lrode" in kop  # the name is still there, cleaned
    assert d.core_properties.author.replace(" ", "") == "Heuvelrode"


@pytest.mark.libreoffice
def test_libreoffice_opent_elke_docx(vuile_render, tmp_path):
    _werk, _map, documenten, pakket = vuile_render
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    profiel = tmp_path / "profiel"
    alle = documenten + pakket
    # copies with unique names (the pack and the render share none, but be explicit)
    for i, p in enumerate(alle):
        shutil.copy(p, tmp_path / f"{i:02d}-{p.name}")
    r = subprocess.run(
        [soffice, f"-env:UserInstallation={profiel.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"),
         *[str(tmp_path / f"{i:02d}-{p.name}") for i, p in enumerate(alle)]],
        capture_output=True, text=True, timeout=600, env=dict(os.environ, HOME=str(profiel)),
    )
    gemaakt = {p.stem for p in (tmp_path / "pdf").glob("*.pdf")} if (tmp_path / "pdf").is_dir() else set()
    verwacht = {f"{i:02d}-{p.stem}" for i, p in enumerate(alle)}
    assert gemaakt == verwacht, (sorted(verwacht - gemaakt), r.stderr[-2000:])
    assert all((tmp_path / "pdf" / f"{s}.pdf").stat().st_size > 1000 for s in verwacht)
