"""Benchmark: ``kit batch`` over N gemeenten with different figures, against a plain docxtpl loop.

Not a test. Run from the repository root::

    .venv/bin/python bench/bench.py              # 100 gemeenten
    .venv/bin/python bench/bench.py --n 342      # all gemeenten of the Netherlands
    .venv/bin/python bench/bench.py --json       # machine-readable

What it does, in one run:

1. builds N choice files from ``choices/voorbeeld.yaml``, each with its own gemeente name
   **and its own figures** (statushouders, gezinsmigranten, own cost estimates: so every
   gemeente has its own prognosis, budget and charts), plus N files that share one set of
   figures (the best case);
2. **first render**: ``python -m kit render <one file> --no-pdf`` in a new process with an
   **empty** disk cache (a first run on a machine), ``--runs`` times; and with the cache warm;
3. **kit batch** (new process, ``--jobs``, default all cores) over the N different gemeenten
   with an **empty** cache — the headline — and beside it: the same with a warm cache, and
   N gemeenten with the same figures (empty cache); each ``--runs`` times (min / median);
   peak memory: the summed RSS of the whole process tree, sampled every 20 ms;
4. **100 gemeenten** with different figures and an empty cache, as a multiple of one warm
   ``kit render`` (skipped when N = 100: the headline is that measurement);
5. **byte-identical**: a few gemeenten rendered alone with ``kit render`` must give exactly
   the bytes ``kit batch`` wrote;
6. **baseline**: the naive implementation — per document ``DocxTemplate(huisstijl).render``
   + ``save`` over the same huisstijl and context, with the body XML exactly as the kit
   renders it (computed beforehand, *not* timed: a lower bound for a naive kit), over
   ``--baseline-n`` gemeenten, in this process, per document.

Machine noise: other processes on the same cores change every figure; each measurement is
repeated (``--runs``) and reported as min and median.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VOORBEELD = ROOT / "choices" / "voorbeeld.yaml"
PYTHON = sys.executable
DOCS = 5  # documents per gemeente: set from kit.render.DOCUMENTEN in main()


# ------------------------------------------------------------------------------- inputs

def _zet(tekst: str, sleutel: str, waarde: int) -> str:
    """Replace the value of the first ``sleutel:`` line under ``financien:`` (keeps the comment)."""
    begin = tekst.index("\nfinancien:\n")
    voor, tekst = tekst[:begin], tekst[begin:]
    nieuw, n = re.subn(rf"^(\s+{re.escape(sleutel)}:)\s*[^#\n]*?(\s*(#.*)?)$", rf"\g<1> {waarde}\g<2>", tekst,
                       count=1, flags=re.M)
    if n != 1:
        raise SystemExit(f"sleutel {sleutel} niet gevonden in {VOORBEELD}")
    return voor + nieuw


def maak_gemeenten(map_: Path, n: int, verschillend: bool = True) -> list[Path]:
    """N choice files; ``verschillend``: each with its own figures (prognosis, budget, charts)."""
    tekst = VOORBEELD.read_text(encoding="utf-8")
    naam = re.search(r"^gemeente:\s*\n\s+naam:\s*(.+?)\s*$", tekst, re.M).group(1)
    map_.mkdir(parents=True, exist_ok=True)
    paden = []
    for i in range(1, n + 1):
        eigen = re.sub(rf"\b{re.escape(naam)}\b", f"Proefstad {i:03d}", tekst)
        if verschillend:  # a spread like the real gemeenten: 3 to ~250 statushouders a year
            eigen = _zet(eigen, "statushouders_per_jaar", 3 + (i * 37) % 250)
            eigen = _zet(eigen, "gezinsmigranten_per_jaar", (i * 11) % 40)
            eigen = _zet(eigen, "leerroutes", 8000 + (i * 53) % 2000)
            eigen = _zet(eigen, "maatschappelijke_begeleiding", 2000 + (i * 29) % 250)
            eigen = _zet(eigen, "tolk", 400 + (i * 17) % 400)
            eigen = _zet(eigen, "uitvoeringskosten_raming", 20000 + (i * 997) % 200000)
        pad = map_ / f"proefstad-{i:03d}.yaml"
        pad.write_text(eigen, encoding="utf-8")
        paden.append(pad)
    return paden


# ------------------------------------------------------------------------------- memory sampling

def _rss_boom(pid: int) -> int:
    """Summed RSS (bytes) of ``pid`` and all its descendants (Linux /proc)."""
    kinderen: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                stat = f.read().decode("ascii", "replace")
        except OSError:
            continue
        velden = stat[stat.rfind(")") + 2 :].split()
        p = int(d)
        kinderen.setdefault(int(velden[1]), []).append(p)
        rss[p] = int(velden[21]) * os.sysconf("SC_PAGE_SIZE")
    totaal, stapel = 0, [pid]
    while stapel:
        p = stapel.pop()
        totaal += rss.get(p, 0)
        stapel.extend(kinderen.get(p, []))
    return totaal


def draai(opdracht: list[str], env: dict | None = None, meet_geheugen: bool = False) -> dict:
    """Run a command; wall time, CPU time of the whole process tree, peak tree RSS (sampled).

    CPU time (user + system, the command and every process it started and waited for) is
    what the work costs regardless of other processes on the machine; wall time is what a
    user waits, and grows with the machine's load.
    """
    cpu_voor = resource.getrusage(resource.RUSAGE_CHILDREN)
    begin = time.perf_counter()
    proces = subprocess.Popen(opdracht, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    piek = [0]
    stop = threading.Event()

    def bemonster() -> None:
        while not stop.is_set():
            try:
                piek[0] = max(piek[0], _rss_boom(proces.pid))
            except Exception:
                pass
            stop.wait(0.02)

    draad = threading.Thread(target=bemonster, daemon=True) if meet_geheugen and os.path.isdir("/proc") else None
    if draad:
        draad.start()
    uit, fout = proces.communicate()
    duur = time.perf_counter() - begin
    stop.set()
    if draad:
        draad.join()
    if proces.returncode != 0:
        sys.stderr.write(fout.decode("utf-8", "replace")[-2000:])
        raise SystemExit(f"mislukt ({proces.returncode}): {' '.join(opdracht)}")
    cpu_na = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_na.ru_utime - cpu_voor.ru_utime) + (cpu_na.ru_stime - cpu_voor.ru_stime)
    return {"seconden": duur, "cpu": cpu, "piek_rss_mb": piek[0] / 2**20, "stdout": uit.decode("utf-8", "replace")}


def _omgeving(cache: Path) -> dict:
    return dict(os.environ, KIT_CACHE_DIR=str(cache), PYTHONDONTWRITEBYTECODE="")


# ------------------------------------------------------------------------------- measurements

def koude_render(pad: Path, runs: int, werk: Path) -> dict:
    """``kit render`` of one gemeente, new process each run (every document, --no-pdf)."""
    cpu: dict[str, list[float]] = {"leeg": [], "warm": []}

    def een(cache: Path, soort: str = "") -> float:
        uit = Path(tempfile.mkdtemp(dir=werk, prefix="koud-"))
        r = draai([PYTHON, "-m", "kit", "render", str(pad), "-o", str(uit), "--no-pdf"], _omgeving(cache))
        shutil.rmtree(uit, ignore_errors=True)
        if soort:
            cpu[soort].append(r["cpu"])
        return r["seconden"]

    leeg = []
    for i in range(runs):
        cache = werk / f"cache-leeg-{i}"
        leeg.append(een(cache, "leeg"))
        shutil.rmtree(cache, ignore_errors=True)
    cache = werk / "cache-warm"
    een(cache)  # fill the disk cache
    warm = [een(cache, "warm") for _ in range(runs)]
    # where the time of a first render goes: Python's start-up, then the kit's steps (bench/fasen.py);
    # the run with the smallest total of ``runs`` is kept
    opstart = min(draai([PYTHON, "-c", "pass"])["seconden"] for _ in range(runs))
    fasen = []
    for i in range(runs):
        c, uit = werk / f"cache-fasen-{i}", Path(tempfile.mkdtemp(dir=werk, prefix="fasen-"))
        r = draai([PYTHON, str(ROOT / "bench" / "fasen.py"), str(pad), str(uit)], _omgeving(c))
        fasen.append(json.loads(r["stdout"]))
        shutil.rmtree(uit, ignore_errors=True)
        shutil.rmtree(c, ignore_errors=True)
    from kit.voorvertaald import ontbrekend

    return {
        "opstart_python": opstart, "fasen_leeg": min(fasen, key=lambda f: f["proces totaal"]),
        "niet_voorvertaald": len(ontbrekend()),
        "warm_cpu_min": min(cpu["warm"]), "leeg_cpu_min": min(cpu["leeg"]),
        "warm_min": min(warm), "warm_mediaan": statistics.median(warm), "warm": warm,
        "leeg_min": min(leeg), "leeg_mediaan": statistics.median(leeg), "leeg": leeg,
    }


def baseline(paden: list[Path], werk: Path) -> dict:
    """Plain docxtpl per document over the kit's huisstijl and context (body precomputed)."""
    os.environ["KIT_CACHE_DIR"] = str(werk / "cache-baseline")
    import jinja2
    from docxtpl import DocxTemplate

    from kit.context import build_context, meta_voor
    from kit.docx_writer import _Lichaam
    from kit.model import parse
    from kit.render import DOCUMENTEN, STANDAARD_HUISSTIJL, renderer, _huisstijl_context
    from kit.templating import DOCUMENTEN as SJABLOON, FILTERS, sjablonen

    r = renderer()
    stijl = r.huisstijl(STANDAARD_HUISSTIJL)
    sj = sjablonen(None)
    werkstukken = []  # (context, name) per document
    for pad in paden:
        choices = r.laad(pad)
        ctx = build_context(choices, r.wet(choices))
        for naam in DOCUMENTEN:
            meta = meta_voor(ctx, naam)
            document = parse(sj.render(naam, dict(ctx, meta=meta)), naam, titel=meta["document_titel"], bron=SJABLOON[naam])
            body = _Lichaam(stijl, document, ctx.get("grafieken") or {}).xml()
            context = dict(_huisstijl_context(ctx), meta=meta, inhoud=body)
            werkstukken.append((context, f"{meta['slug']}-{naam}.docx"))
    env = jinja2.Environment()
    env.filters.update(FILTERS)
    uit = werk / "baseline"
    uit.mkdir()
    tijden = []
    t0, cpu0 = time.perf_counter(), time.process_time()
    for context, naam in werkstukken:
        t = time.perf_counter()
        doc = DocxTemplate(str(STANDAARD_HUISSTIJL))
        doc.render(context, env)
        doc.save(str(uit / naam))
        tijden.append(time.perf_counter() - t)
    totaal, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    return {
        "documenten": len(tijden), "seconden": totaal, "per_document_ms": 1000 * totaal / len(tijden),
        "per_document_cpu_ms": 1000 * cpu / len(tijden),
        "per_document_min_ms": 1000 * min(tijden), "per_document_mediaan_ms": 1000 * statistics.median(tijden),
        "piek_rss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _batch(map_: Path, n: int, jobs: int | None, uit: Path, cache: Path) -> dict:
    opdracht = [PYTHON, "-m", "kit", "batch", str(map_), "-o", str(uit), "--no-pdf"]
    if jobs:
        opdracht += ["--jobs", str(jobs)]
    m = draai(opdracht, _omgeving(cache), meet_geheugen=True)
    aantal = len(list(uit.glob("*/*.docx")))
    if aantal != DOCS * n:
        raise SystemExit(f"kit batch schreef {aantal} .docx, verwacht {DOCS * n}")
    return m


def kit_batch(map_: Path, n: int, jobs: int | None, werk: Path, runs: int, cache: str,
              bewaar: Path | None = None) -> dict:
    """``kit batch`` over all files in ``map_`` (new process each run).

    ``cache``: "leeg" — a new, empty disk cache every run; "warm" — one cache, filled by a
    first run that is not counted. ``bewaar``: keep the output of the first run there.
    """
    metingen = []
    vaste_cache = werk / f"cache-batch-{map_.name}"
    if cache == "warm":
        _batch(map_, n, jobs, werk / "batch-vul", vaste_cache)
        shutil.rmtree(werk / "batch-vul", ignore_errors=True)
    for i in range(runs):
        uit = bewaar if (bewaar is not None and i == 0) else werk / f"batch-{i}"
        c = vaste_cache if cache == "warm" else werk / f"cache-batch-leeg-{i}"
        metingen.append(_batch(map_, n, jobs, uit, c))
        if uit != bewaar:
            shutil.rmtree(uit, ignore_errors=True)
        if cache != "warm":
            shutil.rmtree(c, ignore_errors=True)
    tijden = [m["seconden"] for m in metingen]
    cpu = [m["cpu"] for m in metingen]
    return {
        "cpu_min": min(cpu), "cpu_mediaan": statistics.median(cpu), "cpu": cpu,
        "gemeenten": n, "documenten": DOCS * n, "jobs": jobs or os.cpu_count(), "cache": cache,
        "seconden_min": min(tijden), "seconden_mediaan": statistics.median(tijden), "seconden": tijden,
        "per_document_ms": 1000 * min(tijden) / (DOCS * n),
        "per_document_mediaan_ms": 1000 * statistics.median(tijden) / (DOCS * n),
        "piek_rss_boom_mb": max(m["piek_rss_mb"] for m in metingen),
    }


def byte_identiek(paden: list[Path], batch_uit: Path, werk: Path) -> dict:
    """Render a few gemeenten alone (``kit render``) and compare with what ``kit batch`` wrote."""
    verschillen, vergeleken = [], 0
    for pad in paden:
        uit = Path(tempfile.mkdtemp(dir=werk, prefix="los-"))
        draai([PYTHON, "-m", "kit", "render", str(pad), "-o", str(uit), "--no-pdf"], _omgeving(werk / "cache-los"))
        for docx in sorted(uit.glob("*/*.docx")):
            vergeleken += 1
            if docx.read_bytes() != (batch_uit / docx.parent.name / docx.name).read_bytes():
                verschillen.append(f"{docx.parent.name}/{docx.name}")
        shutil.rmtree(uit, ignore_errors=True)
    return {"vergeleken": vergeleken, "verschillend": verschillen, "identiek": not verschillen}


# ------------------------------------------------------------------------------- report

def tabel(r: dict) -> str:
    k, w, z, b, koud = r["kit_batch"], r["kit_batch_warm"], r["kit_batch_zelfde"], r["baseline"], r["koude_render"]
    h = r.get("honderd") or k
    n = r["n"]

    def rij(naam: str, waarde: float, eenheid: str, fmt: str = ".2f") -> str:
        return f"{naam:<66} {format(waarde, fmt):>9} {eenheid}"

    regels = [
        f"kit {r['kit_versie']}, Python {r['python']}, {r['cores']} cores, --jobs {k['jobs']}, "
        f"{k['documenten'] // n} documenten per gemeente, "
        f"{r['runs']} runs per meting (min / mediaan)",
        f"machine: {r['belasting']}",
        "",
        f"{'meting':<66} {'waarde':>11}",
        f"{'-' * 66} {'-' * 11}",
        rij(f"kit batch, {n} gemeenten, verschillende cijfers, cache leeg (min)", k["seconden_min"], "s"),
        rij("  idem (mediaan)", k["seconden_mediaan"], "s"),
        rij("  idem, CPU-tijd van de hele procesboom (min)", k["cpu_min"], "s"),
        rij(f"kit batch, {n} gemeenten, verschillende cijfers, cache warm (min)", w["seconden_min"], "s"),
        rij(f"kit batch, {n} gemeenten, dezelfde cijfers, cache leeg (min)", z["seconden_min"], "s"),
        rij(f"kit batch, {h['gemeenten']} gemeenten, verschillend, leeg / één warme kit render",
            h["seconden_min"] / koud["warm_min"], "×", ".1f"),
        rij("  idem, CPU-tijd batch / CPU-tijd warme render", h["cpu_min"] / koud["warm_cpu_min"], "×", ".1f"),
        rij("kit batch, per document (verschillend, cache leeg, min)", k["per_document_ms"], "ms", ".1f"),
        rij(f"plain docxtpl-lus, per document ({b['documenten']} documenten, min)", b["per_document_min_ms"], "ms", ".1f"),
        rij("plain docxtpl-lus, per document (gemiddeld)", b["per_document_ms"], "ms", ".1f"),
        rij("docxtpl / kit batch, per document (gemiddeld / min)", b["per_document_ms"] / k["per_document_ms"], "×", ".1f"),
        rij("  idem in CPU-tijd (docxtpl-lus / kit batch-procesboom)",
            b["per_document_cpu_ms"] / (1000 * k["cpu_min"] / k["documenten"]), "×", ".1f"),
        rij("piekgeheugen kit batch, hele procesboom (bemonsterd)", k["piek_rss_boom_mb"], "MB", ".0f"),
        rij("eerste kit render, 1 gemeente, cache leeg (min)", koud["leeg_min"], "s"),
        rij("  idem (mediaan)", koud["leeg_mediaan"], "s"),
        rij("  idem, CPU-tijd (min)", koud["leeg_cpu_min"], "s"),
        rij("kit render, 1 gemeente, cache warm (min)", koud["warm_min"], "s"),
        rij("  idem, CPU-tijd (min)", koud["warm_cpu_min"], "s"),
        "",
        f"eerste kit render (cache leeg), waar de tijd heen gaat — sjablonen zonder voorvertaling: "
        f"{koud['niet_voorvertaald']}",
        rij("  Python opstarten (python -c pass)", koud["opstart_python"], "s", ".3f"),
        *[rij(f"  {naam}", sec, "s", ".3f") for naam, sec in koud["fasen_leeg"].items()],
        f"{'byte-identiek aan losse kit render':<66} {('ja' if r['identiek']['identiek'] else 'NEE'):>9}"
        f" ({r['identiek']['vergeleken']} documenten)",
    ]
    return "\n".join(regels)


def _belasting() -> str:
    try:
        een, vijf, _ = os.getloadavg()
        return f"load average {een:.1f} (1 min), {vijf:.1f} (5 min) at the start"
    except OSError:  # pragma: no cover
        return "load average unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100, help="aantal gemeenten (342: alle)")
    ap.add_argument("--jobs", type=int, default=None, help="kit batch --jobs (standaard: alle cores)")
    ap.add_argument("--runs", type=int, default=3, help="herhalingen per meting")
    ap.add_argument("--baseline-n", type=int, default=10, help="gemeenten voor de docxtpl-lus")
    ap.add_argument("--json", action="store_true", help="uitvoer als JSON")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from kit import __version__
    from kit.render import DOCUMENTEN

    global DOCS
    DOCS = len(DOCUMENTEN)

    werk = Path(tempfile.mkdtemp(prefix="kit-bench-"))
    try:
        verschillend = maak_gemeenten(werk / "verschillend", args.n)
        maak_gemeenten(werk / "zelfde", args.n, verschillend=False)
        resultaat = {
            "kit_versie": __version__, "python": sys.version.split()[0], "cores": os.cpu_count(), "n": args.n,
            "runs": args.runs, "belasting": _belasting(),
            "koude_render": koude_render(verschillend[0], args.runs, werk),
        }
        eerste = werk / "batch-eerste"
        resultaat["kit_batch"] = kit_batch(werk / "verschillend", args.n, args.jobs, werk, args.runs, "leeg", eerste)
        resultaat["kit_batch_warm"] = kit_batch(werk / "verschillend", args.n, args.jobs, werk, args.runs, "warm")
        resultaat["kit_batch_zelfde"] = kit_batch(werk / "zelfde", args.n, args.jobs, werk, args.runs, "leeg")
        if args.n != 100:
            maak_gemeenten(werk / "honderd", 100)
            resultaat["honderd"] = kit_batch(werk / "honderd", 100, args.jobs, werk, args.runs, "leeg")
        resultaat["identiek"] = byte_identiek([verschillend[0], verschillend[len(verschillend) // 2], verschillend[-1]],
                                              eerste, werk)
        resultaat["baseline"] = baseline(verschillend[: max(1, min(args.baseline_n, args.n))], werk)
    finally:
        shutil.rmtree(werk, ignore_errors=True)
    print(json.dumps(resultaat, indent=2) if args.json else tabel(resultaat))
    return 0 if resultaat["identiek"]["identiek"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
