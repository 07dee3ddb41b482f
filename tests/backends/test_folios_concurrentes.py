"""Twenty agencies' staff present at the same moment: twenty distinct, consecutive folios."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from dictamenes.models import Solicitud
from dictamenes.services import solicitudes
from tests.backends.plugin import require_postgres
from tests.dictamenes.flujo_utils import borrador, usuario

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def en_paralelo(funcion, argumentos) -> list:
    """Run funcion(arg) for every arg in its own thread and connection, all released at once;
    return the exceptions raised."""
    salida = threading.Barrier(len(argumentos))
    errores = []

    def correr(argumento):
        try:
            salida.wait(timeout=30)
            funcion(argumento)
        except Exception as exc:  # reported by the caller
            errores.append(exc)
        finally:
            connection.close()

    hilos = [threading.Thread(target=correr, args=(a,)) for a in argumentos]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=180)
    return errores


def test_veinte_presentaciones_en_paralelo_dan_veinte_folios_consecutivos(demo):
    require_postgres()
    borradores = [borrador(titulo=f"Solicitud concurrente {i}") for i in range(20)]
    requirente = usuario("requirente.sh")
    errores = en_paralelo(
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
