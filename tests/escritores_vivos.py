"""pytest plugin (pyproject's addopts): the writers' map (config/escritores.py) checked while
the suite runs (issue 77).

The map says, for each page, admin page and command, which controlled models it writes; here
every write the suite makes through one of them is compared with that. Each database
connection, the live servers' threads included, carries an execute wrapper
(connection.execute_wrappers, installed on connection_created) that reads the table of every
INSERT, UPDATE and DELETE (so QuerySet.update, bulk_create and raw SQL count, which signals
would miss) and maps it to its model: an automatic many-to-many table to the model that owns
the field (auth_user_groups is auth.User). The path is a context variable, set around each
request (BaseHandler.get_response; the page is named by its resolver_match, with namespaces,
as the map names it) and around each command of the map (BaseCommand.execute; one command
called by another may write what either declares). A write outside any path, a test's own
setup through services or the ORM, is not checked.

A write to a controlled model that the path's row does not declare, or by a path the map does
not have, fails the test during which it happened, at its teardown, with the path, the model,
the verb and what the map declares. ESCRITORES_VIVOS=anotar records instead every pair seen
(var/escritores_vivos/*.tsv) without failing: how the declarations were learned;
ESCRITORES_VIVOS=no turns the check off (to measure what it costs).
"""

from __future__ import annotations

import contextvars
import fnmatch
import functools
import os
import re
import threading
from pathlib import Path

import pytest

MODO = os.environ.get("ESCRITORES_VIVOS", "")
# The frame of what the server's configuration writes on the first read of an empty table.
INICIAL = "lo inicial"
ANOTADOS = Path(__file__).resolve().parents[1] / "var" / "escritores_vivos"

_ESCRITURA = re.compile(
    r"\s*(INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+[\"`]?(\w+)", re.IGNORECASE
)

_caminos: contextvars.ContextVar[tuple] = contextvars.ContextVar("escritores_vivos", default=())
_cerrojo = threading.Lock()
_sin_informar: list[str] = []
_anotados: set[tuple[str, ...]] = set()


class _Camino:
    """A page (named when a write asks, from its resolver_match) or a command."""

    __slots__ = ("_nombre", "peticion", "via")

    def __init__(self, via, nombre=None, peticion=None):
        self.via, self._nombre, self.peticion = via, nombre, peticion

    @property
    def nombre(self) -> str:
        if self._nombre is None:
            self._nombre = _nombre_de_pagina(self.peticion)
        return self._nombre


def _nombre_de_pagina(peticion) -> str:
    from django.urls import Resolver404, resolve

    coincidencia = getattr(peticion, "resolver_match", None)
    if coincidencia is None:  # a middleware's write, before the URL was resolved
        try:
            coincidencia = resolve(peticion.path_info, getattr(peticion, "urlconf", None))
        except Resolver404:
            return peticion.path_info
    return coincidencia.view_name


@functools.cache
def _tablas() -> dict[str, str]:
    """Each table's model: the concrete one (a proxy writes its model's table), and for an
    automatic many-to-many table, the model that declares the field."""
    from django.apps import apps

    tablas = {}
    for modelo in apps.get_models(include_auto_created=True):
        duenio = modelo._meta.auto_created or modelo
        tablas[modelo._meta.db_table] = duenio._meta.concrete_model._meta.label
    return tablas


def _concreto(etiqueta: str) -> str:
    from django.apps import apps

    try:
        return apps.get_model(etiqueta)._meta.concrete_model._meta.label
    except (LookupError, ValueError):
        return etiqueta


@functools.cache
def _controlados() -> frozenset[str]:
    from config import escritores

    return frozenset(_concreto(e) for e in escritores.CONTROLADOS)


@functools.cache
def _admin_por_prefijo() -> dict:
    """The admin's rows by the prefix of their URL names («admin:dictamenes_perfil_»)."""
    from config import escritores

    return {
        "admin:" + "_".join(e.nombre.strip("/").split("/")[1:]) + "_": e
        for e in escritores._admin()
    }


def _comando_del_mapa(nombre: str, modulo: str) -> bool:
    """Whether the map answers for a command: the project's own, and those of Django's it
    lists; the rest (migrate...) are the installation's, outside the map."""
    from config import escritores

    return (
        modulo.split(".")[0] in escritores.APPS_PROPIAS
        or nombre in escritores.COMANDOS_DE_DJANGO
        or nombre in escritores.COMANDOS
    )


def _declaracion(via: str, nombre: str) -> tuple[str, str] | None:
    """What the map declares for a path: (its row, escribe), or None for a path the map does
    not have. A page is named by its URL name with namespaces (resolver_match.view_name), as
    config.escritores names it; the admin's model pages answer with their model's row (a
    read-only one writes nothing); a command by its name."""
    from config import escritores

    if via == "comando":
        if nombre not in escritores.COMANDOS:
            return None
        return f"manage.py {nombre}", escritores.COMANDOS[nombre][0]
    if prefijos := [p for p in _admin_por_prefijo() if nombre.startswith(p)]:
        fila = _admin_por_prefijo()[max(prefijos, key=len)]
        solo_lectura = fila.control == escritores.SOLO_LECTURA
        return fila.nombre, escritores.NADA if solo_lectura else fila.escribe
    patron = next((p for p in escritores.PAGINAS if fnmatch.fnmatchcase(nombre, p)), None)
    return None if patron is None else (patron, escritores.PAGINAS[patron][0])


@functools.cache
def _declarado(via: str, nombre: str):
    """(the map's row, escribe, the concrete models it may write), or None."""
    from config import escritores

    if via == INICIAL:
        return INICIAL, nombre, frozenset({nombre})
    if (declaracion := _declaracion(via, nombre)) is None:
        return None
    fila, escribe = declaracion
    return fila, escribe, frozenset(_concreto(m) for m in escritores.modelos_declarados(escribe))


def _comprobar(caminos: tuple, sql: str, context) -> None:
    """After the statement ran (one that failed wrote nothing)."""
    escritura = _ESCRITURA.match(sql)
    if escritura is None:
        return
    modelo = _tablas().get(escritura[2])
    if modelo is None or modelo not in _controlados():
        return
    verbo = escritura[1].split()[0].upper()
    # An UPDATE or DELETE that changed no row wrote nothing: the cascade of a deletion runs
    # a DELETE on every table that could point to the row, most of them empty of it. (Not an
    # INSERT: SQLite counts the rows of INSERT ... RETURNING only once they are read.)
    if verbo != "INSERT" and context["cursor"].rowcount == 0:
        return
    conexion = context["connection"]
    declarados = [_declarado(c.via, c.nombre) for c in caminos]
    permitida = any(d and ("todo" in d[2] or modelo in d[2]) for d in declarados)
    camino, declarado = caminos[-1], declarados[-1]
    if MODO == "anotar":
        # With the statement's start: which columns (an UPDATE of last_login, of a counter).
        hecho = (
            camino.via,
            camino.nombre,
            modelo,
            verbo,
            "sí" if permitida else "NO",
            " ".join(sql.split())[:160],
        )
    elif permitida:
        return
    else:
        dice = (
            f"su fila «{declarado[0]}» declara «{declarado[1]}»"
            if declarado
            else "el mapa no tiene este camino"
        )
        dentro = f" (dentro de {', '.join(c.nombre for c in caminos[:-1])})" * (len(caminos) > 1)
        hecho = (
            f"{camino.via} {camino.nombre}{dentro}: {verbo} en {modelo} (tabla {escritura[2]}); "
            f"{dice}"
        )
    if conexion.in_atomic_block or not conexion.get_autocommit():
        _pendientes(conexion).append(hecho)  # kept if its transaction is
    else:
        _asentar([hecho])


# --- What the database keeps ---------------------------------------------------------------
# A write undone with its savepoint or transaction was not made: a configuration change is
# rehearsed by the very door that will apply it, inside a savepoint that is always rolled back
# (dictamenes.operacion.services.ensayo), and a page that fails rolls back what it began. Each
# connection holds the writes of its open transaction until it commits, or until the outermost
# path ends (a test's own transaction never commits); a rollback forgets them.


def _pendientes(conexion) -> list:
    try:
        return conexion.escritores_pendientes
    except AttributeError:
        conexion.escritores_pendientes, conexion.escritores_marcas = [], {}
        return conexion.escritores_pendientes


def _asentar(hechos) -> None:
    with _cerrojo:
        if MODO == "anotar":
            _anotados.update(hechos)
        else:
            _sin_informar.extend(hechos)


def _asentar_pendientes(conexion) -> None:
    if pendientes := getattr(conexion, "escritores_pendientes", None):
        _asentar(pendientes)
        pendientes.clear()


def _envolver_transacciones(clase) -> None:
    savepoint, savepoint_rollback = clase.savepoint, clase.savepoint_rollback
    commit, rollback = clase.commit, clase.rollback

    def savepoint_marcado(self):
        sid = savepoint(self)
        if sid is not None:
            _pendientes(self)
            self.escritores_marcas[sid] = len(self.escritores_pendientes)
        return sid

    def savepoint_deshecho(self, sid):
        savepoint_rollback(self, sid)
        if (marca := getattr(self, "escritores_marcas", {}).pop(sid, None)) is not None:
            del self.escritores_pendientes[marca:]

    def commit_asentado(self):
        commit(self)
        _asentar_pendientes(self)

    def rollback_deshecho(self):
        rollback(self)
        if getattr(self, "escritores_pendientes", None):
            self.escritores_pendientes.clear()

    clase.savepoint, clase.savepoint_rollback = savepoint_marcado, savepoint_deshecho
    clase.commit, clase.rollback = commit_asentado, rollback_deshecho


def _envoltura(execute, sql, params, many, context):
    caminos = _caminos.get()
    if not caminos or not isinstance(sql, str):
        return execute(sql, params, many, context)
    resultado = execute(sql, params, many, context)
    _comprobar(caminos, sql, context)
    return resultado


def _instalar(sender=None, connection=None, **kwargs):
    if _envoltura not in connection.execute_wrappers:
        # First in the list: a `with connection.execute_wrapper(...)` pops the last one.
        connection.execute_wrappers.insert(0, _envoltura)


def _en_un_camino(camino, funcion, *args, **kwargs):
    caminos = _caminos.get()
    testigo = _caminos.set((*caminos, camino))
    try:
        return funcion(*args, **kwargs)
    finally:
        _caminos.reset(testigo)
        if not caminos:  # the outermost path: what its open transaction holds is its own
            from django.db import connections

            for conexion in connections.all(initialized_only=True):
                _asentar_pendientes(conexion)


def pytest_configure(config):
    if MODO == "no":
        return
    from django.core.handlers.base import BaseHandler
    from django.core.management.base import BaseCommand
    from django.db import connections
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.backends.signals import connection_created

    from dictamenes.models.base import VersionadasQuerySet
    from dictamenes.organizacion.services import emergencia

    connection_created.connect(_instalar, weak=False, dispatch_uid="escritores_vivos")
    for conexion in connections.all():
        _instalar(connection=conexion)
    _envolver_transacciones(BaseDatabaseWrapper)

    get_response = BaseHandler.get_response

    @functools.wraps(get_response)
    def get_response_en_su_camino(self, request):
        return _en_un_camino(_Camino("página", peticion=request), get_response, self, request)

    execute = BaseCommand.execute

    @functools.wraps(execute)
    def execute_en_su_camino(self, *args, **options):
        modulo = type(self).__module__
        nombre = modulo.rsplit(".", 1)[-1]
        if not _comando_del_mapa(nombre, modulo):
            return execute(self, *args, **options)
        return _en_un_camino(_Camino("comando", nombre), execute, self, *args, **options)

    vigentes = VersionadasQuerySet.vigentes

    @functools.wraps(vigentes)
    def vigentes_inicial(self):
        """Version 1 of the institution's texts or the tracks, made from `iniciales()` by the
        first read of an empty table (what a migration would have written): the reader's
        path does not write the rule."""
        if not _caminos.get():
            return vigentes(self)
        return _en_un_camino(_Camino(INICIAL, self.model._meta.label), vigentes, self)

    designar = emergencia.cuenta_emergencia_designar

    @functools.wraps(designar)
    def designar_inicial(*, usuario, motivo, por=None):
        """The break-glass account named by DJANGO_CUENTA_EMERGENCIA, designated by the first
        page that asks for it (cuenta_emergencia_id, por=None): the server's setting, not the
        page's write. A person designates in someone's name (por), through the command
        designar_cuenta_emergencia, which declares it."""
        if por is not None or not _caminos.get():
            return designar(usuario=usuario, motivo=motivo, por=por)
        return _en_un_camino(
            _Camino(INICIAL, "dictamenes.CuentaEmergencia"),
            designar,
            usuario=usuario,
            motivo=motivo,
            por=por,
        )

    BaseHandler.get_response = get_response_en_su_camino
    BaseCommand.execute = execute_en_su_camino
    VersionadasQuerySet.vigentes = vigentes_inicial
    emergencia.cuenta_emergencia_designar = designar_inicial


def _informe(escrituras: list[str]) -> str:
    return (
        "Escrituras que el mapa de escritores no declara (config/escritores.py; "
        "tests/escritores_vivos.py):\n  " + "\n  ".join(dict.fromkeys(escrituras))
    )


def _tomar_sin_informar() -> list[str]:
    with _cerrojo:
        escrituras = _sin_informar[:]
        _sin_informar.clear()
    return escrituras


@pytest.fixture(autouse=True)
def _escritores_vivos():
    """Each test fails at its teardown for the undeclared writes made since the last check
    (a module's fixture's included)."""
    yield
    if escrituras := _tomar_sin_informar():
        pytest.fail(_informe(escrituras), pytrace=False)


def pytest_sessionfinish(session):
    if escrituras := _tomar_sin_informar():  # after the last test's teardown
        session.config.get_terminal_writer().line(_informe(escrituras), red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    if MODO == "anotar" and _anotados:
        ANOTADOS.mkdir(parents=True, exist_ok=True)
        trabajador = os.environ.get("PYTEST_XDIST_WORKER", "principal")
        with (ANOTADOS / f"{trabajador}.tsv").open("a", encoding="utf-8") as archivo:
            archivo.writelines("\t".join(fila) + "\n" for fila in sorted(_anotados))
