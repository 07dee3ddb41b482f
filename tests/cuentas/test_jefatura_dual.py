"""Issue 77, item 3: the jefatura (a chief reassigns others' tasks) is a power, so one
administrator cannot give it: the admin shows it read-only, and «Personas y roles» asks for it
and applies it only when a second administrator approves. What a person notices: until then
the «Reasignar a» of a request's page is not theirs, and after it is."""

import pytest
from django.test import Client
from django.urls import reverse

from dictamenes.models import CambioPendiente, EventoAuditoria, Perfil
from dictamenes.personas.services import control_dual, jefatura
from tests.conftest import entrar
from tests.dictamenes.flujo_utils import detalle, otra_mesa, presentada, usuario

pytestmark = pytest.mark.django_db

MOTIVO = "Oficio SGD/045/2026: coordina la mesa de control"


def como(nombre) -> Client:
    cliente = Client()
    entrar(cliente, nombre)
    return cliente


def _es_jefe(username) -> bool:
    # The oracle reads the row itself.
    return Perfil.objects.values_list("es_jefe", flat=True).get(usuario__username=username)


def _pedir(cliente, persona):
    return cliente.post(
        reverse("cuentas:rol_persona", args=[persona.pk]),
        {"accion": "jefatura", "jefatura-motivo": MOTIVO},
    )


def _resolver(cliente, cambio):
    return cliente.post(reverse("cuentas:cambio_resolver", args=[cambio.pk]), {"accion": "aprobar"})


def _puede_reasignar(cliente, solicitud) -> bool:
    return "Reasignar a" in cliente.get(detalle(solicitud)).content.decode()


def test_el_admin_no_da_la_jefatura_ni_al_editar_ni_al_dar_de_alta(demo):
    perfil = Perfil.objects.get(usuario__username="mesa")
    admin = como("admin")
    url = reverse("admin:dictamenes_perfil_change", args=[perfil.pk])
    pagina = admin.get(url).content.decode()
    assert 'name="es_jefe"' not in pagina
    respuesta = admin.post(url, {"cargo": perfil.cargo, "es_jefe": "on"})
    assert respuesta.status_code == 302
    assert _es_jefe("mesa") is False
    alta = admin.get(reverse("admin:dictamenes_perfil_add")).content.decode()
    assert 'name="es_jefe"' not in alta


def test_la_jefatura_espera_a_la_segunda_persona_y_entonces_reasigna(demo):
    mesa = usuario("mesa")
    otra = otra_mesa()
    solicitud = presentada()
    admin = como("admin")
    pagina = admin.get(reverse("cuentas:rol_persona", args=[mesa.pk])).content.decode()
    assert "Dar la jefatura" in pagina

    assert _pedir(admin, mesa).status_code == 302
    cambio = CambioPendiente.objects.get(
        tipo=CambioPendiente.Tipo.JEFATURA, estado=CambioPendiente.Estado.PENDIENTE
    )
    assert cambio.persona == mesa
    assert cambio.datos["filas"][0]["antes"] == "Sin jefatura"
    assert cambio.datos["filas"][0]["despues"] == "Con jefatura"
    # Asked, not given: the chief's action is not on the request's page yet.
    assert _es_jefe("mesa") is False
    assert not _puede_reasignar(como("mesa"), solicitud)

    # Nobody approves their own request, nor the person it is about.
    assert _resolver(admin, cambio).status_code == 403
    assert _resolver(como("admin2"), cambio).status_code == 302
    assert _es_jefe("mesa") is True
    evento = EventoAuditoria.objects.get(tipo="jefatura_cambiada")
    assert evento.datos["es_jefe"] is True and evento.motivo == MOTIVO

    c = como("mesa")
    assert _puede_reasignar(c, solicitud)
    tarea = solicitud.proceso.task_set.get(status="NEW")
    r = c.post(
        reverse("solicitudes:reasignar", args=[solicitud.pk, tarea.pk]),
        {"persona": otra.pk, "motivo": "Vacaciones"},
    )
    assert r.status_code == 302

    # Taken away the same way.
    assert (
        "Quitar la jefatura"
        in admin.get(reverse("cuentas:rol_persona", args=[mesa.pk])).content.decode()
    )
    assert _pedir(como("admin2"), mesa).status_code == 302
    quitar = CambioPendiente.objects.get(
        tipo=CambioPendiente.Tipo.JEFATURA, estado=CambioPendiente.Estado.PENDIENTE
    )
    assert _es_jefe("mesa") is True
    assert _resolver(admin, quitar).status_code == 302
    assert _es_jefe("mesa") is False


def test_nadie_aprueba_su_propia_jefatura(demo):
    admin2 = usuario("admin2")
    Perfil.objects.get_or_create(
        usuario=admin2, defaults={"rfc": "AAAA800101AB1", "cargo": "Coordinadora"}
    )
    assert _pedir(como("admin"), admin2).status_code == 302
    cambio = CambioPendiente.objects.get(tipo=CambioPendiente.Tipo.JEFATURA)
    respuesta = _resolver(como("admin2"), cambio)
    assert respuesta.status_code == 403
    assert str(control_dual.ERROR_APRUEBA_SU_CUENTA) in respuesta.content.decode()
    assert _es_jefe("admin2") is False


def test_solo_una_persona_administradora_la_pide_y_el_servicio_lo_exige(demo):
    mesa = usuario("mesa")
    respuesta = como("firmante").post(
        reverse("cuentas:rol_persona", args=[mesa.pk]),
        {"accion": "jefatura", "jefatura-motivo": MOTIVO},
    )
    assert respuesta.status_code == 403
    assert not CambioPendiente.objects.filter(tipo=CambioPendiente.Tipo.JEFATURA).exists()
    with pytest.raises(Exception) as error:
        jefatura.perfil_jefatura_cambiar(
            perfil=Perfil.objects.get(usuario=mesa), es_jefe=True, por=usuario("firmante")
        )
    assert error.type.__name__ == "PermissionDenied"
    assert _es_jefe("mesa") is False


def test_sin_motivo_no_se_pide(demo):
    mesa = usuario("mesa")
    respuesta = como("admin").post(
        reverse("cuentas:rol_persona", args=[mesa.pk]),
        {"accion": "jefatura", "jefatura-motivo": ""},
    )
    assert respuesta.status_code == 400
    assert not CambioPendiente.objects.exists()
