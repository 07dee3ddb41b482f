"""Issue 61: the register says what each dictamen decided of each item. A request decided
«favorable condicionado» with one item approved whole, one approved for less and one refused
shows each item's figures on the register page, in dictamenes-partidas.csv and .json and in
/api/v1/registro/. The expected figures are worked out here from the decisions the test makes
(three items of 2 × $10,000.00, flujo_utils), not read from the code under test."""

import csv
import datetime
import io
import json
from decimal import Decimal

import frictionless
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from frictionless.resources import TableResource
from rest_framework.test import APIClient

from dictamenes.models import DecisionPartida, Partida
from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from tests.dictamenes import flujo_utils as fu
from tests.por_modulo import de_nuevo, por_modulo
from tests.publico.test_datos_abiertos import _paquete_descargado

pytestmark = pytest.mark.django_db

CANTIDAD, PRECIO = 2, Decimal("10000.00")  # each item of flujo_utils.borrador
REDUCIDO = Decimal("9500.00")  # what the reduced item is approved for: not 1 × its unit price
DECIDIDAS = {
    "computo": {"resultado": "aprobada"},
    "redes": {
        "resultado": "reducida",
        "cantidad": 1,
        "monto": str(REDUCIDO),
        "motivo": "sobredimensionada",
    },
    "seguridad": {"resultado": "no_aprobada", "motivo": "duplicidad"},
}
# area → (decision, its label, quantity approved, amount approved), from DECIDIDAS by hand.
ESPERADAS = {
    "computo": ("aprobada", "Aprobada", CANTIDAD, CANTIDAD * PRECIO),
    "redes": ("reducida", "Aprobada por menor monto o cantidad", 1, REDUCIDO),
    "seguridad": ("no_aprobada", "No aprobada", 0, Decimal("0.00")),
}


# area → what its unit price is for (issue 62): a piece, a service for a year, a licence for
# three years.
UNIDADES = {"computo": ("pieza", None), "redes": ("servicio", 12), "seguridad": ("licencia", 36)}


def _parcial(titulo="Laptops, switch y firewall"):
    solicitud = fu.revisada(areas=tuple(DECIDIDAS), titulo=titulo)
    por_area = {p.descripcion.removeprefix("Partida de "): p.pk for p in solicitud.partidas.all()}
    for area, (unidad, meses) in UNIDADES.items():
        Partida.objects.filter(pk=por_area[area]).update(unidad=unidad, meses=meses)
    fu.decidir(
        solicitud,
        resultado="condicionado",
        condiciones="Entregar el inventario de equipos dados de baja.",
        partidas={por_area[a]: d for a, d in DECIDIDAS.items()},
    )
    return fu.firmar(solicitud)


dictamen_del_modulo = por_modulo(_parcial)


@pytest.fixture
def dictamen(demo, dictamen_del_modulo):
    return de_nuevo(dictamen_del_modulo)


def _decidida_en(folio, area) -> str:
    """When the item was decided (issue 93, item 6), as ISO 8601 in UTC to the microsecond,
    formatted here from the stored instant."""
    decidida = DecisionPartida.objects.get(
        partida__solicitud__dictamenes__folio=folio, partida__descripcion=f"Partida de {area}"
    ).decidida_en
    return decidida.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def _esperadas(folio) -> list[dict]:
    """The rows the items' dataset must give, in the request's order (the areas' order)."""
    return [
        {
            "folio": folio,
            "partida": numero,
            "descripcion": f"Partida de {area}",
            "cantidad_solicitada": CANTIDAD,
            "monto_solicitado_mxn": f"{CANTIDAD * PRECIO:.2f}",
            "decision": decision,
            "decision_etiqueta": etiqueta,
            "cantidad_aprobada": cantidad,
            "monto_aprobado_mxn": f"{monto:.2f}",
            "unidad": UNIDADES[area][0],
            "meses": UNIDADES[area][1],
            "decidida_en": _decidida_en(folio, area),
        }
        for numero, (area, (decision, etiqueta, cantidad, monto)) in enumerate(
            ESPERADAS.items(), start=1
        )
    ]


def _sin_categoria(filas) -> list[dict]:
    return [{k: v for k, v in f.items() if not k.startswith("categoria")} for f in filas]


def _cuerpo(respuesta) -> bytes:
    return b"".join(respuesta.streaming_content)


def test_el_csv_de_partidas_da_cada_partida_con_su_decision(dictamen, client):
    respuesta = client.get(reverse("datos_partidas_csv"))
    assert respuesta["Content-Disposition"] == 'attachment; filename="dictamenes-partidas.csv"'
    filas = list(csv.DictReader(io.StringIO(_cuerpo(respuesta).decode("utf-8-sig"))))
    mias = [f for f in filas if f["folio"] == dictamen.folio]
    esperadas = [
        {k: "" if v is None else str(v) for k, v in f.items()} for f in _esperadas(dictamen.folio)
    ]
    assert _sin_categoria(mias) == esperadas
    # The category as the standards name it: the one each item's profile belongs to.
    categorias = {p.descripcion: p.perfil.categoria for p in dictamen.solicitud.partidas.all()}
    assert [(f["categoria_clave"], f["categoria"]) for f in mias] == [
        (categorias[f["descripcion"]].clave, categorias[f["descripcion"]].nombre) for f in mias
    ]
    # What the items approved adds up to the register's approved total.
    aprobado = sum(m for *_, m in ESPERADAS.values())
    registro = list(
        csv.DictReader(io.StringIO(_cuerpo(client.get(reverse("datos_csv"))).decode("utf-8-sig")))
    )
    (fila,) = [f for f in registro if f["folio"] == dictamen.folio]
    assert (fila["resultado"], fila["monto_aprobado_mxn"]) == (
        "Favorable condicionado",
        f"{aprobado:.2f}",
    )


def test_el_json_de_partidas_da_lo_mismo(dictamen, client):
    datos = json.loads(_cuerpo(client.get(reverse("datos_partidas_json"))))
    mias = [f for f in datos["partidas"] if f["folio"] == dictamen.folio]
    assert _sin_categoria(mias) == _esperadas(dictamen.folio)


def test_la_api_del_registro_da_las_partidas_de_cada_fila(dictamen):
    filas = APIClient().get("/api/v1/registro/").json()["results"]
    (fila,) = [f for f in filas if f["folio"] == dictamen.folio]
    assert _sin_categoria(fila["partidas"]) == _esperadas(dictamen.folio)


def test_la_pagina_del_registro_muestra_cada_partida_en_su_fila(dictamen, client):
    html = client.get(reverse("registro")).content.decode()
    assert '<details class="partidas-registro"><summary>3 partidas</summary>' in html
    for area, (decision, etiqueta, cantidad, monto) in ESPERADAS.items():
        assert f"<strong>Partida de {area}</strong>" in html
        aprobado = "" if decision == "no_aprobada" else f": {cantidad} por ${monto:,.2f}"
        assert (
            f'<span class="decision-dictamen decision-dictamen--{decision}"><strong>{etiqueta}'
            f"</strong>{aprobado}</span>"
        ) in html
    assert html.count(f"Solicitado: {CANTIDAD} por ${CANTIDAD * PRECIO:,.2f}") == 3


def test_la_descripcion_sale_sin_datos_personales_ni_formulas(dictamen, client):
    """What was stored before the fields refused it is published as the register publishes
    text: e-mail and RFC hidden; and a spreadsheet does not run it as a formula."""
    partida = dictamen.solicitud.partidas.order_by("pk").first()
    Partida.objects.filter(pk=partida.pk).update(
        descripcion="=Laptops para ana.lopez@ejemplo.mx, RFC GATA750503SD1"
    )
    cuerpo = _cuerpo(client.get(reverse("datos_partidas_csv"))).decode("utf-8-sig")
    (fila,) = [
        f
        for f in csv.DictReader(io.StringIO(cuerpo))
        if f["folio"] == dictamen.folio and f["partida"] == "1"
    ]
    assert fila["descripcion"] == "'=Laptops para [correo oculto], RFC GATA*********"
    datos = json.loads(_cuerpo(client.get(reverse("datos_partidas_json"))))
    assert datos["partidas"][0]["descripcion"] == (
        "=Laptops para [correo oculto], RFC GATA*********"
    )


def test_cada_dictamen_de_una_rectificacion_da_sus_propias_partidas(dictamen, client):
    """Rectified to «no favorable», the request has two dictámenes in the register: the
    rectified one still lists what it approved, the new one approves none of the items."""
    nuevo = fu.rectificar(dictamen, motivo="No procede la compra.", resultado="no_favorable")
    datos = json.loads(_cuerpo(client.get(reverse("datos_partidas_json"))))["partidas"]
    por_folio = {}
    for fila in datos:
        por_folio.setdefault(fila["folio"], []).append(fila)
    assert _sin_categoria(por_folio[dictamen.folio]) == _esperadas(dictamen.folio)
    assert [
        (f["partida"], f["decision"], f["cantidad_aprobada"], f["monto_aprobado_mxn"])
        for f in por_folio[nuevo.folio]
    ] == [(n, "no_aprobada", 0, "0.00") for n in (1, 2, 3)]
    registro = client.get("/api/v1/registro/").json()["results"]
    assert [(f["folio"], f["estado"]) for f in registro] == [
        (nuevo.folio, "No favorable"),
        (dictamen.folio, "Rectificado"),
    ]


def test_el_paquete_describe_las_partidas_y_valida_con_frictionless(dictamen, client, tmp_path):
    """datapackage.json lists the items with their schema (each folio a dictamen of the
    register's), and frictionless validates every published CSV, that foreign key included;
    the JSON distribution conforms to the same schema."""
    paquete = json.loads(client.get(reverse("datos_paquete")).content)
    (recurso,) = [r for r in paquete["resources"] if r["name"] == "dictamenes-partidas"]
    assert recurso["path"].endswith("/datos-abiertos/dictamenes-partidas.csv")
    assert recurso["schema"]["primaryKey"] == ["folio", "partida"]
    assert recurso["schema"]["foreignKeys"] == [
        {"fields": "folio", "reference": {"resource": "dictamenes", "fields": "folio"}}
    ]
    informe = frictionless.validate(str(_paquete_descargado(client, tmp_path)))
    assert informe.valid, [(t.name, e.message) for t in informe.tasks for e in t.errors]
    (tarea,) = [t for t in informe.tasks if t.name == "dictamenes-partidas"]
    assert tarea.stats["rows"] == 3

    filas = json.loads(_cuerpo(client.get(reverse("datos_partidas_json"))))["partidas"]
    esquema = client.get(reverse("datos_esquema", args=["dictamenes-partidas"])).json()
    assert esquema == recurso["schema"]
    # Alone, without the package its foreign key points into (checked just above).
    solo = {k: v for k, v in esquema.items() if k != "foreignKeys"}
    validado = TableResource(data=filas, schema=frictionless.Schema.from_descriptor(solo))
    informe = validado.validate()
    assert informe.valid, informe.flatten(["type", "fieldName", "message"])
    assert informe.task.stats["rows"] == 3


def test_la_pagina_de_datos_enlaza_los_archivos_de_las_partidas(db, client):
    html = client.get(reverse("datos_abiertos")).content.decode()
    assert (
        '<li id="dictamenes-partidas-json"><a href="/datos-abiertos/dictamenes-partidas.json">'
        "dictamenes-partidas.json</a></li>"
    ) in html
    assert '<li id="dictamenes-json"><a href="/datos-abiertos/dictamenes.json">' in html


def _consultas(ruta: str, cliente) -> int:
    """The queries of a read with the cache emptied (pages are cached per data version)."""
    cache.clear()
    textos_vigentes_en_cache()  # warm, as on a running site: the header reads it from there
    with CaptureQueriesContext(connection) as capturadas:
        assert cliente.get(ruta).status_code == 200
    return len(capturadas)


RUTAS = ("/registro/", "/api/v1/registro/")


def test_las_consultas_no_crecen_con_las_filas(dictamen, client):
    """One dictamen with its items, or four: the same queries for the page and the API."""
    antes = {r: _consultas(r, client) for r in RUTAS}
    for titulo in ("Otra compra", "Y otra más", "La última"):
        _parcial(titulo=titulo)
    despues = {r: _consultas(r, client) for r in RUTAS}
    assert despues == antes
    assert antes == {"/registro/": 5, "/api/v1/registro/": 4}
    html = client.get(reverse("registro")).content.decode()
    assert html.count('<details class="partidas-registro">') == 4
    filas = APIClient().get("/api/v1/registro/").json()["results"]
    # Each dictamen numbers its own request's items.
    assert [[p["partida"] for p in f["partidas"]] for f in filas] == [[1, 2, 3]] * 4


def test_la_api_del_registro_arma_sus_filas_una_vez_por_version_de_los_datos(dictamen):
    """A page of /api/v1/registro/ is built once per version of the data: read again, only its
    total and its ids are asked (with the version); a contract recorded under the dictamen (the
    same page, the same ids), the very next read gives the amount contracted."""
    from django.utils import timezone

    from dictamenes.seguimiento.services import contratos

    cache.clear()
    cliente = APIClient()
    primera = cliente.get("/api/v1/registro/").json()
    with CaptureQueriesContext(connection) as capturadas:
        segunda = cliente.get("/api/v1/registro/").json()
    assert segunda == primera
    assert len(capturadas) == 2, [q["sql"] for q in capturadas]
    assert not any('"dictamenes_partida"' in q["sql"] for q in capturadas)
    assert [(f["folio"], f["monto_contratado_mxn"]) for f in segunda["results"]] == [
        (dictamen.folio, "")
    ]
    contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=fu.usuario("requirente.sh"),
        numero="C-7",
        proveedor="Proveedora del Noroeste, S.A. de C.V.",
        fecha=timezone.localdate(),
        monto=Decimal("12345.60"),
    )
    registro = cliente.get("/api/v1/registro/").json()["results"]
    assert [(f["folio"], f["monto_contratado_mxn"]) for f in registro] == [
        (dictamen.folio, "12345.60")
    ]
