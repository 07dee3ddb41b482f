"""After a bulk load (cargar_demo, the history generator) the planner counts the new rows, and
the load does not wait for another database of the same cluster: make test's two workers each
load theirs at the same time, and a bare ANALYZE (the shared catalogs too) made one wait for
the other's whole transaction (43 of the 55 s of a test that alone takes 6)."""

import pytest
from django.db import connection

from demo.estadisticas import estadisticas_actualizar
from dictamenes.models import Ente
from tests.backends.plugin import otra_conexion, require_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _requiere_postgres():
    require_postgres()


def _filas_que_cree_el_planificador(tabla: str) -> float:
    with connection.cursor() as cursor:
        # The table the queries read (the search path's): the demo catalogues' copies share its
        # name in another schema (tests/demo_datos.py).
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [tabla])
        return cursor.fetchone()[0]


def test_el_planificador_cuenta_las_filas_nuevas_sin_esperar_a_otra_base():
    Ente.objects.bulk_create(
        Ente(nombre=f"Ente de carga {n}", siglas=f"EC{n}", tipo=Ente.Tipo.DEPENDENCIA)
        for n in range(500)
    )
    with otra_conexion(dbname="postgres") as otra:
        # The other worker's load, still in its transaction after its own statistics.
        otra.execute("ANALYZE")
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '3s'")
        estadisticas_actualizar()
        otra.rollback()
    assert _filas_que_cree_el_planificador(Ente._meta.db_table) >= 500
