"""«Pendientes» kept per person, data version and day (issue 64, item 3): the page served
from the cache is the page computed afresh, a change through the door shows at once, a
step's deadline that passes ends what was kept, and the surveys leave at their own instant."""

import datetime

import pytest
import time_machine
from django.core.cache import cache as django_cache
from django.urls import reverse
from django.utils import timezone

from dictamenes.encuestas.selectors import DIAS_EN_PENDIENTES
from dictamenes.models import InvitacionEncuesta
from dictamenes.pendientes import selectors as pendientes
from dictamenes.tramite.services import tareas
from tests.dictamenes.flujo_utils import en_firma, firmar, presentada, usuario
from tests.dictamenes.pendientes.test_pendientes import bloque, prevenida
from tests.guardadas import sin_csrf

pytestmark = pytest.mark.django_db


def _html(client) -> str:
    contenido = client.get(reverse("inicio")).content.decode()
    return sin_csrf(contenido)


def test_la_pagina_guardada_es_la_que_se_calcula_sin_guardar(demo, como):
    prevenida(titulo="Equipos para ventanillas")
    presentada(titulo="Servidores del centro de datos")
    firmar(en_firma(titulo="Equipos de archivo"))
    for quien in ("requirente.sh", "mesa", "revisor.computo", "estrategico", "firmante"):
        django_cache.clear()
        fresca = _html(como(quien))
        guardada = _html(como(quien))
        assert guardada == fresca, quien
        django_cache.clear()
        assert _html(como(quien)) == fresca, quien


def test_tomar_un_paso_cambia_lo_guardado_en_seguida(demo, como):
    solicitud = presentada()
    assert list(bloque(como("mesa"))) == ["por_tomar"]
    (tarea,) = [t for t in solicitud.proceso.task_set.all() if t.flow_task.name == "admision"]
    tareas.tarea_tomar(tarea=tarea, usuario=usuario("mesa"))
    assert list(bloque(como("mesa"))) == ["mis_tareas"]


def test_lo_guardado_dura_hasta_el_primer_plazo_que_vence():
    ahora = timezone.now()
    grupo = pendientes.Grupo(
        clave="mis_tareas",
        titulo="Pasos",
        total=3,
        entradas=[
            pendientes.Entrada(texto="a", url="/", vence=ahora + datetime.timedelta(hours=2)),
            pendientes.Entrada(texto="b", url="/", vence=ahora + datetime.timedelta(seconds=90)),
            pendientes.Entrada(texto="c", url="/", vence=ahora - datetime.timedelta(hours=1)),
            pendientes.Entrada(texto="d", url="/", vence=timezone.localdate()),
        ],
    )
    assert pendientes._vida([grupo], ahora) == 90.0
    assert pendientes._vida([], ahora) is None


def test_un_paso_que_vence_a_media_tarde_se_pone_en_rojo_a_esa_hora(demo, como):
    solicitud = presentada()
    (tarea,) = [t for t in solicitud.proceso.task_set.all() if t.flow_task.name == "admision"]
    zona = timezone.get_current_timezone()
    hoy = timezone.localdate()
    vence = timezone.make_aware(datetime.datetime.combine(hoy, datetime.time(15, 0)), zona)
    tarea.data = {**tarea.data, "vence": vence.isoformat()}
    tarea.save(update_fields=["data"])
    with time_machine.travel(vence - datetime.timedelta(minutes=5), tick=False):
        assert "semaforo--rojo" not in _html(como("mesa"))
    with time_machine.travel(vence + datetime.timedelta(minutes=5), tick=False):
        assert "semaforo--rojo" in _html(como("mesa"))


def test_la_encuesta_sale_a_los_treinta_dias_aunque_lo_demas_este_guardado(demo, como):
    dictamen = firmar(en_firma(titulo="Equipos de archivo"))
    invitacion = InvitacionEncuesta.objects.get(solicitud=dictamen.solicitud)
    sale = invitacion.creada_en + datetime.timedelta(days=DIAS_EN_PENDIENTES)
    with time_machine.travel(sale - datetime.timedelta(minutes=1), tick=False):
        assert "encuestas" in bloque(como("requirente.sh"))
    with time_machine.travel(sale + datetime.timedelta(minutes=1), tick=False):
        assert "encuestas" not in bloque(como("requirente.sh"))
