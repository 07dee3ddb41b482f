"""The arithmetic of the figures (dictamenes.cifras.reglas), with data where the likely slip
gives another answer: a remainder that goes to one piece and not another, a half cent, a whole
of zero, two rows of the same group, a category named in two editions, a month without
arrivals, a split purchase linked through a third request. The figures pages, the dashboard
and the open data show these numbers (issue 79, item 5)."""

import signal
from contextlib import contextmanager
from decimal import Decimal as D

import pytest

from dictamenes.cifras import reglas
from dictamenes.models import Resultado


def test_un_contrato_se_reparte_al_centavo_y_los_centavos_sobrantes_van_a_los_mayores_restos():
    # $0.10 over weights 1:2:4 is 1.43, 2.86 and 5.71 cents: 1, 2 and 5 whole, and the two
    # cents left go to the largest remainders (.86 and .71), not to the first pieces.
    assert reglas.repartir(D("0.10"), [D(1), D(2), D(4)]) == [D("0.01"), D("0.03"), D("0.06")]
    # Equal remainders: the first piece gets the cent.
    assert reglas.repartir(D("1.00"), [D(1), D(1), D(1)]) == [D("0.34"), D("0.33"), D("0.33")]
    # Weights that add up to less than one are still weights (0.2:0.6 is 1:3).
    assert reglas.repartir(D("1.00"), [D("0.2"), D("0.6")]) == [D("0.25"), D("0.75")]
    # Nothing approved of any category: equal parts, not nothing and not a division by zero.
    assert reglas.repartir(D("0.05"), [D(0), D(0)]) == [D("0.03"), D("0.02")]
    # A total with half a cent rounds up, as every amount of the figures does.
    assert reglas.repartir(D("0.025"), [D(1)]) == [D("0.03")]
    assert reglas.repartir(D("5.00"), []) == []
    # The parts add up to the contract, exactly.
    partes = reglas.repartir(D("1000.00"), [D("3.33"), D("1.1"), D("7")])
    assert sum(partes) == D("1000.00") and partes == [D("291.34"), D("96.24"), D("612.42")]


def test_los_importes_se_leen_en_pesos_al_centavo_redondeando_la_mitad_hacia_arriba():
    assert str(reglas.pesos(None)) == "0.00"
    assert str(reglas.pesos(D("1.005"))) == "1.01"
    assert str(reglas.pesos(D("2.5"))) == "2.50"
    assert str(reglas.pesos(7)) == "7.00"


def test_un_dictamen_no_favorable_no_aprueba_nada_aunque_sus_partidas_digan_otra_cosa():
    assert reglas.aprobado(Resultado.NO_FAVORABLE, D("500.00"), D("20.00")) == D("0.00")
    assert reglas.aprobado(Resultado.FAVORABLE, D("100.00"), D("50.005")) == D("150.01")
    assert reglas.aprobado(Resultado.CONDICIONADO, None, D("20.00")) == D("20.00")
    assert reglas.aprobado(Resultado.FAVORABLE, D("80.00"), None) == D("80.00")


def test_las_columnas_de_los_datos_abiertos_guardan_su_orden_y_sus_ceros():
    # A program that reads the open data by position keeps working: issue 62's fields, then
    # issue 76's, each for the ordinary and then the consolidated purchases.
    assert reglas.CAMPOS_PRECIO == (
        "partidas_aprobadas",
        "partidas_con_referencia",
        "a_referencia",
        "aprobado_con_referencia",
        "ahorro_referencia",
        "consolidada_partidas_aprobadas",
        "consolidada_partidas_con_referencia",
        "consolidada_a_referencia",
        "consolidada_aprobado_con_referencia",
        "consolidada_ahorro_referencia",
        "sobre_referencia",
        "consolidada_sobre_referencia",
    )
    assert reglas.CAMPOS_SUMA[:4] == ("solicitado", "aprobado", "contratado", "ahorro")
    assert reglas.CAMPOS_SUMA[4:] == reglas.CAMPOS_PRECIO
    # Counts of items are whole numbers; amounts are pesos with two decimals.
    ceros = {c: str(reglas.cero(c)) for c in reglas.CAMPOS_SUMA}
    cuentas = {
        "partidas_aprobadas",
        "partidas_con_referencia",
        "consolidada_partidas_aprobadas",
        "consolidada_partidas_con_referencia",
    }
    assert ceros == {c: "0" if c in cuentas else "0.00" for c in reglas.CAMPOS_SUMA}
    assert {c: str(v) for c, v in reglas.FILA_EN_CERO.items()} == ceros


def _fila(**valores) -> dict:
    return dict(reglas.FILA_EN_CERO) | valores


def test_las_sumas_frente_a_la_referencia_se_agregan_a_su_fila_cada_compra_aparte():
    fila = _fila(partidas_aprobadas=1, ahorro_referencia=D("10.00"))
    sumas = {c: i + 1 for i, c in enumerate(reglas.CAMPOS_PRECIO)}
    sumas |= {"a_referencia": D("1.005"), "consolidada_sobre_referencia": None}
    reglas.sumar_precio(fila, sumas)
    assert {c: str(fila[c]) for c in reglas.CAMPOS_PRECIO} == {
        "partidas_aprobadas": "2",
        "partidas_con_referencia": "2",
        "a_referencia": "1.01",
        "aprobado_con_referencia": "4.00",
        "ahorro_referencia": "15.00",
        "consolidada_partidas_aprobadas": "6",
        "consolidada_partidas_con_referencia": "7",
        "consolidada_a_referencia": "8.00",
        "consolidada_aprobado_con_referencia": "9.00",
        "consolidada_ahorro_referencia": "10.00",
        "sobre_referencia": "11.00",
        "consolidada_sobre_referencia": "0.00",
    }


def _pieza(*filas, **nombres) -> dict:
    return {"filas": list(filas), "nombres": nombres}


def test_una_categoria_se_nombra_como_en_la_edicion_mas_nueva_que_usaron_los_entes():
    sep = {"ejercicio": 2026, "ente_siglas": "SEP", "categoria_clave": "C1"}
    ssa = {"ejercicio": 2026, "ente_siglas": "SSA", "categoria_clave": "C1"}
    unidas = reglas.unir(
        [
            _pieza(sep, C1=(2025, "Cómputo")),
            _pieza(ssa, C1=(2026, "Equipo de cómputo"), C2=(2025, "Redes")),
            # The same edition again: the first name read stays.
            _pieza(C1=(2026, "Otro nombre")),
        ]
    )
    assert unidas == {
        "filas": [sep, ssa],
        "nombres": {"C1": (2026, "Equipo de cómputo"), "C2": (2025, "Redes")},
    }


def test_las_filas_se_ordenan_por_ejercicio_ente_y_nombre_de_la_categoria():
    def f(anio, siglas, clave):
        return {"ejercicio": anio, "ente_siglas": siglas, "categoria_clave": clave}

    piezas = [
        _pieza(
            f(2026, "SEP", "C1"), f(2026, "SEP", "C2"), C1=(2026, "Redes"), C2=(2026, "Cómputo")
        ),
        _pieza(f(2025, "SSA", "C1"), f(2026, "IMSS", "C1"), C1=(2025, "Telecom")),
    ]
    assert [
        (x["ejercicio"], x["ente_siglas"], x["categoria"]) for x in reglas.combinar(piezas)
    ] == [
        (2025, "SSA", "Redes"),
        (2026, "IMSS", "Redes"),
        (2026, "SEP", "Cómputo"),
        (2026, "SEP", "Redes"),
    ]
    assert [x["ente_siglas"] for x in reglas.combinar(piezas, ejercicio=2025)] == ["SSA"]


def test_el_porcentaje_se_da_a_la_decima_y_sin_total_no_hay_porcentaje():
    assert reglas.pct(D("100.20"), D("400.00")) == D("25.1")  # 25.05, the half up
    assert reglas.pct(D("1"), D("3")) == D("33.3")
    assert reglas.pct(D("5.00"), D("0.00")) is None
    assert reglas.pct(D("0.00"), D("8.00")) == D("0.0")


def test_los_totales_suman_por_dos_claves_y_dan_su_porcentaje_de_ahorro():
    filas = [
        _fila(
            ejercicio=2026,
            ente_siglas="SEP",
            solicitado=D("300.00"),
            ahorro=D("100.00"),
            partidas_aprobadas=2,
            ahorro_referencia=D("30.00"),
            sobre_referencia=D("40.00"),
            consolidada_partidas_aprobadas=1,
            consolidada_ahorro_referencia=D("1.00"),
            consolidada_sobre_referencia=D("8.00"),
        ),
        _fila(ejercicio=2025, ente_siglas="SEP", solicitado=D("0.00"), contratado=D("9.00")),
        _fila(
            ejercicio=2026,
            ente_siglas="SEP",
            solicitado=D("100.00"),
            aprobado=D("99.80"),
            ahorro=D("0.20"),
            partidas_aprobadas=1,
            sobre_referencia=D("20.00"),
        ),
        _fila(ejercicio=2026, ente_siglas="IMSS", solicitado=D("50.00"), ahorro=D("50.00")),
    ]
    por_ente = reglas.totales(filas, por=("ejercicio", "ente_siglas"))
    assert [
        (
            t["ejercicio"],
            t["ente_siglas"],
            t["solicitado"],
            t["aprobado"],
            t["contratado"],
            t["ahorro"],
            t["partidas_aprobadas"],
            t["pct_ahorro"],
            t["pct_ahorro_referencia"],
            t["consolidada_pct_ahorro_referencia"],
        )
        for t in por_ente
    ] == [
        (2025, "SEP", D("0.00"), D("0.00"), D("9.00"), D("0.00"), 0, None, None, None),
        (2026, "IMSS", D("50.00"), D("0.00"), D("0.00"), D("50.00"), 0, D("100.0"), None, None),
        (
            2026,
            "SEP",
            D("400.00"),
            D("99.80"),
            D("0.00"),
            D("100.20"),
            3,
            D("25.1"),
            D("50.0"),
            D("12.5"),
        ),
    ]
    assert set(por_ente[2]) == {
        "ejercicio",
        "ente_siglas",
        *reglas.CAMPOS_SUMA,
        "pct_ahorro",
        "pct_ahorro_referencia",
        "consolidada_pct_ahorro_referencia",
    }
    assert por_ente[2]["consolidada_sobre_referencia"] == D("8.00")
    # Per year, by default.
    anuales = reglas.totales(filas)
    assert [(t["ejercicio"], t["solicitado"], t["pct_ahorro"]) for t in anuales] == [
        (2025, D("0.00"), None),
        (2026, D("450.00"), D("33.4")),
    ]
    assert "ente_siglas" not in anuales[0]


def test_el_ahorro_frente_a_la_referencia_se_da_por_compra_y_solo_la_que_tuvo_partidas():
    filas = [
        _fila(
            ejercicio=2026,
            partidas_aprobadas=4,
            partidas_con_referencia=3,
            a_referencia=D("90.00"),
            aprobado_con_referencia=D("95.00"),
            ahorro_referencia=D("15.00"),
            sobre_referencia=D("20.00"),
        ),
        _fila(
            ejercicio=2025,
            consolidada_partidas_aprobadas=2,
            consolidada_ahorro_referencia=D("3.00"),
        ),
        _fila(ejercicio=2024, ahorro_referencia=D("1.00")),
    ]
    assert reglas.frente_a_referencia(filas, por=("ejercicio",)) == [
        {
            "ejercicio": 2026,
            "compra": "Por ente",
            "consolidada": False,
            "partidas_aprobadas": 4,
            "partidas_con_referencia": 3,
            "a_referencia": D("90.00"),
            "aprobado_con_referencia": D("95.00"),
            "ahorro_referencia": D("15.00"),
            "sobre_referencia": D("20.00"),
            "pct_ahorro_referencia": D("75.0"),
        },
        {
            "ejercicio": 2025,
            "compra": "Consolidada",
            "consolidada": True,
            "partidas_aprobadas": 2,
            "partidas_con_referencia": 0,
            "a_referencia": D("0.00"),
            "aprobado_con_referencia": D("0.00"),
            "ahorro_referencia": D("3.00"),
            "sobre_referencia": D("0.00"),
            "pct_ahorro_referencia": None,
        },
    ]


def test_el_indicador_es_la_parte_del_total_a_la_decima_y_cero_sin_solicitudes():
    assert reglas.indice(2, 3) == 66.7
    assert reglas.indice(1, 8) == 12.5
    assert reglas.indice(3, 3) == 100.0
    assert reglas.indice(0, 0) == 0


def test_cada_barra_mide_su_valor_frente_al_mayor():
    filas = [{"n": 5}, {"n": None}, {"n": 20}, {"n": 10}, {"n": 3}]
    assert [f["barra"] for f in reglas.con_barras(filas=filas, clave="n")] == [
        25.0,
        0,
        100.0,
        50.0,
        15.0,
    ]
    assert reglas.con_barras(filas=[{"n": 0}], clave="n") == [{"n": 0, "barra": 0}]
    # To a tenth: one of three is a bar of 33.3, not 33.
    assert [f["barra"] for f in reglas.con_barras(filas=[{"n": 3}, {"n": 1}], clave="n")] == [
        100.0,
        33.3,
    ]


def test_los_meses_sin_llegadas_cuentan_cero_de_un_anio_al_siguiente():
    assert reglas.meses_seguidos({(2026, 2): 1, (2025, 11): 3}) == [
        {"anio": 2025, "mes": 11, "n": 3},
        {"anio": 2025, "mes": 12, "n": 0},
        {"anio": 2026, "mes": 1, "n": 0},
        {"anio": 2026, "mes": 2, "n": 1},
    ]
    assert reglas.meses_seguidos({(2026, 12): 4}) == [{"anio": 2026, "mes": 12, "n": 4}]
    assert reglas.meses_seguidos({}) == []


def _fraccion(*folios):
    return {"folios": list(folios)}


def test_un_fraccionamiento_cuenta_una_vez_aunque_sus_solicitudes_se_nombren_entre_si():
    filas = [
        # 2026: A, B and C are one group (B names both; C only B); X and Z are joined
        # through Y, which names nobody; D and E another group.
        (2026, "A", [_fraccion("B")]),
        (2026, "B", [_fraccion("A"), _fraccion("C")]),
        (2026, "C", [_fraccion("B")]),
        (2026, "X", [_fraccion("Y")]),
        (2026, "Z", [_fraccion("Y")]),
        (2026, "D", [_fraccion("E")]),
        # 2025: the same folios are other requests.
        (2025, "A", [_fraccion("B")]),
    ]
    assert reglas.grupos_de_fraccionamiento(filas) == [
        {"ejercicio": 2025, "grupos": 1},
        {"ejercicio": 2026, "grupos": 3},
    ]
    assert reglas.grupos_de_fraccionamiento([]) == []


# Found by the mutation run (issue 92, item 3): the count of items in a totals row, a chart with
# no rows or with values under one, and the month table and the groups of split purchases,
# whose slips loop for ever: those run under a bound of CPU time, so that a loop fails the test
# instead of hanging the suite.
# What the rule takes on any machine is microseconds; a loop that never ends passes this.
LIMITE_CPU_S = 2.0


class _SinFin(Exception):
    pass


@contextmanager
def _a_lo_sumo(segundos: float = LIMITE_CPU_S):
    """Fail the test when the block uses more than `segundos` of CPU (ITIMER_PROF: the time of
    this process, not of the busy machine around it)."""

    def _cortar(signum, frame):
        raise _SinFin(f"más de {segundos} s de CPU: el cálculo no termina")

    anterior = signal.signal(signal.SIGPROF, _cortar)
    signal.setitimer(signal.ITIMER_PROF, segundos)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, anterior)


def test_el_total_de_partidas_se_lee_como_un_conteo_y_no_como_un_importe():
    # Two rows of 2026 with 2 and 1 approved items: the totals row says «3», as a count; the
    # amounts of the same row say their cents.
    filas = [
        dict(reglas.FILA_EN_CERO) | {"ejercicio": 2026, "partidas_aprobadas": 2},
        dict(reglas.FILA_EN_CERO)
        | {"ejercicio": 2026, "partidas_aprobadas": 1, "solicitado": D("10.5")},
    ]
    (total,) = reglas.totales(filas)
    assert str(total["partidas_aprobadas"]) == "3"
    assert str(total["consolidada_partidas_con_referencia"]) == "0"
    assert str(total["solicitado"]) == "10.50"


def test_una_grafica_sin_filas_no_tiene_barras():
    # A year with no request behind anybody (rezago, principales entes): an empty chart, not
    # an error on the page.
    assert reglas.con_barras(filas=[], clave="n") == []


def test_la_barra_mayor_es_entera_aunque_su_valor_sea_menor_que_uno():
    # Each bar is a share of the largest value, whatever its size: half a day beside nothing is
    # a full bar, not half of one.
    filas = [{"dias": D("0.5")}, {"dias": 0}, {"dias": D("0.25")}]
    assert [f["barra"] for f in reglas.con_barras(filas=filas, clave="dias")] == [100.0, 0, 50.0]


@pytest.mark.parametrize(
    ("conteo", "meses"),
    [
        # December to February: the year turns once, January counts 0.
        ({(2025, 12): 2, (2026, 2): 1}, [(2025, 12, 2), (2026, 1, 0), (2026, 2, 1)]),
        # Within one year, every month in between.
        ({(2026, 1): 4, (2026, 3): 1}, [(2026, 1, 4), (2026, 2, 0), (2026, 3, 1)]),
    ],
)
def test_la_tabla_de_meses_termina_y_no_se_salta_ninguno(conteo, meses):
    with _a_lo_sumo():
        filas = reglas.meses_seguidos(conteo)
    assert [(f["anio"], f["mes"], f["n"]) for f in filas] == meses


def test_dos_solicitudes_que_se_nombran_son_un_grupo_y_el_calculo_termina():
    # A names B; C names B too: one group of three in 2026.
    filas = [(2026, "A", [{"folios": ["B"]}]), (2026, "C", [{"folios": ["B"]}])]
    with _a_lo_sumo():
        grupos = reglas.grupos_de_fraccionamiento(filas)
    assert grupos == [{"ejercicio": 2026, "grupos": 1}]
    with _a_lo_sumo():
        assert reglas.grupos_de_fraccionamiento([(2025, "A", [{"folios": ["B"]}])]) == [
            {"ejercicio": 2025, "grupos": 1}
        ]
