"""Benchmark: ``kit batch`` against a plain docxtpl loop, and a cold ``kit render``.

Not a test. Run from the repository root::

    .venv/bin/python bench/bench.py              # 100 gemeenten
    .venv/bin/python bench/bench.py --n 342      # all gemeenten of the Netherlands
    .venv/bin/python bench/bench.py --json       # machine-readable

What it does, in one run:

1. builds N choice files from ``choices/voorbeeld.yaml`` (each with its own gemeente name)
   in a temp folder;
2. **cold render**: ``python -m kit render <one file> --no-pdf`` in a new process, ``--runs``
   times (min / median), with the disk cache warm (every run after the first) and empty
   (a first run ever);
3. **baseline**: the way a naive implementation would do it — per document
   ``DocxTemplate(huisstijl).render(context)`` + ``save`` over the same huisstijl and the same
   context, with the body XML exactly as the kit renders it (computed beforehand, *not*
   timed: the baseline is a lower bound for a naive kit). It runs over ``--baseline-n``
   gemeenten (default 10) and is reported per document;
4. **kit batch** over all N files in a new process (``--jobs``, default all cores), wall time
   per document, and peak memory: the summed RSS of the whole process tree, sampled every
   20 ms, and the largest single process (``getrusage(RUSAGE_CHILDREN).ru_maxrss``).

Machine noise: other processes on the same cores change every figure; run it a few times.
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


# ------------------------------------------------------------------------------- inputs

def maak_gemeenten(map_: Path, n: int) -> list[Path]:
    tekst = VOORBEELD.read_text(encoding="utf-8")
    naam = re.search(r"^gemeente:\s*\n\s+naam:\s*(.+?)\s*$", tekst, re.M).group(1)
    paden = []
    for i in range(1, n + 1):
        nieuw = f"Proefstad {i:03d}"
        pad = map_ / f"proefstad-{i:03d}.yaml"
        pad.write_text(re.sub(rf"\b{re.escape(naam)}\b", nieuw, tekst), encoding="utf-8")
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
    """Run a command; wall time, exit code, peak tree RSS (sampled), stderr tail."""
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
    return {"seconden": duur, "piek_rss_mb": piek[0] / 2**20, "stdout": uit.decode("utf-8", "replace")}


def _omgeving(cache: Path) -> dict:
    return dict(os.environ, KIT_CACHE_DIR=str(cache), PYTHONDONTWRITEBYTECODE="")


# ------------------------------------------------------------------------------- measurements

def koude_render(pad: Path, runs: int, werk: Path) -> dict:
    """``kit render`` of one gemeente, new process each run (5 .docx, --no-pdf)."""
    def een(cache: Path) -> float:
        uit = Path(tempfile.mkdtemp(dir=werk, prefix="koud-"))
        r = draai([PYTHON, "-m", "kit", "render", str(pad), "-o", str(uit), "--no-pdf"], _omgeving(cache))
        shutil.rmtree(uit, ignore_errors=True)
        return r["seconden"]

    leeg = []
    for i in range(runs):
        cache = werk / f"cache-leeg-{i}"
        leeg.append(een(cache))
        shutil.rmtree(cache, ignore_errors=True)
    cache = werk / "cache-warm"
    een(cache)  # fill the disk cache
    warm = [een(cache) for _ in range(runs)]
    return {
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
    t0 = time.perf_counter()
    for context, naam in werkstukken:
        t = time.perf_counter()
        doc = DocxTemplate(str(STANDAARD_HUISSTIJL))
        doc.render(context, env)
        doc.save(str(uit / naam))
        tijden.append(time.perf_counter() - t)
    totaal = time.perf_counter() - t0
    return {
        "documenten": len(tijden), "seconden": totaal, "per_document_ms": 1000 * totaal / len(tijden),
        "per_document_min_ms": 1000 * min(tijden), "per_document_mediaan_ms": 1000 * statistics.median(tijden),
        "piek_rss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def kit_batch(map_: Path, n: int, jobs: int | None, werk: Path, runs: int) -> dict:
    """``kit batch`` over all files (new process; disk cache warm after a first run)."""
    cache = werk / "cache-batch"
    metingen = []
    for i in range(runs + 1):
        uit = werk / f"batch-{i}"
        opdracht = [PYTHON, "-m", "kit", "batch", str(map_), "-o", str(uit), "--no-pdf"]
        if jobs:
            opdracht += ["--jobs", str(jobs)]
        m = draai(opdracht, _omgeving(cache), meet_geheugen=True)
        m["leeg"] = i == 0
        metingen.append(m)
        aantal = len(list(uit.glob("*/*.docx")))
        if aantal != 5 * n:
            raise SystemExit(f"kit batch schreef {aantal} .docx, verwacht {5 * n}")
        shutil.rmtree(uit, ignore_errors=True)
    warm = [m["seconden"] for m in metingen[1:]] or [metingen[0]["seconden"]]
    return {
        "documenten": 5 * n, "jobs": jobs or os.cpu_count(),
        "leeg_seconden": metingen[0]["seconden"],
        "seconden_min": min(warm), "seconden_mediaan": statistics.median(warm), "seconden": warm,
        "per_document_ms": 1000 * min(warm) / (5 * n),
        "piek_rss_boom_mb": max(m["piek_rss_mb"] for m in metingen),
        "piek_rss_grootste_proces_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


# ------------------------------------------------------------------------------- report

def tabel(r: dict) -> str:
    k, b, koud = r["kit_batch"], r["baseline"], r["koude_render"]
    regels = [
        f"kit {r['kit_versie']}, Python {r['python']}, {r['cores']} cores, N = {r['n']} gemeenten × 5 documenten",
        "",
        f"{'meting':<52} {'waarde':>12}",
        f"{'-' * 52} {'-' * 12}",
        f"{'cold kit render, 1 gemeente, cache warm (min)':<52} {koud['warm_min']:>10.2f} s",
        f"{'cold kit render, 1 gemeente, cache warm (median)':<52} {koud['warm_mediaan']:>10.2f} s",
        f"{'cold kit render, 1 gemeente, cache empty (min)':<52} {koud['leeg_min']:>10.2f} s",
        f"{'cold kit render, 1 gemeente, cache empty (median)':<52} {koud['leeg_mediaan']:>10.2f} s",
        f"{'plain docxtpl, per document (' + str(b['documenten']) + ' docs)':<52} {b['per_document_ms']:>9.1f} ms",
        f"{'kit batch, per document (min of runs)':<52} {k['per_document_ms']:>9.1f} ms",
        f"{'ratio docxtpl / kit batch, per document':<52} {b['per_document_ms'] / k['per_document_ms']:>11.1f}×",
        f"{'kit batch, ' + str(k['documenten']) + ' docs, --jobs ' + str(k['jobs']) + ' (min)':<52} {k['seconden_min']:>10.2f} s",
        f"{'kit batch, same (median)':<52} {k['seconden_mediaan']:>10.2f} s",
        f"{'kit batch, same, disk cache empty':<52} {k['leeg_seconden']:>10.2f} s",
        f"{'kit batch / cold render (warm, min)':<52} {k['seconden_min'] / koud['warm_min']:>11.1f}×",
        f"{'peak memory kit batch, process tree (sampled)':<52} {k['piek_rss_boom_mb']:>9.0f} MB",
        f"{'peak memory kit batch, largest process':<52} {k['piek_rss_grootste_proces_mb']:>9.0f} MB",
        f"{'peak memory docxtpl loop (bench process)':<52} {b['piek_rss_self_mb']:>9.0f} MB",
    ]
    return "\n".join(regels)


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

    werk = Path(tempfile.mkdtemp(prefix="kit-bench-"))
    try:
        invoer = werk / "gemeenten"
        invoer.mkdir()
        paden = maak_gemeenten(invoer, args.n)
        resultaat = {
            "kit_versie": __version__, "python": sys.version.split()[0], "cores": os.cpu_count(), "n": args.n,
            "koude_render": koude_render(paden[0], args.runs, werk),
            "kit_batch": kit_batch(invoer, args.n, args.jobs, werk, args.runs),
            "baseline": baseline(paden[: max(1, min(args.baseline_n, args.n))], werk),
        }
    finally:
        shutil.rmtree(werk, ignore_errors=True)
    print(json.dumps(resultaat, indent=2) if args.json else tabel(resultaat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
