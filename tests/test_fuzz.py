"""No internal error, whatever a choice file holds (issue 14).

Two generators of hostile choice files, each through the whole chain that matters:
load → validate → (only when validation finds no ``fout``) the five documents as .docx bytes
→ the griffie pack against the unchanged file (``kit diff``'s model and redlines).

* ``test_fuzz_voorbeeldbestanden``: a *seeded* fuzz of the example choice files
  (``choices/*.yaml``, ``choices/hbel/*.yaml``): 150 mutants in six chunks (so ``-n 2``
  spreads them), each changing one to three keys to a value from a hostile pool (extremes,
  .nan/.inf, huge ints, impossible dates, wrong types, markup, control characters) or
  deleting / adding a key. Same seed, same mutants: a failure is reproducible.
* ``test_eigenschap_geldig_is_renderbaar``: hypothesis over the schema's value space, key
  by key, bounds and just-outside-bounds included.

An *internal error* is any exception that is not a ``KitError`` (a Dutch message with an
exit code). Both tests fail on the first one, with the mutant in the assertion.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import random
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.errors import KitError

ROOT = Path(__file__).resolve().parent.parent
VOORBEELDEN = sorted((ROOT / "choices").glob("*.yaml")) + sorted(
    p for p in (ROOT / "choices" / "hbel").glob("*.yaml") if p.name != "regio.yaml"
)
MUTANTEN = 150
BLOKKEN = 6
ZAAD = 20261130


# --------------------------------------------------------------------------------- the chain

@lru_cache(maxsize=None)
def _origineel(pad: Path):
    """The unchanged example as a diff version (the 'oud' of every pack)."""
    from kit.diff import laad_versie

    return laad_versie(str(pad), Path(tempfile.mkdtemp(prefix="kit-fuzz-oud-")), "oud")


def door_de_keten(pad: Path, bron: Path, met_diff: bool) -> str:
    """Load, validate, render and (``met_diff``) diff ``pad``; the stage reached.

    A ``KitError`` is a proper refusal; anything else propagates (an internal error)."""
    from kit.diff import laad_versie, maak_pakket
    from kit.loader import load_choices
    from kit.render import DOCUMENTEN, renderer
    from kit.validate import validate

    try:
        choices = load_choices(pad)
    except KitError:
        return "onleesbaar"
    if any(f.is_fout for f in validate(choices)):
        return "ongeldig"
    try:
        renderer().documenten(choices, DOCUMENTEN)
        if met_diff:
            werkmap = Path(tempfile.mkdtemp(prefix="kit-fuzz-"))
            try:
                nieuw = laad_versie(str(pad), werkmap, "nieuw")
                maak_pakket(_origineel(bron), nieuw, werkmap)
            finally:
                shutil.rmtree(werkmap, ignore_errors=True)
    except KitError:
        return "geweigerd"
    return "gerenderd"


# --------------------------------------------------------------------------------- mutations

_DATUMS = ["9999-12-31", "0001-01-01", "1900-01-01", "2000-01-01", "2100-12-31", "2101-01-01", "2021-02-29",
           "2022-01-01", "2030-06-15"]
_TEKSTEN = ["", " ", "x" * 5000, "{{ 7*7 }}", "{% for i in range(10**9) %}", "@artikel x | y", "- lijst", "a | b",
            "⟦ref:x⟧", "**vet**", "a\nb", "\x0bzacht", "tab\tje", "Ünïcødé ✓ 🎉", "<w:p>&amp;", "\u202eomgekeerd",
            "'s-Hertogenbosch", "㎒" * 60]
_GETALLEN = [0, -1, 1, 3, 6, 10, 12, 52, 60, 100, 101, 1000, 10**6, 10**9, 2**31, 2**63, 10**28, 10**20,
             0.5, -0.0, 1e308, -1e308, float("nan"), float("inf"), float("-inf"), 2.5e-300]
_ANDERS = [None, True, False, [], [1, 2], ["a", "b"], {}, {"a": 1}, "ja"]


def _pool(rng: random.Random, sub: dict | None) -> Any:
    """A hostile value, biased to what the schema expects at this key."""
    keuze = rng.random()
    if sub and keuze < 0.35:
        if sub.get("enum"):
            return rng.choice(list(sub["enum"]) + ["onbekend"])
        if sub.get("format") == "date" or (sub.get("items") or {}).get("format") == "date":
            waarde = rng.choice(_DATUMS)
            return [waarde] if sub.get("type") == "array" else waarde
        typen = sub.get("type") if isinstance(sub.get("type"), list) else [sub.get("type")]
        if "integer" in typen or "number" in typen:
            grenzen = [sub.get("minimum"), sub.get("maximum")]
            kandidaten = [g for g in grenzen if g is not None]
            kandidaten += [g + 1 for g in kandidaten] + [g - 1 for g in kandidaten]
            return rng.choice(kandidaten + _GETALLEN)
        if "array" in typen:
            return rng.choice([[], [rng.choice(_TEKSTEN)], [rng.choice(_GETALLEN)], [0] * 7, [104] * 7, [200] * 7])
    if keuze < 0.6:
        return rng.choice(_GETALLEN)
    if keuze < 0.85:
        return rng.choice(_TEKSTEN + _DATUMS)
    return copy.deepcopy(rng.choice(_ANDERS))


def _bladeren(data: Any, pad: tuple = ()) -> list[tuple]:
    uit = []
    if isinstance(data, dict):
        for k, v in data.items():
            uit.append(pad + (k,))
            uit.extend(_bladeren(v, pad + (k,)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            uit.append(pad + (i,))
            uit.extend(_bladeren(v, pad + (i,)))
    return uit


def _schema_sleutels() -> list[str]:
    from kit.schema import iter_keys

    return list(iter_keys())


def _zet(data: dict, pad: tuple | str, waarde: Any) -> None:
    delen = pad.split(".") if isinstance(pad, str) else list(pad)
    huidig: Any = data
    for deel in delen[:-1]:
        if isinstance(huidig, dict):
            if not isinstance(huidig.get(deel), (dict, list)):
                huidig[deel] = {}
            huidig = huidig[deel]
        elif isinstance(huidig, list) and isinstance(deel, int) and deel < len(huidig):
            huidig = huidig[deel]
        else:
            return
    laatste = delen[-1]
    if isinstance(huidig, dict):
        huidig[laatste] = waarde
    elif isinstance(huidig, list) and isinstance(laatste, int) and laatste < len(huidig):
        huidig[laatste] = waarde


def _verwijder(data: dict, pad: tuple) -> None:
    huidig: Any = data
    for deel in pad[:-1]:
        huidig = huidig[deel]
    if isinstance(huidig, dict):
        huidig.pop(pad[-1], None)
    elif isinstance(huidig, list) and pad[-1] < len(huidig):
        del huidig[pad[-1]]


def _geldige_waarde(rng: random.Random, sub: dict) -> Any:
    """A value inside the schema's space at this key (its bounds included): the mutants that
    pass validation are the ones that reach render and diff."""
    typen = sub.get("type") if isinstance(sub.get("type"), list) else [sub.get("type")]
    if sub.get("enum"):
        return rng.choice(sub["enum"])
    if sub.get("format") == "date":
        return rng.choice([sub.get("formatMinimum", "2000-01-01"), sub.get("formatMaximum", "2100-12-31"), "2022-01-01"])
    if "integer" in typen or "number" in typen:
        laag, hoog = sub.get("minimum", 0), sub.get("maximum", 1000)
        return rng.choice([laag, hoog, rng.randint(int(laag), int(hoog))])
    if "boolean" in typen:
        return rng.choice([True, False])
    if "string" in typen:
        return rng.choice(_TEKSTEN[:14])
    return None


def muteer(data: dict, rng: random.Random, geldig: bool = False) -> list[str]:
    """Change 1–3 things in ``data`` (in place); a description of each, for the failure message.
    ``geldig``: one schema key to a value inside its bounds (extremes of the valid space)."""
    from kit.schema import deelschema

    if geldig:
        for _ in range(20):
            sleutel = rng.choice(_schema_sleutels())
            waarde = _geldige_waarde(rng, deelschema(sleutel) or {})
            if waarde is not None:
                _zet(data, sleutel, waarde)
                return [f"{sleutel} = {waarde!r:.80}"]
        return []
    stappen = []
    for _ in range(rng.randint(1, 3)):
        soort = rng.random()
        if soort < 0.55:  # a schema key, with a value from its own space or from the pool
            sleutel = rng.choice(_schema_sleutels())
            waarde = _pool(rng, deelschema(sleutel))
            _zet(data, sleutel, waarde)
            stappen.append(f"{sleutel} = {waarde!r:.80}")
        elif soort < 0.8:  # any existing key or list item
            bladeren = _bladeren(data)
            if not bladeren:
                continue
            pad = rng.choice(bladeren)
            if rng.random() < 0.3:
                _verwijder(data, pad)
                stappen.append(f"del {pad}")
            else:
                waarde = _pool(rng, None)
                _zet(data, pad, waarde)
                stappen.append(f"{pad} = {waarde!r:.80}")
        else:  # a key the schema does not know, somewhere
            bladeren = [p for p in _bladeren(data) if len(p) < 3] or [()]
            pad = rng.choice(bladeren) + (rng.choice(["onbekend", "\x1b[31mrood", "a.b", "", "x" * 300]),)
            _zet(data, pad, rng.choice(_GETALLEN + _TEKSTEN))
            stappen.append(f"+ {pad!r:.80}")
    return stappen


def _schrijf(doelmap: Path, bron: Path, data: dict) -> Path:
    """The mutant next to a copy of its regio file (for extends), as YAML."""
    if bron.parent.name == "hbel":
        shutil.copy(bron.parent / "regio.yaml", doelmap / "regio.yaml")
    pad = doelmap / bron.name
    pad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    return pad


def _lees(bron: Path) -> dict:
    return yaml.safe_load(bron.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------- the tests

@pytest.mark.slow
@pytest.mark.parametrize("blok", range(BLOKKEN))
def test_fuzz_voorbeeldbestanden(blok: int, tmp_path: Path):
    rng = random.Random(ZAAD + blok)
    per_blok = math.ceil(MUTANTEN / BLOKKEN)
    stadia: dict[str, int] = {}
    for i in range(per_blok):
        bron = rng.choice(VOORBEELDEN)
        data = _lees(bron)
        stappen = muteer(data, rng, geldig=i % 3 == 1)
        map_ = tmp_path / f"m{i}"
        map_.mkdir()
        pad = _schrijf(map_, bron, data)
        try:
            stadium = door_de_keten(pad, bron, met_diff=i % 3 == 0)
        except Exception as e:  # noqa: BLE001 - the assertion names the mutant
            raise AssertionError(f"interne fout bij mutant {blok}/{i} van {bron.name}: {stappen}: "
                                 f"{type(e).__name__}: {e}") from e
        stadia[stadium] = stadia.get(stadium, 0) + 1
        shutil.rmtree(map_, ignore_errors=True)
    # the fuzz reaches every stage, so it tests render and diff, not only the schema
    assert stadia.get("ongeldig", 0) > 0, stadia
    assert stadia.get("gerenderd", 0) > 0, stadia


def _waarden_voor(sleutel: str) -> st.SearchStrategy:
    from kit.schema import deelschema

    sub = deelschema(sleutel) or {}
    typen = sub.get("type") if isinstance(sub.get("type"), list) else [sub.get("type")]
    extremen = st.sampled_from([float("nan"), float("inf"), 1e308, 10**28, 2**63, -1, None, "", []])
    if sub.get("enum"):
        return st.one_of(st.sampled_from(sub["enum"]), extremen)
    if sub.get("format") == "date" or (sub.get("items") or {}).get("format") == "date":
        datums = st.dates(dt.date(1990, 1, 1), dt.date(2110, 12, 31)).map(dt.date.isoformat)
        grenzen = st.sampled_from([sub.get("formatMinimum") or "2000-01-01", sub.get("formatMaximum") or "2100-12-31",
                                   "9999-12-31"])
        enkel = st.one_of(datums, grenzen)
        return st.lists(enkel, max_size=4) if "array" in typen else st.one_of(enkel, extremen)
    if "integer" in typen or "number" in typen:
        laag, hoog = sub.get("minimum", 0), sub.get("maximum", 10**6)
        binnen = st.integers(laag, hoog)
        if "number" in typen:
            binnen = st.one_of(binnen, st.floats(laag, hoog, allow_nan=False))
        rand = st.sampled_from([laag, hoog, laag - 1, hoog + 1])
        return st.one_of(binnen, rand, extremen)
    if "array" in typen:
        item = (sub.get("items") or {})
        if item.get("type") == "integer":
            return st.lists(st.integers(item.get("minimum", 0) - 1, item.get("maximum", 100) + 1), min_size=6, max_size=8)
        return st.lists(st.text(max_size=30), max_size=3)
    if "boolean" in typen:
        return st.one_of(st.booleans(), extremen)
    return st.one_of(st.text(max_size=80), st.sampled_from(_TEKSTEN), extremen)


@st.composite
def _keuzes(draw) -> tuple[Path, dict[str, Any]]:
    bron = draw(st.sampled_from(VOORBEELDEN[:2]))
    sleutels = draw(st.lists(st.sampled_from(_schema_sleutels()), min_size=1, max_size=3, unique=True))
    return bron, {s: draw(_waarden_voor(s)) for s in sleutels}


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_keuzes())
def test_eigenschap_geldig_is_renderbaar(keuzes):
    """Any choice file that validates without ``fout`` renders and diffs without an internal error."""
    bron, wijzigingen = keuzes
    data = _lees(bron)
    for sleutel, waarde in wijzigingen.items():
        _zet(data, sleutel, waarde)
    with tempfile.TemporaryDirectory(prefix="kit-eigenschap-") as tmp:
        pad = _schrijf(Path(tmp), bron, data)
        door_de_keten(pad, bron, met_diff=True)
