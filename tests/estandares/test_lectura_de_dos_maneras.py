"""What the blind generator (tests/generador_a_ciegas.py) taught the reading (issue 88).

Each case tells the rule from its likely bug: the datum written the new way is found, and the
ordinary text nearest to it, which the same rule written too widely would take, is not. The
check characters come from the tests' own oracle (tests.datos_personales_mx), not from the
product nor from python-stdnum.
"""

import pytest

from estandares.datos_personales import hallazgos
from publico.datos_personales import texto_publicable
from tests.datos_personales_mx import curp_digito, rfc_digito


def _claves(texto: str) -> list[tuple[str, str]]:
    return [(h.tipo, h.clave) for h in hallazgos(texto)]


def _rfc(sin_digito: str) -> str:
    return sin_digito + rfc_digito(sin_digito)


# --- a ten and a unit without «y»: two readings ---------------------------------------------


def test_noventa_uno_dictado_es_noventa_y_uno_a_la_vez():
    """«noventa uno» as 90 and 1 completes a telephone (ten digits); as 91, text2num's
    reading, it is nine. «cuarenta cinco sesenta siete» read as 45 and 67 still is one."""
    assert _claves("Celular: seis seis dos, dos uno tres, noventa uno, cero") == [
        ("telefono", "6622139010")
    ]
    assert _claves("seis seis dos dos uno tres cuarenta cinco sesenta siete") == [
        ("telefono", "6622134567")
    ]


def test_cantidades_con_decenas_sin_y_no_son_telefonos():
    assert hallazgos("Se compran noventa uno equipos y treinta dos impresoras en 2026.") == []


# --- an e-mail spelled out: its dots stay beside the «@» ------------------------------------


def test_un_correo_deletreado_conserva_sus_puntos():
    texto = "Escribir a j o s e . o c h o a @ l i v e . c o m . m x hoy"
    (hallado,) = hallazgos(texto)
    # The word «a» before it is one letter too, and is read with the spelling.
    assert (hallado.tipo, hallado.clave) == ("correo", "AJOSE.OCHOA@LIVE.COM.MX")
    assert texto_publicable(texto).startswith("Escribir ") and "l i v e" not in texto_publicable(
        texto
    )
    en_palabras = "o c h o a r 1 9 7 9 arroba p r o d i g y punto n e t punto m x"
    assert _claves(en_palabras) == [("correo", "OCHOAR1979@PRODIGY.NET.MX")]


def test_unas_siglas_deletreadas_lejos_de_una_arroba_no_cambian():
    texto = "La S . E . C . O . G . E . S revisa la partida 51501."
    assert hallazgos(texto) == []
    assert texto_publicable(texto) == texto


# --- dots set apart in an e-mail ------------------------------------------------------------


def test_un_correo_con_puntos_apartados_y_dobles_se_lee():
    assert _claves("Contacto: karina . esquer  .b  @ live · .com  .mx") == [
        ("correo", "KARINA . ESQUER  .B@LIVE . .COM  .MX")
    ]
    assert _claves("jperez1997 @ outlook · . com") == [("correo", "JPEREZ1997@OUTLOOK . . COM")]


def test_el_punto_de_una_frase_no_se_vuelve_parte_del_correo():
    """A dot apart joins the address only with a space before it: the end of a sentence
    stays the sentence's."""
    (hallado,) = hallazgos("Fin del texto. juan . perez@sonora . gob . mx")
    assert hallado.texto == "juan . perez@sonora . gob . mx"


# --- the letters of a key apart ---------------------------------------------------------------


def test_un_rfc_con_sus_letras_apartadas_y_su_fecha_en_palabras():
    rfc = _rfc("DUVJ870130QU")
    texto = f"D . U . V . J ochenta y siete 0 . 1 treinta {rfc[10]} . {rfc[11]} . {rfc[12]}"
    if rfc[12] in "0123456789A":  # a homoclave apart ends as one does
        assert _claves(texto) == [("rfc", rfc)]
    assert _claves("R/U.C_S cincuenta y cuatro 0 5 veintidós") == [("rfc", "RUCS540522")]


def test_letras_apartadas_con_letras_por_digitos_piden_el_digito_verificador():
    """Letters apart and an O for a 0 in the date: a key only when its check character says
    so (the rule without this condition takes any four letters and a date-like word)."""
    rfc = _rfc("DUVJ870130Q3")
    otro = "1" if rfc[-1] != "1" else "2"
    fecha = "87O13O"
    assert _claves(f"D . U . V . J {fecha} Q . 3 . {rfc[-1]}") == [("rfc", rfc)]
    assert _claves(f"D . U . V . J {fecha} Q . 3 . {otro}") == []


@pytest.mark.parametrize(
    "texto",
    [
        "Anexos A, B, C y D 250115",
        "Fases A - B - C - D del 2025 al 2026",
        "Sedes A, E, I, O: 240 equipos",
    ],
)
def test_listas_de_letras_no_son_claves(texto):
    assert hallazgos(texto) == []


# --- a group with letters for digits among numbers in words -----------------------------------


def test_un_grupo_con_letras_por_digitos_completa_la_fecha_dicha():
    rfc = _rfc("OOYJ5606111I")
    assert _claves(f"OOYJ SG cero seis once 1I{rfc[-1]}") == [("rfc", rfc)]
    curp = "ZAMJ061008HNLZNN" + "R"
    curp += curp_digito(curp)
    assert _claves(f"ZAMJ 0G diez cero ocho {curp[10:]}") == [("curp", curp)]


def test_unidades_de_capacidad_junto_a_un_numero_en_palabras_no_son_un_telefono():
    """«8TB 1TB 2TB, cuatro» joined would read 8781782784, a number of the 878 area: a group
    with letters for digits joins numbers in words only to make a key's date."""
    assert hallazgos("Discos de 8TB, 1TB, 2TB, cuatro piezas") == []
    assert hallazgos("Memorias de 16GB 8GB, dos de 512GB") == []


# --- a person's RFC without homoclave in mixed case -------------------------------------------


def test_un_rfc_sin_homoclave_en_mayusculas_y_minusculas_pegado_a_su_fecha():
    assert _claves("Proveedor Febr020725 (homoclave 774)") == [("rfc", "FEBR020725")]
    # Apart from its date, a capitalised word is a word: «Lote 240115».
    assert hallazgos("Lote 240115 de equipos") == []


# --- «wa» between the groups of a telephone, and a homoclave that ends in «WA» ----------------


def test_una_homoclave_partida_que_acaba_en_wa_no_es_whatsapp_entre_grupos():
    """Hypothesis drew "GIAS4605131⏎WA, 20 × $24,000": the digits that end the key's date
    were read as a telephone's group and «WA» as WhatsApp's word before the next one, so the
    key lost its homoclave and nothing was found. The word counts after a whole group only."""
    clave = _rfc("GIAS460513" + "1W")
    assert clave == "GIAS4605131WA"
    assert _claves("Proveedor: GIAS4605131\nWA, 20 × $24,000 en 45 días.") == [("rfc", clave)]
    assert _claves("Proveedor: GIAS460513 1\nWA, 20 piezas") == [("rfc", clave)]
    # A telephone whose groups have «wa» between them is still one.
    assert [h.tipo for h in hallazgos("Contacto: 662 wa 213 4567, de lunes a viernes")] == [
        "telefono"
    ]
    assert [h.tipo for h in hallazgos("Contacto: lada 662, numero 213 4567")] == ["telefono"]


def test_una_curp_cuyas_primeras_letras_son_at_no_es_una_arroba():
    """Hypothesis drew "Proveedor: AT⏎AB000101HASBBBA3": « AT⏎» read as "@" left no CURP.
    The key is looked for in a reading where the words for "@" stay words."""
    curp = "ATAB000101HASBBBA"
    curp += curp_digito(curp)
    assert _claves(f"Proveedor: AT\n{curp[2:]}") == [("curp", curp)]
    assert _claves(f"Proveedor: AＴ\r\n{curp[2:]}.") == [("curp", curp)]
    # An address with "at" for "@" is still one.
    assert [h.tipo for h in hallazgos("Escriba a juan.perez at gmail.com")] == ["correo"]
