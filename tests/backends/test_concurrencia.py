"""Concurrency on a real PostgreSQL: several people act on the same thing at the same moment.

Each actor runs in its own thread with its own database connection, released together by a
barrier; exactly one wins where only one may, the rest get a clear Spanish refusal, and
nothing is written twice. Each scenario is its own test, so one that breaks fails alone.

No wait here is endless (see tests/backends/paralelo.py).
"""

import time
import types

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from dictamenes import exceptions, flow_port
from dictamenes.emision.services import comprobacion, emision, integridad
from dictamenes.models import (
    Area,
    Dictamen,
    EventoAuditoria,
    OpinionPartida,
    Partida,
    PeticionInformacion,
    RevisionArea,
    Solicitud,
)
from dictamenes.roles import Rol
from dictamenes.tramite.services import etapas, solicitudes
from tests.backends.paralelo import PLAZO_ESPERA, EsperaFallida, Momento, en_paralelo
from tests.backends.plugin import require_postgres
from tests.dictamenes.flujo_utils import (
    admitida,
    borrador,
    credencial,
    en_firma,
    otra_mesa,
    perfil_de_area,
    persona,
    presentada,
    usuario,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def hasta_que_otro_espere_mi_candado() -> None:
    """Returns once another connection waits for a lock this one holds (PostgreSQL's
    pg_blocking_pids): the other thread is really blocked behind this one. A fixed sleep
    (1.5 s) both waited longer than needed and, on a busy machine, could end before the other
    thread reached the lock, when the test passes without anything having waited."""
    from django.db import connection

    limite = time.monotonic() + PLAZO_ESPERA
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # a fresh view in this transaction
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))"
            )
            if cursor.fetchone()[0]:
                return
            if time.monotonic() > limite:
                raise EsperaFallida(f"En {PLAZO_ESPERA} s ninguna otra conexión esperó el candado.")
            time.sleep(0.01)


# --- 2. Fifty signatures at once ------------------------------------------------------------


def test_cincuenta_firmas_simultaneas_dan_cincuenta_folios_consecutivos_y_pdfs_validos(demo):
    require_postgres()
    inicio = time.monotonic()
    # Fifty requests awaiting signature, driven through the services (about 0.3 s each).
    pks = [en_firma(titulo=f"Para firmar {i}").pk for i in range(50)]
    preparacion = time.monotonic() - inicio
    firmante = usuario("firmante")
    llave = credencial()

    inicio = time.monotonic()
    resultados, errores = en_paralelo(
        lambda pk: emision.dictamen_emitir(
            solicitud=Solicitud.objects.get(pk=pk), usuario=firmante, credencial=llave
        ),
        pks,
    )
    firma = time.monotonic() - inicio
    print(f"preparación {preparacion:.1f} s, 50 firmas simultáneas {firma:.1f} s")

    assert errores == []
    assert len(resultados) == 50
    anio = timezone.localdate().year
    folios = sorted(Dictamen.objects.values_list("folio", flat=True))
    assert folios == [f"SGD/DGPDGT/DT/{anio}/{n:04d}" for n in range(1, 51)]
    assert Solicitud.objects.filter(estado="dictaminada").count() == 50
    for dictamen in Dictamen.objects.all():
        assert comprobacion.pdf_verificar(
            datos=integridad.dictamen_pdf_leer(dictamen=dictamen)
        ).autentico, dictamen.folio


# --- 1. Two people, one step ------------------------------------------------------------------


def otro_revisor_de_computo():
    """A second eligible reviewer in the same area, so two people may take the same task."""
    return persona(
        "revisor.computo2",
        nombre="Rogelio",
        apellidos="Segundo Revisor",
        rfc="SERR800101AB1",
        roles=[Rol.REVISOR_TECNICO],
        areas=[Area.objects.get(clave="computo")],
    )


def nodos(solicitud, nombre, area=None):
    tareas = Task.objects.filter(process_id=solicitud.proceso.pk, flow_task_type="HUMAN").filter(
        flow_task=getattr(flow_port.flujo(), nombre)
    )
    if area is not None:
        tareas = tareas.filter(owner_permission_obj_pk=str(Area.objects.get(clave=area).pk))
    return tareas


def conclusion(revisor, solicitud, area):
    return etapas.revision_area_concluir(
        solicitud=Solicitud.objects.get(pk=solicitud.pk),
        usuario=revisor,
        area=area,
        opinion="favorable",
        observaciones=f"Revisado por {revisor.username}",
        partidas={p.pk: {"opinion": "Cumple."} for p in solicitud.partidas.all()},
    )


def mensaje_paso_concluido(ganador, solicitud) -> str:
    tarea = nodos(solicitud, "revision_tecnica", "computo").get()
    return str(exceptions.ERROR_PASO_YA_CONCLUIDO) % {
        "persona": ganador.get_full_name(),
        "cuando": f"{timezone.localtime(tarea.finished):%d/%m/%Y a las %H:%M}",
        "estado": Solicitud.objects.get(pk=solicitud.pk).get_estado_display(),
    }


def assert_revision_registrada_una_vez(solicitud, ganador):
    assert RevisionArea.objects.filter(solicitud=solicitud).count() == 1
    assert RevisionArea.objects.get(solicitud=solicitud).revisor == ganador
    assert OpinionPartida.objects.filter(revision__solicitud=solicitud).count() == 1
    eventos = EventoAuditoria.objects.filter(solicitud=solicitud)
    assert eventos.filter(tipo="revision_area").count() == 1
    assert eventos.filter(tipo="fin_revision_tecnica").count() == 1
    # The flow advanced once: one finished review task, one strategic review waiting.
    revisiones = nodos(solicitud, "revision_tecnica", "computo")
    assert list(revisiones.values_list("status", flat=True)) == [STATUS.DONE]
    assert nodos(solicitud, "revision_estrategica").count() == 1
    solicitud.refresh_from_db()
    assert solicitud.estado == Solicitud.Estado.REVISION_ESTRATEGICA


def test_dos_revisores_concluyen_la_misma_revision_por_el_servicio_gana_uno(demo):
    """One review, one audit event, the flow moved once; the other reviewer is told who
    concluded it and when."""
    require_postgres()
    solicitud = admitida(areas=("computo",))
    area = Area.objects.get(clave="computo")
    revisores = [usuario("revisor.computo"), otro_revisor_de_computo()]

    resultados, errores = en_paralelo(lambda r: conclusion(r, solicitud, area), revisores)

    assert len(resultados) == 1 and len(errores) == 1
    ganador = resultados[0].revisor
    assert isinstance(errores[0], exceptions.Conflicto)
    assert errores[0].messages == [mensaje_paso_concluido(ganador, solicitud)]
    assert_revision_registrada_una_vez(solicitud, ganador)


def test_dos_revisores_envian_la_misma_revision_por_la_pagina_el_otro_recibe_409(demo):
    """The same race through the page: the loser sees who concluded it (409, never a 500)."""
    require_postgres()
    solicitud = admitida(areas=("computo",))
    partida = solicitud.partidas.get()
    clientes = {}
    for revisor in (usuario("revisor.computo"), otro_revisor_de_computo()):
        clientes[revisor.username] = Client()
        clientes[revisor.username].force_login(revisor)
    url = reverse("solicitudes:revision_area", args=[solicitud.pk, "computo"])

    def enviar(username):
        respuesta = clientes[username].post(
            url,
            {
                "computo-opinion": "favorable",
                "computo-observaciones": f"Revisado por {username}",
                f"computo-p{partida.pk}_opinion": "Cumple.",
            },
        )
        return username, respuesta

    resultados, errores = en_paralelo(enviar, list(clientes))

    assert errores == []
    por_estado = {r.status_code: (u, r) for u, r in resultados}
    assert sorted(por_estado) == [302, 409]
    ganador = usuario(por_estado[302][0])
    html = por_estado[409][1].content.decode()
    assert mensaje_paso_concluido(ganador, solicitud) in html
    assert_revision_registrada_una_vez(solicitud, ganador)


def test_dos_revisores_toman_la_misma_tarea_a_la_vez_queda_de_uno(demo):
    """Asking the agency for information takes the area's task and leaves it open; the other
    reviewer is told whose task it now is. (viewflow's own assign page changes nothing: see
    test_vistas_flujo.)"""
    require_postgres()
    solicitud = admitida(areas=("computo",))
    area = Area.objects.get(clave="computo")
    revisores = [usuario("revisor.computo"), otro_revisor_de_computo()]

    resultados, errores = en_paralelo(
        lambda r: etapas.informacion_pedir(
            solicitud=solicitud, usuario=r, area=area, pregunta=f"Pregunta de {r.username}"
        ),
        revisores,
    )

    assert len(resultados) == 1 and len(errores) == 1
    ganador = resultados[0].pedida_por
    assert isinstance(errores[0], PermissionDenied)
    assert str(errores[0]) == str(exceptions.ERROR_TAREA_DE_OTRO) % {
        "persona": ganador.get_full_name()
    }
    tarea = nodos(solicitud, "revision_tecnica", "computo").get()
    assert (tarea.owner, tarea.status) == (ganador, STATUS.ASSIGNED)
    assert PeticionInformacion.objects.filter(solicitud=solicitud).count() == 1
    assert solicitud.eventos.filter(tipo="peticion_informacion").count() == 1


def test_la_mesa_de_control_admite_la_misma_solicitud_dos_veces_a_la_vez_cuenta_una(demo):
    """Two desk officers admit the same request at once: one admission, one review started,
    and the other is told who admitted it."""
    require_postgres()
    solicitud = presentada(areas=("computo",))
    otra = otra_mesa()

    resultados, errores = en_paralelo(
        lambda m: (
            m,
            etapas.admision_resolver(
                solicitud=Solicitud.objects.get(pk=solicitud.pk), usuario=m, admitir=True
            ),
        ),
        [usuario("mesa"), otra],
    )

    assert len(resultados) == 1 and len(errores) == 1
    assert isinstance(errores[0], exceptions.Conflicto)
    assert resultados[0][0].get_full_name() in errores[0].messages[0]
    assert solicitud.eventos.filter(tipo="admision").count() == 1
    assert nodos(solicitud, "revision_tecnica", "computo").count() == 1
    solicitud.refresh_from_db()
    assert solicitud.estado == Solicitud.Estado.REVISION_TECNICA


def test_el_candado_del_flujo_espera_a_quien_lo_tiene_en_vez_de_fallar(demo, monkeypatch):
    """viewflow's default select_for_update_lock uses NOWAIT and gives up (FlowLockFailed, a
    500) after five tries, about 6 to 10 s; the flow's lock must wait for the holder."""
    from django.db import transaction
    from viewflow.workflow import lock

    from dictamenes.models import ProcesoDictamen

    require_postgres()
    # Compress viewflow's back-off (its own module's sleep only): NOWAIT would give up at once.
    monkeypatch.setattr(lock, "time", types.SimpleNamespace(sleep=lambda _s: None))
    solicitud = presentada()
    proceso = solicitud.proceso.pk
    tomado = Momento("el primer hilo tome el candado del proceso")
    momentos = {}

    def tener(_):
        with tomado.anuncia(), transaction.atomic():
            ProcesoDictamen.objects.select_for_update().filter(pk=proceso).exists()
            tomado.llego()
            hasta_que_otro_espere_mi_candado()
            momentos["soltado"] = time.monotonic()

    def esperar(_):
        tomado.esperar()
        with flow_port.flujo().lock(proceso):
            momentos["entro"] = time.monotonic()

    _resultados, errores = en_paralelo(lambda f: f(None), [tener, esperar])

    assert errores == []
    assert momentos["entro"] >= momentos["soltado"]


# --- 3. Two writers, one draft ------------------------------------------------------------------


def otro_requirente():
    requirente = usuario("requirente.sh")
    return persona(
        "requirente.sh2",
        nombre="Sara",
        apellidos="Segunda Capturista",
        rfc="SECS800101AB1",
        roles=[Rol.REQUIRENTE],
        ente=requirente.perfil.ente,
    )


def datos_edicion(solicitud, version, titulo):
    return {
        "tipo_operacion": solicitud.tipo_operacion,
        "titulo": titulo,
        "ejercicio": solicitud.ejercicio,
        "monto_estimado": str(solicitud.monto_estimado),
        "justificacion": solicitud.justificacion,
        "alineacion": solicitud.alineacion,
        "version": version,
    }


def test_dos_capturistas_editan_los_datos_generales_a_la_vez_no_se_pierde_nada(demo):
    """Optimistic locking on the request's general data, by the page: the second to save is
    told who changed what, keeps what they typed, and may overwrite deliberately."""
    require_postgres()
    solicitud = borrador()
    url = reverse("solicitudes:editar", args=[solicitud.pk])
    clientes = {}
    for persona_ in (usuario("requirente.sh"), otro_requirente()):
        clientes[persona_.username] = Client()
        clientes[persona_.username].force_login(persona_)
        # Both load the form: it carries the version they saw.
        html = clientes[persona_.username].get(url).content.decode()
        assert 'name="version" value="1"' in html
    titulos = {u: f"Título de {u}" for u in clientes}

    resultados, errores = en_paralelo(
        lambda u: (u, clientes[u].post(url, datos_edicion(solicitud, 1, titulos[u]))),
        list(clientes),
    )

    assert errores == []
    por_estado = {r.status_code: (u, r) for u, r in resultados}
    assert sorted(por_estado) == [302, 409]
    ganador, perdedor = por_estado[302][0], por_estado[409][0]
    solicitud.refresh_from_db()
    assert (solicitud.titulo, solicitud.version) == (titulos[ganador], 2)
    assert solicitud.eventos.filter(tipo="edicion").count() == 1
    html = por_estado[409][1].content.decode()
    mensaje = str(exceptions.ERROR_EDICION_CONCURRENTE) % {
        "personas": usuario(ganador).get_full_name(),
        "campos": "título",
    }
    assert mensaje in html
    assert "Ver la versión actual" in html
    # What the loser typed is still in the form, now carrying the current version...
    assert f'value="{titulos[perdedor]}"' in html
    assert 'name="version" value="2"' in html
    # ...so saving again, after comparing, is a deliberate overwrite that works.
    r = clientes[perdedor].post(url, datos_edicion(solicitud, 2, titulos[perdedor]))
    assert r.status_code == 302
    solicitud.refresh_from_db()
    assert (solicitud.titulo, solicitud.version) == (titulos[perdedor], 3)


def test_dos_capturistas_guardan_la_misma_partida_a_la_vez_no_se_pierde_nada(demo):
    """Optimistic locking on an item: by the service, then the loser's page sent as it was."""
    require_postgres()
    solicitud = borrador()
    partida = solicitud.partidas.get()
    capturistas = [usuario("requirente.sh"), otro_requirente()]

    def guardar(capturista):
        return solicitudes.partida_guardar(
            solicitud=solicitud,
            usuario=capturista,
            partida=Partida.objects.get(pk=partida.pk),
            version=1,
            datos={
                "perfil": perfil_de_area("computo"),
                "descripcion": f"Partida de {capturista.username}",
                "cantidad": 3,
                "precio_unitario": partida.precio_unitario,
                "capitulo": "5000",
                "partida_especifica": "51501",
                "especificaciones": {},
            },
        )

    resultados, errores = en_paralelo(guardar, capturistas)

    assert len(resultados) == 1 and len(errores) == 1
    assert isinstance(errores[0], exceptions.Conflicto)
    ganador = next(
        c for c in capturistas if resultados[0].descripcion == f"Partida de {c.username}"
    )
    assert errores[0].messages == [
        str(exceptions.ERROR_PARTIDA_CONCURRENTE) % {"personas": ganador.get_full_name()}
    ]
    partida.refresh_from_db()
    assert (partida.descripcion, partida.version) == (f"Partida de {ganador.username}", 2)
    modificaciones = solicitud.eventos.filter(tipo="partida", descripcion__contains="modificada")
    assert modificaciones.count() == 1

    # The loser's page, still at version 1, sent as it was: refused, with their input kept.
    perdedor = next(c for c in capturistas if c != ganador)
    cliente = Client()
    cliente.force_login(perdedor)
    url = reverse("solicitudes:partida", args=[solicitud.pk, partida.pk])
    datos = {
        "perfil": perfil_de_area("computo").pk,
        "descripcion": f"Partida de {perdedor.username}",
        "cantidad": "3",
        "precio_unitario": str(partida.precio_unitario),
        "capitulo": "5000",
        "partida_especifica": "51501",
        "guardar": "1",
        "version": "1",
    }
    r = cliente.post(url, datos)
    assert r.status_code == 409
    html = r.content.decode()
    assert str(exceptions.ERROR_PARTIDA_CONCURRENTE) % {
        "personas": ganador.get_full_name()
    } in html.replace("&#x27;", "'")
    assert f'value="Partida de {perdedor.username}"' in html
    assert 'name="version" value="2"' in html
    assert cliente.post(url, datos | {"version": "2"}).status_code == 302
    partida.refresh_from_db()
    assert (partida.descripcion, partida.version) == (f"Partida de {perdedor.username}", 3)


def test_una_partida_guardada_mientras_se_presenta_espera_y_se_rechaza(demo):
    """One capturista presents the draft while another saves a new item: the item waits for
    the presentation and is refused, instead of slipping into a request already presented."""
    from django.db import transaction

    require_postgres()
    solicitud = borrador()
    autor, otro = usuario("requirente.sh"), otro_requirente()
    presentando = Momento("el primer hilo presente la solicitud (sin confirmar aún)")

    def presentar(_):
        with presentando.anuncia(), transaction.atomic():
            solicitudes.solicitud_presentar(
                solicitud=Solicitud.objects.get(pk=solicitud.pk), usuario=autor
            )
            presentando.llego()
            # A slow commit: the lock on the request is still held while the other one waits.
            hasta_que_otro_espere_mi_candado()

    def agregar(_):
        presentando.esperar()
        solicitudes.partida_guardar(
            solicitud=solicitud,  # as the page loaded it: still a draft
            usuario=otro,
            datos={
                "perfil": perfil_de_area("computo"),
                "descripcion": "Partida tardía",
                "cantidad": 1,
                "precio_unitario": 1000,
                "capitulo": "5000",
                "partida_especifica": "51501",
                "especificaciones": {},
            },
        )

    _resultados, errores = en_paralelo(lambda f: f(None), [presentar, agregar])

    assert len(errores) == 1 and errores[0].messages == [str(exceptions.ERROR_NO_EDITABLE)]
    assert not solicitud.partidas.filter(descripcion="Partida tardía").exists()
    assert Solicitud.objects.get(pk=solicitud.pk).estado == Solicitud.Estado.ADMISION
