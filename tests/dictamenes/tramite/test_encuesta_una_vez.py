"""The survey's invitation is written once per request (issue 21), now without savepoints of
its own (issue 64: it runs in the transaction of the step that ends the request): a second
call, and a failure in the middle, leave what a person would see unchanged."""

import pytest
from django.db import transaction

from dictamenes.encuestas import services as encuestas
from dictamenes.models import Aviso, Ente, EventoAuditoria, InvitacionEncuesta, Solicitud
from tests.conocidos import solicitud as solicitud_conocida

pytestmark = pytest.mark.django_db


def _terminada():
    ente = Ente.objects.get(siglas="SH")
    solicitud = solicitud_conocida(
        ente, anio=2025, mes=3, estado=Solicitud.Estado.DICTAMINADA, dias=5, resultado="favorable"
    )
    solicitud.save()
    return solicitud


def _lo_que_se_ve(solicitud):
    return (
        InvitacionEncuesta.objects.filter(solicitud=solicitud).count(),
        EventoAuditoria.objects.filter(tipo="encuesta_invitada", solicitud=solicitud).count(),
        Aviso.objects.filter(asunto=f"¿Cómo le atendimos? Solicitud {solicitud.folio}").count(),
    )


def test_invitar_dos_veces_deja_una_invitacion_un_evento_y_un_correo(demo):
    solicitud = _terminada()
    primera = encuestas.encuesta_invitar(solicitud=solicitud)
    segunda = encuestas.encuesta_invitar(solicitud=solicitud)
    assert segunda.pk == primera.pk
    assert _lo_que_se_ve(solicitud) == (1, 1, 1)


def test_una_falla_a_la_mitad_no_deja_nada(demo, monkeypatch):
    solicitud = _terminada()

    def falla(**kwargs):
        raise RuntimeError("el correo no se pudo componer")

    monkeypatch.setattr(encuestas.avisos, "aviso_encolar", falla)
    # The test's own transaction is the caller's here: a savepoint stands for the step's.
    with pytest.raises(RuntimeError), transaction.atomic():
        encuestas.encuesta_invitar(solicitud=solicitud)
    assert _lo_que_se_ve(solicitud) == (0, 0, 0)
