"""Issue 92, item 1: a registered action's POST (views.dictamen.registrada) runs its effect only
when the request's page offers it to the person (registro.ofrecida: the action's `ofrecer`).

The case: a delivery under a dictamen cancelled after its contract. The page offers deliveries
only under the dictamen in force (seguimiento.acciones.ofrecer_entrega), so it shows no form;
the delivery's service asks the requester and the contract, not the dictamen, and would record
it. The POST is refused, and nothing is written: no delivery, no acta, no event."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dictamenes.emision.services import rectificacion
from dictamenes.expediente import registro
from dictamenes.models import Anexo, Entrega, EventoAuditoria
from dictamenes.seguimiento.services import contratos
from tests.dictamenes.flujo_utils import (
    credencial,
    detalle,
    en_firma,
    firmar,
    pdf_valido,
    usuario,
)

pytestmark = pytest.mark.django_db


def test_una_entrega_que_la_pagina_no_ofrece_se_rechaza_sin_cambiar_nada(demo, client):
    dictamen = firmar(en_firma())
    solicitud = dictamen.solicitud
    contrato = contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=usuario("requirente.sh"),
        numero="SH-CTO-9",
        proveedor="Cómputo del Noroeste, S.A. de C.V.",
        fecha=timezone.localdate(),
        termino=timezone.localdate() + datetime.timedelta(days=30),
        monto=Decimal("20000.00"),
    )
    assert contrato.cuenta
    url = reverse("solicitudes:entrega", args=[solicitud.pk, dictamen.pk])
    client.force_login(usuario("requirente.sh"))
    assert f'action="{url}"' in client.get(detalle(solicitud)).content.decode()

    rectificacion.dictamen_cancelar(
        dictamen=dictamen,
        usuario=usuario("firmante"),
        credencial=credencial(),
        motivo="Se emitió con otro folio.",
    )
    assert f'action="{url}"' not in client.get(detalle(solicitud)).content.decode()
    [partida] = solicitud.partidas.all()
    antes = (Entrega.objects.count(), Anexo.objects.count(), EventoAuditoria.objects.count())
    respuesta = client.post(
        url,
        {
            "entrega-contrato": str(contrato.pk),
            "entrega-fecha": timezone.localdate().isoformat(),
            "entrega-monto_pagado": "20000.00",
            f"entrega-cantidad_{partida.pk}": str(partida.cantidad),
            "entrega-archivo": SimpleUploadedFile(
                "acta.pdf", pdf_valido(), content_type="application/pdf"
            ),
        },
    )
    assert respuesta.status_code == 403
    assert str(registro.ERROR_NO_OFRECIDA) in respuesta.content.decode()
    assert (Entrega.objects.count(), Anexo.objects.count(), EventoAuditoria.objects.count()) == (
        antes
    )
