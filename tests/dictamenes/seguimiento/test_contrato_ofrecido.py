"""Who the request's page offers the contract form to (seguimiento.acciones.ofrecer_contrato,
declared in expediente.registro): the requesting agency, under a dictamen in force that
authorises a contract; a "no favorable" one authorises none, and nobody else records it."""

import pytest
from django.urls import reverse

from dictamenes.models import Dictamen
from tests.dictamenes.flujo_utils import detalle, en_firma, firmar


def _ofrece_contrato(respuesta, dictamen) -> bool:
    return reverse("solicitudes:contrato", args=[dictamen.solicitud_id, dictamen.pk]) in (
        respuesta.content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("resultado", "motivos", "ofrecido"),
    [
        ("favorable", "Procede: cumple los estándares.", True),
        ("no_favorable", "No procede: el equipo no cumple el estándar.", False),
    ],
)
def test_la_pagina_ofrece_el_contrato_solo_bajo_un_dictamen_que_lo_autoriza(
    demo, como, resultado, motivos, ofrecido
):
    solicitud = en_firma(resultado=resultado, motivos=motivos)
    firmar(solicitud)
    dictamen = Dictamen.objects.get(solicitud=solicitud)
    assert _ofrece_contrato(como("requirente.sh").get(detalle(solicitud)), dictamen) is ofrecido
    # Nobody of the Subsecretaría records the agency's contract.
    assert not _ofrece_contrato(como("estrategico").get(detalle(solicitud)), dictamen)
