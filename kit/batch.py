"""``kit batch``: many gemeenten in one run (a region, or all 342), in parallel.

Flow:

1. **Find** every choice file: the files named, and ``*.yaml`` under the folders named
   (recursively, sorted). A *regio file* — one that another found file ``extends``, or one
   without ``gemeente.naam`` of its own or inherited — is not rendered itself; its members are.
   The slug of each gemeente is known here (from ``gemeente.naam``), so a second file with the
   same slug is refused before anything is written, never silently overwritten.
2. **Prepare** once, in the parent: templates compiled, huisstijl patched, law table, message
   catalogue, schema validator. Worker processes are forked (where the platform allows), so
   they inherit all of it; a pool initializer prepares a spawned worker the same way.
3. **Render** each file with :class:`kit.render.Renderer` exactly as ``kit render`` would
   (same code path, so the bytes are identical), one task per file, ``--jobs`` processes.
   An error in one gemeente is reported with its findings; the others go on.
4. **PDF** (``--pdf``): the .docx files of up to :data:`PDF_GROEP` documents are converted by
   one LibreOffice call (its own profile), at most one LibreOffice per job at a time.

Exit code: the worst over all gemeenten (0 ok, 1 validation errors / refused, 2 unreadable
input, 3 would overwrite a changed file), as for ``kit render`` with several files.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from kit.berichten import bericht, meld_fout
from kit.errors import KitError, UsageError, ValidationFailed

#: documents per LibreOffice call
PDF_GROEP = 50


# ------------------------------------------------------------------------------- finding files

@dataclass
class Bron:
    """One choice file found, with what discovery could tell about it."""

    pad: Path
    leesbaar: bool = True            # a YAML mapping (else the render reports what is wrong)
    slug: str | None = None          # predicted output folder (None: not known before loading)
    extends: Path | None = None      # resolved path of the regio file it extends
    naam_eigen: str | None = None    # gemeente.naam set in this file itself


@dataclass
class Resultaat:
    """What one gemeente's render gave (picklable: crosses process boundaries)."""

    bron: str
    code: int = 0
    map: str = ""
    slug: str = ""
    documenten: list[str] = field(default_factory=list)    # file names written
    waarschuwingen: list[str] = field(default_factory=list)
    fouten: list[str] = field(default_factory=list)        # findings / messages (Dutch)
    meldingen: list[str] = field(default_factory=list)


def _scalar(knoop: Any) -> str | None:
    import yaml

    if isinstance(knoop, yaml.ScalarNode) and not knoop.tag.endswith(":null"):
        return str(knoop.value)
    return None


def _kijk(pad: Path) -> tuple[bool, str | None, str | None]:
    """(readable mapping?, extends, gemeente.naam) as written in the file itself.

    The file is only *composed* (no alias expansion: alias-bomb safe); the real load,
    with every error message, happens in the render.
    """
    import yaml

    if _soort(pad) is not None:  # never open a FIFO or read a huge file just to look
        return False, None, None
    try:
        tekst = pad.read_text(encoding="utf-8")
        knoop = yaml.compose(tekst, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except Exception:  # unreadable or invalid YAML: the render reports it properly
        return False, None, None
    if not isinstance(knoop, yaml.MappingNode):
        return False, None, None
    extends = naam = None
    for sleutel, waarde in knoop.value:
        if not isinstance(sleutel, yaml.ScalarNode):
            continue
        if sleutel.value == "extends":
            extends = _scalar(waarde)
        elif sleutel.value == "gemeente" and isinstance(waarde, yaml.MappingNode):
            for s, w in waarde.value:
                if isinstance(s, yaml.ScalarNode) and s.value == "naam":
                    naam = _scalar(w)
    return True, extends, naam


def _soort(pad: Path) -> str | None:
    """Why ``pad`` cannot be a choice file (a message key), or None for a regular file of sane size."""
    import stat

    from kit.loader import MAX_BYTES

    try:
        st = os.stat(pad)
    except FileNotFoundError:
        return "batch.dode_link" if os.path.islink(pad) else "batch.bron_ontbreekt"
    except OSError:  # a symlink loop, a name too long, no access
        return "batch.onleesbaar_pad"
    if stat.S_ISDIR(st.st_mode):
        return "batch.is_map"
    if stat.S_ISFIFO(st.st_mode):
        return "batch.fifo"
    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        return "batch.apparaat"
    if not stat.S_ISREG(st.st_mode):
        return "batch.geen_bestand"
    if st.st_size > MAX_BYTES:
        return "batch.te_groot"
    return None


def zoek_bestanden(bronnen: Sequence[Path | str], overgeslagen: list[Resultaat] | None = None) -> list[Path]:
    """The .yaml files named or found (recursively) in the folders named; input order, no doubles.

    A ``*.yaml`` that is not a regular file (a dangling symlink, a FIFO, a device, a socket) or
    is larger than a choice file can be (checked by size, before it is read) is not rendered:
    it is appended to ``overgeslagen`` as a failed result with a Dutch message (never silently).
    """
    from kit.loader import MAX_BYTES

    gevonden: list[Path] = []
    gezien: set[Path] = set()
    for bron in bronnen:
        bron = Path(bron)
        if bron.is_dir():  # hidden folders and files (.venv, .git, editor files) are not searched
            kandidaten = sorted(
                (
                    p for p in bron.rglob("*")
                    if p.suffix.lower() in (".yaml", ".yml")
                    and not any(d.startswith(".") for d in p.relative_to(bron).parts)
                ),
                key=lambda p: p.as_posix(),
            )
        elif os.path.lexists(bron):
            kandidaten = [bron]
        else:
            raise UsageError(bericht("batch.bron_ontbreekt", pad=bron))
        for p in kandidaten:
            reden = _soort(p)
            if reden == "batch.is_map" and p != bron:
                continue  # a folder that happens to be called x.yaml: searched, not a file
            if reden is not None:
                if overgeslagen is not None:
                    overgeslagen.append(Resultaat(
                        bron=str(p), code=2,
                        fouten=[bericht(reden, pad=p, max_mb=MAX_BYTES // (1024 * 1024))],
                    ))
                continue
            sleutel = p.resolve()
            if sleutel not in gezien:
                gezien.add(sleutel)
                gevonden.append(p)
    return gevonden


def ontdek(
    bronnen: Sequence[Path | str], kaart: Callable = map, overgeslagen: list[Resultaat] | None = None,
) -> tuple[list[Bron], list[Path]]:
    """(gemeente files to render, regio files skipped); ``kaart``: a (parallel) map.

    Files whose ``extends`` chain runs in a circle are not regio files: they are rendered, so
    the loader reports the circle with its Dutch message.
    """
    from kit.context import slug

    bestanden = zoek_bestanden(bronnen, overgeslagen)
    info: dict[Path, Bron] = {}
    for p, (leesbaar, extends, naam) in zip(bestanden, kaart(_kijk, bestanden)):
        doel = None
        if extends:
            e = Path(extends)
            doel = (e if e.is_absolute() else p.parent / e).resolve()
        info[p.resolve()] = Bron(p, leesbaar=leesbaar, extends=doel, naam_eigen=naam)
    def in_kring(start: Path) -> bool:
        gezien: set[Path] = set()
        huidig: Path | None = start
        while huidig is not None and huidig in info and huidig not in gezien:
            gezien.add(huidig)
            huidig = info[huidig].extends
        return huidig == start

    kring = {k for k in info if in_kring(k)}
    uitgebreid = {b.extends for k, b in info.items() if b.extends is not None and k not in kring}

    def naam_van(b: Bron, diepte: int = 0) -> str | None:
        if b.naam_eigen or diepte > 20:
            return b.naam_eigen
        if b.extends is None:
            return None
        ouder = info.get(b.extends)
        if ouder is None:
            return _kijk(b.extends)[2] if b.extends.is_file() else None
        return naam_van(ouder, diepte + 1)

    te_renderen: list[Bron] = []
    regio: list[Path] = []
    for sleutel, b in info.items():
        naam = naam_van(b)
        if sleutel in kring:
            b.slug = None
            te_renderen.append(b)
            continue
        if sleutel in uitgebreid or (naam is None and b.leesbaar):
            regio.append(b.pad)
            continue
        b.slug = slug(naam) if naam is not None else None
        te_renderen.append(b)
    return te_renderen, regio


# ------------------------------------------------------------------------------- the workers

def bereid_voor() -> None:
    """Everything a render needs that does not depend on the gemeente, prepared once."""
    from kit.berichten import _catalogus
    from kit.render import STANDAARD_HUISSTIJL, renderer
    from kit.templating import DOCUMENTEN, sjablonen

    _catalogus()
    r = renderer()
    sj = sjablonen(None)
    for naam in DOCUMENTEN:
        try:
            sj.sjabloon(naam)
        except KitError:
            pass  # reported by the render that needs it
    try:
        r.huisstijl(STANDAARD_HUISSTIJL)
    except KitError:
        pass
    try:
        from kit import schema
        from kit.minima import wettabel
        import kit.validate  # noqa: F401  (imports jsonschema and the rules)

        schema.validator()
        wettabel()
    except Exception:  # pragma: no cover - reported by the render that needs it
        pass


_GESTART = None  # per worker: the shared flags of :class:`_Pools` (which task has started)


def _init_werker(gestart=None, ouder: int | None = None) -> None:
    import signal

    global _GESTART
    _GESTART = gestart
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops the workers
    _sterf_met_ouder(ouder)
    bereid_voor()


def _sterf_met_ouder(ouder: int | None) -> None:
    """Linux: the worker is killed when the kit (its parent) dies, also by SIGKILL; an orphaned
    pool worker would otherwise wait for work forever. (A LibreOffice of the worker is then
    stopped by its watchdog, see kit.pdf.)"""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        if ouder is not None and os.getppid() != ouder:  # the parent died before the call
            os._exit(1)
    except (OSError, AttributeError):
        pass


def _taak(i: int, functie: Callable, args: tuple):
    """Run task ``i`` in a worker, first marking it as started (so that after a worker was
    killed the parent knows which tasks were running and which never began)."""
    if _GESTART is not None and i < len(_GESTART):
        _GESTART[i] = 1
    return functie(*args)


def _pdf_namen(namen: Iterable[str]) -> list[str]:
    return [f"{n}.pdf" for n in namen]


def render_een(pad: str, uitvoer: str, slug: str | None, pdf: bool, force: bool) -> Resultaat:
    """Render one choice file like ``kit render FILE --no-pdf`` (PDFs come later, in groups)."""
    from kit.manifest import Manifest
    from kit.render import DOCUMENTEN, renderer

    res = Resultaat(bron=pad)
    try:
        if pdf and slug is not None:  # refuse before anything is written, as kit render does
            Manifest(Path(uitvoer) / slug).controleer(_pdf_namen(DOCUMENTEN), force=force)
        r = renderer().render(Path(pad), Path(uitvoer), None, False, force)
    except ValidationFailed as e:
        res.code = e.exit_code
        res.fouten = [f.als_tekst() for f in e.findings if f.is_fout]
        res.waarschuwingen = [f.als_tekst() for f in e.findings if not f.is_fout]
        res.fouten.append(str(e))
        return res
    except KitError as e:
        res.code = e.exit_code
        res.fouten = [str(e)]
        res.documenten = [Path(p).name for p in getattr(e, "kit_geschreven", [])]
        return res
    except Exception as e:  # a bug: one line, no traceback, the other gemeenten go on
        res.code = 2
        geschreven = getattr(e, "kit_geschreven", [])
        soort = f"{type(e).__name__}: {e}"
        res.fouten = [bericht("render.interne_fout_deels", soort=soort, bestanden=", ".join(map(str, geschreven)))
                      if geschreven else bericht("algemeen.onverwachte_fout", soort=soort)]
        return res
    res.map = str(r.map)
    res.slug = r.map.name
    res.documenten = [p.name for p in r.bestanden]
    res.waarschuwingen = [f.als_tekst() for f in r.waarschuwingen]
    return res


def pdf_groep(mappen: list[str], force: bool) -> list[Resultaat]:
    """Convert the .docx of several gemeenten with one LibreOffice call; then per folder, with
    its lock held: record the intent, move each PDF after a last check, write the manifest."""
    import shutil

    from kit.manifest import Manifest, map_slot, schrijffout, tijdelijke_map
    from kit.pdf import PdfFout, naar_pdf, ruim_op

    resultaten = {m: Resultaat(bron=m, map=m, slug=Path(m).name) for m in mappen}
    if not mappen:
        return []
    basis = Path(mappen[0]).parent
    with tijdelijke_map(".kit-batch-pdf-", basis) as werk:  # locked: a later run removes it only when we are gone
        koppels: list[tuple[Path, Path]] = []  # (link, target pdf)
        for m in mappen:
            for docx in sorted(Path(m).glob("*.docx")):
                link = werk / f"{Path(m).name}__{docx.name}"
                try:
                    os.link(docx, link)
                except OSError:
                    shutil.copyfile(docx, link)
                koppels.append((link, Path(m) / (docx.stem + ".pdf")))
        try:
            tijdelijk = naar_pdf([k for k, _ in koppels], werk)
        except PdfFout as e:
            for r in resultaten.values():
                r.code, r.fouten = e.exit_code, [str(e)]
            return list(resultaten.values())
        try:
            per_map: dict[str, list[tuple[Path, Path]]] = {}
            for t, (_link, doel) in zip(tijdelijk, koppels):
                per_map.setdefault(str(doel.parent), []).append((t, doel))
            for m, paren in per_map.items():
                r = resultaten[m]
                try:
                    with map_slot(Path(m)):
                        manifest = Manifest(m)
                        manifest.voornemen({doel.name: t for t, doel in paren})
                        try:
                            for t, doel in paren:
                                if manifest.plaats(t, doel.name, force=force) is not None:
                                    r.documenten.append(doel.name)
                        finally:
                            manifest.schrijf(None)
                        weigering = manifest.weigering()
                        if weigering is not None:
                            raise weigering
                except KitError as e:
                    r.code, r.fouten = max(r.code, e.exit_code), r.fouten + [str(e)]
                except OSError as e:
                    fout = schrijffout(e, Path(m))
                    r.code, r.fouten = max(r.code, fout.exit_code), r.fouten + [str(fout)]
        finally:
            ruim_op(tijdelijk)
    return list(resultaten.values())


# ------------------------------------------------------------------------------- progress

class _Voortgang:
    """A rich progress bar on a terminal; plain lines (one per gemeente) otherwise."""

    def __init__(self, totaal: int, fout: Callable[[str], None], tty: bool):
        self.totaal, self.klaar, self.fout, self.tty = totaal, 0, fout, tty
        self._progress = None
        if tty and totaal:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), TimeRemainingColumn(), console=Console(stderr=True), transient=True,
            )
            self._taak = self._progress.add_task(bericht("batch.voortgang_titel"), total=totaal)
            self._progress.start()

    def melding(self, tekst: str) -> None:
        if self._progress is not None:
            self._progress.console.print(tekst, markup=False, highlight=False)
        else:
            self.fout(tekst)

    def stap(self, r: Resultaat, fase: str = "docx") -> None:
        self.klaar += 1
        naam = r.slug or r.bron
        sleutel = "batch.regel_ok" if r.code == 0 else "batch.regel_fout"
        if self._progress is not None:
            self._progress.update(self._taak, advance=1, description=naam)
            if r.code:
                self.melding(bericht(sleutel, i=self.klaar, n=self.totaal, naam=naam, bron=r.bron, fase=fase))
        else:
            self.fout(bericht(sleutel, i=self.klaar, n=self.totaal, naam=naam, bron=r.bron, fase=fase))

    def opnieuw(self, totaal: int, titel: str) -> None:
        self.totaal, self.klaar = totaal, 0
        if self._progress is not None:
            self._progress.reset(self._taak, total=totaal, description=titel)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


# ------------------------------------------------------------------------------- the run

class WerkerGestopt(Exception):
    """A worker process died outside its own error handling (the OOM killer, kill -9)."""


class _Pools:
    """The process pool, rebuilt when a worker is killed; with shared "started" flags per task."""

    def __init__(self, jobs: int, taken: int):
        import multiprocessing as mp

        methode = "fork" if "fork" in mp.get_all_start_methods() else None
        self.context = mp.get_context(methode)
        self.jobs = jobs
        self.gestart = self.context.Array("b", max(1, taken), lock=False)
        self.pool: ProcessPoolExecutor | None = None

    def huidig(self) -> ProcessPoolExecutor:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=self.context, initializer=_init_werker, initargs=(self.gestart, os.getpid()),
            )
        return self.pool

    def wis(self) -> None:
        for i in range(len(self.gestart)):
            self.gestart[i] = 0

    def vervang(self) -> None:
        """Drop a broken pool (its workers are gone or being stopped); the next call makes a new one."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def sluit(self, annuleer: bool = False) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=annuleer)
            self.pool = None

    def stop(self) -> None:
        """Ctrl-C: stop the workers now (a LibreOffice of theirs is stopped by its watchdog;
        what they wrote is in the manifests, their leftovers go in the next run)."""
        if self.pool is None:
            return
        processen = getattr(self.pool, "_processes", None) or {}  # the executor's own table
        for proces in list(processen.values()):
            try:
                proces.terminate()
            except (OSError, AttributeError):
                pass
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = None

    def map(self, f: Callable, xs: list) -> list:
        """``map`` in the pool; a broken pool (a worker killed) falls back to this process."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            return list(self.huidig().map(f, xs, chunksize=max(1, len(xs) // (4 * self.jobs))))
        except BrokenProcessPool:
            self.vervang()
            return [f(x) for x in xs]


def _voer_uit(
    taken: list[tuple[Callable, tuple]],
    pools: _Pools | None,
    bij_klaar: Callable[[Any], None],
    bij_fout: Callable[[tuple, BaseException], None],
    splits: Callable[[tuple], list[tuple[Callable, tuple]]] | None = None,
) -> None:
    """Run the tasks (in this process without a pool), calling ``bij_klaar`` per result.

    A task that raises outside its own error handling is passed to ``bij_fout``. When a worker
    is killed (the pool breaks), the pool is rebuilt: tasks that had not started go on in the
    new pool; each task that was running is run again *alone*, so that only the task that
    kills its worker again fails (:class:`WerkerGestopt`), never its neighbours. ``splits``
    may cut such a task into smaller ones (a PDF group into one task per gemeente).
    """
    from concurrent.futures.process import BrokenProcessPool

    if pools is None or len(taken) <= 1:
        for functie, args in taken:
            bij_klaar(functie(*args))
        return
    if len(taken) > len(pools.gestart):  # pragma: no cover - sized for the largest phase
        raise ValueError("te veel taken voor de gedeelde vlaggen")
    rest = list(range(len(taken)))
    while rest:
        pools.wis()
        pool = pools.huidig()
        futures: dict[Future, int] = {}
        onklaar: list[int] = []
        for n, i in enumerate(rest):
            try:
                futures[pool.submit(_taak, i, *taken[i])] = i
            except BrokenProcessPool:
                # the pool broke while the tasks were being handed out (a worker was killed
                # early): the tasks not handed out have not started and go to the new pool
                onklaar.extend(rest[n:])
                break
        for f in as_completed(futures):
            i = futures[f]
            try:
                resultaat = f.result()
            except BrokenProcessPool:
                onklaar.append(i)
                continue
            except Exception as e:
                bij_fout(taken[i][1], e)
                continue
            bij_klaar(resultaat)
        if not onklaar:
            return
        gestart = [i for i in sorted(onklaar) if pools.gestart[i]]
        rest = [i for i in sorted(onklaar) if not pools.gestart[i]]
        pools.vervang()
        alleen = [taken[i] for i in gestart]
        while alleen:  # suspects, one at a time
            functie, args = alleen.pop(0)
            pools.wis()
            try:
                bij_klaar(pools.huidig().submit(_taak, 0, functie, args).result())
            except BrokenProcessPool:
                pools.vervang()
                delen = splits(args) if splits else []
                if len(delen) > 1:
                    alleen = delen + alleen
                else:
                    bij_fout(args, WerkerGestopt())
            except Exception as e:
                bij_fout(args, e)


def batch(
    bronnen: Sequence[Path | str],
    uitvoer: Path | str = Path("build"),
    jobs: int | None = None,
    pdf: bool = False,
    force: bool = False,
    fout: Callable[[str], None] = print,
    tty: bool = False,
) -> tuple[list[Resultaat], list[Path]]:
    """Render every gemeente found in ``bronnen``; (results in input order, regio files skipped)."""
    from kit.render import pdf_keuze

    if jobs is not None and jobs < 1:
        raise UsageError(bericht("batch.jobs"))
    jobs = jobs or os.cpu_count() or 1
    if pdf:
        pdf_keuze(True)  # no LibreOffice: usage error before anything is written
    from kit.manifest import ruim_oude_mappen_op

    bestanden = zoek_bestanden(bronnen)
    ruim_oude_mappen_op(uitvoer, ".kit-batch-pdf-")  # PDF work folders of a killed batch
    bereid_voor()  # in the parent: forked workers inherit the prepared state
    pools = None
    if jobs > 1 and len(bestanden) > 1:
        import gc

        gc.freeze()  # the prepared state is never collected: no copy-on-write by the collector
        pools = _Pools(min(jobs, len(bestanden)), len(bestanden) + 1)
    try:
        return _batch(bronnen, Path(uitvoer), jobs, pdf, force, fout, tty, pools)
    except BaseException:
        if pools is not None:
            pools.stop()
            pools = None
        raise
    finally:
        if pools is not None:
            pools.sluit()
        if jobs > 1 and len(bestanden) > 1:
            import gc

            gc.unfreeze()


def _batch(bronnen, uitvoer: Path, jobs: int, pdf: bool, force: bool, fout, tty: bool, pools) -> tuple[list[Resultaat], list[Path]]:
    # the workers are forked here, by the first map, before any thread (rich) is started
    kaart = pools.map if pools else map
    overgeslagen: list[Resultaat] = []  # not regular files, too large: reported, never silent
    te_renderen, regio = ontdek(bronnen, kaart, overgeslagen)

    resultaten: dict[str, Resultaat] = {r.bron: r for r in overgeslagen}
    taken: list[tuple[Callable, tuple]] = []
    eerder: dict[str, Path] = {}
    for b in te_renderen:
        if b.slug is not None and b.slug in eerder:
            resultaten[str(b.pad)] = Resultaat(
                bron=str(b.pad), code=1, slug=b.slug,
                fouten=[bericht("batch.dubbele_slug", bron=b.pad, slug=b.slug, eerder=eerder[b.slug])],
            )
            continue
        if b.slug is not None:
            eerder[b.slug] = b.pad
        taken.append((render_een, (str(b.pad), str(uitvoer), b.slug, pdf, force)))

    voortgang = _Voortgang(len(te_renderen) + len(overgeslagen), fout, tty)
    for r in resultaten.values():
        voortgang.stap(r)

    def klaar(r: Resultaat) -> None:
        resultaten[r.bron] = r
        for w in r.waarschuwingen:
            voortgang.melding(w)
        for f in r.fouten:
            voortgang.melding(f)
        voortgang.stap(r)

    try:
        _voer_uit(taken, pools, klaar, lambda args, e: klaar(_mislukt(args[0], e)))
        if pdf:
            gelukt = [r for r in resultaten.values() if r.code == 0 and r.map]
            groepen = _groepen([r.map for r in gelukt], PDF_GROEP // 5 or 1, jobs)
            per_map = {r.map: r for r in gelukt}
            voortgang.opnieuw(len(gelukt), bericht("batch.voortgang_pdf"))

            def pdf_klaar(lijst: list[Resultaat]) -> None:
                for p in lijst:
                    r = per_map[p.map]
                    r.documenten += p.documenten
                    r.code = max(r.code, p.code)
                    r.fouten += p.fouten
                    for f in p.fouten:
                        voortgang.melding(f)
                    voortgang.stap(r, fase="pdf")

            _voer_uit(
                [(pdf_groep, (g, force)) for g in groepen], pools, pdf_klaar,
                lambda args, e: pdf_klaar([_mislukt(m, e, m) for m in args[0]]),
                splits=lambda args: [(pdf_groep, ([m], args[1])) for m in args[0]],
            )
    finally:
        voortgang.stop()
    volgorde = [r.bron for r in overgeslagen] + [str(b.pad) for b in te_renderen]
    return [resultaten[k] for k in volgorde if k in resultaten], regio


def _mislukt(bron: str, e: BaseException, map_: str = "") -> Resultaat:
    if isinstance(e, WerkerGestopt):
        tekst = bericht("batch.werker_gestopt", bron=bron)
    else:
        tekst = bericht("algemeen.onverwachte_fout", soort=f"{type(e).__name__}: {e}")
    return Resultaat(bron=bron, code=2, map=map_, slug=Path(map_).name if map_ else "", fouten=[tekst])


def _groepen(mappen: list[str], per_groep: int, jobs: int) -> list[list[str]]:
    """Folders in groups of at most ``per_groep`` gemeenten, at least one group per job."""
    if not mappen:
        return []
    n = max(len(mappen) // per_groep + (len(mappen) % per_groep > 0), min(jobs, len(mappen)))
    return [mappen[i::n] for i in range(n)]


def batch_cli(
    bronnen: list[Path],
    uitvoer: Path = Path("build"),
    jobs: int | None = None,
    pdf: bool = False,
    force: bool = False,
    echo: Callable[..., Any] = print,
) -> int:
    """``kit batch``: returns the exit code (the worst over all gemeenten; see module doc)."""
    def fout(tekst: str) -> None:
        meld_fout(echo, tekst)

    begin = time.perf_counter()
    try:
        resultaten, regio = batch(bronnen, uitvoer, jobs, pdf, force, fout=fout, tty=sys.stderr.isatty())
    except KitError as e:
        fout(str(e))
        return e.exit_code
    except KeyboardInterrupt:
        fout(bericht("batch.onderbroken"))
        return 130
    duur = time.perf_counter() - begin
    for p in regio:
        echo(bericht("batch.regio_overgeslagen", pad=p))
    mislukt = [r for r in resultaten if r.code]
    gelukt = [r for r in resultaten if not r.code]
    if not resultaten:
        fout(bericht("batch.niets_gevonden", bronnen=", ".join(str(b) for b in bronnen)))
        return 2
    documenten = sum(len([d for d in r.documenten if d.endswith(".docx")]) for r in gelukt)
    echo(bericht(
        "batch.samenvatting", gelukt=len(gelukt), mislukt=len(mislukt), documenten=documenten,
        seconden=f"{duur:.1f}".replace(".", ","), map=uitvoer,
    ))
    for r in mislukt:
        echo(bericht("batch.mislukt_kop", bron=r.bron, code=r.code))
        for f in r.fouten:
            echo(bericht("batch.mislukt_regel", tekst=f))
    return max((r.code for r in resultaten), default=0)
