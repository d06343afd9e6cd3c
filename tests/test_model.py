"""kit.model: markup parser, numbering, references, escapes and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.model import MarkupFout, bookmark_naam, id_uit_bookmark, parse
from kit.templating import escape

VERORDENING = """\
@sectie aanhef | Aanhef
@stijl Aanhef
De raad, gelet op ⟦ref:pip⟧;

@hoofdstuk algemeen | Algemene bepalingen
@artikel begrippen | Begrippen
In deze verordening wordt verstaan onder:
- wet: de Wet;
- college: het college.

@artikel pip | PIP | keuzes: pip, brede_intake
@lid
Het college stelt het PIP vast.
@lid
Het PIP bevat:
- de leerroute;
- de MAP.
Slotzin.

@hoofdstuk slot | Slotbepalingen
@artikel citeertitel | Citeertitel
Deze verordening heet zo, zie artikel ⟦nr:pip⟧ en ⟦ref:slot⟧.
@tabel boetes | Boetes
| a | b |
| 1 | 2 |

@sectie toelichting | Toelichting
@subsectie toel-pip | Artikel ⟦nr:pip⟧
Zie ⟦ref:toelichting⟧ en ⟦ref:boetes⟧.
- punt
"""


def koppen(doc):
    return [(b.id, b.label, b.niveau) for b in doc.blokken if b.soort == "kop"]


def test_verordening_nummering():
    doc = parse(VERORDENING, "verordening")
    assert koppen(doc) == [
        ("aanhef", "", 1),
        ("algemeen", "Hoofdstuk 1", 1),
        ("begrippen", "Artikel 1", 2),
        ("pip", "Artikel 2", 2),
        ("slot", "Hoofdstuk 2", 1),
        ("citeertitel", "Artikel 3", 2),
        ("toelichting", "", 1),
        ("toel-pip", "", 2),
    ]
    tekst = doc.tekst()
    assert "Hoofdstuk 1. Algemene bepalingen" in tekst
    assert "Artikel 2. PIP" in tekst
    assert "1. Het college stelt het PIP vast." in tekst
    assert "2. Het PIP bevat:" in tekst
    assert "a. de leerroute;\nb. de MAP.\nSlotzin." in tekst
    assert "a. wet: de Wet;" in tekst  # onderdelen in an article
    assert "- punt" in tekst  # outside articles: a bullet (no label)
    assert "De raad, gelet op artikel 2;" in tekst
    assert "zie artikel 2 en hoofdstuk 2." in tekst
    assert "Zie Toelichting en tabel 1." in tekst
    assert "Tabel 1. Boetes" in tekst
    assert doc.kop("toel-pip").titel == "Artikel 2"
    assert doc.kop("pip").keuzes == ["pip", "brede_intake"]


def test_een_lid_heeft_geen_nummer():
    doc = parse("@artikel a | A\n@lid\nEnige lid.\n", "verordening")
    lid = doc.blokken[1]
    assert lid.lid and lid.label == ""
    assert doc.tekst().splitlines()[1] == "Enige lid."


def test_andere_documenten_nummeren_n_en_n_m():
    doc = parse("@hoofdstuk a | A\n@paragraaf b | B\n@paragraaf c | C\n@hoofdstuk d | D\n@paragraaf e | E\nZie ⟦ref:c⟧ en ⟦ref:d⟧.\n", "beleidskader")
    assert [b.kop_tekst for b in doc.koppen()] == ["1. A", "1.1 B", "1.2 C", "2. D", "2.1 E"]
    assert doc.blokken[-1].tekst == "Zie paragraaf 1.2 en hoofdstuk 2."
    ver = parse("@hoofdstuk a | A\n@paragraaf b | B\n", "verordening")
    assert [b.kop_tekst for b in ver.koppen()] == ["Hoofdstuk 1. A", "§ 1.1 B"]


def test_ids_en_secties():
    doc = parse(VERORDENING, "verordening")
    pip = doc.secties()["pip"]
    assert pip[0].id == "pip"
    assert [b.id for b in pip[1:]] == ["pip.1", "pip.2", "pip.3", "pip.4", "pip.5"]
    assert all(b.sectie_id == "pip" for b in pip)


def test_inline_vet_regelbreuk_en_escapes():
    doc = parse("Een **vet** woord\\nnieuwe regel \\*geen vet\\* \\@ \\⟦ref:x⟧ \\\\ \\| a\\-b\n", "rib")
    runs = doc.blokken[0].runs
    assert [r.tekst for r in runs if r.vet] == ["vet"]
    assert any(r.regelbreuk for r in runs)
    assert doc.blokken[0].tekst == "Een vet woord\nnieuwe regel *geen vet* @ ⟦ref:x⟧ \\ | a-b"


def test_regels_worden_een_alinea_en_lege_regel_sluit():
    doc = parse("eerste\ntweede\n\nderde\n", "rib")
    assert [b.tekst for b in doc.blokken] == ["eerste tweede", "derde"]


@pytest.mark.parametrize(
    "markup, stuk",
    [
        ("@onzin x\n", "@onzin"),
        ("@hoofdstuk A_B | Titel\n", "A_B"),
        ("@hoofdstuk " + "a" * 37 + " | Titel\n", "a" * 37),
        ("@hoofdstuk zonder-titel\n", "ID | Titel"),
        ("@lid\n", "@lid"),
        ("@figuur f | bijschrift\n", "@figuur"),
        ("@tabel t | leeg\n\n", "geen rijen"),
    ],
)
def test_fouten_noemen_document_en_regel(markup, stuk):
    with pytest.raises(MarkupFout) as e:
        parse("tekst\n\n" + markup, "beleidskader")
    melding = str(e.value)
    assert "beleidskader" in melding and "opmaakregel 3" in melding
    assert stuk in melding


def test_dubbel_id():
    with pytest.raises(MarkupFout, match="twee keer"):
        parse("@hoofdstuk a | A\n@hoofdstuk a | B\n", "startnotitie")


def test_onbekende_verwijzing_noemt_sjabloon():
    with pytest.raises(MarkupFout) as e:
        parse("Zie ⟦ref:bestaat-niet⟧.\n", "verordening", bron="verordening/verordening.md.j2")
    assert "bestaat-niet" in str(e.value) and "verordening/verordening.md.j2" in str(e.value)
    with pytest.raises(MarkupFout, match="zonder nummer"):
        parse("@sectie s | S\n⟦nr:s⟧\n", "verordening")


def test_bookmark_naam_en_terug():
    assert bookmark_naam("maatschappelijke-begeleiding") == "kit_maatschappelijke_begeleiding"
    assert id_uit_bookmark("kit_maatschappelijke_begeleiding") == "maatschappelijke-begeleiding"
    assert id_uit_bookmark("_GoBack") is None
    assert len(bookmark_naam("a" * 36)) == 40


VRIJE_TEKST = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=300, deadline=None)
@given(VRIJE_TEKST)
def test_escape_is_letterlijk(tekst):
    """Any user text, escaped, reads back as exactly that text (newlines as line breaks)."""
    doc = parse("Voor " + escape(tekst) + " na\n", "rib")
    verwacht = "Voor " + tekst.replace("\r\n", "\n").replace("\r", "\n") + " na"
    assert len(doc.blokken) == 1
    assert doc.blokken[0].tekst == verwacht


@settings(max_examples=200, deadline=None)
@given(VRIJE_TEKST)
def test_escape_aan_begin_van_regel_en_in_tabel(tekst):
    """At the start of a line or in a table cell, user text is still only text."""
    doc = parse(escape(tekst) + "\n", "rib")
    verwacht = tekst.replace("\r\n", "\n").replace("\r", "\n")
    if escape(tekst).strip():
        assert [b.soort for b in doc.blokken] == ["alinea"]
        assert doc.blokken[0].tekst.strip() == verwacht.strip()
    tabel = parse("@tabel t | T\n| kop |\n| " + escape(tekst) + " |\n", "rib")
    assert len(tabel.blokken[0].rijen[1]) == 1
    assert tabel.blokken[0].rijen[1][0].strip() == escape_terug(tekst).strip()


def escape_terug(tekst):
    return tekst.replace("\r\n", "\n").replace("\r", "\n")


@pytest.mark.parametrize("keuzes", ["voorbeeld.yaml", "hbel/huizen.yaml", "lansingerland.yaml"])
def test_vervolg_is_gelijk_aan_opnieuw_parsen(keuzes):
    """parse_met_vervolg (the annex appended without parsing the document again) gives exactly
    the document of parsing markup + blank line + annex: numbering, ids, line numbers, references
    back into the document, a table, and the closed last article of the verordening."""
    from kit.context import build_context, meta_voor
    from kit.loader import load_choices
    from kit.model import parse_met_vervolg
    from kit.render import DOCUMENTEN, Renderer

    r = Renderer()
    choices = load_choices(Path(__file__).resolve().parent.parent / "choices" / keuzes)
    ctx = build_context(choices, r.wet(choices))
    sj = r.sjablonen(None)
    for naam in DOCUMENTEN:
        markup = sj.render(naam, dict(ctx, meta=meta_voor(ctx, naam)))
        eerste_kop = next(b.id for b in parse(markup, naam).blokken if b.soort == "kop")
        extra = (f"@pagina\n@sectie x-extra | Extra\n\nZie ⟦ref:{eerste_kop}⟧ en **vet**.\n\n"
                 "@tabel t-x | T\n| a | b |\n| 1 | 2 |\n")
        heel = parse(markup.rstrip("\n") + "\n\n" + extra, naam, titel="t", bron="b")
        document, verder = parse_met_vervolg(markup, naam, titel="t", bron="b")
        assert document == parse(markup, naam, titel="t", bron="b")
        assert verder(extra) == heel, naam


@pytest.mark.parametrize("markup", [
    "@sectie s | Titel ⟦ref:s⟧\ntekst\n",
    "@sectie a | A ⟦ref:b⟧\nx\n\n@sectie b | B ⟦ref:a⟧\ny\n",
], ids=["zichzelf", "via-een-andere-titel"])
def test_titel_die_naar_zichzelf_verwijst_is_een_melding(markup):
    """An unnumbered section is referred to by its title; a title that refers (directly or via
    another title) to itself was a RecursionError, now a Dutch message with the line."""
    with pytest.raises(MarkupFout) as e:
        parse(markup, "beleidskader")
    assert "naar zichzelf" in str(e.value) and "opmaakregel" in str(e.value)


def test_titel_die_naar_een_andere_titel_verwijst():
    d = parse("@sectie a | Zie ⟦ref:b⟧\nx\n\n@sectie b | Bijlage\ny\n", "beleidskader")
    assert [b.titel for b in d.blokken if b.soort == "kop"] == ["Zie Bijlage", "Bijlage"]
