"""Where the kit's own files are.

A wheel ships ``templates/`` inside the package (``kit/templates``, see pyproject.toml); a checkout
or an editable install keeps it beside ``kit/`` at the top of the repository. Every module asks
here instead of working it out from its own ``__file__``.
"""

from __future__ import annotations

from pathlib import Path

#: the package folder
KIT = Path(__file__).resolve().parent


def _sjablonen() -> Path:
    binnen = KIT / "templates"
    return binnen if (binnen / "huisstijl.docx").is_file() else KIT.parent / "templates"


#: the kit's own templates (``kit/templates`` in a wheel, ``templates/`` in a checkout)
SJABLONEN = _sjablonen()
