"""The Jinja environment that turns a context into document markup (ARCHITECTURE.md).

* ``SandboxedEnvironment`` with ``StrictUndefined``, ``trim_blocks`` and ``lstrip_blocks``;
  templates are files under ``templates/`` (a gemeente's ``gemeente.teksten`` folder first).
  User text is *data*: it is never compiled, so ``{{ 7*7 }}`` in a choice stays literal.
* ``finalize`` escapes every interpolated value for the line markup of ``kit.model``: a
  choice's text can never start a directive, a list item, a table cell, a reference or bold,
  and its newlines become ``\\n`` (a line break inside the paragraph).
* Values the kit itself generates (``ref()``, ``nr()``, the output of macros and
  ``{% set %}`` blocks, which were escaped when they were made) are :class:`Markup` and pass
  unchanged. Tip for template authors: write ``{{ wv(f) }} per jaar``, not
  ``{{ wv(f) ~ ' per jaar' }}`` (``~`` turns the macro's Markup back into plain text).
* Each template is compiled once per environment; environments are cached per override
  folder, so a process that renders many gemeenten compiles each template once.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import jinja2
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment

from kit.notatie import euro, getal, procent  # the template filters of the same names

from kit.berichten import bericht
from kit.errors import InputError

#: the kit's own templates (repository layout: kit/ and templates/ side by side)
from kit.paden import SJABLONEN  # noqa: E402  (re-exported: templating.SJABLONEN)

#: document name -> template (relative to templates/)
DOCUMENTEN: dict[str, str] = {
    "startnotitie": "startnotitie/startnotitie.md.j2",
    "beleidskader": "beleidskader/beleidskader.md.j2",
    "verordening": "verordening/verordening.md.j2",
    "beleidsregels": "beleidsregels/beleidsregels.md.j2",
    "raadsinformatiebrief": "rib/rib.md.j2",
}


class Markup(str):
    """A kit-generated piece of markup that ``finalize`` passes unescaped."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Markup({str.__repr__(self)})"


# ------------------------------------------------------------------------------- escaping

_ESCAPES = {"\\": "\\\\", "@": "\\@", "⟦": "\\⟦", "*": "\\*", "|": "\\|"}
_ESCAPE_TABEL = str.maketrans(_ESCAPES)


def escape(waarde: Any) -> str:
    """User text → markup that reads back as exactly that text (see kit.model)."""
    tekst = str(waarde).replace("\r\n", "\n").replace("\r", "\n")
    tekst = tekst.translate(_ESCAPE_TABEL).replace("\n", "\\n")
    if tekst.startswith("-"):
        tekst = "\\" + tekst  # a value at the start of a line must not become a list item
    return tekst


def _finalize(waarde: Any) -> str:
    if isinstance(waarde, Markup):
        return waarde
    if waarde is None:
        return ""
    if isinstance(waarde, bool):
        return escape(_taal()["ja_nee"][waarde])
    return escape(waarde)


class _KitCodeGenerator(CodeGenerator):
    """Macro, ``caller()`` and ``{% set %}`` block output is already escaped: mark it."""

    def return_buffer_contents(self, frame, force_unescaped: bool = False) -> None:
        self.writeline(f"return environment.kit_markup(concat({frame.buffer}))")

    def write(self, x: str) -> None:
        if x == " = (Markup if context.eval_ctx.autoescape else identity)(":
            x = " = environment.kit_markup("
        super().write(x)


_DICT_ATTRIBUTEN = frozenset(dir(dict))
_VEILIG: dict[tuple[type, str], bool] = {}


class _Omgeving(SandboxedEnvironment):
    code_generator_class = _KitCodeGenerator
    kit_markup = Markup

    def getattr(self, obj: Any, attribute: str) -> Any:
        # ``x.key`` on a plain dict: exactly what the sandbox returns (a dict instance has no
        # attributes of its own, so it would fail getattr and fall back to obj[key]), without
        # raising and catching an AttributeError for each of ~2000 lookups per gemeente
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTEN and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # the sandbox's answer depends on the object's type and the name only
        # (jinja2.sandbox.is_internal_attribute): remembered per (type, name)
        sleutel = (type(obj), attr)
        veilig = _VEILIG.get(sleutel)
        if veilig is None:
            veilig = _VEILIG[sleutel] = super().is_safe_attribute(obj, attr, value)
        return veilig


# ------------------------------------------------------------------------------- taal

@lru_cache(maxsize=1)
def _taal() -> dict:
    from importlib import resources

    import yaml

    tekst = (resources.files("kit") / "data" / "taal.yaml").read_text(encoding="utf-8")
    data = yaml.load(tekst, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    data["ja_nee"] = {True: data["ja"], False: data["nee"]}
    return data


def taal() -> dict:
    """Dutch words the kit needs outside templates (months, status labels, titles)."""
    return _taal()


# ------------------------------------------------------------------------------- filters

def datum(waarde: Any) -> str:
    """ISO date (string or date) → ``"1 januari 2022"``."""
    import datetime as dt

    if isinstance(waarde, dt.datetime):
        d = waarde.date()
    elif isinstance(waarde, dt.date):
        d = waarde
    else:
        d = dt.date.fromisoformat(str(waarde).strip())
    return f"{d.day} {_taal()['maanden'][d.month - 1]} {d.year}"


def opsomming(items: Iterable[Any], voegwoord: str | None = None) -> str:
    """``["a", "b", "c"]`` → ``"a, b en c"`` (each item escaped: user text stays text)."""
    delen = [_finalize(i) for i in items]
    woord = voegwoord if voegwoord is not None else _taal()["en"]
    if not delen:
        return Markup("")
    if len(delen) == 1:
        return Markup(delen[0])
    return Markup(", ".join(delen[:-1]) + f" {escape(woord)} " + delen[-1])


def _eenheid(n: Any, sleutel: str) -> str:
    enkel, meer = _taal()["eenheden"][sleutel]
    return f"{getal(n)} {enkel if n == 1 else meer}"


def maanden(n: Any) -> str:
    """``1`` → ``"1 maand"``, ``6`` → ``"6 maanden"``."""
    return _eenheid(n, "maand")


def weken(n: Any) -> str:
    return _eenheid(n, "week")


def jaren(n: Any) -> str:
    return _eenheid(n, "jaar")


def uren(n: Any) -> str:
    return _eenheid(n, "uur")


# ------------------------------------------------------------------------------- globals

def ref(id_: str) -> Markup:
    """``⟦ref:ID⟧``: "artikel 5" / "paragraaf 2.3", resolved after numbering."""
    return Markup(f"⟦ref:{id_}⟧")


def nr(id_: str) -> Markup:
    """``⟦nr:ID⟧``: "5" / "2.3"."""
    return Markup(f"⟦nr:{id_}⟧")


def _schema() -> dict | None:
    try:
        from kit.schema import schema  # type: ignore[attr-defined]
    except ImportError:
        return None
    return schema()


def _schema_knoop(keypath: str) -> dict:
    knoop = _schema() or {}
    for deel in keypath.split("."):
        props = knoop.get("properties") or {}
        if deel not in props:
            items = knoop.get("items") or {}
            props = items.get("properties") or {}
        if deel not in props:
            raise KeyError(keypath)
        knoop = props[deel]
    return knoop


def label(keypath: str) -> str:
    """The schema's Dutch ``title`` of a choice key."""
    return _schema_knoop(keypath)["title"]


def enum_label(keypath: str, waarde: Any) -> str:
    """The schema's ``x-labels`` text for an enum value (the value itself when unlabelled)."""
    try:
        labels = _schema_knoop(keypath).get("x-labels") or {}
    except KeyError:
        labels = {}
    return labels.get(str(waarde), str(waarde))


FILTERS = {
    "datum": datum,
    "euro": euro,
    "getal": getal,
    "procent": procent,
    "opsomming": opsomming,
    "maanden": maanden,
    "weken": weken,
    "jaren": jaren,
    "uren": uren,
}
GLOBALS = {"ref": ref, "nr": nr, "label": label, "enum_label": enum_label}


def _lader(bron: Path) -> jinja2.BaseLoader:
    """A folder of templates, or a YAML file ``{template path: template text}``."""
    if bron.is_dir():
        return jinja2.FileSystemLoader(str(bron), encoding="utf-8")
    if bron.is_file() and bron.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            data = yaml.safe_load(bron.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
            raise InputError(bericht("render.teksten_onleesbaar", pad=bron, fout=e)) from e
        if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
            raise InputError(bericht("render.teksten_geen_map", pad=bron))
        return jinja2.DictLoader(data)
    raise InputError(bericht("render.teksten_geen_map", pad=bron))


# ------------------------------------------------------------------------------- disk cache

from kit.cache import cache_map  # noqa: E402  (the cache lives in kit.cache; kept importable here)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    from kit.cache import bytecode_cache

    return bytecode_cache()


def maak_omgeving(mappen: list[Path], **opties: Any) -> jinja2.Environment:
    """A sandboxed, strict environment over ``mappen`` (first match wins) with the kit filters."""
    loader = jinja2.ChoiceLoader([_lader(Path(m)) for m in mappen])
    opties.setdefault("bytecode_cache", _bytecode_cache())
    env = _Omgeving(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        finalize=_finalize,
        auto_reload=False,
        cache_size=-1,
        **opties,
    )
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    return env


class Sjablonen:
    """The kit's templates, optionally overlaid by a gemeente's own text folder."""

    def __init__(self, extra_map: Path | None = None, basis: Path | None = None):
        self.basis = Path(basis) if basis else SJABLONEN
        self.extra_map = Path(extra_map) if extra_map else None
        mappen = ([self.extra_map] if self.extra_map else []) + [self.basis]
        self.env = maak_omgeving(mappen)

    def bestaat(self, document: str) -> bool:
        naam = DOCUMENTEN.get(document, document)
        try:
            self.env.loader.get_source(self.env, naam)
        except jinja2.TemplateNotFound:
            return False
        return True

    def bestanden(self, documenten: Iterable[str]) -> list[Path]:
        """The files a render of ``documenten`` reads (for the manifest), sorted."""
        uit: set[Path] = set()
        bronnen = ([self.extra_map] if self.extra_map else []) + [self.basis]
        for bron in bronnen:
            if bron.is_file():
                uit.add(bron)
                continue
            for document in documenten:
                map_ = bron / Path(DOCUMENTEN.get(document, document)).parent
                if map_.is_dir():
                    uit.update(p for p in map_.rglob("*") if p.is_file())
            gedeeld = bron / "_gedeeld"
            if gedeeld.is_dir():
                uit.update(p for p in gedeeld.rglob("*.j2") if p.is_file())
        return sorted(uit)

    def sjabloon(self, document: str) -> jinja2.Template:
        naam = DOCUMENTEN.get(document, document)
        try:
            return self.env.get_template(naam)
        except jinja2.TemplateSyntaxError as e:
            raise InputError(bericht("render.sjabloon_syntax", sjabloon=e.filename or naam, regel=e.lineno, fout=e.message)) from e
        except jinja2.TemplateNotFound as e:
            raise InputError(bericht("render.sjabloon_ontbreekt", sjabloon=naam)) from e

    def render(self, document: str, context: Mapping[str, Any]) -> str:
        """The markup of ``document`` (a name of DOCUMENTEN or a template path)."""
        sjabloon = self.sjabloon(document)
        try:
            return sjabloon.render(context)
        except jinja2.UndefinedError as e:
            raise InputError(bericht("render.sjabloon_onbekend", sjabloon=_plaats(e, sjabloon.name), fout=e.message)) from e
        except jinja2.TemplateSyntaxError as e:
            raise InputError(bericht("render.sjabloon_syntax", sjabloon=e.filename or e.name, regel=e.lineno, fout=e.message)) from e
        except jinja2.TemplateError as e:
            raise InputError(bericht("render.sjabloon_fout", sjabloon=_plaats(e, sjabloon.name), fout=str(e))) from e


def _plaats(fout: BaseException, standaard: str) -> str:
    """"verordening/artikelen/pip.md.j2, regel 12" from Jinja's rewritten traceback."""
    plaats = standaard
    tb = fout.__traceback__
    while tb is not None:
        bestand = tb.tb_frame.f_code.co_filename
        if bestand.endswith(".j2"):
            try:
                bestand = Path(bestand).resolve().relative_to(SJABLONEN).as_posix()
            except ValueError:
                pass
            plaats = bericht("render.sjabloon_regel", sjabloon=bestand, regel=tb.tb_lineno)
        tb = tb.tb_next
    return plaats


_CACHE: dict[tuple[str, str], Sjablonen] = {}


def sjablonen(extra_map: Path | None = None) -> Sjablonen:
    """The prepared :class:`Sjablonen` for an override folder (one per process)."""
    sleutel = (str(extra_map or ""), str(SJABLONEN))
    if sleutel not in _CACHE:
        _CACHE[sleutel] = Sjablonen(extra_map)
    return _CACHE[sleutel]
