"""The project foundation of issue 2: pyproject, Makefile, .ci/run, README, `python -m kit`, Dutch usage errors."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# import name -> distribution name, where they differ
DISTRIBUTIE = {"yaml": "pyyaml", "docx": "python-docx", "PIL": "pillow", "jinja2": "jinja2"}


def kit(*args: str) -> subprocess.CompletedProcess:
    # KIT_DEBUG=1: an internal error becomes a traceback (and fails the test) instead of a tidy exit 2
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env={**os.environ, "KIT_DEBUG": "1"})


def _imports() -> set[str]:
    namen: set[str] = set()
    for pad in (ROOT / "kit").glob("*.py"):
        for knoop in ast.walk(ast.parse(pad.read_text(encoding="utf-8"))):
            if isinstance(knoop, ast.Import):
                namen.update(a.name.split(".")[0] for a in knoop.names)
            elif isinstance(knoop, ast.ImportFrom) and knoop.level == 0 and knoop.module:
                namen.add(knoop.module.split(".")[0])
    return namen


def test_elke_import_is_een_gedeclareerde_afhankelijkheid():
    """A third-party module the kit imports itself is a declared dependency, not a lucky transitive one."""
    gedeclareerd = {re.split(r"[<>=!~\[ ;]", d, maxsplit=1)[0].lower() for d in PYPROJECT["project"]["dependencies"]}
    derden = _imports() - set(sys.stdlib_module_names) - {"kit", "__future__"}
    ontbreekt = sorted(n for n in derden if DISTRIBUTIE.get(n, n).lower() not in gedeclareerd)
    assert ontbreekt == [], ontbreekt


def test_pakketdata_dekt_elk_databestand():
    """Every data file the kit reads is listed as package data (else a wheel install misses it)."""
    patronen = PYPROJECT["tool"]["setuptools"]["package-data"]["kit"]
    for pad in [*(ROOT / "kit" / "data").rglob("*"), *(ROOT / "kit" / "schema").rglob("*")]:
        if pad.is_file() and "__pycache__" not in pad.parts:
            rel = pad.relative_to(ROOT / "kit")
            assert any(rel.match(p) for p in patronen), rel


def test_console_script_en_test_extra():
    assert PYPROJECT["project"]["scripts"]["kit"] == "kit.cli:main"
    extra = " ".join(PYPROJECT["project"]["optional-dependencies"]["test"])
    for pakket in ("pytest", "hypothesis", "pytest-xdist"):
        assert pakket in extra


def test_makefile_demo_en_test():
    tekst = (ROOT / "Makefile").read_text(encoding="utf-8")
    demo = re.search(r"^demo:.*\n((?:\t.*\n)+)", tekst, re.M)
    test = re.search(r"^test:.*\n((?:\t.*\n)+)", tekst, re.M)
    assert demo and "kit render choices/voorbeeld.yaml" in demo.group(1)
    assert test and "pytest" in test.group(1)
    assert re.search(r"^test: .*install-test", tekst, re.M) and "'.[test]'" in tekst


def _lockregels(naam: str) -> dict[str, str]:
    """name -> the requirement line (with its hash lines) of a lock file."""
    regels: dict[str, str] = {}
    for blok in re.split(r"\n(?=[a-z0-9])", (ROOT / naam).read_text(encoding="utf-8")):
        m = re.match(r"([a-z0-9][a-z0-9._-]*)==", blok)
        if m:
            regels[m.group(1).lower()] = regels.get(m.group(1).lower(), "") + blok
    return regels


@pytest.mark.parametrize("lock, extras", [("requirements.lock", ("bouw",)), ("requirements-test.lock", ("bouw", "test"))])
def test_lock_pint_elke_afhankelijkheid_met_hash(lock, extras):
    """Issue 14: every declared dependency (runtime, test, build) has an exact version and hashes."""
    regels = _lockregels(lock)
    nodig = list(PYPROJECT["project"]["dependencies"])
    for extra in extras:
        nodig += PYPROJECT["project"]["optional-dependencies"][extra]
    for eis in nodig:
        naam = re.split(r"[<>=!~\[ ;]", eis, maxsplit=1)[0].lower()
        assert naam in regels, f"{naam} staat niet in {lock}"
        assert "--hash=sha256:" in regels[naam], f"{naam} zonder hash in {lock}"
    for blok in regels.values():
        assert "--hash=sha256:" in blok


def test_make_installeert_uit_de_lock():
    tekst = (ROOT / "Makefile").read_text(encoding="utf-8")
    for doel, lock in (("install", "requirements.lock"), ("install-test", "requirements-test.lock")):
        regels = re.search(rf"^{doel}:.*\n((?:\t.*\n)+)", tekst, re.M).group(1)
        assert f"--require-hashes -r {lock}" in regels
        assert "--no-deps" in regels           # the kit itself adds nothing beside the lock
    assert re.search(r"^lock:.*\n(\t.*\n)*\t.*uv pip compile", tekst, re.M)
    assert "make wheelcheck" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_sjablonen_uit_de_checkout_of_de_wheel():
    """kit/paden.py: in a checkout the templates are the repository's templates/ folder."""
    from kit import paden

    assert paden.SJABLONEN == ROOT / "templates"
    assert (paden.SJABLONEN / "huisstijl.docx").is_file()
    pakket = PYPROJECT["tool"]["setuptools"]
    assert pakket["package-dir"]["kit.templates"] == "templates"
    assert "**/*" in pakket["package-data"]["kit.templates"]


def test_ci_draait_make_test_en_faalt_bij_een_fout():
    tekst = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in tekst
    opdrachten = [r.strip() for r in tekst.splitlines() if r.strip() and not r.strip().startswith("#")]
    assert opdrachten[-1] == "make test"    # the last command: its exit code is the script's
    assert os.access(ROOT / ".ci" / "run", os.X_OK)


def test_readme_begint_met_de_twee_opdrachten():
    begin = (ROOT / "README.md").read_text(encoding="utf-8")[:400]
    assert "make demo" in begin and "make test" in begin


def test_python_m_kit_werkt():
    r = kit("--version")
    assert r.returncode == 0 and "kit" in r.stdout


# --- usage errors: Dutch, exit 2, no traceback, a pointer to --help ------------------------------

GEBRUIKSFOUTEN = [
    (("validate",), "kit validate", "BESTANDEN"),
    (("validate", "choices/voorbeeld.yaml", "--datum", "2022-13-01"), "kit validate", "JJJJ-MM-DD"),
    (("validate", "choices/voorbeeld.yaml", "--format", "xml"), "kit validate", "kies uit: text, json"),
    (("validate", "choices/voorbeeld.yaml", "--fromat", "json"), "kit validate", "bedoelt u --format?"),
    (("minima", "--datum", "gisteren"), "kit minima", "'gisteren' is geen geldige datum"),
    (("minima", "--format", "xml"), "kit minima", "'xml' is niet toegestaan"),
    (("minima", "extra"), "kit minima", "extra argument: extra"),
    (("init",), "kit init", "NAAM"),
    (("valdate", "choices/voorbeeld.yaml"), "kit", "bedoelt u 'validate'?"),
]


@pytest.mark.parametrize("args,commando,fragment", GEBRUIKSFOUTEN, ids=[" ".join(a) for a, _, _ in GEBRUIKSFOUTEN])
def test_gebruiksfout_in_het_nederlands(args, commando, fragment):
    r = kit(*args)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert r.stderr.startswith(f"{commando}: fout: "), r.stderr
    assert fragment in r.stderr, r.stderr
    assert f"Zie '{commando} --help'" in r.stderr
    for engels in ("Usage:", "Error:", "Invalid value", "Missing argument", "No such", "is not one of", "Try '"):
        assert engels not in r.stderr, r.stderr


def test_cli_datum_en_formaat_werken_nog():
    r = kit("minima", "--datum", "2022-01-01", "--format", "json")
    assert r.returncode == 0 and '"datum": "2022-01-01"' in r.stdout
