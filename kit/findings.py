"""A finding of validation: where, how bad, what, and which law says so."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

FOUT = "fout"
WAARSCHUWING = "waarschuwing"


@dataclass(frozen=True)
class Finding:
    niveau: str             # FOUT | WAARSCHUWING
    bestand: Path | None    # the file that set the value (provenance), or the gemeente's file
    regel: int | None       # 1-based line, or None when the key is absent
    sleutel: str            # dotted key path, e.g. "handhaving.boete_pip"
    bericht: str            # Dutch, complete sentence(s), from the berichten catalogue
    bron: str = ""          # legal source, e.g. "art. 3.1 Besluit inburgering 2021"

    @property
    def is_fout(self) -> bool:
        return self.niveau == FOUT

    def als_tekst(self) -> str:
        """`FILE:LINE: fout: key.path: message (bron: …)` — the format of DESIGN.md."""
        from kit.berichten import toon  # key path and file name come from the user: escaped

        plaats = f"{toon(self.bestand)}:{self.regel if self.regel is not None else 0}"
        bron = f" (bron: {self.bron})" if self.bron else ""
        return f"{plaats}: {self.niveau}: {toon(self.sleutel)}: {toon(self.bericht)}{bron}"

    def als_dict(self) -> dict:
        d = asdict(self)
        d["bestand"] = str(self.bestand) if self.bestand is not None else None
        return d
