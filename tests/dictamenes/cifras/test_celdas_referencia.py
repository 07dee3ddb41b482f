"""The cells of a row of savings against the reference on the indicators (the
`celdas_referencia` tag): what the page printed before through an include per row. Since
issue 76: with reference / what was requested above it / what the review cut of it / share."""

from decimal import Decimal

from django.template import Context, Template


def _celdas(**fila) -> str:
    plantilla = Template("{% load etiquetas %}{% celdas_referencia f %}")
    return plantilla.render(Context({"f": fila}))


def test_las_cuentas_llevan_comas_de_miles_y_los_montos_en_pesos():
    assert _celdas(
        partidas_con_referencia=1234,
        partidas_aprobadas=10068,
        a_referencia=Decimal("1500000.5"),
        aprobado_con_referencia=Decimal("1250000.00"),
        sobre_referencia=Decimal("1500000.5"),
        ahorro_referencia=Decimal("250000.50"),
        pct_ahorro_referencia=Decimal("16.7"),
    ) == (
        '<td class="num">1,234 de 10,068</td><td class="num">$1,500,000.50</td>'
        '<td class="num">$250,000.50</td><td class="num">16.7 %</td>'
    )


def test_sin_nada_sobre_la_referencia_no_hay_porcentaje():
    assert _celdas(
        partidas_con_referencia=3,
        partidas_aprobadas=3,
        a_referencia=Decimal("9000.00"),
        aprobado_con_referencia=Decimal("8000.00"),
        sobre_referencia=Decimal("0.00"),
        ahorro_referencia=Decimal("0.00"),
        pct_ahorro_referencia=None,
    ).endswith('<td class="num">$0.00</td><td class="num">$0.00</td><td class="num">—</td>')
