"""Issue 59, item 8: the survey cannot be linked. Before its batch is published, nothing
stored keeps the order the answers came in (the waiting table's order on disk, its keys,
its transaction ids), and the request log does not say who answered.

The order of arrival is the test's own: the i-th answer carries the comment "respuesta i".
The tables are read as someone with the database would, in raw SQL: the rows in their order
on disk (PostgreSQL's ctid, SQLite's rowid) and by key."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from dictamenes.encuestas import services as encuestas
from dictamenes.encuestas.selectors import MINIMO_RESPUESTAS
from dictamenes.models import EventoAuditoria, RespuestaEncuesta, RespuestaEnEspera
from tests.backends.paralelo import en_paralelo
from tests.backends.plugin import require_postgres
from tests.dictamenes.tramite.test_encuesta import publicar, responder, terminadas, vecinos

pytestmark = pytest.mark.django_db

N = 6 * MINIMO_RESPUESTAS
TABLA = "dictamenes_respuestaenespera"


def leer(sql, *parametros):
    with connection.cursor() as cursor:
        cursor.execute(sql, parametros)
        return cursor.fetchall()


def fisico() -> str:
    """The column that gives a row's place on disk."""
    return "ctid" if connection.vendor == "postgresql" else "rowid"


def llegada(ejercicio, etapa_final, sellada) -> int:
    """Which answer a waiting row is, opened with the key: the i of "respuesta i"."""
    fila = RespuestaEnEspera(ejercicio=ejercicio, etapa_final=etapa_final, sellada=sellada)
    return int(encuestas.respuesta_abrir(fila)["comentario"].split()[1])


def en_disco() -> list[int]:
    filas = leer(f"SELECT ejercicio, etapa_final, sellada FROM {TABLA} ORDER BY {fisico()}")  # noqa: S608
    return [llegada(*f) for f in filas]


def por_clave() -> list[int]:
    filas = leer(f"SELECT ejercicio, etapa_final, sellada FROM {TABLA} ORDER BY id")  # noqa: S608
    return [llegada(*f) for f in filas]


def test_la_tabla_de_espera_no_tiene_columna_que_diga_cuando_llego_cada_respuesta():
    """Its columns, read from the database's own catalogue: the group in the clear, the
    sealed answer and a random key. No sequence, no time, nothing that grows."""
    with connection.cursor() as cursor:
        columnas = {
            c.name: c for c in connection.introspection.get_table_description(cursor, TABLA)
        }
    assert set(columnas) == {"id", "ejercicio", "etapa_final", "sellada"}
    (pk,) = [c.name for c in RespuestaEnEspera._meta.fields if c.primary_key]
    assert pk == "id" and not columnas["id"].default
    assert not [c.name for c in RespuestaEnEspera._meta.fields if c.auto_created]


def test_despues_de_muchas_respuestas_ni_el_disco_ni_las_claves_guardan_el_orden_de_llegada(
    demo,
):
    """Thirty answers, one after another. After each, the newest must not be the last row
    on disk (it is, by chance, about 1 time in the number of rows: 4 times in 30 on average;
    appended, it would be 30 times in 30). At the end, neither the order on disk nor the order
    of the keys keeps the order of arrival: fewer than half the answers next to the one
    answered before them (a shuffle of 30 has about 2; 15 by chance is of the order of
    10^-9; appended, 29). And every key changed each time: no row keeps an identity from one
    answer to the next."""
    ultima_al_final = 0
    claves_vistas: set = set()
    for i, solicitud in enumerate(terminadas(N)):
        responder(solicitud, claridad=1 + i % 5, comentario=f"respuesta {i}")
        orden = en_disco()
        assert sorted(orden) == list(range(i + 1))  # none lost, none repeated
        ultima_al_final += orden[-1] == i
        claves = {str(k) for (k,) in leer(f"SELECT id FROM {TABLA}")}  # noqa: S608
        assert not claves & claves_vistas
        claves_vistas |= claves
    assert ultima_al_final < N // 2, ultima_al_final
    assert vecinos(en_disco()) < N // 2, en_disco()
    assert vecinos(por_clave()) < N // 2, por_clave()

    # Publishing still takes them all, intact.
    assert publicar() == N
    assert sorted(
        int(c.split()[1]) for c in RespuestaEncuesta.objects.values_list("comentario", flat=True)
    ) == list(range(N))
    assert not RespuestaEnEspera.objects.exists()


def test_el_evento_de_la_respuesta_no_lleva_nada_de_ella(demo):
    """The audit event says which request's survey was answered: no person, no content, no
    key of the waiting row (which changes with the next answer anyway)."""
    (solicitud,) = terminadas(1)
    responder(solicitud, claridad=2, tiempo=1, trato=4, comentario="respuesta 0")
    evento = EventoAuditoria.objects.get(tipo="encuesta_respondida")
    assert (evento.usuario_id, evento.datos, evento.motivo) == (None, {}, "")
    assert evento.descripcion == (
        f"Encuesta de satisfacción respondida para la solicitud {solicitud.folio}"
    )
    (clave,) = leer(f"SELECT id FROM {TABLA}")  # noqa: S608
    assert str(clave[0]).replace("-", "") not in str(evento.__dict__).replace("-", "")


def test_la_migracion_baraja_las_que_ya_esperaban_sin_perder_ninguna(demo):
    """The waiting answers written before issue 59 lay in the order they came: the migration
    rewrites them shuffled, with new keys, each still sealed as it was."""
    migracion = importlib.import_module("dictamenes.migrations.0040_encuesta_espera_sin_orden")
    # As the old code left them: appended one by one, in the order answered.
    for i in range(N):
        encuestas.respuesta_en_espera(
            RespuestaEncuesta(
                ejercicio=2025,
                etapa_final="firma",
                claridad=3,
                tiempo=3,
                trato=3,
                comentario=f"respuesta {i}",
            )
        ).save()
    assert en_disco() == list(range(N))
    antes = {str(k) for (k,) in leer(f"SELECT id FROM {TABLA}")}  # noqa: S608
    selladas = sorted(bytes(s) for (s,) in leer(f"SELECT sellada FROM {TABLA}"))  # noqa: S608

    migracion.barajar_las_que_esperan(apps, None)

    assert sorted(en_disco()) == list(range(N))
    assert vecinos(en_disco()) < N // 2, en_disco()
    assert sorted(bytes(s) for (s,) in leer(f"SELECT sellada FROM {TABLA}")) == selladas  # noqa: S608
    assert not antes & {str(k) for (k,) in leer(f"SELECT id FROM {TABLA}")}  # noqa: S608
    assert publicar() == N


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_en_postgresql_todas_las_que_esperan_las_escribio_la_ultima_transaccion(demo):
    """A row keeps the id of the transaction that wrote it (xmin), the one that also wrote
    its audit event: after the answers, every waiting row carries the last one's, so none
    is tied to its own event."""
    require_postgres()
    for i, solicitud in enumerate(terminadas(MINIMO_RESPUESTAS - 1)):
        responder(solicitud, comentario=f"respuesta {i}")
    eventos = leer(
        "SELECT xmin::text FROM dictamenes_eventoauditoria "
        "WHERE tipo = 'encuesta_respondida' ORDER BY numero"
    )
    assert {x for (x,) in leer(f"SELECT xmin::text FROM {TABLA}")} == {eventos[-1][0]}  # noqa: S608


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_en_postgresql_respuestas_a_la_vez_no_se_pierden(demo):
    """Six requirentes answer six requests at the same moment: each rewrite of the waiting
    table waits for the one before, so all six answers wait for their batch, none twice."""
    require_postgres()
    solicitudes = terminadas(6)
    resultados, errores = en_paralelo(
        lambda i: responder(solicitudes[i], comentario=f"respuesta {i}"), list(range(6))
    )
    assert errores == []
    assert sorted(en_disco()) == list(range(6))
