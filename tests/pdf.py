"""poppler's pdftotext, which the tests that read a PDF's text call: where poppler-utils is
missing they are skipped with the reason (a failure in CI, tests/backends/plugin.py), not
failed with a FileNotFoundError."""

import shutil

from tests.backends.plugin import skip_backend


def pdftotext_requerido() -> None:
    if not shutil.which("pdftotext"):
        skip_backend("falta pdftotext (poppler-utils)")
