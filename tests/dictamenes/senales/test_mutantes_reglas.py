"""The signs' rules of dictamenes/senales/reglas.py where the mutation run (issue 92, item 3)
found no test: each case is what the sign says on a request's page."""

from dictamenes.senales import reglas


def test_una_partida_aprobada_de_la_que_nada_se_recibio_difiere_al_terminar_el_contrato():
    # Five approved, nothing received: said as «5 aprobadas, 0 recibidas» once every term
    # ended; before that, the deliveries may still come.
    assert reglas.cantidades_distintas({1: 5}, {}, termino_vencido=True) == {1: (5, 0)}
    assert reglas.cantidades_distintas({1: 1}, {}, termino_vencido=True) == {1: (1, 0)}
    assert reglas.cantidades_distintas({1: 5}, {}, termino_vencido=False) == {}
