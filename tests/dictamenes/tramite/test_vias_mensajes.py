"""Each condition of the fast track says what was checked and what was found, true on both
sides (issue 61): «Condición no cumplida: su monto estimado es menor al umbral…» said of a
$2,150,000 request read as a false statement. The rule on plain data: no database."""

import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from dictamenes.models.vias import ConfiguracionVias
from dictamenes.tramite.reglas.vias import PartidaParaVia, via_evaluar

UMBRAL = Decimal("500000.00")


def config(**campos) -> ConfiguracionVias:
    return ConfiguracionVias(
        rapida_activa=True,
        umbral_monto=campos.pop("umbral", UMBRAL),
        categorias_completas=campos.pop("completas", []),
        fraccion_activa=False,
        **campos,
    )


def partida(importe="10000.00", *, veredicto="cumple", publicada=True, categoria="switch"):
    return PartidaParaVia(
        descripcion=f"Partida de {categoria}",
        categoria_clave=categoria,
        categoria_nombre=categoria.capitalize(),
        publicada=publicada,
        veredicto=veredicto,
        importe=Decimal(importe),
    )


def razones(partidas, **campos) -> list[str]:
    return via_evaluar(partidas=partidas, config=config(**campos)).razones


def test_el_monto_sobre_el_umbral_dice_que_no_es_menor():
    assert razones([partida("2150000.00")])[0] == (
        "Condición no cumplida: la suma de sus partidas, $2,150,000.00, no es menor al umbral de "
        "$500,000.00."
    )


def test_el_monto_bajo_el_umbral_dice_que_es_menor():
    assert razones([partida("499999.99")])[0] == (
        "Condición cumplida: la suma de sus partidas, $499,999.99, es menor al umbral de "
        "$500,000.00."
    )


def test_el_monto_igual_al_umbral_no_es_menor():
    assert razones([partida("500000.00")])[0] == (
        "Condición no cumplida: la suma de sus partidas, $500,000.00, no es menor al umbral de "
        "$500,000.00."
    )


def test_partidas_que_cumplen_y_una_que_no():
    assert razones([partida()])[1] == (
        "Condición cumplida: todas sus partidas usan un perfil de la edición vigente de los "
        "estándares técnicos y su autoevaluación da «Cumple»."
    )
    assert razones([partida(), partida(veredicto="observaciones", categoria="router")])[1] == (
        "Condición no cumplida: no todas sus partidas usan un perfil de la edición vigente de "
        "los estándares técnicos con autoevaluación «Cumple» («Cumple con observaciones» no "
        "basta). La autoevaluación de la partida «Partida de router» da «Cumple con "
        "observaciones»."
    )
    assert razones([partida(publicada=False)])[1] == (
        "Condición no cumplida: no todas sus partidas usan un perfil de la edición vigente de "
        "los estándares técnicos con autoevaluación «Cumple» («Cumple con observaciones» no "
        "basta). La partida «Partida de switch» usa un perfil de una edición de los estándares "
        "que no está vigente."
    )


def test_sin_partidas_dice_que_aun_no_tiene():
    decidida = via_evaluar(partidas=[], config=config())
    assert decidida.via == "completa"
    assert decidida.razones[:2] == [
        "Condición cumplida: la suma de sus partidas, $0.00, es menor al umbral de $500,000.00.",
        "Condición no cumplida: aún no tiene partidas, y la vía rápida pide que todas usen un "
        "perfil de la edición vigente de los estándares técnicos con autoevaluación «Cumple».",
    ]


def test_categorias_ninguna_y_alguna_de_revision_completa():
    assert razones([partida()], completas=["firewall"])[2] == (
        "Condición cumplida: ninguna partida es de una categoría que siempre va a revisión "
        "completa."
    )
    assert razones([partida(categoria="firewall")], completas=["firewall"])[2] == (
        "Condición no cumplida: alguna partida es de una categoría que siempre va a revisión "
        "completa. La partida «Partida de firewall» es de «Firewall», categoría que siempre va "
        "a revisión completa."
    )


CENTAVOS = st.integers(min_value=0, max_value=10**11)
CIFRA = re.compile(r"\$([\d,]+\.\d\d)")


@given(monto=CENTAVOS, umbral=CENTAVOS)
def test_la_razon_del_monto_es_verdad_con_cualquier_cifra(monto, umbral):
    """An independent oracle: read both figures back from the sentence and compare them."""
    monto, umbral = Decimal(monto) / 100, Decimal(umbral) / 100
    razon = razones([partida(str(monto))], umbral=umbral)[0]
    dicho, contra = (Decimal(c.replace(",", "")) for c in CIFRA.findall(razon))
    assert (dicho, contra) == (monto, umbral)
    if dicho < contra:
        assert razon.startswith("Condición cumplida: ") and ", es menor al umbral" in razon
    else:
        assert razon.startswith("Condición no cumplida: ") and ", no es menor al umbral" in razon
