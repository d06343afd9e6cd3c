"""The catalogue of user-facing messages.

Python code never holds Dutch prose: every message a user reads lives in
``kit/data/berichten/<groep>.yaml`` as ``sleutel: "tekst met {velden}"``. Code asks
for ``bericht("groep.sleutel", veld=waarde)``. A missing key or field is a bug in
the kit, so it raises ``KeyError`` loudly (tests call every key they use).
"""

from __future__ import annotations

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


def bericht(sleutel: str, /, **velden: object) -> str:
    """The Dutch text for ``sleutel`` (``groep.naam``) with ``velden`` filled in."""
    return _catalogus()[sleutel].format(**velden)


def heeft_bericht(sleutel: str) -> bool:
    return sleutel in _catalogus()


def meld_fout(echo, tekst: str) -> None:
    """Print ``tekst`` on stderr through a click-style ``echo``; a plain ``print`` has no ``err``."""
    try:
        echo(tekst, err=True)
    except TypeError:
        echo(tekst)
