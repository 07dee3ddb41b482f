"""The split purchases' window (issue 92, item 4): with fraccion_ventana_dias = 30, another
request of the agency presented exactly 30 days before or after this one counts («en 30 días
naturales»), one second further it does not."""

import datetime

import pytest
from django.utils import timezone

from dictamenes.models import ConfiguracionVias, Solicitud
from dictamenes.tramite.selectors.vias import hermanas_de, partidas_para_via
from tests.dictamenes.tramite.test_fraccionamiento import laptops, presentar
from tests.dictamenes.tramite.test_vias import nueva_version

pytestmark = pytest.mark.django_db

TREINTA_DIAS = datetime.timedelta(days=30)
UN_SEGUNDO = datetime.timedelta(seconds=1)


def test_la_ventana_incluye_sus_dos_extremos_al_segundo(demo):
    nueva_version(fraccion_ventana_dias=30)
    otra = presentar(laptops())
    esta = laptops()
    centro = timezone.now().replace(microsecond=0) - datetime.timedelta(days=60)
    Solicitud.objects.filter(pk=esta.pk).update(presentada_en=centro)
    esta.refresh_from_db()
    propias = partidas_para_via(solicitud=esta)
    config = ConfiguracionVias.objects.vigentes()
    assert config.fraccion_ventana_dias == 30

    def cuenta(presentada_en) -> bool:
        Solicitud.objects.filter(pk=otra.pk).update(presentada_en=presentada_en)
        folios = {h.folio for h in hermanas_de(solicitud=esta, partidas=propias, config=config)}
        return otra.folio in folios

    for lado in (-1, 1):
        borde = centro + lado * TREINTA_DIAS
        assert cuenta(borde - lado * UN_SEGUNDO), lado
        assert cuenta(borde), lado
        assert not cuenta(borde + lado * UN_SEGUNDO), lado
