"""``Document`` + huisstijl → reproducible .docx bytes (ARCHITECTURE.md, "Writer and huisstijl").

:class:`Huisstijl` prepares a huisstijl .docx once: it reads the zip, patches the Jinja tags
of ``word/document.xml`` and the headers/footers with docxtpl's ``patch_xml`` (tags split
over runs, ``{%p %}`` / ``{{p }}`` paragraphs), compiles them (sandboxed, XML-escaping) and maps
style names to style ids. :meth:`Huisstijl.schrijf` then only generates the body OOXML from
the :class:`~kit.model.Document`, renders the compiled parts and writes a zip with a fixed
entry order and a fixed time (1980-01-01), so the same input gives the same bytes.

The small ``*_xml`` functions are public so that the redline writer can reuse them (a run can
be wrapped in ``<w:ins>`` / ``<w:del>``; :func:`run_xml` writes ``w:delText`` when asked).
"""

from __future__ import annotations

import os
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from markupsafe import Markup

from kit.berichten import bericht
from kit.errors import InputError
from kit.model import Blok, Document, Run, bookmark_naam

ZIP_TIJD = (1980, 1, 1, 0, 0, 0)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_KOP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
REL_VOET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
REL_THEMA = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
REL_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
EMU_PER_TWIP = 635
#: characters XML 1.0 cannot hold (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF)
_ONGELDIGE_TEKENS = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_ONGELDIG = re.compile(f"[{_ONGELDIGE_TEKENS}]")
#: what :func:`xml_tekst` changes: escaped or removed characters
_SPECIAAL = re.compile(f'[&<>"{_ONGELDIGE_TEKENS}]')
#: a run whose text holds none of these is written as is: nothing to escape, clean, no marker
_BIJZONDER_IN_RUN = re.compile(f'[\\[&<>"{_ONGELDIGE_TEKENS}]')
#: a table cell holding none of these is one plain run (no line break, escape or marker)
_BIJZONDER_IN_CEL = re.compile(f'[\\[\n&<>"{_ONGELDIGE_TEKENS}]')
_GETAL = re.compile(r"^[−\-]?(€\s?)?[\d.]+(,\d+)?(\s?%)?$")


def _cijferkolom(rijen: list[list[str]], c: int) -> bool:
    """Column ``c`` holds figures only (below the header row; empty cells aside)."""
    waarden = [r[c].strip() for r in rijen[1:] if c < len(r) and r[c].strip()]
    return bool(waarden) and all(_GETAL.match(w) for w in waarden)


def _cel_runs(cel: str, vet: bool) -> list[Run]:
    """The runs of a table cell: its lines, a line break between them."""
    runs: list[Run] = []
    for j, stuk in enumerate(cel.split("\n")):
        if j:
            runs.append(Run("", regelbreuk=True))
        runs.append(Run(stuk, vet=vet))
    return runs


#: the shading of a table's header row
_KOP_SCHADUW = '<w:shd w:val="clear" w:color="auto" w:fill="DCE3EC"/>'


# ------------------------------------------------------------------------------- small XML pieces

def xml_schoon(tekst: str, breuk: str = " ") -> str:
    """``tekst`` with only characters XML 1.0 can hold: THE one rule for every text the kit
    puts into a document part (body runs, huisstijl fields, core properties, tracked-change
    authors, the reactienota written with python-docx, the diff pack).

    Decision (issue 14): Word's soft line break ``\\x0b`` and page break ``\\x0c`` become
    ``breuk`` (a space where one line is all there is, e.g. a header field or a core property;
    :func:`run_xml` makes them a real line break in body text). Every other character XML
    cannot hold (C0 controls, lone surrogates, U+FFFE, U+FFFF) carries no meaning in a
    document and is dropped; tab, newline and carriage return are valid XML and stay.
    """
    if _ONGELDIG.search(tekst) is None:
        return tekst
    return _ONGELDIG.sub(lambda m: breuk if m.group() in "\x0b\x0c" else "", tekst)


def xml_tekst(tekst: str, breuk: str = " ") -> str:
    """Text for XML content/attributes: cleaned by :func:`xml_schoon`, then escaped."""
    if _SPECIAAL.search(tekst) is None:  # most runs: nothing to escape or remove
        return tekst
    tekst = xml_schoon(tekst, breuk)
    return tekst.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


#: a plain run's XML around its text (the common case of :func:`run_xml`, built without calls)
_RUN_OPEN = '<w:r><w:t xml:space="preserve">'
_RUN_OPEN_VET = '<w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">'
_RUN_SLUIT = "</w:t></w:r>"


def run_xml(run: Run, *, verwijderd: bool = False, rpr: str = "") -> str:
    """One ``<w:r>``. ``verwijderd``: ``w:delText`` (for a run inside ``<w:del>``)."""
    if run.regelbreuk:
        eigenschappen = ("<w:b/><w:bCs/>" if run.vet else "") + rpr
        rpr_xml = f"<w:rPr>{eigenschappen}</w:rPr>" if eigenschappen else ""
        return f"<w:r>{rpr_xml}<w:br/></w:r>"
    tekst = run.tekst
    if _SPECIAAL.search(tekst) is None:
        if not verwijderd and not rpr:  # the common case
            return (_RUN_OPEN_VET if run.vet else _RUN_OPEN) + tekst + _RUN_SLUIT
    else:
        tekst = xml_tekst(tekst, breuk="\x0b")
    eigenschappen = ("<w:b/><w:bCs/>" if run.vet else "") + rpr
    rpr_xml = f"<w:rPr>{eigenschappen}</w:rPr>" if eigenschappen else ""
    tag = "w:delText" if verwijderd else "w:t"
    if "\x0b" in tekst:  # Word's soft line break in user text: a real line break
        tekst = tekst.replace("\x0b", f'</{tag}><w:br/><{tag} xml:space="preserve">')
    return f'<w:r>{rpr_xml}<{tag} xml:space="preserve">{tekst}</{tag}></w:r>'


def runs_xml(runs: list[Run], **kw: Any) -> str:
    """The runs, markers of open points highlighted (:func:`_run_met_markering`)."""
    if kw:
        return "".join([_run_met_markering(r, **kw) for r in runs])
    uit = []
    for r in runs:
        tekst = r.tekst
        if r.regelbreuk or _BIJZONDER_IN_RUN.search(tekst) is not None:
            uit.append(_run_met_markering(r))
        else:  # the common case, inlined: plain text without a marker
            uit.append((_RUN_OPEN_VET if r.vet else _RUN_OPEN) + tekst + _RUN_SLUIT)
    return "".join(uit)


_MARKERING: list = []
#: the highlight of an open point's marker ("[aanname 3]", "[in te vullen 7]")
MARKERING_RPR = '<w:highlight w:val="yellow"/>'


def _markering_patroon():
    if not _MARKERING:
        from kit.aannames import markering_patroon

        _MARKERING.append(markering_patroon())
    return _MARKERING[0]


def _run_met_markering(run: Run, **kw: Any) -> str:
    """A run; the markers of open points in it highlighted (visible in Word and in the PDF)."""
    if run.regelbreuk or "[" not in run.tekst:
        return run_xml(run, **kw)
    patroon = _markering_patroon()
    delen, positie = [], 0
    for m in patroon.finditer(run.tekst):
        if m.start() > positie:
            delen.append(run_xml(Run(run.tekst[positie:m.start()], vet=run.vet), **kw))
        rpr = kw.get("rpr", "") + MARKERING_RPR
        delen.append(run_xml(Run(m.group(0), vet=run.vet), **{**kw, "rpr": rpr}))
        positie = m.end()
    if not delen:
        return run_xml(run, **kw)
    if positie < len(run.tekst):
        delen.append(run_xml(Run(run.tekst[positie:], vet=run.vet), **kw))
    return "".join(delen)


def _tekst_run(tekst: str, vet: bool = False) -> str:
    """``run_xml(Run(tekst, vet=vet))`` without building the ``Run`` (labels, headings, captions)."""
    if _SPECIAAL.search(tekst) is None:
        return (_RUN_OPEN_VET if vet else _RUN_OPEN) + tekst + _RUN_SLUIT
    return run_xml(Run(tekst, vet=vet))


_TAB = "<w:r><w:tab/></w:r>"
#: the bullet and tab before an item of a list without labels
_OPSOMMINGSTEKEN = _RUN_OPEN + "•" + _RUN_SLUIT + _TAB


def tab_xml() -> str:
    return _TAB


#: ``ppr_xml`` per (style id, extra properties): a document has a handful of combinations
_PPR: dict[tuple[str | None, str], str] = {}


def ppr_xml(stijl_id: str | None = None, extra: str = "") -> str:
    sleutel = (stijl_id, extra)
    ppr = _PPR.get(sleutel)
    if ppr is None:
        inhoud = (f'<w:pStyle w:val="{xml_tekst(stijl_id)}"/>' if stijl_id else "") + extra
        ppr = f"<w:pPr>{inhoud}</w:pPr>" if inhoud else ""
        if len(_PPR) < 1024:  # bounded: a pathological huisstijl cannot grow it without end
            _PPR[sleutel] = ppr
    return ppr


def alinea_xml(inhoud: str, stijl_id: str | None = None, ppr_extra: str = "") -> str:
    """A ``<w:p>`` around already generated run XML."""
    return "<w:p>" + ppr_xml(stijl_id, ppr_extra) + inhoud + "</w:p>"


def bookmark_xml(naam: str, nummer: int, inhoud: str) -> str:
    return (
        f'<w:bookmarkStart w:id="{nummer}" w:name="{xml_tekst(naam)}"/>'
        f'{inhoud}<w:bookmarkEnd w:id="{nummer}"/>'
    )


def pagina_xml() -> str:
    return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


# ------------------------------------------------------------------------------- the huisstijl

@dataclass
class _Deel:
    naam: str
    data: bytes


#: a huisstijl .docx: the file, one part, all parts unpacked, the number of parts (a Word
#: huisstijl with a logo is well under a few MB; every part is copied into every document)
MAX_HUISSTIJL_BYTES = 50 * 1024 * 1024
MAX_DEEL_BYTES = 25 * 1024 * 1024
MAX_UITGEPAKT_BYTES = 50 * 1024 * 1024
MAX_DELEN = 2000
_XML_DEEL = re.compile(r"\.(xml|rels)$", re.IGNORECASE)


def _lees_zip(pad: Path) -> list[_Deel]:
    """The parts of a huisstijl .docx, read within bounds (a zip bomb is refused, not unpacked)."""
    import io
    import zlib

    from kit.loader import BestandFout, lees_regulier_bestand

    try:
        inhoud = lees_regulier_bestand(pad, MAX_HUISSTIJL_BYTES)
    except BestandFout as e:
        if e.soort == "te_groot":
            raise InputError(bericht("huisstijl.te_groot", pad=pad, max_mb=MAX_HUISSTIJL_BYTES // (1024 * 1024))) from None
        raise InputError(bericht("huisstijl.onleesbaar", pad=pad, reden=e.reden)) from None
    delen: list[_Deel] = []
    try:
        with zipfile.ZipFile(io.BytesIO(inhoud)) as z:
            infos = [i for i in z.infolist() if not i.is_dir()]
            if len(infos) > MAX_DELEN:
                raise InputError(bericht("huisstijl.te_veel_delen", pad=pad, max=MAX_DELEN))
            if len({i.filename for i in infos}) != len(infos):
                raise InputError(bericht("huisstijl.dubbel_deel", pad=pad))
            totaal = 0
            for info in infos:
                if info.file_size > MAX_DEEL_BYTES:
                    raise InputError(bericht("huisstijl.zipbom", pad=pad, deel=info.filename,
                                             max_mb=MAX_DEEL_BYTES // (1024 * 1024)))
                with z.open(info) as f:
                    data = f.read(MAX_DEEL_BYTES + 1)
                totaal += len(data)
                if len(data) > MAX_DEEL_BYTES or totaal > MAX_UITGEPAKT_BYTES:
                    raise InputError(bericht("huisstijl.zipbom", pad=pad, deel=info.filename,
                                             max_mb=MAX_DEEL_BYTES // (1024 * 1024)))
                delen.append(_Deel(info.filename, data))
    except InputError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError):
        raise InputError(bericht("huisstijl.geen_docx", pad=pad)) from None
    except (NotImplementedError, RuntimeError):  # an unknown compression method, encryption
        raise InputError(bericht("huisstijl.versleuteld", pad=pad)) from None
    return delen


def _controleer_delen(pad: Path, namen: Mapping[str, _Deel], hoofd: str) -> None:
    """What the writer relies on: content types, the main part, UTF-8 well-formed XML, small ids."""
    from lxml import etree

    if "[Content_Types].xml" not in namen:
        raise InputError(bericht("huisstijl.geen_content_types", pad=pad))
    if hoofd not in namen:
        raise InputError(bericht("huisstijl.geen_hoofddeel", pad=pad, deel=hoofd))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    for naam, deel in namen.items():
        if not _XML_DEEL.search(naam):
            continue
        try:
            tekst = deel.data.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(bericht("huisstijl.geen_utf8", pad=pad, deel=naam)) from None
        if "<!DOCTYPE" in tekst or "<!ENTITY" in tekst:
            raise InputError(bericht("huisstijl.doctype", pad=pad, deel=naam))
        try:
            etree.fromstring(deel.data, parser=parser)
        except etree.XMLSyntaxError as e:
            regel = e.position[0] if getattr(e, "position", None) else 1
            raise InputError(bericht("huisstijl.xml_kapot", pad=pad, deel=naam, regel=regel)) from None
    hoofd_xml = namen[hoofd].data.decode("utf-8")
    if re.search(r'<w:bookmarkStart\b[^>]*w:id="\d{10,}"', hoofd_xml):
        raise InputError(bericht("huisstijl.bladwijzer_id", pad=pad, deel=hoofd))


def _rels(xml: str) -> list[dict[str, str]]:
    uit = []
    for m in re.finditer(r"<Relationship\b([^>]*)/?>", xml):
        uit.append(dict(re.findall(r'(\w+)="([^"]*)"', m.group(1))))
    return uit


class Huisstijl:
    """A prepared huisstijl .docx: parsed once, reused for every document and gemeente."""

    def __init__(self, pad: Path | str):
        self.pad = Path(pad)
        self.delen = _lees_zip(self.pad)
        namen = {d.naam: d for d in self.delen}
        try:
            self.hoofd = self._hoofddeel(namen)
        except UnicodeDecodeError:
            raise InputError(bericht("huisstijl.geen_utf8", pad=self.pad, deel="_rels/.rels")) from None
        _controleer_delen(self.pad, namen, self.hoofd)
        map_ = self.hoofd.rsplit("/", 1)[0] + "/" if "/" in self.hoofd else ""
        self.rels_naam = f"{map_}_rels/{self.hoofd.rsplit('/', 1)[-1]}.rels"
        rels_xml = namen[self.rels_naam].data.decode("utf-8") if self.rels_naam in namen else ""
        self.rels = _rels(rels_xml)
        self.rid_bestaand = {r.get("Id", "") for r in self.rels}
        self.map = map_  # folder of the main part ("word/"): charts go to word/charts/

        doelen = [self.hoofd] + [
            (map_ + r["Target"]).replace("//", "/") for r in self.rels if r.get("Type") in (REL_KOP, REL_VOET)
        ]
        try:
            gepatcht = _gepatcht(self.pad, {n: namen[n].data for n in doelen if n in namen})
            hoofd = gepatcht.get(self.hoofd, "")
            if not re.search(r"\{\{\s*inhoud\s*\}\}", hoofd):
                raise InputError(bericht("render.huisstijl_inhoud", pad=self.pad))
            from kit.paden import SJABLONEN

            eigen = os.path.realpath(self.pad) == os.path.realpath(SJABLONEN / "huisstijl.docx")
            self.env = _huisstijl_omgeving(gepatcht, vertrouwd=eigen)
            self.sjablonen: dict[str, Any] = {n: self.env.get_template(n) for n in gepatcht}
        except InputError:
            raise
        except Exception as e:  # noqa: BLE001 - Jinja syntax errors and what docxtpl's patching raises
            from kit.templating import sjabloon_melding

            raise InputError(bericht("huisstijl.sjabloon", pad=self.pad, melding=sjabloon_melding(e, self.hoofd))) from None

        styles = namen.get(map_ + "styles.xml")
        self.stijlen: dict[str, str] = {}
        if styles is not None:
            tekst = styles.data.decode("utf-8")
            for m in re.finditer(r'<w:style\b[^>]*w:styleId="([^"]+)"[^>]*>.*?<w:name w:val="([^"]+)"', tekst, re.S):
                self.stijlen.setdefault(m.group(2).lower(), m.group(1))
            for sid in re.findall(r'w:styleId="([^"]+)"', tekst):
                self.stijlen.setdefault(sid.lower(), sid)
            self.styles_naam = styles.naam
            self.styles_xml = _taal_nl(tekst).encode("utf-8")
        else:
            self.styles_naam, self.styles_xml = "", b""
        hoofd_xml = namen[self.hoofd].data.decode("utf-8")
        ids = [int(x) for x in re.findall(r'<w:bookmarkStart[^>]*w:id="(\d+)"', hoofd_xml)]
        self.bookmark_start = max(ids, default=0) + 1
        self.tekstbreedte = _tekstbreedte(hoofd_xml)
        self.content_types = namen["[Content_Types].xml"].data.decode("utf-8")
        self.heeft_core = any(d.naam == "docProps/core.xml" for d in self.delen)
        self._gecomprimeerd: dict[str, tuple[int, int, bytes]] = {}
        self._styles_gecomprimeerd: tuple[int, int, bytes] | None = None
        self.thema_naam = next(
            ((map_ + r["Target"]).replace("//", "/") for r in self.rels if r.get("Type") == REL_THEMA), ""
        )
        self._grafiekstijl: Any = None
        self._grafiek_delen: dict[Any, tuple[tuple[int, int, bytes], tuple[int, int, bytes]]] = {}
        self._grafiek_verwijzingen_memo: dict[tuple[tuple[str, int], ...], tuple[Any, str, Any, list[Any]]] = {}

    @staticmethod
    def _hoofddeel(namen: Mapping[str, _Deel]) -> str:
        rels = namen.get("_rels/.rels")
        if rels is not None:
            for r in _rels(rels.data.decode("utf-8")):
                if r.get("Type", "").endswith("/officeDocument"):
                    return r["Target"].lstrip("/")
        return "word/document.xml"

    def stijl(self, *namen: str) -> str | None:
        """The style id of the first existing style among ``namen`` (names or ids, any case)."""
        for naam in namen:
            sid = self.stijlen.get(naam.lower())
            if sid:
                return sid
        return None

    # -- per document
    def schrijf(
        self,
        document: Document,
        meta: Mapping[str, Any],
        grafieken: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        lichaam: type | None = None,
    ) -> bytes:
        """The .docx bytes of ``document`` with ``meta`` in title block, header and footer.

        ``lichaam`` (kit diff): a subclass of :class:`_Lichaam` that generates the body XML
        instead (e.g. with tracked changes); it is constructed like ``_Lichaam``.
        """
        body = (lichaam or _Lichaam)(self, document, grafieken or {})
        inhoud = body.xml()
        waarden = dict(context or {})
        waarden["meta"] = meta
        waarden["inhoud"] = _SchoneXml(inhoud)
        vervangen: dict[str, bytes] = {}
        from kit.templating import render_veilig

        for naam, sjabloon in self.sjablonen.items():
            try:
                # the output budget is for what the huisstijl's own template makes; the body
                # (the kit's, as long as the choices make it) comes on top
                vervangen[naam] = render_veilig(sjabloon, waarden, buiten_budget=len(inhoud)).encode("utf-8")
            except InputError as e:
                raise InputError(bericht("huisstijl.sjabloon", pad=self.pad, melding=str(e))) from None
        if self.styles_naam:  # the same for every document: compressed once per process
            vervangen[self.styles_naam] = self._styles_gecomprimeerd or self._comprimeer_styles()
        vervangen["docProps/core.xml"] = core_xml(meta).encode("utf-8")
        nieuw: list[tuple[str, bytes | tuple[int, int, bytes]]] = []
        ct: str | None = None
        if body.grafieken_uit:
            nieuw, ct = self._grafieken_toevoegen(body.grafieken_uit, vervangen)
        if not self.heeft_core:  # on top of the charts' content types, if any
            vervangen.update(self._core_toevoegen(ct))
            nieuw.append(("docProps/core.xml", vervangen["docProps/core.xml"]))
        return _zip([(d.naam, vervangen[d.naam] if d.naam in vervangen else self._vast(d)) for d in self.delen] + nieuw)

    def _comprimeer_styles(self) -> tuple[int, int, bytes]:
        self._styles_gecomprimeerd = comprimeer(self.styles_xml, 6)
        return self._styles_gecomprimeerd

    def _vast(self, deel: _Deel) -> tuple[int, int, bytes]:
        """An unchanged part, compressed once per process."""
        if deel.naam not in self._gecomprimeerd:
            self._gecomprimeerd[deel.naam] = comprimeer(deel.data, 6)
        return self._gecomprimeerd[deel.naam]

    # -- native charts (kit/grafiek_xml.py)
    @property
    def grafiekstijl(self):
        """Chart colours and font from this huisstijl (Heading 1 colour, theme, Normal font)."""
        if self._grafiekstijl is None:
            from kit.grafiek_xml import grafiekstijl

            namen = {d.naam: d for d in self.delen}
            thema = namen[self.thema_naam].data.decode("utf-8") if self.thema_naam in namen else ""
            self._grafiekstijl = grafiekstijl(
                self.styles_xml.decode("utf-8"), thema, self.stijl("heading 1", "Heading1"), self.stijl("Normal")
            )
        return self._grafiekstijl

    def grafiek_delen(self, grafiek: Any) -> tuple[tuple[int, int, bytes], tuple[int, int, bytes]]:
        """(chart XML, embedded workbook), compressed; once per process per chart (a chart
        recurs in two documents, and with the same figures in many gemeenten)."""
        from kit import grafiek_xml

        delen = self._grafiek_delen.get(grafiek)
        if delen is None:
            if len(self._grafiek_delen) >= 64:
                self._grafiek_delen.pop(next(iter(self._grafiek_delen)))
            stijl = self.grafiekstijl
            werkmap = _zip(grafiek_xml.werkmap(grafiek, stijl))
            delen = self._grafiek_delen[grafiek] = (
                comprimeer(grafiek_xml.chart_xml(grafiek, stijl).encode("utf-8")), comprimeer(werkmap))
        return delen

    def _grafieken_toevoegen(self, grafieken: list[tuple[str, int, Any]],
                             vervangen: dict[str, Any]) -> tuple[list[tuple[str, bytes | tuple[int, int, bytes]]], str]:
        """Relationships, content types and parts of the body's charts (``(rId, n, Grafiek)``):
        sets the first two in ``vervangen``; returns the new parts and the content types' text."""
        map_ = self.map
        rels, ct, ct_gecomprimeerd, chart_rels = self._grafiek_verwijzingen(tuple((rid, n) for rid, n, _ in grafieken))
        vervangen[self.rels_naam] = rels
        vervangen["[Content_Types].xml"] = ct_gecomprimeerd
        nieuw: list[tuple[str, bytes | tuple[int, int, bytes]]] = []
        for (_rid, n, grafiek), rels_n in zip(grafieken, chart_rels):
            chart, werkmap = self.grafiek_delen(grafiek)
            nieuw += [
                (f"{map_}charts/kit_grafiek{n}.xml", chart),
                (f"{map_}charts/_rels/kit_grafiek{n}.xml.rels", rels_n),
                (f"{map_}embeddings/kit_grafiek{n}.xlsx", werkmap),
            ]
        return nieuw, ct

    def _grafiek_verwijzingen(self, verwijzingen: tuple[tuple[str, int], ...]) -> tuple[Any, str, Any, list[Any]]:
        """The main part's relationships, the content types (text and compressed) and each
        chart's relationships for charts ``(rId, n)``, compressed: they depend on nothing else,
        so every document with the same charts' numbering shares them (once per process)."""
        from kit.grafiek_xml import CT_GRAFIEK, CT_XLSX, REL_GRAFIEK, chart_rels

        delen = self._grafiek_verwijzingen_memo.get(verwijzingen)
        if delen is not None:
            return delen
        map_ = self.map
        rels = next(d.data for d in self.delen if d.naam == self.rels_naam).decode("utf-8")
        rels = rels.replace("</Relationships>", "".join(
            f'<Relationship Id="{rid}" Type="{REL_GRAFIEK}" Target="charts/kit_grafiek{n}.xml"/>'
            for rid, n in verwijzingen) + "</Relationships>")
        ct = self.content_types
        if 'Extension="xlsx"' not in ct:
            ct = ct.replace("</Types>", f'<Default Extension="xlsx" ContentType="{CT_XLSX}"/></Types>')
        ct = ct.replace("</Types>", "".join(
            f'<Override PartName="/{map_}charts/kit_grafiek{n}.xml" ContentType="{CT_GRAFIEK}"/>'
            for _, n in verwijzingen) + "</Types>")
        delen = (comprimeer(rels.encode("utf-8")), ct, comprimeer(ct.encode("utf-8")),
                 [comprimeer(chart_rels(f"kit_grafiek{n}.xlsx").encode("utf-8")) for _, n in verwijzingen])
        if len(self._grafiek_verwijzingen_memo) >= 64:
            self._grafiek_verwijzingen_memo.clear()
        self._grafiek_verwijzingen_memo[verwijzingen] = delen
        return delen

    def _core_toevoegen(self, ct: str | None = None) -> dict[str, bytes]:
        """Content types and package relationships with a core properties part (a huisstijl
        without one); ``ct``: the content types to extend (the charts' ones), else the huisstijl's."""
        ct = (ct or self.content_types).replace(
            "</Types>",
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>',
        )
        rels = next(d.data for d in self.delen if d.naam == "_rels/.rels").decode("utf-8")
        rels = rels.replace(
            "</Relationships>", f'<Relationship Id="rIdKitCore" Type="{REL_CORE}" Target="docProps/core.xml"/></Relationships>'
        )
        return {"[Content_Types].xml": ct.encode("utf-8"), "_rels/.rels": rels.encode("utf-8")}


def _huisstijl_omgeving(delen: Mapping[str, str], vertrouwd: bool = False):
    """XML-escaping, strict, the same filters as the document templates; sandboxed unless
    ``vertrouwd`` (the kit's own huisstijl)."""
    import jinja2
    from kit.templating import FILTERS, stijl_omgeving

    class _Delen(jinja2.DictLoader):
        """The parts by name; messages name the part (``word/footer1.xml``)."""

        def get_source(self, environment, template):
            bron, _, uptodate = super().get_source(environment, template)
            return bron, template, uptodate

    env = stijl_omgeving(
        vertrouwd,
        loader=_Delen(dict(delen)),
        autoescape=True,
        finalize=_huisstijl_finalize,
        auto_reload=False,
    )
    env.filters.update(FILTERS)
    return env


def _huisstijl_finalize(waarde: Any) -> Any:
    """Every ``{{ }}`` of a huisstijl passes :func:`xml_schoon` before Jinja's XML escaping
    (also values marked ``|safe``: the cleaned value keeps its mark)."""
    if isinstance(waarde, str):
        if type(waarde) is _SchoneXml:  # the body: built from cleaned text only, not scanned again
            return waarde
        schoon = xml_schoon(waarde)
        return Markup(schoon) if isinstance(waarde, Markup) else schoon
    return waarde


class _SchoneXml(Markup):
    """The generated body XML (``{{ inhoud }}``): every text in it passed :func:`xml_tekst`
    (runs, styles, bookmarks, chart attributes; the redline and diff bodies build on the same
    functions), so it holds only characters XML can hold and :func:`_huisstijl_finalize` does
    not scan it a second time (on a long document that scan was a tenth of the writer's time)."""

    __slots__ = ()


def _gepatcht(pad: Path, delen: Mapping[str, bytes]) -> dict[str, str]:
    """The parts after docxtpl's tag cleaning; cached on disk by the huisstijl's sha256
    (a signed entry of :mod:`kit.cache`: never taken from a folder or file another user wrote)."""
    import hashlib
    import json

    from kit.cache import cache_map, lees, schrijf

    sleutel = hashlib.sha256(pad.read_bytes()).hexdigest()
    map_ = cache_map("huisstijl")
    ruw = lees(map_, f"{sleutel}.json")
    if ruw is not None:
        try:
            data = json.loads(ruw.decode("utf-8"))
            if isinstance(data, dict) and set(data) == set(delen):
                return data
        except ValueError:
            pass
    uit = {naam: _patch(data.decode("utf-8")) for naam, data in delen.items()}
    schrijf(map_, f"{sleutel}.json", json.dumps(uit).encode("utf-8"))
    return uit


def _patch(xml: str) -> str:
    """docxtpl's tag cleaning (split runs, ``{%p %}``, ``{{p }}``, smart quotes) — once per huisstijl."""
    if "{" not in xml:
        return xml
    from docxtpl import DocxTemplate

    return DocxTemplate.patch_xml(DocxTemplate.__new__(DocxTemplate), xml)


def _taal_nl(styles: str) -> str:
    """Make sure the document language is nl-NL (docDefaults run properties)."""
    if 'w:lang w:val="nl-NL"' in styles:
        return styles
    m = re.search(r"<w:rPrDefault>\s*<w:rPr>(.*?)</w:rPr>", styles, re.S)
    if m:
        rpr = re.sub(r"<w:lang\b[^>]*/>", "", m.group(1)) + '<w:lang w:val="nl-NL" w:eastAsia="nl-NL" w:bidi="ar-SA"/>'
        return styles[: m.start(1)] + rpr + styles[m.end(1) :]
    return styles


def _tekstbreedte(document_xml: str) -> int:
    """Text width in twips from the last section's page size and margins (A4 - 2 × 2.5 cm)."""
    sect = document_xml[document_xml.rfind("<w:sectPr") :]
    w = re.search(r'<w:pgSz\b[^>]*w:w="(\d{1,9})"', sect)
    links = re.search(r'<w:pgMar\b[^>]*w:left="(\d{1,9})"', sect)
    rechts = re.search(r'<w:pgMar\b[^>]*w:right="(\d{1,9})"', sect)
    if w and links and rechts:
        return max(2000, int(w.group(1)) - int(links.group(1)) - int(rechts.group(1)))
    return 9072


def core_xml(meta: Mapping[str, Any]) -> str:
    """docProps/core.xml: title, subject, creator = gemeente, dates = versie.datum, nl-NL."""
    from kit.templating import taal

    velden = {k: meta.get(k, "") for k in ("document_titel", "gemeente", "versie", "status_label")}
    eig = taal()["eigenschappen"]
    datum = f"{meta.get('datum')}T00:00:00Z"
    t = xml_tekst
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{t(eig['titel'].format(**velden))}</dc:title>"
        f"<dc:subject>{t(eig['onderwerp'].format(**velden))}</dc:subject>"
        f"<dc:creator>{t(str(velden['gemeente']))}</dc:creator>"
        f"<cp:keywords>{t(eig['trefwoorden'].format(**velden))}</cp:keywords>"
        f"<cp:category>{t(str(meta.get('document', '')))}</cp:category>"
        f"<dc:identifier>{t(str(meta.get('slug', '')))}</dc:identifier>"
        f"<cp:lastModifiedBy>{t(str(velden['gemeente']))}</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision>"
        f"<cp:version>{t(str(velden['versie']))}</cp:version>"
        f"<cp:contentStatus>{t(str(velden['status_label']))}</cp:contentStatus>"
        "<dc:language>nl-NL</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{datum}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{datum}</dcterms:modified>'
        "</cp:coreProperties>"
    )


_DOS_DATUM = ((ZIP_TIJD[0] - 1980) << 9) | (ZIP_TIJD[1] << 5) | ZIP_TIJD[2]
_DOS_TIJD = (ZIP_TIJD[3] << 11) | (ZIP_TIJD[4] << 5) | (ZIP_TIJD[5] // 2)


def comprimeer(data: bytes, niveau: int = 3) -> tuple[int, int, bytes]:
    """(crc32, size, raw deflate bytes) of one zip entry. The level is fixed, so the bytes are.
    Level 3 for what each document writes anew (twice as fast as 6, ~10 % larger); the fixed
    parts that are compressed once per process use 6."""
    import zlib

    c = zlib.compressobj(niveau, zlib.DEFLATED, -15)
    return zlib.crc32(data) & 0xFFFFFFFF, len(data), c.compress(data) + c.flush()


#: (name, crc, compressed size, size) → (local header, central record up to its offset field)
#: of the pre-compressed entries (the huisstijl's fixed parts, charts): they recur in every
#: document with the same headers
_ZIP_KOPPEN: dict[tuple[str, int, int, int], tuple[bytes, bytes]] = {}


def _zip_koppen(naam: str, crc: int, gecomprimeerd: int, grootte: int, bewaar: bool) -> tuple[bytes, bytes]:
    """The local file header of an entry and its central directory record without the
    trailing ``offset`` field and name (``struct`` with ``<``: fields are packed without gaps).
    ``bewaar``: keep them for the next document (an entry that recurs)."""
    sleutel = (naam, crc, gecomprimeerd, grootte)
    koppen = _ZIP_KOPPEN.get(sleutel) if bewaar else None
    if koppen is None:
        naam_b = naam.encode("utf-8")
        vlag = 0x800 if not naam.isascii() else 0
        lokaal = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, vlag, 8, _DOS_TIJD, _DOS_DATUM,
            crc, gecomprimeerd, grootte, len(naam_b), 0,
        ) + naam_b
        centraal = struct.pack(
            "<IHHHHHHIIIHHHHHI", 0x02014B50, (3 << 8) | 20, 20, vlag, 8, _DOS_TIJD, _DOS_DATUM,
            crc, gecomprimeerd, grootte, len(naam_b), 0, 0, 0, 0, 0o644 << 16,
        )
        koppen = (lokaal, centraal)
        if bewaar:
            if len(_ZIP_KOPPEN) >= 4096:  # bounded, whatever the huisstijls and charts
                _ZIP_KOPPEN.clear()
            _ZIP_KOPPEN[sleutel] = koppen
    return koppen


def _zip(entries: list[tuple[str, bytes | tuple[int, int, bytes]]]) -> bytes:
    """A zip with the given entry order, a fixed time (1980-01-01) and fixed attributes.

    An entry's data may be given pre-compressed (``comprimeer``): the huisstijl's unchanged
    parts are compressed once per process, not once per document.
    """
    lokaal: list[bytes] = []
    centraal: list[bytes] = []
    positie = 0
    for naam, data in entries:
        vast = isinstance(data, tuple)
        crc, grootte, gecomprimeerd = data if vast else comprimeer(data)
        kop, centraal_kop = _zip_koppen(naam, crc, len(gecomprimeerd), grootte, vast)
        lokaal.append(kop)
        lokaal.append(gecomprimeerd)
        centraal.append(centraal_kop + struct.pack("<I", positie) + kop[30:])  # kop[30:]: the name
        positie += len(kop) + len(gecomprimeerd)
    grootte_cd = sum(map(len, centraal))
    lokaal += centraal
    lokaal.append(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), grootte_cd, positie, 0))
    return b"".join(lokaal)  # one copy of the whole archive


# ------------------------------------------------------------------------------- the body

class _Lichaam:
    """Generates the body XML of one document (bookmark ids, charts)."""

    def __init__(self, stijl: Huisstijl, document: Document, grafieken: Mapping[str, Any]):
        self.h = stijl
        self.doc = document
        self.grafieken = grafieken
        self.bookmark = stijl.bookmark_start
        self.grafieken_uit: list[tuple[str, int, Any]] = []  # (rId, n, Grafiek) of the charts placed
        self.s_kop = {n: stijl.stijl(f"heading {n}", f"Heading{n}") for n in (1, 2, 3)}
        self.s_lid = stijl.stijl("Lid")
        self.s_lijst = stijl.stijl("List Paragraph", "ListParagraph")
        self.s_opsomming = stijl.stijl("Opsomming") or self.s_lijst
        self.s_bijschrift = stijl.stijl("caption", "Caption")
        self.s_tabel = stijl.stijl("Table Grid", "TableGrid")
        self.s_tabeltekst = stijl.stijl("Tabeltekst")

    def _bm(self, naam: str, inhoud: str) -> str:
        nummer = self.bookmark
        self.bookmark += 1
        return bookmark_xml(naam, nummer, inhoud)

    def xml(self) -> str:
        blok = self.blok
        return "".join([blok(b) for b in self.doc.blokken])

    def blok(self, b: Blok) -> str:
        soort = b.soort  # the most frequent kinds first
        if soort == "alinea":
            return self.alinea(b)
        if soort == "kop":
            return self.kop(b)
        if soort == "lijst":
            return self.lijst(b)
        if soort == "tabel":
            return self.tabel(b)
        if soort == "figuur":
            return self.figuur(b)
        if soort == "pagina":
            return pagina_xml()
        return ""

    def kop(self, b: Blok) -> str:
        """A heading; ``b.nieuwe_pagina``: it starts a page (pageBreakBefore, see kit/model.py)."""
        sid = self.s_kop.get(b.niveau)
        extra = "" if sid else "<w:keepNext/>"
        if b.nieuwe_pagina:
            extra += "<w:pageBreakBefore/>"
        if not sid:
            extra += f'<w:outlineLvl w:val="{b.niveau - 1}"/>'
        run = _tekst_run(b.kop_tekst, vet=not sid)
        return alinea_xml(self._bm(bookmark_naam(b.id), run), sid, extra)

    def _eigen_stijl(self, b: Blok) -> str | None:
        return self.h.stijl(b.stijl) if b.stijl else None

    def alinea(self, b: Blok) -> str:
        if b.lid and b.label:
            inhoud = _tekst_run(b.label) + _TAB + runs_xml(b.runs)
            return alinea_xml(inhoud, self._eigen_stijl(b) or self.s_lid)
        return alinea_xml(runs_xml(b.runs), self._eigen_stijl(b))

    def lijst(self, b: Blok) -> str:
        if b.label:
            inhoud = _tekst_run(b.label) + _TAB + runs_xml(b.runs)
            return alinea_xml(inhoud, self._eigen_stijl(b) or self.s_lijst)
        inhoud = _OPSOMMINGSTEKEN + runs_xml(b.runs)
        return alinea_xml(inhoud, self._eigen_stijl(b) or self.s_opsomming)

    def _bijschrift(self, b: Blok) -> str:
        tekst = f"{b.label}. {b.titel}" if b.titel else b.label
        return alinea_xml(self._bm(bookmark_naam(b.anker), _tekst_run(tekst)), self.s_bijschrift,
                          "" if self.s_bijschrift else "<w:keepNext/>")

    def tabel(self, b: Blok) -> str:
        kolommen = max((len(r) for r in b.rijen), default=1) or 1
        breedte = self.h.tekstbreedte
        kol = breedte // kolommen
        delen = [self._bijschrift(b), "<w:tbl><w:tblPr>"]
        if self.s_tabel:
            delen.append(f'<w:tblStyle w:val="{self.s_tabel}"/>')
        delen.append(f'<w:tblW w:w="{breedte}" w:type="dxa"/>')
        if not self.s_tabel:
            delen.append(
                "<w:tblBorders>" + "".join(
                    f'<w:{k} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
                    for k in ("top", "left", "bottom", "right", "insideH", "insideV")
                ) + "</w:tblBorders>"
            )
        delen.append('<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
                     'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>')
        delen.append(f'<w:gridCol w:w="{kol}"/>' * kolommen)
        delen.append("</w:tblGrid>")
        # a column of figures is right-aligned as a whole, its header too; the first column holds
        # the row labels (a year, a name) and stays left-aligned, like any column with text in it.
        # Each cell opens with the same XML per column (header row / other rows): built once here.
        rechts = ['<w:jc w:val="right"/>' if c > 0 and _cijferkolom(b.rijen, c) else "" for c in range(kolommen)]
        tcw = f'<w:tcW w:w="{kol}" w:type="dxa"/>'
        stijl = self.s_tabeltekst
        cel_kop = [f"<w:tc><w:tcPr>{tcw}{_KOP_SCHADUW}</w:tcPr><w:p>" + ppr_xml(stijl, r + "<w:keepNext/>")
                   for r in rechts]
        cel_rij = [f"<w:tc><w:tcPr>{tcw}</w:tcPr><w:p>" + ppr_xml(stijl, r) for r in rechts]
        for i, rij in enumerate(b.rijen):
            kop = i == 0
            # a row never splits over two pages (w:cantSplit); the header row repeats on each page
            delen.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if kop
                         else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            run_open = _RUN_OPEN_VET if kop else _RUN_OPEN
            if len(rij) < kolommen:
                rij = list(rij) + [""] * (kolommen - len(rij))
            for open_, cel in zip(cel_kop if kop else cel_rij, rij):
                if _BIJZONDER_IN_CEL.search(cel) is None:  # one plain run: written directly
                    delen.append(open_ + run_open + cel + "</w:t></w:r></w:p></w:tc>")
                else:
                    delen.append(open_ + runs_xml(_cel_runs(cel, kop)) + "</w:p></w:tc>")
            delen.append("</w:tr>")
        delen.append("</w:tbl>")
        # an empty paragraph after a table keeps the next table or heading apart. Its mark is
        # small (4 pt): with a full-size empty paragraph here, LibreOffice 7.4 dropped the rows
        # of an unsplittable table that broke over a page (Huizen beleidskader, Tabel 3, at
        # commit efbb808^) — tests/test_pdf_opmaak.py checks every row of every document.
        delen.append(alinea_xml("", None, '<w:spacing w:before="0" w:after="0"/>'
                                '<w:rPr><w:sz w:val="8"/><w:szCs w:val="8"/></w:rPr>'))
        return "".join(delen)

    def figuur(self, b: Blok) -> str:
        """A native chart (kit/grafiek_xml.py) with its caption; alt text = what it shows."""
        from kit.grafiek_xml import EMU_PER_CM, inline_xml

        grafiek = self.grafieken.get(b.grafiek)
        if grafiek is None:
            raise InputError(bericht("render.grafiek_ontbreekt", document=self.doc.naam, naam=b.grafiek))
        n = len(self.grafieken_uit) + 1
        rid = f"rIdKit{n}"
        while rid in self.h.rid_bestaand:
            rid += "x"
        self.grafieken_uit.append((rid, n, grafiek))
        cx = self.h.tekstbreedte * EMU_PER_TWIP
        cy = int(grafiek.hoogte_cm * EMU_PER_CM)
        tekening = inline_xml(rid, 5000 + n, f"{b.label} {grafiek.naam}", grafiek.beschrijving,
                              f"{b.label}. {b.titel}", cx, cy)
        return alinea_xml(tekening, None, '<w:keepNext/><w:jc w:val="center"/>') + self._bijschrift(b)


_HUISSTIJLEN: dict[str, Huisstijl] = {}


def huisstijl(pad: Path | str) -> Huisstijl:
    """The prepared huisstijl for ``pad`` (once per process; keyed by path and mtime)."""
    from kit.loader import bestand_fout

    fout = bestand_fout(pad)
    if fout is not None:
        raise InputError(bericht("huisstijl.onleesbaar", pad=pad, reden=fout.reden))
    try:
        p = Path(pad).resolve()
        sleutel = f"{p}:{p.stat().st_mtime_ns}"
    except (OSError, ValueError, RuntimeError):
        raise InputError(bericht("render.huisstijl_ontbreekt", pad=pad)) from None
    if sleutel not in _HUISSTIJLEN:
        _HUISSTIJLEN[sleutel] = Huisstijl(p)
    return _HUISSTIJLEN[sleutel]
