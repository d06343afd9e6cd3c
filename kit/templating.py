"""The Jinja environment that turns a context into document markup (ARCHITECTURE.md).

* ``StrictUndefined``, ``trim_blocks`` and ``lstrip_blocks``; templates are files under
  ``templates/`` (a gemeente's ``gemeente.teksten`` folder first). With a gemeente's own texts
  everything renders in a ``SandboxedEnvironment`` with budgets (:class:`_Omgeving`); the kit's
  own templates alone render in a plain environment (:class:`_Vertrouwd`), same bytes.
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

import hashlib
import math
import operator
import os
import re
import time
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import jinja2
import jinja2.filters
import jinja2.nodes
import jinja2.utils
import jinja2.visitor
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment

from kit.notatie import euro, getal, procent  # the template filters of the same names

from kit.aannames import kaal, markering, ontdaan, punt_van
from kit.berichten import bericht
from kit.errors import InputError, KitError

#: the kit's own templates (repository layout: kit/ and templates/ side by side)
from kit.paden import SJABLONEN  # noqa: E402  (re-exported: templating.SJABLONEN)

#: document name -> template (relative to templates/)
DOCUMENTEN: dict[str, str] = {
    "startnotitie": "startnotitie/startnotitie.md.j2",
    "beleidskader": "beleidskader/beleidskader.md.j2",
    "verordening": "verordening/verordening.md.j2",
    "beleidsregels": "beleidsregels/beleidsregels.md.j2",
    "raadsinformatiebrief": "rib/rib.md.j2",
    "raadsvoorstel-beleidskader": "raadsvoorstel-beleidskader/raadsvoorstel-beleidskader.md.j2",
    "raadsvoorstel-verordening": "raadsvoorstel-verordening/raadsvoorstel-verordening.md.j2",
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
    punt = punt_van(waarde)
    if punt is not None:  # an assumption or placeholder: the value and its marker (kit/aannames.py)
        nummer, leeg = punt
        if leeg:
            return markering(nummer, True)
        return _finalize(ontdaan(waarde)) + " " + markering(nummer)
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


# ------------------------------------------------------------------------------- budgets
# A gemeente's own templates (gemeente.teksten, the huisstijl) are code written by others:
# whatever they do, a render ends with the documents or with a Dutch message naming the
# template and line, within a budget of loop steps, time, number sizes and output.

#: loop iterations per document (the kit's own templates need a few thousand)
MAX_STAPPEN = 1_000_000
#: seconds per document render
MAX_SECONDEN = 60.0
#: characters of markup per document (the kit's documents are about 100 000)
MAX_UITVOER = 20_000_000
#: length of a string or list a template may make with ``*``, ``center``, ``indent`` …
MAX_LENGTE = 1_000_000
#: numbers the notation filters print (a budget of a gemeente is far below 10^15 euro)
MAX_GETAL = 10**15
#: exponent of ``**`` (``9**9**9`` would compute for hours)
MAX_EXPONENT = 1000


class SjabloonFout(InputError):
    """Raised by a filter or global when a template asks for something impossible.
    ``str(e)`` is the Dutch reason; :func:`render_veilig` adds template and line. A
    ``KitError`` (exit 2), so a template rendered elsewhere still ends in a Dutch message."""


class _Budget:
    __slots__ = ("stappen", "einde", "uitvoer", "aanroepen")

    def __init__(self) -> None:
        self.stappen = 0
        self.uitvoer = 0
        self.aanroepen = 0
        self.einde = time.monotonic() + MAX_SECONDEN

    def tijd(self) -> None:
        """Called for every call and operator: the clock is read every 64th time."""
        self.aanroepen += 1
        if self.aanroepen & 63 == 0:
            self.tijd_nu()

    def tijd_nu(self) -> None:
        if time.monotonic() > self.einde:
            raise SjabloonFout(bericht("sjabloon.te_lang_bezig", seconden=max(0, int(MAX_SECONDEN))))


_BUDGET: ContextVar[_Budget | None] = ContextVar("kit_sjabloon_budget", default=None)


def _budget() -> _Budget:
    """The budget of the running :func:`render_veilig`; outside one (a template rendered
    directly) a fresh budget per loop or call, never one that outlives it."""
    budget = _BUDGET.get()
    return _Budget() if budget is None else budget


def _tel(iterable: Any) -> Iterator[Any]:
    """Every ``{% for %}`` iterates through this (see ``_Omgeving._parse``)."""
    budget = _budget()
    for item in iterable:
        budget.stappen += 1
        if budget.stappen & 1023 == 0:
            if budget.stappen > MAX_STAPPEN:
                raise SjabloonFout(bericht("sjabloon.te_veel_stappen", max=getal(MAX_STAPPEN)))
            budget.tijd_nu()
        yield item


def _lengte(waarde: Any) -> int:
    return len(waarde) if isinstance(waarde, (str, bytes, list, tuple)) else 0


def _veilige_binop(operator: str, links: Any, rechts: Any) -> Any:
    """``*``, ``**``, ``%``, ``/``, ``//`` and ``+`` with bounds and Dutch messages."""
    _budget().tijd()
    if operator == "**" and isinstance(rechts, (int, float)) and not isinstance(rechts, bool):
        if abs(rechts) > MAX_EXPONENT and isinstance(links, (int, float)) and abs(links) not in (0, 1):
            raise SjabloonFout(bericht("sjabloon.getal_te_groot"))
    if operator == "*":
        for reeks, aantal in ((links, rechts), (rechts, links)):
            if _lengte(reeks) and isinstance(aantal, int) and _lengte(reeks) * aantal > MAX_LENGTE:
                raise SjabloonFout(bericht("sjabloon.te_lang", max=getal(MAX_LENGTE)))
    if operator == "+" and _lengte(links) + _lengte(rechts) > MAX_LENGTE:
        raise SjabloonFout(bericht("sjabloon.te_lang", max=getal(MAX_LENGTE)))
    if operator == "%" and isinstance(links, str) and re.search(r"\d{6,}", links):
        raise SjabloonFout(bericht("sjabloon.te_lang", max=getal(MAX_LENGTE)))
    try:
        uitkomst = _BINOPS[operator](links, rechts)
    except ZeroDivisionError:
        raise SjabloonFout(bericht("sjabloon.deling_door_nul")) from None
    except OverflowError:
        raise SjabloonFout(bericht("sjabloon.getal_te_groot")) from None
    if isinstance(uitkomst, int) and not isinstance(uitkomst, bool) and uitkomst.bit_length() > 3000:
        raise SjabloonFout(bericht("sjabloon.getal_te_groot"))
    return uitkomst


_BINOPS = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "//": operator.floordiv, "**": operator.pow, "%": operator.mod,
}


def _breedte(*waarden: Any) -> None:
    for w in waarden:
        if isinstance(w, int) and not isinstance(w, bool) and abs(w) > MAX_LENGTE:
            raise SjabloonFout(bericht("sjabloon.te_lang", max=getal(MAX_LENGTE)))


def _begrensd_filter(filter_: Any) -> Any:
    """A Jinja filter whose number arguments make strings or lists (``center(10**9)``)."""

    def begrensd(*args: Any, **kwargs: Any) -> Any:
        _breedte(*args[1:], *kwargs.values())
        if args and isinstance(args[0], str) and filter_ is jinja2.filters.do_format and re.search(r"\d{6,}", args[0]):
            raise SjabloonFout(bericht("sjabloon.te_lang", max=getal(MAX_LENGTE)))
        return filter_(*args, **kwargs)

    for eigenschap in ("jinja_pass_arg",):  # keep pass_context / pass_environment markers
        if hasattr(filter_, eigenschap):
            setattr(begrensd, eigenschap, getattr(filter_, eigenschap))
    return begrensd


_BEGRENSDE_FILTERS = ("center", "indent", "wordwrap", "format", "slice", "batch", "truncate", "replace")


class _Onbekend(jinja2.StrictUndefined):
    """StrictUndefined that says in Dutch what does not exist (never Jinja's English)."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint is not None:  # the sandbox: an attribute it will not give
            return bericht("sjabloon.onveilig", naam=_kort(self._undefined_name))
        if self._undefined_obj is jinja2.utils.missing:
            return bericht("sjabloon.naam_onbekend", naam=_kort(self._undefined_name))
        if not isinstance(self._undefined_name, str):
            return bericht("sjabloon.element_onbekend", naam=_kort(self._undefined_name),
                           soort=_soort(self._undefined_obj))
        return bericht("sjabloon.onderdeel_onbekend", naam=_kort(self._undefined_name), soort=_soort(self._undefined_obj))


def _soort(waarde: Any) -> str:
    if isinstance(waarde, dict):
        return bericht("sjabloon.soort_groep")
    if isinstance(waarde, (list, tuple)):
        return bericht("sjabloon.soort_lijst")
    if isinstance(waarde, str):
        return bericht("sjabloon.soort_tekst")
    if isinstance(waarde, (int, float)):
        return bericht("sjabloon.soort_getal")
    return bericht("sjabloon.soort_waarde")


def _kort(waarde: Any, max_: int = 60) -> str:
    try:
        tekst = str(waarde)
    except Exception:  # noqa: BLE001 - e.g. an int beyond the digit limit
        tekst = type(waarde).__name__
    return tekst if len(tekst) <= max_ else tekst[: max_ - 1] + "…"


class _Teller(jinja2.visitor.NodeTransformer):
    """Wraps the iterable of every ``{% for %}`` in ``environment.kit_tel(...)`` and every
    ``~`` concatenation in ``environment.kit_lengte(...)`` (``~`` is no interceptable operator)."""

    def visit_For(self, node: jinja2.nodes.For) -> jinja2.nodes.For:
        self.generic_visit(node)
        node.iter = jinja2.nodes.Call(jinja2.nodes.EnvironmentAttribute("kit_tel"), [node.iter], [], None, None,
                                      lineno=node.lineno)
        return node

    def visit_Concat(self, node: jinja2.nodes.Concat) -> jinja2.nodes.Call:
        self.generic_visit(node)
        return jinja2.nodes.Call(jinja2.nodes.EnvironmentAttribute("kit_lengte"), [node], [], None, None,
                                 lineno=node.lineno)


def _lengte_binnen_budget(waarde: Any) -> Any:
    if _lengte(waarde) > MAX_LENGTE:
        raise SjabloonFout(bericht("sjabloon.te_lang", max=getal(MAX_LENGTE)))
    return waarde


#: extra memory a render may take (POSIX: the address-space limit while a template runs)
MAX_GEHEUGEN = 1024 * 1024 * 1024


def _geheugengrens():
    """Limit the address space to what the process uses now plus ``MAX_GEHEUGEN`` while a
    template runs: any allocation bomb (``replace``, ``join``, ``indent`` of huge text …)
    ends in a ``MemoryError`` and a message. Returns a function that restores the limit."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as f:
            nu = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        zacht, hard = resource.getrlimit(resource.RLIMIT_AS)
        grens = nu + MAX_GEHEUGEN
        if zacht != resource.RLIM_INFINITY and zacht <= grens:
            return lambda: None
        if hard != resource.RLIM_INFINITY and grens > hard:
            return lambda: None
        resource.setrlimit(resource.RLIMIT_AS, (grens, hard))
    except (ImportError, OSError, ValueError, AttributeError):
        return lambda: None

    def herstel() -> None:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (zacht, hard))
        except (OSError, ValueError):
            pass

    return herstel


def _geen_grens() -> None:
    """What :func:`_geheugengrens` returns when it sets no limit."""


class _Begrensd:
    """The bounded parts of the sandbox, shared by the document and the huisstijl environment."""

    intercepted_binops = frozenset(_BINOPS)
    kit_tel = staticmethod(_tel)
    kit_lengte = staticmethod(_lengte_binnen_budget)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        return _veilige_binop(operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        _budget().tijd()
        eigenaar = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if isinstance(eigenaar, (str, list, tuple)):  # 'x'.ljust(10**9), '{:999999999}'.format(1)
            _breedte(*args, *kwargs.values())
            # a width in a format string ('{:999999999}'.format(1)); other methods of a text
            # (a choice's own text with a long number, ``.rstrip('.')``) are not refused
            if (isinstance(eigenaar, str) and getattr(__obj, "__name__", None) in ("format", "format_map")
                    and re.search(r"\d{6,}", eigenaar)):
                raise SjabloonFout(bericht("sjabloon.te_lang", max=getal(MAX_LENGTE)))
        uitkomst = super().call(__context, __obj, *args, **kwargs)
        if isinstance(eigenaar, (list, dict)) and len(eigenaar) > MAX_LENGTE:  # x.extend(x) in a loop
            eigenaar.clear()
            raise SjabloonFout(bericht("sjabloon.te_lang", max=getal(MAX_LENGTE)))
        return _lengte_binnen_budget(uitkomst)

    def _parse(self, source: str, name: str | None, filename: str | None) -> jinja2.nodes.Template:
        return _Teller().visit(super()._parse(source, name, filename))

    def begrens_filters(self) -> None:
        for naam in _BEGRENSDE_FILTERS:
            if naam in self.filters:
                self.filters[naam] = _begrensd_filter(self.filters[naam])


class _VeiligeStijl(_Begrensd, SandboxedEnvironment):
    """A gemeente's own huisstijl: sandboxed, within the budgets."""


class _VertrouwdeStijl(jinja2.Environment):
    """The kit's own huisstijl (``templates/huisstijl.docx``), trusted like its templates."""

    kit_vertrouwd = True


def stijl_omgeving(vertrouwd: bool = False, **opties: Any) -> jinja2.Environment:
    """The environment of a huisstijl's parts, with Dutch messages: sandboxed with the kit's
    budgets, or (``vertrouwd``, the kit's own huisstijl) plain. Each class has its own
    bytecode cache."""
    klasse = _VertrouwdeStijl if vertrouwd else _VeiligeStijl
    opties.setdefault("undefined", _Onbekend)
    opties.setdefault("bytecode_cache", _bytecode_cache(klasse))
    env = klasse(**opties)
    if not vertrouwd:
        env.begrens_filters()
    env.globals.pop("lipsum", None)  # lipsum(10**6) writes a million paragraphs in one call
    return env


_DICT_ATTRIBUTEN = frozenset(dir(dict))
_VEILIG: dict[tuple[type, str], bool] = {}


class _KitTaal:
    """What the document environments share: the kit's code generator and ``Markup``, and a
    fast ``x.key`` on a plain dict."""

    code_generator_class = _KitCodeGenerator
    kit_markup = Markup

    def getattr(self, obj: Any, attribute: str) -> Any:
        # ``x.key`` on a plain dict: exactly what Jinja returns (a dict instance has no
        # attributes of its own, so it would fail getattr and fall back to obj[key]), without
        # raising and catching an AttributeError for each of ~2000 lookups per gemeente
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTEN and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)  # type: ignore[misc]


class _Vertrouwd(_KitTaal, jinja2.Environment):
    """The kit's own templates, when no gemeente text takes part in the render.

    They are the kit's code, reviewed and tested like its Python: the sandbox and the budgets
    guard a gemeente's own templates (``gemeente.teksten``), which can call the kit's macros and
    are therefore rendered, together with every kit template, in :class:`_Omgeving`. User text
    is data in both: it is never compiled. The output is byte for byte the same in both
    environments (tests/test_templating_vertrouwd.py)."""

    kit_vertrouwd = True  # render_veilig: no address-space limit, rendered in one piece

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Jinja's own order (the attribute, then the item), one call less per lookup
        if type(obj) is dict:
            if attribute not in _DICT_ATTRIBUTEN and attribute in obj:
                return obj[attribute]
        else:
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass
        return jinja2.Environment.getattr(self, obj, attribute)


class _Omgeving(_KitTaal, _Begrensd, SandboxedEnvironment):

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
        try:
            d = dt.date.fromisoformat(str(waarde).strip())
        except ValueError:
            raise SjabloonFout(bericht("sjabloon.filter_datum", waarde=_kort(waarde))) from None
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
    try:
        return _schema_knoop(str(keypath))["title"]
    except KeyError:
        raise SjabloonFout(bericht("sjabloon.label_onbekend", sleutel=_kort(keypath))) from None


def enum_label(keypath: str, waarde: Any) -> str:
    """The schema's ``x-labels`` text for an enum value (the value itself when unlabelled)."""
    try:
        labels = _schema_knoop(keypath).get("x-labels") or {}
    except KeyError:
        labels = {}
    return labels.get(str(waarde), str(waarde))


def _getalfilter(functie, naam: str):
    """``euro``/``getal``/``procent`` for templates: a Dutch message for what is not a number."""

    def filter_(waarde: Any, *args: Any) -> str:
        if isinstance(waarde, float) and not math.isfinite(waarde):
            raise SjabloonFout(bericht("sjabloon.filter_getal", filter=naam, waarde=_kort(waarde)))
        if isinstance(waarde, (int, float)) and not isinstance(waarde, bool) and abs(waarde) >= MAX_GETAL:
            raise SjabloonFout(bericht("sjabloon.filter_getal_groot", filter=naam, waarde=_kort(waarde)))
        try:
            return functie(waarde, *args)
        except (ArithmeticError, ValueError, TypeError):
            raise SjabloonFout(bericht("sjabloon.filter_getal", filter=naam, waarde=_kort(waarde))) from None

    filter_.__name__ = naam
    return filter_


def _met_markering(functie):
    """A filter or global that keeps the marker of an assumed argument on its result:
    ``{{ x|maanden }}`` → "18 maanden [aanname 3]", ``{{ enum_label(k, x) }}`` likewise."""

    def gemarkeerd(*args: Any, **kwargs: Any) -> Any:
        punt = next((p for p in map(punt_van, args) if p is not None), None)
        if punt is None:
            return functie(*args, **kwargs)
        nummer, leeg = punt
        if leeg:
            return Markup(markering(nummer, True))
        uit = functie(*(ontdaan(a) for a in args), **kwargs)
        return Markup(_finalize(uit) + " " + markering(nummer))

    gemarkeerd.__name__ = functie.__name__
    gemarkeerd.__doc__ = functie.__doc__
    return gemarkeerd


def gemarkeerd_als(tekst: Any, bron: Any) -> Any:
    """``tekst`` with the marker of ``bron`` (for a macro that builds text from a marked value)."""
    punt = punt_van(bron)
    if punt is None:
        return tekst
    nummer, leeg = punt
    if leeg:
        return Markup(markering(nummer, True))
    return Markup(_finalize(tekst) + " " + markering(nummer))


def eerste_gemarkeerd(*waarden: Any) -> Any:
    """The first of ``waarden`` that rests on an open point, else None: a number computed from
    assumed inputs (prognose, budget) carries that input's marker via ``gemarkeerd_als``."""
    return next((w for w in waarden if punt_van(w) is not None), None)


FILTERS = {
    "datum": datum,
    "euro": _getalfilter(euro, "euro"),
    "getal": _getalfilter(getal, "getal"),
    "procent": _getalfilter(procent, "procent"),
    "opsomming": opsomming,
    "maanden": maanden,
    "weken": weken,
    "jaren": jaren,
    "uren": uren,
}
GLOBALS = {"ref": ref, "nr": nr, "label": label, "enum_label": enum_label}
FILTERS = {naam: _met_markering(f) for naam, f in FILTERS.items()}
FILTERS["kaal"] = kaal   # the value without its marker (a macro that marks the whole phrase)
GLOBALS["enum_label"] = _met_markering(enum_label)
GLOBALS["gemarkeerd_als"] = gemarkeerd_als
GLOBALS["eerste_gemarkeerd"] = eerste_gemarkeerd


#: size of one template file of a gemeente (the kit's largest is about 20 kB)
MAX_SJABLOON_BYTES = 1024 * 1024


class _MapLader(jinja2.BaseLoader):
    """A gemeente's folder of templates: regular files inside the folder only.

    A symlink that points outside the folder is refused (a shared template pack could
    otherwise pull any file of the machine into a document); a FIFO or device is refused
    before it is read; a name with ``..`` is not a template.
    """

    def __init__(self, map_: Path):
        self.map = Path(map_)
        self.echt = os.path.realpath(self.map)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        from kit.loader import BestandFout, lees_regulier_bestand

        try:
            delen = jinja2.loaders.split_template_path(template)
        except jinja2.TemplateNotFound:
            raise
        pad = os.path.join(self.map, *delen)
        if "\x00" in pad or not os.path.lexists(pad):
            raise jinja2.TemplateNotFound(template)
        echt = os.path.realpath(pad)
        if not (echt == self.echt or echt.startswith(self.echt.rstrip(os.sep) + os.sep)):
            raise InputError(bericht("sjabloon.buiten_map", pad=pad, map=self.map))
        try:
            data = lees_regulier_bestand(pad, MAX_SJABLOON_BYTES)
        except BestandFout as e:
            raise InputError(bericht("sjabloon.onleesbaar", pad=pad, reden=e.reden)) from None
        try:
            tekst = data.decode("utf-8")
        except UnicodeDecodeError as e:
            regel = data.count(b"\n", 0, e.start) + 1
            raise InputError(bericht("sjabloon.geen_utf8", pad=pad, regel=regel)) from None
        return tekst, pad, lambda: True

    def list_templates(self) -> list[str]:
        return []


class _YamlLader(jinja2.BaseLoader):
    """A YAML file ``{template path: template text}``; the file name shows in messages."""

    def __init__(self, bron: Path, data: dict[str, str]):
        self.bron = bron
        self.data = data

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        if template not in self.data:
            raise jinja2.TemplateNotFound(template)
        return self.data[template], bericht("sjabloon.in_yaml", pad=self.bron, sjabloon=template), lambda: True


class _KitLader(jinja2.FileSystemLoader):
    """The kit's own templates: compiled ahead of time where an up-to-date entry exists
    (:mod:`kit.voorvertaald`), else as any folder (with the signed bytecode cache)."""

    def load(self, environment: jinja2.Environment, name: str, globals: Any = None) -> jinja2.Template:
        from kit import voorvertaald

        bron, bestand, actueel = self.get_source(environment, name)
        code = voorvertaald.code(environment, name, bron, bestand)
        if code is None:
            return super().load(environment, name, globals)
        return environment.template_class.from_code(environment, code, {} if globals is None else globals, actueel)


def _lader(bron: Path) -> jinja2.BaseLoader:
    """A folder of templates, or a YAML file ``{template path: template text}``."""
    from kit.loader import bestand_fout, lees_yaml

    fout = bestand_fout(bron)
    soort = None if fout is None else fout.soort
    if soort == "is_map" and os.path.realpath(bron) == os.path.realpath(SJABLONEN):
        return _KitLader(str(bron), encoding="utf-8")  # the kit's own templates
    if soort == "is_map":
        return _MapLader(bron)
    if soort is None and bron.suffix.lower() in (".yaml", ".yml"):
        data = lees_yaml(bron)
        if data is None:
            data = {}
        if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
            raise InputError(bericht("render.teksten_geen_map", pad=bron))
        return _YamlLader(bron, data)
    if fout is not None and soort != "is_map":
        raise InputError(bericht("sjabloon.teksten_onleesbaar", pad=bron, reden=fout.reden))
    raise InputError(bericht("render.teksten_geen_map", pad=bron))


# ------------------------------------------------------------------------------- disk cache

from kit.cache import cache_map  # noqa: E402  (the cache lives in kit.cache; kept importable here)


def _bytecode_cache(soort: type | None = None) -> jinja2.BytecodeCache | None:
    """The signed bytecode cache for environments of class ``soort`` (kept apart per class)."""
    from kit.cache import bytecode_cache

    return bytecode_cache(soort.__qualname__ if soort is not None else "")


def maak_omgeving(mappen: list[Path], vertrouwd: bool = False, **opties: Any) -> jinja2.Environment:
    """A sandboxed, strict environment over ``mappen`` (first match wins) with the kit filters;
    ``vertrouwd``: only the kit's own templates, without sandbox and budgets (:class:`_Vertrouwd`)."""
    loader = jinja2.ChoiceLoader([_lader(Path(m)) for m in mappen])
    klasse = _Vertrouwd if vertrouwd else _Omgeving
    opties.setdefault("bytecode_cache", _bytecode_cache(klasse))
    env = klasse(
        loader=loader,
        undefined=_Onbekend,
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
    if not vertrouwd:
        env.begrens_filters()
    env.globals.pop("lipsum", None)  # lipsum(10**6) writes a million paragraphs in one call
    env.globals.update(GLOBALS)
    return env


class Sjablonen:
    """The kit's templates, optionally overlaid by a gemeente's own text folder."""

    def __init__(self, extra_map: Path | None = None, basis: Path | None = None):
        self.basis = Path(basis) if basis else SJABLONEN
        self.extra_map = Path(extra_map) if extra_map else None
        mappen = ([self.extra_map] if self.extra_map else []) + [self.basis]
        self.vertrouwd = self.extra_map is None and os.path.realpath(self.basis) == os.path.realpath(SJABLONEN)
        self.env = maak_omgeving(mappen, vertrouwd=self.vertrouwd)
        self._eigen_bestanden: dict[tuple[str, ...], set[Path]] = {}

    def bestaat(self, document: str) -> bool:
        naam = DOCUMENTEN.get(document, document)
        try:
            self.env.loader.get_source(self.env, naam)
        except jinja2.TemplateNotFound:
            return False
        return True

    def bestanden(self, documenten: Iterable[str]) -> list[Path]:
        """The files a render of ``documenten`` reads (for the manifest), sorted. The kit's own
        part is listed once per process (its templates, too, are read once per environment)."""
        documenten = tuple(documenten)
        uit: set[Path] = set()
        if self.extra_map is not None:
            uit.update(self._bestanden_in(self.extra_map, documenten))
        if documenten not in self._eigen_bestanden:
            self._eigen_bestanden[documenten] = self._bestanden_in(self.basis, documenten)
        uit.update(self._eigen_bestanden[documenten])
        return sorted(uit)

    def _bestanden_in(self, bron: Path, documenten: tuple[str, ...]) -> set[Path]:
        if bron.is_file():
            return {bron}
        eigen = (lambda p: p.is_file()) if bron == self.basis else (lambda p: _eigen_bestand(p, bron))
        uit: set[Path] = set()
        for document in documenten:
            map_ = bron / Path(DOCUMENTEN.get(document, document)).parent
            if map_.is_dir():
                uit.update(p for p in map_.rglob("*") if eigen(p))
        gedeeld = bron / "_gedeeld"
        if gedeeld.is_dir():
            uit.update(p for p in gedeeld.rglob("*.j2") if eigen(p))
        return uit

    def sjabloon(self, document: str) -> jinja2.Template:
        naam = DOCUMENTEN.get(document, document)
        try:
            return self.env.get_template(naam)
        except KitError:
            raise
        except jinja2.TemplateNotFound as e:
            if e.name not in (None, naam):  # an {% include %} or {% extends %} of a template that is not there
                raise InputError(sjabloon_melding(e, naam)) from None
            raise InputError(bericht("render.sjabloon_ontbreekt", sjabloon=naam)) from None
        except Exception as e:  # noqa: BLE001 - syntax errors, and anything a template's code can raise
            raise InputError(sjabloon_melding(e, naam)) from None

    def render(self, document: str, context: Mapping[str, Any]) -> str:
        """The markup of ``document`` (a name of DOCUMENTEN or a template path)."""
        sjabloon = self.sjabloon(document)
        return render_veilig(sjabloon, context)


def _eigen_bestand(pad: Path, map_: Path) -> bool:
    """A regular file inside ``map_`` after following symlinks (what the manifest may hash)."""
    try:
        echt, basis = os.path.realpath(pad), os.path.realpath(map_)
        return (echt.startswith(basis.rstrip(os.sep) + os.sep)) and pad.is_file()
    except (OSError, ValueError):
        return False


def render_veilig(sjabloon: jinja2.Template, context: Mapping[str, Any], max_uitvoer: int | None = None,
                  buiten_budget: int = 0) -> str:
    """Render ``sjabloon`` within the budgets; every failure an ``InputError`` in Dutch that
    names the template and line (never Jinja's or Python's English, never a traceback).
    ``buiten_budget``: characters of a value the template only places (a huisstijl places the
    kit's body), on top of the output budget ``max_uitvoer``."""
    if max_uitvoer is None:
        max_uitvoer = MAX_UITVOER
    grens = max_uitvoer + buiten_budget
    budget = _Budget()
    token = _BUDGET.set(budget)
    delen: list[str] = []
    # the address-space limit guards a gemeente's own templates; the kit's own need none
    vertrouwd = getattr(sjabloon.environment, "kit_vertrouwd", False)
    herstel = _geen_grens if vertrouwd else _geheugengrens()
    try:
        if vertrouwd:  # the kit's own templates: in one piece, the size checked at the end
            delen.append(sjabloon.render(context))
            if len(delen[0]) > grens:
                raise SjabloonFout(bericht("sjabloon.te_veel_uitvoer", max=getal(max_uitvoer)))
        else:
            for stuk in sjabloon.generate(context):
                budget.uitvoer += len(stuk)
                if budget.uitvoer > grens:
                    raise SjabloonFout(bericht("sjabloon.te_veel_uitvoer", max=getal(max_uitvoer)))
                delen.append(stuk)
    except SjabloonFout as e:
        delen.clear()
        herstel()
        raise InputError(sjabloon_melding(e, sjabloon.name or "")) from None
    except KitError:
        raise
    except Exception as e:  # noqa: BLE001 - see sjabloon_melding
        delen.clear()
        herstel()
        raise InputError(sjabloon_melding(e, sjabloon.name or "")) from None
    finally:
        herstel()
        _BUDGET.reset(token)
    return "".join(delen)


def sjabloon_melding(fout: BaseException, standaard: str) -> str:
    """"Sjabloon X, regel N: <Dutch reason>" for anything a template can raise."""
    if isinstance(fout, jinja2.TemplateSyntaxError):
        naam = fout.filename or fout.name or standaard
        return bericht("sjabloon.fout", sjabloon=_toon_naam(naam), regel=fout.lineno or 1, reden=_syntax_reden(fout))
    naam, regel = _plaats_in_sjabloon(fout, standaard)
    plaats = bericht("sjabloon.fout", sjabloon=_toon_naam(naam), regel=regel, reden="{reden}") if regel else \
        bericht("sjabloon.fout_zonder_regel", sjabloon=_toon_naam(naam), reden="{reden}")
    return plaats.replace("{reden}", _reden(fout))


def _toon_naam(naam: str) -> str:
    try:
        return Path(naam).resolve().relative_to(SJABLONEN.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return naam


def _plaats_in_sjabloon(fout: BaseException, standaard: str) -> tuple[str, int | None]:
    """The innermost template frame of Jinja's rewritten traceback: (file name, line)."""
    naam, regel = standaard, None
    tb = fout.__traceback__
    diepte = 0
    while tb is not None and diepte < 10_000:
        frame = tb.tb_frame
        if "__jinja_exception__" in frame.f_globals or frame.f_code.co_filename.endswith(".j2"):
            naam, regel = frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
        diepte += 1
    return naam, regel


def _reden(fout: BaseException) -> str:
    """The Dutch reason of an exception raised while a template runs."""
    if isinstance(fout, SjabloonFout):
        return str(fout)
    if isinstance(fout, jinja2.UndefinedError):
        return fout.message if fout.message and not fout.message.startswith("'") else bericht("sjabloon.naam_onbekend", naam="?")
    if isinstance(fout, jinja2.exceptions.SecurityError):
        return bericht("sjabloon.onveilig_algemeen")
    if isinstance(fout, jinja2.TemplateNotFound):
        return bericht("sjabloon.include_ontbreekt", naam=_kort(fout.name))
    if isinstance(fout, RecursionError):
        return bericht("sjabloon.kring")
    if isinstance(fout, ZeroDivisionError):
        return bericht("sjabloon.deling_door_nul")
    if isinstance(fout, OverflowError):
        return bericht("sjabloon.reeks_te_lang" if "range" in str(fout).lower() else "sjabloon.getal_te_groot")
    if isinstance(fout, MemoryError):
        return bericht("sjabloon.geheugen")
    if isinstance(fout, ValueError) and "digits" in str(fout):
        return bericht("sjabloon.getal_te_groot")
    if isinstance(fout, (KeyError, IndexError, AttributeError, LookupError)):
        return bericht("sjabloon.bestaat_niet")
    if isinstance(fout, TypeError):
        return bericht("sjabloon.verkeerde_soort")
    return bericht("sjabloon.onbekende_fout", soort=type(fout).__name__)


# Jinja's syntax messages -> Dutch (matched in the lower-cased message; first hit wins).
_SYNTAX = (
    (re.compile(r"encountered unknown tag '([^']*)'"), "sjabloon.syntax_onbekende_opdracht"),
    (re.compile(r"no filter named '([^']*)'"), "sjabloon.syntax_onbekend_filter"),
    (re.compile(r"no test named '([^']*)'"), "sjabloon.syntax_onbekende_test"),
    (re.compile(r"unexpected end of template"), "sjabloon.syntax_einde"),
    (re.compile(r"missing end of comment tag"), "sjabloon.syntax_commentaar"),
    (re.compile(r"unexpected char '(.)'"), "sjabloon.syntax_teken"),
    (re.compile(r"unexpected '([^']*)'"), "sjabloon.syntax_onverwacht"),
    (re.compile(r"expected token '([^']*)', got '([^']*)'"), "sjabloon.syntax_verwacht"),
    (re.compile(r"expected an expression"), "sjabloon.syntax_expressie"),
    (re.compile(r"block '([^']*)' defined twice"), "sjabloon.syntax_blok_dubbel"),
    (re.compile(r"unclosed|unterminated|eof"), "sjabloon.syntax_niet_afgesloten"),
)


def _syntax_reden(fout: jinja2.TemplateSyntaxError) -> str:
    melding = (fout.message or "").lower()
    for patroon, sleutel in _SYNTAX:
        m = patroon.search(melding)
        if m:
            return bericht(sleutel, naam=_kort(m.group(1)) if m.groups() else "",
                           gevonden=_kort(m.group(2)) if len(m.groups()) > 1 else "")
    return bericht("sjabloon.syntax_algemeen")


def _plaats(fout: BaseException, standaard: str) -> str:
    """"verordening/artikelen/pip.md.j2, regel 12" from Jinja's rewritten traceback."""
    naam, regel = _plaats_in_sjabloon(fout, standaard)
    if regel is None:
        return naam
    return bericht("render.sjabloon_regel", sjabloon=_toon_naam(naam), regel=regel)


_CACHE: dict[tuple[str, str], Sjablonen] = {}


def sjablonen(extra_map: Path | None = None) -> Sjablonen:
    """The prepared :class:`Sjablonen` for an override folder (one per process)."""
    sleutel = (str(extra_map or ""), str(SJABLONEN))
    if sleutel not in _CACHE:
        _CACHE[sleutel] = Sjablonen(extra_map)
    return _CACHE[sleutel]
