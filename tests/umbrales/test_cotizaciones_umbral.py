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
