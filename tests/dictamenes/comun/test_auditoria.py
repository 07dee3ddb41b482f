"""The audit history is append-only and chained: rewriting it is caught."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from dictamenes.comun.auditoria import GENESIS, cadena_verificar, hash_de
from dictamenes.models import EventoAuditoria
from tests.dictamenes.flujo_utils import admitida, revisar

pytestmark = pytest.mark.django_db


@pytest.fixture
def historia(demo):
    solicitud = admitida(areas=("computo",))
    revisar(solicitud, "computo")
    return list(EventoAuditoria.objects.order_by("numero"))


def test_cada_evento_enlaza_con_el_anterior(historia):
    assert [e.numero for e in historia] == list(range(1, len(historia) + 1))
    assert historia[0].anterior_hash == GENESIS
    for anterior, evento in zip(historia, historia[1:], strict=False):
        assert evento.anterior_hash == anterior.hash
        assert hash_de(evento) == evento.hash
    assert cadena_verificar().integra
    assert cadena_verificar().revisados == len(historia)


def test_el_orm_no_modifica_ni_borra_eventos(historia):
    evento = historia[2]
    evento.descripcion = "Otra historia"
    for intento in (
        evento.save,
        evento.delete,
        lambda: EventoAuditoria.objects.filter(pk=evento.pk).update(descripcion="x"),
        lambda: EventoAuditoria.objects.filter(pk=evento.pk).delete(),
    ):
        with pytest.raises(ValidationError):
            intento()
    assert EventoAuditoria.objects.get(pk=evento.pk).descripcion != "Otra historia"


def test_la_base_de_datos_rechaza_un_update_directo(historia):
    """A trigger refuses it on PostgreSQL and on SQLite, whatever the ORM says."""
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE dictamenes_eventoauditoria SET descripcion = 'x' WHERE numero = 1")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM dictamenes_eventoauditoria WHERE numero = 1")
    assert EventoAuditoria.objects.filter(numero=1).exclude(descripcion="x").exists()


def _sin_trigger(cursor):
    # What a database superuser could do: switch the protection off, then edit.
    if connection.vendor == "postgresql":
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # flush the test's deferred FK checks
        cursor.execute(
            "ALTER TABLE dictamenes_eventoauditoria DISABLE TRIGGER dictamenes_evento_inmutable"
        )
    else:
        cursor.execute("DROP TRIGGER dictamenes_evento_inmutable")


def test_una_edicion_directa_en_sql_se_detecta(historia):
    with connection.cursor() as cursor:
        _sin_trigger(cursor)
        cursor.execute(
            "UPDATE dictamenes_eventoauditoria SET motivo = 'Se admitió sin revisar' "
            "WHERE numero = %s",
            [historia[4].numero],
        )
    resultado = cadena_verificar()
    assert not resultado.integra
    assert resultado.roto_en.numero == historia[4].numero
    assert resultado.revisados == 4
    with pytest.raises(CommandError, match=f"Cadena rota en el evento #{historia[4].numero}"):
        call_command("auditoria_verificar")


def test_un_evento_borrado_en_sql_se_detecta(historia):
    with connection.cursor() as cursor:
        _sin_trigger(cursor)
        cursor.execute(
            "DELETE FROM dictamenes_eventoauditoria WHERE numero = %s", [historia[3].numero]
        )
    resultado = cadena_verificar()
    assert resultado.roto_en.numero == historia[4].numero
    assert resultado.motivo == f"falta el evento #{historia[3].numero}"


def test_el_comando_informa_una_cadena_integra(historia, capsys):
    call_command("auditoria_verificar")
    assert f"Cadena íntegra: {len(historia)} eventos verificados." in capsys.readouterr().out


def test_la_puerta_valida_el_evento_y_escribe_en_cinco_consultas(historia):
    """The door still refuses what its fields do not admit, and writes an event in five
    queries (head of the chain, last event, insert, head, year's version): every change of the
    procedure writes one or more, so a query more per event is a query more per click."""
    from django.test.utils import CaptureQueriesContext

    from dictamenes.comun.auditoria import evento_registrar

    solicitud = historia[-1].solicitud
    with transaction.atomic():
        with pytest.raises(ValidationError) as error:
            evento_registrar(tipo="x" * 41, descripcion="Un tipo más largo que su campo")
        assert "tipo" in error.value.message_dict
        with CaptureQueriesContext(connection) as consultas:
            evento = evento_registrar(
                tipo="medicion", descripcion="Un evento más", solicitud=solicitud
            )
    assert len(consultas.captured_queries) == 5
    assert evento.numero == historia[-1].numero + 1
    assert cadena_verificar().integra
