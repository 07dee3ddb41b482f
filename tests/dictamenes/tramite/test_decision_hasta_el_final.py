"""Issue 47, item 1: the decision on each item reaches the last person who depends on it. A
request partly approved (one item approved for less, one refused) shows what was approved to
its requester on the request page and in the dictamen e-mail, in the register and its exports,
the API, the history, and the auditor finds it by its dictamen's folio."""

import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dictamenes.models import Aviso, DecisionPartida, Solicitud
from dictamenes.tramite.selectors import motivos
from tests.dictamenes import flujo_utils as fu
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db

# Two items, 2 × $10,000.00 each (flujo_utils): Cómputo approved for one unit, Redes refused.
PARCIAL = {
    "computo": {
        "resultado": "reducida",
        "cantidad": 1,
        "motivo": "sobredimensionada",
        "texto": "Una laptop basta para la supervisión.",
    },
    "redes": {"resultado": "no_aprobada", "motivo": "duplicidad"},
}


def _parcial():
    solicitud = fu.revisada(areas=("computo", "redes"), titulo="Laptops y switch")
    por_area = {p.descripcion.removeprefix("Partida de "): p.pk for p in solicitud.partidas.all()}
    fu.decidir(solicitud, partidas={por_area[a]: d for a, d in PARCIAL.items()})
    return fu.firmar(solicitud)


dictamen_del_modulo = por_modulo(_parcial)


@pytest.fixture
def dictamen(demo, dictamen_del_modulo):
    return de_nuevo(dictamen_del_modulo)


def test_aprobar_por_menos_pide_un_motivo_del_catalogo(demo):
    solicitud = fu.revisada()
    pk = solicitud.partidas.get().pk
    with pytest.raises(ValidationError) as exc:
        fu.decidir(solicitud, partidas={pk: {"resultado": "reducida", "cantidad": 1}})
    assert exc.value.messages == [
        "Elija del catálogo el motivo por el que la partida «Partida de computo» se aprueba "
        "por menos."
    ]
    assert not DecisionPartida.objects.filter(partida__solicitud=solicitud).exists()
    assert Solicitud.objects.get(pk=solicitud.pk).estado == Solicitud.Estado.REVISION_ESTRATEGICA


def test_el_motivo_de_aprobar_por_menos_se_cuenta(dictamen):
    conteo = motivos.conteo_por_anio()
    anio = dictamen.solicitud.ejercicio
    assert conteo[("sobredimensionada", anio)] == {"reducida": 1}
    assert conteo[("duplicidad", anio)] == {"no_aprobada": 1}


def test_la_pagina_de_la_solicitud_dice_lo_aprobado_de_cada_partida(dictamen, como):
    html = como("requirente.sh").get(fu.detalle(dictamen.solicitud)).content.decode()
    assert '<th scope="col">Lo que aprobó el dictamen</th>' in html
    assert (
        '<td class="decision-dictamen decision-dictamen--reducida"><strong>Aprobada por menor '
        'monto o cantidad</strong>: 1 por $10,000.00<br><span class="ayuda">Cantidad o '
        "especificaciones mayores a la necesidad. Una laptop basta para la supervisión.</span>"
    ) in html
    assert (
        '<td class="decision-dictamen decision-dictamen--no_aprobada"><strong>No aprobada'
        '</strong><br><span class="ayuda">Duplica bienes o servicios '
        "existentes</span>"
    ) in html
    assert '<dd id="monto-aprobado">$10,000.00 <span class="ayuda">(ahorro de $30,000.00' in html
    assert "Aprobado: $10,000.00<br>Ahorro: $30,000.00" in html
    assert "El dictamen aprobó $10,000.00 de los $40,000.00 solicitados." in html


def test_el_correo_del_dictamen_dice_lo_aprobado_y_por_que_no(dictamen):
    aviso = Aviso.objects.get(asunto__startswith=f"Dictamen {dictamen.folio} emitido")
    cuerpo = " ".join(aviso.mensaje.split())
    assert "El dictamen aprobó $10,000.00 de los $40,000.00 solicitados" in cuerpo
    for fragmento in (
        "Partida «Partida de computo»",
        "Aprobada por menor monto o cantidad: 1 de 2, $10,000.00 de $20,000.00. Motivo: "
        "Cantidad o especificaciones mayores a la necesidad. Una laptop basta para la "
        "supervisión.",
        "No aprobada: 0 de 2, $0.00 de $20,000.00. Motivo: Duplica bienes o servicios existentes",
        "$10,000.00 de $40,000.00 solicitados",
    ):
        assert fragmento in cuerpo, fragmento


def test_el_registro_sus_descargas_y_la_api_dan_lo_aprobado(dictamen, client):
    pagina = client.get(reverse("registro"), {"ejercicio": dictamen.solicitud.ejercicio})
    html = pagina.content.decode()
    assert '<th scope="col" class="num">Aprobado (MXN)</th>' in html
    assert 'data-etiqueta="Aprobado (MXN)">$10,000.00</td>' in html
    contenido = b"".join(client.get(reverse("datos_csv")).streaming_content)
    filas = list(csv.DictReader(io.StringIO(contenido.decode("utf-8-sig"))))
    (fila,) = [f for f in filas if f["folio"] == dictamen.folio]
    assert (fila["monto_estimado_mxn"], fila["monto_aprobado_mxn"]) == ("40000.00", "10000.00")
    datos = json.loads(b"".join(client.get(reverse("datos_json")).streaming_content))
    (fila,) = [f for f in datos["dictamenes"] if f["folio"] == dictamen.folio]
    assert fila["monto_aprobado_mxn"] == "10000.00"
    api = client.get("/api/v1/registro/").json()
    (fila,) = [f for f in api["results"] if f["folio"] == dictamen.folio]
    assert fila["monto_aprobado_mxn"] == "10000.00"


def test_el_historial_dice_las_condiciones_en_palabras_y_el_mes_en_minuscula(demo, como):
    solicitud = fu.en_firma(
        areas=("redes",), resultado="condicionado", condiciones="Redes: acreditar la garantía."
    )
    fu.firmar(solicitud)
    html = como("auditor").get(fu.detalle(solicitud)).content.decode()
    historial = html[html.index('<h2 id="t-historial">') :]
    assert "[{" not in historial and "&#x27;numero&#x27;" not in historial
    assert (
        "Condiciones: 1. Acreditar la garantía. (la verifica: Redes y telecomunicaciones)"
        in historial
    )
    assert "con vencimiento el " in historial
    assert not any(mes in historial for mes in ("de Enero", "de Diciembre", "de Noviembre"))


def test_el_auditor_encuentra_la_solicitud_por_el_folio_del_dictamen(dictamen, como):
    lista = como("auditor").get(reverse("solicitudes:lista"), {"q": f"  {dictamen.folio.lower()} "})
    html = lista.content.decode()
    assert dictamen.solicitud.folio in html
    assert "Laptops y switch" in html
