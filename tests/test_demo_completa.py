"""tests/demo_completa.py puts back exactly what the load left: every row (the audit chain's
microseconds too), every sequence, every stored file. Here the load is a cheaper one of the
same kinds (a request presented: its audit events, its document, its generated column), so that
the check costs a second; the whole demo was compared the same way when the module was written
(bench/results/suite-2026-11-29-fase2.md)."""

import hashlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction

from tests import demo_completa
from tests.dictamenes.flujo_utils import presentada

pytestmark = pytest.mark.django_db


def _todo() -> dict:
    """Every table's rows (in order), every sequence and every file of the process's folder."""
    tablas = sorted(connection.introspection.table_names(include_views=False))
    volcado = {}
    with connection.cursor() as cursor:
        for tabla in tablas:
            cursor.execute(f'SELECT * FROM "{tabla}"')  # noqa: S608
            volcado[tabla] = sorted(map(repr, cursor.fetchall()))
        if connection.vendor == "postgresql":
            for nombre in demo_completa._secuencias(cursor.cursor):
                cursor.execute(f'SELECT last_value, is_called FROM "{nombre}"')  # noqa: S608
                volcado[nombre] = cursor.fetchone()
        else:
            cursor.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name")
            volcado["sqlite_sequence"] = cursor.fetchall()
    raiz = Path(settings.MEDIA_ROOT).parent
    volcado["archivos"] = {
        str(ruta.relative_to(raiz)): hashlib.sha256(ruta.read_bytes()).hexdigest()
        for ruta in sorted(raiz.rglob("*"))
        if ruta.is_file()
    }
    return volcado


def test_lo_restaurado_es_lo_que_dejo_la_carga(demo, monkeypatch):
    cargas = []

    def cargar_demo(nombre, **_opciones):
        assert nombre == "cargar_demo"
        cargas.append(presentada(titulo="Carga de prueba"))

    monkeypatch.setattr(demo_completa, "call_command", cargar_demo)
    monkeypatch.setattr(demo_completa, "_GUARDADAS", {})
    antes = _todo()
    punto = transaction.savepoint()
    demo_completa.cargar()
    cargada = _todo()
    assert cargada != antes and len(cargas) == 1
    transaction.savepoint_rollback(punto)
    # What happens between two loads in a run: a test that committed had its ids reset
    # (tests/demo_datos.py), another removed a stored file.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)
    raiz = Path(settings.MEDIA_ROOT).parent
    for ruta in set(cargada["archivos"]) - set(antes["archivos"]):
        (raiz / ruta).unlink()
    assert _todo()["dictamenes_solicitud"] == antes["dictamenes_solicitud"]

    demo_completa.cargar()
    assert len(cargas) == 1  # put back, not loaded again
    assert _todo() == cargada
