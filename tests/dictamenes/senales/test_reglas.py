"""The signs' pure rules (dictamenes.senales.reglas), with data that tells each rule from its
likely bug: a share over the threshold against one at it, an agency with fewer contracts than
the minimum, the first day of the year's closing window and the day before it, more received
than approved at once and fewer only once the terms ended."""

import datetime
from decimal import Decimal

from dictamenes.senales import reglas

D = Decimal


def test_un_proveedor_domina_cuando_pasa_el_porcentaje_no_cuando_lo_iguala():
    # 60 of 100 is not «more than 60 %»; 61 of 100 is.
    iguala = [("a", D(60)), ("b", D(20)), ("c", D(10)), ("d", D(10))]
    pasa = [("a", D(61)), ("b", D(19)), ("c", D(10)), ("d", D(10))]
    assert reglas.dominantes(iguala, pct=60, minimo=4) == {}
    assert reglas.dominantes(pasa, pct=60, minimo=4) == {"a": D("61.0")}


def test_la_concentracion_suma_los_contratos_de_cada_proveedor():
    # a has three small contracts that together are 70 %: by the largest single contract it
    # would not dominate.
    contratos = [("a", D(25)), ("a", D(25)), ("a", D(20)), ("b", D(30))]
    assert reglas.dominantes(contratos, pct=60, minimo=4) == {"a": D("70.0")}


def test_un_ente_con_menos_contratos_que_el_minimo_no_se_mide():
    assert reglas.dominantes([("a", D(90)), ("b", D(10))], pct=60, minimo=4) == {}


def test_el_cierre_empieza_el_primero_de_los_ultimos_dias_habiles():
    finales = [datetime.date(2025, 12, d) for d in (31, 30, 29, 26, 24)]
    assert reglas.en_cierre(datetime.date(2025, 12, 24), finales)
    assert not reglas.en_cierre(datetime.date(2025, 12, 23), finales)
    assert not reglas.en_cierre(datetime.date(2025, 12, 24), [])


def test_recibir_de_mas_se_senala_siempre_y_de_menos_al_terminar():
    aprobadas = {1: 10, 2: 5}
    assert reglas.cantidades_distintas(aprobadas, {1: 11, 2: 5}, termino_vencido=False) == {
        1: (10, 11)
    }
    assert reglas.cantidades_distintas(aprobadas, {1: 4, 2: 5}, termino_vencido=False) == {}
    assert reglas.cantidades_distintas(aprobadas, {1: 4, 2: 5}, termino_vencido=True) == {
        1: (10, 4)
    }
    # An item that was not approved and is received.
    assert reglas.cantidades_distintas({1: 10}, {1: 10, 3: 2}, termino_vencido=False) == {3: (0, 2)}


def _c(pk, partida, proveedor, precio, **k):
    return reglas.Cotizada(pk=pk, partida=partida, proveedor=proveedor, precio=D(precio), **k)


def test_coinciden_en_domicilio_telefono_y_firmante_escritos_de_otra_forma():
    a = _c(
        1,
        1,
        "Uno, S.A.",
        "100",
        domicilio="Blvd. Kino 100, Hermosillo",
        telefono="+52 662 123 4567",
    )
    b = _c(2, 1, "Dos, S.A.", "150", domicilio="BLVD KINO 100 HERMOSILLO", telefono="")
    c = _c(3, 1, "Tres, S.A.", "200", telefono="662-123-45-67")
    d = _c(4, 1, "Cuatro, S.A.", "260", firmante="f" * 64)
    e = _c(5, 1, "Cinco, S.A.", "330", firmante="f" * 64)
    en = {(h.a.pk, h.b.pk): h.en for h in reglas.coincidencias([a, b, c, d, e], pct=D("0.5"))}
    assert en == {
        (1, 2): "el mismo domicilio",
        (1, 3): "el mismo teléfono",
        (4, 5): "la misma persona firma",
    }


def test_el_mismo_proveedor_dos_veces_no_es_cobertura():
    a = _c(1, 1, "Uno, S.A. de C.V.", "100")
    b = _c(2, 1, "UNO SA DE CV", "100")
    assert reglas.coincidencias([a, b], pct=D("0.5")) == []
