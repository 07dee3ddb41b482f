"""Two app servers behind one address: how the state scales out.

Two gunicorn servers on loopback share only what production shares: one PostgreSQL (sessions
live there too), one S3 (moto) for the files and one Redis for Django's cache. Each keeps its
own local folder, which nobody else reads. One request walks its whole procedure with every
step on the other server from the one before; then the cron jobs start at the same moment on
both servers, and each notice, reminder and timer happens exactly once.
"""

import collections
import contextlib
import datetime
import email
import email.policy
import os
import re
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import redis
from django_ratelimit.core import _get_window
from playwright.sync_api import expect

from demo import confianza_local
from demo.usuarios import CONTRASENA_DEMO
from dictamenes.avisos.services import PREFIJO_ASUNTO
from dictamenes.operacion.exclusion import OTRA_CORRIDA_EN_CURSO
from tests import plantilla_bd
from tests.backends.jornadas import ESPERA, Jornada, revision
from tests.backends.plugin import correr_pytest, skip_backend
from tests.backends.servers import (
    GunicornServer,
    PostgresServer,
    find_pg_bindir,
    free_port,
    started_redis_server,
)

pytestmark = [pytest.mark.postgres, pytest.mark.s3, pytest.mark.browser]

RAIZ = Path(__file__).resolve().parents[2]
BUCKET = "expedientes-dos-servidores"
# The demo's draft of requirente.sh, and the item it asks for (reviewed by the software area).
BORRADOR = "Licencias de antivirus con consola centralizada"
PARTIDA = "Licencias de antivirus empresarial"
# What cron runs on every server, in the order the test starts each pair.
CRON = ["workflow_timers", "avisar_vencimientos", "recordar_programa", "enviar_avisos"]


@dataclass
class Sitio:
    a: GunicornServer
    b: GunicornServer
    base_de_datos: str
    cache: str
    efirma: Path  # the demo firmante's e.firma, as cargar_demo left it
    carpeta: Path
    entornos: dict[str, dict[str, str]] = field(default_factory=dict)

    def manage(self, *args: str, donde: str = "preparacion") -> str:
        resultado = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=RAIZ,
            env=self.entornos[donde],
            capture_output=True,
            text=True,
        )
        assert resultado.returncode == 0, f"manage.py {' '.join(args)}:\n{resultado.stderr}"
        return resultado.stdout


def _entorno(comun: dict[str, str], carpeta: Path, nombre: str) -> dict[str, str]:
    """A process's environment: the shared services, and a local folder of its own."""
    return {**comun, "DJANGO_VAR_DIR": str(carpeta / f"var-{nombre}")}


@contextlib.contextmanager
def sitio_levantado(carpeta: Path, s3_endpoint: str):
    """PostgreSQL and Redis of their own, the bucket on the S3 server, the demo data, and the
    two servers; everything is stopped on leaving. Skips (with the reason) when Redis or
    PostgreSQL cannot run here."""
    with contextlib.ExitStack() as pila:
        redis_servidor = started_redis_server()
        pila.callback(redis_servidor.stop)
        bindir = find_pg_bindir()
        if bindir is None:
            skip_backend("PostgreSQL: no se encontró initdb (instale el paquete postgresql)")
        pg = PostgresServer(bindir=bindir)
        pila.callback(pg.stop)
        base_de_datos = pg.start()
        import boto3

        boto3.client(
            "s3",
            endpoint_url=s3_endpoint,
            aws_access_key_id="pruebas",
            aws_secret_access_key="pruebas-secreto",
            region_name="us-east-1",
        ).create_bucket(Bucket=BUCKET)
        a, b = GunicornServer(raiz=RAIZ), GunicornServer(raiz=RAIZ)
        preparacion = carpeta / "var-preparacion"
        confianza = f"127.0.0.1:{free_port()}"
        comun = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SETTINGS_MODULE": "tests.backends.ajustes_dos_servidores",
            "DATABASE_URL": base_de_datos,
            "DJANGO_CACHE_URL": redis_servidor.url,
            "DJANGO_STORAGE": "s3",
            "DJANGO_S3_BUCKET": BUCKET,
            "DJANGO_S3_ENDPOINT_URL": s3_endpoint,
            "AWS_ACCESS_KEY_ID": "pruebas",
            "AWS_SECRET_ACCESS_KEY": "pruebas-secreto",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            # Both servers sit behind one public address (the balancer's); here, A's.
            "DJANGO_URL_PUBLICA": a.url,
            "DJANGO_EFIRMA_RAICES": str(preparacion / "efirma" / "ca-demo.cer"),
            "DJANGO_TSA_RAICES": str(preparacion / "efirma" / "ca-tsa-demo.cer"),
            # The test CA's TSA and CRL for this site's CA: cargar_demo runs them while it
            # signs, and this test while the servers do.
            "DJANGO_CONFIANZA_LOCAL": confianza,
            "DJANGO_EMAIL_FILE_PATH": str(carpeta / "correo-servidores"),
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        s = Sitio(a, b, base_de_datos, redis_servidor.url, preparacion / "efirma", carpeta)
        for nombre in ("preparacion", "a", "b"):
            s.entornos[nombre] = _entorno(comun, carpeta, nombre)
        for nombre in ("cron-a", "cron-b"):
            s.entornos[nombre] = {
                **_entorno(comun, carpeta, nombre),
                "DJANGO_EMAIL_FILE_PATH": str(carpeta / "correo-cron"),
            }
        # Both settings install the same apps: the suite's migrated archive, when there is
        # one, instead of migrating again (tests/plantilla_bd.py).
        if not plantilla_bd.restaurar_migrada(base_de_datos):
            s.manage("migrate", "--noinput", "-v0")
        carga = subprocess.run(
            [
                sys.executable,
                "-c",
                "from config import recolector; recolector.ajustar(); import django; "
                f"django.setup(); import {__name__} as t; t.cargar()",
            ],
            cwd=RAIZ,
            env=s.entornos["preparacion"],
            capture_output=True,
            text=True,
        )
        assert carga.returncode == 0, carga.stderr
        pila.callback(confianza_local.Servidor(preparacion / "efirma", confianza).iniciar().detener)
        for nombre, servidor in (("a", a), ("b", b)):
            pila.callback(servidor.stop)
            servidor.spawn(s.entornos[nombre], registro=carpeta / f"gunicorn-{nombre}.log")
        a.wait_until_ready()
        b.wait_until_ready()
        yield s


def cargar() -> None:
    """The part of the demo these tests read, loaded by `cargar_demo`'s own code and in its
    order, in the site's environment and as a management command (its audit events carry the
    machine's operator, as the command's do): the catalogues, people and e.firma
    (`cargar_demo --sin-solicitudes`), this year's programmes (the reminders) and the demo's
    requests in each state (the draft the journey presents, the prevented request's timer,
    the open steps and the notices cron sends). Not the years of history, the signs' cases,
    the surveys, the capacity plan's absences or the pending dual-control changes: no test
    here reads them, and they were a third of the load's CPU (43 → 27 s, the loading process
    and PostgreSQL's, measured side by side). Removing cron's lock still fails the cron test
    (both servers sent the 7 notices due)."""
    from django.core.management import call_command
    from django.core.management.base import BaseCommand

    class Carga(BaseCommand):
        def handle(self, *args, **options):
            from django.conf import settings
            from django.core.cache import cache
            from django.db import transaction
            from django.test import override_settings

            from demo import programa, solicitudes
            from demo.estadisticas import estadisticas_actualizar

            call_command("cargar_demo", "--sin-solicitudes", stdout=self.stdout)
            with (
                override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
                transaction.atomic(),
                confianza_local.en_marcha(
                    settings.DICTAMENES_EFIRMA_DEMO_DIR, settings.DICTAMENES_CONFIANZA_LOCAL
                ),
            ):
                programa.cargar()
                solicitudes.cargar()
                estadisticas_actualizar()
            cache.clear()

    call_command(Carga())


@pytest.fixture(scope="module")
def sitio(tmp_path_factory, s3_server):
    with sitio_levantado(tmp_path_factory.mktemp("dos-servidores"), s3_server.endpoint_url) as s:
        yield s


# --- One request, each step on the other server -------------------------------------------------


def _pasa_a(j: Jornada, servidor: GunicornServer) -> None:
    """The balancer sends the next request to `servidor`: the same page, served there.
    Cookies do not depend on the port (RFC 6265, 8.5): the browser sends its session and CSRF
    cookies to both servers, as it would to the balancer's one address."""
    actual = urlsplit(j.page.url)
    j.url = servidor.url
    j.page.goto(f"{servidor.url}{actual.path}{'?' + actual.query if actual.query else ''}")
    expect(j.page).to_have_url(re.compile(rf"^{re.escape(servidor.url)}/"))


def _entra_en(j: Jornada, entra: GunicornServer, actua: GunicornServer, usuario: str) -> None:
    """Logs in on one server and goes on, still logged in, on the other."""
    j.url = entra.url
    j.entra(usuario)
    _pasa_a(j, actua)
    expect(j.page.get_by_role("button", name="Cerrar sesión")).to_be_visible(timeout=ESPERA)


def _abre(j: Jornada, busca: str, enlace: str | None = None, desde: str = "Solicitudes"):
    """From a list of the home page, the request found by its folio or title."""
    j.ir_a(desde)
    j.page.get_by_label("Folio o título").fill(busca)
    j.page.get_by_role("button", name="Filtrar").click()
    fila = j.page.get_by_role("row").filter(has_text=busca)
    fila.get_by_role("link", name=enlace or busca, exact=True).click()
    expect(j.page.get_by_role("heading", level=1)).to_be_visible()


def test_un_tramite_completo_alternando_servidores(sitio, page, settings, tmp_path):
    a, b = sitio.a, sitio.b
    j = Jornada(page, a.url, CONTRASENA_DEMO, tmp_path, tmp_path)

    # The requirente logs in on A and presents its draft on B.
    _entra_en(j, a, b, "requirente.sh")
    _abre(j, BORRADOR, enlace="Borrador", desde="Mis solicitudes")
    folio = j.presenta()
    j.sale()

    # The mesa de control logs in on B and admits on A.
    _entra_en(j, b, a, "mesa")
    _abre(j, folio)
    j.toma("Admisión")
    j.admite()
    j.sale()

    # The software area logs in on A and reviews on B.
    _entra_en(j, a, b, "revisor.software")
    _abre(j, folio)
    j.toma(revision("software"))
    j.revisa("software", opiniones={PARTIDA: "Cumple con el perfil."}, opinion="Favorable")
    j.ve_estado("En revisión estratégica")
    j.sale()

    # The strategic reviewer logs in on B and decides on A.
    _entra_en(j, b, a, "estrategico")
    _abre(j, folio)
    j.toma("Revisión estratégica")
    acciones = j.acciones()
    acciones.get_by_label("Decidir cada partida").check()
    acciones.get_by_label("Aprobada", exact=True).check()
    acciones.get_by_label("Motivos").fill("Renovación necesaria; sin duplicidad.")
    acciones.get_by_role("button", name="Registrar").click()
    j.ve_estado("En firma")
    j.sale()

    # The firmante logs in on A and signs on B with the e.firma cargar_demo made.
    _entra_en(j, a, b, "firmante")
    _abre(j, folio)
    j.toma("Firma")
    settings.DICTAMENES_EFIRMA_DEMO_DIR = sitio.efirma
    j.firma()
    j.ve_estado("Dictaminada")
    dictamen = j.region("Dictamen").get_by_role("paragraph").first.inner_text().split(" · ")[0]

    # Both servers show the signed dictamen and hand out the same PDF, read from S3.
    pdfs = {}
    for servidor in (a, b):
        _pasa_a(j, servidor)
        j.ve_estado("Dictaminada")
        expect(j.region("Dictamen")).to_contain_text(f"{dictamen} · Favorable")
        enlace = page.get_by_role("link", name="Descargar PDF firmado")
        respuesta = page.request.get(servidor.url + enlace.get_attribute("href"))
        assert respuesta.ok, (servidor.url, respuesta.status)
        pdfs[servidor.url] = respuesta.body()
    assert pdfs[a.url] == pdfs[b.url]
    assert pdfs[a.url].startswith(b"%PDF") and b"/ByteRange" in pdfs[a.url]
    j.sale()

    # Anyone verifies it on either server.
    for servidor in (a, b):
        page.goto(f"{servidor.url}/verificar/{dictamen}/")
        expect(page.get_by_role("main")).to_contain_text(dictamen)
        expect(page.get_by_role("main")).to_contain_text("Favorable")

    # Anyone checks a copy by uploading it, on either server, up to the limit per address.
    _verifica_copias_hasta_el_limite(page, (a, b), pdfs[a.url], settings, tmp_path)
    # What the servers shared for it is Redis (Django's keys: ":<version>:<key>").
    assert redis.Redis.from_url(sitio.cache).keys(":1:rl:*")

    # Nothing was kept on a server's own disk.
    for nombre in ("a", "b"):
        locales = [p for p in (sitio.carpeta / f"var-{nombre}").rglob("*") if p.is_file()]
        assert locales == [], locales


def _verifica_copias_hasta_el_limite(page, servidores, pdf: bytes, settings, tmp_path) -> None:
    """Uploads of the signed PDF to /verificar/, taking turns between the servers. The limit
    per address (django-ratelimit) counts in the cache both servers share: together they
    allow what one allows, and the next upload gets the 429 page, whichever server takes it.
    (With a cache per process, each of the four gunicorn workers would count on its own.)"""
    permitidas = int(settings.DICTAMENES_LIMITES["verificar"][0].split("/")[0])
    copia = tmp_path / "dictamen.pdf"
    copia.write_bytes(pdf)
    # django-ratelimit counts in fixed windows of a minute, each address's shifted by a hash
    # of it: start in a window with time left for every upload.
    fin = _get_window("127.0.0.1", 60)
    if fin - time.time() < 20:
        time.sleep(fin - time.time() + 1)
    ventana = _get_window("127.0.0.1", 60)

    def sube_en(servidor):
        page.goto(f"{servidor.url}/verificar/")
        page.get_by_label("PDF del dictamen").set_input_files(str(copia))
        page.get_by_role("button", name="Verificar").click()

    sube_en(servidores[0])
    expect(page.get_by_role("status")).to_contain_text("Documento auténtico.")
    for i in range(1, permitidas):
        servidor = servidores[i % 2]
        token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
        respuesta = page.request.post(
            f"{servidor.url}/verificar/",
            multipart={
                "csrfmiddlewaretoken": token,
                "pdf": {"name": copia.name, "mimeType": "application/pdf", "buffer": pdf},
            },
        )
        assert respuesta.status == 200 and "Documento auténtico." in respuesta.text(), i
    sube_en(servidores[permitidas % 2])
    expect(page.get_by_role("heading", level=1)).to_have_text("Demasiadas solicitudes")
    assert _get_window("127.0.0.1", 60) == ventana, "la ventana del límite cambió a la mitad"


# --- Cron on both servers at once ---------------------------------------------------------------


def _a_la_vez(sitio: Sitio, comando: str) -> list[str]:
    """`comando` on both servers' environments, released at the same moment; their outputs."""
    carpeta = sitio.carpeta / f"salida-{comando}"
    carpeta.mkdir()
    procesos = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.backends.cron_a_la_vez", str(carpeta), comando],
            cwd=RAIZ,
            env=sitio.entornos[donde],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for donde in ("cron-a", "cron-b")
    ]
    limite = time.monotonic() + 60
    while len(list(carpeta.glob("listo-*"))) < len(procesos) and time.monotonic() < limite:
        time.sleep(0.01)
    (carpeta / "ya").touch()
    salidas = [p.communicate(timeout=120) for p in procesos]
    for proceso, (_, error) in zip(procesos, salidas, strict=True):
        assert proceso.returncode == 0, f"{comando}:\n{error}"
    print(f"{comando}: {[salida.strip() for salida, _ in salidas]}")  # shown with -s
    return [salida.strip() for salida, _ in salidas]


def _cuenta(salidas: list[str], patron: str, comando: str) -> int:
    """The sum of what each run says it did; a run that found the other one running did
    nothing and says so."""
    total = 0
    for salida in salidas:
        if salida == str(OTRA_CORRIDA_EN_CURSO % {"nombre": comando}):
            continue
        total += int(re.match(patron, salida).group(1))
    return total


def _correos(carpeta: Path) -> collections.Counter:
    """Every e-mail Django's file backend wrote: (subject, recipients, plain-text body; the
    HTML alternative says the same with its link as a button)."""
    correos = collections.Counter()
    for archivo in sorted(carpeta.glob("*.log")):
        for crudo in archivo.read_bytes().split(b"-" * 79 + b"\n"):
            if not crudo.strip():
                continue
            mensaje = email.message_from_bytes(crudo, policy=email.policy.default)
            correos[
                (
                    str(mensaje["Subject"]).strip(),
                    tuple(sorted(d.strip() for d in str(mensaje["To"]).split(","))),
                    mensaje.get_body(preferencelist=("plain",)).get_content().strip(),
                )
            ] += 1
    return correos


def test_cron_a_la_vez_en_los_dos_servidores_hace_cada_cosa_una_vez(sitio):
    ahora = datetime.datetime.now(datetime.UTC)
    with psycopg.connect(sitio.base_de_datos, autocommit=True) as db:
        # Due now: every scheduled timer (the demo's prevented request), every open step
        # (due in two hours), this month's planned lines and a few notices whose sending failed.
        timers = db.execute(
            "UPDATE viewflow_task SET scheduled = %s WHERE flow_task_type = 'TIMER' "
            "AND status = 'SCHEDULED' RETURNING process_id",
            [ahora - datetime.timedelta(minutes=1)],
        ).fetchall()
        db.execute(
            "UPDATE viewflow_task SET data = (data - 'avisado') || jsonb_build_object('vence', "
            "%s::text) WHERE data ? 'vence' AND status IN ('NEW', 'ASSIGNED', 'STARTED')",
            [(ahora + datetime.timedelta(hours=2)).isoformat()],
        )
        lineas = db.execute(
            "UPDATE dictamenes_lineaprograma l SET mes_previsto = %s, recordada_en = NULL "
            "FROM dictamenes_programaanual p WHERE l.programa_id = p.id AND p.ejercicio = %s "
            "AND l.solicitud_id IS NULL RETURNING l.id",
            [ahora.month, ahora.year],
        ).fetchall()
        pendientes = db.execute(
            "UPDATE dictamenes_aviso SET enviado_en = NULL, intentos = 0 WHERE id IN "
            "(SELECT id FROM dictamenes_aviso ORDER BY id LIMIT 5) RETURNING id"
        ).fetchall()
        (ultimo,) = db.execute("SELECT max(id) FROM dictamenes_aviso").fetchone()
    assert timers and lineas and len(pendientes) == 5

    salidas = {comando: _a_la_vez(sitio, comando) for comando in CRON}

    with psycopg.connect(sitio.base_de_datos, autocommit=True) as db:
        # One timeout per due timer: each prevented request was discarded once, with one
        # event in its chain.
        desechadas = db.execute(
            "SELECT s.estado, count(e.id) FROM dictamenes_procesodictamen p "
            "JOIN dictamenes_solicitud s ON s.id = p.solicitud_id "
            "LEFT JOIN dictamenes_eventoauditoria e ON e.solicitud_id = s.id "
            "AND e.tipo = 'desechada' WHERE p.process_ptr_id = ANY(%s) GROUP BY s.id, s.estado",
            [[t[0] for t in timers]],
        ).fetchall()
        assert desechadas == [("desechada", 1)] * len(timers)
        assert _cuenta(salidas["workflow_timers"], r"(\d+) timer", "workflow_timers") == len(timers)
        # One notice per step due soon, one reminder per planned line.
        (avisadas,) = db.execute(
            "SELECT count(*) FROM viewflow_task WHERE data ? 'avisado'"
        ).fetchone()
        assert avisadas > 0
        assert _cuenta(salidas["avisar_vencimientos"], r"(\d+) aviso", "avisar_vencimientos") == (
            avisadas
        )
        assert _cuenta(
            salidas["recordar_programa"], r"(\d+) recordatorio", "recordar_programa"
        ) == (len(lineas))
        (recordadas,) = db.execute(
            "SELECT count(*) FROM dictamenes_lineaprograma WHERE id = ANY(%s) "
            "AND recordada_en IS NOT NULL",
            [[linea[0] for linea in lineas]],
        ).fetchone()
        assert recordadas == len(lineas)
        # Every notice of this minute went out once: one e-mail each, one attempt each.
        avisos = db.execute(
            "SELECT asunto, destinatarios, mensaje, intentos, enviado_en IS NOT NULL "
            "FROM dictamenes_aviso WHERE id > %s OR id = ANY(%s)",
            [ultimo, [p[0] for p in pendientes]],
        ).fetchall()
    assert {(intentos, enviado) for *_, intentos, enviado in avisos} == {(1, True)}
    esperados = collections.Counter(
        (PREFIJO_ASUNTO + asunto, tuple(sorted(destinatarios)), mensaje.strip())
        for asunto, destinatarios, mensaje, *_ in avisos
    )
    assert sum(1 for a in avisos if a[0].startswith("Vence pronto")) == avisadas
    assert sum(1 for a in avisos if a[0].startswith("Recordatorio")) == len(lineas)
    assert _correos(sitio.carpeta / "correo-cron") == esperados


# --- Without Redis ------------------------------------------------------------------------------


@pytest.mark.parametrize(("ci", "codigo"), [("", 0), ("true", 1)])
def test_sin_redis_se_omite_con_la_razon_y_en_ci_la_corrida_falla(ci, codigo):
    resultado = correr_pytest(
        "--db=sqlite",
        f"{__file__}::test_cron_a_la_vez_en_los_dos_servidores_hace_cada_cosa_una_vez",
        CI=ci,
        DICTAMENES_REDIS_SERVER="/no/existe/redis-server",
    )
    assert resultado.returncode == codigo, resultado.stdout
    assert (
        "Servidor de pruebas no disponible: Redis: no se encontró redis-server en "
        "/no/existe/redis-server"
    ) in resultado.stdout
    assert ("servidores de prueba faltantes" in resultado.stdout) == bool(ci)
