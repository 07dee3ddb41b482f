"""Three mutants of senales.reglas._razones that survived the run of 2026-11-29 with no test
that told them apart (issue 92, item 3): a ratio of exactly 2, a pair with equal prices before
another pair with a ratio, and which quotes the finding names."""

from decimal import Decimal as D

from dictamenes.senales import reglas
from dictamenes.senales.reglas import Cotizada


def _en(cotizaciones, pct="0.5"):
    return [h.en for h in reglas.coincidencias(cotizaciones, pct=D(pct))]


def test_el_doble_en_dos_partidas_es_una_razon_como_cualquier_otra():
    cot = [
        Cotizada(pk=1, partida=1, proveedor="Beta, S.A.", precio=D("100")),
        Cotizada(pk=2, partida=1, proveedor="Gama, S.A.", precio=D("200")),
        Cotizada(pk=3, partida=2, proveedor="Beta, S.A.", precio=D("300")),
        Cotizada(pk=4, partida=2, proveedor="Gama, S.A.", precio=D("600")),
    ]
    assert _en(cot) == ["la misma razón de precios (2.000) en 2 partidas"]


def test_precios_iguales_de_un_par_no_ocultan_la_razon_del_par_siguiente():
    # Alfa and Beta quote the same prices (said item by item); Beta and Gama keep a ratio of 1.1.
    cot = [
        Cotizada(pk=1, partida=1, proveedor="Alfa, S.A.", precio=D("100")),
        Cotizada(pk=2, partida=1, proveedor="Beta, S.A.", precio=D("100")),
        Cotizada(pk=3, partida=1, proveedor="Gama, S.A.", precio=D("110")),
        Cotizada(pk=4, partida=2, proveedor="Alfa, S.A.", precio=D("300")),
        Cotizada(pk=5, partida=2, proveedor="Beta, S.A.", precio=D("300")),
        Cotizada(pk=6, partida=2, proveedor="Gama, S.A.", precio=D("330")),
    ]
    assert "la misma razón de precios (1.100) en 2 partidas" in _en(cot)


def test_la_razon_se_dice_con_las_cotizaciones_de_la_primera_partida_comun():
    cot = [
        Cotizada(pk=1, partida=1, proveedor="Beta, S.A.", precio=D("100")),
        Cotizada(pk=2, partida=1, proveedor="Gama, S.A.", precio=D("120")),
        Cotizada(pk=3, partida=2, proveedor="Beta, S.A.", precio=D("200")),
        Cotizada(pk=4, partida=2, proveedor="Gama, S.A.", precio=D("240")),
    ]
    (hallada,) = [h for h in reglas.coincidencias(cot, pct=D("0.5")) if "razón" in h.en]
    assert (hallada.a.pk, hallada.b.pk) == (1, 2)
