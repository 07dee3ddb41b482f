"""The dictamen states each item's price basis (issue 62, item 5): the PDF, /verificar/, the
e-mail of the dictamen and the API say the same sentence, and the sealed content covers it.
A dictamen whose decisions kept no basis (as every one before issue 62) prints nothing new
and its content is the shape it always was.

The basis is written on the decisions as the decision door keeps it (helper B's door fills
DecisionPartida.base_precio from precios.selectors.PrecioDePartida.base()); here it is set
by hand, with figures chosen so that every part of the sentence shows."""

import hashlib
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dictamenes.emision.services import integridad
from dictamenes.models import Aviso, DecisionPartida
from dictamenes.precios.selectors.base import base_precio_texto
from tests.dictamenes import flujo_utils as fu
from tests.dictamenes.emision.test_pdf_dictamen import texto_pdf
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db

BASE_COMPUTO = {
    "tecleado": "10000.00",
    "unidad": "pieza",
    "meses": None,
    "referencia": {
        "mediana": "9500.00",
        "cuartil_1": "9000.00",
        "cuartil_3": "11000.00",
        "minimo": "8500.00",
        "compras": 7,
        "entes": 3,
        "desde": "2024-11-01",
        "hasta": "2026-11-20",
    },
    "mercado": {"precio": "9800.00", "metodo": "mediana", "cotizaciones": 4, "validas": 3},
}
BASE_REDES = {"tecleado": "10000.00", "unidad": "pieza", "meses": None, "referencia": None}
BASE_REDES["mercado"] = None
TEXTO_COMPUTO = (
    "Base del precio: referencia $9,500.00 por pieza (mediana de 7 compras de 3 entes, "
    "01/11/2024–20/11/2026; Q1 $9,000.00–Q3 $11,000.00); precio de mercado $9,800.00 "
    "(mediana de las cotizaciones válidas: 3 válidas de 4); precio solicitado $10,000.00 por "
    "pieza."
)
TEXTO_REDES = (
    "Base del precio: sin precio de referencia (menos de tres compras de dos entes); sin "
    "cotizaciones válidas; precio solicitado $10,000.00 por pieza."
)


def _firmados():
    """Two dictámenes of two items each (cómputo and redes, 2 × $10,000.00): one whose
    decisions kept a price basis, one whose decisions kept none."""
    con = fu.decidir(fu.revisada(areas=("computo", "redes"), titulo="Con base del precio"))
    for partida in con.partidas.all():
        computo = partida.descripcion.endswith("computo")
        DecisionPartida.objects.filter(partida=partida).update(
            base_precio=BASE_COMPUTO if computo else BASE_REDES,
            referencia_unitaria="9500.0000" if computo else None,
            mercado_unitario="9800.0000" if computo else None,
        )
    sin = fu.decidir(fu.revisada(areas=("computo", "redes"), titulo="Sin base del precio"))
    # Decided as every decision before issue 62 was: the door now keeps a basis, so take it out.
    DecisionPartida.objects.filter(partida__solicitud=sin).update(
        base_precio={}, referencia_unitaria=None, mercado_unitario=None
    )
    return {"con": fu.firmar(con), "sin": fu.firmar(sin)}


firmados_del_modulo = por_modulo(_firmados)


@pytest.fixture
def firmados(demo, firmados_del_modulo):
    return de_nuevo(firmados_del_modulo)


def test_la_base_en_palabras_de_un_servicio_con_cotizaciones_sin_referencia():
    base = {
        "tecleado": "24000.00",
        "unidad": "servicio",
        "meses": 12,
        "referencia": None,
        "mercado": {"precio": "23500.50", "metodo": "menor", "cotizaciones": 1, "validas": 1},
    }
    assert base_precio_texto(base) == (
        "Base del precio: sin precio de referencia (menos de tres compras de dos entes); "
        "precio de mercado $23,500.50 (menor precio válido: 1 válida de 1); precio solicitado "
        "$24,000.00 por servicio de 12 meses."
    )
    assert base_precio_texto({}) == ""


def test_el_pdf_dice_la_base_del_precio_bajo_cada_partida(firmados, tmp_path):
    texto = texto_pdf(integridad.dictamen_pdf_leer(dictamen=firmados["con"]), tmp_path)
    assert f"Partida 1, Partida de computo (aprobada): {TEXTO_COMPUTO}" in texto
    assert f"Partida 2, Partida de redes (aprobada): {TEXTO_REDES}" in texto
    sin = texto_pdf(integridad.dictamen_pdf_leer(dictamen=firmados["sin"]), tmp_path)
    assert "Base del precio" not in sin


def _contenido_a_mano(dictamen, *, con_base: bool) -> bytes:
    """The sealed content written out by hand from the rows, in the shape dictámenes had
    before issue 62, plus the basis inside each decision when `con_base`."""
    s = dictamen.solicitud
    partidas = []
    for p in s.partidas.order_by("pk"):
        d = DecisionPartida.objects.get(partida=p)
        decision = {
            "resultado": d.resultado,
            "cantidad_aprobada": d.cantidad_aprobada,
            "monto_aprobado": str(d.monto_aprobado),
            "motivo": "",
            "texto": d.texto,
        }
        if con_base:
            decision["base_precio"] = d.base_precio
        partidas.append(
            {
                "id": p.pk,
                "descripcion": p.descripcion,
                "perfil": p.perfil_id,
                "cantidad": p.cantidad,
                "precio_unitario": str(p.precio_unitario),
                "veredicto": p.veredicto,
                "decision": decision,
            }
        )
    datos = {
        "solicitud": s.folio,
        "ente": s.ente.siglas,
        "asunto": s.titulo,
        "partidas": partidas,
        "resultado": dictamen.resultado,
        "condiciones": dictamen.condiciones,
        "motivos": dictamen.motivos,
        "vigencia_hasta": dictamen.vigencia_hasta.isoformat(),
    }
    return json.dumps(datos, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def test_el_sello_cubre_la_base_y_un_dictamen_sin_base_conserva_su_contenido(firmados):
    con, sin = firmados["con"], firmados["sin"]
    assert hashlib.sha256(_contenido_a_mano(con, con_base=True)).hexdigest() == (
        con.contenido_sha256
    )
    # Without a basis, the content is exactly the shape dictámenes were sealed with before.
    assert hashlib.sha256(_contenido_a_mano(sin, con_base=False)).hexdigest() == (
        sin.contenido_sha256
    )
    assert con.contenido_sha256 in con.cadena_original


def test_verificar_muestra_la_base_del_precio(firmados, client):
    html = client.get(reverse("verificar_folio", args=[firmados["con"].folio])).content.decode()
    assert f'<tr class="base-precio"><td colspan="7">{TEXTO_COMPUTO}</td></tr>' in html
    assert f'<tr class="base-precio"><td colspan="7">{TEXTO_REDES}</td></tr>' in html
    sin = client.get(reverse("verificar_folio", args=[firmados["sin"].folio])).content.decode()
    assert "Decisión por partida" in sin and "Base del precio" not in sin


def test_el_correo_y_la_api_dan_la_base_del_precio(firmados):
    con = firmados["con"]
    aviso = Aviso.objects.get(asunto__startswith=f"Dictamen {con.folio} emitido")
    cuerpo = " ".join(aviso.mensaje.split())
    assert f"Aprobada. {TEXTO_COMPUTO}" in cuerpo
    assert f"Aprobada. {TEXTO_REDES}" in cuerpo
    api = APIClient()
    api.force_authenticate(fu.usuario("auditor"))
    partidas = api.get(f"/api/v1/dictamenes/{con.pk}/").json()["partidas"]
    assert [
        (p["referencia_unitaria"], p["mercado_unitario"], p["base_precio"]) for p in partidas
    ] == [("9500.00", "9800.00", TEXTO_COMPUTO), (None, None, TEXTO_REDES)]
