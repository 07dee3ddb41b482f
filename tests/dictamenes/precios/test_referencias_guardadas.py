"""Issue 64: a request's page keeps its items' price references per version of the data and
the references' own (how many, oldest and newest date: the daily run writes no event). What
the reviewer reads is the reference in the table: the daily run that moves a reference, and
the one that drops it, are on the next visit, even when another reference was already
recalculated that day."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from dictamenes.models import ReferenciaPrecio
from tests.dictamenes import flujo_utils as fu
from tests.dictamenes.tramite.test_precio_revisor import _por_area, _referencia

pytestmark = pytest.mark.django_db

AYER = datetime.timedelta(days=1)


@pytest.fixture
def pagina(demo, como):
    """Waiting for the strategic decision: «computo»'s reference calculated yesterday,
    «redes»' already today (a dictamen issued this morning recalculated it)."""
    solicitud = fu.revisada(areas=("computo", "redes"))
    p = _por_area(solicitud)
    computo = _referencia(p["computo"])
    _referencia(p["redes"], mediana="3000")
    ReferenciaPrecio.objects.filter(pk=computo.pk).update(calculada_el=timezone.localdate() - AYER)
    cliente = como("estrategico")

    def ver() -> str:
        respuesta = cliente.get(fu.detalle(solicitud))
        assert respuesta.status_code == 200
        return respuesta.content.decode()

    return ver, computo


def test_la_corrida_diaria_que_mueve_una_referencia_se_ve_en_la_siguiente_visita(pagina):
    ver, computo = pagina
    assert "mediana $7,000.00" in ver()
    assert "mediana $7,000.00" in ver()  # kept
    # The daily run, later the same day: no event, the newest date was already today's.
    ReferenciaPrecio.objects.filter(pk=computo.pk).update(
        calculada_el=timezone.localdate(), mediana=Decimal("8000")
    )
    despues = ver()
    assert "mediana $8,000.00" in despues and "mediana $7,000.00" not in despues


def test_la_referencia_que_la_corrida_diaria_quita_ya_no_se_ve(pagina):
    ver, computo = pagina
    ReferenciaPrecio.objects.filter(pk=computo.pk).update(calculada_el=timezone.localdate())
    assert "mediana $7,000.00" in ver()
    # A profile left without observations loses its reference (referencias_recalcular).
    ReferenciaPrecio.objects.filter(pk=computo.pk).delete()
    assert "mediana $7,000.00" not in ver()
