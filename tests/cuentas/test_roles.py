"""Roles are granted and removed on «Personas y roles», by an administrator, each change with
its reason in the audit chain (issue 18, item 1). A role of the procedure takes effect when a
second administrator approves it (issue 33: tests/cuentas/test_control_dual.py)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dictamenes import exceptions
from dictamenes.models import Area, CambioPendiente, Ente, EventoAuditoria
from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from dictamenes.organizacion.selectors.usuarios import roles_de
from dictamenes.personas.services import control_dual as cambios
from dictamenes.personas.services import personas
from dictamenes.roles import Rol
from tests.dictamenes.flujo_utils import persona, presentada, usuario

pytestmark = pytest.mark.django_db


def pagina(pk):
    return reverse("cuentas:rol_persona", args=[pk])


def otorgar(client, pk, rol, motivo="Oficio SGD/123/2026", **extra):
    datos = {"accion": "otorgar", "otorgar-rol": rol, "otorgar-motivo": motivo}
    datos.update({f"otorgar-{k}": v for k, v in extra.items()})
    return client.post(pagina(pk), datos)


def retirar(client, pk, rol, motivo="Cambio de adscripción"):
    return client.post(
        pagina(pk), {"accion": "retirar", "retirar-rol": rol, "retirar-motivo": motivo}
    )


def aprobar(client, username="admin2"):
    """The second administrator approves the one pending change."""
    cambio = CambioPendiente.objects.get(estado="pendiente")
    client.force_login(usuario(username))
    respuesta = client.post(
        reverse("cuentas:cambio_resolver", args=[cambio.pk]), {"accion": "aprobar"}
    )
    assert respuesta.status_code == 302, respuesta.content.decode()
    return respuesta


@pytest.fixture
def auditora(demo):
    """A person with one role (auditor), to be given another."""
    return persona("auditora2", roles=[Rol.AUDITOR], rfc="AUDX800101AB1")


@pytest.fixture
def superusuario(django_user_model):
    return django_user_model.objects.create_superuser("raiz", "raiz@demo.invalid", "x" * 20)


def test_el_rol_otorgado_da_la_bandeja_y_el_retirado_la_quita(auditora, como):
    solicitud = presentada(titulo="Conmutadores")
    cola = reverse("workflow:queue")
    assert solicitud.folio not in como("auditora2").get(cola).content.decode()

    admin = como("admin")
    assert otorgar(admin, auditora.pk, Rol.MESA_CONTROL).status_code == 302
    mensaje = admin.get(pagina(auditora.pk)).content.decode()
    assert "Rol «Mesa de control» pedido: tendrá efecto cuando otra persona" in mensaje
    # Not yet: a second administrator approves it.
    assert solicitud.folio not in como("auditora2").get(cola).content.decode()
    aprobar(admin)
    evento = EventoAuditoria.objects.get(tipo="rol_otorgado")
    assert evento.usuario.username == "admin2"
    assert evento.datos["pedido_por"] == usuario("admin").pk
    assert evento.motivo == "Oficio SGD/123/2026"
    assert evento.datos["rol"] == "mesa_control"
    assert evento.datos["persona"] == auditora.pk

    # What the person notices: the admission waits for them in the queue, and their home
    # page has the mesa's panel.
    ella = como("auditora2")
    assert "Tomar Admisión de " + solicitud.folio in ella.get(cola).content.decode()
    assert "Mesa de control" in ella.get("/").content.decode()

    # Taking a role of the procedure away waits for a second administrator too (issue 59).
    admin = como("admin")
    assert retirar(admin, auditora.pk, Rol.MESA_CONTROL).status_code == 302
    assert "Retiro del rol «Mesa de control» pedido: tendrá efecto cuando otra persona" in (
        admin.get(pagina(auditora.pk)).content.decode()
    )
    assert "Tomar Admisión de " + solicitud.folio in como("auditora2").get(cola).content.decode()
    assert not EventoAuditoria.objects.filter(tipo="rol_retirado").exists()
    aprobar(admin)
    retiro = EventoAuditoria.objects.get(tipo="rol_retirado")
    assert (retiro.motivo, retiro.usuario.username) == ("Cambio de adscripción", "admin2")
    assert retiro.datos["pedido_por"] == usuario("admin").pk
    assert solicitud.folio not in como("auditora2").get(cola).content.decode()
    assert roles_de(usuario=usuario("auditora2")) == [Rol.AUDITOR]


def test_nadie_cambia_sus_propios_roles(demo, como):
    admin = usuario("admin")
    c = como("admin")
    # The page says so instead of offering the forms...
    html = c.get(pagina(admin.pk)).content.decode()
    assert str(personas.ERROR_ROLES_PROPIOS) in html and "otorgar-rol" not in html
    # ...and a POST made by hand is refused, in Spanish, with nothing changed.
    respuesta = otorgar(c, admin.pk, Rol.FIRMANTE)
    assert respuesta.status_code == 400
    assert str(personas.ERROR_ROLES_PROPIOS) in respuesta.content.decode()
    assert retirar(c, admin.pk, Rol.ADMINISTRADOR).status_code == 400
    assert roles_de(usuario=usuario("admin")) == [Rol.ADMINISTRADOR]
    assert not EventoAuditoria.objects.filter(tipo__startswith="rol_").exists()
    with pytest.raises(ValidationError, match="Nadie cambia sus propios roles"):
        personas.rol_otorgar(
            usuario=admin, rol=Rol.FIRMANTE, por=admin, motivo="Me lo otorgo yo mismo"
        )


def test_solo_un_superusuario_hace_administradores(auditora, como, superusuario):
    admin = usuario("admin")
    # Not offered to an administrator, and refused if asked for.
    assert 'value="administrador"' not in como("admin").get(pagina(auditora.pk)).content.decode()
    assert otorgar(como("admin"), auditora.pk, Rol.ADMINISTRADOR).status_code == 400
    with pytest.raises(ValidationError) as error:
        personas.rol_otorgar(
            usuario=auditora, rol=Rol.ADMINISTRADOR, por=admin, motivo="Cambio de puesto por oficio"
        )
    assert error.value.messages == [str(personas.ERROR_ROL_ADMINISTRADOR)]
    assert not usuario("auditora2").is_staff

    # A superuser may; staff (the admin's door) follows the role both ways.
    c = como("admin")
    c.force_login(superusuario)
    assert otorgar(c, auditora.pk, Rol.ADMINISTRADOR).status_code == 302
    assert not usuario("auditora2").is_staff  # until a second administrator approves
    aprobar(c, "admin")
    assert usuario("auditora2").is_staff
    c.force_login(superusuario)
    assert retirar(c, auditora.pk, Rol.ADMINISTRADOR).status_code == 302
    assert usuario("auditora2").is_staff  # until a second administrator approves
    aprobar(c, "admin")
    assert not usuario("auditora2").is_staff


def test_un_administrador_no_toca_los_roles_de_un_superusuario(demo, como, superusuario):
    c = como("admin")
    html = c.get(pagina(superusuario.pk)).content.decode()
    assert str(personas.ERROR_CUENTA_SUPERUSUARIO) in html
    assert otorgar(c, superusuario.pk, Rol.MESA_CONTROL).status_code == 400
    assert not superusuario.groups.exists()


def test_el_motivo_es_obligatorio(auditora, como):
    respuesta = otorgar(como("admin"), auditora.pk, Rol.MESA_CONTROL, motivo="   ")
    assert respuesta.status_code == 400
    assert roles_de(usuario=usuario("auditora2")) == [Rol.AUDITOR]
    with pytest.raises(ValidationError, match="motivo"):
        personas.rol_otorgar(
            usuario=auditora, rol=Rol.MESA_CONTROL, por=usuario("admin"), motivo=" "
        )


def test_requirente_con_su_ente_y_revisor_con_sus_areas(demo, como):
    nueva = persona("nueva", roles=[Rol.AUDITOR], rfc="NUEX800101AB1")
    c = como("admin")
    sh = Ente.objects.get(siglas="SH")
    # A requirente belongs to an agency; internal staff (an auditor too) to none.
    sin_ente = otorgar(c, nueva.pk, Rol.REQUIRENTE)
    assert str(exceptions.ERROR_REQUIRENTE_SIN_ENTE) in sin_ente.content.decode()
    con_rol_interno = otorgar(c, nueva.pk, Rol.REQUIRENTE, ente=sh.pk)
    assert str(exceptions.ERROR_INTERNO_CON_ENTE) in con_rol_interno.content.decode()
    assert retirar(c, nueva.pk, Rol.AUDITOR).status_code == 302
    assert otorgar(c, nueva.pk, Rol.REQUIRENTE, ente=sh.pk).status_code == 302
    solicitud = presentada(titulo="Licencias de correo")
    assert solicitud.folio in como("nueva").get(reverse("solicitudes:lista")).content.decode()
    # Agency staff cannot also be the Subsecretaría's.
    c = como("admin")  # the same test client, back to the administrator
    interno = otorgar(c, nueva.pk, Rol.MESA_CONTROL)
    assert str(exceptions.ERROR_INTERNO_CON_ENTE) in interno.content.decode()

    # A technical reviewer reviews the areas given.
    otro = persona("otro", roles=[Rol.AUDITOR], rfc="OTRX800101AB1")
    respuesta = otorgar(c, otro.pk, Rol.REVISOR_TECNICO)
    assert str(exceptions.ERROR_REVISOR_SIN_AREA) in respuesta.content.decode()
    redes = Area.objects.get(clave="redes")
    assert otorgar(c, otro.pk, Rol.REVISOR_TECNICO, areas=[redes.pk]).status_code == 302
    aprobar(c)
    c.force_login(usuario("admin"))
    otro = usuario("otro")
    assert otro.has_perm("dictamenes.revisar_area", redes)
    assert not otro.has_perm("dictamenes.revisar_area", Area.objects.get(clave="computo"))
    assert retirar(c, otro.pk, Rol.REVISOR_TECNICO).status_code == 302
    assert usuario("otro").has_perm("dictamenes.revisar_area", redes)  # until approved
    aprobar(c)
    otro = usuario("otro")
    assert not otro.has_perm("dictamenes.revisar_area", redes)
    assert not otro.perfil.areas.exists()


def test_un_area_creada_en_el_admin_tambien_se_asigna(auditora):
    """The admin saves an area without its reviewers' group; the first reviewer creates it."""
    nueva = Area.objects.create(clave="centros", nombre="Centros de datos")
    pedido = personas.rol_otorgar(
        usuario=auditora,
        rol=Rol.REVISOR_TECNICO,
        por=usuario("admin"),
        motivo="Cambio de puesto por oficio",
        areas=[nueva],
    )
    cambios.cambio_aprobar(cambio=pedido, por=usuario("admin2"))
    assert usuario("auditora2").has_perm("dictamenes.revisar_area", nueva)


@pytest.mark.parametrize("username", ["requirente.sh", "mesa", "firmante", "auditor"])
def test_solo_el_administrador_llega_a_la_pagina(demo, como, username):
    c = como(username)
    objetivo = usuario("revisor.redes")
    assert c.get(reverse("cuentas:roles")).status_code == 403
    assert c.get(pagina(objetivo.pk)).status_code == 403
    assert otorgar(c, objetivo.pk, Rol.FIRMANTE).status_code == 403
    with pytest.raises(PermissionDenied):
        personas.rol_otorgar(
            usuario=objetivo,
            rol=Rol.FIRMANTE,
            por=usuario(username),
            motivo="Cambio de puesto por oficio",
        )
    assert roles_de(usuario=usuario("revisor.redes")) == [Rol.REVISOR_TECNICO]


def test_la_lista_solo_se_lee(demo, como):
    assert como("admin").post(reverse("cuentas:roles")).status_code == 405
    assert como("mesa").post(reverse("cuentas:roles")).status_code == 403


def test_sin_sesion_lleva_a_entrar(demo, client):
    for url in (reverse("cuentas:roles"), pagina(usuario("mesa").pk)):
        respuesta = client.get(url)
        assert respuesta.status_code == 302 and respuesta.url.startswith(reverse("login"))


def test_el_administrador_la_encuentra_en_su_inicio(demo, como):
    c = como("admin")
    assert reverse("cuentas:roles") in c.get("/").content.decode()
    mesa = usuario("mesa")
    lista = c.get(reverse("cuentas:roles")).content.decode()
    assert pagina(mesa.pk) in lista and "Mesa de control" in lista


def test_las_paginas_leen_lo_mismo_con_pocas_o_muchas_personas(
    demo, como, django_assert_max_num_queries
):
    c = como("admin")
    textos_vigentes_en_cache()  # warm, as on a running site: the header reads it from the cache
    with django_assert_max_num_queries(9):  # the count of changes to approve
        assert c.get(reverse("cuentas:roles")).status_code == 200
    revisor = usuario("revisor.redes")
    with django_assert_max_num_queries(10):
        assert c.get(pagina(revisor.pk)).status_code == 200
    for i in range(40):
        persona(
            f"revisor{i}",
            roles=[Rol.REVISOR_TECNICO],
            rfc=f"REVX80{1 + i // 28:02d}{1 + i % 28:02d}AB1",
            areas=[Area.objects.get(clave="redes")],
        )
    with django_assert_max_num_queries(9):  # the count of changes to approve
        respuesta = c.get(reverse("cuentas:roles"))
    assert "revisor39" in respuesta.content.decode()
    with django_assert_max_num_queries(10):
        assert c.get(pagina(revisor.pk)).status_code == 200
