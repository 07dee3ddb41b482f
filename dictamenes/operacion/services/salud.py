"""Is this server ready to serve? The readiness check behind /salud/listo: the database
answers and has every migration of this code, the shared cache keeps what it is given, the
file storage writes and reads back a small object, and the timestamping authority (when one is
configured) answers. Each check is cheap and does not grow with the data: one query on the
migrations table, one key in the cache, one small object, one HEAD request.

A check that fails is named with a short reason in Spanish, never the exception's text (it
may carry a host name or a key); the exception goes to the log for the operator.
"""

import functools
import logging
import secrets
from dataclasses import dataclass, field

import requests
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Q

logger = logging.getLogger(__name__)

BASE_DE_DATOS = "base_de_datos"
CACHE = "cache"
ALMACENAMIENTO = "almacenamiento"
TSA = "tsa"

BIEN = "ok"
SIN_CONFIGURAR = "sin_configurar"
# The probe object's folder in the storage: never an expediente's key.
CARPETA_SONDA = "salud"


class Falla(Exception):
    """A dependency is not ready; the message is the reason shown in the answer."""


@dataclass
class Preparacion:
    componentes: dict[str, str] = field(default_factory=dict)
    fallan: list[str] = field(default_factory=list)

    @property
    def listo(self) -> bool:
        return not self.fallan


@functools.cache
def _ultimas_migraciones() -> frozenset[tuple[str, str]]:
    """The last migration of each app, as this code has them: read from disk once per
    process (the code does not change under a running server)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def _base_de_datos() -> None:
    """One query that also proves the connection: is the last migration of every app applied?"""
    ultimas = _ultimas_migraciones()
    condicion = Q()
    for app, nombre in ultimas:
        condicion |= Q(app=app, name=nombre)
    try:
        aplicadas = MigrationRecorder(connection).migration_qs.filter(condicion).count()
    except Exception as exc:
        raise Falla("no responde") from exc
    if aplicadas < len(ultimas):
        raise Falla("le faltan migraciones (manage.py migrate)")


def _cache() -> None:
    llave, valor = f"salud:{secrets.token_hex(8)}", secrets.token_hex(8)
    try:
        cache.set(llave, valor, 30)
        leido = cache.get(llave)
        cache.delete(llave)
    except Exception as exc:
        raise Falla("no responde") from exc
    if leido != valor:
        raise Falla("no guarda lo que recibe")


def _almacen_de_sonda():
    """The default storage, or for S3 the same bucket with short timeouts and no retries: a
    probe must not wait a minute of back-off to say that S3 is down."""
    ajustes = settings.STORAGES["default"]
    if not ajustes["BACKEND"].endswith("S3Storage"):
        return default_storage
    from botocore.config import Config

    opciones = ajustes.get("OPTIONS", {})
    espera = settings.DICTAMENES_SALUD_TIEMPO_ESPERA
    configuracion = Config(
        s3={"addressing_style": opciones.get("addressing_style")},
        signature_version=opciones.get("signature_version"),
        connect_timeout=espera,
        read_timeout=espera,
        retries={"max_attempts": 1, "mode": "standard"},
    )
    return storages.create_storage(
        {**ajustes, "OPTIONS": {**opciones, "client_config": configuracion}}
    )


def _almacenamiento() -> None:
    almacen = _almacen_de_sonda()
    contenido = secrets.token_bytes(16)
    try:
        nombre = almacen.save(
            f"{CARPETA_SONDA}/sonda-{secrets.token_hex(8)}", ContentFile(contenido)
        )
    except Exception as exc:
        raise Falla("no guarda") from exc
    try:
        with almacen.open(nombre) as archivo:
            leido = archivo.read()
    except Exception as exc:
        raise Falla("no lee lo que guardó") from exc
    finally:
        try:
            almacen.delete(nombre)
        except Exception:
            logger.warning("No se pudo borrar el objeto de prueba %s del almacenamiento", nombre)
    if leido != contenido:
        raise Falla("no devuelve lo que guardó")


def _tsa() -> str:
    """A HEAD to the TSA's URL: any answer short of a server error means it is there (a TSA
    takes its requests by POST and may answer 405 to this one)."""
    url = settings.DICTAMENES_TSA["URL"]
    if not url:
        return SIN_CONFIGURAR
    try:
        respuesta = requests.head(
            url, timeout=settings.DICTAMENES_SALUD_TIEMPO_ESPERA, allow_redirects=False
        )
    except requests.RequestException as exc:
        raise Falla("no responde") from exc
    if respuesta.status_code >= 500:
        raise Falla(f"responde con error {respuesta.status_code}")
    return BIEN


def preparacion_comprobar() -> Preparacion:
    """Every check, each on its own (one failing does not hide another)."""
    resultado = Preparacion()
    for nombre, comprobar in (
        (BASE_DE_DATOS, _base_de_datos),
        (CACHE, _cache),
        (ALMACENAMIENTO, _almacenamiento),
        (TSA, _tsa),
    ):
        try:
            resultado.componentes[nombre] = comprobar() or BIEN
        except Falla as falla:
            logger.warning("Preparación: %s %s", nombre, falla, exc_info=falla.__cause__)
            resultado.componentes[nombre] = f"falla: {falla}"
            resultado.fallan.append(nombre)
    return resultado
