"""Issue 59, item 2: the admin site is not a way around. Deactivating, demoting or deleting an
administrator, the signer or a reviewer waits for a second administrator, whatever the page;
and the system never falls below two active administrators."""

import pytest
from django.urls import reverse

from dictamenes import exceptions
from dictamenes.models import CambioPendiente, EventoAuditoria
from dictamenes.organizacion.services.emergencia import administradores_activos
from dictamenes.personas.services import acceso, personas
from dictamenes.personas.services import control_dual as cambios
from dictamenes.roles import Rol
from tests.conftest import entrar
from tests.cuentas.test_admin_cuentas import cambio_de_cuenta
from tests.dictamenes.flujo_utils import usuario

pytestmark = pytest.mark.django_db


def superusuario():
    """A third administrator, as `createsuperuser` makes one at the server."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("raiz", "raiz@demo.invalid", "x" * 20)


def ficha(pk):
    return reverse("cuentas:rol_persona", args=[pk])


def pedir_acceso(client, pk, motivo="Baja por oficio SGD/9/2026"):
    return client.post(ficha(pk), {"accion": "acceso", "acceso-motivo": motivo})


def aprobar(client, username):
    cambio = CambioPendiente.objects.get(estado="pendiente")
    entrar(client, username)
    return client.post(reverse("cuentas:cambio_resolver", args=[cambio.pk]), {"accion": "aprobar"})


@pytest.mark.parametrize("username", ["admin2", "firmante", "revisor.redes", "mesa"])
def test_el_admin_no_desactiva_a_quien_actua_en_el_tramite(demo, client, username):
    cuenta = usuario(username)
    entrar(client, "admin")
    datos = cambio_de_cuenta(cuenta, first_name="Otro nombre")
    del datos["is_active"]  # what the outside probe posted: the box unticked
    respuesta = client.post(reverse("admin:auth_user_change", args=[cuenta.pk]), datos)
    assert respuesta.status_code == 302
    assert usuario(username).is_active
    # Nor deleted: the admin refuses the page itself.
    borrar = client.get(reverse("admin:auth_user_delete", args=[cuenta.pk]))
    assert borrar.status_code == 403
    assert administradores_activos().count() == 2


def test_el_admin_si_desactiva_a_un_requirente_y_queda_en_la_auditoria(demo, client):
    cuenta = usuario("requirente.sh")
    entrar(client, "admin")
    datos = cambio_de_cuenta(cuenta)
    del datos["is_active"]
    assert (
        client.post(reverse("admin:auth_user_change", args=[cuenta.pk]), datos).status_code == 302
    )
    assert not usuario("requirente.sh").is_active
    assert EventoAuditoria.objects.filter(tipo="admin_cambio").exists()


def test_desactivar_al_firmante_espera_a_otra_persona_administradora(demo, client):
    firmante = usuario("firmante")
    entrar(client, "admin")
    assert pedir_acceso(client, firmante.pk).status_code == 302
    assert "Cambio pedido: tendrá efecto cuando otra persona administradora lo apruebe" in (
        client.get(ficha(firmante.pk)).content.decode()
    )
    assert usuario("firmante").is_active
    cambio = CambioPendiente.objects.get(estado="pendiente")
    assert (cambio.tipo, cambio.datos) == ("acceso", {"activo": [True, False]})
    # The approver reads the account's state in force beside the new one.
    entrar(client, "admin2")
    pagina = client.get(reverse("cuentas:cambios")).content.decode()
    assert (
        'data-etiqueta="Vigente">activa</td><td class="cambio-valores__texto" '
        'data-etiqueta="Con el cambio">desactivada</td>'
    ) in pagina
    entrar(client, "admin")
    # Who asked cannot approve it.
    assert (
        client.post(
            reverse("cuentas:cambio_resolver", args=[cambio.pk]), {"accion": "aprobar"}
        ).status_code
        == 403
    )
    assert usuario("firmante").is_active
    assert aprobar(client, "admin2").status_code == 302
    assert not usuario("firmante").is_active
    evento = EventoAuditoria.objects.get(tipo="cuenta_desactivada")
    assert evento.usuario.username == "admin2"
    assert evento.datos["pedido_por"] == usuario("admin").pk
    assert evento.motivo == "Baja por oficio SGD/9/2026"


def test_nunca_quedan_menos_de_dos_administradores(demo, client):
    """Two active administrators: neither can be deactivated nor demoted, by any path."""
    assert administradores_activos().count() == 2
    entrar(client, "admin")
    respuesta = pedir_acceso(client, usuario("admin2").pk)
    assert respuesta.status_code == 400
    assert str(personas.ERROR_MENOS_DE_DOS_ADMINISTRADORES) in respuesta.content.decode()
    assert not CambioPendiente.objects.exists()

    raiz = superusuario()
    assert administradores_activos().count() == 3
    # With three, one may go (asked by one, approved by another) ...
    pedido = acceso.cuenta_acceso_cambiar(
        persona=usuario("admin2"), activo=False, por=raiz, motivo="Baja por cambio de puesto"
    )
    cambios.cambio_aprobar(cambio=pedido, por=usuario("admin"))
    assert not usuario("admin2").is_active
    # ... and then no other: not deactivated, not demoted.
    with pytest.raises(Exception) as error:
        acceso.cuenta_acceso_cambiar(
            persona=usuario("admin"), activo=False, por=raiz, motivo="Baja por cambio de puesto"
        )
    assert error.value.messages == [str(personas.ERROR_MENOS_DE_DOS_ADMINISTRADORES)]
    with pytest.raises(Exception) as error:
        personas.rol_retirar(
            usuario=usuario("admin"),
            rol=Rol.ADMINISTRADOR,
            por=raiz,
            motivo="Baja por cambio de puesto",
        )
    assert error.value.messages == [str(personas.ERROR_MENOS_DE_DOS_ADMINISTRADORES)]
    assert administradores_activos().count() == 2


def test_una_baja_aprobada_cuando_ya_quedarian_menos_de_dos_es_un_conflicto(demo):
    """Two deactivations asked while there were three administrators, each fine alone: the
    second approval would leave one, and is refused."""
    raiz = superusuario()
    del_admin = acceso.cuenta_acceso_cambiar(
        persona=usuario("admin"),
        activo=False,
        por=usuario("admin2"),
        motivo="Baja por cambio de puesto",
    )
    del_admin2 = acceso.cuenta_acceso_cambiar(
        persona=usuario("admin2"), activo=False, por=raiz, motivo="Baja por cambio de puesto"
    )
    cambios.cambio_aprobar(cambio=del_admin2, por=usuario("admin"))
    with pytest.raises(exceptions.Conflicto) as error:
        cambios.cambio_aprobar(cambio=del_admin, por=raiz)
    assert error.value.messages == [str(personas.ERROR_MENOS_DE_DOS_ADMINISTRADORES)]
    assert usuario("admin").is_active
    assert administradores_activos().count() == 2


def test_un_requirente_se_desactiva_al_momento_en_la_pagina_de_roles(demo, client):
    entrar(client, "admin")
    requirente = usuario("requirente.rc")
    assert pedir_acceso(client, requirente.pk).status_code == 302
    assert not usuario("requirente.rc").is_active
    assert not CambioPendiente.objects.exists()
    assert EventoAuditoria.objects.get(tipo="cuenta_desactivada").usuario.username == "admin"


def test_ni_un_superusuario_crea_en_el_admin_el_token_de_la_api_de_otra_persona(demo, client):
    """A token acts as its person on the API: it is made at the server (drf_create_token
    --usuario, audited), and in the admin only revoked."""
    from rest_framework.authtoken.models import Token

    client.force_login(superusuario())
    respuesta = client.post(
        reverse("admin:authtoken_tokenproxy_add"), {"user": usuario("requirente.sh").pk}
    )
    assert respuesta.status_code == 403
    assert not Token.objects.exists()


def test_ni_un_superusuario_borra_en_el_admin_el_perfil_de_quien_actua_en_el_tramite(demo, client):
    """Deleting and adding again the signer's profile would set another RFC, CURP and cargo at
    once, around their dual control (found by a review of issue 59)."""
    from dictamenes.models import Perfil

    client.force_login(superusuario())
    perfil = Perfil.objects.get(usuario__username="firmante")
    url = reverse("admin:dictamenes_perfil_delete", args=[perfil.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Perfil.objects.filter(pk=perfil.pk).exists()
