"""The signer's RFC or CURP as the public pages mask it (publico.datos_personales, which reads
it with estandares.datos_personales.clave_de): each way people write one gives the same key,
in capitals with its digits (issue 79, item 5: mutants of clave_de that no test reached). The
expected keys are written out by hand."""

import pytest

from estandares.datos_personales import RFC_O_CURP, clave_de, hallazgos, reemplazar


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


# --- A person's RFC without its homoclave (issue 92, item 3) ----------------------------------


@pytest.mark.parametrize(
    ("texto", "claves"),
    [
        # The initials and the birth date, in capitals, the date apart by a dash.
        ("RFC PEGJ-800101 del firmante", [("rfc", "PEGJ800101")]),
        # In lowercase, the date in pairs.
        ("rfc pegj-80-01-01 del firmante", [("rfc", "PEGJ800101")]),
        # Letters of both cases, written together with the date's real digits («Febr020725»).
        ("PeGj800101", [("rfc", "PEGJ800101")]),
        # In capitals, letters for the date's zeros beside real digits.
        ("RFC PEGJ8OO1O1", [("rfc", "PEGJ800101")]),
        # 29 February of a leap year is a birth date; of 2002 or 2003, none.
        ("RFC PEGJ040229", [("rfc", "PEGJ040229")]),
        ("RFC PEGJ020229", []),
        ("RFC PEGJ030229", []),
        # Not a person's: letters of both cases apart from the date, or with the date in pieces;
        # a second letter that is no vowel; lowercase letters for the date's digits.
        ("PeGj 800101", []),
        ("PeGj80-01-01", []),
        ("PGGJ800101", []),
        ("pegj8oo1o1", []),
    ],
)
def test_un_rfc_sin_homoclave_es_las_iniciales_y_una_fecha_de_nacimiento_posible(texto, claves):
    assert [(h.tipo, h.clave) for h in hallazgos(texto)] == claves


@pytest.mark.parametrize(
    ("texto", "telefonos"),
    [
        # An IPv4 address by itself is not a telephone (issue 88).
        ("servidor 201.116.24.35 en el sitio", []),
        # Ten digits in dotted groups with a dot against them are not a whole address: the
        # same digits as a telephone's, masked.
        ("a 201.116.24.35. b", ["201.116.24.35"]),
        ("la .201.116.24.35 x", ["201.116.24.35"]),
        (".201.116.24.35 es la dirección", ["201.116.24.35"]),
    ],
)
def test_una_direccion_ip_no_es_un_telefono_pero_sus_cifras_con_un_punto_pegado_si(
    texto, telefonos
):
    assert [h.clave for h in hallazgos(texto) if h.tipo == "telefono"] == telefonos


@pytest.mark.parametrize(
    ("texto", "claves"),
    [
        # The homoclave's check character typed as a look-alike letter: read as its digit.
        ("RFC PEGJ800101ABl del", [("rfc", "PEGJ800101AB1")]),
        ("RFC PEGJ800101ABO", [("rfc", "PEGJ800101AB0")]),
        # An X is no look-alike: it stays.
        ("RFC PEGJ800101ABX", [("rfc", "PEGJ800101ABX")]),
        # The homoclave's characters apart.
        ("RFC PEGJ800101 A.B.1", [("rfc", "PEGJ800101AB1")]),
        # The initials apart, the date in real digits, whole or in pairs: a person's RFC.
        ("RFC P.E.G.J 800101 AB1", [("rfc", "PEGJ800101AB1")]),
        ("RFC P.E.G.J 80-01-01 AB1", [("rfc", "PEGJ800101AB1")]),
        # The initials apart and letters for the date's digits: only with its check digit.
        ("RFC P.E.G.J 8OO1O1 AB1", []),
    ],
)
def test_un_rfc_con_sus_letras_o_su_homoclave_aparte_o_con_letras_por_digitos(texto, claves):
    assert [(h.tipo, h.clave) for h in hallazgos(texto)] == claves


@pytest.mark.parametrize(
    ("texto", "hallados"),
    [
        # Two personal data in one text, apart: both are masked.
        ("RFC PEGJ800101AB1 tel 662 123 4567", [("rfc", 4, 17), ("telefono", 22, 34)]),
        # One right after the other, nothing between them: both, each with its span.
        ("PEGJ800101AB1+52 662 123 4567", [("rfc", 0, 13), ("telefono", 13, 29)]),
        ("juan@correo.com+52 662 123 4567", [("correo", 0, 15), ("telefono", 15, 31)]),
    ],
)
def test_dos_datos_seguidos_se_hallan_los_dos(texto, hallados):
    assert [(h.tipo, h.inicio, h.fin) for h in hallazgos(texto)] == hallados


def test_reemplazar_cambia_cada_dato_y_deja_el_resto_del_texto():
    # How the open data and the register mask a text: each datum by what `como` says of it,
    # the words around it as they were; an empty field stays empty.
    texto = "Enlace: juan@correo.com, tel 662 123 4567. Sin más."
    assert (
        reemplazar(texto, lambda h: f"[{h.tipo}]") == "Enlace: [correo], tel [telefono]. Sin más."
    )
    assert reemplazar("Sin datos personales.", lambda h: "?") == "Sin datos personales."
    assert reemplazar(None, lambda h: "?") == ""
