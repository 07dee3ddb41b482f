"""Settings of the two-server test (test_dos_servidores.py): production's, served over plain
HTTP on loopback as make bench serves them, with every e-mail written to a file under
DJANGO_EMAIL_FILE_PATH, so that the test can count what servers and cron sent."""

from config.settings.base import env
from config.settings.bench import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env.str("DJANGO_EMAIL_FILE_PATH")
# Production's pages only: not viewflow's inbox beside ours, as the benchmark mounts.
DICTAMENES_MEDICION = False
# Static files straight from the project's folders (no collectstatic here): the pages need
# their CSS and scripts, or the header's «Menú» stays closed at any width.
WHITENOISE_USE_FINDERS = True
