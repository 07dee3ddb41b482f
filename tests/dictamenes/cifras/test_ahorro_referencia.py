"""Savings against the reference prices (issue 62, item 6), on a known set of decisions: the
selector, the indicators page and the API give the figures a hand-written loop over the raw
rows gives, and the consolidated purchases stay apart.

The known set, fiscal year 2030 (referencia_unitaria as the decision kept it):
- SH, favorable: cómputo 10 × $15,000.00 approved, reference $14,000.00; cómputo 4 ×
  $12,500.50 reduced to 2 for $25,001.00, reference $13,000.00; cómputo 2 × $9,000.00
  approved without reference; switch 3 × $20,000.00 not approved (reference $21,000.00);
  switch 1 × $30,000.00 approved, reference $31,500.50.
- SH, consolidated purchase, favorable: cómputo 100 × $11,000.00, reference $12,000.00.
- RC, favorable before decisions per item: cómputo 5 × $10,000.00 (approved, no reference).
- RC, no favorable: switch 2 × $8,000.00 «approved» with reference $9,000.00: counts nothing.
- SH, cancelled dictamen: cómputo 1 × $5,000.00, reference $9,999.00: not counted.
"""

import csv
import io
from decimal import ROUND_HALF_UP, Decimal

import frictionless
import pytest
from django.urls import reverse
from frictionless.resources import TableResource

from dictamenes.cifras.selectors import ahorros
from dictamenes.models import DecisionPartida, Dictamen, Partida
from tests.dictamenes.cifras.test_ahorros import ANIO, _decidir, _dictamen, _partida, _solicitud
from tests.dictamenes.flujo_utils import usuario

pytestmark = pytest.mark.django_db
R = DecisionPartida.Resultado


def _con_referencia(partida, resultado, referencia, **kwargs):
    decision = _decidir(partida, resultado, **kwargs)
    decision.referencia_unitaria = Decimal(referencia)
    decision.save(update_fields=["referencia_unitaria"])


@pytest.fixture
def conocidas(demo):
    sh = _solicitud("SH")
    _dictamen(sh, "favorable")
    _con_referencia(_partida(sh, "computo", 10, "15000.00"), R.APROBADA, "14000.00")
    _con_referencia(
        _partida(sh, "computo", 4, "12500.50"), R.REDUCIDA, "13000.00", cantidad=2, monto="25001"
    )
    _decidir(_partida(sh, "computo", 2, "9000.00"), R.APROBADA)
    _con_referencia(
        _partida(sh, "redes", 3, "20000.00"), R.NO_APROBADA, "21000.00", cantidad=0, monto="0"
    )
    _con_referencia(_partida(sh, "redes", 1, "30000.00"), R.APROBADA, "31500.50")
    consolidada = _solicitud("SH")
    consolidada.compra_consolidada = True
    consolidada.save(update_fields=["compra_consolidada"])
    _dictamen(consolidada, "favorable")
    _con_referencia(_partida(consolidada, "computo", 100, "11000.00"), R.APROBADA, "12000.00")
    rc = _solicitud("RC")
    _partida(rc, "computo", 5, "10000.00")
    _dictamen(rc, "favorable")
    rc_no = _solicitud("RC", resultado="no_favorable")
    _dictamen(rc_no, "no_favorable")
    _con_referencia(_partida(rc_no, "redes", 2, "8000.00"), R.APROBADA, "9000.00")
    cancelada = _solicitud("SH")
    _dictamen(cancelada, "favorable", cancelado=True)
    _con_referencia(_partida(cancelada, "computo", 1, "5000.00"), R.APROBADA, "9999.00")


def _a_mano() -> dict:
    """The figures by a plain loop over the rows, sharing nothing with the selector: per
    (agency, category, consolidated?) [approved items, with reference, at reference,
    approved of those]."""
    cifras: dict[tuple, list] = {}
    for p in Partida.objects.filter(solicitud__ejercicio=ANIO).select_related(
        "solicitud__ente", "perfil__categoria"
    ):
        en_vigor = Dictamen.objects.filter(solicitud=p.solicitud, cancelado_en=None).first()
        if en_vigor is None or en_vigor.resultado == "no_favorable":
            continue
        d = DecisionPartida.objects.filter(partida=p).first()
        clave = (p.solicitud.ente.siglas, p.perfil.categoria.clave, p.solicitud.compra_consolidada)
        fila = cifras.setdefault(clave, [0, 0, Decimal(0), Decimal(0)])
        if d is None or d.cantidad_aprobada > 0:
            fila[0] += 1
        if d is not None and d.cantidad_aprobada > 0 and d.referencia_unitaria is not None:
            fila[1] += 1
            fila[2] += d.referencia_unitaria * d.cantidad_aprobada
            fila[3] += d.monto_aprobado
    centavo = Decimal("0.01")
    return {
        k: (
            n,
            con,
            ref.quantize(centavo, ROUND_HALF_UP),
            apr.quantize(centavo),
            (ref - apr).quantize(centavo),
        )
        for k, (n, con, ref, apr) in cifras.items()
    }


# The same figures, by hand: (approved, with reference, at reference, approved, savings).
ESPERADAS = {
    ("SH", "computadora-escritorio", False): (3, 2, "166000.00", "175001.00", "-9001.00"),
    ("SH", "switch", False): (1, 1, "31500.50", "30000.00", "1500.50"),
    ("SH", "computadora-escritorio", True): (1, 1, "1200000.00", "1100000.00", "100000.00"),
    ("RC", "computadora-escritorio", False): (1, 0, "0.00", "0.00", "0.00"),
}


def _leidas(filas) -> dict:
    return {
        (f["ente_siglas"], f["categoria_clave"], f["consolidada"]): (
            f["partidas_aprobadas"],
            f["partidas_con_referencia"],
            str(f["a_referencia"]),
            str(f["aprobado_con_referencia"]),
            str(f["ahorro_referencia"]),
        )
        for f in ahorros.frente_a_referencia(filas, por=("ente_siglas", "categoria_clave"))
    }


def test_el_ahorro_frente_a_la_referencia_es_el_de_un_recuento_a_mano(conocidas):
    a_mano = {
        k: tuple(str(v) if isinstance(v, Decimal) else v for v in t) for k, t in _a_mano().items()
    }
    assert a_mano == ESPERADAS
    assert _leidas(ahorros.por_ente_y_categoria(ejercicio=ANIO)) == ESPERADAS


def test_la_pagina_da_el_ahorro_frente_a_la_referencia_y_las_consolidadas_aparte(conocidas, client):
    client.force_login(usuario("auditor"))
    html = client.get(reverse("indicadores"), {"ejercicio": ANIO}).content.decode()
    # The year: SH's and RC's own purchases together (3 of their 5 approved items had a
    # reference), and the consolidated purchase in its own row.
    assert (
        f'<th scope="row">{ANIO}</th><td>Por ente</td><td class="num">3 de 5</td>'
        '<td class="num">$197,500.50</td><td class="num">$205,001.00</td>'
        '<td class="num">-$7,500.50</td><td class="num">-3.8 %</td>'
    ) in html
    assert (
        f'<th scope="row">{ANIO}</th><td>Consolidada</td><td class="num">1 de 1</td>'
        '<td class="num">$1,200,000.00</td><td class="num">$1,100,000.00</td>'
        '<td class="num">$100,000.00</td><td class="num">8.3 %</td>'
    ) in html
    assert (
        '<td>Consolidada</td><td class="num">1 de 1</td>'
        in html.split('id="ahorro-referencia-detalle"')[1]
    )


def test_la_api_da_el_ahorro_frente_a_la_referencia(conocidas, client):
    filas = client.get("/api/v1/ahorros/", {"ejercicio": ANIO}).json()
    (sh_computo,) = [
        f
        for f in filas
        if (f["ente_siglas"], f["categoria_clave"]) == ("SH", "computadora-escritorio")
    ]
    assert {c: sh_computo[c] for c in ahorros.CAMPOS_PRECIO} == {
        "partidas_aprobadas": 3,
        "partidas_con_referencia": 2,
        "a_referencia": "166000.00",
        "aprobado_con_referencia": "175001.00",
        "ahorro_referencia": "-9001.00",
        "consolidada_partidas_aprobadas": 1,
        "consolidada_partidas_con_referencia": 1,
        "consolidada_a_referencia": "1200000.00",
        "consolidada_aprobado_con_referencia": "1100000.00",
        "consolidada_ahorro_referencia": "100000.00",
    }


# The open data's columns of the savings against the reference, in the order of ESPERADAS'
# tuples: the ordinary purchases', then the consolidated ones' (prefixed).
COLUMNAS = (
    "partidas_aprobadas",
    "partidas_con_referencia",
    "a_referencia_mxn",
    "aprobado_con_referencia_mxn",
    "ahorro_referencia_mxn",
)


def test_los_datos_abiertos_dan_el_ahorro_frente_a_la_referencia(conocidas, client):
    respuesta = client.get(reverse("datos_conjunto", args=["ahorros"]))
    assert respuesta.status_code == 200
    texto = respuesta.content.decode("utf-8-sig")
    filas = [f for f in csv.DictReader(io.StringIO(texto)) if f["ejercicio"] == str(ANIO)]
    leidas = {}
    for f in filas:
        for prefijo, consolidada in (("", False), ("consolidada_", True)):
            valores = tuple(f[prefijo + c] for c in COLUMNAS)
            if valores[0] != "0":  # a kind of purchase with approved items
                leidas[f["ente_siglas"], f["categoria_clave"], consolidada] = valores
    assert leidas == {k: tuple(str(v) for v in t) for k, t in ESPERADAS.items()}
    # Appended after the older columns: a program that reads by position keeps working.
    encabezado = texto.splitlines()[0].split(",")
    assert encabezado[9:] == [*COLUMNAS, *(f"consolidada_{c}" for c in COLUMNAS)]
    # A negative saving (SH bought its computers over the reference) is valid data.
    esquema = client.get(reverse("datos_esquema", args=["ahorros"])).json()
    informe = TableResource(
        data=list(csv.reader(io.StringIO(texto))),
        schema=frictionless.Schema.from_descriptor(esquema),
    ).validate()
    assert informe.valid, informe.flatten(["type", "fieldName", "message"])
