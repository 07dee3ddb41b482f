"""The market research's rules, pure (issue 76, items 3 and 4): dictamenes.precios.reglas.
Every expected figure is worked out by hand here. The main data, 100 / 110 / 150, has mean 120
and median 110, and a low (40) and a high (400) outlier around it."""

import datetime
import unicodedata
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.mx import rfc

from dictamenes.precios import reglas
from estandares.identidad import FORMAS_JURIDICAS, es_rfc_de_empresa, nombre_canonico, rfcs_en
from tests.perfiles import ejemplos

HOY = datetime.date(2026, 11, 27)
AYER = datetime.date(2026, 11, 26)


def cot(pk, proveedor, precio, *, fecha=AYER, archivo=None, vigente=True):
    return reglas.Cotizada(
        pk=pk,
        proveedor=proveedor,
        precio=D(precio),
        vigente=vigente,
        fecha=fecha,
        archivo=archivo or f"hash-{pk}",
    )


def motivos(mercado):
    return {c.pk: motivo for c, motivo in mercado.cotizaciones}


def juzgar(cotizadas, **kw):
    opciones = {"metodo": "mediana", "atipico_pct": 50, "hoy": HOY, "antiguedad_dias": 90}
    return reglas.mercado(cotizadas, **{**opciones, **kw})


def test_el_nombre_canonico_sin_forma_juridica_ni_acentos():
    assert nombre_canonico("Redes del Norte, S.A. de C.V.") == "redes del norte"
    assert nombre_canonico("REDES DEL NORTE SA DE CV") == "redes del norte"
    assert nombre_canonico("Cómputo Ágil S. de R.L. de C.V.") == "computo agil"
    assert nombre_canonico("Diseño y Señal, S.C.") == "diseño y señal"
    # A name that ends as a legal form reads («Mesa») keeps it: only whole words go.
    assert nombre_canonico("Muebles La Mesa") == "muebles la mesa"


def test_el_rfc_con_su_digito_verificador():
    # RNO010101AB7: 12 characters, check digit 7 (SAT's algorithm, python-stdnum mx.rfc).
    assert rfcs_en("Redes del Norte SA de CV (RNO010101AB7)") == ("RNO010101AB7",)
    assert rfcs_en("rno-010101-ab7") == ("RNO010101AB7",)
    # Its date with look-alike letters, its parts apart by dots: the same RFC.
    assert rfcs_en("RNO.O1O1O1.AB7") == ("RNO010101AB7",)
    # A wrong check digit is not an RFC; a person's (13 characters) is, and is not a company's.
    assert rfcs_en("Redes del Norte (RNO010101AB1)") == ()
    assert rfcs_en("GODE561231GR8") == ("GODE561231GR8",)
    assert not es_rfc_de_empresa("GODE561231GR8") and es_rfc_de_empresa("RNO010101AB7")


def test_tres_copias_de_una_cotizacion_cuentan_una_vez():
    """The same supplier spelt another way, the same file, the same price and date: each
    repeats the first one added (pk 1), which counts."""
    cotizadas = [
        cot(1, "Redes del Norte, S.A. de C.V.", 100, archivo="aaa"),
        cot(2, "REDES DEL NORTE SA DE CV", 120, fecha=datetime.date(2026, 11, 20)),
        cot(3, "Cómputo Ágil S. de R.L. de C.V.", 130, archivo="aaa"),
        cot(4, "Soluciones Beta", 100),
        cot(5, "Datos Centrales, S.C.", 110, fecha=datetime.date(2026, 11, 25)),
    ]
    mercado = juzgar(cotizadas)
    assert motivos(mercado) == {
        1: "",
        2: "repite al proveedor de otra cotización (Redes del Norte, S.A. de C.V.)",
        3: "repite el archivo de otra cotización (Redes del Norte, S.A. de C.V.)",
        4: "repite el precio y la fecha de otra cotización (Redes del Norte, S.A. de C.V.)",
        5: "",
    }
    # The median of 100 and 110.
    assert mercado.precio == D("105.00")


def test_el_orden_de_la_lista_no_elige_cual_cuenta():
    """The one added first counts, whatever the order the quotes come in (by price)."""
    cotizadas = [cot(9, "Redes del Norte SA", 90), cot(4, "Redes del Norte", 100)]
    assert motivos(juzgar(cotizadas)) == {
        4: "",
        9: "repite al proveedor de otra cotización (Redes del Norte)",
    }


def test_el_rfc_une_dos_nombres_y_un_nombre_con_dos_rfc_es_un_proveedor():
    mismo_rfc = [
        cot(1, "Redes del Norte (RNO010101AB7)", 100),
        cot(2, "Grupo RN, RNO-010101-AB7", 105, fecha=HOY),
    ]
    assert motivos(juzgar(mismo_rfc))[2] == (
        "repite al proveedor de otra cotización (Redes del Norte (RNO010101AB7))"
    )
    # TNO050505AB and its check digit, as the SAT's algorithm gives it: a valid RFC, and
    # invented ones are as valid. One name under two RFCs is one supplier (issue 88).
    otro = "TNO050505AB" + rfc.calc_check_digit("TNO050505AB")
    dos_rfc = [
        cot(1, "Redes del Norte (RNO010101AB7)", 100),
        cot(2, f"Redes del Norte ({otro})", 105, fecha=HOY),
    ]
    assert motivos(juzgar(dos_rfc)) == {
        1: "",
        2: "repite al proveedor de otra cotización (Redes del Norte (RNO010101AB7))",
    }


def test_un_ente_publico_no_es_un_proveedor():
    entes = {"secretaria de hacienda": 1, "sh": 1, "secretaria de educacion": 2, "sep": 2}
    cotizadas = [
        cot(1, "Secretaría de Hacienda", 100),
        cot(2, "SECRETARIA DE EDUCACIÓN", 101, fecha=HOY),
        cot(3, "Oficina de enlace (SEP)", 102, fecha=datetime.date(2026, 11, 25)),
        cot(4, "Redes del Norte", 103, fecha=datetime.date(2026, 11, 24)),
    ]
    assert motivos(juzgar(cotizadas, entes=entes, ente_propio=1)) == {
        1: "es el propio ente que solicita: un ente público no es un proveedor",
        2: "es un ente público, no un proveedor",
        3: "es un ente público, no un proveedor",
        4: "",
    }


def test_la_antiguedad_y_la_fecha_futura():
    """90 days: a quote of 29/08/2026 is 90 days old on 27/11/2026 and counts; one of the day
    before does not; one dated 28/11/2026 is in the future."""
    assert (HOY - datetime.date(2026, 8, 29)).days == 90
    cotizadas = [
        cot(1, "Uno", 100, fecha=datetime.date(2026, 8, 29)),
        cot(2, "Dos", 101, fecha=datetime.date(2026, 8, 28)),
        cot(3, "Tres", 102, fecha=datetime.date(2026, 11, 28)),
        cot(4, "Cuatro", 103, fecha=HOY),
        cot(5, "Cinco", 104, fecha=datetime.date(2026, 11, 1), vigente=False),
    ]
    assert motivos(juzgar(cotizadas)) == {
        1: "",
        2: "tenía más de 90 días el 27/11/2026",
        3: "fechada después del 27/11/2026, el día en que se revisa",
        4: "",
        5: "vencida",
    }


def test_un_valor_atipico_bajo_y_uno_alto_quedan_fuera():
    """Median of the five, 110: 40 is 63.6 % below and 400 is 263.6 % above (out at 50 %);
    150 is 36.4 % above (in)."""
    cotizadas = [
        cot(1, "A", 100),
        cot(2, "B", 110, fecha=HOY),
        cot(3, "C", 150, fecha=datetime.date(2026, 11, 25)),
        cot(4, "D", 40, fecha=datetime.date(2026, 11, 24)),
        cot(5, "E", 400, fecha=datetime.date(2026, 11, 23)),
    ]
    fuera = "fuera de línea: a más de 50 % de la mediana de las cotizaciones"
    assert motivos(juzgar(cotizadas)) == {1: "", 2: "", 3: "", 4: fuera, 5: fuera}
    assert juzgar(cotizadas, metodo="media").precio == D("120.00")
    assert juzgar(cotizadas, metodo="mediana").precio == D("110.00")
    assert juzgar(cotizadas, metodo="menor").precio == D("100.00")


TRES = [
    cot(1, "A", 100),
    cot(2, "B", 110, fecha=HOY),
    cot(3, "C", 150, fecha=datetime.date(2026, 11, 25)),
]


def test_el_coeficiente_de_variacion_de_la_poblacion():
    # Deviations from 120: −20, −10, +30; squares 400 + 100 + 900 = 1400; /3 = 466.67;
    # root 21.60; over 120: 18.0 %. (The sample's, over 2, would be 22.0 %.)
    assert reglas.coeficiente_de_variacion([D(100), D(110), D(150)]) == D("18.0")
    assert reglas.coeficiente_de_variacion([D(100)]) == D("0.0")
    assert reglas.coeficiente_de_variacion([]) is None


@pytest.mark.parametrize(
    ("limite", "precio", "aplicado", "regla"),
    [
        (
            25,
            D("120.00"),
            "media",
            "media (según la dispersión: coeficiente de variación 18.0 % ≤ 25 %)",
        ),
        # On the threshold: still the mean.
        (
            18,
            D("120.00"),
            "media",
            "media (según la dispersión: coeficiente de variación 18.0 % ≤ 18 %)",
        ),
        (
            17,
            D("110.00"),
            "mediana",
            "mediana (según la dispersión: coeficiente de variación 18.0 % > 17 %)",
        ),
    ],
)
def test_segun_la_dispersion(limite, precio, aplicado, regla):
    mercado = juzgar(TRES, metodo="dispersion", cv_pct=limite)
    assert (mercado.precio, mercado.aplicado, mercado.cv, mercado.regla) == (
        precio,
        aplicado,
        D("18.0"),
        regla,
    )


def test_el_metodo_de_la_categoria():
    metodos = {"computo": "media"}
    assert reglas.metodo_de("computo", metodos_categoria=metodos, metodo="mediana") == "media"
    assert reglas.metodo_de("redes", metodos_categoria=metodos, metodo="mediana") == "mediana"
    assert juzgar(TRES, metodo="mediana").regla == "mediana"


def test_las_cotizaciones_lejos_de_la_referencia_se_senalan_sin_dejarlas_fuera():
    """Limit 50 %. Reference 100: 150 is exactly 50 % over (not pointed out), 160 and 170 are
    60 % and 70 % over. Reference 200: 100 is exactly 50 % under, 90 is 55 % under, 110 is
    45 % under. Each set is within 50 % of its own median, so every quote counts."""
    sobre = juzgar(
        [cot(1, "A", 150), cot(2, "B", 160, fecha=HOY), cot(3, "C", 170, fecha=HOY)],
        referencia=D(100),
    )
    assert [(motivo, nota) for _c, motivo, nota in sobre.filas] == [
        ("", ""),
        ("", "a 60 % sobre la mediana de referencia: más de 50 %, revise la cotización"),
        ("", "a 70 % sobre la mediana de referencia: más de 50 %, revise la cotización"),
    ]
    assert sobre.lejanas == 2
    bajo = juzgar(
        [cot(1, "A", 90), cot(2, "B", 100, fecha=HOY), cot(3, "C", 110, fecha=HOY)],
        referencia=D(200),
    )
    assert [(motivo, nota) for _c, motivo, nota in bajo.filas] == [
        ("", "a 55 % bajo la mediana de referencia: más de 50 %, revise la cotización"),
        ("", ""),
        ("", ""),
    ]
    # Without a sufficient reference nothing is compared.
    assert [nota for _c, _m, nota in juzgar(TRES).filas] == ["", "", ""]


# --- Hostile spellings of one supplier (hypothesis) -------------------------------------------

FORMAS = [
    "",
    ", S.A. de C.V.",
    " SA DE CV",
    " s. a. de c. v.",
    " S.A.",
    ", S. de R.L. de C.V.",
    " S DE RL DE CV",
    ", S.C.",
    " S.A.P.I. de C.V.",
]
_SIN_ACENTO = str.maketrans("áéíóúüÁÉÍÓÚÜ", "aeiouuAEIOUU")


@given(
    palabras=st.lists(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyzáéíóúñ", min_size=2, max_size=8),
        min_size=1,
        max_size=4,
    ).filter(lambda p: "".join(p[-2:]) not in FORMAS_JURIDICAS),
    forma=st.sampled_from(FORMAS),
    otra_forma=st.sampled_from(FORMAS),
    mayusculas=st.booleans(),
    sin_acentos=st.booleans(),
    ancho_completo=st.booleans(),
    descompuesto=st.booleans(),
    espacios=st.sampled_from([" ", "  ", " , ", " - "]),
)
@settings(max_examples=ejemplos(200), deadline=None)
def test_un_proveedor_escrito_de_otra_manera_es_el_mismo(
    palabras, forma, otra_forma, mayusculas, sin_acentos, ancho_completo, descompuesto, espacios
):
    """Case, accents, full-width letters (Unicode compatibility forms), letters and their
    accents written apart (NFD, as some keyboards send «ñ»), separators and the legal form do
    not make another supplier: the second quote repeats the first."""
    if any(w in FORMAS_JURIDICAS for w in palabras[-1:]):
        return
    nombre = " ".join(palabras) + forma
    otro = espacios.join(palabras) + otra_forma
    if mayusculas:
        otro = otro.upper()
    if sin_acentos:
        otro = otro.translate(_SIN_ACENTO)
    if ancho_completo:
        otro = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in otro)
    if descompuesto:
        otro = unicodedata.normalize("NFD", otro)
    mercado = juzgar([cot(1, nombre, 100), cot(2, otro, 200, fecha=HOY)], atipico_pct=1000)
    assert motivos(mercado)[2] == f"repite al proveedor de otra cotización ({nombre})"
