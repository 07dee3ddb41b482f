"""The signs' rules of dictamenes/senales/reglas.py where the mutation run (issue 92, item 3)
found no test: each case is what the sign says on a request's page."""

from decimal import Decimal as D

from dictamenes.senales import reglas
from dictamenes.senales.reglas import Cotizada


def test_una_partida_aprobada_de_la_que_nada_se_recibio_difiere_al_terminar_el_contrato():
    # Five approved, nothing received: said as «5 aprobadas, 0 recibidas» once every term
    # ended; before that, the deliveries may still come.
    assert reglas.cantidades_distintas({1: 5}, {}, termino_vencido=True) == {1: (5, 0)}
    assert reglas.cantidades_distintas({1: 1}, {}, termino_vencido=True) == {1: (1, 0)}
    assert reglas.cantidades_distintas({1: 5}, {}, termino_vencido=False) == {}


def test_dos_proveedores_que_entregan_el_mismo_archivo_coinciden_en_el_archivo():
    # Two suppliers, prices 50 % apart, nothing else in common but the file each quote came in
    # (its SHA-256): a cover quote, said as «el mismo archivo» on the request's page. Also
    # when the file is what they share with a third supplier's address: the file is said first.
    a = Cotizada(pk=1, partida=1, proveedor="Uno, S.A.", precio=D("100"), archivo="a" * 64)
    b = Cotizada(pk=2, partida=1, proveedor="Dos, S.A.", precio=D("150"), archivo="a" * 64)
    c = Cotizada(pk=3, partida=1, proveedor="Tres, S.A.", precio=D("230"), archivo="c" * 64)
    en = {(h.a.pk, h.b.pk): h.en for h in reglas.coincidencias([a, b, c], pct=D("0.5"))}
    assert en == {(1, 2): "el mismo archivo"}
    b_con_domicilio = Cotizada(
        pk=2, partida=1, proveedor="Dos, S.A.", precio=D("150"), archivo="a" * 64, domicilio="X 1"
    )
    a_con_domicilio = Cotizada(
        pk=1, partida=1, proveedor="Uno, S.A.", precio=D("100"), archivo="a" * 64, domicilio="X 1"
    )
    (h,) = reglas.coincidencias([a_con_domicilio, b_con_domicilio], pct=D("0.5"))
    assert h.en == "el mismo archivo"


def test_un_proveedor_domina_aunque_lo_contratado_en_el_anio_sume_un_peso():
    # Two contracts of $0.60 and $0.40: A has 60 % of the year, over the 50 % of the sign.
    contratos = [("A", D("0.60")), ("B", D("0.40"))]
    assert reglas.dominantes(contratos, pct=50, minimo=2) == {"A": D("60.0")}


def test_una_empresa_que_cotiza_dos_veces_no_oculta_la_cobertura_de_otra():
    # Uno quotes twice (the fewer-quotes sign's matter, not a cover quote); Dos quotes the same
    # price: each of Uno's quotes coincides with Dos's.
    a = Cotizada(pk=1, partida=1, proveedor="Uno, S.A.", precio=D("100"))
    b = Cotizada(pk=2, partida=1, proveedor="UNO SA", precio=D("100"))
    c = Cotizada(pk=3, partida=1, proveedor="Dos, S.A.", precio=D("100"))
    en = {(h.a.pk, h.b.pk): h.en for h in reglas.coincidencias([a, b, c], pct=D("0.5"))}
    assert en == {(1, 3): "precios iguales", (2, 3): "precios iguales"}


def test_la_misma_razon_se_halla_aunque_otro_proveedor_cotice_una_sola_partida():
    # Alfa quotes item 1 only; Beta and Gama quote items 1 and 2, Gama at 1.2 times Beta in
    # both: one supplier covering another across two items.
    cot = [
        Cotizada(pk=1, partida=1, proveedor="Alfa, S.A.", precio=D("50")),
        Cotizada(pk=2, partida=1, proveedor="Beta, S.A.", precio=D("100")),
        Cotizada(pk=3, partida=1, proveedor="Gama, S.A.", precio=D("120")),
        Cotizada(pk=4, partida=2, proveedor="Beta, S.A.", precio=D("200")),
        Cotizada(pk=5, partida=2, proveedor="Gama, S.A.", precio=D("240")),
    ]
    en = [h.en for h in reglas.coincidencias(cot, pct=D("0.5"))]
    assert en == ["la misma razón de precios (1.200) en 2 partidas"]
