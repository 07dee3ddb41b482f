"""Twenty agencies' staff present at the same moment: twenty distinct, consecutive folios."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from dictamenes import tramite
from dictamenes.models import Solicitud
from tests.backends.plugin import require_postgres
from tests.dictamenes.flujo_utils import borrador, usuario

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_veinte_presentaciones_en_paralelo_dan_veinte_folios_consecutivos(demo):
    require_postgres()
    borradores = [borrador(titulo=f"Solicitud concurrente {i}") for i in range(20)]
    requirente = usuario("requirente.sh")
    salida = threading.Barrier(len(borradores))
    errores = []

    def presentar(pk):
        try:
            salida.wait(timeout=30)
            tramite.solicitud_presentar(solicitud=Solicitud.objects.get(pk=pk), usuario=requirente)
        except Exception as exc:  # reported below with the folios
            errores.append(exc)
        finally:
            connection.close()

    hilos = [threading.Thread(target=presentar, args=(s.pk,)) for s in borradores]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=120)

    assert errores == []
    anio = timezone.localdate().year
    folios = sorted(Solicitud.objects.values_list("folio", flat=True))
    assert folios == [f"SOL-{anio}-{n:05d}" for n in range(1, 21)]
    assert Solicitud.objects.filter(estado="admision").count() == 20


def test_diez_firmas_en_paralelo_dan_folios_de_dictamen_consecutivos(demo):
    from dictamenes import emision, tramite
    from dictamenes.models import Dictamen
    from tests.dictamenes.flujo_utils import admitida, credencial, revisar

    require_postgres()
    en_firma = []
    for i in range(10):
        solicitud = admitida(titulo=f"Para firmar {i}")
        revisar(solicitud, "computo")
        tramite.decision_estrategica(
            solicitud=solicitud,
            usuario=usuario("estrategico"),
            resultado="favorable",
            motivos="Procede.",
        )
        en_firma.append(solicitud.pk)
    firmante = usuario("firmante")
    salida = threading.Barrier(len(en_firma))
    errores = []

    def firmar(pk):
        try:
            llave = credencial()
            salida.wait(timeout=30)
            emision.dictamen_emitir(
                solicitud=Solicitud.objects.get(pk=pk), usuario=firmante, credencial=llave
            )
        except Exception as exc:
            errores.append(exc)
        finally:
            connection.close()

    hilos = [threading.Thread(target=firmar, args=(pk,)) for pk in en_firma]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=180)

    assert errores == []
    anio = timezone.localdate().year
    folios = sorted(Dictamen.objects.values_list("folio", flat=True))
    assert folios == [f"SGD/DGPDGT/DT/{anio}/{n:04d}" for n in range(1, 11)]
