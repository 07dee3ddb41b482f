"""Who records what was done about a sign (issue 80; issue 92, item 1): the page and the door
ask one answer (senales.services.impedimento_atender). Nobody of the request's agency, even
holding the role that decides at the request's step; then only that role (in admission, the
mesa de control). The page offers the sign's form to whom the door lets, and the door refuses
the others with nothing written."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from dictamenes.models import EventoAuditoria, Senal
from dictamenes.roles import Rol
from dictamenes.senales import services
from tests.dictamenes.flujo_utils import detalle, persona, presentada, usuario

pytestmark = pytest.mark.django_db


@pytest.fixture
def senal(demo):
    solicitud = presentada()
    Senal.objects.all().delete()
    return Senal.objects.create(
        solicitud=solicitud,
        codigo="cobertura",
        ente=solicitud.ente,
        ejercicio=solicitud.ejercicio,
        texto="Tres cotizaciones al mismo precio.",
        detectada_en=timezone.now(),
    )


def mesa_del_ente(solicitud):
    suya = persona("mesa.ente", roles=[Rol.MESA_CONTROL], rfc="MDEX800101AB1")
    suya.perfil.ente_id = solicitud.ente_id
    suya.perfil.save(update_fields=["ente"])
    return suya


def test_la_puerta_niega_a_la_dependencia_y_a_quien_no_decide(senal):
    solicitud = senal.solicitud
    negados = {
        "mesa.ente": (mesa_del_ente(solicitud), services.ERROR_DEL_ENTE),
        "revisor.computo": (
            usuario("revisor.computo"),
            services.ERROR_NO_DECIDE % {"rol": Rol.MESA_CONTROL.label},
        ),
    }
    antes = EventoAuditoria.objects.count()
    for quien, (persona_, motivo) in negados.items():
        with pytest.raises(PermissionDenied) as rechazo:
            services.senal_atender(
                senal=senal,
                usuario=persona_,
                atencion="sin_efecto",
                nota="Revisada contra la referencia de precios.",
            )
        assert str(rechazo.value) == str(motivo), quien
    senal.refresh_from_db()
    assert (senal.atencion, senal.atendida_por_id) == ("", None)
    assert EventoAuditoria.objects.count() == antes
    # The mesa, of no agency, records it.
    services.senal_atender(
        senal=senal,
        usuario=usuario("mesa"),
        atencion="sin_efecto",
        nota="Revisada contra la referencia de precios.",
    )
    senal.refresh_from_db()
    assert senal.atendida_por == usuario("mesa")


def test_la_pagina_ofrece_el_formulario_a_quien_la_puerta_deja(senal, client):
    solicitud = senal.solicitud
    accion = f'action="{reverse("solicitudes:senal_atender", args=[solicitud.pk, senal.pk])}"'
    vistos = {}
    for persona_ in (usuario("mesa"), mesa_del_ente(solicitud), usuario("revisor.computo")):
        client.force_login(persona_)
        respuesta = client.get(detalle(solicitud))
        assert respuesta.status_code == 200
        vistos[persona_.username] = accion in respuesta.content.decode()
    assert vistos == {"mesa": True, "mesa.ente": False, "revisor.computo": False}


def test_la_puerta_niega_al_superusuario_con_la_regla_de_separacion(senal):
    # Issue 92, item 1: the door asks separation of duties (ATENDER_SENAL), which keeps the
    # account that administers the server out of the procedure, whatever it may do elsewhere.
    from django.contrib.auth import get_user_model

    from dictamenes import exceptions

    raiz = get_user_model().objects.create_superuser("raiz", "raiz@demo.invalid", "x" * 14)
    with pytest.raises(PermissionDenied) as rechazo:
        services.senal_atender(
            senal=senal, usuario=raiz, atencion="sin_efecto", nota="Revisada por la cuenta raíz."
        )
    assert str(rechazo.value) == str(exceptions.ERROR_SUPERUSUARIO)
    senal.refresh_from_db()
    assert senal.atendida_por_id is None
