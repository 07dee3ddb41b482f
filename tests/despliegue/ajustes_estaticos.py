"""collectstatic for the deployment test: production's settings and its own storage, hashed
names and manifest the same, but without compressing each file twice (gzip and Brotli take
four minutes of two cores for the 1,300 files; the pages read only the manifest)."""

from config.estaticos import EstaticosComprimidos
from config.settings.production import *  # noqa: F403


class SinComprimir(EstaticosComprimidos):
    def compress_files(self, paths):
        return iter(())


STORAGES["staticfiles"] = {"BACKEND": "tests.despliegue.ajustes_estaticos.SinComprimir"}  # noqa: F405
