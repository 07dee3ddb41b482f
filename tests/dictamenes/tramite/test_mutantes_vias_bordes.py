"""A mutant of fracciones_detectar judged equivalent and then killed in one of the two runs of
2026-11-29 (issue 92, item 3): with the fast track on and the split-purchase check turned off
by the office, no request is held back for adding up with its sisters. The judgement had looked
only at the fast track off."""

from decimal import Decimal as D

from dictamenes.models import ConfiguracionVias
from dictamenes.models.vias import Via
from dictamenes.tramite.reglas.vias import Hermana, PartidaParaVia, via_que_corresponde
from estandares.cumplimiento import Veredicto


def _laptops(importe):
    return PartidaParaVia("Laptops", "laptop", "Laptop", True, Veredicto.CUMPLE, importe=importe)


def test_sin_la_revision_de_fraccionamiento_la_hermana_no_cambia_la_via():
    # $400,000.00 here and $200,000.00 in SOL-1 add up past the $500,000.00 threshold: a split
    # purchase when the office checks it, the fast track when it does not.
    iniciales = ConfiguracionVias.objects.iniciales()
    assert iniciales["rapida_activa"] and iniciales["fraccion_activa"]
    hermanas = [Hermana("SOL-1", _laptops(D(200000)))]

    con = ConfiguracionVias(**iniciales)
    via, _ = via_que_corresponde(partidas=[_laptops(D(400000))], config=con, hermanas=hermanas)
    assert via == Via.COMPLETA

    sin = ConfiguracionVias(**{**iniciales, "fraccion_activa": False})
    via, razones = via_que_corresponde(
        partidas=[_laptops(D(400000))], config=sin, hermanas=hermanas
    )
    assert via == Via.RAPIDA
    assert not any("SOL-1" in razon for razon in razones)
