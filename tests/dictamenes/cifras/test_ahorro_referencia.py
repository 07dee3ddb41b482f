"""Savings against the reference prices (issue 62, item 6; defined again in issue 76, item 7:
what the review cut of the price above the reference), on a known set of decisions: the
selector, the indicators page, the API and the open data give the figures worked out by hand
below and by a loop over the raw rows that shares nothing with the selector, and the
consolidated purchases stay apart.

The known set, fiscal year 2030 (referencia_unitaria as the decision kept it). Per item:
saving = (max(requested unit − reference, 0) − max(approved unit − reference, 0)) × approved
quantity; above the reference = max(requested unit − reference, 0) × approved quantity.
- SH, favorable:
  · cómputo 10 × $15,000.00 approved unchanged, reference $14,000.00: saving 0, above
    $10,000.00 (approved above the reference as asked: nothing cut);
  · cómputo 4 × $12,500.50 reduced to 2 for $25,001.00, reference $13,000.00: below the
    reference, 0 and 0;
  · cómputo 2 × $9,000.00 approved without reference: not counted;
  · cómputo 2 × $37,500.00 cut to the reference $18,746.00 (2 for $37,492.00): saving
    (37,500 − 18,746) × 2 = $37,508.00, above $37,508.00 (the issue's cut);
  · switch 3 × $20,000.00 not approved (reference $21,000.00): not counted;
  · switch 1 × $30,000.00 approved, reference $31,500.50: 0 and 0;
  · switch 4 × $12,000.00 reduced partway to $11,000.00 (4 for $44,000.00), reference
    $10,000.00: saving (2,000 − 1,000) × 4 = $4,000.00, above $8,000.00.
- SH, consolidated purchase, favorable: cómputo 100 × $11,000.00, reference $12,000.00: 0 and
  0; cómputo 10 × $1,500.00 cut to 6 at the reference $1,200.00 ($7,200.00): saving and above
  300 × 6 = $1,800.00.
- RC, favorable before decisions per item: cómputo 5 × $10,000.00 (approved, no reference).
- RC, no favorable: switch 2 × $8,000.00 «approved» for $10,000.00 with reference $5,000.00:
  counts nothing (it would add $6,000.00).
- SH, cancelled dictamen: cómputo 1 × $15,000.00 cut to the reference $9,999.00: not counted
  (it would add $5,001.00).
"""

import csv
import datetime
import io
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import frictionless
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from frictionless.resources import TableResource

from dictamenes.cifras.selectors import ahorros
from dictamenes.models import DecisionPartida, Dictamen, Ente, Partida, Solicitud
from publico.ahorros import AHORROS
from tests.conocidos import dictamen_registrado, solicitud
from tests.dictamenes.cifras.test_ahorros import (
    ANIO,
    TZ,
    E,
    _decidir,
    _dictamen,
    _partida,
    _solicitud,
)
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
        _partida(sh, "computo", 2, "37500.00"), R.REDUCIDA, "18746.00", cantidad=2, monto="37492"
    )
    _con_referencia(
        _partida(sh, "redes", 3, "20000.00"), R.NO_APROBADA, "21000.00", cantidad=0, monto="0"
    )
    _con_referencia(_partida(sh, "redes", 1, "30000.00"), R.APROBADA, "31500.50")
    _con_referencia(
        _partida(sh, "redes", 4, "12000.00"), R.REDUCIDA, "10000.00", cantidad=4, monto="44000"
    )
    consolidada = _solicitud("SH")
    consolidada.compra_consolidada = True
    consolidada.save(update_fields=["compra_consolidada"])
    _dictamen(consolidada, "favorable")
    _con_referencia(_partida(consolidada, "computo", 100, "11000.00"), R.APROBADA, "12000.00")
    _con_referencia(
        _partida(consolidada, "computo", 10, "1500.00"),
        R.REDUCIDA,
        "1200.00",
        cantidad=6,
        monto="7200",
    )
    rc = _solicitud("RC")
    _partida(rc, "computo", 5, "10000.00")
    _dictamen(rc, "favorable")
    rc_no = _solicitud("RC", resultado="no_favorable")
    _dictamen(rc_no, "no_favorable")
    _con_referencia(
        _partida(rc_no, "redes", 2, "8000.00"), R.REDUCIDA, "5000.00", cantidad=2, monto="10000"
    )
    cancelada = _solicitud("SH")
    _dictamen(cancelada, "favorable", cancelado=True)
    _con_referencia(
        _partida(cancelada, "computo", 1, "15000.00"),
        R.REDUCIDA,
        "9999.00",
        cantidad=1,
        monto="9999",
    )


def _a_mano() -> dict:
    """The figures by a plain loop over the rows, sharing nothing with the selector: per
    (agency, category, consolidated?) [approved items, with reference, at reference, approved
    of those, saving, above the reference], each item's saving and excess in exact fractions
    from its unit prices (the approved one is the amount over the quantity)."""
    cifras: dict[tuple, list] = {}
    for p in Partida.objects.filter(solicitud__ejercicio=ANIO).select_related(
        "solicitud__ente", "perfil__categoria"
    ):
        en_vigor = Dictamen.objects.filter(solicitud=p.solicitud, cancelado_en=None).first()
        if en_vigor is None or en_vigor.resultado == "no_favorable":
            continue
        d = DecisionPartida.objects.filter(partida=p).first()
        clave = (p.solicitud.ente.siglas, p.perfil.categoria.clave, p.solicitud.compra_consolidada)
        fila = cifras.setdefault(clave, [0, 0, Fraction(0), Fraction(0), Fraction(0), Fraction(0)])
        if d is None or d.cantidad_aprobada > 0:
            fila[0] += 1
        if d is not None and d.cantidad_aprobada > 0 and d.referencia_unitaria is not None:
            referencia = Fraction(d.referencia_unitaria)
            solicitado = Fraction(p.precio_unitario)
            aprobado = Fraction(d.monto_aprobado) / d.cantidad_aprobada
            sobre = max(solicitado - referencia, 0) * d.cantidad_aprobada
            queda = max(aprobado - referencia, 0) * d.cantidad_aprobada
            fila[1] += 1
            fila[2] += referencia * d.cantidad_aprobada
            fila[3] += Fraction(d.monto_aprobado)
            fila[4] += sobre - queda
            fila[5] += sobre
    return {k: (n, con, *(_centavos(v) for v in montos)) for k, (n, con, *montos) in cifras.items()}


def _centavos(valor: Fraction) -> str:
    exacto = Decimal(valor.numerator) / Decimal(valor.denominator)
    return str(exacto.quantize(Decimal("0.01"), ROUND_HALF_UP))


# The same figures, by hand (the module's docstring): (approved, with reference, at reference,
# approved, saving, above the reference).
ESPERADAS = {
    ("SH", "computadora-escritorio", False): (
        4,
        3,
        "203492.00",
        "212493.00",
        "37508.00",
        "47508.00",
    ),
    ("SH", "switch", False): (2, 2, "71500.50", "74000.00", "4000.00", "8000.00"),
    ("SH", "computadora-escritorio", True): (
        2,
        2,
        "1207200.00",
        "1107200.00",
        "1800.00",
        "1800.00",
    ),
    ("RC", "computadora-escritorio", False): (1, 0, "0.00", "0.00", "0.00", "0.00"),
}
CAMPOS = (
    "partidas_aprobadas",
    "partidas_con_referencia",
    "a_referencia",
    "aprobado_con_referencia",
    "ahorro_referencia",
    "sobre_referencia",
)


def _leidas(filas) -> dict:
    return {
        (f["ente_siglas"], f["categoria_clave"], f["consolidada"]): tuple(
            f[c] if c.startswith("partidas") else str(f[c]) for c in CAMPOS
        )
        for f in ahorros.frente_a_referencia(filas, por=("ente_siglas", "categoria_clave"))
    }


def test_el_ahorro_frente_a_la_referencia_es_el_de_un_recuento_a_mano(conocidas):
    a_mano = {
        k: tuple(str(v) if isinstance(v, Decimal) else v for v in t) for k, t in _a_mano().items()
    }
    assert a_mano == ESPERADAS
    assert _leidas(ahorros.por_ente_y_categoria(ejercicio=ANIO)) == ESPERADAS


# One item alone in its own fiscal year, each case of the definition: (requested unit price,
# quantity, reference, approved quantity, approved amount) → (saving, above the reference),
# worked out by hand.
CASOS = {
    # Cut to the reference, the issue's: (37,500 − 18,746) × 2 = 37,508; nothing left above.
    "reducida-a-la-referencia": (
        ("37500.00", 2, "18746.00", 2, "37492.00"),
        ("37508.00", "37508.00", "100.0"),
    ),
    # Approved above the reference as asked: nothing cut of its (15,000 − 14,000) × 10.
    "aprobada-sobre-la-referencia": (
        ("15000.00", 10, "14000.00", 10, "150000.00"),
        ("0.00", "10000.00", "0.0"),
    ),
    # Below the reference: nothing above it, nothing to cut (fewer pieces approved).
    "bajo-la-referencia": (("12500.50", 4, "13000.00", 2, "25001.00"), ("0.00", "0.00", None)),
    # Reduced partway: 12,000 → 11,000 against 10,000: (2,000 − 1,000) × 4 = 4,000 of 8,000.
    "reducida-a-medias": (
        ("12000.00", 4, "10000.00", 4, "44000.00"),
        ("4000.00", "8000.00", "50.0"),
    ),
    # Fewer pieces at the price asked: the excess counts by the approved quantity, none cut.
    "menos-piezas-al-precio-pedido": (
        ("20000.00", 5, "15000.00", 2, "40000.00"),
        ("0.00", "10000.00", "0.0"),
    ),
}


@pytest.mark.parametrize("caso", list(CASOS))
def test_cada_caso_suma_lo_que_la_revision_recorto_sobre_la_referencia(demo, caso):
    (precio, cantidad, referencia, aprobada, monto), esperado = CASOS[caso]
    anio = 2031
    s = solicitud(
        Ente.objects.get(siglas="SH"), anio=anio, mes=3, estado=E.DICTAMINADA, resultado="favorable"
    )
    s.save()
    dictamen_registrado(s, emitido_en=datetime.datetime(anio, 4, 1, 10, tzinfo=TZ))
    _con_referencia(
        _partida(s, "computo", cantidad, precio),
        R.REDUCIDA
        if (aprobada, Decimal(monto)) != (cantidad, cantidad * Decimal(precio))
        else R.APROBADA,
        referencia,
        cantidad=aprobada,
        monto=monto,
    )
    (total,) = ahorros.totales(ahorros.por_ente_y_categoria(ejercicio=anio))
    pct = total["pct_ahorro_referencia"]
    assert (
        str(total["ahorro_referencia"]),
        str(total["sobre_referencia"]),
        None if pct is None else str(pct),
    ) == esperado


def test_una_compra_consolidada_con_referencia_cuenta_aunque_las_del_ente_no_tengan(demo, client):
    """The agency's own purchase of the category had no reference, its consolidated one did: the
    year's consolidated row still shows what the review cut (each group's sums against the
    reference are added only when it has some, of either kind)."""
    anio = 2032
    sh = Ente.objects.get(siglas="SH")
    for consolidada in (False, True):
        s = solicitud(sh, anio=anio, mes=3, estado=E.DICTAMINADA, resultado="favorable")
        s.compra_consolidada = consolidada
        s.save()
        dictamen_registrado(s, emitido_en=datetime.datetime(anio, 4, 1, 10, tzinfo=TZ))
        partida = _partida(s, "computo", 2, "37500.00")
        if consolidada:
            _con_referencia(partida, R.REDUCIDA, "18746.00", cantidad=2, monto="37492")
    client.force_login(usuario("auditor"))
    html = client.get(reverse("indicadores"), {"ejercicio": anio}).content.decode()
    assert (
        f'<th scope="row">{anio}</th><td>Consolidada</td><td class="num">1 de 1</td>'
        '<td class="num">$37,508.00</td><td class="num">$37,508.00</td>'
        '<td class="num">100.0 %</td>'
    ) in html


def test_la_pagina_da_el_ahorro_frente_a_la_referencia_y_las_consolidadas_aparte(conocidas, client):
    client.force_login(usuario("auditor"))
    html = client.get(reverse("indicadores"), {"ejercicio": ANIO}).content.decode()
    # The year: SH's and RC's own purchases together (5 of their 7 approved items had a
    # reference; 41,508 cut of 55,508 above it), and the consolidated purchase in its own row.
    assert (
        f'<th scope="row">{ANIO}</th><td>Por ente</td><td class="num">5 de 7</td>'
        '<td class="num">$55,508.00</td><td class="num">$41,508.00</td>'
        '<td class="num">74.8 %</td>'
    ) in html
    assert (
        f'<th scope="row">{ANIO}</th><td>Consolidada</td><td class="num">2 de 2</td>'
        '<td class="num">$1,800.00</td><td class="num">$1,800.00</td>'
        '<td class="num">100.0 %</td>'
    ) in html
    detalle = html.split('id="ahorro-referencia-detalle"')[1]
    assert '<td>Consolidada</td><td class="num">2 de 2</td>' in detalle
    assert (
        '<td class="num">3 de 4</td><td class="num">$47,508.00</td>'
        '<td class="num">$37,508.00</td><td class="num">79.0 %</td>'
    ) in detalle
    assert f'<p class="ayuda">{escape(str(ahorros.DEFINICION_REFERENCIA))}</p>' in html


def test_la_api_da_el_ahorro_frente_a_la_referencia(conocidas, client):
    filas = client.get("/api/v1/ahorros/", {"ejercicio": ANIO}).json()
    (sh_computo,) = [
        f
        for f in filas
        if (f["ente_siglas"], f["categoria_clave"]) == ("SH", "computadora-escritorio")
    ]
    assert {c: sh_computo[c] for c in ahorros.CAMPOS_PRECIO} == {
        "partidas_aprobadas": 4,
        "partidas_con_referencia": 3,
        "a_referencia": "203492.00",
        "aprobado_con_referencia": "212493.00",
        "ahorro_referencia": "37508.00",
        "consolidada_partidas_aprobadas": 2,
        "consolidada_partidas_con_referencia": 2,
        "consolidada_a_referencia": "1207200.00",
        "consolidada_aprobado_con_referencia": "1107200.00",
        "consolidada_ahorro_referencia": "1800.00",
        "sobre_referencia": "47508.00",
        "consolidada_sobre_referencia": "1800.00",
    }


# The open data's columns of the savings against the reference, in the order of ESPERADAS'
# tuples: the ordinary purchases', then the consolidated ones' (prefixed).
COLUMNAS = tuple(c if c.startswith("partidas") else f"{c}_mxn" for c in CAMPOS)


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
    # Appended after the older columns (issue 62's, then issue 76's): a program that reads by
    # position keeps working.
    encabezado = texto.splitlines()[0].split(",")
    de_62 = COLUMNAS[:5]
    assert encabezado[9:] == [
        *de_62,
        *(f"consolidada_{c}" for c in de_62),
        "sobre_referencia_mxn",
        "consolidada_sobre_referencia_mxn",
    ]
    esquema = client.get(reverse("datos_esquema", args=["ahorros"])).json()
    informe = TableResource(
        data=list(csv.reader(io.StringIO(texto))),
        schema=frictionless.Schema.from_descriptor(esquema),
    ).validate()
    assert informe.valid, informe.flatten(["type", "fieldName", "message"])


def _una_linea(texto: str) -> str:
    return " ".join(texto.split())


def test_la_definicion_se_dice_igual_donde_se_muestra(db, client):
    """One sentence: the page (above), the open data's schema and description, the API's
    schema and the manual say the same DEFINICION_REFERENCIA."""
    definicion = str(ahorros.DEFINICION_REFERENCIA)
    esquema = client.get(reverse("datos_esquema", args=["ahorros"])).json()
    campos = {c["name"]: c["description"] for c in esquema["fields"]}
    for columna in ("ahorro_referencia_mxn", "consolidada_ahorro_referencia_mxn"):
        assert campos[columna].startswith(definicion + " De las partidas con referencia ")
    assert str(AHORROS.descripcion).endswith(definicion)
    api = client.get("/api/v1/esquema/", HTTP_ACCEPT="application/json").json()
    ahorro = api["components"]["schemas"]["Ahorro"]["properties"]["ahorro_referencia"]
    assert ahorro["description"] == definicion + " De las partidas con referencia, en pesos."
    manual = (Path(settings.BASE_DIR) / "docs/integracion/datos-abiertos.md").read_text()
    assert definicion in _una_linea(manual)


def test_la_reduccion_a_la_referencia_por_sus_puertas_ahorra_lo_calculado_a_mano(demo, client):
    """The issue's walk through the doors: three purchases of the profile give a reference of
    $18,746.00 a piece; an item of 2 × $37,500.00 is cut to it with «Reducir a la referencia»
    and the dictamen signed. On /indicadores/, its year's savings against the reference are
    (37,500 − 18,746) × 2 = $37,508.00 of the same $37,508.00 above it: 100 % (the old
    definition said 2 × 18,746 − 37,492 = $0.00)."""
    from django.core.management import call_command
    from django.utils import timezone

    from dictamenes.precios.selectors.partidas import precios_de_partidas
    from dictamenes.tramite.services import decisiones as decisiones_servicio
    from tests.dictamenes.flujo_utils import decidir, firmar, revisada
    from tests.publico.test_rehacer_referencia import _compra

    for siglas, precio in (("SH", "18000.00"), ("RC", "18746.00"), ("ICRESON", "19500.00")):
        _compra(
            "computo", "pieza", None, siglas, precio, timezone.now() - datetime.timedelta(days=30)
        )
    call_command("precios_recalcular", "--reconstruir", stdout=io.StringIO())
    pedida = revisada(areas=("computo",))
    pedida.partidas.update(precio_unitario=Decimal("37500.00"))
    # A fiscal year of its own: the demo's requests of this year are not in its figures.
    Solicitud.objects.filter(pk=pedida.pk).update(ejercicio=2032)
    (partida,) = pedida.partidas.select_related("perfil__categoria")
    precio = precios_de_partidas(solicitud=pedida, partidas=[partida])[partida.pk]
    reduccion = decisiones_servicio.reduccion_a_referencia(partida=partida, precio=precio)
    assert reduccion["monto"] == Decimal("37492.00")
    firmar(decidir(pedida, partidas={partida.pk: reduccion}))
    client.force_login(usuario("auditor"))
    html = client.get(reverse("indicadores"), {"ejercicio": 2032}).content.decode()
    assert (
        '<th scope="row">2032</th><td>Por ente</td><td class="num">1 de 1</td>'
        '<td class="num">$37,508.00</td><td class="num">$37,508.00</td>'
        '<td class="num">100.0 %</td>'
    ) in html
