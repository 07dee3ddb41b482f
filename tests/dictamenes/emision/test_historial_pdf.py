"""Issue 61: the history PDF of a request, downloaded alone from its page by whoever the
expediente is for, on the letterhead, with what the dictamen in force approved of each item
and the total. The figures are the fixture's own: two items of 2 × $10,000.00
(flujo_utils), Cómputo approved for one unit, Redes refused."""

import io
import zipfile

import pytest
from django.urls import reverse

from dictamenes.models import TextosInstitucionales
from tests.dictamenes import flujo_utils as fu
from tests.dictamenes.emision.test_pdf_dictamen import texto_pdf
from tests.dictamenes.test_api_decisiones import _parcial
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db

dictamen_del_modulo = por_modulo(_parcial)

# Issue 62: each decision keeps its price basis; here no reference and no quote.
BASE = (
    "Base del precio: sin precio de referencia (menos de tres compras de dos entes); sin "
    "cotizaciones válidas; precio solicitado $10,000.00 por pieza."
)
TABLA = (
    "Partida Solicitado Decisión Aprobado Motivo y base del precio "
    "Partida de computo 2 por $20,000.00 Aprobada por menor monto o cantidad 1 por $10,000.00 "
    "Cantidad o especificaciones mayores a la necesidad. Una laptop basta para la supervisión. "
    f"{BASE} "
    "Partida de redes 2 por $20,000.00 No aprobada 0 por $0.00 "
    f"Duplica bienes o servicios existentes {BASE} "
    "Total $40,000.00 $10,000.00 Ahorro: $30,000.00 Eventos"
)


@pytest.fixture
def dictamen(demo, dictamen_del_modulo):
    return de_nuevo(dictamen_del_modulo)


def _url(solicitud) -> str:
    return reverse("solicitudes:historial_pdf", args=[solicitud.pk])


def test_el_auditor_descarga_el_historial_con_lo_aprobado(dictamen, como, tmp_path):
    solicitud = dictamen.solicitud
    respuesta = como("auditor").get(_url(solicitud))
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/pdf"
    nombre = solicitud.folio.replace("/", "-")
    assert respuesta["Content-Disposition"] == f'attachment; filename="historial-{nombre}.pdf"'
    texto = texto_pdf(respuesta.content, tmp_path)
    membrete = TextosInstitucionales.objects.vigentes().membrete_lineas
    assert texto.startswith(" ".join(membrete))
    assert f"Historial {solicitud.folio} Historial generado el " in texto
    assert (
        f"Lo que aprobó el dictamen en vigor Dictamen {dictamen.folio}: Favorable. Aprobó "
        "$10,000.00 de los $40,000.00 solicitados en sus partidas. " + TABLA
    ) in texto
    # The decision's event, in the history, says the basis it kept.
    assert (
        f"Partida «Partida de redes»: No aprobada · Duplica bienes o servicios existentes. {BASE}"
        in texto
    )


def test_el_historial_del_expediente_es_el_mismo_informe(dictamen, como, tmp_path):
    zip_url = reverse("solicitudes:expediente", args=[dictamen.solicitud_id])
    zf = zipfile.ZipFile(io.BytesIO(como("auditor").get(zip_url).content))
    texto = texto_pdf(zf.read("historial.pdf"), tmp_path)
    assert "Expediente generado el " in texto
    assert TABLA in texto


def test_sin_dictamen_en_vigor_no_hay_nada_aprobado(demo, como, tmp_path):
    solicitud = fu.presentada(titulo="Aún en trámite")
    texto = texto_pdf(como("mesa").get(_url(solicitud)).content, tmp_path)
    assert (
        "Lo que aprobó el dictamen en vigor La solicitud no tiene dictamen en vigor: no hay nada "
        "aprobado. Eventos"
    ) in texto


def test_la_dependencia_no_lo_descarga_ni_ve_el_enlace(dictamen, como):
    """The expediente's rule: the Subsecretaría and the auditors, not the agency (which reads
    the history on the page) nor anyone who cannot see the request."""
    solicitud = dictamen.solicitud
    enlace = f'<a href="{_url(solicitud)}">Descargar el historial (PDF)</a>'
    assert enlace in como("auditor").get(fu.detalle(solicitud)).content.decode()
    cliente = como("requirente.sh")
    assert enlace not in cliente.get(fu.detalle(solicitud)).content.decode()
    assert cliente.get(_url(solicitud)).status_code == 404
