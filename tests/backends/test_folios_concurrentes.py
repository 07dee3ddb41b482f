"""Twenty agencies' staff present at the same moment: twenty distinct, consecutive folios."""

import pytest
from django.utils import timezone

from dictamenes.models import Solicitud
from dictamenes.tramite.services import solicitudes
from tests.backends.paralelo import en_paralelo
from tests.backends.plugin import require_postgres
from tests.dictamenes.flujo_utils import borrador, usuario

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_veinte_presentaciones_en_paralelo_dan_veinte_folios_consecutivos(demo):
    require_postgres()
    borradores = [borrador(titulo=f"Solicitud concurrente {i}") for i in range(20)]
    requirente = usuario("requirente.sh")
    _resultados, errores = en_paralelo(
        lambda pk: solicitudes.solicitud_presentar(
            solicitud=Solicitud.objects.get(pk=pk), usuario=requirente
        ),
        [s.pk for s in borradores],
    )

    assert errores == []
    anio = timezone.localdate().year
    folios = sorted(Solicitud.objects.values_list("folio", flat=True))
    assert folios == [f"SOL-{anio}-{n:05d}" for n in range(1, 21)]
    assert Solicitud.objects.filter(estado="admision").count() == 20


# The signatures' folios: fifty at once in tests/backends/test_concurrencia.py.
