"""viewflow's manage actions (cancel, undo, revive, assign, unassign, and their bulk forms) are
refused to everyone, a superuser included: before, a superuser's POST to …/cancel/ cancelled
the process with no audit event and left its request with no step anyone could act on."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from viewflow.workflow.models import Task

from dictamenes.models import EventoAuditoria
from dictamenes.tramite.services import etapas
from tests.dictamenes.flujo_utils import detalle, en_firma, presentada, usuario

pytestmark = pytest.mark.django_db

# Every action viewflow offers on one task; each node type has some of them.
ACCIONES_DE_TAREA = ("cancel", "undo", "revive", "assign", "unassign", "execute")


@pytest.fixture
def superusuario():
    return get_user_model().objects.create_superuser(
        "raiz", email="raiz@demo.invalid", password="x" * 14
    )


def foto(solicitud) -> dict:
    """What a manage action would change: the process, each task, the request, the chain."""
    solicitud.refresh_from_db()
    proceso = solicitud.proceso
    proceso.refresh_from_db()
    return {
        "proceso": (proceso.status, proceso.finished),
        "tareas": sorted(
            Task.objects.filter(process=proceso).values_list("pk", "flow_task", "status", "owner")
        ),
        "solicitud": (solicitud.estado, solicitud.resultado),
        "eventos": EventoAuditoria.objects.filter(solicitud=solicitud).count(),
    }


def acciones_de_viewflow(solicitud) -> list[str]:
    """Every state-changing viewflow address of the request's process: the process's cancel,
    each task's actions, and the bulk assign and unassign."""
    proceso = solicitud.proceso
    urls = [
        reverse("workflow:flows:dictamen:process_cancel", args=[proceso.pk]),
        reverse("workflow:tasks_assign"),
        reverse("workflow:tasks_unassign"),
    ]
    for tarea in Task.objects.filter(process=proceso):
        for accion in ACCIONES_DE_TAREA:
            try:
                urls.append(tarea.flow_task.reverse(accion, args=[proceso.pk, tarea.pk]))
            except NoReverseMatch:
                continue
    return urls


def datos_de(url, solicitud) -> dict:
    """What viewflow's forms send: the process cancel's button, the bulk views' task ids."""
    tareas = [str(pk) for pk in Task.objects.filter(process=solicitud.proceso).values_list("pk")]
    return {"_cancel_process": "1", "pk": tareas, "select_all": "1", "_confirm": "1"}


@pytest.mark.parametrize("etapa", ["admision", "firma"])
def test_un_superusuario_no_cancela_ni_mueve_nada_por_viewflow(demo, client, superusuario, etapa):
    solicitud = presentada() if etapa == "admision" else en_firma()
    client.force_login(superusuario)
    antes = foto(solicitud)
    urls = acciones_de_viewflow(solicitud)
    assert any(u.endswith("/cancel/") for u in urls) and any("/undo/" in u for u in urls)
    respuestas = {}
    for url in urls:
        respuesta = client.post(url, datos_de(url, solicitud))
        respuestas[url] = respuesta.status_code
        assert foto(solicitud) == antes, f"{url} cambió el trámite"
    # Every one refused, each task's own page ("execute") too: the superuser holds no task.
    assert respuestas == dict.fromkeys(urls, 403)
    assert any(u.endswith("/execute/") for u in urls)
    # The request still moves through its own page.
    if etapa == "admision":
        etapas.admision_resolver(solicitud=solicitud, usuario=usuario("mesa"), admitir=True)
        solicitud.refresh_from_db()
        assert solicitud.estado == "revision_tecnica"
    else:
        from tests.dictamenes.flujo_utils import firmar

        firmar(solicitud)
        solicitud.refresh_from_db()
        assert solicitud.estado == "dictaminada"


def test_las_paginas_de_viewflow_no_ofrecen_cancelar(demo, client, superusuario):
    solicitud = en_firma()
    client.force_login(superusuario)
    proceso = solicitud.proceso
    pagina = client.get(reverse("workflow:flows:dictamen:process_detail", args=[proceso.pk]))
    assert pagina.status_code == 200
    assert reverse("workflow:flows:dictamen:process_cancel", args=[proceso.pk]) not in (
        pagina.content.decode()
    )
    firma = Task.objects.get(process=proceso, flow_task_type="HUMAN", status="NEW")
    html = client.get(firma.flow_task.reverse("detail", args=[proceso.pk, firma.pk])).content
    for accion in ("cancel", "undo", "revive"):
        assert f"/{accion}/" not in html.decode()
    assert client.get(
        reverse("workflow:flows:dictamen:process_cancel", args=[proceso.pk])
    ).status_code == (403)


def test_las_paginas_de_asignar_de_viewflow_llevan_al_expediente_y_no_asignan(demo, como):
    """Taking or dropping a task by viewflow's own pages would skip the audit and the separation
    of duties: a visit leads to the request's page, a POST is refused, and who owns the task
    does not change."""
    solicitud = presentada()
    tarea = Task.objects.get(process_id=solicitud.proceso.pk, flow_task_type="HUMAN", status="NEW")
    asignar = tarea.flow_task.reverse("assign", args=[solicitud.proceso.pk, tarea.pk])
    desasignar = tarea.flow_task.reverse("unassign", args=[solicitud.proceso.pk, tarea.pk])
    c = como("mesa")

    r = c.get(asignar)
    assert r.status_code == 302 and r.url == detalle(solicitud)
    assert c.post(asignar).status_code == 403
    tarea.refresh_from_db()
    assert tarea.owner_id is None and tarea.status == "NEW"

    tarea.flow_task.activation_class(tarea).assign(usuario("mesa"))
    r = c.get(desasignar)
    assert r.status_code == 302 and r.url == detalle(solicitud)
    assert c.post(desasignar).status_code == 403
    tarea.refresh_from_db()
    assert tarea.owner == usuario("mesa") and tarea.status == "ASSIGNED"
    # The task's own page («execute»), for whoever holds it, GET or POST: the request's page,
    # where the step is acted on; nothing is done there.
    ejecutar = tarea.flow_task.reverse("execute", args=[solicitud.proceso.pk, tarea.pk])
    for metodo in (c.get, c.post):
        r = metodo(ejecutar)
        assert (r.status_code, r.url) == (302, detalle(solicitud))
    tarea.refresh_from_db()
    assert tarea.owner == usuario("mesa") and tarea.status == "ASSIGNED"


def test_la_asignacion_en_bloque_de_viewflow_no_toma_tareas(demo, como):
    """viewflow's bulk assign checked only the role, for any task id: the mesa took a step
    with no audit event. Refused now; a visit leads to the queue."""
    solicitud = presentada()
    tarea = Task.objects.get(process_id=solicitud.proceso.pk, flow_task_type="HUMAN", status="NEW")
    c = como("mesa")
    r = c.post(reverse("workflow:tasks_assign"), {"pk": [tarea.pk], "_confirm": "1"})
    assert r.status_code == 403
    tarea.refresh_from_db()
    assert tarea.owner_id is None
    r = c.get(reverse("workflow:tasks_assign"))
    assert r.status_code == 302 and r.url == reverse("workflow:queue")
    r = c.get(reverse("workflow:tasks_unassign"))
    assert r.status_code == 302 and r.url == reverse("workflow:inbox")


def test_un_superusuario_no_atiende_el_tramite_desde_sus_paginas(demo, client, superusuario):
    """Django grants a superuser every permission; the procedure does not: with no role given
    in «Personas y roles», it takes no step, cancels no request, proposes no rectification and
    cancels no dictamen, and is told why, in Spanish."""
    from dictamenes import exceptions
    from tests.dictamenes.flujo_utils import firmar

    client.force_login(superusuario)
    presentada_ = presentada()
    tarea = Task.objects.get(process=presentada_.proceso, flow_task_type="HUMAN")
    dictamen = firmar(en_firma())
    emitida = dictamen.solicitud
    intentos = [
        (presentada_, reverse("solicitudes:tomar", args=[presentada_.pk, tarea.pk]), {}),
        (
            presentada_,
            reverse("solicitudes:cancelar_solicitud", args=[presentada_.pk]),
            {"cancelar_solicitud-motivo": "Duplicada.", "cancelar_solicitud-confirmar": "on"},
        ),
        (
            emitida,
            reverse("solicitudes:proponer_rectificacion", args=[emitida.pk, dictamen.pk]),
            {
                "proponer-motivo": "Error en las condiciones.",
                "proponer-resultado": "no_favorable",
                "proponer-motivos": "No procede.",
            },
        ),
    ]
    for solicitud, url, datos in intentos:
        antes = foto(solicitud)
        respuesta = client.post(url, datos)
        assert respuesta.status_code == 403, url
        assert str(exceptions.ERROR_SUPERUSUARIO) in respuesta.content.decode(), url
        assert foto(solicitud) == antes, f"{url} cambió el trámite"
    # Nor through the services the API and the commands reach.
    from dictamenes.tramite.selectors import access

    assert not access.puede_tomar(usuario=superusuario, tarea=tarea)
    impedimento = access.impedimento(
        usuario=superusuario, solicitud=emitida, accion=access.CANCELAR
    )
    assert impedimento == exceptions.ERROR_SUPERUSUARIO
