"""Faults injected into the real servers: S3 stops in the middle of issuing a dictamen, the
PostgreSQL connection is killed in the middle of a decision, and the mail server is down.
In every case the person gets a clear answer in Spanish and nothing is half-saved or lost."""

import email
import email.policy
import io
import logging
import socketserver
import threading

import pytest
from botocore.exceptions import ClientError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from storages.backends.s3 import S3Storage
from viewflow.workflow.models import Task

from dictamenes import flow_port
from dictamenes.avisos import services as avisos
from dictamenes.comun.auditoria import cadena_verificar
from dictamenes.emision.services import comprobacion, firma, integridad
from dictamenes.models import (
    Aviso,
    Consecutivo,
    Dictamen,
    EventoAuditoria,
    ProcesoDictamen,
    Solicitud,
)
from dictamenes.tramite.selectors.tareas import ABIERTAS
from dictamenes.tramite.services import estados, etapas
from tests.backends.plugin import otra_conexion, require_postgres
from tests.backends.servers import free_port, s3_storage, started_s3_server
from tests.dictamenes.flujo_utils import (
    archivos_efirma,
    en_firma,
    presentada,
    usuario,
)

Estado = Solicitud.Estado
BUCKET = "dictamenes-fallas"


def _tareas_abiertas(solicitud, nodo: str) -> list[Task]:
    return list(
        Task.objects.filter(
            process_id=solicitud.proceso.pk,
            flow_task=getattr(flow_port.flujo(), nodo),
            status__in=ABIERTAS,
        ).order_by("pk")
    )


def _sin_traza(html: str) -> None:
    assert "Traceback" not in html and "Error del servidor" not in html


# --- 1. S3 stops while the signed PDF is being stored ------------------------------------------


@pytest.fixture
def s3_propio(monkeypatch, tmp_path):
    """A moto server of this test's own (the session one is shared): the test stops it."""
    servidor = started_s3_server()
    with s3_storage(
        servidor.endpoint_url,
        BUCKET,
        monkeypatch=monkeypatch,
        media_root=tmp_path,
        # botocore retries a refused connection with back-off; two attempts keep the test short
        # and still go through the retry path.
        AWS_MAX_ATTEMPTS="2",
    ) as s3:
        yield servidor, s3
    servidor.stop()


def _llaves(s3) -> set[str]:
    return {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


@pytest.mark.s3
@pytest.mark.django_db
def test_s3_se_detiene_al_guardar_el_pdf_y_nada_se_emite_hasta_que_vuelve(
    demo, s3_propio, monkeypatch, client
):
    servidor, s3 = s3_propio
    solicitud = en_firma(
        areas=("computo",), motivos="Cumple los estándares y no duplica otra compra."
    )
    consecutivos = list(Consecutivo.objects.values_list("serie", "ejercicio", "ultimo"))
    eventos = EventoAuditoria.objects.count()
    objetos = _llaves(s3)  # the request's attachments are in S3 too
    tarea = _tareas_abiertas(solicitud, "firma")
    assert len(tarea) == 1

    guardar = S3Storage._save
    caidas = []

    def guardar_con_el_servidor_caido(self, name, content):
        servidor.stop()  # the real server goes away; the upload below meets a closed port
        caidas.append(name)
        return guardar(self, name, content)

    monkeypatch.setattr(S3Storage, "_save", guardar_con_el_servidor_caido)
    client.force_login(usuario("firmante"))
    respuesta = client.post(reverse("solicitudes:firma", args=[solicitud.pk]), archivos_efirma())

    assert caidas, "la falla debe venir de la llamada real a S3"
    assert respuesta.status_code == 503
    html = respuesta.content.decode()
    assert str(firma.ERROR_ALMACENAMIENTO) in html
    _sin_traza(html)
    # Nothing was issued and the folio was given back.
    assert not Dictamen.objects.exists()
    assert list(Consecutivo.objects.values_list("serie", "ejercicio", "ultimo")) == consecutivos
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.FIRMA
    assert _tareas_abiertas(solicitud, "firma") == tarea
    assert EventoAuditoria.objects.count() == eventos
    assert cadena_verificar().integra

    # S3 comes back on the same endpoint; the firmante signs again.
    monkeypatch.setattr(S3Storage, "_save", guardar)
    servidor.start()
    try:
        s3.head_bucket(Bucket=BUCKET)
    except ClientError:  # a moto that lost its state
        s3.create_bucket(Bucket=BUCKET)
    assert _llaves(s3) == objetos, "quedó un objeto huérfano"
    respuesta = client.post(reverse("solicitudes:firma", args=[solicitud.pk]), archivos_efirma())

    assert respuesta.status_code == 302
    dictamen = Dictamen.objects.get()
    # The first consecutive number of the year: the failed attempt left no gap.
    assert dictamen.folio.endswith(f"/{dictamen.emitido_en.year}/0001")
    verificacion = comprobacion.pdf_verificar(datos=integridad.dictamen_pdf_leer(dictamen=dictamen))
    assert verificacion.dictamen == dictamen and verificacion.autentico
    assert _llaves(s3) == objetos | {dictamen.pdf.name}
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.DICTAMINADA
    assert cadena_verificar().integra


# --- 2. The PostgreSQL connection is killed in the middle of a decision ------------------------


def _terminar_backend(pid: int) -> None:
    """Kill a server process from another connection, as a failover or an admin would."""
    with otra_conexion(autocommit=True) as otra:
        # PostgreSQL 14+: wait until the process is really gone.
        (terminado,) = otra.execute("SELECT pg_terminate_backend(%s, 10000)", [pid]).fetchone()
        assert terminado


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_conexion_cortada_a_media_admision_revierte_todo_y_la_app_se_recupera(
    demo, client, monkeypatch
):
    require_postgres()
    solicitud = presentada()
    eventos = EventoAuditoria.objects.count()
    avisos = Aviso.objects.count()
    tareas = Task.objects.count()
    admision = _tareas_abiertas(solicitud, "admision")
    assert len(admision) == 1

    registrar = estados.evento_registrar
    cortadas = []

    def registrar_con_la_conexion_cortada(**kwargs):
        # By now the service has taken the task and saved the process and the request's new
        # state, all inside its still open transaction.
        pid = connection.connection.info.backend_pid
        _terminar_backend(pid)
        cortadas.append(pid)
        return registrar(**kwargs)

    monkeypatch.setattr(estados, "evento_registrar", registrar_con_la_conexion_cortada)
    client.force_login(usuario("mesa"))
    url = reverse("solicitudes:admision", args=[solicitud.pk])
    respuesta = client.post(url, {"decision": "admitir"})

    assert len(cortadas) == 1
    assert respuesta.status_code == 503
    assert respuesta["Retry-After"]
    html = respuesta.content.decode()
    assert "Se perdió la conexión con la base de datos" in html
    assert "no se guardó ningún cambio" in html
    _sin_traza(html)

    # Rolled back as a whole, read on a new connection.
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.ADMISION
    assert connection.connection.info.backend_pid != cortadas[0]
    assert ProcesoDictamen.objects.get(solicitud=solicitud).admitida is False
    assert EventoAuditoria.objects.count() == eventos
    assert not solicitud.eventos.filter(tipo="admision").exists()
    assert Aviso.objects.count() == avisos
    assert Task.objects.count() == tareas
    assert _tareas_abiertas(solicitud, "admision") == admision
    assert cadena_verificar().integra

    # The application carries on: the next request works and the decision goes through.
    monkeypatch.setattr(estados, "evento_registrar", registrar)
    assert client.get(reverse("solicitudes:detalle", args=[solicitud.pk])).status_code == 200
    respuesta = client.post(url, {"decision": "admitir"})
    assert respuesta.status_code == 302
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.REVISION_TECNICA
    assert solicitud.eventos.filter(tipo="admision").count() == 1
    assert cadena_verificar().integra


# --- 3. The mail server is down -----------------------------------------------------------------


class _SMTP(socketserver.ThreadingTCPServer):
    """Just enough SMTP (RFC 5321) on loopback to receive what Django's SMTP backend sends."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, puerto: int):
        self.recibidos: list[tuple[list[str], email.message.EmailMessage]] = []
        super().__init__(("127.0.0.1", puerto), _SesionSMTP)


class _SesionSMTP(socketserver.StreamRequestHandler):
    def responder(self, linea: str) -> None:
        self.wfile.write(linea.encode() + b"\r\n")

    def handle(self):
        self.responder("220 127.0.0.1 ESMTP pruebas")
        destinatarios: list[str] = []
        while linea := self.rfile.readline():
            comando = linea.decode("ascii", "replace").strip()
            verbo = comando[:4].upper()
            if verbo in ("EHLO", "HELO"):
                self.responder("250 127.0.0.1")
            elif verbo in ("MAIL", "RSET"):
                destinatarios = []
                self.responder("250 OK")
            elif verbo == "RCPT":
                destinatarios.append(comando.split(":", 1)[1].strip().strip("<>"))
                self.responder("250 OK")
            elif verbo == "DATA":
                self.responder("354 Termine con <CRLF>.<CRLF>")
                datos = io.BytesIO()
                while (renglon := self.rfile.readline()) not in (b".\r\n", b""):
                    datos.write(renglon[1:] if renglon.startswith(b"..") else renglon)
                mensaje = email.message_from_bytes(datos.getvalue(), policy=email.policy.default)
                self.server.recibidos.append((destinatarios, mensaje))
                self.responder("250 OK: recibido")
            elif verbo == "NOOP":
                self.responder("250 OK")
            elif verbo == "QUIT":
                self.responder("221 Adiós")
                return
            else:
                self.responder("502 No implementado")


@pytest.mark.django_db(transaction=True)
def test_correo_caido_la_decision_queda_y_enviar_avisos_entrega_una_sola_vez(
    demo, settings, caplog
):
    puerto = free_port()  # nothing listens on it yet: the mail server is down
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = puerto
    settings.EMAIL_TIMEOUT = 5
    solicitud = presentada()
    with caplog.at_level(logging.WARNING, logger="dictamenes.avisos.services"):
        etapas.admision_resolver(
            solicitud=solicitud,
            usuario=usuario("mesa"),
            admitir=False,
            faltantes="Falta la cotización firmada del proveedor.",
        )

    # The decision is committed, its notice waits in the outbox with the error.
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.PREVENIDA
    assert solicitud.eventos.filter(tipo="prevencion").count() == 1
    aviso = Aviso.objects.get(asunto=f"Prevención de la solicitud {solicitud.folio}")
    assert aviso.enviado_en is None and aviso.intentos == 1
    assert "Connection refused" in aviso.ultimo_error or "111" in aviso.ultimo_error
    assert aviso.destinatarios == sorted(avisos.correos_requirentes(solicitud=solicitud))
    assert f"No se pudo enviar el aviso #{aviso.pk} «{aviso.asunto}»" in caplog.text
    assert "Queda pendiente" in caplog.text
    pendientes = Aviso.objects.filter(enviado_en__isnull=True).count()
    assert pendientes >= 2  # the new admission task's notice too

    servidor = _SMTP(puerto)
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    try:
        salida = io.StringIO()
        call_command("enviar_avisos", "--limite", "1", stdout=salida)
        assert len(servidor.recibidos) == 1  # the limit holds
        assert "1 aviso(s) enviados; 0 siguen pendientes." in salida.getvalue()

        salida = io.StringIO()
        call_command("enviar_avisos", stdout=salida)
        assert len(servidor.recibidos) == pendientes
        assert f"{pendientes - 1} aviso(s) enviados" in salida.getvalue()
        asunto = f"[Dictámenes TIC] Prevención de la solicitud {solicitud.folio}"
        # A folded Subject keeps the fold's leading space once parsed.
        asuntos = {m["Subject"].strip(): (p, m) for p, m in servidor.recibidos}
        para, mensaje = asuntos[asunto]
        assert sorted(para) == aviso.destinatarios
        # Over real SMTP: the text and its HTML alternative, both with the link (issue 34).
        assert mensaje.get_content_type() == "multipart/alternative"
        texto = mensaje.get_body(preferencelist=("plain",)).get_content()
        html = mensaje.get_body(preferencelist=("html",)).get_content()
        assert "Falta la cotización firmada del proveedor." in texto
        assert aviso.enlace in texto and f'href="{aviso.enlace}"' in html
        aviso.refresh_from_db()
        assert aviso.enviado_en is not None and aviso.intentos == 2 and not aviso.ultimo_error
        assert not Aviso.objects.filter(enviado_en__isnull=True).exists()

        # Running it again (cron) sends nothing twice.
        salida = io.StringIO()
        call_command("enviar_avisos", stdout=salida)
        assert "0 aviso(s) enviados; 0 siguen pendientes." in salida.getvalue()
        assert len(servidor.recibidos) == pendientes
    finally:
        servidor.shutdown()
        servidor.server_close()
