"""Issue 35, item 2: the review areas kept by the administrators in an audited page. Adding,
renaming, assigning categories and retiring, each through its page and its one service door,
with its event and its refusals in Spanish; only administrators reach it."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from guardian.shortcuts import get_perms
from lxml import html as lxml_html
from viewflow.workflow.status import STATUS

from dictamenes.models import Area, CambioPendiente, EventoAuditoria, Solicitud
from dictamenes.operacion.services import configuracion
from dictamenes.organizacion.selectors.areas import area_tareas_abiertas
from dictamenes.organizacion.selectors.usuarios import nombre_de_area
from dictamenes.organizacion.services import areas as servicio
from dictamenes.roles import Rol
from dictamenes.tramite.selectors.tareas import tareas_abiertas, titulo_de
from dictamenes.tramite.services import etapas
from estandares.models import Categoria
from tests.dictamenes.dual_utils import aprobar_pendientes, pendientes
from tests.dictamenes.flujo_utils import admitida, detalle, revisar, usuario

pytestmark = pytest.mark.django_db

LISTA = reverse("cuentas:areas")


def pagina(area):
    return reverse("cuentas:area", args=[area.pk])


def agregar(client, nombre, motivo="Reorganización de la SGD"):
    return client.post(LISTA, {"nueva-nombre": nombre, "nueva-motivo": motivo})


def accion(client, area, accion_, motivo="Oficio SGD/35/2026", **campos):
    """POST one of an area's forms (renombrar, asignar, retirar), its motivo filled in: the
    page asks for the change, which waits for a second administrator (issue 48)."""
    datos = {f"{accion_}-{k}": v for k, v in campos.items()}
    return client.post(pagina(area), {"accion": accion_, f"{accion_}-motivo": motivo, **datos})


def pedido_a(respuesta, ir_a) -> CambioPendiente:
    """The page asked for one change and went back to `ir_a`, which says so: nothing took
    effect yet."""
    assert respuesta.status_code == 302, errores(respuesta)
    assert respuesta.url == ir_a
    [cambio] = pendientes(CambioPendiente.Tipo.AREA)
    assert cambio.pedido_por.username == "admin"
    aviso = respuesta.client.get(ir_a).content.decode()
    assert (
        f"Cambio pedido: «{cambio.datos['titulo']}» tendrá efecto cuando otra persona "
        "administradora lo apruebe"
    ) in aviso
    return cambio


def errores(respuesta) -> list[str]:
    """The refusals shown above a form, as people read them."""
    arbol = lxml_html.fromstring(respuesta.content.decode())
    return [" ".join(p.text_content().split()) for p in arbol.xpath("//div[@role='alert']/p")]


def enlaces_que_impiden(respuesta) -> list[tuple[str, str]]:
    arbol = lxml_html.fromstring(respuesta.content.decode())
    return [
        (a.text_content(), a.get("href"))
        for a in arbol.xpath("//section[@aria-labelledby='t-impiden']//a")
    ]


def eventos(tipo):
    return list(EventoAuditoria.objects.filter(tipo=tipo).order_by("numero"))


def areas_de_categoria(clave) -> set[str]:
    return set(Categoria.objects.filter(clave=clave).values_list("area__clave", flat=True))


# --- 1. Add ------------------------------------------------------------------------------


def test_agregar_un_area_con_su_grupo_y_su_evento(demo, como):
    r = agregar(como("admin"), "Inteligencia Artificial")
    # Asked, not yet done: the list says it waits, and links to it in «Cambios por aprobar».
    cambio = pedido_a(r, LISTA)
    assert cambio.datos["titulo"] == "Agregar el área «Inteligencia Artificial»"
    assert not Area.objects.filter(nombre="Inteligencia Artificial").exists()
    assert not eventos("area_agregada")
    lista = como("admin").get(LISTA).content.decode()
    assert f'<a href="{reverse("cuentas:cambios")}#cambio-{cambio.pk}">' in lista
    # A second administrator approves it, on their page: now it is there.
    aprobar_pendientes(client=como("admin2"))
    area = Area.objects.get(nombre="Inteligencia Artificial")
    assert (area.clave, area.activa) == ("inteligencia-artificial", True)
    # Its reviewers' group may review it, as for the five demo areas.
    grupo = Group.objects.get(name="revisor:inteligencia-artificial")
    assert get_perms(grupo, area) == ["revisar_area"]
    [evento] = eventos("area_agregada")
    assert (evento.usuario.username, evento.descripcion, evento.motivo) == (
        "admin",
        "Área de revisión «Inteligencia Artificial» agregada",
        "Reorganización de la SGD",
    )
    assert evento.datos == {
        "area": area.pk,
        "clave": "inteligencia-artificial",
        "nombre": "Inteligencia Artificial",
    }
    lista = como("admin").get(LISTA).content.decode()
    assert f'<a href="{pagina(area)}">Inteligencia Artificial</a>' in lista


def test_la_clave_se_hace_unica(demo, como):
    """«Redes» slugifies to «redes», the key of «Redes y telecomunicaciones»: a number is added."""
    pedido_a(agregar(como("admin"), "Redes"), LISTA)
    aprobar_pendientes()
    assert Area.objects.get(nombre="Redes").clave == "redes-2"


def test_un_nombre_repetido_se_rechaza_en_espanol(demo, como):
    antes = Area.objects.count()
    r = agregar(como("admin"), "  redes Y telecomunicaciones ")
    assert r.status_code == 400
    assert errores(r) == [
        "Ya existe un área llamada «redes Y telecomunicaciones»; elija otro nombre."
    ]
    assert Area.objects.count() == antes and not eventos("area_agregada")


# --- 2. Rename ---------------------------------------------------------------------------


def test_renombrar_cambia_el_nombre_y_los_titulos_no_la_clave(
    demo, como, django_capture_on_commit_callbacks
):
    solicitud = admitida(areas=("computo",))
    [tarea] = tareas_abiertas(solicitud=solicitud)
    # The title is read (and its names cached) before the change, as an inbox would.
    assert titulo_de(tarea=tarea) == "Revisión técnica: Equipo de cómputo e impresión"
    computo = Area.objects.get(clave="computo")
    with django_capture_on_commit_callbacks(execute=True):
        r = accion(como("admin"), computo, "renombrar", nombre="Cómputo personal e impresión")
    pedido_a(r, pagina(computo))
    # Asked, not yet done: the name and the task's title are still the old ones.
    computo.refresh_from_db()
    assert computo.nombre == "Equipo de cómputo e impresión"
    assert titulo_de(tarea=tarea) == "Revisión técnica: Equipo de cómputo e impresión"
    assert not eventos("area_renombrada")
    with django_capture_on_commit_callbacks(execute=True):
        aprobar_pendientes()
    computo.refresh_from_db()
    assert (computo.clave, computo.nombre) == ("computo", "Cómputo personal e impresión")
    assert nombre_de_area(pk=computo.pk) == "Cómputo personal e impresión"
    assert titulo_de(tarea=tarea) == "Revisión técnica: Cómputo personal e impresión"
    [evento] = eventos("area_renombrada")
    assert evento.descripcion == (
        "Área de revisión «Equipo de cómputo e impresión» renombrada «Cómputo personal e impresión»"
    )
    assert evento.datos["de"] == "Equipo de cómputo e impresión"


def test_renombrar_con_el_nombre_de_otra_se_rechaza(demo, como):
    computo = Area.objects.get(clave="computo")
    r = accion(como("admin"), computo, "renombrar", nombre="Seguridad informática")
    assert r.status_code == 400
    assert errores(r) == ["Ya existe un área llamada «Seguridad informática»; elija otro nombre."]
    computo.refresh_from_db()
    assert computo.nombre == "Equipo de cómputo e impresión"
    assert not eventos("area_renombrada") and not pendientes()


# --- 3. Assign categories ------------------------------------------------------------------


def test_asignar_una_categoria_la_mueve_en_todas_sus_ediciones(demo, como):
    nube = servicio.area_agregar(nombre="Servicios en la nube", por=usuario("admin"))
    r = accion(como("admin"), nube, "asignar", claves=["switch"])
    pedido_a(r, pagina(nube))
    assert areas_de_categoria("switch") == {"redes"} and not eventos("categorias_asignadas")
    aprobar_pendientes()
    assert areas_de_categoria("switch") == {nube.clave}
    [evento] = eventos("categorias_asignadas")
    assert evento.descripcion == "Categorías asignadas a «Servicios en la nube»: switch"
    assert evento.datos["categorias"] == [{"clave": "switch", "de": "redes"}]
    # The area's page lists it; the other area's form offers it back.
    assert "Switch" in como("admin").get(pagina(nube)).content.decode()


def test_no_se_mueve_una_categoria_cuya_revision_esta_en_curso(demo, como):
    """Redes reviews a request with a switch: moving «switch» away would leave that review
    without its item. Refused with the request's folio and link; once Redes concludes, it
    moves."""
    solicitud = admitida(areas=("redes", "computo"))
    nube = servicio.area_agregar(nombre="Servicios en la nube", por=usuario("admin"))
    r = accion(como("admin"), nube, "asignar", claves=["switch"])
    assert r.status_code == 400
    assert errores(r) == [
        "No se movió ninguna categoría: Redes y telecomunicaciones revisa ahora solicitudes con "
        f"partidas de esas categorías ({solicitud.folio}), y su revisión se quedaría sin ellas. "
        "Espere a que concluya."
    ]
    assert enlaces_que_impiden(r) == [(solicitud.folio, detalle(solicitud))]
    assert areas_de_categoria("switch") == {"redes"}
    assert not eventos("categorias_asignadas") and not pendientes()
    # Another area's open review (cómputo) does not hold a category of redes back.
    revisar(solicitud, "redes")
    r = accion(como("admin"), nube, "asignar", claves=["switch"])
    pedido_a(r, pagina(nube))
    aprobar_pendientes()
    assert areas_de_categoria("switch") == {nube.clave}


# --- 4. Retire ---------------------------------------------------------------------------


def test_retirar_un_area_sin_categorias_ni_revisiones(
    demo, como, django_capture_on_commit_callbacks
):
    nube = servicio.area_agregar(nombre="Servicios en la nube", por=usuario("admin"))
    with django_capture_on_commit_callbacks(execute=True):
        r = accion(como("admin"), nube, "retirar", motivo="Se fusiona con Software")
    pedido_a(r, pagina(nube))
    nube.refresh_from_db()
    assert nube.activa is True and not eventos("area_retirada")
    with django_capture_on_commit_callbacks(execute=True):
        aprobar_pendientes()
    nube.refresh_from_db()
    assert nube.activa is False
    [evento] = eventos("area_retirada")
    assert (evento.descripcion, evento.motivo) == (
        "Área de revisión «Servicios en la nube» retirada",
        "Se fusiona con Software",
    )
    # No longer offered where people choose an area: granting a role, the inbox filter, the
    # destination of another retirement; the list still shows it, retired.
    ficha = como("admin").get(reverse("cuentas:rol_persona", args=[usuario("mesa").pk]))
    assert "Servicios en la nube" not in ficha.content.decode()
    assert "Redes y telecomunicaciones" in ficha.content.decode()
    bandeja = como("revisor.redes").get(reverse("workflow:inbox")).content.decode()
    assert "Servicios en la nube" not in bandeja
    assert "Redes y telecomunicaciones" in bandeja
    fila = lxml_html.fromstring(como("admin").get(LISTA).content.decode()).xpath(
        f"//tr[th/a[@href='{pagina(nube)}']]/td"
    )
    assert [td.text_content() for td in fila] == ["Retirada", "0", "—", "0", nube.clave]
    computo = como("admin").get(pagina(Area.objects.get(clave="computo"))).content.decode()
    assert "Servicios en la nube" not in computo
    # And it gets no categories: refused when asked, nothing waits.
    r = accion(como("admin"), nube, "asignar", claves=["switch"])
    assert r.status_code == 400
    assert errores(r) == [
        "El área «Servicios en la nube» está retirada: no recibe categorías ni revisiones."
    ]
    assert areas_de_categoria("switch") == {"redes"} and not pendientes()


def test_un_area_con_revisiones_abiertas_se_rechaza_con_la_lista(demo, como):
    una = admitida(areas=("computo",), titulo="Equipos para ventanillas")
    otra = admitida(areas=("computo", "redes"), titulo="Equipos y switches")
    computo = Area.objects.get(clave="computo")
    r = accion(como("admin"), computo, "retirar")
    assert r.status_code == 400
    folios = ", ".join(sorted([una.folio, otra.folio]))
    assert errores(r) == [
        f"«Equipo de cómputo e impresión» tiene revisiones abiertas en estas solicitudes: "
        f"{folios}. Espere a que concluyan, o elija el área de destino que las atenderá."
    ]
    assert sorted(enlaces_que_impiden(r)) == sorted(
        [(una.folio, detalle(una)), (otra.folio, detalle(otra))]
    )
    computo.refresh_from_db()
    assert computo.activa is True and not eventos("area_retirada") and not pendientes()


def test_un_area_con_categorias_se_rechaza(demo, como):
    computo = Area.objects.get(clave="computo")
    r = accion(como("admin"), computo, "retirar")
    assert r.status_code == 400
    n = len(set(computo.categorias.values_list("clave", flat=True)))
    assert errores(r) == [
        f"«Equipo de cómputo e impresión» aún tiene categorías ({n}): asígnelas a otra área, o "
        "elija el área de destino que las recibe al retirarla."
    ]
    computo.refresh_from_db()
    assert computo.activa is True and not pendientes()


def test_retirar_con_destino_mueve_categorias_tareas_y_devoluciones(demo, como):
    """Cómputo retires into a new area: its categories, its open review (the reviewer who held
    it lets go: they do not review the new area), a re-review sent back to it and an
    unanswered question move there, one event per request."""
    admin = usuario("admin")
    revisando = admitida(areas=("computo",), titulo="En revisión")
    [tarea] = tareas_abiertas(solicitud=revisando)
    tarea.flow_task.activation_class(tarea).assign(usuario("revisor.computo"))
    etapas.informacion_pedir(
        solicitud=revisando,
        usuario=usuario("revisor.computo"),
        area=Area.objects.get(clave="computo"),
        pregunta="¿Cuántas ventanillas?",
    )
    devuelta = admitida(areas=("computo",), titulo="Devuelta")
    revisar(devuelta, "computo")
    etapas.solicitud_decidir(
        solicitud=devuelta,
        usuario=usuario("estrategico"),
        motivos="Revise la garantía.",
        devolver_a=Area.objects.get(clave="computo"),
    )
    computo = Area.objects.get(clave="computo")
    destino = servicio.area_agregar(nombre="Dispositivos de usuario final", por=admin)
    claves = set(computo.categorias.values_list("clave", flat=True))
    r = accion(
        como("admin"), computo, "retirar", motivo="Fusión de áreas por acuerdo", destino=destino.pk
    )
    pedido_a(r, pagina(computo))
    computo.refresh_from_db()
    assert computo.activa is True and not eventos("revision_movida")
    aprobar_pendientes()
    computo.refresh_from_db()
    assert computo.activa is False and not computo.categorias.exists()
    assert set(destino.categorias.values_list("clave", flat=True)) == claves
    tarea.refresh_from_db()
    assert (tarea.owner_permission_obj_pk, tarea.data["area"]) == (str(destino.pk), destino.pk)
    assert (tarea.owner_id, tarea.status) == (None, STATUS.NEW)
    assert revisando.peticiones.get().area == destino
    devuelta.proceso.refresh_from_db()
    assert devuelta.proceso.area_devuelta == destino
    assert list(area_tareas_abiertas(area=computo)) == []
    assert {t.process_id for t in area_tareas_abiertas(area=destino)} == {
        revisando.proceso.pk,
        devuelta.proceso.pk,
    }
    movidas = eventos("revision_movida")
    assert [e.solicitud for e in movidas] == sorted(
        [revisando, devuelta], key=lambda s: (s.folio, s.pk)
    )
    assert movidas[0].descripcion == (
        "Revisión técnica de «Equipo de cómputo e impresión» pasa a «Dispositivos de usuario "
        "final»: el área se retira"
    )
    liberada = next(e for e in movidas if e.solicitud == revisando)
    assert liberada.datos["liberadas"] == [usuario("revisor.computo").pk]
    [retiro] = eventos("area_retirada")
    assert retiro.datos["destino"] == destino.clave and retiro.datos["solicitudes"] == 2
    # Its past reviews keep its name.
    assert devuelta.revisiones.get().area.nombre == "Equipo de cómputo e impresión"


def test_el_revisor_que_tambien_revisa_el_destino_conserva_su_tarea(demo, como):
    solicitud = admitida(areas=("computo",))
    [tarea] = tareas_abiertas(solicitud=solicitud)
    tarea.flow_task.activation_class(tarea).assign(usuario("revisor.computo"))
    destino = Area.objects.get(clave="software")
    Group.objects.get(name="revisor:software").user_set.add(usuario("revisor.computo"))
    servicio.area_retirar(
        area=Area.objects.get(clave="computo"), destino=destino, por=usuario("admin")
    )
    tarea.refresh_from_db()
    assert (tarea.owner.username, tarea.status) == ("revisor.computo", STATUS.ASSIGNED)
    assert eventos("revision_movida")[0].datos["liberadas"] == []


def test_un_destino_que_ya_revisa_la_solicitud_se_rechaza(demo, como):
    solicitud = admitida(areas=("computo", "seguridad"))
    computo = Area.objects.get(clave="computo")
    seguridad = Area.objects.get(clave="seguridad")
    r = accion(como("admin"), computo, "retirar", destino=seguridad.pk)
    assert r.status_code == 400
    assert errores(r) == [
        f"«Seguridad informática» ya revisa estas solicitudes: {solicitud.folio}; no puede "
        "recibir una segunda revisión de cada una. Elija otra área de destino o espere a que "
        "concluyan."
    ]
    assert enlaces_que_impiden(r) == [(solicitud.folio, detalle(solicitud))]
    computo.refresh_from_db()
    assert computo.activa is True and computo.categorias.exists() and not pendientes()


def test_el_servicio_rechaza_destinos_imposibles(demo):
    admin = usuario("admin")
    computo = Area.objects.get(clave="computo")
    with pytest.raises(ValidationError) as exc:
        servicio.area_retirar(area=computo, destino=computo, por=admin)
    assert exc.value.messages == ["El área de destino debe ser otra, no la que se retira."]
    nube = servicio.area_agregar(nombre="Nube", por=admin)
    servicio.area_retirar(area=nube, por=admin)
    with pytest.raises(ValidationError) as exc:
        servicio.area_retirar(area=computo, destino=nube, por=admin)
    assert exc.value.messages == [
        "El área «Nube» está retirada: no recibe categorías ni revisiones."
    ]
    with pytest.raises(ValidationError) as exc:
        servicio.area_retirar(area=nube, por=admin)
    assert exc.value.messages == ["El área «Nube» ya está retirada."]


# --- Who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["mesa", "revisor.redes", "estrategico", "auditor"])
def test_solo_administradores(demo, como, username):
    computo = Area.objects.get(clave="computo")
    c = como(username)
    assert c.get(LISTA).status_code == 403
    assert c.get(pagina(computo)).status_code == 403
    assert agregar(c, "Nube").status_code == 403
    assert c.post(pagina(computo), {"accion": "retirar"}).status_code == 403
    assert not Area.objects.filter(nombre="Nube").exists()
    computo.refresh_from_db()
    assert computo.activa is True


def test_sin_sesion_lleva_a_entrar(demo, client):
    r = client.get(LISTA)
    assert r.status_code == 302 and r.url.startswith(reverse("login"))


def test_el_servicio_exige_administrador(demo):
    with pytest.raises(PermissionDenied) as exc:
        servicio.area_agregar(nombre="Nube", por=usuario("mesa"))
    assert str(exc.value) == "Solo una persona administradora mantiene las áreas de revisión."


def test_el_inicio_del_administrador_lleva_a_las_areas(demo, como):
    assert f'href="{LISTA}"' in como("admin").get("/").content.decode()
    assert f'href="{LISTA}"' not in como("mesa").get("/").content.decode()


# --- Bounded queries ----------------------------------------------------------------------


def test_las_paginas_leen_lo_mismo_con_pocas_o_muchas_areas(
    demo, como, django_assert_max_num_queries
):
    admitida(areas=("computo", "redes"))
    c = como("admin")
    computo = Area.objects.get(clave="computo")
    c.get(LISTA)  # content types and sessions read once
    # One query more than before issue 48: the changes of areas that wait for approval, listed
    # on both pages with who asked them (one read, however many wait).
    with django_assert_max_num_queries(6):
        assert c.get(LISTA).status_code == 200
    with django_assert_max_num_queries(8):
        assert c.get(pagina(computo)).status_code == 200
    admin = usuario("admin")
    for n in range(12):
        area = servicio.area_agregar(nombre=f"Área adicional {n}", por=admin)
        configuracion.configuracion_pedir(
            tipo=CambioPendiente.Tipo.AREA,
            accion="renombrar",
            pedido={"area": area.pk, "nombre": f"Área renombrada {n}"},
            por=admin,
            motivo="Reorganización",
        )
    assert len(pendientes()) == 12
    c.get(LISTA)  # asking forgot the caches its rehearsal may have filled (ensayo, in operacion)
    with django_assert_max_num_queries(6):
        lista = c.get(LISTA)
    assert lista.content.decode().count(f'href="{reverse("cuentas:cambios")}#cambio-') == 12
    with django_assert_max_num_queries(8):
        assert c.get(pagina(computo)).status_code == 200


# --- 5. Reviewers per area ------------------------------------------------------------------


def test_el_rol_de_revisor_se_otorga_en_un_area_nueva_con_dos_administradores(demo, client):
    """The role page offers the area just added; the grant takes effect when a second
    administrator approves it in «Cambios por aprobar», and then the person may review it."""
    from dictamenes.models import CambioPendiente
    from tests.conftest import entrar

    entrar(client, "admin")
    pedido_a(agregar(client, "Inteligencia Artificial"), LISTA)
    aprobar_pendientes()
    area = Area.objects.get(nombre="Inteligencia Artificial")
    persona = usuario("mesa")
    ficha = reverse("cuentas:rol_persona", args=[persona.pk])
    assert "Inteligencia Artificial" in client.get(ficha).content.decode()
    r = client.post(
        ficha,
        {
            "accion": "otorgar",
            "otorgar-rol": Rol.REVISOR_TECNICO.value,
            "otorgar-areas": [area.pk],
            "otorgar-motivo": "Oficio SGD/35/2026",
        },
    )
    assert r.status_code == 302
    assert not persona.has_perm("dictamenes.revisar_area", area)
    cambio = CambioPendiente.objects.get(persona=persona)
    client.logout()
    entrar(client, "admin2")
    r = client.post(reverse("cuentas:cambio_resolver", args=[cambio.pk]), {"accion": "aprobar"})
    assert r.status_code == 302
    persona = usuario("mesa")
    assert persona.has_perm("dictamenes.revisar_area", area)
    assert list(persona.perfil.areas.all()) == [area]


def test_las_solicitudes_no_se_tocan_al_leer_la_pagina(demo, como):
    """Reading an area's page changes nothing (no event, no task moved)."""
    solicitud = admitida(areas=("computo",))
    antes = EventoAuditoria.objects.count()
    pagina_ = como("admin").get(pagina(Area.objects.get(clave="computo"))).content.decode()
    assert f'<a href="{detalle(solicitud)}">{solicitud.folio}</a>' in pagina_
    assert EventoAuditoria.objects.count() == antes
    assert Solicitud.objects.get(pk=solicitud.pk).estado == Solicitud.Estado.REVISION_TECNICA


def test_un_area_retirada_no_recibe_categorias_de_una_edicion_importada(demo):
    """An edition loaded from a file names its categories' areas by key: a retired one is
    refused, as an unknown one is."""
    from estandares import exceptions as errores_estandares
    from estandares import services as servicios_estandares
    from tests.estandares.conftest import EDICION_2024

    servicio.area_retirar(
        area=Area.objects.get(clave="software"),
        destino=Area.objects.get(clave="computo"),
        por=usuario("admin"),
    )
    with pytest.raises(errores_estandares.ImportacionError) as exc:
        servicios_estandares.publicacion_importar(texto=EDICION_2024, version="con-retirada")
    assert [e.split(", ", 1)[1] for e in exc.value.errores] == [
        "campo «area»: el área «software» no existe o está retirada; use una de: computo, "
        "infraestructura, redes, seguridad"
    ]


def test_el_panel_de_administracion_ya_no_cambia_areas(demo, como):
    """The Django admin shows the areas read only: a change there would skip the audit and the
    rules of a retirement."""
    computo = Area.objects.get(clave="computo")
    c = como("admin")
    assert c.get(reverse("admin:dictamenes_area_add")).status_code == 403
    cambio = reverse("admin:dictamenes_area_change", args=[computo.pk])
    r = c.post(cambio, {"nombre": "Cambiada a escondidas", "activa": ""})
    assert r.status_code == 403
    computo.refresh_from_db()
    assert (computo.nombre, computo.activa) == ("Equipo de cómputo e impresión", True)


def test_una_solicitud_no_se_devuelve_a_un_area_retirada(demo, como):
    """Reviewed by cómputo, which then retires: the strategic decision no longer offers it as
    an area to send the request back to, and the service refuses it in Spanish."""
    revisada_ = admitida(areas=("computo", "redes"), titulo="Revisada antes del retiro")
    revisar(revisada_, "computo")
    revisar(revisada_, "redes")
    computo = Area.objects.get(clave="computo")
    destino = servicio.area_agregar(nombre="Dispositivos de usuario final", por=usuario("admin"))
    servicio.area_retirar(
        area=computo, destino=destino, motivo="Fusión de áreas por acuerdo", por=usuario("admin")
    )
    pagina_ = lxml_html.fromstring(como("estrategico").get(detalle(revisada_)).content)
    ofrecidas = pagina_.xpath('//select[@name="area"]/option/text()')
    assert [o.strip() for o in ofrecidas if not o.startswith("---")] == [
        "Redes y telecomunicaciones"
    ]
    with pytest.raises(ValidationError) as error:
        etapas.solicitud_decidir(
            solicitud=revisada_,
            usuario=usuario("estrategico"),
            motivos="Revise la garantía.",
            devolver_a=Area.objects.get(pk=computo.pk),
        )
    assert error.value.messages == [
        f"El área «{computo.nombre}» se retiró y ya no revisa solicitudes: devuelva la "
        "solicitud al área que recibió sus categorías."
    ]


# --- Issue 47: reviewers counted per area ----------------------------------------------------


def fila_de(respuesta, area) -> list[str]:
    arbol = lxml_html.fromstring(respuesta.content.decode())
    return [td.text_content() for td in arbol.xpath(f"//tr[th/a[@href='{pagina(area)}']]/td")]


def test_la_lista_cuenta_los_revisores_y_avisa_del_area_activa_sin_ninguno(demo, como):
    """/cuentas/areas/ did not say how many reviewers each area has: an area with none looked
    like any other, and its reviews would wait with nobody to take them."""
    nube = servicio.area_agregar(nombre="Servicios en la nube", por=usuario("admin"))
    computo = Area.objects.get(clave="computo")
    respuesta = como("admin").get(LISTA)
    assert fila_de(respuesta, nube) == ["Activa", "0", "0: nadie la revisa", "0", nube.clave]
    assert fila_de(respuesta, computo)[2] == "1"  # revisor.computo
    (aviso,) = lxml_html.fromstring(respuesta.content.decode()).xpath(
        "//*[@id='areas-sin-revisor']"
    )
    assert " ".join(aviso.text_content().split()) == (
        "1 área activa no tiene quien la revise: Servicios en la nube. Sus revisiones "
        "esperarán en la cola sin que nadie pueda tomarlas: otorgue el rol de Revisor técnico "
        "en esa área en «Personas y roles»."
    )
    # An inactive account does not review.
    revisor = usuario("revisor.computo")
    revisor.is_active = False
    revisor.save(update_fields=["is_active"])
    respuesta = como("admin").get(LISTA)
    assert fila_de(respuesta, computo)[2] == "0: nadie la revisa"


def test_el_revisor_de_un_area_retirada_ya_no_la_muestra(demo, como):
    """A reviewer of a retired area still showed it, on their home page and on the roles
    pages; now only the active areas show."""
    computo = Area.objects.get(clave="computo")
    destino = servicio.area_agregar(nombre="Dispositivos de usuario final", por=usuario("admin"))
    servicio.area_retirar(
        area=computo, destino=destino, motivo="Fusión de áreas por acuerdo", por=usuario("admin")
    )
    inicio = lxml_html.fromstring(como("revisor.computo").get(reverse("inicio")).content.decode())
    (ambito,) = inicio.xpath("//section[@data-rol='revisor_tecnico']//p[@class='ambito']")
    assert ambito.text_content() == (
        "Sin área activa: pida a una persona administradora un área de revisión."
    )
    revisor = usuario("revisor.computo")
    ficha = como("admin").get(reverse("cuentas:rol_persona", args=[revisor.pk]))
    assert computo.nombre not in ficha.content.decode()
    lista = como("admin").get(reverse("cuentas:roles"), {"q": "revisor.computo"})
    assert computo.nombre not in lista.content.decode()
    # Another reviewer's active area still shows.
    inicio = como("revisor.redes").get(reverse("inicio")).content.decode()
    assert '<p class="ambito">Redes y telecomunicaciones</p>' in inicio
