"""The rules of price (issue 62), checked against figures worked out by hand here: units, the
reference's median and quartiles, the minimum, the market price of a set of quotes, and the
flag."""

from decimal import Decimal

import pytest

from dictamenes.precios import reglas

D = Decimal


def cuartil_a_mano(valores, p):
    """The inclusive quantile (a spreadsheet's QUARTILE.INC): position (n − 1)·p in the
    sorted list, between its two neighbours."""
    orden = sorted(valores)
    h = (len(orden) - 1) * p
    abajo = int(h)
    arriba = min(abajo + 1, len(orden) - 1)
    return orden[abajo] + (orden[arriba] - orden[abajo]) * (h - abajo)


def test_cada_unidad_se_compara_en_la_suya():
    # Three years of a data centre: $5,400,000 → $150,000 a month.
    assert reglas.normalizar(D("5400000"), "servicio", 36) == D("150000.0000")
    # A licence for two years at $3,200 → $1,600 a licence-year.
    assert reglas.normalizar(D("3200"), "licencia", 24) == D("1600.0000")
    assert reglas.normalizar(D("15000"), "pieza", None) == D("15000.0000")
    # And back, in the item's own unit.
    assert reglas.en_unidad_de(D("150000"), "servicio", 36) == D("5400000.00")


@pytest.mark.parametrize(
    "precios",
    [
        [D(10), D(20), D(30)],
        [D(15000), D(14000), D(16500), D(30000)],
        [D(7), D(1), D(3), D(9), D(5), D(11), D(2)],
    ],
)
def test_mediana_y_cuartiles_son_los_de_la_hoja_de_calculo(precios):
    c = reglas.cifras(precios)
    assert c.compras == len(precios)
    assert c.minimo == min(precios) and c.maximo == max(precios)
    assert c.mediana == cuartil_a_mano(precios, D("0.5")).quantize(D("0.0001"))
    assert c.cuartil_1 == cuartil_a_mano(precios, D("0.25")).quantize(D("0.0001"))
    assert c.cuartil_3 == cuartil_a_mano(precios, D("0.75")).quantize(D("0.0001"))


def test_sin_tres_compras_de_dos_entes_no_hay_referencia():
    assert not reglas.suficiente(compras=2, entes=2)
    assert not reglas.suficiente(compras=9, entes=1)
    assert reglas.suficiente(compras=3, entes=2)


def cotizada(precio, vigente=True, pk=None):
    # One supplier per price: the same supplier twice counts once (issue 76, item 3).
    return reglas.Cotizada(
        pk=pk, proveedor=f"Proveedora {precio}, S.A. de C.V.", precio=D(precio), vigente=vigente
    )


def test_el_precio_de_mercado_deja_fuera_la_vencida_y_la_fuera_de_linea():
    cotizaciones = [cotizada(100), cotizada(110), cotizada(120), cotizada(400), cotizada(50, False)]
    mercado = reglas.mercado(cotizaciones, metodo="mediana", atipico_pct=50)
    motivos = {c.precio: motivo for c, motivo in mercado.cotizaciones}
    # The median of the valid four is 115: 400 is 248 % away, 100–120 within 50 %.
    assert motivos[D(400)].startswith("fuera de línea")
    assert motivos[D(50)] == "vencida"
    assert [c.precio for c in mercado.validas] == [D(100), D(110), D(120)]
    assert mercado.precio == D("110.00")
    assert reglas.mercado(cotizaciones, metodo="media", atipico_pct=50).precio == D("110.00")
    assert reglas.mercado(cotizaciones, metodo="menor", atipico_pct=50).precio == D("100.00")
    # A looser rule keeps the high one: the median of the four.
    assert reglas.mercado(cotizaciones, metodo="mediana", atipico_pct=300).precio == D("115.00")


def test_sin_cotizaciones_validas_no_hay_precio_de_mercado():
    assert reglas.mercado([], metodo="mediana", atipico_pct=50).precio is None
    assert reglas.mercado([cotizada(10, False)], metodo="media", atipico_pct=50).precio is None


def test_la_senal_es_pasar_la_mediana_en_mas_del_porcentaje():
    ref = {"mediana": D(100), "cuartil_1": D(90), "cuartil_3": D(110), "minimo": D(80)}
    assert not reglas.posicion(D(125), **ref, senal_pct=25).senalada  # exactly 25 %: within
    alta = reglas.posicion(D("125.01"), **ref, senal_pct=25)
    assert alta.senalada and alta.banda == "sobre"
    assert alta.texto == "25 % sobre la mediana, por encima del tercer cuartil"
    doble = reglas.posicion(D(200), **ref, senal_pct=25)
    assert doble.pct == D("100.0") and doble.senalada
    assert reglas.posicion(D(95), **ref, senal_pct=25).banda == "en_rango"
    assert reglas.posicion(D(85), **ref, senal_pct=25).banda == "bajo"
    bajo = reglas.posicion(D(70), **ref, senal_pct=25)
    assert bajo.banda == "bajo_minimo" and not bajo.senalada
    assert bajo.texto == "30 % bajo la mediana, por debajo del menor precio de referencia"
