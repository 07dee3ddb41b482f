"""Caching keyed by the state of the data, so nothing is served stale.

Every change of state writes an audit event, and the head of the audit chain is one row
(Consecutivo "auditoria"). Its number is therefore a version of everything derived from
requests and dictámenes: a cached figure or page is stored under that version and today's
date, and the first read after any change, or after midnight, computes it again.
"""

import contextlib
import contextvars
import functools
import hashlib

from django.core.cache import cache
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL
from django.http import HttpResponse
from django.utils import timezone

from dictamenes.comun import consultas
from dictamenes.models import Consecutivo

DURACION = 60 * 60  # an hour; a new version makes older entries unreachable anyway


def huella_del_contenido(*partes) -> str:
    """A key made of what a fragment shows, under which a page renders it once
    ({% cache %}): made of the content itself, it cannot go stale. `partes`: dataclasses,
    lists and tuples of texts, dates and numbers, whose representation is their whole
    content (Django's texts to be translated show as the text, in the active language)."""
    return hashlib.sha256(repr(partes).encode()).hexdigest()


# The version read once for a whole computation (version_fija): one query, not one a key.
_fija: contextvars.ContextVar[int | None] = contextvars.ContextVar("version_fija", default=None)


def version_datos() -> int:
    """The head of the audit chain (0 before the first event): one query, compiled once
    (comun.consultas), unless a version_fija holds it."""
    if (fija := _fija.get()) is not None:
        return fija
    filas = consultas.filas(_version_consulta)
    return (filas[0][0] if filas else None) or 0


def _version_consulta():
    return Consecutivo.objects.filter(serie="auditoria", ejercicio=0).values("ultimo")[:1]


def version_en_sql():
    """The data's version as a subquery, to read it with a page's own query (one query
    fewer than version_datos())."""
    return subconsulta_fija(_version_consulta, IntegerField(), defecto="0")


def subconsulta_fija(armar, campo, *, defecto: str | None = None) -> RawSQL:
    """The queryset `armar()` builds, as a column of another query (a scalar subquery;
    with COALESCE to the SQL literal `defecto`, if given), compiled once per database: the
    ORM took longer to build and compile the versions' subqueries on every request's page
    (about a millisecond, K=10) than the database took to answer them. `armar`: a function
    of a module, without arguments, that always builds the same query (it is the key of
    what was compiled)."""
    sql, params = _compilada(armar)
    sql = f"({sql})" if defecto is None else f"COALESCE(({sql}), {defecto})"
    return RawSQL(sql, params, output_field=campo)  # noqa: S611 (compiled by the ORM)


@functools.cache
def _compilada(armar) -> tuple[str, tuple]:
    consulta = armar()
    return consulta.query.get_compiler(using=consulta.db).as_sql()


@contextlib.contextmanager
def version_fija():
    """Read the data's version once for everything cached inside (the catalogue dates dozens
    of files: one query for the version, not one per file)."""
    marca = _fija.set(version_datos())
    try:
        yield
    finally:
        _fija.reset(marca)


def _clave(prefijo: str, *partes, version: int | None = None) -> str:
    if version is None:
        version = version_datos()
    texto = "|".join(str(p) for p in (version, timezone.localdate(), *partes))
    return f"{prefijo}:{hashlib.sha256(texto.encode()).hexdigest()[:32]}"


def memorizar(prefijo: str, *partes, calcular):
    """The value for these parts at the current version, computed at most once."""
    return cache.get_or_set(_clave(prefijo, *partes), calcular, DURACION)


def memorizar_en(version: int, prefijo: str, *partes, calcular):
    """memorizar, at the version the caller already read with its own query
    (version_en_sql): no query for the version."""
    return cache.get_or_set(_clave(prefijo, *partes, version=version), calcular, DURACION)


def memorizar_por(prefijo: str, *partes, calcular, version: int | None = None):
    """memorizar, for a value that holds less than DURACION: `calcular()` returns (value,
    seconds it holds or None for DURACION); a value that holds less than a second is not
    kept. `version`: the data's version the caller already read (as memorizar_en)."""
    clave = _clave(prefijo, *partes, version=version)
    guardado = cache.get(clave)
    if guardado is not None:
        return guardado
    valor, segundos = calcular()
    duracion = DURACION if segundos is None else min(DURACION, int(segundos))
    if duracion >= 1:
        cache.set(clave, valor, duracion)
    return valor


# Consecutivo(serie=SERIE_EJERCICIO, ejercicio=Y).ultimo: a counter moved by every event about
# a request of fiscal year Y; ejercicio=0: by every event about no request (a setting, a
# catalogue, an import), which may touch any year, and by bulk loads. Moved by the door
# (comun.auditoria.evento_registrar).
SERIE_EJERCICIO = "version_ejercicio"
# Consecutivo(serie=SERIE_ENTE + str(ente id), ejercicio=Y).ultimo: moved by the same events,
# those about a request of agency E and year Y: one agency's figures of the year, computed
# again when that agency's requests changed, not when another's did.
SERIE_ENTE = "version_ente:"
# A year's figures keep while its version does: a week, or until the cache needs the room.
DURACION_EJERCICIO = 7 * 24 * 60 * 60


def versiones_por_ejercicio() -> dict:
    """Each year's version, the version of what is about no request (key 0), and each
    agency's of each year (key (year, agency id)): one query."""
    versiones: dict = {}
    for serie, ejercicio, ultimo in Consecutivo.objects.filter(
        serie__startswith="version_"
    ).values_list("serie", "ejercicio", "ultimo"):
        if serie == SERIE_EJERCICIO:
            versiones[ejercicio] = ultimo
        elif serie.startswith(SERIE_ENTE):
            versiones[(ejercicio, int(serie.removeprefix(SERIE_ENTE)))] = ultimo
    return versiones


def memorizar_ejercicio(prefijo: str, ejercicio: int, versiones: dict, *, calcular):
    """A figure of one fiscal year, computed again only when an event touched that year or
    something about no request changed: in the year-end rush the ten years before it are
    read, not recomputed (issue 45). Not keyed by the date: it must not depend on today."""
    texto = f"{ejercicio}|{versiones.get(ejercicio, 0)}|{versiones.get(0, 0)}"
    clave = f"{prefijo}:{hashlib.sha256(texto.encode()).hexdigest()[:32]}"
    return cache.get_or_set(clave, calcular, DURACION_EJERCICIO)


def memorizar_ejercicios(prefijo: str, ejercicios, versiones: dict, *, calcular) -> dict:
    """memorizar_ejercicio of several years ({year: value}), the same keys: one read of the
    cache for all of them, and `calcular(faltan)` computes the years missing in one go
    ({year: value}; a year it leaves out gets None)."""
    claves = {}
    for ejercicio in ejercicios:
        texto = f"{ejercicio}|{versiones.get(ejercicio, 0)}|{versiones.get(0, 0)}"
        claves[ejercicio] = f"{prefijo}:{hashlib.sha256(texto.encode()).hexdigest()[:32]}"
    return _memorizar_muchos(claves, calcular)


def _memorizar_muchos(claves: dict, calcular) -> dict:
    """{part: value} for {part: cache key}: one read of the cache for all of them, and
    `calcular(faltan)` computes the parts missing in one go ({part: value}; a part it leaves
    out gets None)."""
    guardados = cache.get_many(list(claves.values()))
    faltan = [parte for parte, clave in claves.items() if clave not in guardados]
    if faltan:
        nuevos = calcular(faltan)
        calculados = {claves[parte]: nuevos.get(parte) for parte in faltan}
        cache.set_many(calculados, DURACION_EJERCICIO)
        guardados |= calculados
    return {parte: guardados[clave] for parte, clave in claves.items()}


def pagina_publica(vista):
    """Serve anonymous GETs of a public page from the cache, keyed by the data version and
    the full path; signed-in people (whose pages name them) always get it fresh."""

    @functools.wraps(vista)
    def envoltura(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return vista(request, *args, **kwargs)
        clave = _clave("pagina", request.get_full_path(), request.LANGUAGE_CODE)
        guardada = cache.get(clave)
        if guardada is not None:
            contenido, tipo, estado = guardada
            return HttpResponse(contenido, content_type=tipo, status=estado)
        respuesta = vista(request, *args, **kwargs)
        if hasattr(respuesta, "render"):
            respuesta.render()
        if respuesta.status_code == 200 and not respuesta.streaming:
            cache.set(clave, (respuesta.content, respuesta["Content-Type"], 200), DURACION)
        return respuesta

    return envoltura


def _clave_ente(prefijo: str, ejercicio: int, ente: int, versiones: dict) -> str:
    texto = f"{ejercicio}|{ente}|{versiones.get((ejercicio, ente), 0)}|{versiones.get(0, 0)}"
    return f"{prefijo}:{hashlib.sha256(texto.encode()).hexdigest()[:32]}"


def memorizar_por_ejercicio_y_ente(prefijo: str, ejercicios, entes, versiones: dict, *, calcular):
    """A figure of each fiscal year per agency ({(year, agency id): value}), each computed
    again only when an event touched that agency's requests of the year or something about no
    request changed: one read of the cache for all of them, and `calcular(faltan)` computes
    the (year, agency) pairs missing, all in one go ({pair: value}; a pair it leaves out gets
    None)."""
    claves = {
        (ejercicio, ente): _clave_ente(prefijo, ejercicio, ente, versiones)
        for ejercicio in ejercicios
        for ente in entes
    }
    return _memorizar_muchos(claves, calcular)
