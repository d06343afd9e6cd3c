"""How ``kit comments`` scales with the number of comments (issue 14: must be linear).

    .venv/bin/python bench/comments_schaal.py 2500 5000 10000

Builds a kit-like verordening with N comments (a kit_ bookmark every 50 paragraphs) and times
the CLI. Measured on the shared 2-core machine: 2.7 s / 4.1 s / 6.6 s (was 5 / 12 / 34 s)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def maak(n: int, pad: Path) -> Path:
    body, com = [], []
    for i in range(n):
        if i % 50 == 0:
            body.append(f'<w:p><w:bookmarkStart w:id="{i}" w:name="kit_art_{i}"/><w:r><w:t>Artikel {i}</w:t></w:r>'
                        f'<w:bookmarkEnd w:id="{i}"/></w:p>')
        body.append(f'<w:p><w:commentRangeStart w:id="{i}"/><w:r><w:t>Tekst {i} van het artikel.</w:t></w:r>'
                    f'<w:commentRangeEnd w:id="{i}"/><w:r><w:commentReference w:id="{i}"/></w:r></w:p>')
        com.append(f'<w:comment w:id="{i}" w:author="Lid {i % 7}" w:date="2021-06-10T09:00:00Z"><w:p><w:r>'
                   f'<w:t>Opmerking {i}</w:t></w:r></w:p></w:comment>')
    rels = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(pad, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" '
                   'ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>')
        z.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="{rels}"><Relationship Id="rId1" '
                   'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/_rels/document.xml.rels", f'<?xml version="1.0"?><Relationships xmlns="{rels}"><Relationship Id="rId1" '
                   'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>')
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{"".join(body)}</w:body></w:document>')
        z.writestr("word/comments.xml", f'<?xml version="1.0"?><w:comments xmlns:w="{W}">{"".join(com)}</w:comments>')
    return pad


if __name__ == "__main__":
    for n in map(int, sys.argv[1:] or ["2500", "5000", "10000"]):
        with tempfile.TemporaryDirectory() as tmp:
            pad = maak(n, Path(tmp) / "verordening.docx")
            t = time.time()
            r = subprocess.run([sys.executable, "-m", "kit", "comments", str(pad), "-o", str(Path(tmp) / "nota.docx")],
                               capture_output=True, text=True)
            print(f"{n} opmerkingen: {time.time() - t:.1f} s (exit {r.returncode})")
