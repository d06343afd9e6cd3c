#!/usr/bin/env bash
# The wheel check (issue 14): a normal, non-editable install renders.
# Builds the wheel, installs it from the lock into a fresh venv, and runs `kit render` from another
# folder. Also checks that every file under templates/ is in the wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
werk=$(mktemp -d)
trap 'rm -rf "$werk"' EXIT
# build from a copy, so setuptools' build/ and *.egg-info stay out of the checkout
mkdir "$werk/src"
.venv/bin/python -m kit.voorvertaald   # the templates compiled ahead of time go into the wheel
cp -r kit templates pyproject.toml README.md "$werk/src/"
find "$werk/src" -name __pycache__ -prune -exec rm -rf {} +
.venv/bin/pip wheel --quiet --no-deps --no-build-isolation -w "$werk/dist" "$werk/src"
wiel=$(ls "$werk"/dist/inburgeringskit-*.whl)
# every template file is shipped as kit/templates/...
"$PYTHON" - "$wiel" <<'PY'
import sys, zipfile, pathlib
namen = set(zipfile.ZipFile(sys.argv[1]).namelist())
ontbreekt = [str(p) for p in pathlib.Path("templates").rglob("*")
             if p.is_file() and "__pycache__" not in p.parts
             and "kit/" + p.as_posix() not in namen]
if ontbreekt:
    sys.exit("wheelcheck: niet in de wheel: " + ", ".join(sorted(ontbreekt)))
PY
"$PYTHON" -m venv "$werk/venv"
"$werk/venv/bin/pip" install --quiet --require-hashes -r requirements.lock
"$werk/venv/bin/pip" install --quiet --no-deps "$wiel"
mkdir "$werk/elders"
cp choices/voorbeeld.yaml "$werk/elders/"
(cd "$werk/elders" && KIT_CACHE_DIR="$werk/cache" "$werk/venv/bin/kit" render voorbeeld.yaml -o uit --no-pdf)
for d in startnotitie beleidskader verordening beleidsregels raadsinformatiebrief; do
    test -s "$werk/elders/uit/heuvelrode/$d.docx" || { echo "wheelcheck: $d.docx ontbreekt" >&2; exit 1; }
done
# the wheel carries every kit template compiled ahead of time (issue 13: a fast first render)
(cd "$werk/elders" && "$werk/venv/bin/python" -c 'import sys; from kit.voorvertaald import ontbrekend; o = ontbrekend(); sys.exit("wheelcheck: niet voorvertaald: " + ", ".join(o) if o else 0)')
# the installed kit reads its templates from the wheel, not from this checkout
(cd "$werk/elders" && "$werk/venv/bin/python" -c 'import kit.paden as p, sys; sys.exit(0 if "site-packages" in str(p.SJABLONEN) else "wheelcheck: sjablonen niet uit de wheel: %s" % p.SJABLONEN)')
echo "wheelcheck: wheel geïnstalleerd in een nieuwe venv rendert vanuit een andere map"
