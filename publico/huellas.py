"""The fingerprint of each open-data address: its ETag and its Last-Modified, per dataset.

The ETag of an address is the SHA-256 of the exact bytes it serves (for the negotiated
catalogue, of the format negotiated). It is worked out at most once per data version and day
(``dictamenes.comun.cache.memorizar``), so a conditional GET after the first one is answered 304
without generating the data again. Its Last-Modified is when that hash last changed, kept in
a small table (``HuellaConjunto``) that outlives the cache: a change elsewhere that leaves a
file's bytes alone (a draft request, say) keeps both, and every consumer keeps its copy.

Nothing is special about midnight: a dictamen that turns vencido changes the register's
bytes, and the first read of the new day (the cache is keyed by the date too) sees it.

``condicional`` decorates any view; ``modificado`` gives the catalogue and the data package a
file's date without anybody having downloaded it. Both read the same cache and the same table.

A file first fingerprinted is dated now, unless its bytes say when they were last written
(``fecha_de``: an OCDS month's package, by its publishedDate, the date of its newest release):
a month of last year, fingerprinted for the first time today, last changed last year.
"""

import datetime
import functools
import hashlib
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.views.decorators.http import condition

from dictamenes.comun import cache
from dictamenes.models import HuellaConjunto
from publico import datos_abiertos, partidas
from publico.esquema import Conjunto

# Last-Modified is read to the second: a change within the second of the previous one still
# moves it, or a client that only sends If-Modified-Since would keep the old bytes.
_UN_SEGUNDO = datetime.timedelta(seconds=1)

Trozos = bytes | str | Iterable[bytes | str]

# What a streamed answer kept in its temporary file is served in: a few large writes.
_TROZO = 256 * 1024


@dataclass(frozen=True)
class Huella:
    sha256: str
    cambiado_en: datetime.datetime


def _sha256(trozos: Trozos) -> str:
    """The hash of the bytes, read in one pass (a streamed file is never held whole)."""
    if isinstance(trozos, bytes | str):
        trozos = [trozos]
    suma = hashlib.sha256()
    for trozo in trozos:
        suma.update(trozo.encode() if isinstance(trozo, str) else trozo)
    return suma.hexdigest()


def _registrar(
    clave: str, sha256: str, escrito: datetime.datetime | None = None
) -> datetime.datetime:
    """When the bytes under `clave` last changed, moved to now if `sha256` is new. The first
    time, `escrito` if the bytes say when they were written, else now. The row lock makes
    two requests that see the same new bytes move it once."""
    igual = HuellaConjunto.objects.filter(clave=clave, sha256=sha256)
    if (cambiado_en := igual.values_list("cambiado_en", flat=True).first()) is not None:
        return cambiado_en  # the usual case: a new version, the same bytes (one query)
    ahora = timezone.now().replace(microsecond=0)
    primera = min(escrito.replace(microsecond=0), ahora) if escrito else ahora
    with transaction.atomic():
        fila, creada = HuellaConjunto.objects.select_for_update().get_or_create(
            clave=clave, defaults={"sha256": sha256, "cambiado_en": primera}
        )
        if not creada and fila.sha256 != sha256:
            fila.sha256 = sha256
            fila.cambiado_en = max(ahora, fila.cambiado_en + _UN_SEGUNDO)
            fila.save(update_fields=["sha256", "cambiado_en"])
    return fila.cambiado_en


FechaDe = Callable[[bytes], datetime.datetime | None]


def huella(clave: str, generar: Callable[[], Trozos], fecha_de: FechaDe | None = None) -> Huella:
    """The fingerprint of the bytes `generar` gives, under `clave` (see `modificado`)."""

    def calcular() -> Huella:
        cuerpo = generar()
        sha256 = _sha256(cuerpo)
        escrito = fecha_de(cuerpo) if fecha_de and isinstance(cuerpo, bytes) else None
        return Huella(sha256, _registrar(clave, sha256, escrito))

    return cache.memorizar("huella", clave, calcular=calcular)


def modificado(
    clave: str, generar: Callable[[], Trozos], fecha_de: FechaDe | None = None
) -> datetime.datetime:
    """When the bytes under `clave` last changed: a file's dct:modified in the catalogue.

    - `clave` is the address the file is served at, without the host: the path, as
      ``request.path`` gives it (``reverse(...)``), followed by ``|<variant>`` for a view that
      negotiates (``condicional(variante=...)``). The view there reads the same fingerprint.
    - `generar` returns the exact bytes that address serves (bytes, text in UTF-8, or an
      iterable of either, read once). If they differed from the view's, the two would take
      turns moving the date.
    - Worked out at most once per data version and day, whoever asks first (this function or
      a GET of the address); after that it costs a cache read and no query but the version.
    - The date is when the hash last differed from the one stored, or the first time it was
      worked out (or, with `fecha_de`, when the bytes say they were written, if earlier); it
      does not move while the bytes stay the same, even after the cache is emptied or the
      server restarts. The view at that address passes the same `fecha_de`.
    """
    return huella(clave, generar, fecha_de).cambiado_en


class _SinHuella(Exception):  # noqa: N818 (a signal, not an error)
    """The view answered something other than 200: that answer goes out as it is."""

    def __init__(self, respuesta):
        super().__init__()
        self.respuesta = respuesta


def condicional(vista=None, *, variante: Callable | None = None, fecha_de: FechaDe | None = None):
    """Django's ``condition`` with this module's fingerprint: ETag and Last-Modified of the
    bytes the view serves at that address (``request.path``, and ``variante(request)`` when
    the view chooses a format by the request; ``fecha_de`` as in ``modificado``). Use as
    ``@condicional`` or ``@condicional(variante=..., fecha_de=...)``, under ``require_safe``.

    The first GET at a data version runs the view once to hash its answer: an answer in
    memory is then served as it is; a streamed one is hashed in one pass, kept meanwhile in
    a temporary file, and served from it. Later GETs read the fingerprint from the cache,
    and a conditional one gets 304 without the view running. An answer other than 200
    carries neither header."""
    if vista is None:
        return functools.partial(condicional, variante=variante, fecha_de=fecha_de)

    def _clave(request) -> str:
        return f"{request.path}|{variante(request)}" if variante else request.path

    def _cuerpo(request, args, kwargs) -> Trozos:
        respuesta = vista(request, *args, **kwargs)
        if respuesta.status_code != 200:
            raise _SinHuella(respuesta)
        if not respuesta.streaming:
            request._respuesta_condicional = respuesta
            return respuesta.content
        return _guardando(request, respuesta)

    def _guardando(request, respuesta):
        """The streamed body as it is hashed, written to a temporary file on the way: once
        hashed, the same response is served from that file. The data is read from the
        database once (a worker that never served the register's CSV read it twice, 5.8 to
        6.3 s at ten years), and the file, not the memory, holds it meanwhile. Read, not
        closed: closing a response says the request is over (request_finished), and Django
        closes the database connection."""
        copia = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the response)
        respuesta._resource_closers.append(copia.close)
        for trozo in respuesta.streaming_content:
            copia.write(trozo)
            yield trozo
        copia.seek(0)
        respuesta.streaming_content = iter(functools.partial(copia.read, _TROZO), b"")
        request._respuesta_condicional = respuesta

    def _huella(request, *args, **kwargs) -> Huella:
        if not hasattr(request, "_huella_condicional"):
            request._huella_condicional = huella(
                _clave(request), lambda: _cuerpo(request, args, kwargs), fecha_de
            )
        return request._huella_condicional

    def _servir(request, *args, **kwargs):
        ya_generada = request.__dict__.pop("_respuesta_condicional", None)
        return vista(request, *args, **kwargs) if ya_generada is None else ya_generada

    condicionada = condition(
        etag_func=lambda request, *a, **k: _huella(request, *a, **k).sha256,
        last_modified_func=lambda request, *a, **k: _huella(request, *a, **k).cambiado_en,
    )(_servir)

    @functools.wraps(vista)
    def envoltura(request, *args, **kwargs):
        # The fingerprint and the body read the data's version once between them.
        with cache.version_fija():
            try:
                return condicionada(request, *args, **kwargs)
            except _SinHuella as sin_huella:
                return sin_huella.respuesta

    return envoltura


# --- The files of the datasets ------------------------------------------------------------


def archivo(conjunto: Conjunto, formato: str) -> Trozos:
    """The body of a dataset's file, as its view serves it and the catalogue dates it."""
    if conjunto.filas is None:  # the register and its items, streamed
        modulo = partidas if conjunto is partidas.PARTIDAS else datos_abiertos
        return modulo.csv_lineas() if formato == "csv" else modulo.json_trozos()
    if formato == "json":
        return cache.memorizar("datos-abiertos-json", conjunto.nombre, calcular=conjunto.json_texto)
    return cache.memorizar("datos-abiertos", conjunto.nombre, calcular=conjunto.csv)
