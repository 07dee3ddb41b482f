"""Issue 88, item 5: personal data in every pair of kinds of writing (tests/generador_identidades,
which imports nothing of the product) is refused where it is typed and unreadable where it is
published; the corpus of ordinary ICT texts passes unchanged.

Each pair is its own case, named by its kinds («rfc:parecidas×truncamientos»), with three
data each. What is published is read back the way a determined reader reads it
(generador_identidades.legible): the datum's core (a birth date, a telephone's last seven
digits, an address's local part) must not be there.
"""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from estandares.datos_personales import SIN_DATOS_PERSONALES
from publico.datos_personales import texto_publicable
from tests import generador_identidades as gen

SEMILLA = 88
CASOS = [(tipo, a, b) for tipo in gen.FABRICAS for a, b in gen.pares(tipo)]
CONTEXTOS = (
    "Juan Pérez Gómez {}",
    "Para dudas sobre la entrega, comunicarse con el responsable: {}. Gracias.",
)


def _variantes(tipo, a, b):
    return [
        (texto, nucleo) for x, y, texto, nucleo in gen.variantes(tipo, SEMILLA) if (x, y) == (a, b)
    ]


@pytest.mark.parametrize(("tipo", "a", "b"), CASOS, ids=[f"{t}:{a}×{b}" for t, a, b in CASOS])
def test_cada_par_de_clases_se_rechaza_y_no_se_publica(tipo, a, b):
    for texto, nucleo in _variantes(tipo, a, b):
        for contexto in CONTEXTOS:
            escrito = contexto.format(texto)
            with pytest.raises(ValidationError):
                SIN_DATOS_PERSONALES(escrito)
            publicado = texto_publicable(escrito)
            leido = gen.legible(publicado) + gen.digitos_legibles(publicado)
            assert nucleo.upper() not in leido.upper(), (escrito, publicado)


def test_el_generador_cubre_cada_tipo_con_pares_de_clases():
    # 4 types; at least 6 pairs each but the telephone's (4 kinds: 6 pairs).
    assert {t for t, _a, _b in CASOS} == {"rfc", "curp", "telefono", "correo"}
    assert len(CASOS) >= 30


CORPUS = [
    linea
    for linea in (Path(__file__).parent / "datos" / "corpus_tic.txt").read_text().splitlines()
    if linea.strip() and not linea.startswith("#")
]


def test_el_corpus_tiene_al_menos_300_textos_y_pasa_sin_cambio():
    assert len(CORPUS) >= 300
    rechazados = []
    for texto in CORPUS:
        try:
            SIN_DATOS_PERSONALES(texto)
        except ValidationError:
            rechazados.append(texto)
    assert rechazados == []
    assert [t for t in CORPUS if texto_publicable(t) != t] == []


@pytest.mark.parametrize(
    ("escrito", "es_telefono"),
    [
        # 81 241 16 782 with letters for most digits: after «tel.», every group reads.
        ("Contacto: tel. Bl 2A1 lG TBZ", True),
        ("Contacto: cel: Bl 2A1 lG TBZ", True),
        # The same characters without being said to be a telephone: groups of letters.
        ("Contacto: Bl 2A1 lG TBZ", False),
    ],
)
def test_tras_decir_telefono_cada_grupo_se_lee_con_sus_letras(escrito, es_telefono):
    try:
        SIN_DATOS_PERSONALES(escrito)
        rechazado = False
    except ValidationError:
        rechazado = True
    assert rechazado is es_telefono
