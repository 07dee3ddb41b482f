"""Price rules with data that tells each rule from its likely mutant (issue 79, item 5; make
mutantes): a mean and a median that differ (100/110/400), an outlier below as well as above, a
month of service and a licence-year beside a piece, a half at the fifth decimal. Every expected
figure is worked out by hand here, not with the module under test."""

import datetime
from decimal import Decimal as D

from dictamenes.models.precios import MetodoPrecio, UnidadPrecio
from dictamenes.precios import reglas
from estandares import identidad

HOY = datetime.date(2026, 11, 26)


def _cotizadas(*precios, fecha=HOY):
    return [
        reglas.Cotizada(
            pk=i, proveedor=f"Proveedor {chr(65 + i)}", precio=D(p), vigente=True, fecha=fecha
        )
        for i, p in enumerate(precios)
    ]


def test_la_mediana_y_la_media_de_cotizaciones_asimetricas_no_son_la_misma():
    # 100, 110, 400: the median is 110; the mean is 610 / 3 = 203.33.
    cotizadas = _cotizadas("100", "110", "400")
    mediana = reglas.mercado(cotizadas, metodo=MetodoPrecio.MEDIANA, atipico_pct=500)
    media = reglas.mercado(cotizadas, metodo=MetodoPrecio.MEDIA, atipico_pct=500)
    menor = reglas.mercado(cotizadas, metodo=MetodoPrecio.MENOR, atipico_pct=500)
    assert (mediana.precio, media.precio, menor.precio) == (D("110.00"), D("203.33"), D("100.00"))


def test_una_cotizacion_muy_por_debajo_tambien_queda_fuera_de_linea():
    # 20, 100, 105, 110: the median of the four is 102.50; 20 is 80.5 % below it (> 50 %),
    # so it is left out and the market price is the median of 100, 105, 110: 105.00.
    m = reglas.mercado(_cotizadas("20", "100", "105", "110"), metodo="mediana", atipico_pct=50)
    motivos = [motivo for _c, motivo in m.cotizaciones]
    assert motivos == [
        "fuera de línea: a más de 50 % de la mediana de las cotizaciones",
        "",
        "",
        "",
    ]
    assert m.precio == D("105.00")


def test_un_mes_de_servicio_y_un_anio_de_licencia_junto_a_una_pieza():
    # $1,200 for 12 months of service is $100 a month; $3,000 for a 36-month licence is
    # $1,000 a licence-year; a piece stays as it is.
    assert reglas.normalizar(D("1200"), UnidadPrecio.SERVICIO, 12) == D("100.0000")
    assert reglas.normalizar(D("3000"), UnidadPrecio.LICENCIA, 36) == D("1000.0000")
    assert reglas.normalizar(D("750"), UnidadPrecio.PIEZA, 12) == D("750.0000")
    # Back in the item's own unit: a $100 month is $600 over 6 months; a $1,000 licence-year
    # is $500 over 6 months.
    assert reglas.en_unidad_de(D("100"), UnidadPrecio.SERVICIO, 6) == D("600.00")
    assert reglas.en_unidad_de(D("1000"), UnidadPrecio.LICENCIA, 6) == D("500.00")


def test_un_servicio_sin_meses_es_un_mes_y_una_licencia_sin_meses_es_un_anio():
    assert reglas.normalizar(D("500"), UnidadPrecio.SERVICIO, None) == D("500.0000")
    assert reglas.normalizar(D("900"), UnidadPrecio.LICENCIA, None) == D("900.0000")
    assert reglas.en_unidad_de(D("500"), UnidadPrecio.SERVICIO, None) == D("500.00")
    assert reglas.en_unidad_de(D("900"), UnidadPrecio.LICENCIA, None) == D("900.00")


def test_la_mitad_se_redondea_hacia_arriba():
    # Half a unit of the last place goes up (as on paper), not to the even digit.
    assert reglas.normalizar(D("2.00005"), UnidadPrecio.PIEZA, None) == D("2.0001")
    assert reglas.redondo(D("2.00005")) == D("2.0001")
    assert reglas.en_unidad_de(D("2.005"), UnidadPrecio.PIEZA, None) == D("2.01")


def test_una_sola_compra_y_dos_compras_dan_sus_cuartiles():
    # One price: every figure is that price. Two (100, 300): median 200; inclusive quartiles
    # at a quarter and three quarters of the way, 150 and 250.
    una = reglas.cifras([D("7")])
    assert (una.mediana, una.cuartil_1, una.cuartil_3) == (D("7.0000"),) * 3
    dos = reglas.cifras([D("300"), D("100")])
    assert (dos.mediana, dos.cuartil_1, dos.cuartil_3, dos.minimo, dos.maximo) == (
        D("200.0000"),
        D("150.0000"),
        D("250.0000"),
        D("100"),
        D("300"),
    )


def test_la_enie_se_conserva_al_comparar_nombres_y_un_nombre_vacio_no_es_ninguno():
    # Dots are dropped, so «S.A.» reads «sa».
    assert identidad.claves_de_ente("Compañía de Redes Ñandú, S.A.") == {
        "compañia de redes ñandu sa"
    }
    assert identidad.claves_de_ente("") == set()
    # Hacienda (SH): the whole name, the name outside the brackets and the bracket's content.
    assert identidad.claves_como_ente("Secretaría de Hacienda (SH)") == {
        "secretaria de hacienda sh",
        "secretaria de hacienda",
        "sh",
    }
    assert identidad.claves_como_ente("") == set()
    assert identidad.claves_como_ente(None) == set()


def test_la_regla_se_lee_con_el_nombre_de_su_metodo():
    assert reglas.regla_texto(MetodoPrecio.MENOR, "", None, 25) == "menor precio válido"
    assert reglas.regla_texto(MetodoPrecio.DISPERSION, MetodoPrecio.MEDIA, D("12.0"), 25) == (
        "media (según la dispersión: coeficiente de variación 12.0 % ≤ 25 %)"
    )
    # A method the table does not name reads as its key, not as «None» or blank.
    assert reglas.regla_texto("otro", "", None, 25) == "otro"


def test_la_lejania_de_la_referencia_se_redondea_hacia_arriba_y_dice_su_lado():
    m = reglas.Mercado(precio=None, metodo="mediana", atipico_pct=30)
    # 40.5 % is printed 41 % (half up), above the reference; −40.5 % below it.
    assert m.nota_lejana(D("40.5")) == (
        "a 41 % sobre la mediana de referencia: más de 30 %, revise la cotización"
    )
    assert m.nota_lejana(D("-40.5")) == (
        "a 41 % bajo la mediana de referencia: más de 30 %, revise la cotización"
    )
    assert m.nota_lejana(D("30")) == ""
    # A quote 1000.50 against a reference of 1000 is 0.05 % away: 0.1 % (half up).
    lejos = reglas.mercado(
        _cotizadas("1000.50"), metodo="mediana", atipico_pct=50, referencia=D("1000")
    )
    assert lejos.lejanias == (D("0.1"),)


def test_un_proveedor_con_rfc_y_el_mismo_sin_rfc_son_uno():
    # «Redes del Norte» with its RFC and without it: the same normalised name, one supplier.
    con, sin = (
        reglas.Cotizada(
            pk=1, proveedor="Redes del Norte SA de CV (RNO010101AB7)", precio=D("100"), vigente=True
        ),
        reglas.Cotizada(
            pk=2, proveedor="Redes del Norte, S.A. de C.V.", precio=D("120"), vigente=True
        ),
    )
    assert reglas.mismo_proveedor(con, sin)


def test_de_dos_cotizaciones_repetidas_cuenta_la_guardada_antes_que_la_nueva():
    nueva = reglas.Cotizada(pk=None, proveedor="Cómputo Azul", precio=D("90"), vigente=True)
    guardada = reglas.Cotizada(pk=7, proveedor="COMPUTO AZUL", precio=D("80"), vigente=True)
    m = reglas.mercado([nueva, guardada], metodo="mediana", atipico_pct=50)
    assert [motivo for _c, motivo in m.cotizaciones] == [
        "repite al proveedor de otra cotización (COMPUTO AZUL)",
        "",
    ]
    assert m.precio == D("80.00")


def test_una_cotizacion_sin_fecha_cuenta_aunque_se_revise_en_un_dia():
    sin_fecha = _cotizadas("100", fecha=None)
    m = reglas.mercado(sin_fecha, metodo="mediana", atipico_pct=50, hoy=HOY, antiguedad_dias=90)
    assert m.cotizaciones[0][1] == "" and m.precio == D("100.00")


def test_la_dispersion_por_omision_aplica_la_mediana_pasado_el_25_por_ciento():
    # 100, 110, 175: mean 128.33, population standard deviation 33.25, so the coefficient
    # of variation is 25.9 % (> 25 %, the default): the median, 110.
    m = reglas.mercado(
        _cotizadas("100", "110", "175"), metodo=MetodoPrecio.DISPERSION, atipico_pct=100
    )
    assert (m.cv, m.aplicado, m.precio) == (D("25.9"), MetodoPrecio.MEDIANA, D("110.00"))


def test_una_cotizacion_justo_en_el_limite_de_fuera_de_linea_cuenta():
    # 100, 100, 150: the median is 100 and 150 is exactly 50 % above it: it stays in.
    m = reglas.mercado(
        _cotizadas("100", "100.00", "150"), metodo=MetodoPrecio.MEDIA, atipico_pct=50
    )
    assert [motivo for _c, motivo in m.cotizaciones] == [
        "",
        "repite el precio y la fecha de otra cotización (Proveedor A)",
        "",
    ]
    # Their mean, 125.00; and 100.00 and 100.01 average 100.005, which is 100.01 (half up).
    assert m.precio == D("125.00")
    media = reglas.mercado(
        _cotizadas("100.00", "100.01"), metodo=MetodoPrecio.MEDIA, atipico_pct=50
    )
    assert media.precio == D("100.01")


def test_la_posicion_en_los_bordes_de_cada_banda():
    cifras = {
        "mediana": D("100"),
        "cuartil_1": D("90"),
        "cuartil_3": D("120"),
        "minimo": D("80"),
        "senal_pct": 20,
    }
    assert reglas.posicion(D("80"), **cifras).banda == "bajo"  # the lowest itself: not under it
    assert reglas.posicion(D("90"), **cifras).banda == "en_rango"
    assert reglas.posicion(D("120"), **cifras).banda == "en_rango"
    assert reglas.posicion(D("120.01"), **cifras).banda == "sobre"
    # 100.05 against 100 is 0.05 %: 0.1 % (half up).
    assert reglas.posicion(D("100.05"), **cifras).pct == D("0.1")


def test_el_indice_de_los_nombres_de_los_entes_se_arma_una_vez_por_pagina(monkeypatch):
    """A page asks ente_de of each of its quotes with the same agencies' keys (senales.calculo,
    precios.selectors): the index of near names (identidad.Parecidos) is built once for them,
    not once per quote; another set of keys gets its own. Every supplier below is a typo or
    none, so each call reaches the index; the answers stay those of the rule."""
    armados = []

    class Contado(identidad.Parecidos):
        def __init__(self, entes):
            armados.append(entes)
            super().__init__(entes)

    monkeypatch.setattr(reglas.identidad, "Parecidos", Contado)
    entes = dict.fromkeys(identidad.claves_de_ente("Secretaría de Hacienda"), 7)
    otros = dict.fromkeys(identidad.claves_de_ente("Oficialía Mayor"), 9)
    proveedores = ["Secretaria de Hasienda", "Papelería del Centro", "Secretaría de Haciendaa"] * 4
    respuestas = [reglas.ente_de(p, entes) for p in proveedores]
    assert respuestas == [7, None, 7] * 4
    assert len(armados) == 1
    assert reglas.ente_de("Oficialia Mayorr", otros) == 9
    assert len(armados) == 2
    assert [reglas.ente_de(p, entes) for p in proveedores[:3]] == [7, None, 7]
    assert len(armados) == 2


def test_los_indices_guardados_no_pasan_de_su_maximo():
    """A worker lives for days and sees many sets of agencies' keys: it keeps the indices of
    the last few only (_INDICES_MAXIMO). A supplier that names no agency reaches the index."""
    nombres = ["Hacienda", "Salud", "Educación", "Cultura", "Turismo", "Economía", "Trabajo"]
    for n in range(3 * reglas._INDICES_MAXIMO):
        entes = dict.fromkeys(identidad.claves_de_ente(f"Secretaría de {nombres[n % 7]}"), n)
        assert reglas.ente_de("Papelería del Centro", entes) is None
        assert len(reglas._INDICES) <= reglas._INDICES_MAXIMO


def test_las_cifras_por_ente_dan_su_maximo_a_cuatro_decimales():
    # The reference page shows the highest of the agencies' medians beside the lowest.
    c = reglas.cifras_por_ente([D("10.123456"), D("30"), D("20")], compras=7)
    assert (c.compras, c.minimo, c.mediana, c.maximo) == (7, D("10.1235"), D("20"), D("30.0000"))


def test_los_rangos_leidos_son_solo_los_de_la_mediana_y_los_cuartiles():
    # Eleven prices: each quartile reads a pair of ranks (2 and 3, 5 and 6, 7 and 8), the median
    # is rank 5. The database sends back those six rows and no other (not rank 4).
    assert reglas.rangos(11) == {2, 3, 5, 6, 7, 8}
    # Twelve: the median between ranks 5 and 6; nineteen: rank 9 (and the pairs around).
    assert reglas.rangos(12) == {2, 3, 5, 6, 8, 9}
    assert reglas.rangos(19) == {4, 5, 9, 10, 13, 14}
    assert reglas.rangos(1) == {0}
