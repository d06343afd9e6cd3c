"""The catalogue of user-facing messages.

Python code never holds Dutch prose: every message a user reads lives in
``kit/data/berichten/<groep>.yaml`` as ``sleutel: "tekst met {velden}"``. Code asks
for ``bericht("groep.sleutel", veld=waarde)``. A missing key or field is a bug in
the kit, so it raises ``KeyError`` loudly (tests call every key they use).
"""

from __future__ import annotations

import errno as _errno
import re
from functools import lru_cache
from importlib import resources

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster


@lru_cache(maxsize=1)
def _catalogus() -> dict[str, str]:
    catalogus: dict[str, str] = {}
    map_ = resources.files("kit") / "data" / "berichten"
    for entry in sorted(map_.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        groep = entry.name[: -len(".yaml")]
        inhoud = yaml.load(entry.read_text(encoding="utf-8"), Loader=_Loader) or {}
        for sleutel, tekst in inhoud.items():
            catalogus[f"{groep}.{sleutel}"] = str(tekst)
    return catalogus


# Characters that must never reach a terminal as they are: C0 controls except tab and newline
# (ESC starts escape sequences, CR overwrites a line, BS erases), DEL, C1 controls (U+009B is
# a one-character CSI), bidirectional overrides and isolates (they reorder what is shown),
# surrogates (undecodable bytes of a file name) and the two non-characters.
_STUURTEKENS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                          "\ud800-\udfff\ufffe\uffff]")


def _zichtbaar(m: re.Match) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def toon(tekst: object) -> str:
    """``tekst`` safe to print: every control character written as ``\\x1b`` / ``\\u202e``.

    The one escaping function of every message: :func:`bericht` applies it to each field,
    ``Finding.als_tekst`` to key path and file. Tab and newline stay (messages use them);
    a backslash is left alone, so escaping twice changes nothing.
    """
    tekst = str(tekst)
    if _STUURTEKENS.search(tekst) is None:
        return tekst
    return _STUURTEKENS.sub(_zichtbaar, tekst)


def toon_json(tekst: str) -> str:
    """JSON text safe to print: C1 controls, bidi marks and the like as ``\\uXXXX`` escapes.

    ``json.dumps`` already escapes C0; the others are valid in a JSON string, so writing them
    as escapes keeps the same data (they can only occur inside strings)."""
    return _STUURTEKENS.sub(lambda m: f"\\u{ord(m.group()):04x}", tekst)


def _veld(waarde: object) -> object:
    if isinstance(waarde, (int, float)):  # numbers keep their format specs
        return waarde
    return toon(waarde)


def bericht(sleutel: str, /, **velden: object) -> str:
    """The Dutch text for ``sleutel`` (``groep.naam``) with ``velden`` filled in.

    Every field is passed through :func:`toon`: a key or value from a choice file can never
    put a terminal escape sequence into a message.
    """
    return _catalogus()[sleutel].format(**{k: _veld(v) for k, v in velden.items()})


def os_reden(fout: OSError) -> str:
    """The Dutch reason of an operating-system error (never the system's English text)."""
    naam = _errno.errorcode.get(fout.errno or 0, "")
    sleutel = f"algemeen.os_{naam.lower()}" if naam else ""
    if sleutel and sleutel in _catalogus():
        return bericht(sleutel)
    return bericht("algemeen.os_onbekend", code=naam or type(fout).__name__)


def heeft_bericht(sleutel: str) -> bool:
    return sleutel in _catalogus()


def meld_fout(echo, tekst: str) -> None:
    """Print ``tekst`` on stderr through a click-style ``echo``; a plain ``print`` has no ``err``."""
    try:
        echo(tekst, err=True)
    except TypeError:
        echo(tekst)
