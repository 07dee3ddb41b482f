"""The signer's RFC or CURP as the public pages mask it (publico.datos_personales, which reads
it with estandares.datos_personales.clave_de): each way people write one gives the same key,
in capitals with its digits (issue 79, item 5: mutants of clave_de that no test reached). The
expected keys are written out by hand."""

import pytest

from estandares.datos_personales import RFC_O_CURP, clave_de, hallazgos


@pytest.mark.parametrize(
    ("texto", "clave"),
    [
        # An RFC with its homoclave apart, look-alike letters in its date, in lowercase.
        ("Firmó pelj-8OO1O1-ab1 el día", "PELJ800101AB1"),
        # The same, with the homoclave joined to the date and an I and an l for ones.
        ("RFC PELJ80OI0lAB1.", "PELJ800101AB1"),
        # A CURP in pieces whose last character (a digit) was typed as an O.
        ("CURP: gode-561231-hdfrrn0O, firmante", "GODE561231HDFRRN00"),
        # A CURP written whole, its last digit an l.
        ("GODE561231HDFRRN0l", "GODE561231HDFRRN01"),
        # The date in pairs with dashes; the CURP's pieces apart with spaces.
        ("RFC pelj 80-01-01 ab1", "PELJ800101AB1"),
        ("CURP GODE 561231 H DF RRN 0 1", "GODE561231HDFRRN01"),
    ],
)
def test_la_clave_del_firmante_se_lee_igual_como_sea_que_se_escriba(texto, clave):
    hallada = RFC_O_CURP.search(texto)
    assert hallada is not None
    assert clave_de(hallada) == clave


def test_una_letra_suelta_y_el_rfc_de_una_empresa_en_la_linea_siguiente_no_son_una_persona():
    # «F» ends a line and the company's RFC SRE800101AAA starts the next one. Read together,
    # FSRE800101AAA also passes the SAT's check digit (F weighs what the space before a
    # company's RFC weighs, 13 × (15 − 37) ≡ 0 mod 11): the company's reading wins.
    assert hallazgos("Equipos del lote F\nSRE800101AAA") == []
    # Written on one line, the same thirteen characters are a person's RFC.
    assert [h.clave for h in hallazgos("Equipos del lote FSRE800101AAA")] == ["FSRE800101AAA"]


def test_un_numero_con_prefijo_internacional_fuera_de_todo_plan_es_un_telefono():
    # +999 is no country's code (libphonenumber finds nothing), but a «+» and ten digits in
    # groups is how a telephone number is written.
    texto = "Tel. +999 1234 5678 90 de la oficina"
    assert [(h.tipo, h.texto) for h in hallazgos(texto)] == [("telefono", "+999 1234 5678 90")]


def test_una_curp_con_letras_por_digitos_en_su_fecha_solo_es_una_si_su_digito_cuadra():
    # «SG» for 56 is a look-alike reading (S for 5, G for 6) of a piece with no real digit:
    # weak, so the CURP's check digit decides. GODE561231HDFRRN00 passes it; ...01 does not,
    # and the text is left as written.
    assert [h.clave for h in hallazgos("Equipo GODE-SG-12-31-HDF-RRN-0-0 entregado")] == [
        "GODE561231HDFRRN00"
    ]
    assert hallazgos("Equipo GODE-SG-12-31-HDF-RRN-0-1 entregado") == []
