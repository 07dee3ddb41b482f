"""poppler's pdftotext, the one way the tests read a PDF's text: where poppler-utils is missing
they are skipped with the reason (a failure in CI, tests/backends/plugin.py), not failed with a
FileNotFoundError."""

import shutil
import subprocess
from pathlib import Path

from tests.backends.plugin import skip_backend


def pdftotext(pdf: bytes | Path, *opciones: str) -> str:
    """The text of a PDF (its bytes, or a file), with pdftotext's options (-raw, -layout,
    -f N -l N), as UTF-8."""
    if not shutil.which("pdftotext"):
        skip_backend("falta pdftotext (poppler-utils)")
    archivo = str(pdf) if isinstance(pdf, Path) else "-"
    return subprocess.run(
        ["pdftotext", *opciones, "-enc", "UTF-8", archivo, "-"],
        input=None if isinstance(pdf, Path) else pdf,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
