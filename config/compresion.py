"""Large public answers travel compressed: the open data and the public API (the addresses
CORS opens), to a client that accepts Brotli or gzip and sends no session or credentials.

A month's OCDS package is 4 MB of JSON at ten years of history: 250 KB with gzip, 160 KB with
Brotli (RFC 7932, the `brotli` binding Google maintains), which a client also inflates four
times faster (1.6 against 6.5 ms) for the same CPU to compress. Browsers accept it over HTTPS,
and requests or urllib3 where the brotli package is installed; the rest get gzip. Each body is
compressed once per coding, kept under its ETag (the fingerprint of its bytes, publico.huellas
and config.condicional), and the same bytes served to every later client; the ETag becomes weak,
as Django's GZipMiddleware marks it, so a conditional GET still gets its 304. Streamed
answers (the CSV exports) go as they are. Only what anyone may read is compressed: an answer
to a session or to credentials could carry a secret beside text the client chose (BREACH)."""

import gzip
import hashlib
import re

import brotli
from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_vary_headers

# Smaller answers are not worth the CPU on either side.
MINIMO = 64 * 1024
DURACION = 60 * 60
# What each coding makes of a body, best first. Brotli's quality 5 costs what gzip's 6 does
# (25 and 27 ms for that package); the next qualities shave a tenth more for three times the
# CPU, which the first visit after a change would pay.
CODIFICACIONES = {
    "br": lambda datos: brotli.compress(datos, quality=5),
    "gzip": lambda datos: gzip.compress(datos, compresslevel=6, mtime=0),
}


def codificacion_aceptada(encabezado: str) -> str | None:
    """The coding of CODIFICACIONES to answer with, for this Accept-Encoding: the one with the
    highest weight, the first of ours on a tie; None when the client accepts none (RFC 9110,
    12.5.3: `q=0` refuses a coding, `*` weighs every coding it does not name)."""
    pesos = {}
    for parte in encabezado.split(","):
        nombre, *parametros = parte.split(";")
        peso = 1.0
        for parametro in parametros:
            clave, _, valor = parametro.partition("=")
            if clave.strip().lower() == "q":
                try:
                    peso = float(valor)
                except ValueError:
                    peso = 0.0
        if nombre.strip():
            pesos[nombre.strip().lower()] = peso
    comodin = pesos.get("*", 0.0)
    peso, _, mejor = max(
        (pesos.get(nombre, comodin), -orden, nombre) for orden, nombre in enumerate(CODIFICACIONES)
    )
    return mejor if peso > 0 else None


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
        codificacion = codificacion_aceptada(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        if (
            response.status_code != 200
            or not response.has_header("ETag")
            or len(response.content) < MINIMO
            or codificacion is None
            or "HTTP_AUTHORIZATION" in request.META
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return response
        etiqueta = response["ETag"]
        clave = (
            f"{codificacion}:"
            + hashlib.sha256(
                f"{etiqueta}|{request.get_full_path()}|{response['Content-Type']}|"
                f"{len(response.content)}".encode()
            ).hexdigest()
        )
        contenido = response.content
        comprimido = cache.get_or_set(
            clave, lambda: CODIFICACIONES[codificacion](contenido), DURACION
        )
        response.content = comprimido
        response["Content-Length"] = str(len(comprimido))
        response["Content-Encoding"] = codificacion
        if etiqueta.startswith('"'):
            response["ETag"] = "W/" + etiqueta
        return response
