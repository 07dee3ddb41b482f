"""The procedure, driven through the services, on SQLite and on PostgreSQL."""

import datetime
import functools

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.models import Task

from dictamenes import exceptions
from dictamenes.avisos import services as avisos
from dictamenes.emision.services import emision
from dictamenes.models import Area, CambioPendiente, Dictamen, EventoAuditoria, Solicitud
from dictamenes.suplencias import services as suplencias
from dictamenes.tramite.selectors.plazos import vencimiento_de
from dictamenes.tramite.selectors.tareas import tareas_abiertas, titulo_de
from dictamenes.tramite.services import etapas, solicitudes, tareas
from tests.dictamenes import flujo_utils
from tests.dictamenes.dual_utils import aprobar_pendientes
from tests.dictamenes.flujo_utils import (
    admitida,
    borrador,
    credencial,
    decisiones_todas,
    doble_rol,
    en_firma,
    firmar,
    otra_mesa,
    paso_de,
    persona,
    presentada,
    revisar,
    usuario,
)

pytestmark = pytest.mark.django_db(transaction=False)
Estado = Solicitud.Estado


def nodos_abiertos(solicitud):
    return sorted(paso_de(t) for t in tareas_abiertas(solicitud=solicitud))


def tipos_de_eventos(solicitud):
    return list(solicitud.eventos.values_list("tipo", flat=True))


decidir = functools.partial(flujo_utils.decidir, motivos="Alineada al programa y sin duplicidad.")


def test_presentar_da_folio_y_abre_la_admision(demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        solicitud = presentada()
    anio = timezone.localdate().year
    assert solicitud.folio == f"SOL-{anio}-00001"
    assert solicitud.estado == Estado.ADMISION
    assert nodos_abiertos(solicitud) == ["admision"]
    tarea = tareas_abiertas(solicitud=solicitud).get()
    assert vencimiento_de(tarea=tarea) > timezone.now()
    # Presented, the history also says which track it follows (issue 36).
    assert tipos_de_eventos(solicitud) == ["creacion", "partida", "anexo", "presentacion", "via"]
    [tarea_nueva] = [m for m in mail.outbox if "Nueva tarea: Admisión" in m.subject]
    assert "mesa@demo.invalid" in tarea_nueva.to


def test_admitida_directamente_a_dictamen_favorable(demo):
    solicitud = admitida(areas=("computo",))
    assert solicitud.estado == Estado.REVISION_TECNICA
    assert nodos_abiertos(solicitud) == ["revision_tecnica:computo"]

    revisar(solicitud, "computo")
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.REVISION_ESTRATEGICA
    decidir(solicitud)
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.FIRMA

    dictamen = firmar(solicitud)
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.DICTAMINADA
    assert dictamen.resultado == "favorable"
    assert nodos_abiertos(solicitud) == []
    assert solicitud.proceso.status == "DONE"
    assert tipos_de_eventos(solicitud)[-5:] == [
        "revision_area",
        "fin_revision_tecnica",
        "decision_estrategica",
        "dictamen",
        "encuesta_invitada",
    ]


def prevenir(solicitud, faltantes="Falta la cotización firmada."):
    return etapas.admision_resolver(
        solicitud=solicitud, usuario=usuario("mesa"), admitir=False, faltantes=faltantes
    )


def test_prevencion_subsanada_a_tiempo_vuelve_a_admision(demo, django_capture_on_commit_callbacks):
    solicitud = presentada()
    with django_capture_on_commit_callbacks(execute=True):
        prevenir(solicitud)
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.PREVENIDA
    assert nodos_abiertos(solicitud) == ["subsanar"]
    aviso = next(m for m in mail.outbox if "Prevención" in m.subject)
    assert "Falta la cotización firmada." in aviso.body
    assert aviso.to == ["requirente.sh@demo.invalid"]

    # While prevenida the requirente may fix the request, then answers the prevención.
    solicitudes.anexo_agregar(
        solicitud=solicitud,
        usuario=usuario("requirente.sh"),
        tipo="cotizacion",
        archivo=__import__("tests.dictamenes.flujo_utils", fromlist=["x"]).oficio("cot.pdf"),
    )
    etapas.solicitud_subsanar(
        solicitud=solicitud, usuario=usuario("requirente.sh"), respuesta="Se adjuntó."
    )
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.ADMISION
    assert nodos_abiertos(solicitud) == ["admision"]
    etapas.admision_resolver(solicitud=solicitud, usuario=usuario("mesa"), admitir=True)
    assert nodos_abiertos(solicitud) == ["revision_tecnica:computo"]


def test_prevencion_sin_faltantes_se_rechaza(demo):
    solicitud = presentada()
    with pytest.raises(ValidationError) as exc:
        prevenir(solicitud, faltantes="  ")
    assert str(exceptions.ERROR_FALTAN_FALTANTES) in exc.value.messages
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.ADMISION
    assert nodos_abiertos(solicitud) == ["admision"]


def test_prevencion_vencida_la_cierra_el_temporizador(demo, django_capture_on_commit_callbacks):
    solicitud = presentada()
    prevenir(solicitud)
    vence = Solicitud.objects.get(pk=solicitud.pk).proceso.subsanar_vence
    # The day after the deadline, the requirente can no longer correct...
    with time_machine.travel(vence + datetime.timedelta(hours=1)):
        with pytest.raises(ValidationError, match="El plazo para subsanar venció"):
            etapas.solicitud_subsanar(
                solicitud=solicitud, usuario=usuario("requirente.sh"), respuesta="Tarde."
            )
        # ...and the timer dispatcher (cron) closes the request.
        with django_capture_on_commit_callbacks(execute=True):
            call_command("workflow_timers")
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.DESECHADA
    assert nodos_abiertos(solicitud) == []
    evento = solicitud.eventos.get(tipo="desechada")
    assert evento.usuario is None
    assert "No se subsanó la prevención dentro del plazo" in evento.motivo
    assert any("desechada" in m.subject for m in mail.outbox)


def test_el_temporizador_no_actua_antes_del_plazo(demo):
    solicitud = presentada()
    prevenir(solicitud)
    call_command("workflow_timers")
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.PREVENIDA


@pytest.mark.parametrize(
    "areas",
    [("computo",), ("redes", "seguridad"), ("software", "infraestructura", "computo")],
    ids=["una-area", "dos-areas", "tres-areas"],
)
def test_revision_en_paralelo_por_area(demo, areas):
    solicitud = admitida(areas=areas)
    assert nodos_abiertos(solicitud) == sorted(f"revision_tecnica:{a}" for a in areas)
    for i, area in enumerate(areas):
        revisar(solicitud, area)
        solicitud.refresh_from_db()
        if i < len(areas) - 1:
            # The join waits for every area.
            assert solicitud.estado == Estado.REVISION_TECNICA
            assert "revision_estrategica" not in nodos_abiertos(solicitud)
    assert solicitud.estado == Estado.REVISION_ESTRATEGICA
    assert nodos_abiertos(solicitud) == ["revision_estrategica"]
    assert solicitud.revisiones.count() == len(areas)


def test_peticion_de_informacion_detiene_el_reloj_y_vuelve_a_la_misma_revision(demo):
    solicitud = admitida(areas=("redes",))
    tarea = tareas_abiertas(solicitud=solicitud).get()
    vence_antes = vencimiento_de(tarea=tarea)
    redes = Area.objects.get(clave="redes")
    peticion = etapas.informacion_pedir(
        solicitud=solicitud,
        usuario=usuario("revisor.redes"),
        area=redes,
        pregunta="¿Cuántos puertos PoE necesita cada sitio?",
    )
    with pytest.raises(ValidationError) as exc:
        revisar(solicitud, "redes")
    assert str(exceptions.ERROR_PETICION_ABIERTA) in exc.value.messages

    # Three business days later the agency answers: the area's due date moves three days.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7)):
        etapas.informacion_responder(
            peticion=peticion, usuario=usuario("requirente.sh"), respuesta="24 puertos por sitio."
        )
    tarea.refresh_from_db()
    assert vencimiento_de(tarea=tarea) > vence_antes
    assert nodos_abiertos(solicitud) == ["revision_tecnica:redes"]
    evento = solicitud.eventos.get(tipo="respuesta_informacion")
    assert evento.datos["dias_en_pausa"] == 5
    revisar(solicitud, "redes")
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.REVISION_ESTRATEGICA


def test_ajustar_el_resultado_del_motor_exige_motivo(demo):
    solicitud = admitida(areas=("computo",))
    with pytest.raises(ValidationError, match="escriba el motivo"):
        revisar(solicitud, "computo", ajustes={"ram": {"resultado": "cumple", "motivo": ""}})
    assert nodos_abiertos(solicitud) == ["revision_tecnica:computo"]
    assert not solicitud.revisiones.exists()

    revisar(
        solicitud,
        "computo",
        ajustes={"ram": {"resultado": "cumple", "motivo": "La cotización indica 16 GB."}},
    )
    opinion = solicitud.revisiones.get().opiniones.get()
    assert opinion.ajustes["ram"] == {
        "resultado": "cumple",
        "motivo": "La cotización indica 16 GB.",
        "motor": "no_cumple",
    }


def test_devuelta_por_el_estrategico_a_un_area_y_vuelve(demo):
    solicitud = admitida(areas=("redes", "seguridad"))
    revisar(solicitud, "redes")
    revisar(solicitud, "seguridad")
    etapas.solicitud_decidir(
        solicitud=solicitud,
        usuario=usuario("estrategico"),
        devolver_a=Area.objects.get(clave="seguridad"),
        motivos="Revisar el licenciamiento del firewall.",
    )
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.REVISION_TECNICA
    assert nodos_abiertos(solicitud) == ["re_revision"]
    # Only the returned area reviews again.
    with pytest.raises(ValidationError, match="Este paso no está disponible"):
        revisar(solicitud, "redes")
    revisar(solicitud, "seguridad", opinion="observaciones")
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.REVISION_ESTRATEGICA
    assert list(
        solicitud.revisiones.filter(area__clave="seguridad").values_list("ronda", flat=True)
    ) == [1, 2]
    decidir(solicitud)
    assert nodos_abiertos(solicitud) == ["firma"]


@pytest.mark.parametrize(
    ("resultado", "condiciones"),
    [("favorable", ""), ("condicionado", "Entregar el plan de migración."), ("no_favorable", "")],
)
def test_cada_resultado_termina_en_su_dictamen(demo, resultado, condiciones):
    solicitud = admitida()
    revisar(solicitud, "computo")
    decidir(solicitud, resultado=resultado, condiciones=condiciones)
    dictamen = firmar(solicitud)
    assert dictamen.resultado == resultado
    assert dictamen.condiciones == condiciones
    assert dictamen.motivos == "Alineada al programa y sin duplicidad."
    solicitud.refresh_from_db()
    assert (solicitud.estado, solicitud.resultado) == (Estado.DICTAMINADA, resultado)


def test_doble_firma_no_emite_dos_dictamenes(demo):
    solicitud = admitida()
    revisar(solicitud, "computo")
    decidir(solicitud)
    firmar(solicitud)
    with pytest.raises(ValidationError) as exc:
        firmar(solicitud)
    assert str(exceptions.ERROR_YA_FIRMADA) in exc.value.messages
    assert Dictamen.objects.filter(solicitud=solicitud).count() == 1
    assert Dictamen.objects.get(solicitud=solicitud).folio.endswith("/0001")


# --- Nothing skips a step, and duties stay separated -------------------------------------------


def test_ningun_paso_se_salta_ni_siquiera_el_administrador(demo):
    solicitud = presentada()
    for accion in (
        lambda u: revisar(solicitud, "computo"),
        lambda u: decidir(solicitud),
        lambda u: firmar(solicitud),
    ):
        # Even the person of the right role cannot act before its step comes.
        with pytest.raises(ValidationError) as exc:
            accion(None)
        assert "Este paso no está disponible" in exc.value.messages[0]
    # And the administrator holds no step at all.
    with pytest.raises(PermissionDenied):
        etapas.admision_resolver(solicitud=solicitud, usuario=usuario("admin"), admitir=True)
    with pytest.raises(PermissionDenied):
        emision.dictamen_emitir(
            solicitud=solicitud, usuario=usuario("admin"), credencial=credencial()
        )
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.ADMISION


def test_un_requirente_no_actua_sobre_otra_dependencia(demo):
    solicitud = borrador()  # de la Secretaría de Hacienda
    otro = usuario("requirente.rc")
    for accion in (
        lambda: solicitudes.solicitud_presentar(solicitud=solicitud, usuario=otro),
        lambda: solicitudes.solicitud_actualizar(solicitud=solicitud, usuario=otro, datos={}),
        lambda: solicitudes.partida_eliminar(partida=solicitud.partidas.first(), usuario=otro),
    ):
        with pytest.raises(PermissionDenied) as exc:
            accion()
        assert str(exc.value) == str(exceptions.ERROR_NO_ES_DE_SU_ENTE)


def test_el_revisor_tecnico_no_hace_la_revision_estrategica(demo):
    from dictamenes.roles import Rol

    doble = doble_rol(
        Rol.REVISOR_TECNICO, Rol.REVISOR_ESTRATEGICO, areas=[Area.objects.get(clave="computo")]
    )
    solicitud = admitida()
    area = Area.objects.get(clave="computo")
    etapas.revision_area_concluir(
        solicitud=solicitud,
        usuario=doble,
        area=area,
        opinion="favorable",
        observaciones="",
        partidas={p.pk: {"opinion": "Bien."} for p in solicitud.partidas.all()},
    )
    with pytest.raises(PermissionDenied) as exc:
        etapas.solicitud_decidir(
            solicitud=solicitud,
            usuario=doble,
            partidas=decisiones_todas(solicitud),
            motivos="Decido yo mismo la compra.",
        )
    assert str(exc.value) == str(exceptions.ERROR_REVISOR_Y_ESTRATEGICO)
    assert nodos_abiertos(solicitud) == ["revision_estrategica"]


def test_quien_reviso_no_firma(demo):
    from dictamenes.roles import Rol

    doble = doble_rol(Rol.REVISOR_ESTRATEGICO, Rol.FIRMANTE)
    solicitud = en_firma(estrategico="doble")
    with pytest.raises(PermissionDenied) as exc:
        emision.dictamen_emitir(solicitud=solicitud, usuario=doble, credencial=credencial())
    assert str(exc.value) == str(exceptions.ERROR_FIRMA_REVISOR)


def test_nadie_revisa_solicitudes_de_su_propia_dependencia(demo):
    from dictamenes.models import Perfil

    solicitud = presentada()
    mesa = usuario("mesa")
    # Simulate a data error: the mesa's profile points at the requesting agency.
    Perfil.objects.filter(usuario=mesa).update(ente=solicitud.ente)
    mesa = usuario("mesa")
    with pytest.raises(PermissionDenied) as exc:
        etapas.admision_resolver(solicitud=solicitud, usuario=mesa, admitir=True)
    assert str(exc.value) == str(exceptions.ERROR_MISMO_ENTE)


def test_tarea_tomada_por_otro(demo):
    otra = otra_mesa()
    solicitud = presentada()
    tarea = tareas_abiertas(solicitud=solicitud).get()
    tarea.flow_task.activation_class(tarea).assign(usuario("mesa"))
    with pytest.raises(PermissionDenied, match="Esta tarea está asignada a Patricia"):
        etapas.admision_resolver(solicitud=solicitud, usuario=otra, admitir=True)


# --- Reassignment and substitution ---------------------------------------------------------------


def test_reasignacion_por_la_jefatura_queda_auditada(demo):
    from dictamenes.models import Perfil

    jefa = usuario("mesa")
    Perfil.objects.filter(usuario=jefa).update(es_jefe=True)
    jefa = usuario("mesa")
    otra = otra_mesa()
    solicitud = presentada()
    tarea = tareas_abiertas(solicitud=solicitud).get()
    tareas.tarea_reasignar(tarea=tarea, usuario=jefa, nuevo=otra, motivo="Carga de trabajo")
    tarea.refresh_from_db()
    assert tarea.owner == otra
    evento = solicitud.eventos.get(tipo="reasignacion")
    assert (evento.usuario, evento.motivo) == (jefa, "Carga de trabajo")

    with pytest.raises(ValidationError, match="no tiene el rol"):
        tareas.tarea_reasignar(tarea=tarea, usuario=jefa, nuevo=usuario("firmante"))
    with pytest.raises(PermissionDenied):
        tareas.tarea_reasignar(tarea=tarea, usuario=otra, nuevo=jefa)

    # The chief's page still shows the task, but its owner concluded it meanwhile.
    vista_de_la_jefa = tareas_abiertas(solicitud=solicitud).get()
    etapas.admision_resolver(solicitud=solicitud, usuario=otra, admitir=True)
    with pytest.raises(exceptions.Conflicto, match="Otra Mesa ya lo concluyó"):
        tareas.tarea_reasignar(tarea=vista_de_la_jefa, usuario=jefa, nuevo=otra)
    vista_de_la_jefa.refresh_from_db()
    assert vista_de_la_jefa.status == "DONE"
    assert solicitud.eventos.filter(tipo="reasignacion").count() == 1


def test_el_suplente_atiende_las_tareas_del_titular_en_su_periodo(demo):
    from dictamenes.roles import Rol

    suplente = persona(
        "suplente",
        nombre="Suplente",
        apellidos="Redes",
        rfc="SURX800101AB1",
        roles=[Rol.REVISOR_TECNICO],
        areas=[Area.objects.get(clave="seguridad")],
    )
    titular = usuario("revisor.redes")
    hoy = timezone.localdate()
    suplencias.sustitucion_crear(
        titular=titular,
        suplente=suplente,
        desde=hoy,
        hasta=hoy + datetime.timedelta(days=10),
        motivo="Vacaciones",
    )
    # A substitute of another area (seguridad for redes) stands in once approved (issue 59).
    aprobar_pendientes(tipo=CambioPendiente.Tipo.SUSTITUCION)
    solicitud = admitida(areas=("redes",))
    redes = Area.objects.get(clave="redes")
    etapas.revision_area_concluir(
        solicitud=solicitud,
        usuario=suplente,
        area=redes,
        opinion="favorable",
        observaciones="",
        partidas={p.pk: {"opinion": "Bien."} for p in solicitud.partidas.all()},
    )
    assert solicitud.revisiones.get().revisor == suplente
    assert EventoAuditoria.objects.filter(tipo="sustitucion").count() == 1


def test_una_falla_del_correo_no_deshace_la_decision(
    demo, django_capture_on_commit_callbacks, monkeypatch
):
    def falla(*args, **kwargs):
        raise ConnectionRefusedError("SMTP caído")

    monkeypatch.setattr(avisos, "correo_enviar", falla)
    solicitud = presentada()
    with django_capture_on_commit_callbacks(execute=True):
        prevenir(solicitud)
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.PREVENIDA


def test_eventos_inmutables(demo):
    solicitud = presentada()
    evento = solicitud.eventos.first()
    evento.descripcion = "otra cosa"
    with pytest.raises(ValidationError):
        evento.save()
    with pytest.raises(ValidationError):
        evento.delete()
    assert Task.objects.exists()


def test_aviso_de_vencimiento_la_vispera_una_sola_vez(demo, django_capture_on_commit_callbacks):
    from dictamenes.organizacion.selectors.calendario import Calendario

    solicitud = presentada()  # admission: 2 business days
    vence = vencimiento_de(tarea=tareas_abiertas(solicitud=solicitud).get())
    calendario = Calendario.cargar(timezone.localdate(), timezone.localdate(vence))
    vispera = timezone.localdate(vence) - datetime.timedelta(days=1)
    while not calendario.es_habil(vispera):
        vispera -= datetime.timedelta(days=1)
    a_las_9 = timezone.make_aware(datetime.datetime.combine(vispera, datetime.time(9)))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # Just arrived, two business days ahead: in time, nobody is warned yet.
        assert tareas.avisos_de_vencimiento_enviar() == 0
        # The business day before it is due: once.
        assert tareas.avisos_de_vencimiento_enviar(ahora=a_las_9) == 1
        assert tareas.avisos_de_vencimiento_enviar(ahora=a_las_9) == 0
    aviso = mail.outbox[-1]
    assert aviso.subject.startswith("[Dictámenes TIC] Vence pronto: Admisión")
    assert aviso.to == ["mesa@demo.invalid"]
    assert solicitud.folio in aviso.body


def test_un_area_agregada_revisa_y_recibe_la_devolucion_como_las_demas(demo):
    """The flow knows no area by name: an area added today gets its own review task beside an
    old one, and the strategic reviewer can send the request back to it."""
    from dictamenes.organizacion.services import areas as servicio_areas
    from dictamenes.roles import Rol

    admin = usuario("admin")
    nube = servicio_areas.area_agregar(nombre="Servicios en la nube", por=admin)
    # The demo's infrastructure item is of this category: it is the new area's now.
    categoria = flujo_utils.CATEGORIA_DE_AREA["infraestructura"]
    servicio_areas.categorias_asignar(area=nube, claves=[categoria], por=admin)
    revisora = persona(
        "revisora.nube", roles=[Rol.REVISOR_TECNICO], rfc="NUBE800101AB1", areas=[nube]
    )
    solicitud = admitida(areas=("infraestructura", "redes"))
    assert nodos_abiertos(solicitud) == [
        "revision_tecnica:redes",
        f"revision_tecnica:{nube.clave}",
    ]
    revisar(solicitud, "redes")
    revisar(solicitud, nube.clave, revisor=revisora)
    etapas.solicitud_decidir(
        solicitud=solicitud,
        usuario=usuario("estrategico"),
        devolver_a=nube,
        motivos="Falta el acuerdo de nivel de servicio.",
    )
    assert nodos_abiertos(solicitud) == ["re_revision"]
    [tarea] = tareas_abiertas(solicitud=solicitud)
    assert titulo_de(tarea=tarea) == "Re-revisión técnica: Servicios en la nube"
    revisar(solicitud, nube.clave, revisor=revisora)
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.REVISION_ESTRATEGICA
    assert nodos_abiertos(decidir(solicitud)) == ["firma"]
