"""Large public answers travel compressed: the open data and the public API (the addresses
CORS opens), to a client that accepts gzip and sends no session or credentials.

A month's OCDS package is 4 MB of JSON at ten years of history, 250 KB with gzip. Each body
is compressed once, kept under its ETag (the fingerprint of its bytes, publico.huellas and
config.condicional), and the same bytes served to every later client; the ETag becomes weak,
as Django's GZipMiddleware marks it, so a conditional GET still gets its 304. Streamed
answers (the CSV exports) go as they are. Only what anyone may read is compressed: an answer
to a session or to credentials could carry a secret beside text the client chose (BREACH)."""

import gzip
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_vary_headers

# Smaller answers are not worth the CPU on either side.
MINIMO = 64 * 1024
DURACION = 60 * 60
_ACEPTA_GZIP = re.compile(r"\bgzip\b")


class CompresionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.rutas = re.compile(settings.CORS_URLS_REGEX)

    def __call__(self, request):
        response = self.get_response(request)
        if not self.rutas.match(request.path_info):
            return response
        if response.streaming or response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if (
            response.status_code != 200
            or not response.has_header("ETag")
            or len(response.content) < MINIMO
            or not _ACEPTA_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
            or "HTTP_AUTHORIZATION" in request.META
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return response
        etiqueta = response["ETag"]
        clave = (
            "gzip:"
            + hashlib.sha256(
                f"{etiqueta}|{request.get_full_path()}|{response['Content-Type']}|"
                f"{len(response.content)}".encode()
            ).hexdigest()
        )
        contenido = response.content
        comprimido = cache.get_or_set(
            clave, lambda: gzip.compress(contenido, compresslevel=6, mtime=0), DURACION
        )
        response.content = comprimido
        response["Content-Length"] = str(len(comprimido))
        response["Content-Encoding"] = "gzip"
        if etiqueta.startswith('"'):
            response["ETag"] = "W/" + etiqueta
        return response
