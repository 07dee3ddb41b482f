"""make bench issues a hundred dictámenes (bench/emitir.py); the generated history leaves only
a few requests waiting for the signature, so the rest are taken there through the doors by
demo.solicitudes.en_firma: each one a request the firmante can sign, with its trail."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from demo import efirma_pruebas
from demo.solicitudes import en_firma
from dictamenes.comun.auditoria import cadena_verificar
from dictamenes.emision.services import emision
from dictamenes.models import Solicitud

pytestmark = pytest.mark.django_db


def test_dos_solicitudes_llegan_a_la_firma_por_las_puertas_y_se_firman(demo):
    una, otra = en_firma("Citas, emisión medida 1"), en_firma("Citas, emisión medida 2")
    assert {una.estado, otra.estado} == {Solicitud.Estado.FIRMA}
    assert una.pk != otra.pk and una.titulo == "Citas, emisión medida 1"
    tipos = list(una.eventos.values_list("tipo", flat=True))
    assert len(tipos) >= 4, tipos  # presented, admitted, reviewed, decided: each door wrote
    dictamen = emision.dictamen_emitir(
        solicitud=una,
        usuario=get_user_model().objects.get(username="firmante"),
        credencial=efirma_pruebas.demo_credencial(settings.DICTAMENES_EFIRMA_DEMO_DIR, "firmante"),
    )
    una.refresh_from_db()
    assert una.estado == Solicitud.Estado.DICTAMINADA and dictamen.folio
    assert cadena_verificar().integra
