"""The law's price tests (issue 76, item 5), pure: dictamenes.precios.ley. Every expected value
is worked out by hand in the test. The quotes 100 / 110 / 150: mean 120, median 110."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from dictamenes.precios import ley
from dictamenes.precios.selectors import PrecioDePartida

COTIZACIONES = [D("100"), D("110"), D("150")]


def test_el_valor_central_es_la_media_o_la_mediana_al_centavo():
    assert ley.valor_central(COTIZACIONES, "media") == D("120.00")
    assert ley.valor_central(COTIZACIONES, "mediana") == D("110.00")
    # 100, 110, 125: the mean 111.666… is printed to the cent.
    assert ley.valor_central([D("100"), D("110"), D("125")], "media") == D("111.67")
    assert ley.valor_central([], "media") is None


# Issue 93, item 6: quotes whose mean, 299.99 / 3 = 99.99666… (29999/300), prints as $100.00.
# Worked by hand against that exact centre, with the limits +10 % and −40 %:
# - 110.00 × 300 / 29999 = 1.1000367: +10.0037 %, not acceptable (against the printed $100.00
#   it would be exactly +10 %, acceptable); printed «10.004 %», the first figure past 10;
# - 109.99: +9.9937 %, acceptable («10.0 %», at the limit as printed, and within it);
# - 59.998 × 300 / 29999 = 0.6 exactly: −40 %, still convenient (against $100.00 it would be
#   below 60.00, not convenient);
# - 59.997: −40.0010 %, not convenient («−40.001 %»).
CASI_CIEN = [D("100.00"), D("100.00"), D("99.99")]


@pytest.mark.parametrize(
    ("precio", "esperado", "pct"),
    [
        (D("110.00"), ley.NO_ACEPTABLE, D("10.004")),
        (D("109.99"), ley.ACEPTABLE, D("10.0")),
        (D("59.998"), ley.ACEPTABLE, D("-40.0")),
        (D("59.997"), ley.NO_CONVENIENTE, D("-40.001")),
    ],
)
def test_la_ley_compara_el_centro_exacto_no_el_impreso(precio, esperado, pct):
    prueba = ley.prueba(
        precio, CASI_CIEN, centro="media", no_aceptable_pct=10, no_conveniente_pct=40
    )
    assert (prueba.veredicto, prueba.valor, prueba.pct) == (esperado, D("100.00"), pct)
    # The same tests against the printed centre would say otherwise at +10 %.
    assert (
        ley.veredicto(D("110.00"), valor=D("100.00"), no_aceptable_pct=10, no_conveniente_pct=40)
        == ley.ACEPTABLE
    )
    # As the decision keeps it, and as the dictamen prints it from what was kept.
    kept = prueba.base()
    assert kept["exacto"] == "29999/300" and kept["valor"] == "100.00"
    assert ley.desde_base(kept, precio).texto == prueba.texto


def test_el_texto_dice_de_que_lado_del_limite_queda():
    prueba = ley.prueba(
        D("110.00"), CASI_CIEN, centro="media", no_aceptable_pct=10, no_conveniente_pct=40
    )
    assert prueba.texto == (
        "precio no aceptable: 10.004 % sobre la media de las cotizaciones válidas ($100.00; "
        "no aceptable por encima de +10 %, no conveniente por debajo de −40 %)"
    )
    # The median of 100.00, 100.00 and 99.99 is 100.00 exactly: 110.00 is at the limit.
    por_mediana = ley.prueba(
        D("110.00"), CASI_CIEN, centro="mediana", no_aceptable_pct=10, no_conveniente_pct=40
    )
    assert (por_mediana.veredicto, por_mediana.pct) == (ley.ACEPTABLE, D("10.0"))


@pytest.mark.parametrize(
    ("precio", "esperado"),
    [
        # Against 100: exactly +10 % (110.00) is acceptable, a cent more is not.
        (D("110.00"), ley.ACEPTABLE),
        (D("110.01"), ley.NO_ACEPTABLE),
        # Exactly −40 % (60.00) is convenient, a cent less is not.
        (D("60.00"), ley.ACEPTABLE),
        (D("59.99"), ley.NO_CONVENIENTE),
        (D("100.00"), ley.ACEPTABLE),
    ],
)
def test_los_limites_de_la_ley(precio, esperado):
    assert (
        ley.veredicto(precio, valor=D("100.00"), no_aceptable_pct=10, no_conveniente_pct=40)
        == esperado
    )


def test_la_media_y_la_mediana_dan_veredictos_distintos():
    # 125 against the median 110: +13.6 %, over +10 % -> no aceptable. Against the mean 120:
    # +4.2 % -> acceptable.
    por_mediana = ley.prueba(
        D("125"), COTIZACIONES, centro="mediana", no_aceptable_pct=10, no_conveniente_pct=40
    )
    por_media = ley.prueba(
        D("125"), COTIZACIONES, centro="media", no_aceptable_pct=10, no_conveniente_pct=40
    )
    assert (por_mediana.veredicto, por_mediana.valor, por_mediana.pct) == (
        ley.NO_ACEPTABLE,
        D("110.00"),
        D("13.6"),
    )
    assert (por_media.veredicto, por_media.valor, por_media.pct) == (
        ley.ACEPTABLE,
        D("120.00"),
        D("4.2"),
    )
    # 70 against the mean 120: −41.7 % -> no conveniente; against the median 110: −36.4 %.
    assert (
        ley.prueba(
            D("70"), COTIZACIONES, centro="media", no_aceptable_pct=10, no_conveniente_pct=40
        ).veredicto
        == ley.NO_CONVENIENTE
    )
    assert (
        ley.prueba(
            D("70"), COTIZACIONES, centro="mediana", no_aceptable_pct=10, no_conveniente_pct=40
        ).veredicto
        == ley.ACEPTABLE
    )


def test_sin_cotizaciones_validas_no_hay_prueba():
    sin = ley.prueba(D("70"), [], centro="media", no_aceptable_pct=10, no_conveniente_pct=40)
    assert sin is None


def test_el_texto_de_la_prueba():
    p = ley.prueba(
        D("125"), COTIZACIONES, centro="mediana", no_aceptable_pct=10, no_conveniente_pct=40
    )
    assert p.texto == (
        "precio no aceptable: 13.6 % sobre la mediana de las cotizaciones válidas ($110.00; "
        "no aceptable por encima de +10 %, no conveniente por debajo de −40 %)"
    )


def test_la_partida_dice_si_su_precio_no_es_aceptable():
    """The property another rule reads (approving an item needs its reason)."""

    def precio(prueba):
        return PrecioDePartida(
            partida=SimpleNamespace(),
            referencia=None,
            mercado=None,
            posicion=None,
            ley=prueba,
        )

    caro = ley.prueba(
        D("125"), COTIZACIONES, centro="mediana", no_aceptable_pct=10, no_conveniente_pct=40
    )
    barato = ley.prueba(
        D("60"), COTIZACIONES, centro="mediana", no_aceptable_pct=10, no_conveniente_pct=40
    )
    assert precio(caro).no_aceptable is True
    assert precio(barato).no_aceptable is False
    assert precio(None).no_aceptable is False
