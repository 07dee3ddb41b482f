"""The fast track's amount threshold in the split-purchase rule (issue 92, item 4), at
$500,000.00 (VIAS_INICIALES) and a cent each side: the request and the agency's others add
up to «el umbral o más»; a request at the threshold itself goes by the full track for its
amount and the rule names no sister request for it («only for a request under the
threshold»). The amount's own condition is tested by
tests/dictamenes/tramite/test_vias.py::test_el_monto_igual_al_umbral_va_a_la_via_completa."""

from decimal import Decimal as D

import pytest

from dictamenes.models import ConfiguracionVias
from dictamenes.models.vias import Via
from dictamenes.tramite.reglas.vias import Hermana, PartidaParaVia, fracciones_detectar, via_evaluar
from estandares.cumplimiento import Veredicto


def laptops(importe) -> PartidaParaVia:
    return PartidaParaVia("Laptops", "laptop", "Laptop", True, Veredicto.CUMPLE, importe=D(importe))


@pytest.fixture
def config():
    config = ConfiguracionVias(**ConfiguracionVias.objects.iniciales())
    assert config.umbral_monto == D("500000.00")
    return config


@pytest.mark.parametrize(
    ("otra", "fraccion"), [("99999.99", False), ("100000.00", True), ("100000.01", True)]
)
def test_la_suma_con_la_otra_solicitud_llega_al_umbral_al_centavo(config, otra, fraccion):
    # $400,000.00 here and $99,999.99, $100,000.00 or $100,000.01 in SOL-1.
    hermanas = [Hermana("SOL-1", laptops(otra))]
    halladas = fracciones_detectar(
        partidas=[laptops("400000.00")], hermanas=hermanas, config=config
    )
    assert bool(halladas) is fraccion
    decidida = via_evaluar(partidas=[laptops("400000.00")], config=config, hermanas=hermanas)
    assert decidida.via == (Via.COMPLETA if fraccion else Via.RAPIDA)


@pytest.mark.parametrize(
    ("propia", "fraccion"), [("499999.99", True), ("500000.00", False), ("500000.01", False)]
)
def test_solo_una_solicitud_bajo_el_umbral_nombra_a_sus_hermanas(config, propia, fraccion):
    hermanas = [Hermana("SOL-1", laptops("1.00"))]
    halladas = fracciones_detectar(partidas=[laptops(propia)], hermanas=hermanas, config=config)
    assert bool(halladas) is fraccion
    decidida = via_evaluar(partidas=[laptops(propia)], config=config, hermanas=hermanas)
    assert decidida.via == Via.COMPLETA
    assert any("SOL-1" in r for r in decidida.razones) is fraccion
