"""The history generator writes the world's cases (demo.historico.mundo) as they happened:
each task waits, starts and ends when the world says, in the hands of the person who served
it, and the days of attention the one door writes are the world's own count."""

import datetime

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task

from demo import historico, historico_con_pasos
from demo.historico import mundo
from dictamenes.models import Area, Solicitud

pytestmark = pytest.mark.django_db

# In the middle of 2025's December rush: requests closed, in someone's hands and queued.
HASTA = timezone.make_aware(datetime.datetime(2025, 12, 10, 12, 0))
# The demo has one person per role; each area has its own reviewer.
QUIEN = {"admision": "mesa", "revision_estrategica": "estrategico", "firma": "firmante"}


def _fila(tarea, claves) -> tuple:
    """A task as written: its step, when it was queued, started and finished, and whose."""
    paso = tarea.data["etapa"]
    if paso == "revision_area":
        paso = f"{mundo.PREFIJO_AREA}{claves[tarea.data['area']]}"
    dueno = tarea.owner.username if tarea.owner_id else None
    return (paso, tarea.created, tarea.started, tarea.finished, dueno)


def _esperada(tarea, momento) -> tuple:
    """A world's task cut at HASTA, as it should be written."""
    creada, inicio, fin = momento(tarea.lista), momento(tarea.inicio), momento(tarea.fin)
    terminada = fin if fin <= HASTA else None
    if tarea.paso == mundo.SUBSANAR:  # the requirente's own time: no one's queue
        return (tarea.paso, creada, creada if terminada else None, terminada, None)
    clave = tarea.paso.removeprefix(mundo.PREFIJO_AREA)
    dueno = QUIEN.get(tarea.paso, f"revisor.{clave}")
    if inicio > HASTA:
        return (tarea.paso, creada, None, None, None)
    return (tarea.paso, creada, inicio, terminada, dueno)


def test_el_generador_escribe_los_tiempos_y_los_dias_del_mundo(demo):
    generador = historico.Generador(anios=1, escala=1, hasta=HASTA, semilla=3, ultimo=2025)
    generador.generar()

    def momento(t):
        return generador.reloj.momento(t, generador.zona)

    casos = [c for c in generador.casos[2025] if momento(c.presentada) <= HASTA]
    solicitudes = list(Solicitud.objects.filter(ejercicio=2025).order_by("folio"))
    assert len(solicitudes) == len(casos) > 600
    claves = dict(Area.objects.values_list("pk", "clave"))
    estados = set()
    for solicitud, caso in zip(solicitudes, casos, strict=True):
        assert solicitud.presentada_en == momento(caso.presentada)
        escritas = sorted(
            _fila(t, claves)
            for t in Task.objects.filter(
                process_id=solicitud.proceso.pk, flow_task_type="HUMAN"
            ).select_related("owner")
        )
        esperadas = sorted(_esperada(t, momento) for t in caso.tareas if momento(t.lista) <= HASTA)
        assert escritas == esperadas, solicitud.folio
        estados |= {(f[2] is not None, f[3] is not None) for f in escritas}
        if momento(caso.atendida) <= HASTA:
            assert solicitud.dias_habiles_atencion == caso.dias, solicitud.folio
        else:
            assert solicitud.atendida_en is None
    # Done, in someone's hands and waiting in a queue, all three at HASTA.
    assert estados == {(True, True), (True, False), (False, False)}


def test_la_demostracion_tiene_2025_completo_con_sus_pasos(demo):
    """Every request of 2025 closed, with the world's count of arrivals."""
    assert historico_con_pasos.cargar() == round(794 * 1.04)
    del_anio = Solicitud.objects.filter(ejercicio=2025)
    assert del_anio.count() == 826
    assert not del_anio.exclude(estado__in=["dictaminada", "desechada"]).exists()
    assert not Task.objects.exclude(status="DONE").filter(created__year=2025).exists()
    assert historico_con_pasos.cargar() == 0  # idempotent
