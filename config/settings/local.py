"""Local development: `make run`. Not for production."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="solo-local-no-usar-en-produccion-7c1e5a9b2f4d8e6a0b3c"
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
DICTAMENES_PERMITIR_DEMO = True
# The demo trusts only the test CA that `cargar_demo` creates, never a production one.
DICTAMENES_EFIRMA_RAICES = [str(DICTAMENES_EFIRMA_DEMO_DIR / "ca-demo.cer")]  # noqa: F405
