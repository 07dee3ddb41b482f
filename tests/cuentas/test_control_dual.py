"""Issue 33, items 3 and 4, over HTTP: one administrator alone can no longer set someone's
password, change their e-mail, RFC or CURP, nor make a role of the procedure take effect. A
second administrator approves (never the one who asked, the person affected, the account's
creator or the break-glass account); each step is audited and the person is told by e-mail.
Every password change is audited, and a role taken away gives back its open steps."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import checks, mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.status import STATUS

from cuentas.checks import W_ADMINISTRADORES
from demo.usuarios import CONTRASENA_DEMO
from dictamenes.models import Aviso, CambioPendiente, EventoAuditoria, Perfil
from dictamenes.organizacion.selectors.usuarios import roles_de
from dictamenes.personas.services import control_dual as cambios
from dictamenes.roles import Rol
from dictamenes.tramite.selectors.tareas import tareas_abiertas
from dictamenes.tramite.services import tareas
from tests.conftest import entrar
from tests.dictamenes.flujo_utils import otra_mesa, persona, presentada, usuario

pytestmark = pytest.mark.django_db

NUEVO_CORREO = "gastelum.nuevo@demo.invalid"


def ficha(pk):
    return reverse("cuentas:rol_persona", args=[pk])


def pedir_rol(client, pk, rol, motivo="Oficio SGD/7/2026", areas=()):
    return client.post(
        ficha(pk),
        {
            "accion": "otorgar",
            "otorgar-rol": rol,
            "otorgar-motivo": motivo,
            "otorgar-areas": [a.pk for a in areas],
        },
    )


def pedir_identidad(client, persona_, motivo="Oficio SGD/8/2026", **datos):
    perfil = Perfil.objects.get(usuario=persona_)
    actuales = {"email": persona_.email, "rfc": perfil.rfc, "curp": perfil.curp or ""}
    actuales.update(datos)
    return client.post(
        ficha(persona_.pk),
        {
            "accion": "identidad",
            "identidad-motivo": motivo,
            **{f"identidad-{k}": v for k, v in actuales.items()},
        },
    )


def resolver(client, cambio, accion="aprobar", motivo=""):
    return client.post(
        reverse("cuentas:cambio_resolver", args=[cambio.pk]),
        {"accion": accion, "motivo": motivo},
    )


def tipos_de_eventos():
    return list(EventoAuditoria.objects.order_by("numero").values_list("tipo", flat=True))


def test_lo_que_hizo_un_administrador_solo_ahora_espera_a_otro(
    demo, client, django_capture_on_commit_callbacks
):
    """The finding: admin created an account, gave it a profile, granted it «Revisor
    estratégico» and logged in as it. Now the account has no password its creator knows, and
    the role waits for a second administrator."""
    entrar(client, "admin")
    with django_capture_on_commit_callbacks(execute=True):
        alta = client.post(
            reverse("admin:auth_user_add"),
            {
                "username": "segunda",
                "first_name": "Segunda",
                "last_name": "Cuenta",
                "email": "segunda@demo.invalid",
                "password1": "la-conozco-yo-2026",
                "password2": "la-conozco-yo-2026",
            },
        )
    assert alta.status_code == 302
    segunda = usuario("segunda")
    assert not segunda.has_usable_password()
    [enlace] = mail.outbox
    assert enlace.to == ["segunda@demo.invalid"]
    perfil = client.post(
        reverse("admin:dictamenes_perfil_add"),
        {"usuario": segunda.pk, "rfc": "SECU800101AB1", "cargo": "Analista"},
    )
    assert perfil.status_code == 302

    assert pedir_rol(client, segunda.pk, Rol.REVISOR_ESTRATEGICO).status_code == 302
    assert roles_de(usuario=usuario("segunda")) == []
    cambio = CambioPendiente.objects.get()
    assert (cambio.tipo, cambio.estado, cambio.pedido_por.username) == ("rol", "pendiente", "admin")
    # Its creator cannot approve it, and the account cannot log in with the creator's guess.
    respuesta = resolver(client, cambio)
    assert respuesta.status_code == 403
    assert str(cambios.ERROR_APRUEBA_SU_PROPIO_CAMBIO) in respuesta.content.decode()
    client.logout()
    assert (
        client.post(
            reverse("login"), {"username": "segunda", "password": "la-conozco-yo-2026"}
        ).status_code
        == 200
    )

    entrar(client, "admin2")
    assert resolver(client, cambio).status_code == 302
    assert roles_de(usuario=usuario("segunda")) == [Rol.REVISOR_ESTRATEGICO]
    assert tipos_de_eventos()[-3:] == ["cambio_pedido", "rol_otorgado", "cambio_aprobado"]


def test_un_rol_del_tramite_tiene_efecto_solo_con_la_aprobacion_de_otra_persona(
    demo, client, django_capture_on_commit_callbacks
):
    auditor = usuario("auditor")
    entrar(client, "admin")
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = pedir_rol(client, auditor.pk, Rol.FIRMANTE, motivo="Suplencia del titular")
    assert respuesta.status_code == 302
    assert roles_de(usuario=usuario("auditor")) == [Rol.AUDITOR]
    assert not usuario("auditor").has_perm("dictamenes.firmar_dictamen")
    [aviso, por_aprobar] = mail.outbox
    assert aviso.to == ["auditor@demo.invalid"]
    assert aviso.subject == "[Dictámenes TIC] Se pidió un cambio en su cuenta"
    assert "otorgar el rol «Firmante»" in aviso.body and "Aún no tiene efecto" in aviso.body
    # The other administrator, who may approve it, is told too (issue 34).
    assert por_aprobar.to == ["admin2@demo.invalid"]
    assert por_aprobar.subject == "[Dictámenes TIC] Cambio por aprobar: cuenta auditor"

    # The page lists who asked, what changes and when; the asker gets no buttons.
    pagina = client.get(reverse("cuentas:cambios")).content.decode()
    cambio = CambioPendiente.objects.get()
    fila = pagina[pagina.index(f'id="cambio-{cambio.pk}"') :]
    fila = fila[: fila.index("</tr>")]
    assert "Otorgar el rol «Firmante»" in fila
    assert "Fernando Ibarra Moreno" in fila and "Suplencia del titular" in fila
    assert f'datetime="{timezone.localtime(cambio.pedido_en).isoformat()}"' in fila
    assert str(cambios.ERROR_APRUEBA_SU_PROPIO_CAMBIO) in fila and "Aprobar" not in fila
    # ...and a POST made by hand is refused, with nothing written.
    antes = tipos_de_eventos()
    assert resolver(client, cambio).status_code == 403
    assert tipos_de_eventos() == antes
    cambio.refresh_from_db()
    assert cambio.estado == "pendiente"

    entrar(client, "admin2")
    assert "Aprobar" in client.get(reverse("cuentas:cambios")).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert resolver(client, cambio).status_code == 302
    assert roles_de(usuario=usuario("auditor")) == [Rol.FIRMANTE, Rol.AUDITOR]
    cambio.refresh_from_db()
    assert (cambio.estado, cambio.resuelto_por.username) == ("aprobado", "admin2")
    aprobado = EventoAuditoria.objects.get(tipo="cambio_aprobado")
    assert aprobado.usuario.username == "admin2" and aprobado.datos["cambio"] == cambio.pk
    aviso, al_que_lo_pidio = mail.outbox
    assert aviso.subject == "[Dictámenes TIC] Se aplicó un cambio en su cuenta"
    assert al_que_lo_pidio.to == ["admin@demo.invalid"]
    # Approved once: a second approval is a conflict.
    assert resolver(client, cambio).status_code == 409


def test_rechazar_pide_motivo_y_no_cambia_nada(demo, client):
    entrar(client, "admin")
    pedir_rol(client, usuario("auditor").pk, Rol.MESA_CONTROL)
    cambio = CambioPendiente.objects.get()
    entrar(client, "admin2")
    sin_motivo = resolver(client, cambio, "rechazar", "  ")
    assert sin_motivo.status_code == 400
    assert str(cambios.ERROR_SIN_MOTIVO) in sin_motivo.content.decode()
    assert resolver(client, cambio, "rechazar", "No hay oficio").status_code == 302
    cambio.refresh_from_db()
    assert (cambio.estado, cambio.motivo_resolucion) == ("rechazado", "No hay oficio")
    assert roles_de(usuario=usuario("auditor")) == [Rol.AUDITOR]
    rechazo = EventoAuditoria.objects.get(tipo="cambio_rechazado")
    assert rechazo.motivo == "No hay oficio" and rechazo.usuario.username == "admin2"
    assert not EventoAuditoria.objects.filter(tipo="rol_otorgado").exists()


def test_un_rol_que_no_es_del_tramite_tiene_efecto_al_otorgarse(demo, client):
    nueva = persona("nueva", roles=[Rol.MESA_CONTROL], rfc="NUEX800101AB1")
    entrar(client, "admin")
    assert pedir_rol(client, nueva.pk, Rol.AUDITOR).status_code == 302
    assert roles_de(usuario=usuario("nueva")) == [Rol.MESA_CONTROL, Rol.AUDITOR]
    assert not CambioPendiente.objects.exists()


@override_settings(DICTAMENES_CUENTA_EMERGENCIA="admin2")
def test_la_cuenta_de_emergencia_no_aprueba(demo, client):
    entrar(client, "admin")
    pedir_rol(client, usuario("auditor").pk, Rol.MESA_CONTROL)
    cambio = CambioPendiente.objects.get()
    entrar(client, "admin2")
    respuesta = resolver(client, cambio)
    assert respuesta.status_code == 403
    assert str(cambios.ERROR_CUENTA_EMERGENCIA) in respuesta.content.decode()
    assert roles_de(usuario=usuario("auditor")) == [Rol.AUDITOR]


def test_quien_creo_la_cuenta_no_aprueba_sus_roles(demo, client):
    entrar(client, "admin")
    client.post(
        reverse("admin:auth_user_add"),
        {"username": "creada", "email": "creada@demo.invalid"},
    )
    creada = usuario("creada")
    Perfil.objects.create(usuario=creada, rfc="CREA800101AB1")
    entrar(client, "admin2")
    assert pedir_rol(client, creada.pk, Rol.MESA_CONTROL).status_code == 302
    cambio = CambioPendiente.objects.get()
    entrar(client, "admin")
    respuesta = resolver(client, cambio)
    assert respuesta.status_code == 403
    assert str(cambios.ERROR_APRUEBA_QUIEN_CREO) in respuesta.content.decode()
    assert roles_de(usuario=usuario("creada")) == []


def test_nadie_aprueba_un_cambio_de_su_propia_cuenta(demo, client, django_user_model):
    raiz = django_user_model.objects.create_superuser("raiz", "raiz@demo.invalid", "x" * 20)
    client.force_login(raiz)
    assert pedir_rol(client, usuario("admin2").pk, Rol.FIRMANTE).status_code == 302
    entrar(client, "admin2")
    respuesta = resolver(client, CambioPendiente.objects.get())
    assert respuesta.status_code == 403
    assert str(cambios.ERROR_APRUEBA_SU_CUENTA) in respuesta.content.decode()


def test_el_correo_cambia_con_dos_y_se_avisa_a_ambas_direcciones(
    demo, client, django_capture_on_commit_callbacks
):
    firmante = usuario("firmante")
    entrar(client, "admin")
    # The admin's own form no longer saves an e-mail...
    client.post(
        reverse("admin:auth_user_change", args=[firmante.pk]),
        {
            "username": "firmante",
            "first_name": firmante.first_name,
            "last_name": firmante.last_name,
            "email": "tomada@demo.invalid",
            "is_active": "on",
        },
    )
    assert usuario("firmante").email == "firmante@demo.invalid"
    # ...it is asked on «Personas y roles», and waits.
    with django_capture_on_commit_callbacks(execute=True):
        assert pedir_identidad(client, firmante, email=NUEVO_CORREO).status_code == 302
    assert usuario("firmante").email == "firmante@demo.invalid"
    pedido, por_aprobar = mail.outbox
    assert sorted(pedido.to) == ["firmante@demo.invalid", NUEVO_CORREO]
    assert por_aprobar.to == ["admin2@demo.invalid"]
    cambio = CambioPendiente.objects.get()
    assert cambio.datos == {"cambios": {"email": ["firmante@demo.invalid", NUEVO_CORREO]}}
    assert resolver(client, cambio).status_code == 403

    entrar(client, "admin2")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert resolver(client, cambio).status_code == 302
    assert usuario("firmante").email == NUEVO_CORREO
    aplicado, al_que_lo_pidio = mail.outbox
    assert sorted(aplicado.to) == ["firmante@demo.invalid", NUEVO_CORREO]
    assert al_que_lo_pidio.to == ["admin@demo.invalid"]
    assert al_que_lo_pidio.subject == "[Dictámenes TIC] Cambio aprobado: cuenta firmante"
    assert "cambiar el correo de «firmante@demo.invalid» a «" + NUEVO_CORREO in aplicado.body


def test_rfc_y_curp_solo_cambian_con_dos(demo, client):
    estrategico = usuario("estrategico")
    perfil = Perfil.objects.get(usuario=estrategico)
    entrar(client, "admin")
    # Read only in the admin: a POST leaves them as they were.
    client.post(
        reverse("admin:dictamenes_perfil_change", args=[perfil.pk]),
        {"rfc": "XAXX800101AB1", "curp": "ROEC810115MSRMNL09", "cargo": perfil.cargo},
    )
    perfil.refresh_from_db()
    assert (perfil.rfc, perfil.curp) == ("ROEC810115GH6", None)

    curp = "ROEC810115MSRMNL09"
    assert pedir_identidad(client, estrategico, rfc="roec810115gh7", curp=curp).status_code == 302
    perfil.refresh_from_db()
    assert (perfil.rfc, perfil.curp) == ("ROEC810115GH6", None)
    cambio = CambioPendiente.objects.get()
    assert cambio.datos == {
        "cambios": {"rfc": ["ROEC810115GH6", "ROEC810115GH7"], "curp": ["", curp]}
    }
    entrar(client, "admin2")
    assert resolver(client, cambio).status_code == 302
    perfil.refresh_from_db()
    assert (perfil.rfc, perfil.curp) == ("ROEC810115GH7", curp)


def test_no_se_pide_un_dato_que_ya_tiene_otra_cuenta(demo, client):
    entrar(client, "admin")
    respuesta = pedir_identidad(client, usuario("firmante"), email="mesa@demo.invalid")
    assert respuesta.status_code == 400
    assert "Otra cuenta ya usa el correo mesa@demo.invalid." in respuesta.content.decode()
    assert not CambioPendiente.objects.exists()


def test_nadie_pone_la_contrasena_de_otra_persona_solo_le_envia_un_enlace(
    demo, client, django_capture_on_commit_callbacks
):
    mesa = usuario("mesa")
    entrar(client, "admin")
    url = reverse("admin:auth_user_password_change", args=[mesa.pk])
    pagina = client.get(url).content.decode()
    assert 'name="password1"' not in pagina and "mesa@demo.invalid" in pagina
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = client.post(url, {"password1": "puesta-por-admin-2026", "password2": "x"})
    assert respuesta.status_code == 302
    mesa.refresh_from_db()
    assert mesa.check_password(CONTRASENA_DEMO)
    [correo] = mail.outbox
    assert correo.to == ["mesa@demo.invalid"]
    # The link is in that mailbox only, not in the outbox administrators can read.
    ruta = re.search(r"https?://[^/\s]+(/cuentas/reset/\S+)", correo.body).group(1)
    assert not Aviso.objects.filter(mensaje__contains=ruta).exists()
    enviado = EventoAuditoria.objects.get(tipo="contrasena_enlace_enviado")
    assert enviado.usuario.username == "admin" and enviado.datos["persona"] == mesa.pk

    # The person follows it and chooses their password: audited too.
    client.logout()
    formulario = client.get(ruta, follow=True)
    assert formulario.status_code == 200
    nueva = "una-contrasena-de-mesa-2026"
    hecho = client.post(
        formulario.redirect_chain[-1][0], {"new_password1": nueva, "new_password2": nueva}
    )
    assert hecho.status_code == 302
    mesa.refresh_from_db()
    assert mesa.check_password(nueva)
    restablecida = EventoAuditoria.objects.get(tipo="contrasena_restablecida")
    assert restablecida.usuario == mesa


def test_la_propia_contrasena_del_administrador_va_a_su_pagina(demo, client):
    entrar(client, "admin")
    respuesta = client.get(reverse("admin:auth_user_password_change", args=[usuario("admin").pk]))
    assert respuesta.status_code == 302 and respuesta.url == reverse("password_change")
    assert client.get(reverse("admin:password_change")).url == reverse("password_change")


def test_quien_cambia_su_contrasena_queda_en_la_auditoria(demo, client):
    entrar(client, "revisor.redes")
    nueva = "otra-contrasena-larga-2026"
    respuesta = client.post(
        reverse("password_change"),
        {"old_password": CONTRASENA_DEMO, "new_password1": nueva, "new_password2": nueva},
    )
    assert respuesta.status_code == 302
    assert usuario("revisor.redes").check_password(nueva)
    evento = EventoAuditoria.objects.get(tipo="contrasena_cambiada")
    assert evento.usuario.username == "revisor.redes"
    # The session stays open with the new password.
    assert client.get(reverse("workflow:inbox")).status_code == 200


def test_retirar_un_rol_devuelve_sus_tareas_a_la_bandeja(demo, client):
    solicitud = presentada(titulo="Conmutadores de acceso")
    tarea = tareas_abiertas(solicitud=solicitud).get()
    tareas.tarea_tomar(tarea=tarea, usuario=usuario("mesa"))
    tarea.refresh_from_db()
    assert (tarea.status, tarea.owner.username) == (STATUS.ASSIGNED, "mesa")

    entrar(client, "admin")
    respuesta = client.post(
        ficha(usuario("mesa").pk),
        {
            "accion": "retirar",
            "retirar-rol": Rol.MESA_CONTROL,
            "retirar-motivo": "Baja por cambio de puesto",
        },
    )
    assert respuesta.status_code == 302
    tarea.refresh_from_db()
    assert (tarea.status, tarea.owner.username) == (STATUS.ASSIGNED, "mesa")  # until approved
    entrar(client, "admin2")
    assert resolver(client, CambioPendiente.objects.get(estado="pendiente")).status_code == 302
    tarea.refresh_from_db()
    assert (tarea.status, tarea.owner) == (STATUS.NEW, None)
    liberada = EventoAuditoria.objects.get(tipo="tarea_liberada")
    assert liberada.solicitud == solicitud and liberada.usuario.username == "admin2"
    assert liberada.datos == {"tarea": tarea.pk, "de": usuario("mesa").pk}
    # Another person of the mesa finds it in the queue and takes it.
    client.force_login(otra_mesa())
    assert (
        "Tomar Admisión de " + solicitud.folio
        in client.get(reverse("workflow:queue")).content.decode()
    )


def test_solo_administradores_ven_y_resuelven_cambios(demo, client):
    entrar(client, "admin")
    pedir_rol(client, usuario("auditor").pk, Rol.MESA_CONTROL)
    cambio = CambioPendiente.objects.get()
    for username in ("mesa", "auditor", "firmante"):
        entrar(client, username)
        assert client.get(reverse("cuentas:cambios")).status_code == 403
        assert resolver(client, cambio).status_code == 403
    assert CambioPendiente.objects.get().estado == "pendiente"


def _aviso_de_administradores():
    return [
        m for m in checks.run_checks(include_deployment_checks=True) if m.id == W_ADMINISTRADORES
    ]


def test_check_deploy_avisa_con_menos_de_dos_administradores(demo):
    assert _aviso_de_administradores() == []
    Group.objects.get(name=str(Rol.ADMINISTRADOR.label)).user_set.remove(usuario("admin2"))
    [aviso] = _aviso_de_administradores()
    assert aviso.msg.startswith("Hay 1 persona(s) administradora(s) activa(s)")


@override_settings(DICTAMENES_CUENTA_EMERGENCIA="admin2")
def test_la_cuenta_de_emergencia_no_cuenta_como_administradora(demo):
    [aviso] = _aviso_de_administradores()
    assert aviso.msg.startswith("Hay 1 persona(s)")


def test_la_pagina_de_cambios_lee_lo_mismo_con_pocos_o_muchos(
    demo, client, django_assert_max_num_queries
):
    admin = usuario("admin")
    entrar(client, "admin2")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("cuentas:cambios")).status_code == 200
    for i in range(12):
        nueva = persona(f"nueva{i}", roles=[Rol.AUDITOR], rfc=f"NUEX80{1 + i:02d}01AB1")
        cambio = cambios.cambio_identidad_pedir(
            persona=nueva,
            por=admin,
            motivo="Cambio de correo por oficio",
            email=f"otra{i}@demo.invalid",
        )
        if i % 2:
            cambios.cambio_rechazar(
                cambio=cambio, por=usuario("admin2"), motivo="No corresponde el correo"
            )
    with django_assert_max_num_queries(8):
        pagina = client.get(reverse("cuentas:cambios")).content.decode()
    assert pagina.count("Aprobar</button>") == 6 and "otra11@demo.invalid" in pagina


def test_un_rol_para_un_area_que_se_retiro_mientras_esperaba_no_se_aprueba(demo, client):
    """Asked for cómputo; cómputo retires before the second administrator approves: the grant
    is a conflict that names the area, and nothing changes."""
    from dictamenes.models import Area
    from dictamenes.organizacion.services import areas

    auditor = usuario("auditor")
    computo = Area.objects.get(clave="computo")
    entrar(client, "admin")
    r = pedir_rol(client, auditor.pk, Rol.REVISOR_TECNICO, "Refuerzo del cierre", areas=[computo])
    assert r.status_code == 302, r.content.decode()[:500]
    cambio = CambioPendiente.objects.get()
    destino = areas.area_agregar(nombre="Dispositivos de usuario final", por=usuario("admin"))
    areas.area_retirar(
        area=computo, destino=destino, motivo="Fusión de áreas por acuerdo", por=usuario("admin")
    )
    entrar(client, "admin2")
    respuesta = resolver(client, cambio)
    assert respuesta.status_code == 409
    assert (
        f"El área «{computo.nombre}» se retiró después de que se pidió este cambio"
        in respuesta.content.decode()
    )
    assert roles_de(usuario=usuario("auditor")) == [Rol.AUDITOR]
    cambio.refresh_from_db()
    assert cambio.estado == "pendiente"


def test_un_revisor_recibe_una_segunda_area_con_la_aprobacion_de_otra_persona(
    demo, client, django_capture_on_commit_callbacks
):
    """Issue 47: /cuentas/roles/<id>/ hid «Revisor técnico» once held, and the area boxes
    said «Solo para el rol Revisor técnico»: an existing reviewer could not get a second
    area. Now the role stays on the list to add areas, the boxes offer only the areas they do
    not review yet, and the addition waits for a second administrator, like a role."""
    from lxml import html as lxml_html

    from dictamenes.models import Area

    revisor = usuario("revisor.redes")
    redes, computo = Area.objects.get(clave="redes"), Area.objects.get(clave="computo")
    entrar(client, "admin")
    arbol = lxml_html.fromstring(client.get(ficha(revisor.pk)).content.decode())
    opciones = {
        o.get("value"): o.text_content()
        for o in arbol.xpath("//select[@name='otorgar-rol']/option")
    }
    assert opciones[Rol.REVISOR_TECNICO] == "Revisor técnico: agregar áreas"
    casillas = {c.get("value") for c in arbol.xpath("//input[@name='otorgar-areas']")}
    assert str(computo.pk) in casillas and str(redes.pk) not in casillas
    (ayuda,) = arbol.xpath("//*[@id='id_otorgar-areas_helptext']")
    assert ayuda.text_content().startswith(f"Ya revisa: {redes.nombre}. ")
    assert "Solo para el rol" not in ayuda.text_content()

    with django_capture_on_commit_callbacks(execute=True):
        respuesta = pedir_rol(
            client, revisor.pk, Rol.REVISOR_TECNICO, "Refuerzo de cómputo", areas=[computo]
        )
    assert respuesta.status_code == 302
    # Nothing changes yet: a pending change, that another administrator approves.
    assert list(Perfil.objects.get(usuario=revisor).areas.all()) == [redes]
    assert not usuario("revisor.redes").has_perm("dictamenes.revisar_area", computo)
    cambio = CambioPendiente.objects.get()
    assert cambios.describir(cambio=cambio) == (
        f"agregar al rol «Revisor técnico» las áreas: {computo.nombre}"
    )
    assert resolver(client, cambio).status_code == 403  # not who asked

    entrar(client, "admin2")
    assert resolver(client, cambio).status_code == 302
    revisor = usuario("revisor.redes")
    assert set(Perfil.objects.get(usuario=revisor).areas.all()) == {redes, computo}
    assert revisor.has_perm("dictamenes.revisar_area", computo)
    assert revisor.has_perm("dictamenes.revisar_area", redes)
    evento = EventoAuditoria.objects.get(tipo="rol_otorgado")
    assert evento.descripcion == (
        f"Áreas agregadas al rol «Revisor técnico» de {revisor.get_full_name()} "
        f"(revisor.redes): {computo.nombre}"
    )

    # Asked again for an area they already review: refused, and nothing is asked.
    from django.core.exceptions import ValidationError

    from dictamenes.personas.services import personas

    with pytest.raises(ValidationError) as error:
        personas.rol_otorgar(
            usuario=revisor,
            rol=Rol.REVISOR_TECNICO,
            por=usuario("admin"),
            motivo="Otra vez, por el oficio nuevo",
            areas=[redes],
        )
    assert error.value.messages == [
        f"{revisor.get_full_name()} (revisor.redes) ya revisa las áreas elegidas: elija al "
        "menos un área que aún no revise."
    ]
    assert not CambioPendiente.objects.filter(estado="pendiente").exists()
