"""WSGI entry of the test identity provider (gunicorn tests.proveedor_oidc.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.proveedor_oidc.ajustes")
application = get_wsgi_application()
