"""The signs' pure thresholds at their exact value and one cent or one unit each side (issue
92, item 4), where tests/dictamenes/senales/test_reglas.py and test_calculo.py try them a few
tenths of a percent away: cover quotes «a lo más» 0.5 % apart (in % of the lower price), the
same ratio across items «±0.5 %», a dominant supplier's «más de 60 %» in cents, an agency
with one contract fewer than the minimum, and one unit received of an item not approved."""

from decimal import Decimal

import pytest

from dictamenes.senales import reglas

D = Decimal
PCT = D("0.5")
A, B, C = "Uno, S.A.", "Dos, S.A.", "Tres, S.A."


def _c(pk, partida, proveedor, precio):
    return reglas.Cotizada(pk=pk, partida=partida, proveedor=proveedor, precio=D(precio))


# 0.5 % of 9,800.00 (the lower price) is 49.00: 9,849.00 is exactly 0.5 % above it.
@pytest.mark.parametrize(
    ("otro", "coinciden"), [("9848.99", True), ("9849.00", True), ("9849.01", False)]
)
def test_precios_casi_iguales_a_lo_mas_el_porcentaje_al_centavo(otro, coinciden):
    for a, b in (
        (_c(1, 1, A, "9800.00"), _c(2, 1, B, otro)),
        (_c(1, 1, A, otro), _c(2, 1, B, "9800.00")),
    ):
        halladas = reglas.coincidencias([a, b], pct=PCT)
        assert bool(halladas) is coinciden, (a.precio, b.precio)
    if coinciden:
        assert halladas[0].en.startswith("precios a ")


# B quotes item 1 at 1.1 times A. In item 2 the ratio is 1.1 × 1.005 = 1.1055 (11,055.00
# over 10,000.00): exactly 0.5 % apart from the first; a cent more is past it.
@pytest.mark.parametrize(
    ("segunda", "coinciden"), [("11054.99", True), ("11055.00", True), ("11055.01", False)]
)
def test_la_misma_razon_a_lo_mas_el_porcentaje_al_centavo(segunda, coinciden):
    cotizadas = [
        _c(1, 1, A, "10000.00"),
        _c(2, 1, B, "11000.00"),
        _c(3, 2, A, "10000.00"),
        _c(4, 2, B, segunda),
    ]
    halladas = reglas.coincidencias(cotizadas, pct=PCT)
    assert bool(halladas) is coinciden
    if coinciden:
        assert "la misma razón de precios" in halladas[0].en and "en 2 partidas" in halladas[0].en


@pytest.mark.parametrize(
    ("del_dominante", "domina"),
    [("59999.99", False), ("60000.00", False), ("60000.01", True)],
)
def test_el_proveedor_dominante_pasa_el_porcentaje_al_centavo(del_dominante, domina):
    """«Más de 60 %» of $100,000.00 in all: $60,000.00 is not more, one cent more is."""
    resto = D("100000.00") - D(del_dominante)
    contratos = [("a", D(del_dominante)), ("b", resto / 2), ("c", resto / 2), ("d", D(0))]
    assert ("a" in reglas.dominantes(contratos, pct=60, minimo=4)) is domina


@pytest.mark.parametrize(("cuantos", "se_mide"), [(3, False), (4, True), (5, True)])
def test_el_minimo_de_contratos_del_ente_a_uno_de_cada_lado(cuantos, se_mide):
    """«Con 4 contratos o más»: the supplier has 90 % in each case."""
    contratos = [("a", D(90))] + [("b", D(10) / (cuantos - 1))] * (cuantos - 1)
    assert ("a" in reglas.dominantes(contratos, pct=60, minimo=4)) is se_mide


@pytest.mark.parametrize(
    ("recibidas", "distinta"), [({2: 0}, False), ({2: 1}, True), ({2: 2}, True)]
)
def test_una_unidad_recibida_de_una_partida_no_aprobada_ya_difiere(recibidas, distinta):
    resultado = reglas.cantidades_distintas({1: 10}, {1: 10, **recibidas}, termino_vencido=True)
    assert (2 in resultado) is distinta


@pytest.mark.parametrize(
    ("recibida", "antes", "al_terminar"), [(9, False, True), (10, False, False), (11, True, True)]
)
def test_lo_recibido_contra_lo_aprobado_a_una_unidad(recibida, antes, al_terminar):
    aprobadas = {1: 10}
    assert (
        1 in reglas.cantidades_distintas(aprobadas, {1: recibida}, termino_vencido=False)
    ) is antes
    assert (
        1 in reglas.cantidades_distintas(aprobadas, {1: recibida}, termino_vencido=True)
    ) is al_terminar
