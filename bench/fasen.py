"""Where the time of one ``kit render --no-pdf`` goes, by step (used by bench.py; not a test).

Run in a new process::

    KIT_CACHE_DIR=/tmp/leeg .venv/bin/python bench/fasen.py choices/voorbeeld.yaml /tmp/uit

Prints JSON: seconds per step, measured with wall-clock timers around the kit's own steps (no
profiler, so the figures add up to the run): Python start-up is measured separately by bench.py
(``python -c pass``); ``imports`` is importing the CLI and the render modules; the rest are the
steps of ``Renderer.render`` (load, validate, context, templates, document model, docx writer,
the huisstijl, writing the files with manifest).
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

_START = time.perf_counter()
TIJD: dict[str, float] = defaultdict(float)
_ACTIEF: list[str] = []


def _meet(naam: str, functie):
    def gemeten(*args, **kwargs):
        if _ACTIEF:  # nested in a measured step: counted there only
            return functie(*args, **kwargs)
        _ACTIEF.append(naam)
        begin = time.perf_counter()
        try:
            return functie(*args, **kwargs)
        finally:
            TIJD[naam] += time.perf_counter() - begin
            _ACTIEF.pop()

    return gemeten


def main() -> None:
    keuzes, uit = Path(sys.argv[1]), Path(sys.argv[2])
    import kit.cli  # noqa: F401
    import kit.context
    import kit.docx_writer
    import kit.model
    import kit.render
    import kit.templating
    import kit.validate  # noqa: F401
    import kit.loader  # noqa: F401

    TIJD["imports"] = time.perf_counter() - _START
    R = kit.render.Renderer
    R.laad = _meet("laden", R.laad)
    R.valideer = _meet("valideren", R.valideer)
    R.wet = _meet("wettabel", R.wet)
    R.huisstijl = _meet("huisstijl", R.huisstijl)
    R._schrijf = _meet("schrijven + manifest", R._schrijf)
    kit.context.build_context = _meet("context", kit.context.build_context)
    kit.context.meta_voor = _meet("context", kit.context.meta_voor)
    kit.templating.Sjablonen.sjabloon = _meet("sjablonen laden/compileren", kit.templating.Sjablonen.sjabloon)
    kit.templating.render_veilig = _meet("sjablonen uitvoeren (met includes laden)", kit.templating.render_veilig)
    kit.model.parse = _meet("documentmodel", kit.model.parse)
    kit.render._met_open_punten = _meet("documentmodel", kit.render._met_open_punten)
    kit.docx_writer.Huisstijl.schrijf = _meet("docx schrijven", kit.docx_writer.Huisstijl.schrijf)
    begin = time.perf_counter()
    kit.render.Renderer().render(keuzes, uit, pdf=False)
    TIJD["render totaal"] = time.perf_counter() - begin
    TIJD["proces totaal"] = time.perf_counter() - _START
    print(json.dumps(TIJD))


if __name__ == "__main__":
    main()
