"""The JSON Schema of the choice file and helpers to read its labels.

``kit/schema/keuzebestand.schema.json`` describes the whole choice file; its parts
``financien`` and ``planning`` live in their own files and are referenced with ``$ref``.
All three are loaded from the package and resolved through a ``referencing`` registry,
so nothing is ever fetched from the network.

Schema vocabulary beyond JSON Schema (draft 2020-12):
- ``title`` / ``description``: the Dutch label and explanation of a choice;
- ``x-labels``: ``{enum value: Dutch label}``;
- ``x-wettelijk``: the name of the law-table figure that bounds the value; a property with
  ``x-wettelijk`` and without ``default`` takes its default from that figure's value;
- ``x-verwacht``: what a value must look like, in words ("een geheel aantal maanden");
- ``x-documenten``: which of the five documents use a section;
- ``x-instrument``: per key, the instrument(s) it lands in — ``verordening``, ``beleidsregels``,
  ``uitvoering`` (shared/domain/juridisch.md); tests/test_instrumenten.py holds every template to it;
- ``formatMinimum`` / ``formatMaximum`` (the ajv-formats keywords): the earliest and latest
  date a ``format: date`` key accepts.

Key paths are dotted; list items may be written ``a.b[2]`` (the item schema is returned).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

HOOFDSCHEMA = "keuzebestand.schema.json"
_INDEX = re.compile(r"\[\d+\]")


@lru_cache(maxsize=None)
def _bestand(naam: str) -> dict:
    tekst = (resources.files("kit") / "schema" / naam).read_text(encoding="utf-8")
    return json.loads(tekst)


@lru_cache(maxsize=1)
def schema() -> dict:
    """The main schema (``keuzebestand.schema.json``), as a dict. Do not mutate it."""
    return _bestand(HOOFDSCHEMA)


@lru_cache(maxsize=1)
def registry() -> Registry:
    """Every schema file of the package, by file name, for resolving ``$ref``."""
    map_ = resources.files("kit") / "schema"
    paren = []
    for entry in sorted(map_.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".schema.json"):
            # without "$schema": jsonschema would validate a referenced file with the plain
            # Draft 2020-12 class and skip the kit's keywords (formatMinimum/formatMaximum)
            inhoud = {k: v for k, v in _bestand(entry.name).items() if k != "$schema"}
            paren.append((entry.name, Resource.from_contents(inhoud, default_specification=DRAFT202012)))
    return Registry().with_resources(paren)


def _datum_grens(richting: str):
    """``formatMinimum`` / ``formatMaximum`` (as in ajv-formats) for ``format: date``: the
    earliest / latest date a key accepts. A wrong date is reported by ``format`` itself."""
    import datetime as dt

    from jsonschema.exceptions import ValidationError

    def controleer(validator, grens, instance, sub):  # noqa: ARG001 - jsonschema's signature
        if not isinstance(instance, str) or sub.get("format") != "date":
            return
        try:
            datum, grensdatum = dt.date.fromisoformat(instance), dt.date.fromisoformat(grens)
        except ValueError:
            return
        if (richting == "min" and datum < grensdatum) or (richting == "max" and datum > grensdatum):
            yield ValidationError(f"{instance} {richting} {grens}")

    return controleer


@lru_cache(maxsize=1)
def validator() -> Draft202012Validator:
    """A validator for the whole choice file, with date format checking and date bounds."""
    from jsonschema import validators

    klasse = validators.extend(Draft202012Validator, {
        "formatMinimum": _datum_grens("min"),
        "formatMaximum": _datum_grens("max"),
    })
    return klasse(schema(), registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _volg_ref(sub: dict) -> dict:
    """Follow a ``$ref`` to another package schema file (siblings of ``$ref`` win)."""
    gezien = 0
    while isinstance(sub, dict) and "$ref" in sub and gezien < 10:
        ref = sub["$ref"]
        naam, _, fragment = ref.partition("#")
        doel = _bestand(naam) if naam else schema()
        if fragment:
            for deel in fragment.strip("/").split("/"):
                doel = doel[deel]
        eigen = {k: v for k, v in sub.items() if k != "$ref"}
        sub = {**doel, **eigen}
        gezien += 1
    return sub


_DEEL: dict[tuple[int, str], dict | None] = {}


def deelschema(keypath: str) -> dict | None:
    """The schema of the value at ``keypath`` (``""`` = the whole file), or None if unknown.
    Looked up once per process and key path (the context asks ~80 per gemeente); the result is
    shared: read it, never change it."""
    geheel = schema()
    sleutel = (id(geheel), keypath)
    if sleutel not in _DEEL:
        _DEEL[sleutel] = _zoek_deelschema(geheel, keypath)
    return _DEEL[sleutel]


def _zoek_deelschema(geheel: dict, keypath: str) -> dict | None:
    sub: Any = geheel
    if not keypath:
        return sub
    for deel in keypath.split("."):
        naam = _INDEX.sub("", deel)
        aantal_indexen = len(_INDEX.findall(deel))
        sub = _volg_ref(sub)
        props = sub.get("properties") if isinstance(sub, dict) else None
        if not isinstance(props, dict) or naam not in props:
            return None
        sub = _volg_ref(props[naam])
        for _ in range(aantal_indexen):
            items = sub.get("items") if isinstance(sub, dict) else None
            if not isinstance(items, dict):
                return None
            sub = _volg_ref(items)
    return _volg_ref(sub)


def toegestane_sleutels(keypath: str) -> list[str]:
    """The property names allowed in the mapping at ``keypath`` (``""`` = top level)."""
    sub = deelschema(keypath)
    if not isinstance(sub, dict):
        return []
    return list((sub.get("properties") or {}).keys())


def label(keypath: str) -> str:
    """The Dutch ``title`` of a key (what a griffier reads); falls back to the last key name."""
    sub = deelschema(keypath)
    if isinstance(sub, dict) and sub.get("title"):
        return str(sub["title"])
    if keypath.endswith("]"):
        return label(keypath[: keypath.rindex("[")])
    return _INDEX.sub("", keypath.rsplit(".", 1)[-1]).replace("_", " ")


def beschrijving(keypath: str) -> str:
    """The Dutch ``description`` of a key: what the choice decides ("" if unknown)."""
    sub = deelschema(keypath)
    return str(sub.get("description", "")) if isinstance(sub, dict) else ""


def enum_labels(keypath: str) -> dict[str, str]:
    """``{value: label}`` for an enum key (for a list of enums: of its items)."""
    sub = deelschema(keypath)
    if not isinstance(sub, dict):
        return {}
    if "enum" not in sub and isinstance(sub.get("items"), dict):
        sub = _volg_ref(sub["items"])
    labels = dict(sub.get("x-labels") or {})
    for waarde in sub.get("enum") or []:
        labels.setdefault(str(waarde), str(waarde))
    return labels


def enum_label(keypath: str, value: Any) -> str:
    """The Dutch label of an enum value; the value itself when it has none."""
    return enum_labels(keypath).get(str(value), str(value))


def wettelijk(keypath: str) -> str | None:
    """The law-table figure that bounds this key (``x-wettelijk``), if any."""
    sub = deelschema(keypath)
    return sub.get("x-wettelijk") if isinstance(sub, dict) else None


def verwacht(keypath: str) -> str | None:
    """What the value must look like, in Dutch (``x-verwacht``), if the schema says so."""
    sub = deelschema(keypath)
    return sub.get("x-verwacht") if isinstance(sub, dict) else None


def standaard(keypath: str, wet: dict | None = None) -> Any:
    """The default of a key: ``default``, else the value of its ``x-wettelijk`` figure in ``wet``."""
    sub = deelschema(keypath)
    if not isinstance(sub, dict):
        return None
    if "default" in sub:
        return sub["default"]
    figuur = sub.get("x-wettelijk")
    if figuur and wet and figuur in wet:
        return wet[figuur].waarde
    return None


def iter_keys(prefix: str = "") -> Iterator[str]:
    """Every leaf key path (scalars and lists) in schema order, ``$ref`` parts included."""
    sub = deelschema(prefix)
    if not isinstance(sub, dict):
        return
    props = sub.get("properties")
    if not isinstance(props, dict) or not props:
        if prefix:
            yield prefix
        return
    for naam in props:
        pad = f"{prefix}.{naam}" if prefix else naam
        kind = deelschema(pad)
        if isinstance(kind, dict) and isinstance(kind.get("properties"), dict) and kind["properties"]:
            yield from iter_keys(pad)
        else:
            yield pad


def json_soort(waarde: Any) -> str:
    """The JSON Schema type name of a loaded YAML value (``None`` → ``"null"``, ``True`` → ``"boolean"``)."""
    if waarde is None:
        return "null"
    if isinstance(waarde, bool):
        return "boolean"
    if isinstance(waarde, int):
        return "integer"
    if isinstance(waarde, float):
        return "number"
    if isinstance(waarde, list):
        return "array"
    if isinstance(waarde, dict):
        return "object"
    return "string"
