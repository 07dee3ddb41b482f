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
