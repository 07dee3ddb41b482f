"""Issue 61: the API says what the dictamen decided of each item and the approved total, as
the request page does. The expected figures are the fixture's own: two items of
2 × $10,000.00 (flujo_utils), Cómputo approved for one unit, Redes refused."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.dictamenes import flujo_utils as fu
from tests.dictamenes.tramite.test_decision_hasta_el_final import PARCIAL
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db

# Issue 62: each decision keeps its price basis; here, no reference and no quote.
BASE = (
    "Base del precio: sin precio de referencia (menos de tres compras de dos entes); sin "
    "cotizaciones válidas; precio solicitado $10,000.00 por pieza."
)
COMPUTO = {
    "decision": "reducida",
    "etiqueta": "Aprobada por menor monto o cantidad",
    "cantidad_aprobada": 1,
    "monto_aprobado": "10000.00",
    "motivo": "Cantidad o especificaciones mayores a la necesidad",
    "explicacion": "Una laptop basta para la supervisión.",
    # Decided without a kept price basis (issue 62): none, and nothing in words.
    "referencia_unitaria": None,
    "mercado_unitario": None,
    "base_precio": BASE,
}
REDES = {
    "decision": "no_aprobada",
    "etiqueta": "No aprobada",
    "cantidad_aprobada": 0,
    "monto_aprobado": "0.00",
    "motivo": "Duplica bienes o servicios existentes",
    "explicacion": "",
    "referencia_unitaria": None,
    "mercado_unitario": None,
    "base_precio": BASE,
}


def _parcial(titulo="Laptops y switch"):
    solicitud = fu.revisada(areas=("computo", "redes"), titulo=titulo)
    por_area = {p.descripcion.removeprefix("Partida de "): p.pk for p in solicitud.partidas.all()}
    fu.decidir(solicitud, partidas={por_area[a]: d for a, d in PARCIAL.items()})
    return fu.firmar(solicitud)


dictamen_del_modulo = por_modulo(_parcial)


@pytest.fixture
def dictamen(demo, dictamen_del_modulo):
    return de_nuevo(dictamen_del_modulo)


def _api(username):
    api = APIClient()
    api.force_authenticate(fu.usuario(username))
    return api


def test_la_solicitud_dice_lo_aprobado_de_cada_partida_y_el_total(dictamen):
    datos = _api("requirente.sh").get(f"/api/v1/solicitudes/{dictamen.solicitud_id}/").json()
    assert (datos["monto_estimado"], datos["monto_aprobado"]) == ("40000.00", "10000.00")
    decisiones = {p["descripcion"]: p["dictamen"] for p in datos["partidas"]}
    assert decisiones == {"Partida de computo": COMPUTO, "Partida de redes": REDES}


def test_un_borrador_no_tiene_decisiones_ni_aprobado(demo):
    borrador = fu.borrador(titulo="Aún sin dictamen")
    datos = _api("requirente.sh").get(f"/api/v1/solicitudes/{borrador.pk}/").json()
    assert datos["monto_aprobado"] is None
    assert [p["dictamen"] for p in datos["partidas"]] == [None]


def test_el_dictamen_dice_lo_que_decidio_de_cada_partida(dictamen):
    datos = _api("auditor").get(f"/api/v1/dictamenes/{dictamen.pk}/").json()
    assert (datos["monto_solicitado"], datos["monto_aprobado"]) == ("40000.00", "10000.00")
    partidas = datos["partidas"]
    assert [p["descripcion"] for p in partidas] == ["Partida de computo", "Partida de redes"]
    assert {k: partidas[0][k] for k in COMPUTO} == COMPUTO
    assert {k: partidas[1][k] for k in REDES} == REDES
    assert [(p["cantidad_solicitada"], p["monto_solicitado"]) for p in partidas] == [
        (2, "20000.00"),
        (2, "20000.00"),
    ]


def _consultas(api, ruta) -> int:
    with CaptureQueriesContext(connection) as capturadas:
        assert api.get(ruta).status_code == 200
    return len(capturadas)


def test_las_listas_no_consultan_por_fila(dictamen):
    """One more decided request adds rows to both lists, not queries. Each read is the first at
    its version of the data (a page's rows are kept per version: FilasPorVersion)."""
    api = _api("auditor")
    # Warm what is cached once per process and per person, with a page of no rows.
    _consultas(api, "/api/v1/solicitudes/?ejercicio=2001")
    antes = {r: _consultas(api, r) for r in ("/api/v1/solicitudes/", "/api/v1/dictamenes/")}
    otro = _parcial(titulo="Otra compra")
    despues = {r: _consultas(api, r) for r in antes}
    assert despues == antes
    filas = api.get("/api/v1/dictamenes/").json()["results"]
    (fila,) = [f for f in filas if f["id"] == otro.pk]
    assert fila["monto_aprobado"] == "10000.00"


def test_el_esquema_describe_las_decisiones_y_el_aprobado():
    from drf_spectacular.generators import SchemaGenerator

    componentes = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    solicitud, dictamen = componentes["Solicitud"]["properties"], componentes["Dictamen"]
    assert solicitud["monto_aprobado"]["description"].startswith("Lo que el dictamen aprobó")
    assert solicitud["monto_aprobado"]["nullable"] is True
    partida = componentes["Partida"]["properties"]["dictamen"]
    assert partida["allOf"] == [{"$ref": "#/components/schemas/Decision"}]
    enum = componentes["Decision"]["properties"]["decision"]["allOf"]
    assert enum == [{"$ref": "#/components/schemas/DecisionEnum"}]
    assert componentes["DecisionEnum"]["enum"] == ["aprobada", "reducida", "no_aprobada"]
    por_partida = dictamen["properties"]["partidas"]["items"]["$ref"]
    assert por_partida == "#/components/schemas/DecisionDePartida"
    assert "monto_solicitado" in componentes["DecisionDePartida"]["required"]


def test_cada_fila_de_las_listas_lleva_las_decisiones_de_su_solicitud(dictamen):
    """The lists serialize every row's decisions with one serializer kept for the page (a new
    one per row cost half the list), and reverse the PDF's address once: each row still
    carries its own items, by their ids in the database, each item its own decision, and
    its own PDF."""
    from dictamenes.models import Partida

    otro = _parcial(titulo="Otra compra")
    api = _api("auditor")
    filas = {f["id"]: f for f in api.get("/api/v1/dictamenes/").json()["results"]}
    for d in (dictamen, otro):
        ids = list(
            Partida.objects.filter(solicitud_id=d.solicitud_id).order_by("pk").values_list("pk")
        )
        assert [(p["partida"],) for p in filas[d.pk]["partidas"]] == ids
        # The PDF's address, reversed once per page, is each row's own.
        assert filas[d.pk]["url_pdf"] == f"http://testserver/api/v1/dictamenes/{d.pk}/pdf/"
        assert [p["motivo"] for p in filas[d.pk]["partidas"]] == [
            COMPUTO["motivo"],
            REDES["motivo"],
        ]
    solicitudes = {f["id"]: f for f in api.get("/api/v1/solicitudes/").json()["results"]}
    for d in (dictamen, otro):
        decisiones = {p["id"]: p["dictamen"] for p in solicitudes[d.solicitud_id]["partidas"]}
        computo, redes = sorted(decisiones)
        assert (decisiones[computo], decisiones[redes]) == (COMPUTO, REDES)
