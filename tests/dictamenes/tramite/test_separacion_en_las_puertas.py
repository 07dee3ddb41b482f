"""Issue 92, item 1: every door that checks separation of duties calls the one rule
(access.impedimento), and each door's own call is what keeps the person out, through the door
a user uses.

Concluding an area's review and deciding take their step as they run (tareas.paso_tomar,
which asks the role, not the rule), and the step may be the person's already: a chief's
reassignment asks only the agency's part, and a step taken before the person took part in the
request was taken when nothing barred them. So these services ask the rule themselves. Here
the open step is given to the person directly, and the service alone must refuse them, with
nothing changed. The move to the full track is offered on the request's page only to whom the
rule lets (acciones.puede_pasar_a_completa).
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from dictamenes import exceptions
from dictamenes.flow_port import Nodo, nodo
from dictamenes.models import Area, EventoAuditoria, RevisionArea
from dictamenes.roles import Rol
from dictamenes.tramite.selectors.tareas import tareas_abiertas
from dictamenes.tramite.services import etapas
from tests.dictamenes.flujo_utils import (
    admitida,
    decidir,
    detalle,
    persona,
    revisada,
    revisar,
    usuario,
)
from tests.dictamenes.tramite.test_vias import presentada as rapida

pytestmark = pytest.mark.django_db


def superusuario():
    return get_user_model().objects.create_superuser("super", "super@demo.invalid", "x" * 14)


def del_ente(solicitud, roles):
    """Staff who came from the request's agency, holding `roles`."""
    suya = persona("del.ente", roles=roles, rfc="DELX800101AB1")
    suya.perfil.ente_id = solicitud.ente_id
    suya.perfil.save(update_fields=["ente"])
    return suya


def dar(solicitud, nodo_, a):
    """The open step of `nodo_` becomes `a`'s, as a chief's reassignment leaves it."""
    tarea = tareas_abiertas(solicitud=solicitud).get(flow_task=nodo(nodo_))
    tarea.flow_task.activation_class(tarea).assign(a)
    return tarea


def sin_cambios(solicitud, tarea, antes):
    tarea.refresh_from_db()
    assert tarea.status == "ASSIGNED"
    assert solicitud.eventos.count() == antes


# --- Concluding an area's review: access.impedimento(REVISAR) -----------------------------------


@pytest.mark.parametrize("quien", ["superusuario", "del_ente", "decidio"])
def test_concluir_una_revision_pregunta_la_regla(demo, quien):
    if quien == "decidio":
        # Whoever sent it back to the area decided its content: the re-review is not theirs.
        solicitud = revisada()
        etapas.solicitud_decidir(
            solicitud=solicitud,
            usuario=usuario("estrategico"),
            motivos="Falta revisar la garantía.",
            devolver_a=Area.objects.get(clave="computo"),
        )
        paso, persona_, motivo = (
            Nodo.RE_REVISION,
            usuario("estrategico"),
            exceptions.ERROR_ESTRATEGICO_Y_REVISOR,
        )
    else:
        solicitud = admitida()
        paso = Nodo.REVISION_TECNICA
        if quien == "superusuario":
            persona_, motivo = superusuario(), exceptions.ERROR_SUPERUSUARIO
        else:
            # Its role does not matter: the step is given to it.
            persona_ = del_ente(solicitud, [Rol.REVISOR_ESTRATEGICO])
            motivo = exceptions.ERROR_MISMO_ENTE
    tarea = dar(solicitud, paso, persona_)
    revisiones, antes = RevisionArea.objects.count(), solicitud.eventos.count()
    with pytest.raises(PermissionDenied) as rechazo:
        revisar(solicitud, "computo", revisor=persona_)
    assert str(rechazo.value) == str(motivo)
    assert RevisionArea.objects.count() == revisiones
    sin_cambios(solicitud, tarea, antes)


# --- The strategic decision: access.impedimento(DECIDIR) ----------------------------------------


@pytest.mark.parametrize("quien", ["superusuario", "del_ente", "reviso"])
def test_decidir_pregunta_la_regla(demo, quien):
    solicitud = revisada()
    if quien == "superusuario":
        persona_, motivo = superusuario(), exceptions.ERROR_SUPERUSUARIO
    elif quien == "del_ente":
        persona_ = del_ente(solicitud, [Rol.REVISOR_ESTRATEGICO])
        motivo = exceptions.ERROR_MISMO_ENTE
    else:
        persona_, motivo = usuario("revisor.computo"), exceptions.ERROR_REVISOR_Y_ESTRATEGICO
    tarea = dar(solicitud, Nodo.REVISION_ESTRATEGICA, persona_)
    antes, estado = solicitud.eventos.count(), solicitud.estado
    with pytest.raises(PermissionDenied) as rechazo:
        decidir(solicitud, estrategico=persona_.username)
    assert str(rechazo.value) == str(motivo)
    solicitud.refresh_from_db()
    assert solicitud.estado == estado
    assert not EventoAuditoria.objects.filter(
        solicitud=solicitud, tipo="decision_estrategica"
    ).exists()
    sin_cambios(solicitud, tarea, antes)


# --- The move to the full track, on the page: access.impedimento(PASAR_A_COMPLETA) -------------


def test_la_pagina_ofrece_pasar_a_la_via_completa_solo_a_quien_la_regla_deja(demo, client):
    solicitud = rapida()
    assert solicitud.via == "rapida"
    formulario = f'action="{reverse("solicitudes:via_completa", args=[solicitud.pk])}"'
    mesa_del_ente = persona("mesa.ente", roles=[Rol.MESA_CONTROL], rfc="MDEX800101AB1")
    mesa_del_ente.perfil.ente_id = solicitud.ente_id
    mesa_del_ente.perfil.save(update_fields=["ente"])
    vistos = {}
    for quien in (usuario("mesa"), superusuario(), mesa_del_ente, usuario("revisor.computo")):
        client.force_login(quien)
        respuesta = client.get(detalle(solicitud))
        assert respuesta.status_code == 200
        vistos[quien.username] = formulario in respuesta.content.decode()
    # The mesa may; a superuser never acts in the procedure, the mesa of the request's own
    # agency does not judge it, and without the mesa's role nobody moves it.
    assert vistos == {
        "mesa": True,
        "super": False,
        "mesa.ente": False,
        "revisor.computo": False,
    }


@pytest.mark.parametrize("quien", ["superusuario", "del_ente", "sin_rol"])
def test_la_puerta_de_la_via_completa_pregunta_la_regla(demo, quien):
    """The door itself (tramite.services.vias.via_pasar_a_completa), as the API or a command
    reaches it, answers with the rule's words and moves nothing."""
    from dictamenes.tramite.selectors import access
    from dictamenes.tramite.services import vias

    solicitud = rapida()
    persona_ = {
        "superusuario": superusuario,
        "del_ente": lambda: del_ente(solicitud, [Rol.MESA_CONTROL]),
        "sin_rol": lambda: usuario("revisor.computo"),
    }[quien]()
    esperado = {
        "superusuario": exceptions.ERROR_SUPERUSUARIO,
        "del_ente": exceptions.ERROR_MISMO_ENTE,
        "sin_rol": access.ERROR_VIA_SIN_PERMISO,
    }[quien]
    with pytest.raises(PermissionDenied) as error:
        vias.via_pasar_a_completa(solicitud=solicitud, usuario=persona_, motivo="Revisarla toda.")
    assert str(error.value) == str(esperado)
    solicitud.refresh_from_db()
    assert solicitud.via == "rapida"
