"""The quotes' thresholds as written in the rule (issue 92, item 4): a request of «más de»
$500,000.00 (the office's cotizaciones_umbral) needs quotes, a cent each side; and an item
that needs them lacks them with two valid quotes, not with three or four."""

from decimal import Decimal

import pytest

from dictamenes.precios import reglas

UMBRAL = Decimal("500000.00")


@pytest.mark.parametrize(
    ("total", "exigidas"),
    [("499999.99", False), ("500000.00", False), ("500000.01", True)],
)
def test_las_cotizaciones_se_exigen_un_centavo_sobre_el_umbral(total, exigidas):
    assert reglas.cotizaciones_exigidas(total=Decimal(total), umbral=UMBRAL) is exigidas


@pytest.mark.parametrize(("validas", "faltan"), [(2, True), (3, False), (4, False)])
def test_faltan_cotizaciones_con_una_menos_de_tres(validas, faltan):
    assert reglas.cotizaciones_faltan(validas=validas) is faltan


# Out of line: more than atipico_pct (50 %) from the median of the quotes that count. With
# 50, 100 and 150 the median is 100: 50 and 150 are exactly 50 % away and count; a cent
# further (49.99, 150.01) they do not. (tests/dictamenes/precios/test_mutantes_precios.py's
# «justo en el límite» drops the repeated 100.00 first, so its median is 125, not 100.)
@pytest.mark.parametrize(
    ("bajo", "alto", "fuera"),
    [
        ("50.01", "149.99", set()),
        ("50.00", "150.00", set()),
        ("49.99", "150.00", {0}),
        ("50.00", "150.01", {2}),
    ],
)
def test_una_cotizacion_fuera_de_linea_al_centavo(bajo, alto, fuera):
    cotizadas = [
        reglas.Cotizada(pk=i, proveedor=f"Proveedor {i}", precio=Decimal(p), vigente=True)
        for i, p in enumerate((bajo, "100.00", alto))
    ]
    m = reglas.mercado(cotizadas, metodo="mediana", atipico_pct=50)
    assert {i for i, (_c, motivo) in enumerate(m.cotizaciones) if motivo} == fuera
