"""``kit diff OUD NIEUW``: the griffie's version pack.

Both versions are loaded (a file, or ``REV:path`` for a version in git: the file and its
``extends:`` chain, huisstijl and teksten are materialised from that revision into a temp
folder), validated, and rendered to document *models* (no file written). Then:

* ``wijzigingen.docx`` / ``.md`` — one row per changed key path, with the sections it touches;
* ``redline-<document>.docx`` — native tracked changes (engine: :mod:`kit.redline`);
* ``drieluik-verordening.docx`` — huidige tekst | nieuwe tekst | toelichting, per changed article;
* ``wijzigingsverordening.docx`` — draft amending regulation for an adopted old version.

All Dutch text lives in ``templates/diff/`` (markup rendered through the kit's model and
writer, so the pack carries the huisstijl) and ``kit/data/berichten/diff.yaml``.
"""

from __future__ import annotations

import difflib
import functools
import re
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable

import yaml

from kit.berichten import bericht
from kit.errors import InputError, KitError, ValidationFailed

SJABLONEN = "diff"
_ISO_DATUM = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_REF = re.compile(r"(?<!\\)⟦(ref|nr):([a-z0-9-]+)⟧")
NIET_VERGELEKEN = ("versie",)
#: what the templates of templates/diff/ see (besides ``meta``, ``gemeente`` and the filters)
PAKKET_SLEUTELS = (
    "oud", "nieuw", "wijzigingen", "documenten", "waarschuwingen", "geen_wijzigingen", "drieluik",
    "wijzigingsverordening", "rijen", "vernummerd", "citeertitel", "onderdelen", "citeertitel_oud",
    "gelet_op", "verordening_nieuw", "versie_nieuw",
)   # the versions themselves are named on every page, not as a change


# ------------------------------------------------------------------------------- one version

@dataclass
class Versie:
    bron: str                          # as the user wrote it
    choices: Any
    ctx: dict
    modellen: dict[str, Any]           # document name -> Document
    markup: dict[str, str]
    metas: dict[str, dict]
    stijl: Any
    stijl_pad: Path
    invoer: list[Path] = field(default_factory=list)
    bevindingen: list = field(default_factory=list)

    @property
    def meta(self) -> dict:
        return self.ctx["meta"]


def _git(map_: Path, *args: str) -> bytes:
    try:
        r = subprocess.run(["git", *args], cwd=map_, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        raise InputError(bericht("diff.git_niet_beschikbaar", fout=e)) from e
    if r.returncode != 0:
        raise InputError(bericht("diff.git_fout", opdracht=" ".join(args), fout=r.stderr.decode("utf-8", "replace").strip()))
    return r.stdout


def splits_revisie(bron: str) -> tuple[str, str] | None:
    """``"HEAD~1:choices/x.yaml"`` → ("HEAD~1", "choices/x.yaml"); a plain existing file → None."""
    if Path(bron).exists() or ":" not in bron:
        return None
    rev, _, pad = bron.partition(":")
    if not rev or not pad or (len(rev) == 1 and rev.isalpha()):  # "C:\\..." is a path
        return None
    return rev, pad


def materialiseer(rev: str, pad: str, doelmap: Path) -> Path:
    """Write ``pad`` at ``rev`` (and its extends chain, huisstijl, teksten) under ``doelmap``."""
    cwd = Path.cwd()
    try:
        top = Path(_git(cwd, "rev-parse", "--show-toplevel").decode().strip())
    except InputError as e:
        raise InputError(bericht("diff.revisie_onleesbaar", bron=f"{rev}:{pad}", fout=str(e))) from e
    try:
        _git(cwd, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except InputError as e:
        raise InputError(bericht("diff.revisie_onbekend", rev=rev, bron=f"{rev}:{pad}")) from e
    rel = PurePosixPath((cwd / pad).resolve().relative_to(top.resolve()).as_posix()) if not pad.startswith("/") else None
    if rel is None:
        raise InputError(bericht("diff.pad_niet_in_repo", bron=f"{rev}:{pad}"))
    gezien: set[str] = set()

    def haal(r: PurePosixPath, verplicht: bool = True) -> bytes | None:
        try:
            data = _git(top, "show", f"{rev}:{r.as_posix()}")
        except InputError as e:
            if not verplicht:
                return None
            raise InputError(bericht("diff.pad_onbekend", rev=rev, pad=r.as_posix(), bron=f"{rev}:{pad}")) from e
        doel = doelmap / r
        doel.parent.mkdir(parents=True, exist_ok=True)
        doel.write_bytes(data)
        return data

    def keten(r: PurePosixPath) -> None:
        if r.as_posix() in gezien:
            return
        gezien.add(r.as_posix())
        data = haal(r)
        try:
            inhoud = yaml.safe_load(data) if data else None
        except yaml.YAMLError:
            return  # the loader reports it with a line number
        if not isinstance(inhoud, dict):
            return
        basis = r.parent
        if isinstance(inhoud.get("extends"), str):
            keten(_normaal(basis / inhoud["extends"]))
        gemeente = inhoud.get("gemeente") if isinstance(inhoud.get("gemeente"), dict) else {}
        if isinstance(gemeente.get("huisstijl"), str):
            haal(_normaal(basis / gemeente["huisstijl"]), verplicht=False)
        if isinstance(gemeente.get("teksten"), str):
            map_ = _normaal(basis / gemeente["teksten"])
            namen = _git(top, "ls-tree", "-r", "--name-only", rev, "--", map_.as_posix()).decode().split("\n")
            for naam in filter(None, namen):
                haal(PurePosixPath(naam), verplicht=False)

    keten(rel)
    return doelmap / rel


def _normaal(p: PurePosixPath) -> PurePosixPath:
    delen: list[str] = []
    for d in p.parts:
        if d == "..":
            if delen:
                delen.pop()
        elif d != ".":
            delen.append(d)
    return PurePosixPath(*delen)


def _relatief_pad(choices: Any, waarde: str) -> Path:
    p = Path(waarde)
    return p if p.is_absolute() else Path(choices.path).parent / p


def laad_versie(bron: str, werkmap: Path, naam: str) -> Versie:
    """Load, validate and render one version to models. Errors: InputError / ValidationFailed."""
    from kit.loader import load_choices
    from kit.validate import validate

    rev = splits_revisie(bron)
    pad = materialiseer(rev[0], rev[1], werkmap / naam) if rev else Path(bron)
    choices = load_choices(pad)
    bevindingen = validate(choices)
    if rev:  # name the revision, not the temp folder, in findings
        bevindingen = [_hernoem(f, werkmap / naam, rev[0]) for f in bevindingen]
    if any(f.is_fout for f in bevindingen):
        raise ValidationFailed(bericht("diff.ongeldig", bron=bron), bevindingen)
    versie = _render_modellen(choices, bron)
    versie.bevindingen = bevindingen
    if rev:
        versie.invoer = []
    return versie


def _hernoem(f: Any, map_: Path, rev: str) -> Any:
    import dataclasses

    if f.bestand is None:
        return f
    try:
        rel = Path(f.bestand).resolve().relative_to(map_.resolve()).as_posix()
    except ValueError:
        return f
    return dataclasses.replace(f, bestand=f"{rev}:{rel}")


def _render_modellen(choices: Any, bron: str) -> Versie:
    from kit.context import build_context, meta_voor
    from kit.model import parse
    from kit.render import DOCUMENTEN, STANDAARD_HUISSTIJL, _met_open_punten, renderer
    from kit.templating import DOCUMENTEN as SJABLOON

    r = renderer()
    ctx = build_context(choices, r.wet(choices))
    gemeente = ctx.get("gemeente") or {}
    extra = _relatief_pad(choices, gemeente["teksten"]) if gemeente.get("teksten") else None
    sj = r.sjablonen(extra)
    stijl_pad = _relatief_pad(choices, gemeente["huisstijl"]) if gemeente.get("huisstijl") else STANDAARD_HUISSTIJL
    modellen, markup, metas = {}, {}, {}
    for naam in DOCUMENTEN:
        meta = meta_voor(ctx, naam)
        markup[naam] = sj.render(naam, dict(ctx, meta=meta))
        modellen[naam] = parse(markup[naam], naam, titel=meta["document_titel"], bron=SJABLOON[naam])
        # the same markers and annex as kit render (issue 11), so a redline accepts to the render
        modellen[naam] = _met_open_punten(sj, ctx, meta, modellen[naam], markup[naam], naam, SJABLOON[naam])
        metas[naam] = meta
    invoer = list(choices.files)
    return Versie(bron, choices, ctx, modellen, markup, metas, r.huisstijl(stijl_pad), stijl_pad, invoer)


# ------------------------------------------------------------------------------- changed choices

def _keuzes(ctx: dict) -> dict:
    from kit.context import AFGELEIDE_SLEUTELS

    return {k: v for k, v in ctx.items() if k not in AFGELEIDE_SLEUTELS and k not in NIET_VERGELEKEN}


def plat(data: Any, voorvoegsel: str = "") -> dict[str, Any]:
    """Flatten mappings to dotted key paths; lists and scalars are leaves (compared whole)."""
    uit: dict[str, Any] = {}
    if isinstance(data, dict) and (data or not voorvoegsel):
        for k, v in data.items():
            uit.update(plat(v, f"{voorvoegsel}.{k}" if voorvoegsel else str(k)))
    else:
        uit[voorvoegsel] = data
    return uit


def _schema_volgorde() -> dict[str, int]:
    from kit.schema import iter_keys

    return {k: i for i, k in enumerate(iter_keys())}


def waarde_info(sleutel: str, aanwezig: bool, waarde: Any) -> dict:
    """A value as the templates show it (no prose here: the template words it)."""
    from kit.schema import enum_labels

    info: dict[str, Any] = {"aanwezig": aanwezig and waarde is not None, "waarde": waarde, "enum": None, "soort": "tekst"}
    if not info["aanwezig"]:
        return info
    labels = enum_labels(sleutel)
    if isinstance(waarde, bool):
        info["soort"] = "ja_nee"
    elif isinstance(waarde, (int, float)):
        info["soort"] = "getal"
    elif isinstance(waarde, list):
        info["soort"] = "lijst"
        info["waarde"] = [_item(x, labels) for x in waarde]
    elif isinstance(waarde, dict):
        info["soort"] = "lijst"
        info["waarde"] = [f"{k}: {_item(v, {})}" for k, v in waarde.items()]
    elif isinstance(waarde, str) and _ISO_DATUM.match(waarde):
        info["soort"] = "datum"
    if labels and not isinstance(waarde, (list, dict)) and str(waarde) in labels and labels[str(waarde)] != str(waarde):
        info["enum"] = labels[str(waarde)]
    return info


def _item(x: Any, labels: dict) -> str:
    if isinstance(x, dict):
        return ", ".join(f"{k}: {_item(v, {})}" for k, v in x.items())
    if isinstance(x, list):
        return ", ".join(_item(v, {}) for v in x)
    return labels.get(str(x), str(x)) if labels else str(x)


def raakt(sleutel: str, keuzes: list[str]) -> bool:
    return any(sleutel == p or sleutel.startswith(p + ".") or sleutel.startswith(p + "[") or p.startswith(sleutel + ".")
               for p in keuzes)


def artikelnummers(doc: Any) -> dict[str, int]:
    """kop id → article number (1..) for every article, in document order."""
    uit: dict[str, int] = {}
    for b in doc.koppen():
        if b.soort_kop == "artikel":
            uit[b.id] = len(uit) + 1
    return uit


def onderdelen(sleutel: str, oud: Any, nieuw: Any) -> list[dict]:
    """The headings of one document (both versions) whose ``keuzes`` cover ``sleutel``."""
    uit = []
    o_koppen = {b.id: b for b in oud.koppen()}
    n_koppen = {b.id: b for b in nieuw.koppen()}
    for id_, b in list(n_koppen.items()) + [(i, b) for i, b in o_koppen.items() if i not in n_koppen]:
        o, n = o_koppen.get(id_), n_koppen.get(id_)
        if not raakt(sleutel, (o.keuzes if o else []) + (n.keuzes if n else [])):
            continue
        uit.append({
            "id": id_,
            "label": (n or o).label,
            "titel": (n or o).titel,
            "oud_label": o.label if o else None,
            "nieuw_label": n.label if n else None,
            "status": "nieuw" if o is None else ("vervallen" if n is None else "bestaand"),
        })
    return uit


def wijzigingen(oud: Versie, nieuw: Versie) -> list[dict]:
    from kit.schema import label

    o, n = plat(_keuzes(oud.ctx)), plat(_keuzes(nieuw.ctx))
    volgorde = _schema_volgorde()
    positie = {k: i for i, k in enumerate(dict.fromkeys(list(n) + list(o)))}
    sleutels = sorted(positie, key=lambda k: (volgorde.get(k, len(volgorde)), positie[k]))
    rijen = []
    for k in sleutels:
        if k in o and k in n and o[k] == n[k]:
            continue
        if o.get(k) in (None, "", [], {}) and n.get(k) in (None, "", [], {}):
            continue
        raakt_docs = []
        for naam, doc in nieuw.modellen.items():
            delen = onderdelen(k, oud.modellen[naam], doc)
            if delen:
                raakt_docs.append({"document": naam, "titel": nieuw.metas[naam]["document_titel"], "onderdelen": delen})
        rijen.append({
            "sleutel": k,
            "label": label(k),
            "oud": waarde_info(k, k in o, o.get(k)),
            "nieuw": waarde_info(k, k in n, n.get(k)),
            "raakt": raakt_docs,
        })
    return rijen


# ------------------------------------------------------------------------------- articles

def _artikel_regels(blokken: list) -> list[dict]:
    """An article as lines: heading, then leden / list items with their labels."""
    kop, rest = blokken[0], blokken[1:]
    regels = [{"soort": "kop", "label": kop.label, "tekst": kop.titel}]
    for b in rest:
        if b.soort in ("alinea", "lijst"):
            regels.append({"soort": b.soort, "label": b.label, "tekst": b.tekst})
        elif b.soort == "tabel":
            regels.append({"soort": "tabel", "label": b.label, "tekst": b.titel})
            regels += [{"soort": "rij", "label": "", "tekst": " | ".join(r)} for r in b.rijen]
    return regels


def _gewijzigde_leden(oud: list[dict], nieuw: list[dict]) -> list[str]:
    """Labels ("2.", "b.") of the new lines whose text differs from the old article."""
    o_teksten = {r["tekst"] for r in oud}
    uit = []
    lid = ""
    for r in nieuw[1:]:
        if r["soort"] == "alinea" and r["label"]:
            lid = r["label"]
        if r["tekst"] not in o_teksten:
            label = r["label"] if r["soort"] != "lijst" or not lid else f"{lid}{r['label']}"
            uit.append(label or "")
    return list(dict.fromkeys(uit))


def _sectie_tekst(blokken: list) -> tuple:
    return tuple((b.soort, b.label if b.soort != "kop" else "", b.titel, b.tekst, tuple(map(tuple, b.rijen))) for b in blokken)


def artikel_plan(oud_doc: Any, nieuw_doc: Any) -> list[dict]:
    """Articles aligned by id, in article order: gewijzigd / nieuw / vervallen (and vernummerd)."""
    o_nr, n_nr = artikelnummers(oud_doc), artikelnummers(nieuw_doc)
    o_sec, n_sec = oud_doc.secties(), nieuw_doc.secties()
    o_ids, n_ids = list(o_nr), list(n_nr)
    stappen: list[dict] = []
    sm = difflib.SequenceMatcher(None, o_ids, n_ids, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            for id_ in o_ids[i1:i2]:
                gewijzigd = _sectie_tekst(o_sec[id_]) != _sectie_tekst(n_sec[id_])
                soort = "gewijzigd" if gewijzigd else ("vernummerd" if o_nr[id_] != n_nr[id_] else "gelijk")
                stappen.append({"soort": soort, "id": id_, "oud_nr": o_nr[id_], "nieuw_nr": n_nr[id_]})
            continue
        for id_ in o_ids[i1:i2]:
            stappen.append({"soort": "vervallen", "id": id_, "oud_nr": o_nr[id_], "nieuw_nr": None})
        for id_ in n_ids[j1:j2]:
            stappen.append({"soort": "nieuw", "id": id_, "oud_nr": None, "nieuw_nr": n_nr[id_]})
    for s in stappen:
        o = o_sec.get(s["id"]) if s["oud_nr"] else None
        n = n_sec.get(s["id"]) if s["nieuw_nr"] else None
        s["titel"] = (n or o)[0].titel
        s["oud_label"] = o[0].label if o else None
        s["nieuw_label"] = n[0].label if n else None
        s["oud_regels"] = _artikel_regels(o) if o else []
        s["nieuw_regels"] = _artikel_regels(n) if n else []
        s["keuzes"] = list(dict.fromkeys((o[0].keuzes if o else []) + (n[0].keuzes if n else [])))
        s["gewijzigde_leden"] = _gewijzigde_leden(s["oud_regels"], s["nieuw_regels"]) if o and n else []
    return stappen


def _wijzigingen_voor(keuzes: list[str], rijen: list[dict]) -> list[dict]:
    return [r for r in rijen if raakt(r["sleutel"], keuzes)]


def wijzig_nummers(stappen: list[dict]) -> dict[str, str]:
    """id → the article number in the adopted regeling after amendment (no renumbering:
    existing articles keep their old number, inserted ones get a letter suffix)."""
    from kit.model import _letters

    uit: dict[str, str] = {}
    vorige, n = "0", 0
    for s in stappen:
        if s["oud_nr"] is not None:
            vorige, n = str(s["oud_nr"]), 0
            uit[s["id"]] = vorige
        else:
            n += 1
            uit[s["id"]] = f"{vorige}{_letters(n)}"
    return uit


def _markup_met_nummers(markup: str, nummers: dict[str, str]) -> str:
    """References to articles in the new markup, with the numbers of the amended regeling."""
    from kit.templating import taal

    def vervang(m: re.Match) -> str:
        soort, id_ = m.group(1), m.group(2)
        if id_ not in nummers:
            return m.group(0)
        return nummers[id_] if soort == "nr" else taal()["verwijzing"]["artikel"].format(nr=nummers[id_])

    return _REF.sub(vervang, markup)


# ------------------------------------------------------------------------------- the pack

@dataclass
class Pakket:
    bestanden: dict[str, bytes] = field(default_factory=dict)
    waarschuwingen: list[str] = field(default_factory=list)
    geen_wijzigingen: bool = False


def _omgeving():
    from kit.templating import sjablonen

    return sjablonen(None)


@functools.lru_cache(maxsize=1)
def _teksten() -> dict:
    from kit.templating import SJABLONEN as MAP

    return yaml.safe_load((MAP / SJABLONEN / "teksten.yaml").read_text(encoding="utf-8"))


def tekst(sleutel: str, **context: Any) -> str:
    """A short text of ``templates/diff/teksten.yaml`` (Jinja, sandboxed, not escaped)."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    from kit.templating import FILTERS

    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined)
    env.filters.update(FILTERS)
    return env.from_string(_teksten()[sleutel]).render(**context).strip()


def _versie_info(v: Versie) -> dict:
    m = v.meta
    return {"nummer": m["versie"], "datum": m["datum"], "status": m["status_label"], "gemeente": m["gemeente"], "bron": v.bron}


def _pakket_meta(nieuw: Versie, info: dict, soort: str, document: str = "") -> dict:
    meta = dict(nieuw.meta)
    titel_doc = nieuw.metas[document]["document_titel"] if document else ""
    meta["document"] = soort
    meta["document_titel"] = tekst(f"titel_{soort}", document=titel_doc, **info)
    meta["versie"] = tekst("versies", **info)
    meta["ter_advisering"] = False
    return meta


def _schrijf_markup(stijl: Any, sjabloon: str, ctx: dict, meta: dict, hcontext: dict) -> bytes:
    from kit.model import parse

    markup = _omgeving().render(f"{SJABLONEN}/{sjabloon}", dict(ctx, meta=meta))
    doc = parse(markup, "diff", titel=meta["document_titel"], bron=f"{SJABLONEN}/{sjabloon}")
    return stijl.schrijf(doc, meta, {}, hcontext)


def _liggend(stijl_pad: Path, werkmap: Path):
    """The huisstijl on landscape A4 (page size swapped, footer tab at the new text width)."""
    from kit.docx_writer import Huisstijl

    with zipfile.ZipFile(stijl_pad) as z:
        delen = [(i, z.read(i.filename)) for i in z.infolist()]
    uit = werkmap / f"liggend-{stijl_pad.name}"
    with zipfile.ZipFile(uit, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in delen:
            if info.filename == "word/document.xml":
                tekst_ = data.decode("utf-8")
                m = re.search(r'<w:pgSz\b[^>]*/>', tekst_[tekst_.rfind("<w:sectPr"):])
                if m:
                    w = re.search(r'w:w="(\d+)"', m.group(0))
                    h = re.search(r'w:h="(\d+)"', m.group(0))
                    if w and h and int(w.group(1)) < int(h.group(1)):
                        nieuw = f'<w:pgSz w:w="{h.group(1)}" w:h="{w.group(1)}" w:orient="landscape"/>'
                        start = tekst_.rfind("<w:sectPr")
                        tekst_ = tekst_[:start] + tekst_[start:].replace(m.group(0), nieuw, 1)
                data = tekst_.encode("utf-8")
            z.writestr(info, data)
    stijl = Huisstijl(uit)
    _voet_tab(stijl)
    return stijl


def _voet_tab(stijl: Any) -> None:
    """Right tab of the footer at the landscape text width (the style's tab is for portrait)."""
    tab = f'<w:tabs><w:tab w:val="clear" w:pos="9071"/><w:tab w:val="right" w:pos="{stijl.tekstbreedte}"/></w:tabs>'
    for naam, sj in list(stijl.sjablonen.items()):
        if "footer" in naam:
            bron = stijl.env.loader.get_source(stijl.env, naam)[0]
            bron = bron.replace('<w:pStyle w:val="Footer"/>', '<w:pStyle w:val="Footer"/>' + tab)
            stijl.sjablonen[naam] = stijl.env.from_string(bron)


def maak_pakket(oud: Versie, nieuw: Versie, werkmap: Path) -> Pakket:
    from kit.redline import RedlineLichaam, is_gewijzigd, plan
    from kit.render import DOCUMENTEN

    pakket = Pakket()
    info = {"oud": _versie_info(oud), "nieuw": _versie_info(nieuw)}
    hcontext = {k: nieuw.ctx.get(k) for k in ("gemeente", "versie", "advies")}
    if oud.meta["slug"] != nieuw.meta["slug"]:
        pakket.waarschuwingen.append(bericht("diff.andere_gemeente", oud=oud.meta["gemeente"], nieuw=nieuw.meta["gemeente"]))

    rijen = wijzigingen(oud, nieuw)
    plannen = {naam: plan(oud.modellen[naam], nieuw.modellen[naam]) for naam in DOCUMENTEN}
    gewijzigd = [naam for naam in DOCUMENTEN if is_gewijzigd(plannen[naam])]
    documenten = [{"naam": n, "titel": nieuw.metas[n]["document_titel"], "gewijzigd": n in gewijzigd,
                   "bestand": f"redline-{n}.docx" if n in gewijzigd else None} for n in DOCUMENTEN]
    artikelen = artikel_plan(oud.modellen["verordening"], nieuw.modellen["verordening"])
    for a in artikelen:
        a["wijzigingen"] = _wijzigingen_voor(a["keuzes"], rijen)
    drieluik = [a for a in artikelen if a["soort"] in ("gewijzigd", "nieuw", "vervallen")]
    vernummerd = [a for a in artikelen if a["soort"] == "vernummerd" or
                  (a["soort"] == "gewijzigd" and a["oud_nr"] != a["nieuw_nr"])]
    pakket.geen_wijzigingen = not rijen and not gewijzigd
    ctx = {
        **info,
        "wijzigingen": rijen,
        "documenten": documenten,
        "waarschuwingen": pakket.waarschuwingen,
        "geen_wijzigingen": pakket.geen_wijzigingen,
        "drieluik": bool(drieluik),
        "wijzigingsverordening": bool(drieluik),
        "gemeente": nieuw.ctx.get("gemeente"),
    }
    stijl = nieuw.stijl
    liggend = _liggend(nieuw.stijl_pad, werkmap)
    pakket.bestanden["wijzigingen.docx"] = _schrijf_markup(liggend, "wijzigingen.md.j2", ctx, _pakket_meta(nieuw, info, "wijzigingen"), hcontext)
    pakket.bestanden["wijzigingen.md"] = _omgeving().render(f"{SJABLONEN}/wijzigingen.markdown.j2", ctx).encode("utf-8")
    if pakket.geen_wijzigingen:
        return pakket

    auteur = str((nieuw.ctx.get("versie") or {}).get("auteur") or nieuw.meta["gemeente"])
    datum = f"{nieuw.meta['datum']}T00:00:00Z"
    for naam in gewijzigd:
        meta = _pakket_meta(nieuw, info, "redline", naam)
        lichaam = functools.partial(RedlineLichaam, stappen=plannen[naam], auteur=auteur, datum=datum,
                                    oude_grafieken=oud.ctx.get("grafieken") or {})
        pakket.bestanden[f"redline-{naam}.docx"] = stijl.schrijf(
            nieuw.modellen[naam], meta, nieuw.ctx.get("grafieken") or {}, hcontext, lichaam=lichaam)

    if drieluik:
        d_ctx = dict(ctx, rijen=drieluik, vernummerd=vernummerd, citeertitel=_citeertitel(nieuw))
        pakket.bestanden["drieluik-verordening.docx"] = _schrijf_markup(
            liggend, "drieluik.md.j2", d_ctx, _pakket_meta(nieuw, info, "drieluik", "verordening"), hcontext)
        pakket.bestanden["wijzigingsverordening.docx"] = _schrijf_markup(
            stijl, "wijzigingsverordening.md.j2", _wijzigingsverordening_ctx(oud, nieuw, artikelen, ctx),
            _pakket_meta(nieuw, info, "wijzigingsverordening", "verordening"), hcontext)
    return pakket


def _citeertitel(v: Versie) -> str:
    kop = v.modellen["verordening"].kop("aanhef")
    return kop.titel if kop is not None else v.metas["verordening"]["document_titel"]


def _wijzigingsverordening_ctx(oud: Versie, nieuw: Versie, artikelen: list[dict], ctx: dict) -> dict:
    from kit.model import parse

    nummers = wijzig_nummers(artikelen)
    doc = parse(_markup_met_nummers(nieuw.markup["verordening"], nummers), "verordening")
    secties = doc.secties()
    oude_secties = oud.modellen["verordening"].secties()
    onderdelen_: list[dict] = []
    vorige = None
    for a in artikelen:
        if a["soort"] == "gewijzigd" and _sectie_tekst(secties[a["id"]]) == _sectie_tekst(oude_secties[a["id"]]):
            # changed only in the renumbered consolidated text (a reference to an article whose
            # number moved); with the adopted numbering the text is the same: not amended
            vorige = nummers[a["id"]]
            continue
        if a["soort"] in ("gewijzigd", "nieuw", "vervallen"):
            o = dict(a, nummer=nummers[a["id"]], na=vorige, letter="")
            o["regels"] = _artikel_regels(secties[a["id"]]) if a["nieuw_nr"] else []
            onderdelen_.append(o)
        vorige = nummers[a["id"]]
    from kit.model import _letters

    for i, o in enumerate(onderdelen_, 1):
        o["letter"] = _letters(i).upper()
    aanhef = [b.tekst for b in nieuw.modellen["verordening"].secties().get("aanhef", []) if b.soort == "alinea"]
    # the last "gelet op" is the legal basis; an earlier one names the advice on the original text
    gelet_op = next((t for t in reversed(aanhef) if t.startswith(tekst("gelet_op_begin"))), "")
    return dict(ctx, onderdelen=onderdelen_, citeertitel_oud=_citeertitel(oud), citeertitel=_citeertitel(nieuw),
                gelet_op=gelet_op, verordening_nieuw=nieuw.ctx.get("verordening"), versie_nieuw=nieuw.ctx.get("versie"))


# ------------------------------------------------------------------------------- writing

def schrijf_pakket(pakket: Pakket, uitvoer: Path, invoer: list[Path]) -> list[Path]:
    from kit.manifest import Manifest, schrijf_alles

    uitvoer = Path(uitvoer)
    manifest = Manifest(uitvoer)
    manifest.controleer(list(pakket.bestanden))
    # outputs of an earlier pack that this pack does not make: removed when untouched
    for naam in list(manifest.uitvoer):
        if naam not in pakket.bestanden and not manifest.gewijzigd(naam):
            (uitvoer / naam).unlink(missing_ok=True)
            del manifest.uitvoer[naam]
    try:
        return schrijf_alles(uitvoer, pakket.bestanden, manifest)
    finally:
        manifest.schrijf(invoer)


def diff(oud: str, nieuw: str, uitvoer: Path | str) -> tuple[Pakket, list[Path], list]:
    """Build and write the pack. Returns (pack, written files, warnings of validation)."""
    with tempfile.TemporaryDirectory(prefix="kit-diff-") as tmp:
        werkmap = Path(tmp)
        fouten: list = []
        versies: list[Versie] = []
        for bron, naam in ((oud, "oud"), (nieuw, "nieuw")):
            try:
                versies.append(laad_versie(bron, werkmap, naam))
            except ValidationFailed as e:
                fouten.append(e)
        if fouten:
            alle = [f for e in fouten for f in e.findings]
            raise ValidationFailed("\n".join(str(e) for e in fouten), alle)
        v_oud, v_nieuw = versies
        pakket = maak_pakket(v_oud, v_nieuw, werkmap)
        invoer = [p for p in v_oud.invoer + v_nieuw.invoer + [v_nieuw.stijl_pad] if not str(p).startswith(tmp)]
        geschreven = schrijf_pakket(pakket, Path(uitvoer), invoer)
        waarschuwingen = [f for v in versies for f in v.bevindingen if not f.is_fout]
        return pakket, geschreven, waarschuwingen


def diff_cli(oud: str, nieuw: str, uitvoer: Path | str = Path("build/diff"), echo: Callable[..., Any] = print) -> int:
    """``kit diff``: 0 ok, 1 invalid input, 2 unreadable input / usage, 3 would overwrite."""
    def fout(t: str) -> None:
        try:
            echo(t, err=True)
        except TypeError:
            echo(t)

    try:
        pakket, geschreven, waarschuwingen = diff(str(oud), str(nieuw), uitvoer)
    except ValidationFailed as e:
        for f in e.findings:
            fout(f.als_tekst())
        fout(str(e))
        return e.exit_code
    except KitError as e:
        fout(str(e))
        return e.exit_code
    for f in waarschuwingen:
        fout(f.als_tekst())
    for w in pakket.waarschuwingen:
        fout(bericht("diff.waarschuwing", tekst=w))
    if pakket.geen_wijzigingen:
        echo(bericht("diff.geen_wijzigingen", map=uitvoer))
    echo(bericht("diff.geschreven", map=uitvoer, bestanden=", ".join(p.name for p in geschreven)))
    return 0

