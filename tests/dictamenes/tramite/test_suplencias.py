"""Issue 59, item 4: a substitute from another area is a loan of that area, and waits for a
second person's approval. A substitute who reviews every area of the titular stands in at
once, as before. Until approved, the substitute takes, opens and acts on nothing of the
titular's; an administrator other than who asked approves it in «Cambios por aprobar»."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dictamenes import exceptions
from dictamenes.models import Area, Aviso, CambioPendiente, EventoAuditoria, Sustitucion
from dictamenes.operacion.services.configuracion import ERROR_CONFIGURACION_CAMBIO
from dictamenes.personas.services import control_dual
from dictamenes.roles import Rol
from dictamenes.suplencias import services as suplencias
from dictamenes.tramite.selectors.tareas import tareas_abiertas
from tests.dictamenes.flujo_utils import admitida, detalle, persona, usuario

pytestmark = pytest.mark.django_db

HOY = datetime.date.today


def pedir_suplencia(cliente, suplente, *, desde=None, hasta=None, motivo="Vacaciones"):
    desde = desde or timezone.localdate()
    hasta = hasta or desde + datetime.timedelta(days=7)
    return cliente.post(
        reverse("solicitudes:suplencias"),
        {"suplente": suplente.pk, "desde": desde, "hasta": hasta, "motivo": motivo},
    )


def url_tomar(solicitud, tarea):
    return reverse("solicitudes:tomar", args=[solicitud.pk, tarea.pk])


def filas_de_sustitucion() -> list[tuple]:
    """The stored substitutions, read with plain SQL (an oracle apart from the services)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT titular_id, suplente_id, desde, hasta, motivo FROM dictamenes_sustitucion "
            "ORDER BY id"
        )
        return [(t, s, str(d), str(h), m) for t, s, d, h, m in cursor.fetchall()]


def cambios_de_sustitucion() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT persona_id, pedido_por_id, estado FROM dictamenes_cambiopendiente "
            "WHERE tipo = 'sustitucion' ORDER BY id"
        )
        return cursor.fetchall()


def tareas_de_computo():
    """Two requests of the computo area: one the titular (revisor.computo) took, one nobody
    holds."""
    libre = admitida(titulo="Equipos sin tomar")
    tomada = admitida(titulo="Equipos que el titular tomó")
    tarea_libre = tareas_abiertas(solicitud=libre).get()
    tarea_tomada = tareas_abiertas(solicitud=tomada).get()
    tarea_tomada.flow_task.activation_class(tarea_tomada).assign(usuario("revisor.computo"))
    return libre, tarea_libre, tomada, tarea_tomada


def nombre_de(clave: str) -> str:
    return Area.objects.get(clave=clave).nombre


# --- Same area: at once, as before ------------------------------------------------------------


def test_un_suplente_de_la_misma_area_suple_al_momento(demo, como):
    computo2 = persona(
        "computo2",
        nombre="Carmen",
        apellidos="Suplente",
        rfc="CSXX800101AB1",
        roles=[Rol.REVISOR_TECNICO],
        areas=[Area.objects.get(clave="computo")],
    )
    libre, tarea_libre, tomada, tarea_tomada = tareas_de_computo()
    hoy = timezone.localdate()
    r = pedir_suplencia(
        como("revisor.computo"), computo2, desde=hoy, motivo="Permiso con goce de sueldo"
    )
    assert r.status_code == 302
    pagina = como("revisor.computo").get(reverse("solicitudes:suplencias")).content.decode()
    assert "Suplencia registrada." in pagina
    titular = usuario("revisor.computo")
    assert filas_de_sustitucion() == [
        (
            titular.pk,
            computo2.pk,
            str(hoy),
            str(hoy + datetime.timedelta(days=7)),
            "Permiso con goce de sueldo",
        )
    ]
    assert cambios_de_sustitucion() == []
    evento = EventoAuditoria.objects.get(tipo="sustitucion")
    assert evento.usuario == titular
    # The substitute takes the titular's step at once.
    r = como("computo2").post(url_tomar(tomada, tarea_tomada))
    assert r.status_code == 302
    tarea_tomada.refresh_from_db()
    assert tarea_tomada.owner == computo2


def test_un_titular_sin_areas_nombra_suplente_de_su_rol_al_momento(demo):
    """Mesa de control reviews no area: its substitute lends none (test_planeacion checks the
    automatic assignment with it)."""
    mesa2 = persona("mesa2", roles=[Rol.MESA_CONTROL], rfc="OMXX800101AB1")
    hecho = suplencias.sustitucion_crear(
        titular=usuario("mesa"),
        suplente=mesa2,
        desde=HOY(),
        hasta=HOY(),
        motivo="Permiso con goce de sueldo",
    )
    assert isinstance(hecho, Sustitucion)
    assert cambios_de_sustitucion() == []


# --- Another area: pending, refused, approved, taken ------------------------------------------


def test_un_suplente_de_otra_area_espera_aprobacion_y_hasta_entonces_no_toma_nada(demo, como):
    titular, suplente = usuario("revisor.computo"), usuario("revisor.redes")
    libre, tarea_libre, tomada, tarea_tomada = tareas_de_computo()

    r = pedir_suplencia(como("revisor.computo"), suplente)
    assert r.status_code == 302
    pagina = como("revisor.computo").get(reverse("solicitudes:suplencias")).content.decode()
    esperado = str(suplencias.AVISO_SUSTITUCION_POR_APROBAR) % {
        "suplente": "Mónica Félix Quintero",
        "falta": f"áreas: «{nombre_de('computo')}»",
    }
    assert esperado in pagina
    assert "Suplencia registrada." not in pagina
    assert pagina.count("<caption>Suplencias por aprobar</caption>") == 1
    # The titular's page lists what waits.
    pendientes = pagina[pagina.index("<caption>Suplencias por aprobar</caption>") :]
    assert "Mónica Félix Quintero" in pendientes[: pendientes.index("</table>")]
    # The administrators hear of it; neither who asked nor the substitute.
    aviso = Aviso.objects.get(asunto__startswith="Cambio por aprobar: Mónica")
    assert aviso.destinatarios == sorted(
        get_user_model()
        .objects.filter(groups__name="Administrador", is_active=True)
        .values_list("email", flat=True)
    )
    assert filas_de_sustitucion() == []
    assert cambios_de_sustitucion() == [(suplente.pk, titular.pk, "pendiente")]

    # Until approved: the substitute takes neither the titular's step nor the area's free one.
    c = como("revisor.redes")
    r = c.post(url_tomar(tomada, tarea_tomada))
    assert r.status_code == 403
    assert str(exceptions.ERROR_TAREA_DE_OTRO % {"persona": titular.get_full_name()}) in (
        r.content.decode()
    )
    r = c.post(url_tomar(libre, tarea_libre))
    assert r.status_code == 403
    assert str(exceptions.ERROR_SIN_PERMISO_PASO) in r.content.decode()
    # Nor opens it (viewflow's own page of the task) or concludes it from the request's page.
    abrir = tarea_tomada.flow_task.reverse("execute", args=[tomada.proceso.pk, tarea_tomada.pk])
    assert c.get(abrir).status_code == 403
    r = c.post(
        reverse("solicitudes:revision_area", args=[tomada.pk, "computo"]),
        {
            "computo-opinion": "favorable",
            f"computo-p{tomada.partidas.get().pk}_opinion": "Cumple.",
        },
    )
    assert r.status_code == 403
    tarea_tomada.refresh_from_db()
    tarea_libre.refresh_from_db()
    assert (tarea_tomada.owner, tarea_tomada.status) == (titular, "ASSIGNED")
    assert (tarea_libre.owner, tarea_libre.status) == (None, "NEW")
    # Nothing of the titular's in the substitute's lists, and no «Tomar» on the request.
    assert libre.folio not in c.get(reverse("workflow:queue")).content.decode()
    assert tomada.folio not in c.get(reverse("workflow:inbox")).content.decode()
    assert ">Tomar<" not in c.get(detalle(tomada)).content.decode()

    # The approver reads who, which areas, the dates and the reason.
    cambio = CambioPendiente.objects.get(tipo=CambioPendiente.Tipo.SUSTITUCION)
    pagina = como("admin2").get(reverse("cuentas:cambios")).content.decode()
    desde, hasta = HOY(), HOY() + datetime.timedelta(days=7)
    # Its row, up to its buttons (the values are a table of their own, issue 59).
    fila = pagina[pagina.index(f'id="cambio-{cambio.pk}"') :]
    fila = fila[: fila.index('class="tabla__accion"')]
    for texto in (
        "Mónica Félix Quintero",
        "Óscar Núñez Valdez",
        nombre_de("computo"),
        f"{desde:%d/%m/%Y}",
        f"{hasta:%d/%m/%Y}",
        "Vacaciones",
    ):
        assert texto in fila, texto

    # A second administrator approves: now the substitute takes both.
    r = como("admin2").post(
        reverse("cuentas:cambio_resolver", args=[cambio.pk]), {"accion": "aprobar"}
    )
    assert r.status_code == 302
    assert cambios_de_sustitucion() == [(suplente.pk, titular.pk, "aprobado")]
    assert filas_de_sustitucion() == [
        (titular.pk, suplente.pk, str(desde), str(hasta), "Vacaciones")
    ]
    aviso = Aviso.objects.get(asunto="Suplencia aprobada: Mónica Félix Quintero le suple")
    assert aviso.destinatarios == [titular.email]
    c = como("revisor.redes")
    assert c.post(url_tomar(tomada, tarea_tomada)).status_code == 302
    assert c.post(url_tomar(libre, tarea_libre)).status_code == 302
    tarea_tomada.refresh_from_db()
    tarea_libre.refresh_from_db()
    assert (tarea_tomada.owner, tarea_libre.owner) == (suplente, suplente)
    # Each step in the audit: asked by the titular, approved by admin2, then recorded.
    eventos = list(
        EventoAuditoria.objects.filter(tipo__in=("cambio_pedido", "cambio_aprobado", "sustitucion"))
        .order_by("pk")
        .values_list("tipo", "usuario__username")
    )
    assert eventos == [
        ("cambio_pedido", "revisor.computo"),
        ("sustitucion", "revisor.computo"),
        ("cambio_aprobado", "admin2"),
    ]


def test_rechazada_la_suplencia_de_otra_area_el_suplente_sigue_sin_tomar(demo, como):
    libre, tarea_libre, _tomada, _tarea_tomada = tareas_de_computo()
    pedir_suplencia(como("revisor.computo"), usuario("revisor.redes"))
    cambio = CambioPendiente.objects.get(tipo=CambioPendiente.Tipo.SUSTITUCION)
    r = como("admin").post(
        reverse("cuentas:cambio_resolver", args=[cambio.pk]),
        {"accion": "rechazar", "motivo": "Que la supla alguien de cómputo."},
    )
    assert r.status_code == 302
    assert cambios_de_sustitucion()[0][2] == "rechazado"
    assert filas_de_sustitucion() == []
    assert como("revisor.redes").post(url_tomar(libre, tarea_libre)).status_code == 403


def test_nadie_aprueba_la_suplencia_que_pidio_ni_la_suya(demo, como):
    """Who asked (here a reviewer who also administers) and the substitute (also an
    administrator) may not approve it; a third administrator may."""
    computo = Area.objects.get(clave="computo")
    redes = Area.objects.get(clave="redes")
    persona(
        "titular.admin",
        nombre="Tita",
        apellidos="Administra",
        rfc="TAXX800101AB1",
        roles=[Rol.REVISOR_TECNICO, Rol.ADMINISTRADOR],
        areas=[computo],
    )
    suplente = persona(
        "suplente.admin",
        nombre="Susi",
        apellidos="Administra",
        rfc="SAXX800101AB1",
        roles=[Rol.REVISOR_TECNICO, Rol.ADMINISTRADOR],
        areas=[redes],
    )
    assert pedir_suplencia(como("titular.admin"), suplente).status_code == 302
    # Told: the administrators who may resolve it, not the two it is about.
    aviso = Aviso.objects.get(asunto__startswith="Cambio por aprobar: Susi")
    assert aviso.destinatarios == sorted([usuario("admin").email, usuario("admin2").email])
    cambio = CambioPendiente.objects.get(tipo=CambioPendiente.Tipo.SUSTITUCION)
    aprobar = reverse("cuentas:cambio_resolver", args=[cambio.pk])
    for quien, error in (
        ("titular.admin", control_dual.ERROR_APRUEBA_SU_PROPIO_CAMBIO),
        ("suplente.admin", control_dual.ERROR_APRUEBA_SU_CUENTA),
    ):
        r = como(quien).post(aprobar, {"accion": "aprobar"})
        assert r.status_code == 403
        assert str(error) in r.content.decode()
    # Not an administrator at all: the revisor.redes of the demo.
    assert como("revisor.redes").post(aprobar, {"accion": "aprobar"}).status_code == 403
    assert cambios_de_sustitucion() == [(suplente.pk, usuario("titular.admin").pk, "pendiente")]
    assert filas_de_sustitucion() == []
    assert como("admin").post(aprobar, {"accion": "aprobar"}).status_code == 302
    assert len(filas_de_sustitucion()) == 1


def test_aprobar_cuando_el_suplente_ya_revisa_el_area_es_un_conflicto(demo, como):
    """What was asked lent computo; if the substitute got computo meanwhile, the change is
    not what the approver reads: refused (409), nothing recorded."""
    from dictamenes.organizacion.services.areas import grupo_de_area

    pedir_suplencia(como("revisor.computo"), usuario("revisor.redes"))
    cambio = CambioPendiente.objects.get(tipo=CambioPendiente.Tipo.SUSTITUCION)
    usuario("revisor.redes").groups.add(grupo_de_area(Area.objects.get(clave="computo")))
    r = como("admin2").post(
        reverse("cuentas:cambio_resolver", args=[cambio.pk]), {"accion": "aprobar"}
    )
    assert r.status_code == 409
    assert str(ERROR_CONFIGURACION_CAMBIO % {"que": cambio.datos["titulo"]}) in (r.content.decode())
    assert filas_de_sustitucion() == []
    assert cambios_de_sustitucion()[0][2] == "pendiente"


def test_aprobar_cuando_el_suplente_ya_no_esta_activo_es_un_conflicto(demo, como):
    """Approving checks the substitution again as if asked now: a substitute whose account
    was deactivated meanwhile stands in for no one (409 with the rule's own message)."""
    pedir_suplencia(como("revisor.computo"), usuario("revisor.redes"))
    cambio = CambioPendiente.objects.get(tipo=CambioPendiente.Tipo.SUSTITUCION)
    get_user_model().objects.filter(username="revisor.redes").update(is_active=False)
    r = como("admin2").post(
        reverse("cuentas:cambio_resolver", args=[cambio.pk]), {"accion": "aprobar"}
    )
    assert r.status_code == 409
    assert (
        str(suplencias.ERROR_SUPLENTE_INACTIVO % {"suplente": "Mónica Félix Quintero"})
        in r.content.decode()
    )
    assert filas_de_sustitucion() == []
    assert cambios_de_sustitucion()[0][2] == "pendiente"


def test_un_suplente_sin_uno_de_los_roles_del_titular_espera_aprobacion(demo, como):
    """A titular who is mesa de control and signs names another mesa: standing in would lend
    the signing. It waits, the substitute does not take the signature, and once approved
    does."""
    from tests.dictamenes.flujo_utils import doble_rol, en_firma

    titular = doble_rol(Rol.MESA_CONTROL, Rol.FIRMANTE)
    solicitud = en_firma()
    firma = tareas_abiertas(solicitud=solicitud).get()
    assert firma.flow_task.name == "firma"
    hecho = suplencias.sustitucion_crear(
        titular=titular,
        suplente=usuario("mesa"),
        desde=HOY(),
        hasta=HOY(),
        motivo="Permiso con goce de sueldo",
    )
    assert isinstance(hecho, CambioPendiente)
    assert (hecho.datos["areas_nombres"], hecho.datos["roles_nombres"]) == ([], ["Firmante"])
    assert suplencias.aviso_por_aprobar(cambio=hecho) == str(
        suplencias.AVISO_SUSTITUCION_POR_APROBAR
    ) % {"suplente": usuario("mesa").get_full_name(), "falta": "roles: «Firmante»"}
    assert filas_de_sustitucion() == []
    r = como("mesa").post(url_tomar(solicitud, firma))
    assert r.status_code == 403
    assert str(exceptions.ERROR_SIN_PERMISO_PASO) in r.content.decode()
    # The approver reads the role it lends.
    pagina = como("admin2").get(reverse("cuentas:cambios")).content.decode()
    fila = pagina[pagina.index(f'id="cambio-{hecho.pk}"') :]
    fila = fila[: fila.index('class="tabla__accion"')]
    assert "Roles que " in fila
    assert 'data-etiqueta="Con el cambio">Firmante</td>' in fila
    r = como("admin2").post(
        reverse("cuentas:cambio_resolver", args=[hecho.pk]), {"accion": "aprobar"}
    )
    assert r.status_code == 302
    assert como("mesa").post(url_tomar(solicitud, firma)).status_code == 302
    firma.refresh_from_db()
    assert firma.owner == usuario("mesa")


# --- Dates and overlaps keep their behaviour --------------------------------------------------


def test_fechas_al_reves_se_rechazan_y_no_se_pide_nada(demo, como):
    hoy = timezone.localdate()
    r = pedir_suplencia(
        como("revisor.computo"),
        usuario("revisor.redes"),
        desde=hoy + datetime.timedelta(days=5),
        hasta=hoy,
    )
    assert r.status_code == 400
    assert str(exceptions.ERROR_FECHAS) in r.content.decode()
    assert cambios_de_sustitucion() == [] and filas_de_sustitucion() == []


def test_la_misma_suplencia_de_otra_area_no_se_pide_dos_veces_a_la_vez(demo, como):
    hoy = timezone.localdate()
    c = como("revisor.computo")
    assert pedir_suplencia(c, usuario("revisor.redes"), desde=hoy).status_code == 302
    r = pedir_suplencia(
        c,
        usuario("revisor.redes"),
        desde=hoy + datetime.timedelta(days=3),
        motivo="Otra comisión oficial",
    )
    assert r.status_code == 400
    esperado = str(suplencias.ERROR_SUSTITUCION_YA_PEDIDA) % {
        "suplente": "Mónica Félix Quintero",
        "desde": f"{hoy:%d/%m/%Y}",
        "hasta": f"{hoy + datetime.timedelta(days=7):%d/%m/%Y}",
    }
    assert esperado in r.content.decode()
    assert len(cambios_de_sustitucion()) == 1
    # Days that do not overlap are another request.
    otra = hoy + datetime.timedelta(days=30)
    assert pedir_suplencia(c, usuario("revisor.redes"), desde=otra).status_code == 302
    assert len(cambios_de_sustitucion()) == 2


def test_suplencias_de_la_misma_area_que_se_traslapan_se_registran_como_antes(demo):
    computo2 = persona(
        "computo2",
        roles=[Rol.REVISOR_TECNICO],
        rfc="CSXX800101AB1",
        areas=[Area.objects.get(clave="computo")],
    )
    for dias in (0, 3):
        suplencias.sustitucion_crear(
            titular=usuario("revisor.computo"),
            suplente=computo2,
            desde=HOY() + datetime.timedelta(days=dias),
            hasta=HOY() + datetime.timedelta(days=dias + 7),
            motivo="Vacaciones",
        )
    assert len(filas_de_sustitucion()) == 2


def test_la_suplencia_aprobada_que_ya_vencio_no_da_nada(demo, como):
    libre, tarea_libre, _tomada, _tarea_tomada = tareas_de_computo()
    pedir_suplencia(como("revisor.computo"), usuario("revisor.redes"))
    cambio = CambioPendiente.objects.get(tipo=CambioPendiente.Tipo.SUSTITUCION)
    como("admin2").post(reverse("cuentas:cambio_resolver", args=[cambio.pk]), {"accion": "aprobar"})
    Sustitucion.objects.update(
        desde=HOY() - datetime.timedelta(days=10), hasta=HOY() - datetime.timedelta(days=1)
    )
    assert como("revisor.redes").post(url_tomar(libre, tarea_libre)).status_code == 403


# --- The automatic assignment -----------------------------------------------------------------


def test_la_asignacion_automatica_no_da_al_suplente_pendiente(demo, settings):
    settings.DICTAMENES_ASIGNACION_AUTOMATICA = True
    titular, suplente = usuario("revisor.computo"), usuario("revisor.redes")
    cambio = suplencias.sustitucion_crear(
        titular=titular,
        suplente=suplente,
        desde=HOY(),
        hasta=HOY(),
        motivo="Permiso con goce de sueldo",
    )
    assert isinstance(cambio, CambioPendiente)
    tarea = tareas_abiertas(solicitud=admitida(titulo="Pendiente")).get()
    assert tarea.owner == titular
    from dictamenes.operacion.services import configuracion

    configuracion.cambio_aprobar(cambio=cambio, por=usuario("admin"))
    tarea = tareas_abiertas(solicitud=admitida(titulo="Aprobada")).get()
    assert tarea.owner == suplente


# --- The Django admin ---------------------------------------------------------------------------


def test_el_admin_de_suplencias_solo_consulta(demo, client):
    raiz = get_user_model().objects.create_superuser(
        "raiz", email="raiz@demo.invalid", password="x" * 14
    )
    sustitucion = Sustitucion.objects.create(
        titular=usuario("revisor.computo"),
        suplente=usuario("revisor.redes"),
        desde=datetime.date(2020, 1, 2),
        hasta=datetime.date(2020, 1, 3),
        motivo="Suplencia de prueba",
    )
    client.force_login(raiz)
    antes = filas_de_sustitucion()
    datos = {
        "titular": usuario("revisor.computo").pk,
        "suplente": usuario("revisor.redes").pk,
        "desde": "2020-01-02",
        "hasta": "2030-01-03",
        "motivo": "Otra comisión oficial",
    }
    assert client.post(reverse("admin:dictamenes_sustitucion_add"), datos).status_code == 403
    cambiar = reverse("admin:dictamenes_sustitucion_change", args=[sustitucion.pk])
    assert client.get(cambiar).status_code == 200  # to read it
    assert client.post(cambiar, datos).status_code == 403
    borrar = reverse("admin:dictamenes_sustitucion_delete", args=[sustitucion.pk])
    assert client.post(borrar, {"post": "yes"}).status_code == 403
    lista = reverse("admin:dictamenes_sustitucion_changelist")
    r = client.post(
        lista, {"action": "delete_selected", "_selected_action": [sustitucion.pk], "post": "yes"}
    )
    assert filas_de_sustitucion() == antes
    # The bulk deletion is not offered, and asking for it deletes nothing (Django answers
    # the list again).
    assert r.status_code == 200
    assert 'value="delete_selected"' not in client.get(lista).content.decode()
