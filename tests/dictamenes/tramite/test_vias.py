"""The fast track in the flow (issue 36, item 1): the track given when a request is presented
and admitted, one review shared by the areas involved, shorter deadlines, the mesa's move to
the full track, and the track on the request's page."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from dictamenes.models import (
    Area,
    ConfiguracionVias,
    EventoAuditoria,
    OpinionPartida,
    RevisionArea,
    Solicitud,
)
from dictamenes.organizacion.selectors import calendario
from dictamenes.tramite.selectors import access
from dictamenes.tramite.selectors.plazos import plazo_dias, vencimiento_de
from dictamenes.tramite.selectors.tareas import tareas_abiertas, titulo_de
from dictamenes.tramite.services import etapas, solicitudes, vias
from tests.dictamenes.flujo_utils import (
    detalle,
    oficio,
    perfil_de_area,
    usuario,
)

pytestmark = pytest.mark.django_db

# What each area's demo profile asks, stated so that every item complies in the self-check.
CUMPLEN = {
    "computo": {
        "nucleos_cpu": 8,
        "ram": 16,
        "almacenamiento": 512,
        "tipo_almacenamiento": "SSD",
        "garantia_sitio": 3,
        "tpm_20": True,
    },
    "redes": {
        "puertos_acceso": 48,
        "velocidad_uplink": 10,
        "vlan_8021q": True,
        "soporte_ipv6": True,
        "garantia": 3,
    },
    "seguridad": {
        "rendimiento_proteccion_amenazas": 10,
        "ips": True,
        "usuarios_vpn": 500,
        "alta_disponibilidad": True,
        "vigencia_licenciamiento": 3,
        "retencion_bitacoras": 12,
    },
}
COMPUTO = "Equipo de cómputo e impresión"
REDES = "Redes y telecomunicaciones"
SEGURIDAD = "Seguridad informática"
# Computo's items are worth less than redes': the lead area is redes, not the first by name.
CANTIDAD = {"computo": 2, "redes": 5, "seguridad": 1}
# The reasons of the track, as the rule words them (tramite.reglas.vias).
# Each says what was found, true on either side (issue 61).
MONTO_CUMPLIDO = (
    "Condición cumplida: la suma de sus partidas, %s, es menor al umbral de $500,000.00."
)
MONTO_NO_CUMPLIDO = (
    "Condición no cumplida: la suma de sus partidas, %s, no es menor al umbral de $500,000.00."
)
PARTIDAS_CUMPLIDA = (
    "Condición cumplida: todas sus partidas usan un perfil de la edición vigente de los "
    "estándares técnicos y su autoevaluación da «Cumple»."
)
PARTIDAS_NO_CUMPLIDA = (
    "Condición no cumplida: no todas sus partidas usan un perfil de la edición vigente de los "
    "estándares técnicos con autoevaluación «Cumple» («Cumple con observaciones» no basta)."
)
CATEGORIAS_CUMPLIDA = (
    "Condición cumplida: ninguna partida es de una categoría que siempre va a revisión completa."
)


def borrador(*, areas=("computo", "redes"), monto=None):
    """A draft whose items all comply, one per area (10,000 MXN each unit), its declared
    total their sum (presentation requires it, issue 59). With `monto`, the first area's item
    is one unit priced so that the items add up to it."""
    precios = {area: (CANTIDAD[area], Decimal("10000.00")) for area in areas}
    if monto is not None:
        resto = sum(CANTIDAD[a] * Decimal("10000.00") for a in areas[1:])
        precios[areas[0]] = (1, Decimal(monto) - resto)
    monto = sum(cantidad * precio for cantidad, precio in precios.values())
    autor = usuario("requirente.sh")
    solicitud = solicitudes.solicitud_crear(
        usuario=autor,
        ente=autor.perfil.ente,
        datos={
            "tipo_operacion": "adquisicion",
            "titulo": "Equipo para oficinas regionales",
            "justificacion": "Equipos con más de diez años de uso en ventanillas.",
            "alineacion": "Eje 3: gobierno digital eficiente.",
            "monto_estimado": Decimal(monto),
            "ejercicio": timezone.localdate().year,
        },
    )
    for area in areas:
        solicitudes.partida_guardar(
            solicitud=solicitud,
            usuario=autor,
            datos={
                "perfil": perfil_de_area(area),
                "descripcion": f"Partida de {area}",
                "cantidad": precios[area][0],
                "precio_unitario": precios[area][1],
                "capitulo": "5000",
                "partida_especifica": "51501",
                "especificaciones": CUMPLEN[area],
            },
        )
    solicitudes.anexo_agregar(solicitud=solicitud, usuario=autor, tipo="oficio", archivo=oficio())
    return solicitud


def presentar_y_admitir_por_http(como, solicitud):
    r = como("requirente.sh").post(reverse("solicitudes:presentar", args=[solicitud.pk]))
    assert r.status_code == 302
    r = como("mesa").post(
        reverse("solicitudes:admision", args=[solicitud.pk]), {"decision": "admitir"}
    )
    assert r.status_code == 302
    solicitud.refresh_from_db()
    assert solicitud.estado == Solicitud.Estado.REVISION_TECNICA
    return solicitud


def revisiones_abiertas(solicitud):
    return list(tareas_abiertas(solicitud=solicitud).filter(flow_task__endswith="revision_tecnica"))


def cola(como, username) -> str:
    return como(username).get(reverse("workflow:queue")).content.decode()


def presentada(**kwargs):
    solicitud = borrador(**kwargs)
    return solicitudes.solicitud_presentar(solicitud=solicitud, usuario=usuario("requirente.sh"))


def admitida(**kwargs):
    solicitud = presentada(**kwargs)
    etapas.admision_resolver(solicitud=solicitud, usuario=usuario("mesa"), admitir=True)
    solicitud.refresh_from_db()
    return solicitud


# --- «Done when»: one review task, or one per area -------------------------------------------


def test_bajo_el_umbral_una_sola_revision_que_toma_un_revisor_de_cualquier_area(demo, como):
    solicitud = presentar_y_admitir_por_http(como, borrador())
    assert solicitud.via == "rapida"
    [tarea] = revisiones_abiertas(solicitud)
    computo, redes = Area.objects.get(clave="computo"), Area.objects.get(clave="redes")
    assert tarea.data["area"] == redes.pk  # the area with the largest amount
    assert sorted(tarea.data["areas"]) == sorted([computo.pk, redes.pk])
    titulo = f"Revisión técnica única (vía rápida): {COMPUTO}, {REDES}"
    assert titulo_de(tarea=tarea) == titulo

    # A shared queue: the reviewers of each area involved see it, nobody else does.
    tomar = f"Tomar {titulo} de {solicitud.folio}"
    assert tomar in cola(como, "revisor.computo")
    assert tomar in cola(como, "revisor.redes")
    assert solicitud.folio not in cola(como, "revisor.seguridad")
    assert solicitud.folio not in cola(como, "mesa")
    inicio = como("revisor.computo").get(reverse("inicio")).content.decode()
    assert f"{solicitud.folio} · {titulo}" in inicio
    r = como("revisor.seguridad").post(reverse("solicitudes:tomar", args=[solicitud.pk, tarea.pk]))
    assert r.status_code == 403

    # Computo's reviewer (not the lead area's) takes it and reviews every item, redes' too.
    c = como("revisor.computo")
    r = c.post(reverse("solicitudes:tomar", args=[solicitud.pk, tarea.pk]))
    assert r.status_code == 302
    tarea.refresh_from_db()
    assert tarea.owner == usuario("revisor.computo")
    pagina = c.get(detalle(solicitud)).content.decode()
    assert "<h3>Revisión técnica única (vía rápida)</h3>" in pagina
    partidas = list(solicitud.partidas.order_by("id"))
    for partida in partidas:
        assert f'name="redes-p{partida.pk}_opinion"' in pagina
    datos = {"redes-opinion": "favorable", "redes-observaciones": "Todo conforme."}
    datos |= {f"redes-p{p.pk}_opinion": f"{p.descripcion}: cumple." for p in partidas}
    r = c.post(reverse("solicitudes:revision_area", args=[solicitud.pk, "redes"]), datos)
    assert r.status_code == 302

    revision = RevisionArea.objects.get(solicitud=solicitud)
    assert (revision.area, revision.revisor) == (redes, usuario("revisor.computo"))
    assert sorted(
        OpinionPartida.objects.filter(revision=revision).values_list("opinion", flat=True)
    ) == ["Partida de computo: cumple.", "Partida de redes: cumple."]
    solicitud.refresh_from_db()
    assert solicitud.estado == Solicitud.Estado.REVISION_ESTRATEGICA
    [siguiente] = tareas_abiertas(solicitud=solicitud)
    assert siguiente.flow_task.name == "revision_estrategica"
    evento = solicitud.eventos.get(tipo="revision_area")
    assert evento.descripcion == (
        f"Revisión técnica única (vía rápida) de {COMPUTO}, {REDES} concluida, con opinión de "
        "todas las partidas (Favorable)"
    )
    assert evento.datos["areas"] == ["computo", "redes"]


def test_con_una_partida_de_seguridad_una_revision_por_area(demo, como):
    solicitud = presentar_y_admitir_por_http(
        como, borrador(areas=("computo", "redes", "seguridad"))
    )
    assert solicitud.via == "completa"
    # The amount is its items': 2 + 5 + 1 units of $10,000 (it read a declared $70,000 before
    # issue 59).
    assert solicitud.via_razones == [
        MONTO_CUMPLIDO % "$80,000.00",
        PARTIDAS_CUMPLIDA,
        "Condición no cumplida: alguna partida es de una categoría que siempre va a revisión "
        "completa. La partida «Partida de seguridad» es de «Firewall de nueva generación», "
        "categoría que siempre va a revisión completa.",
    ]
    tareas = revisiones_abiertas(solicitud)
    assert sorted(titulo_de(tarea=t) for t in tareas) == [
        f"Revisión técnica: {COMPUTO}",
        f"Revisión técnica: {REDES}",
        f"Revisión técnica: {SEGURIDAD}",
    ]
    assert all("via" not in t.data for t in tareas)
    # Each review is its own area's: computo's reviewer does not see redes'.
    computo = cola(como, "revisor.computo")
    assert f"Tomar Revisión técnica: {COMPUTO} de {solicitud.folio}" in computo
    assert f"Revisión técnica: {REDES}" not in computo
    redes = next(t for t in tareas if titulo_de(tarea=t).endswith(REDES))
    r = como("revisor.computo").post(reverse("solicitudes:tomar", args=[solicitud.pk, redes.pk]))
    assert r.status_code == 403


def test_el_monto_igual_al_umbral_va_a_la_via_completa(demo):
    umbral = ConfiguracionVias.objects.vigentes().umbral_monto
    # The one just under first: after the other, with the same categories, the two would add
    # up to a possible split purchase (test_fraccionamiento).
    debajo = presentada(monto=str(umbral - Decimal("0.01")))
    solicitud = presentada(monto=str(umbral))
    assert solicitud.via == "completa"
    assert solicitud.via_razones == [
        MONTO_NO_CUMPLIDO % "$500,000.00",
        PARTIDAS_CUMPLIDA,
        CATEGORIAS_CUMPLIDA,
    ]
    assert debajo.via == "rapida"


def nueva_version(**cambios):
    """A new version of the tracks, as the administrator's page saves one."""
    config = ConfiguracionVias.objects.vigentes()
    config.pk, config.version, config.creado_en = None, config.version + 1, timezone.now()
    for campo, valor in cambios.items():
        setattr(config, campo, valor)
    config.save()
    return config


def test_la_via_queda_en_el_historial_al_presentar_y_al_cambiar_al_admitir(demo):
    solicitud = presentada()
    config = ConfiguracionVias.objects.vigentes()
    [via] = solicitud.eventos.filter(tipo="via")
    assert (via.descripcion, via.usuario) == ("Sigue la vía rápida", usuario("requirente.sh"))
    assert via.motivo == " ".join(solicitud.via_razones)
    assert via.datos == {
        "via": "rapida",
        "via_razones": solicitud.via_razones,
        "via_config": config.version,
    }
    assert solicitud.via_config == config
    # Admitted with the same track and reasons: nothing new to say.
    etapas.admision_resolver(solicitud=solicitud, usuario=usuario("mesa"), admitir=True)
    assert solicitud.eventos.filter(tipo="via").count() == 1

    # The threshold went down while another one waited for admission: the rule is applied
    # again, the history says so, and each area reviews its items.
    otra = presentada()
    nueva = nueva_version(umbral_monto=Decimal("50000.00"))
    etapas.admision_resolver(solicitud=otra, usuario=usuario("mesa"), admitir=True)
    otra.refresh_from_db()
    assert (otra.via, otra.via_config) == ("completa", nueva)
    ultimo = otra.eventos.filter(tipo="via").order_by("-numero").first()
    assert (ultimo.descripcion, ultimo.usuario) == (
        "Al admitirla, sigue la vía completa",
        usuario("mesa"),
    )
    assert ultimo.motivo == (
        "Condición no cumplida: la suma de sus partidas, $70,000.00, no es menor al umbral de "
        f"$50,000.00. {PARTIDAS_CUMPLIDA} {CATEGORIAS_CUMPLIDA}"
    )
    assert len(revisiones_abiertas(otra)) == 2


# --- Shorter deadlines --------------------------------------------------------------------------


def test_la_via_rapida_tiene_plazos_mas_cortos(demo):
    nueva_version(dias_revision_rapida=3, dias_estrategica_rapida=2)
    rapida = admitida()
    [tarea] = revisiones_abiertas(rapida)
    assert vencimiento_de(tarea=tarea) == calendario.vencimiento(desde=tarea.created, dias=3)
    completa = admitida(areas=("computo", "seguridad"))
    ordinaria = plazo_dias(etapa="revision_area")
    for t in revisiones_abiertas(completa):
        assert vencimiento_de(tarea=t) == calendario.vencimiento(desde=t.created, dias=ordinaria)
    assert ordinaria == 5

    etapas.revision_area_concluir(
        solicitud=rapida,
        usuario=usuario("revisor.redes"),
        area=Area.objects.get(clave="redes"),
        opinion="favorable",
        observaciones="",
        partidas={p.pk: {"opinion": "Cumple."} for p in rapida.partidas.all()},
    )
    [estrategica] = tareas_abiertas(solicitud=rapida)
    assert estrategica.flow_task.name == "revision_estrategica"
    assert vencimiento_de(tarea=estrategica) == calendario.vencimiento(
        desde=estrategica.created, dias=2
    )
    assert plazo_dias(etapa="revision_estrategica") == 3


# --- The mesa moves a request to the full track ------------------------------------------------


def test_la_mesa_pasa_a_la_via_completa_con_motivo_y_evento(demo, como):
    solicitud = presentada()
    assert solicitud.via == "rapida"
    url = reverse("solicitudes:via_completa", args=[solicitud.pk])
    r = como("mesa").post(url, {"via-texto": "  "})
    assert r.status_code == 400
    assert str(vias.ERROR_VIA_SIN_MOTIVO) in r.content.decode()

    r = como("mesa").post(url, {"via-texto": "Los equipos se conectan a la red de seguridad."})
    assert r.status_code == 302
    solicitud.refresh_from_db()
    assert (solicitud.via, solicitud.via_movida) == ("completa", True)
    assert solicitud.via_razones[-1] == (
        "La mesa de control la pasó a la vía completa: Los equipos se conectan a la red de "
        "seguridad."
    )
    evento = solicitud.eventos.get(tipo="via_completa")
    assert (evento.usuario, evento.motivo) == (
        usuario("mesa"),
        "Los equipos se conectan a la red de seguridad.",
    )
    # Admitted, the rule would say «rápida» again; the mesa's move stands: one review per area.
    etapas.admision_resolver(solicitud=solicitud, usuario=usuario("mesa"), admitir=True)
    solicitud.refresh_from_db()
    assert solicitud.via == "completa"
    assert len(revisiones_abiertas(solicitud)) == 2

    r = como("mesa").post(url, {"via-texto": "Otra vez, por el monto."})
    assert r.status_code == 400
    assert "solo mientras está en admisión o prevenida; esta está en «En revisión técnica»." in (
        r.content.decode()
    )


def test_solo_la_mesa_y_no_una_solicitud_ya_completa(demo, como):
    solicitud = presentada()
    url = reverse("solicitudes:via_completa", args=[solicitud.pk])
    for persona in ("revisor.computo", "estrategico", "auditor"):
        r = como(persona).post(url, {"via-texto": "Por si acaso."})
        assert r.status_code == 403
        assert str(access.ERROR_VIA_SIN_PERMISO) in r.content.decode()
    # The agency's requirente sees the request, and may not move it either.
    r = como("requirente.sh").post(url, {"via-texto": "Mejor completa."})
    assert r.status_code == 403
    solicitud.refresh_from_db()
    assert (solicitud.via, solicitud.via_movida) == ("rapida", False)
    assert not EventoAuditoria.objects.filter(tipo="via_completa").exists()

    completa = presentada(areas=("computo", "seguridad"))
    with pytest.raises(ValidationError) as error:
        vias.via_pasar_a_completa(solicitud=completa, usuario=usuario("mesa"), motivo="Ya.")
    assert error.value.messages == [str(vias.ERROR_VIA_YA_COMPLETA)]
    with pytest.raises(PermissionDenied):
        vias.via_pasar_a_completa(
            solicitud=solicitud, usuario=usuario("requirente.sh"), motivo="Ya."
        )


def test_nadie_pasa_una_solicitud_a_la_via_rapida_contra_la_regla(demo, como):
    """No door sets the fast track: the form of the general data ignores a «via» field, the
    mesa's door only ever sets the full track, and the rule decides again at admission."""
    solicitud = borrador(areas=("computo", "seguridad"))
    c = como("requirente.sh")
    r = c.get(reverse("solicitudes:editar", args=[solicitud.pk]))
    datos = {
        campo.html_name: campo.value() or ""
        for campo in r.context["form"]
        if campo.name != "version"
    }
    datos |= {"version": solicitud.version, "via": "rapida", "via_movida": "", "via_razones": "[]"}
    assert c.post(reverse("solicitudes:editar", args=[solicitud.pk]), datos).status_code == 302
    c.post(reverse("solicitudes:presentar", args=[solicitud.pk]))
    solicitud.refresh_from_db()
    assert solicitud.via == "completa"

    r = como("mesa").post(
        reverse("solicitudes:via_completa", args=[solicitud.pk]),
        {"via-texto": "Que sea rápida.", "via": "rapida"},
    )
    assert r.status_code == 400
    assert str(vias.ERROR_VIA_YA_COMPLETA) in r.content.decode()
    solicitud.refresh_from_db()
    assert solicitud.via == "completa"
    assert not hasattr(vias, "via_pasar_a_rapida")


def test_la_api_no_deja_poner_la_via(demo):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(usuario("requirente.sh"))
    respuesta = api.post(
        "/api/v1/solicitudes/",
        {
            "tipo_operacion": "adquisicion",
            "titulo": "Desde el sistema de compras",
            "justificacion": "Equipos con más de diez años de uso.",
            "alineacion": "Eje 3",
            "monto_estimado": "1000.00",
            "ejercicio": timezone.localdate().year,
            "via": "rapida",
            "via_razones": ["Porque sí."],
        },
        format="json",
    )
    assert respuesta.status_code == 201
    creada = Solicitud.objects.get(titulo="Desde el sistema de compras")
    assert (creada.via, creada.via_razones) == ("", [])
    ruta = f"/api/v1/solicitudes/{creada.pk}/"
    for metodo in (api.patch, api.put):
        assert metodo(ruta, {"via": "rapida"}, format="json").status_code == 405
    creada.refresh_from_db()
    assert creada.via == ""


# --- The track on the request's page ----------------------------------------------------------


def test_la_pagina_dice_la_via_y_por_que(demo, como):
    solicitud = presentada()
    for persona in ("requirente.sh", "mesa", "auditor", "estrategico"):
        pagina = como(persona).get(detalle(solicitud)).content.decode()
        assert '<h2 id="t-via">Vía de revisión: Vía rápida</h2>' in pagina
        assert f"<li>{MONTO_CUMPLIDO % '$70,000.00'}</li>" in pagina
    # Only the mesa gets the form to move it.
    assert 'id="via-completa"' in como("mesa").get(detalle(solicitud)).content.decode()
    assert 'id="via-completa"' not in como("requirente.sh").get(detalle(solicitud)).content.decode()
    assert 'id="via-completa"' not in como("auditor").get(detalle(solicitud)).content.decode()

    completa = presentada(areas=("computo", "seguridad"))
    pagina = como("requirente.sh").get(detalle(completa)).content.decode()
    assert '<h2 id="t-via">Vía de revisión: Vía completa</h2>' in pagina
    assert 'id="via-completa"' not in como("mesa").get(detalle(completa)).content.decode()


# --- A send-back keeps working ------------------------------------------------------------------


def test_la_devolucion_de_una_solicitud_de_via_rapida_vuelve_a_revisar_todas_sus_partidas(
    demo, como
):
    solicitud = admitida()
    redes = Area.objects.get(clave="redes")
    partidas = {p.pk: {"opinion": "Cumple."} for p in solicitud.partidas.all()}
    etapas.revision_area_concluir(
        solicitud=solicitud,
        usuario=usuario("revisor.redes"),
        area=redes,
        opinion="favorable",
        observaciones="",
        partidas=partidas,
    )
    etapas.solicitud_decidir(
        solicitud=solicitud,
        usuario=usuario("estrategico"),
        motivos="Revise la garantía de las computadoras.",
        devolver_a=redes,
    )
    [re_revision] = tareas_abiertas(solicitud=solicitud)
    assert titulo_de(tarea=re_revision) == f"Re-revisión técnica: {REDES}"
    pagina = como("revisor.redes").get(detalle(solicitud)).content.decode()
    for pk in partidas:
        assert f'name="redes-p{pk}_opinion"' in pagina
    etapas.revision_area_concluir(
        solicitud=solicitud,
        usuario=usuario("revisor.redes"),
        area=redes,
        opinion="favorable",
        observaciones="Garantía revisada.",
        partidas=partidas,
    )
    segunda = RevisionArea.objects.get(solicitud=solicitud, ronda=2)
    assert segunda.opiniones.count() == 2
    [estrategica] = tareas_abiertas(solicitud=solicitud)
    assert estrategica.flow_task.name == "revision_estrategica"


# --- Queries per page ---------------------------------------------------------------------------


def test_la_cola_compartida_no_cuesta_una_consulta_por_tarea(
    demo, como, django_assert_max_num_queries
):
    admitida()
    c = como("revisor.computo")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as una:
        assert c.get(reverse("workflow:queue")).status_code == 200
    for _ in range(3):
        admitida()
    with django_assert_max_num_queries(len(una)):
        pagina = c.get(reverse("workflow:queue")).content.decode()
    assert pagina.count("Tomar Revisión técnica única (vía rápida)") == 4


def test_el_aviso_de_vencimiento_de_la_revision_unica_llega_a_las_areas_que_la_comparten(
    demo, django_capture_on_commit_callbacks
):
    """An unowned single review is due tomorrow: everyone who may take it from the shared queue
    is warned, the reviewers of every area involved, and nobody of an area not involved."""
    import datetime

    from django.core import mail

    from dictamenes.organizacion.selectors.calendario import Calendario
    from dictamenes.tramite.services import tareas

    solicitud = admitida()
    [tarea] = revisiones_abiertas(solicitud)
    assert tarea.owner_id is None
    vence = vencimiento_de(tarea=tarea)
    cal = Calendario.cargar(timezone.localdate(), timezone.localdate(vence))
    vispera = timezone.localdate(vence) - datetime.timedelta(days=1)
    while not cal.es_habil(vispera):
        vispera -= datetime.timedelta(days=1)
    a_las_9 = timezone.make_aware(datetime.datetime.combine(vispera, datetime.time(9)))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tareas.avisos_de_vencimiento_enviar(ahora=a_las_9)
    [aviso] = [m for m in mail.outbox if solicitud.folio in m.subject]
    assert aviso.subject.startswith("[Dictámenes TIC] Vence pronto: Revisión técnica única")
    assert {usuario("revisor.computo").email, usuario("revisor.redes").email} <= set(aviso.to)
    assert usuario("revisor.seguridad").email not in aviso.to
