"""Three mutants of senales.reglas._razones that survived the run of 2026-11-29 with no test
that told them apart (issue 92, item 3): a ratio of exactly 2, a pair with equal prices before
another pair with a ratio, and which quotes the finding names."""

from decimal import Decimal as D

from dictamenes.senales import reglas
from dictamenes.senales.reglas import Cotizada


def _cotizaciones(precios: dict[str, tuple[str, str]]) -> list[Cotizada]:
    """{supplier: (price of item 1, price of item 2)}, numbered item by item in that order."""
    filas = [(p, n, pr[p - 1]) for p in (1, 2) for n, pr in precios.items()]
    return [
        Cotizada(pk=i, partida=p, proveedor=f"{n}, S.A.", precio=D(pr))
        for i, (p, n, pr) in enumerate(filas, start=1)
    ]


def _halladas(precios):
    return reglas.coincidencias(_cotizaciones(precios), pct=D("0.5"))


def test_el_doble_en_dos_partidas_es_una_razon_como_cualquier_otra():
    en = [h.en for h in _halladas({"Beta": ("100", "300"), "Gama": ("200", "600")})]
    assert en == ["la misma razón de precios (2.000) en 2 partidas"]


def test_precios_iguales_de_un_par_no_ocultan_la_razon_del_par_siguiente():
    # Alfa and Beta quote the same prices (said item by item); Beta and Gama keep a ratio of 1.1.
    precios = {"Alfa": ("100", "300"), "Beta": ("100", "300"), "Gama": ("110", "330")}
    assert "la misma razón de precios (1.100) en 2 partidas" in [h.en for h in _halladas(precios)]


def test_la_razon_se_dice_con_las_cotizaciones_de_la_primera_partida_comun():
    # Beta's and Gama's quotes of item 1 are pks 1 and 2; of item 2, 3 and 4.
    halladas = _halladas({"Beta": ("100", "200"), "Gama": ("120", "240")})
    (hallada,) = [h for h in halladas if "razón" in h.en]
    assert (hallada.a.pk, hallada.b.pk) == (1, 2)
