"""The history generator writes what the services would have written, and every page that
make bench measures runs the same number of queries with a small and a larger history."""

import datetime
import io
import itertools
import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Task

from demo import historico
from dictamenes.comun import auditoria
from dictamenes.emision.documentos import efirma
from dictamenes.emision.services import integridad
from dictamenes.models import Dictamen, Ente, EventoAuditoria, Solicitud
from tests.dictamenes.flujo_utils import (
    admitida,
    decisiones_todas,
    firmar,
    presentada,
    revisar,
    usuario,
)

pytestmark = pytest.mark.django_db

HASTA = timezone.make_aware(datetime.datetime(2026, 11, 20, 12, 0))


def _generar(escala):
    return historico.generar(anios=2, escala=escala, hasta=HASTA, semilla=7)


def test_el_historico_es_coherente_y_verificable(demo):
    cuenta = _generar(0.05)
    solicitudes = Solicitud.objects.exclude(folio__isnull=True)
    assert cuenta["solicitudes"] == solicitudes.count() > 60
    # Folios are unique and consecutive per year; dictámenes too.
    for anio in (2025, 2026):
        numeros = sorted(
            int(f.rsplit("-", 1)[1])
            for f in solicitudes.filter(ejercicio=anio).values_list("folio", flat=True)
        )
        assert numeros == list(range(1, len(numeros) + 1))
    # Every attended request has its dictamen or was closed as desechada, and vice versa.
    dictaminadas = solicitudes.filter(estado=Solicitud.Estado.DICTAMINADA)
    assert dictaminadas.count() == Dictamen.objects.count() > 0
    assert not dictaminadas.filter(dictamenes__isnull=True).exists()
    assert not solicitudes.filter(atendida_en__isnull=False, dias_habiles_atencion=None).exists()
    # The seal of a generated dictamen verifies against its certificate.
    dictamen = Dictamen.objects.order_by("?").first()
    certificado = efirma.x509.load_pem_x509_certificate(dictamen.certificado_pem.encode())
    assert efirma.sello_valido(
        certificado=certificado, cadena=dictamen.cadena_original, sello=dictamen.sello
    )
    # The audit chain still holds, across the demo's events and the generated ones.
    verificacion = auditoria.cadena_verificar()
    assert verificacion.integra, verificacion.motivo
    assert verificacion.revisados == EventoAuditoria.objects.count()
    # Requests cut at `hasta` are open, with their task waiting in a queue or an inbox.
    abiertas = solicitudes.exclude(estado__in=["dictaminada", "desechada"])
    assert abiertas.exists()
    for solicitud in abiertas:
        assert Task.objects.filter(
            process_id=solicitud.proceso.pk, status__in=["NEW", "ASSIGNED"]
        ).exists(), solicitud.folio
    # Every agency's history was written by its own staff.
    assert set(solicitudes.values_list("creada_por__perfil__ente", flat=True)) <= set(
        Ente.objects.values_list("pk", flat=True)
    )


def _forma(evento) -> tuple:
    """What an event says, without its particulars: its type, whether a person acted, the keys
    of its data, how its description begins and, for a change of state, whether it gives
    reasons."""
    cambio = "de" in evento.datos
    inicio = itertools.takewhile(
        lambda palabra: not any(c.isdigit() for c in palabra), evento.descripcion.split()[:2]
    )
    return (
        evento.tipo,
        evento.usuario_id is None,
        tuple(sorted(evento.datos)),
        " ".join(inicio),
        bool(evento.motivo) if cambio else None,
    )


def _tramite_en_vivo():
    """Through the services: one request prevenida, corrected, reviewed, decided with
    conditions and signed; another desechada when its deadline to correct passes."""
    from dictamenes.tramite.services import etapas

    mesa, requirente = usuario("mesa"), usuario("requirente.sh")
    viva = presentada()
    etapas.admision_resolver(
        solicitud=viva, usuario=mesa, admitir=False, faltantes="Falta la cotización."
    )
    etapas.solicitud_subsanar(solicitud=viva, usuario=requirente, respuesta="Se adjuntó.")
    etapas.admision_resolver(solicitud=viva, usuario=mesa, admitir=True)
    revisar(viva, "computo")
    etapas.solicitud_decidir(
        solicitud=viva,
        usuario=usuario("estrategico"),
        partidas=decisiones_todas(viva),
        motivos="Procede: cumple los estándares.",
        condiciones="Garantía de tres años.",
    )
    firmar(Solicitud.objects.get(pk=viva.pk))
    desechada = presentada()
    etapas.admision_resolver(
        solicitud=desechada, usuario=mesa, admitir=False, faltantes="Falta la cotización."
    )
    etapas.solicitud_desechar(solicitud=desechada)


def test_el_historico_mueve_las_solicitudes_por_la_misma_puerta_que_el_tramite(demo):
    """An auditor reading a generated request finds the events the live steps write, and its
    business days of attention follow the live rule (the wait on the requirente not counted)."""
    from dictamenes.tramite.services import estados

    _tramite_en_vivo()
    vivos = {_forma(e) for e in EventoAuditoria.objects.all()}
    ultimo = EventoAuditoria.objects.order_by("-numero").values_list("numero", flat=True)[0]
    _generar(0.1)
    generados = EventoAuditoria.objects.filter(numero__gt=ultimo)
    historicos = {_forma(e) for e in generados}
    assert historicos - vivos == set()
    assert {"prevencion", "subsanacion", "desechada", "dictamen"} <= {f[0] for f in historicos}
    atendidas = Solicitud.objects.filter(
        pk__in=generados.values("solicitud"), atendida_en__isnull=False
    )
    assert atendidas.filter(eventos__tipo="subsanacion").exists()
    for solicitud in atendidas:
        assert solicitud.dias_habiles_atencion == estados.dias_de_atencion(
            solicitud, hasta=solicitud.atendida_en
        ), solicitud.folio
    dictaminadas = atendidas.filter(estado=Solicitud.Estado.DICTAMINADA)
    assert not dictaminadas.exclude(resultado__in=["favorable", "condicionado", "no_favorable"])


def test_el_firmante_emite_sobre_una_solicitud_generada(demo, settings):
    """A generated request waiting for signature is a real viewflow task: the service signs it."""
    from demo import efirma_pruebas
    from dictamenes.emision.services import comprobacion, emision

    # The moment halfway through the last signature of a first run: the same world cut there
    # leaves that request in the firmante's hands.
    with transaction.atomic():
        historico.generar(anios=1, escala=0.5, hasta=HASTA, semilla=7)
        firma = Task.objects.filter(flow_task_type="HUMAN", data__etapa="firma").latest("finished")
        medio = firma.started + (firma.finished - firma.started) / 2
        transaction.set_rollback(True)
    historico.generar(anios=1, escala=0.5, hasta=medio, semilla=7)
    solicitud = Solicitud.objects.get(proceso__pk=firma.process_id)
    assert solicitud.estado == Solicitud.Estado.FIRMA
    credencial = efirma_pruebas.demo_credencial(settings.DICTAMENES_EFIRMA_DEMO_DIR, "firmante")
    dictamen = emision.dictamen_emitir(
        solicitud=solicitud, usuario=usuario("firmante"), credencial=credencial
    )
    assert comprobacion.pdf_verificar(
        datos=integridad.dictamen_pdf_leer(dictamen=dictamen)
    ).autentico
    solicitud.refresh_from_db()
    assert solicitud.estado == Solicitud.Estado.DICTAMINADA


def _paginas():
    from django.db.models import Count

    detalle = Solicitud.objects.filter(estado=Solicitud.Estado.DICTAMINADA).order_by("pk").first()
    ente = (
        Solicitud.objects.filter(ejercicio=2025, titulo__icontains="equipo")
        .values("ente")
        .annotate(n=Count("id"))
        .order_by("-n")[0]["ente"]
    )
    return [
        (
            Task.objects.filter(status="ASSIGNED").select_related("owner").first().owner.username,
            "/flujos/workflow/inbox/",
        ),
        ("revisor.computo", "/flujos/workflow/queue/"),
        ("mesa", "/flujos/workflow/queue/"),
        ("revisor.computo", f"/solicitudes/?ente={ente}&ejercicio=2025&q=equipo"),
        ("revisor.computo", f"/solicitudes/{detalle.pk}/"),
        (
            "auditor",
            "/solicitudes/?ejercicio=2025&estado=dictaminada&resultado=favorable"
            "&area=computo&monto_min=100000&q=equipo",
        ),
        ("auditor", "/solicitudes/"),
        ("auditor", "/indicadores/"),
        (None, "/registro/"),
        (None, f"/verificar/{Dictamen.objects.order_by('pk').first().folio}/"),
        ("auditor", "/api/v1/solicitudes/"),
        ("auditor", "/api/v1/dictamenes/"),
        (None, "/api/v1/registro/"),
        (None, "/datos-abiertos/dictamenes.csv"),
        ("estrategico", "/capacidad/"),
    ]


def _area(tarea) -> str:
    from dictamenes.models import Area

    return Area.objects.get(pk=tarea.owner_permission_obj_pk).clave


def _consultas(client, url) -> int:
    cache.clear()  # measure the page computing its data, not a cached copy
    with CaptureQueriesContext(connection) as capturadas:
        respuesta = client.get(url)
        assert respuesta.status_code == 200, url
        if respuesta.streaming:
            for _ in respuesta.streaming_content:
                pass
    return len(capturadas)


def _medir(client, paginas) -> dict:
    resultado = {}
    for username, url in paginas:
        client.logout()
        if username:
            client.force_login(usuario(username))
        _consultas(client, url)  # content types and permissions cached first
        resultado[(username, url)] = _consultas(client, url)
    return resultado


def test_las_paginas_medidas_no_crecen_en_consultas_con_la_historia(demo, client):
    """The regression guard of make bench: the same queries with a history five times larger,
    so a page's time depends on the database, not on how many rows it loops over."""
    _generar(0.1)
    # An empty inbox or queue skips its row query; a light history may have nothing waiting
    # at `hasta`. So both sizes have rows: one request in the reviewer's hands, one waiting in
    # the area's queue and one in the mesa's, moved live.
    viva = admitida()
    admitida()
    presentada()
    tarea = Task.objects.filter(
        process_id=viva.proceso.pk, status="NEW", owner_permission="dictamenes.revisar_area"
    ).first()
    tarea.flow_task.activation_class(tarea).assign(usuario(f"revisor.{_area(tarea)}"))
    paginas = _paginas()
    antes = _medir(client, paginas)
    _generar(0.4)
    despues = _medir(client, paginas)
    assert despues == antes
    # The open-data CSV streams every dictamen with its categories in one query. With the
    # cache empty, its ETag and Last-Modified first take the data's version, one pass over
    # the same query to hash it (kept in a file the response is served from: the data is not
    # read a second time, issue 79) and the date stored for that hash (publico.huellas); with
    # the fingerprint cached, a conditional GET stops after the version.
    assert antes[(None, "/datos-abiertos/dictamenes.csv")] == 3


def test_las_paginas_publicas_se_sirven_de_cache_hasta_que_cambian_los_datos(demo, client):
    _generar(0.02)
    primera = client.get("/registro/").content
    with CaptureQueriesContext(connection) as capturadas:
        assert client.get("/registro/").content == primera
    assert len(capturadas) == 1  # only the data version
    # A new audit event (any change of state) makes the next visitor see fresh data.
    with transaction.atomic():
        auditoria.evento_registrar(tipo="prueba", descripcion="cambio")
    with CaptureQueriesContext(connection) as capturadas:
        client.get("/registro/")
    assert len(capturadas) > 1


def test_generar_historico_desde_la_linea_de_comandos(demo):
    from django.core.management import call_command

    salida = io.StringIO()
    call_command("generar_historico", "--anios", "2", "--escala", "0.02", stdout=salida)
    assert "Histórico generado" in salida.getvalue()
    # Its progress: the year's dates, those still to come this year skipped, and the summary
    # counts what is in the database.
    generadas = Solicitud.objects.count()
    resumen = re.search(
        r"^Histórico: generadas (\d+), fechas aún por venir (\d+), fallidos 0 en ",
        salida.getvalue(),
        re.MULTILINE,
    )
    anterior = timezone.localdate().year - 1  # a whole year, whatever today's date
    # The world's arrivals: 794 in 2024, 4 % more each year after, times the scale.
    por_anio = sum(round(round(794 * 1.04 ** (a - 2024)) * 0.02) for a in (anterior, anterior + 1))
    assert (int(resumen[1]), int(resumen[1]) + int(resumen[2])) == (generadas, por_anio)
    assert f"Histórico · solicitudes: {por_anio} de {por_anio} (100.0 %)" in salida.getvalue()
    assert Solicitud.objects.filter(ejercicio=anterior, folio__isnull=False).count() > 0
