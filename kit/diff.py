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
import os
import re
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable

import yaml

from kit.berichten import bericht, os_reden
from kit.errors import InputError, KitError, Refused, ValidationFailed

SJABLONEN = "diff"
_ISO_DATUM = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_REF = re.compile(r"(?<!\\)⟦(ref|nr):([a-z0-9-]+)⟧")
NIET_VERGELEKEN = ("versie",)
#: what the templates of templates/diff/ see (besides ``meta``, ``gemeente`` and the filters)
PAKKET_SLEUTELS = (
    "oud", "nieuw", "wijzigingen", "documenten", "waarschuwingen", "geen_wijzigingen", "drieluik",
    "wijzigingsverordening", "rijen", "vernummerd", "citeertitel", "onderdelen", "citeertitel_oud",
    "gelet_op", "verordening_nieuw", "versie_nieuw", "vastgesteld_op",
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
    gelezen: Any = None                # Gelezen of a REV:path version

    @property
    def meta(self) -> dict:
        return self.ctx["meta"]


MAX_REVISIE = 200          # characters of a revision name (a sha, a tag, HEAD~3)
MAX_BESTAND_REVISIE = 5 * 1024 * 1024
_REVISIE_TEKENS = re.compile(r"^[A-Za-z0-9_./~^@{}+-]+$")


class GitFout(InputError):
    """git failed; the message is Dutch and never carries git's own (English) output."""


def _git(map_: Path, *args: str) -> bytes:
    try:
        r = subprocess.run(["git", *args], cwd=map_, capture_output=True, timeout=60,
                           env={**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"})
    except (OSError, subprocess.SubprocessError) as e:
        raise InputError(bericht("diff.git_niet_beschikbaar", fout=os_reden(e) if isinstance(e, OSError) else type(e).__name__)) from None
    if r.returncode != 0:
        raise GitFout(bericht("diff.git_fout", opdracht=args[0] if args else "git"))
    return r.stdout


def splits_revisie(bron: str) -> tuple[str, str] | None:
    """``"HEAD~1:choices/x.yaml"`` → ("HEAD~1", "choices/x.yaml"); a plain existing file → None."""
    try:
        if len(bron) < 4096 and Path(bron).exists():
            return None
    except (OSError, ValueError):
        pass
    if ":" not in bron:
        return None
    rev, _, pad = bron.partition(":")
    if not rev or not pad or (len(rev) == 1 and rev.isalpha()):  # "C:\..." is a path
        return None
    return rev, pad


def _kort(tekst: str, n: int = 80) -> str:
    tekst = "".join(c if c.isprintable() else "?" for c in tekst)
    return tekst if len(tekst) <= n else tekst[: n - 1] + "…"


@dataclass
class Gelezen:
    """What one ``REV:path`` read: the commit and every file with its hash (for the manifest)."""
    bron: str
    revisie: str
    commit: str = ""
    bestanden: dict[str, str] = field(default_factory=dict)   # repo path -> sha256


def materialiseer(rev: str, pad: str, doelmap: Path, gelezen: Gelezen | None = None) -> Path:
    """Write ``pad`` at ``rev`` (and its extends chain, huisstijl, teksten) under ``doelmap``.

    Every path is taken inside the revision: an ``extends``, ``huisstijl`` or ``teksten`` that
    leaves the repository (``../../..``, an absolute path) is refused, never read from the host."""
    import hashlib

    bron = _kort(f"{rev}:{pad}")
    if len(rev) > MAX_REVISIE or not _REVISIE_TEKENS.match(rev) or rev.startswith("-"):
        raise InputError(bericht("diff.revisie_ongeldig", bron=bron, max=MAX_REVISIE))
    if "\0" in pad or len(pad) > 4096:
        raise InputError(bericht("diff.pad_ongeldig", bron=bron))
    cwd = Path.cwd()
    try:
        top = Path(_git(cwd, "rev-parse", "--show-toplevel").decode("utf-8", "surrogateescape").strip())
    except GitFout:
        raise InputError(bericht("diff.revisie_onleesbaar", bron=bron)) from None
    try:
        commit = _git(cwd, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}").decode().strip()
    except GitFout:
        raise InputError(bericht("diff.revisie_onbekend", rev=_kort(rev), bron=bron)) from None
    absoluut = Path(os.path.normpath(pad if os.path.isabs(pad) else os.path.join(cwd, pad)))
    rel = None
    for basis in (top, top.resolve()):
        for kandidaat in (absoluut, Path(os.path.normpath(os.path.join(cwd.resolve(), pad))) if not os.path.isabs(pad) else absoluut):
            try:
                rel = PurePosixPath(kandidaat.relative_to(basis).as_posix())
                break
            except ValueError:
                continue
        if rel is not None:
            break
    if rel is None or str(rel) in ("", "."):
        raise InputError(bericht("diff.pad_niet_in_repo", bron=bron))
    if gelezen is not None:
        gelezen.commit = commit
    gezien: set[str] = set()

    def soort(r: PurePosixPath) -> str:
        try:
            return _git(top, "cat-file", "-t", f"{commit}:{r.as_posix()}").decode().strip()
        except GitFout:
            return ""

    def haal(r: PurePosixPath, verplicht: bool = True) -> bytes | None:
        t = soort(r)
        if t != "blob":
            if not verplicht:
                return None
            sleutel = "diff.revisie_map" if t == "tree" else "diff.pad_onbekend"
            raise InputError(bericht(sleutel, rev=_kort(rev), pad=_kort(r.as_posix()), bron=bron))
        grootte = int(_git(top, "cat-file", "-s", f"{commit}:{r.as_posix()}").decode().strip() or 0)
        if grootte > MAX_BESTAND_REVISIE:
            raise InputError(bericht("diff.revisie_te_groot", bron=bron, pad=_kort(r.as_posix()), mb=MAX_BESTAND_REVISIE // (1024 * 1024)))
        data = _git(top, "cat-file", "blob", f"{commit}:{r.as_posix()}")
        doel = doelmap / r
        doel.parent.mkdir(parents=True, exist_ok=True)
        doel.write_bytes(data)
        if gelezen is not None:
            gelezen.bestanden[r.as_posix()] = hashlib.sha256(data).hexdigest()
        return data

    def binnen(basis: PurePosixPath, waarde: str, sleutel: str, r: PurePosixPath) -> PurePosixPath:
        doel = _normaal(basis / waarde) if not waarde.startswith(("/", "\\")) and not re.match(r"^[A-Za-z]:", waarde) else None
        if doel is None or not str(doel) or str(doel) == ".":
            raise InputError(bericht("diff.buiten_revisie", bron=bron, sleutel=sleutel, waarde=_kort(waarde), pad=r.as_posix()))
        return doel

    def keten(r: PurePosixPath) -> None:
        if r.as_posix() in gezien:
            return
        gezien.add(r.as_posix())
        data = haal(r)
        try:
            inhoud = yaml.safe_load(data) if data else None
        except (yaml.YAMLError, RecursionError, ValueError, MemoryError):
            return  # the loader reports it (with a line number)
        if not isinstance(inhoud, dict):
            return
        basis = r.parent
        if isinstance(inhoud.get("extends"), str):
            keten(binnen(basis, inhoud["extends"], "extends", r))
        gemeente = inhoud.get("gemeente") if isinstance(inhoud.get("gemeente"), dict) else {}
        if isinstance(gemeente.get("huisstijl"), str):
            haal(binnen(basis, gemeente["huisstijl"], "gemeente.huisstijl", r), verplicht=False)
        if isinstance(gemeente.get("teksten"), str):
            map_ = binnen(basis, gemeente["teksten"], "gemeente.teksten", r)
            namen = _git(top, "ls-tree", "-r", "-z", "--name-only", commit, "--", map_.as_posix()).split(b"\0")
            for naam in filter(None, namen):
                try:
                    tekst = naam.decode("utf-8")
                except UnicodeDecodeError:
                    continue  # a name that is not UTF-8 cannot be a template the kit reads
                haal(PurePosixPath(tekst), verplicht=False)

    keten(rel)
    return doelmap / rel


def _normaal(p: PurePosixPath) -> PurePosixPath | None:
    """``a/b/../c`` → ``a/c``; None when the path climbs above the repository's root."""
    delen: list[str] = []
    for d in p.parts:
        if d == "..":
            if not delen:
                return None
            delen.pop()
        elif d not in (".", ""):
            delen.append(d)
    return PurePosixPath(*delen) if delen else None


def _relatief_pad(choices: Any, waarde: str) -> Path:
    p = Path(waarde)
    return p if p.is_absolute() else Path(choices.path).parent / p


def laad_versie(bron: str, werkmap: Path, naam: str) -> Versie:
    """Load, validate and render one version to models. Errors: InputError / ValidationFailed.

    A ``REV:path`` version is read from git into ``werkmap/naam``; every message names
    ``REV:path``, never that temp folder."""
    from kit.loader import load_choices
    from kit.validate import validate

    rev = splits_revisie(bron)
    map_ = werkmap / naam
    gelezen = Gelezen(bron, rev[0]) if rev else None
    try:
        pad = materialiseer(rev[0], rev[1], map_, gelezen) if rev else Path(bron)
        choices = load_choices(pad)
        bevindingen = validate(choices)
        if rev:  # name the revision, not the temp folder, in findings
            bevindingen = [_hernoem(f, map_, rev[0]) for f in bevindingen]
        if any(f.is_fout for f in bevindingen):
            raise ValidationFailed(bericht("diff.ongeldig", bron=_kort(bron)), bevindingen)
        versie = _render_modellen(choices, bron)
    except ValidationFailed:
        raise
    except KitError as e:
        if not rev:
            raise
        raise type(e)(_zonder_werkmap(str(e), map_, rev[0])) from None
    versie.bevindingen = bevindingen
    versie.gelezen = gelezen
    if rev:
        versie.invoer = []
    return versie


def _zonder_werkmap(tekst: str, map_: Path, rev: str) -> str:
    """A message about a file of a revision: ``REV:path`` instead of the temp folder."""
    for m in sorted({str(map_.resolve()), str(map_)}, key=len, reverse=True):
        tekst = tekst.replace(m + os.sep, f"{rev}:").replace(m, f"{rev}:")
    return tekst


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
    from kit.model import parse_met_vervolg
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
        model, verder = parse_met_vervolg(markup[naam], naam, titel=meta["document_titel"], bron=SJABLOON[naam])
        # the same markers and annex as kit render (issue 11), so a redline accepts to the render
        modellen[naam] = _met_open_punten(sj, ctx, meta, model, verder)
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


def _blok_tekst(b: Any) -> str:
    if b is None:
        return ""
    if b.soort == "kop":
        return b.kop_tekst
    if b.soort == "tabel":
        return " ".join([b.titel] + [c for r in b.rijen for c in r])
    if b.soort == "figuur":
        return b.titel
    return f"{b.label} {b.tekst}".strip()


def zichtbare_wijzigingen(stappen: list) -> dict[str, tuple[str, str]]:
    """Section id → (text taken out, text put in) in the redline of one document: where a
    change actually shows up."""
    uit: dict[str, list[str]] = {}
    for s in stappen:
        if s.soort == "gelijk":
            continue
        blok = s.nieuw or s.oud
        sid = blok.id if blok.soort == "kop" else blok.sectie_id
        weg, bij = uit.setdefault(sid, ["", ""])
        o, n = _blok_tekst(s.oud), _blok_tekst(s.nieuw)
        if s.soort == "wijzig":
            a, b = o.split(), n.split()
            for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
                if op != "equal":
                    weg += " " + " ".join(a[max(i1 - 2, 0):i2 + 2])
                    bij += " " + " ".join(b[max(j1 - 2, 0):j2 + 2])
        else:
            weg += " " + o
            bij += " " + n
        uit[sid] = [weg, bij]
    return {k: (v[0], v[1]) for k, v in uit.items()}


def _als_tekst(waarde: Any) -> list[str]:
    """How a choice's value can appear in a document's text (to find where its change shows)."""
    from kit.templating import FILTERS

    if isinstance(waarde, bool) or waarde is None:
        return []
    if isinstance(waarde, (list, tuple)):
        return [t for x in waarde for t in _als_tekst(x)]
    if isinstance(waarde, dict):
        return [t for x in waarde.values() for t in _als_tekst(x)]
    if isinstance(waarde, (int, float)):
        uit = [str(waarde)]
        for f in ("getal", "euro"):
            if f in FILTERS:
                try:
                    uit.append(str(FILTERS[f](waarde)))
                except Exception:  # a filter that does not take this value
                    pass
        return uit
    tekst = str(waarde).strip()
    if _ISO_DATUM.match(tekst) and "datum" in FILTERS:
        try:
            return [tekst, str(FILTERS["datum"](tekst))]
        except Exception:
            return [tekst]
    return [tekst] if len(tekst) >= 3 else []


def _komt_voor(waarden: list[str], tekst: str) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", tekst) for w in waarden if w)


def onderdelen(sleutel: str, oud: Any, nieuw: Any, zichtbaar: dict | None = None,
               waarden: tuple[list[str], list[str]] = ([], [])) -> list[dict]:
    """The headings of one document (both versions) where the change of ``sleutel`` shows up:
    a section that changed in the redline and either names the choice (``keuzes``) or shows
    its old or new value in the changed text (a name, an amount). Without ``zichtbaar``: every
    heading whose ``keuzes`` cover the key."""
    uit = []
    o_koppen = {b.id: b for b in oud.koppen()}
    n_koppen = {b.id: b for b in nieuw.koppen()}
    for id_, b in list(n_koppen.items()) + [(i, b) for i, b in o_koppen.items() if i not in n_koppen]:
        o, n = o_koppen.get(id_), n_koppen.get(id_)
        noemt = raakt(sleutel, (o.keuzes if o else []) + (n.keuzes if n else []))
        if zichtbaar is not None:
            if id_ not in zichtbaar:
                continue
            weg, bij = zichtbaar[id_]
            if not (noemt or _komt_voor(waarden[0], weg) or _komt_voor(waarden[1], bij)):
                continue
        elif not noemt:
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


def wijzigingen(oud: Versie, nieuw: Versie, plannen: dict | None = None) -> list[dict]:
    from kit.schema import label

    o, n = plat(_keuzes(oud.ctx)), plat(_keuzes(nieuw.ctx))
    volgorde = _schema_volgorde()
    positie = {k: i for i, k in enumerate(dict.fromkeys(list(n) + list(o)))}
    sleutels = sorted(positie, key=lambda k: (volgorde.get(k, len(volgorde)), positie[k]))
    zichtbaar = {naam: zichtbare_wijzigingen(st) for naam, st in plannen.items()} if plannen is not None else {}
    rijen = []
    for k in sleutels:
        if k in o and k in n and o[k] == n[k]:
            continue
        if o.get(k) in (None, "", [], {}) and n.get(k) in (None, "", [], {}):
            continue
        waarden = (_als_tekst(o.get(k)), _als_tekst(n.get(k)))
        raakt_docs = []
        for naam, doc in nieuw.modellen.items():
            delen = onderdelen(k, oud.modellen[naam], doc, zichtbaar.get(naam) if plannen is not None else None, waarden)
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


def _wijzigingen_voor(keuzes: list[str], rijen: list[dict], id_: str = "") -> list[dict]:
    """The changed choices behind an article: those it names, and those whose change shows
    up in it (a name, an amount)."""
    def toont(r: dict) -> bool:
        return any(d["document"] == "verordening" and any(o["id"] == id_ for o in d["onderdelen"]) for d in r["raakt"])

    return [r for r in rijen if raakt(r["sleutel"], keuzes) or (id_ and toont(r))]


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


# ------------------------------------------------------------------------------- smallest unit

MEESTAL_GEWIJZIGD = 0.5   # above this share of changed text: the whole article "komt te luiden"


def _leden(regels: list[dict]) -> list[dict]:
    """An article's lines as leden: a numbered paragraph with the list items and paragraphs
    under it; an article without numbered leden is one unnumbered lid."""
    leden: list[dict] = []
    for r in regels[1:]:
        if r["soort"] == "alinea" and (r["label"] or not leden):
            leden.append({"label": r["label"], "delen": [r]})
        elif leden:
            leden[-1]["delen"].append(r)
        else:
            leden.append({"label": "", "delen": [r]})
    for i, lid in enumerate(leden, 1):
        lid["nr"] = i
        lid["tekst"] = " ".join(d["tekst"] for d in lid["delen"])
    return leden


def _regel_tokens(tekst: str) -> list:
    from kit.model import Run
    from kit.redline import _tokens

    return _tokens([Run(tekst)])


def _zinsdeel(oud: str, nieuw: str) -> tuple[str, str] | None:
    """The one phrase that changed between two texts, as "old" → "new", extended with its
    neighbouring words until the old phrase occurs once and holds a word (not "18" but
    "18 maanden"); None when more than one place changed."""
    from kit.redline import woord_opcodes

    a, b = _regel_tokens(oud), _regel_tokens(nieuw)
    ops = [op for op in woord_opcodes(a, b) if op[0] != "equal"]
    if len(ops) != 1:
        return None
    _, i1, i2, j1, j2 = ops[0]
    links = rechts = 0

    def stuk() -> tuple[str, str]:
        return ("".join(t for _, t, _ in a[i1 - links: i2 + rechts]).strip(),
                "".join(t for _, t, _ in b[j1 - links: j2 + rechts]).strip())

    def goed(o: str) -> bool:
        return bool(o) and oud.count(o) == 1 and re.search(r"[^\W\d_]{3}", o) is not None

    while not goed(stuk()[0]):
        if i2 + rechts < len(a) and j2 + rechts < len(b) and (rechts <= links or i1 - links <= 0):
            rechts += 1
        elif i1 - links > 0 and j1 - links > 0:
            links += 1
        else:
            return None
    o, n = stuk()
    return (o, n) if o != n else None


def wijzig_instructies(oud_regels: list[dict], nieuw_regels: list[dict]) -> list[dict]:
    """How Dutch drafting amends one article, at the smallest unit: a phrase in a lid
    ("vervang"), a whole lid ("lid_luidt"), an inserted lid ("lid_in"), a lid that lapses
    ("lid_vervalt"); the whole article ("artikel") only when most of it changed, its title
    changed, or its leden cannot be named (a table, a single lid that becomes several)."""
    artikel = [{"soort": "artikel"}]
    if not oud_regels or not nieuw_regels or oud_regels[0]["tekst"] != nieuw_regels[0]["tekst"]:
        return artikel
    if any(r["soort"] in ("tabel", "rij") for r in oud_regels + nieuw_regels):
        return artikel
    lo, ln = _leden(oud_regels), _leden(nieuw_regels)
    enkel_o = len(lo) == 1 and not lo[0]["label"]
    enkel_n = len(ln) == 1 and not ln[0]["label"]
    if enkel_o != enkel_n or not lo or not ln:
        return artikel
    sm = difflib.SequenceMatcher(None, [x["tekst"] for x in lo], [x["tekst"] for x in ln], autojunk=False)
    totaal = sum(len(x["tekst"]) for x in lo) or 1
    gewijzigd = 0
    stappen: list[dict] = []
    vorige_oud = 0
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            vorige_oud = i2
            continue
        oude, nieuwe = lo[i1:i2], ln[j1:j2]
        # pair changed leden one to one where they are the same lid with other words
        while oude and nieuwe and difflib.SequenceMatcher(None, oude[0]["tekst"], nieuwe[0]["tekst"]).ratio() >= 0.5:
            o, n = oude.pop(0), nieuwe.pop(0)
            vorige_oud = o["nr"]
            delen_o = [d["tekst"] for d in o["delen"]]
            delen_n = [d["tekst"] for d in n["delen"]]
            verschil = [k for k in range(max(len(delen_o), len(delen_n)))
                        if k >= len(delen_o) or k >= len(delen_n) or delen_o[k] != delen_n[k]]
            zin = _zinsdeel(delen_o[verschil[0]], delen_n[verschil[0]]) \
                if len(delen_o) == len(delen_n) and len(verschil) == 1 else None
            if zin is not None:
                deel = o["delen"][verschil[0]]
                gewijzigd += max(len(zin[0]), len(zin[1]))
                stappen.append({"soort": "vervang", "lid": None if enkel_o else o["nr"], "oud": zin[0], "nieuw": zin[1],
                                "onderdeel": deel["label"].rstrip(".") if deel["soort"] == "lijst" else ""})
            else:
                gewijzigd += max(len(o["tekst"]), len(n["tekst"]))
                stappen.append({"soort": "lid_luidt", "lid": None if enkel_o else o["nr"], "regels": n["delen"]})
        for o in oude:
            gewijzigd += len(o["tekst"])
            stappen.append({"soort": "lid_vervalt", "lid": o["nr"]})
            vorige_oud = o["nr"]
        for n in nieuwe:
            gewijzigd += len(n["tekst"])
            stappen.append({"soort": "lid_in", "na": vorige_oud, "regels": n["delen"]})
    if not stappen or gewijzigd / totaal > MEESTAL_GEWIJZIGD:
        return artikel
    # one lid in or out: the leden after it are renumbered, and the instruction says so
    # ("onder vernummering van het tweede en derde lid tot derde en vierde lid")
    structuur = [x for x in stappen if x["soort"] in ("lid_in", "lid_vervalt")]
    if len(structuur) == 1 and not enkel_o:
        x = structuur[0]
        eerste = x["na"] + 1 if x["soort"] == "lid_in" else x["lid"] + 1
        if eerste <= len(lo):
            schuif = 1 if x["soort"] == "lid_in" else -1
            x["vernummering"] = {"van": eerste, "tot": len(lo), "naar_van": eerste + schuif, "naar_tot": len(lo) + schuif}
    return stappen


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


def _schrijf_markup(stijl: Any, sjabloon: str, ctx: dict, meta: dict, hcontext: dict, lichaam: Any = None) -> bytes:
    from kit.model import parse

    markup = _omgeving().render(f"{SJABLONEN}/{sjabloon}", dict(ctx, meta=meta))
    doc = parse(markup, "diff", titel=meta["document_titel"], bron=f"{SJABLONEN}/{sjabloon}")
    return stijl.schrijf(doc, meta, {}, hcontext, lichaam=lichaam)


# Changed words in the drieluik: marked in the cell text with private-use characters (never in
# a choice file's text after the loader; removed if they were), turned into struck-through /
# underlined runs by DrieluikLichaam, as the redline shows them.
WEG_BEGIN, WEG_EIND, BIJ_BEGIN, BIJ_EIND = "\ue101", "\ue102", "\ue103", "\ue104"
_MERKTEKENS = re.compile("[\ue101-\ue104]")


def _markeer_woorden(oud: str, nieuw: str) -> tuple[str, str]:
    """The two texts with their changed words between markers."""
    from kit.redline import woord_opcodes

    a, b = _regel_tokens(oud), _regel_tokens(nieuw)
    uit_a, uit_b = [], []
    for op, i1, i2, j1, j2 in woord_opcodes(a, b):
        sa = "".join(t for _, t, _ in a[i1:i2])
        sb = "".join(t for _, t, _ in b[j1:j2])
        if op == "equal":
            uit_a.append(sa)
            uit_b.append(sb)
            continue
        if sa:
            uit_a.append(WEG_BEGIN + sa + WEG_EIND)
        if sb:
            uit_b.append(BIJ_BEGIN + sb + BIJ_EIND)
    return "".join(uit_a), "".join(uit_b)


def markeer_regels(oud: list[dict], nieuw: list[dict]) -> tuple[list[dict], list[dict]]:
    """The lines of an article in the drieluik, changed words marked: lines paired on their
    text, a line that is only old is struck through, one only new underlined."""
    oud = [dict(r, tekst=_MERKTEKENS.sub("", r["tekst"])) for r in oud]
    nieuw = [dict(r, tekst=_MERKTEKENS.sub("", r["tekst"])) for r in nieuw]
    if not oud or not nieuw:
        return oud, nieuw
    sm = difflib.SequenceMatcher(None, [r["tekst"] for r in oud], [r["tekst"] for r in nieuw], autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        paren = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(paren):
            oud[i1 + k]["tekst"], nieuw[j1 + k]["tekst"] = _markeer_woorden(oud[i1 + k]["tekst"], nieuw[j1 + k]["tekst"])
        for r in oud[i1 + paren:i2]:
            r["tekst"] = WEG_BEGIN + r["tekst"] + WEG_EIND
        for r in nieuw[j1 + paren:j2]:
            r["tekst"] = BIJ_BEGIN + r["tekst"] + BIJ_EIND
    return oud, nieuw


def _drieluik_lichaam():
    from kit.docx_writer import _Lichaam

    class DrieluikLichaam(_Lichaam):
        """The body with the marked words as struck-through (old) / underlined (new) runs."""

        def xml(self) -> str:
            xml = super().xml()
            if not _MERKTEKENS.search(xml):
                return xml
            staat = {"weg": False, "bij": False}
            run = re.compile(r'<w:r>(?:<w:rPr>((?:(?!</w:rPr>).)*)</w:rPr>)?<w:t xml:space="preserve">([^<]*)</w:t></w:r>')

            def vervang(m: re.Match) -> str:
                rpr, tekst = m.group(1) or "", m.group(2)
                if not _MERKTEKENS.search(tekst) and not (staat["weg"] or staat["bij"]):
                    return m.group(0)
                delen = []
                for stuk in re.split("([\ue101-\ue104])", tekst):
                    if stuk == WEG_BEGIN or stuk == WEG_EIND:
                        staat["weg"] = stuk == WEG_BEGIN
                    elif stuk == BIJ_BEGIN or stuk == BIJ_EIND:
                        staat["bij"] = stuk == BIJ_BEGIN
                    elif stuk:
                        extra = rpr
                        if staat["weg"]:
                            extra += '<w:strike/><w:color w:val="C00000"/>'
                        if staat["bij"]:
                            extra += '<w:color w:val="1F4E79"/><w:u w:val="single"/>'
                        eigen = f"<w:rPr>{extra}</w:rPr>" if extra else ""
                        delen.append(f'<w:r>{eigen}<w:t xml:space="preserve">{stuk}</w:t></w:r>')
                return "".join(delen)

            return run.sub(vervang, xml)

    return DrieluikLichaam



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
    from kit.redline import RedlineLichaam, is_gewijzigd, plan, titelblok_redline
    from kit.render import DOCUMENTEN

    pakket = Pakket()
    info = {"oud": _versie_info(oud), "nieuw": _versie_info(nieuw)}
    hcontext = {k: nieuw.ctx.get(k) for k in ("gemeente", "versie", "advies")}
    andere_gemeente = not zelfde_gemeente(oud, nieuw)
    if andere_gemeente:
        pakket.waarschuwingen.append(bericht("diff.andere_gemeente", oud=oud.meta["gemeente"], nieuw=nieuw.meta["gemeente"]))

    plannen = {naam: plan(oud.modellen[naam], nieuw.modellen[naam]) for naam in DOCUMENTEN}
    rijen = wijzigingen(oud, nieuw, plannen)
    gewijzigd = [naam for naam in DOCUMENTEN if is_gewijzigd(plannen[naam])]
    documenten = [{"naam": n, "titel": nieuw.metas[n]["document_titel"], "gewijzigd": n in gewijzigd,
                   "bestand": f"redline-{n}.docx" if n in gewijzigd else None} for n in DOCUMENTEN]
    artikelen = artikel_plan(oud.modellen["verordening"], nieuw.modellen["verordening"])
    for a in artikelen:
        a["wijzigingen"] = _wijzigingen_voor(a["keuzes"], rijen, a["id"])
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
        "wijzigingsverordening": bool(drieluik) and not andere_gemeente,
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
        data = stijl.schrijf(nieuw.modellen[naam], meta, nieuw.ctx.get("grafieken") or {}, hcontext, lichaam=lichaam)
        pakket.bestanden[f"redline-{naam}.docx"] = titelblok_redline(
            data, stijl, (oud.metas[naam], _hcontext(oud)), (nieuw.metas[naam], hcontext), (meta, hcontext), auteur, datum)

    if drieluik:
        gemarkeerd = []
        for a in drieluik:
            o_r, n_r = markeer_regels(a["oud_regels"], a["nieuw_regels"])
            gemarkeerd.append(dict(a, oud_regels=o_r, nieuw_regels=n_r))
        d_ctx = dict(ctx, rijen=gemarkeerd, vernummerd=vernummerd, citeertitel=_citeertitel(nieuw))
        pakket.bestanden["drieluik-verordening.docx"] = _schrijf_markup(
            liggend, "drieluik.md.j2", d_ctx, _pakket_meta(nieuw, info, "drieluik", "verordening"), hcontext,
            lichaam=_drieluik_lichaam())
    if drieluik and not andere_gemeente:  # one gemeente never amends another's verordening
        pakket.bestanden["wijzigingsverordening.docx"] = _schrijf_markup(
            stijl, "wijzigingsverordening.md.j2", _wijzigingsverordening_ctx(oud, nieuw, artikelen, ctx),
            _pakket_meta(nieuw, info, "wijzigingsverordening", "verordening"), hcontext)
    return pakket


def zelfde_gemeente(oud: Versie, nieuw: Versie) -> bool:
    """The same gemeente: the same slug, or the same name once the characters a document
    cannot show (control characters, a stray soft line break) are left out."""
    import unicodedata

    def kern(naam: Any) -> str:
        tekst = "".join(c for c in str(naam) if unicodedata.category(c) not in ("Cc", "Cs", "Cn") and c not in "\ufffe\uffff")
        return " ".join(tekst.split()).casefold()

    return oud.meta["slug"] == nieuw.meta["slug"] or kern(oud.meta["gemeente"]) == kern(nieuw.meta["gemeente"])


def _hcontext(v: Versie) -> dict:
    return {k: v.ctx.get(k) for k in ("gemeente", "versie", "advies")}


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
            o["instructies"] = wijzig_instructies(_artikel_regels(oude_secties[a["id"]]), o["regels"]) \
                if a["soort"] == "gewijzigd" else []
            onderdelen_.append(o)
        vorige = nummers[a["id"]]
    from kit.model import _letters

    for i, o in enumerate(onderdelen_, 1):
        o["letter"] = _letters(i).upper()
    aanhef = [b.tekst for b in nieuw.modellen["verordening"].secties().get("aanhef", []) if b.soort == "alinea"]
    # the last "gelet op" is the legal basis; an earlier one names the advice on the original text
    gelet_op = next((t for t in reversed(aanhef) if t.startswith(tekst("gelet_op_begin"))), "")
    vastgesteld_op = (oud.ctx.get("verordening") or {}).get("vastgesteld_op")
    return dict(ctx, onderdelen=onderdelen_, citeertitel_oud=_citeertitel(oud), citeertitel=_citeertitel(nieuw),
                vastgesteld_op=str(vastgesteld_op) if vastgesteld_op else "",
                gelet_op=gelet_op, verordening_nieuw=nieuw.ctx.get("verordening"), versie_nieuw=nieuw.ctx.get("versie"))


# ------------------------------------------------------------------------------- writing

def pakket_namen() -> set[str]:
    """Every plain file name a pack can hold: the only names a later pack may remove."""
    from kit.render import DOCUMENTEN

    docx = {"wijzigingen.docx", "drieluik-verordening.docx", "wijzigingsverordening.docx"}
    docx |= {f"redline-{d}.docx" for d in DOCUMENTEN}
    return docx | {n[:-5] + ".pdf" for n in docx} | {"wijzigingen.md"}


class PakketManifest:
    """The pack's manifest: kit.manifest's, plus the revisions read (commit, files, hashes)."""

    def __new__(cls, map_: Path, revisies: list[dict]):
        from kit.manifest import Manifest

        class _M(Manifest):
            def schrijf(self, invoer):  # noqa: D401 - same contract as Manifest.schrijf
                import json

                from kit.manifest import NAAM, schrijf_atomisch

                super().schrijf(invoer)
                if not revisies:
                    return
                pad = self.map / NAAM
                data = json.loads(pad.read_text(encoding="utf-8"))
                data["revisions"] = revisies
                schrijf_atomisch(pad, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))

        return _M(map_)


def schrijf_pakket(pakket: Pakket, uitvoer: Path, invoer: list[Path], force: bool = False, pdf: bool = False,
                   revisies: list[dict] | None = None, echo: Callable[..., Any] | None = None) -> list[Path]:
    from kit.manifest import map_slot

    uitvoer = Path(uitvoer)
    if uitvoer.exists() and not uitvoer.is_dir():
        raise InputError(bericht("diff.uitvoer_geen_map", map=uitvoer))
    try:
        slot = map_slot(uitvoer)   # one run per folder, from the check to the manifest (as kit render)
        slot.__enter__()
    except OSError as e:
        raise InputError(bericht("diff.uitvoer_onschrijfbaar", map=uitvoer, reden=os_reden(e))) from None
    try:
        return _schrijf_pakket(pakket, uitvoer, invoer, force, pdf, revisies)
    finally:
        slot.__exit__(None, None, None)


def _schrijf_pakket(pakket: Pakket, uitvoer: Path, invoer: list[Path], force: bool, pdf: bool,
                    revisies: list[dict] | None) -> list[Path]:
    from kit.manifest import schrijf_alles, verplaats_atomisch

    manifest = PakketManifest(uitvoer, revisies or [])
    pdf_namen = [n[:-5] + ".pdf" for n in pakket.bestanden if n.endswith(".docx")] if pdf else []
    manifest.controleer(list(pakket.bestanden) + pdf_namen, force=force)
    try:
        uitvoer.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(bericht("diff.uitvoer_onschrijfbaar", map=uitvoer, reden=os_reden(e))) from None
    # outputs of an earlier pack that this pack does not make: removed when untouched, and only
    # plain names a pack makes (never "../x" or "/etc/x" from a manifest someone edited)
    toegestaan = pakket_namen()
    for naam in list(manifest.uitvoer):
        if naam in pakket.bestanden or naam in pdf_namen:
            continue
        if naam not in toegestaan:
            del manifest.uitvoer[naam]
            continue
        pad = uitvoer / naam
        if not pad.is_symlink() and not manifest.gewijzigd(naam):
            pad.unlink(missing_ok=True)
            del manifest.uitvoer[naam]
    try:
        geschreven = schrijf_alles(uitvoer, pakket.bestanden, manifest, force=force)
        if pdf_namen:
            from kit.pdf import PdfFout, naar_pdf, ruim_op

            docx = [uitvoer / n for n in pakket.bestanden if n.endswith(".docx")]
            tijdelijk = naar_pdf(docx, uitvoer)   # one LibreOffice call for the whole pack
            try:
                for t in tijdelijk:
                    if not force and manifest.gewijzigd(t.name):  # edited while LibreOffice ran
                        raise PdfFout(bericht("diff.pdf_gewijzigd", pad=uitvoer / t.name), exit_code=3)
                    verplaats_atomisch(t, uitvoer / t.name)
                    manifest.registreer(t.name, pad=uitvoer / t.name)
                    geschreven.append(uitvoer / t.name)
            finally:
                ruim_op(tijdelijk)
        return geschreven
    finally:
        manifest.schrijf(invoer)


def diff(oud: str, nieuw: str, uitvoer: Path | str, force: bool = False, pdf: bool = False,
         andere_gemeente: bool = False) -> tuple[Pakket, list[Path], list]:
    """Build and write the pack. Returns (pack, written files, warnings of validation)."""
    if pdf:
        from kit.render import pdf_keuze

        pdf_keuze(True)  # no LibreOffice: exit 2 before anything is read or written
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
        if not zelfde_gemeente(v_oud, v_nieuw) and not andere_gemeente:
            raise Refused(bericht("diff.andere_gemeente_geweigerd", oud=v_oud.meta["gemeente"], nieuw=v_nieuw.meta["gemeente"]))
        pakket = maak_pakket(v_oud, v_nieuw, werkmap)
        invoer = [p for p in v_oud.invoer + v_nieuw.invoer + [v_nieuw.stijl_pad] if not str(p).startswith(tmp)]
        revisies = [{"source": v.gelezen.bron, "revision": v.gelezen.revisie, "commit": v.gelezen.commit,
                     "files": [{"path": k, "sha256": h} for k, h in v.gelezen.bestanden.items()]}
                    for v in versies if v.gelezen is not None]
        geschreven = schrijf_pakket(pakket, Path(uitvoer), invoer, force=force, pdf=pdf, revisies=revisies)
        waarschuwingen = [f for v in versies for f in v.bevindingen if not f.is_fout]
        return pakket, geschreven, waarschuwingen


def diff_cli(oud: str, nieuw: str, uitvoer: Path | str = Path("build/diff"), echo: Callable[..., Any] = print,
             force: bool = False, pdf: bool = False, andere_gemeente: bool = False) -> int:
    """``kit diff``: 0 ok, 1 invalid input, 2 unreadable input / usage, 3 would overwrite."""
    def fout(t: str) -> None:
        try:
            echo(t, err=True)
        except TypeError:
            echo(t)

    try:
        pakket, geschreven, waarschuwingen = diff(str(oud), str(nieuw), uitvoer, force=force, pdf=pdf,
                                                  andere_gemeente=andere_gemeente)
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

