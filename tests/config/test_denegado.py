"""The 403 page says why when the refusal is the project's own, and nothing of a library's."""

import re

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task

from dictamenes.tramite.services import solicitudes
from flujos.views import ERROR_GESTION_MANUAL
from tests.dictamenes.flujo_utils import presentada, usuario

pytestmark = pytest.mark.django_db

GENERAL = "Su cuenta no tiene permiso para ver esta página."


@pytest.fixture
def como(client):
    def entrar(username):
        client.force_login(usuario(username))
        return client

    return entrar


def test_la_pagina_403_dice_el_motivo_de_la_separacion_de_funciones(demo, como):
    """Taking a step by viewflow's own page would skip the separation of duties and the
    audit: refused, and the page says where steps are taken."""
    solicitud = presentada()
    tarea = Task.objects.get(process_id=solicitud.proceso.pk, flow_task_type="HUMAN", status="NEW")
    reverse("workflow:queue")  # viewflow's nodes reverse once the URLconf is loaded
    asignar = tarea.flow_task.reverse("assign", args=[solicitud.proceso.pk, tarea.pk])
    respuesta = como("mesa").post(asignar)
    assert respuesta.status_code == 403
    html = respuesta.content.decode()
    assert str(ERROR_GESTION_MANUAL) in html
    assert GENERAL not in html


def test_la_pagina_403_dice_el_motivo_de_un_servicio(demo, como):
    """The auditor opens «nueva solicitud»: the service says who creates requests."""
    respuesta = como("auditor").get(reverse("solicitudes:nueva"))
    assert respuesta.status_code == 403
    assert str(solicitudes.ERROR_SOLO_PERSONAL_DE_DEPENDENCIA) in respuesta.content.decode()


def test_lo_que_niega_una_biblioteca_no_se_muestra(client, settings):
    """Django's own refusal of a user agent is in English and about its machinery: the page
    keeps its general sentence."""
    settings.DISALLOWED_USER_AGENTS = [re.compile("sonda")]
    respuesta = client.get("/", headers={"user-agent": "sonda/1.0"})
    assert respuesta.status_code == 403
    html = respuesta.content.decode()
    assert GENERAL in html
    assert "Forbidden user agent" not in html


def test_sin_sesion_la_cola_de_viewflow_no_dice_mas(client):
    """viewflow refuses an anonymous visitor with no reason of its own: the general sentence."""
    respuesta = client.get("/flujos/workflow/queue/assign/")
    assert respuesta.status_code == 403
    assert GENERAL in respuesta.content.decode()
