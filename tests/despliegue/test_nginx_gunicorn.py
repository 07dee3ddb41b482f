"""The deployment of deploy/, run: nginx with the shipped site on loopback (HTTPS with a
certificate the test makes, HTTP/2), gunicorn started exactly as dictamenes.service's
ExecStart says, with the environment of dictamenes.env.ejemplo, and production's settings.

Socket activation as systemd does it: `systemd-socket-activate` (systemd's own tool for
this) listens on the socket of dictamenes.socket and, at the first connection, execs
ExecStart with the socket as descriptor 3 (LISTEN_FDS, LISTEN_PID), the way systemd starts
dictamenes.service; nginx's requests wait in the socket meanwhile. Not emulated: User= (the
test runs as whoever runs the suite) and the sandbox of the unit (ProtectSystem=…), which
need systemd as PID 1; `systemd-analyze verify` reads those (test_archivos.py).

What differs from a server, and why: the database is the suite's PostgreSQL (the demo
catalogues in it; the request waits for its signature, made with the services), the cache
a Redis of the test's own, the e.firma and TSA roots the test CA's, e-mail kept in memory,
the site's address 127.0.0.1 with a port (so its origin is trusted in
DJANGO_CSRF_TRUSTED_ORIGINS, as the environment file says for a port other than 443), and
collectstatic without compression (tests/despliegue/ajustes_estaticos.py).

The manual is built as the operator's pages say (the `deploy/manage` line of the installation
and of the update, run as manage.py with the server's environment, as deploy/manage does after
reading it), while collectstatic and the browser work: «Ayuda» of a requester's draft and of
the strategic reviewer's decision opens, through nginx, the section config.ayuda names; every
section config.ayuda names, for every role, answers through nginx with its anchor; and every
page of the manual leads back to the system (issue 78)."""

import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from playwright.sync_api import expect
from prometheus_client.parser import text_string_to_metric_families

from config.ayuda import (
    AYUDA,
    AYUDA_POR_PREFIJO,
    AYUDA_SOLICITUD,
    url_del_manual,
)
from demo.usuarios import CONTRASENA_DEMO
from dictamenes.roles import Rol
from tests.backends.jornadas import ESPERA, Jornada
from tests.backends.navegador import en_firma, en_revision_estrategica
from tests.backends.plugin import require_postgres, skip_backend
from tests.backends.servers import _terminate, free_port, started_redis_server
from tests.despliegue import plantillas as p
from tests.despliegue.certificado import certificado_propio
from tests.dictamenes import flujo_utils as fu

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

TITULO = "Equipos firmados detrás de nginx"
TOKEN_METRICAS = secrets.token_urlsafe(32)


def _pedir(
    url: str, *, confianza: Path, datos: bytes | None = None, cabeceras=None
) -> tuple[int, dict, bytes]:
    """One request, redirects not followed, trusting the test's own certificate (`confianza`):
    (status, headers, body)."""

    class SinRedirigir(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    abridor = urllib.request.build_opener(
        SinRedirigir,
        urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=confianza)),
    )
    peticion = urllib.request.Request(url, method="POST" if datos else "GET")  # noqa: S310
    for nombre, valor in (cabeceras or {}).items():
        peticion.add_header(nombre, valor)
    if datos:
        # A form with one file, as a browser sends an anexo.
        frontera = secrets.token_hex(16)
        peticion.data = (
            f'--{frontera}\r\nContent-Disposition: form-data; name="pdf"; '
            f'filename="grande.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + datos
            + f"\r\n--{frontera}--\r\n".encode()
        )
        peticion.add_header("Content-Type", f"multipart/form-data; boundary={frontera}")
    try:
        with abridor.open(peticion, timeout=60) as respuesta:
            return respuesta.status, dict(respuesta.headers), respuesta.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _escucha(puerto: int, proceso: subprocess.Popen, registro: Path) -> None:
    limite = time.monotonic() + 20
    while time.monotonic() < limite and proceso.poll() is None:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", puerto), 1):
            return
        time.sleep(0.05)
    raise AssertionError(f"nginx no escucha en {puerto}:\n{registro.read_text(errors='replace')}")


def _entorno(*, https: int, var: Path, cache: str) -> dict[str, str]:
    """dictamenes.env.ejemplo as a server fills it, with this machine's services."""
    entorno = {k: v for k, (v, puesta) in p.variables(p.ENTORNO.read_text()).items() if puesta}
    base = connection.settings_dict
    origen = f"https://127.0.0.1:{https}"
    entorno.update(
        {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_URL_PUBLICA": origen,
            "DJANGO_CSRF_TRUSTED_ORIGINS": origen,
            "DJANGO_VAR_DIR": str(var),
            "DATABASE_URL": (
                f"postgres://{base['USER']}@{base['HOST']}:{base['PORT']}/{base['NAME']}"
            ),
            "DJANGO_CACHE_URL": cache,
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "DJANGO_EFIRMA_RAICES": ",".join(map(str, settings.DICTAMENES_EFIRMA_RAICES)),
            "DJANGO_TSA_RAICES": ",".join(map(str, settings.DICTAMENES_TSA_RAICES)),
            "DJANGO_TSA_URL": settings.DICTAMENES_TSA["URL"],
            "DJANGO_EFIRMA_SERVICIOS": ",".join(settings.DICTAMENES_EFIRMA_SERVICIOS),
            "DJANGO_LOG_LEVEL": "WARNING",
            "DJANGO_METRICAS_TOKEN": TOKEN_METRICAS,
        }
    )
    return entorno


def _gunicorn(entorno: dict[str, str], sock: Path, registro: Path) -> subprocess.Popen:
    """dictamenes.service's ExecStart, in its WorkingDirectory, on the socket of
    dictamenes.socket, with only its EnvironmentFile's variables (and PATH)."""
    servicio = p.UNIDADES / "dictamenes.service"
    orden = [a.replace(p.CODIGO, str(p.RAIZ)) for a in p.exec_start(servicio)]
    (directorio,) = p.clave_valor(servicio, "WorkingDirectory")
    (escucha,) = p.clave_valor(p.UNIDADES / "dictamenes.socket", "ListenStream")
    assert escucha == p.SOCKET
    # Its own Environment= lines, with the RuntimeDirectory systemd would create (empty) under
    # /run moved into the test's folder.
    propias = dict(linea.split("=", 1) for linea in p.clave_valor(servicio, "Environment"))
    for carpeta in p.clave_valor(servicio, "RuntimeDirectory"):
        (sock.parent / carpeta).mkdir()
        propias = {
            k: v.replace(f"/run/{carpeta}", str(sock.parent / carpeta)) for k, v in propias.items()
        }
    variables = [f"--setenv={k}={v}" for k, v in {**entorno, **propias}.items()]
    with registro.open("ab") as salida:
        return subprocess.Popen(
            [
                shutil.which("systemd-socket-activate"),
                "--listen",
                str(sock),
                *variables,
                "--",
                *orden,
            ],
            cwd=directorio.replace(p.CODIGO, str(p.RAIZ)),
            stdout=salida,
            stderr=salida,
        )


def _collectstatic(entorno: dict[str, str]) -> dict[str, str]:
    resultado = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=p.RAIZ,
        env={
            **entorno,
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "tests.despliegue.ajustes_estaticos",
        },
        capture_output=True,
        text=True,
    )
    assert resultado.returncode == 0, resultado.stderr
    return json.loads(
        (Path(entorno["DJANGO_VAR_DIR"]) / "static" / "staticfiles.json").read_text()
    )["paths"]


def _orden_del_manual() -> list[str]:
    """The arguments of `deploy/manage` that build the manual, as the installation (step 5)
    and the update tell the operator: the same line in both."""
    lineas = {
        pagina: re.findall(r"^deploy/manage (manual_construir[^#\n]*?)\s*(?:#|$)", texto, re.M)
        for pagina in ("debian.md", "actualizar.md")
        for texto in [(p.RAIZ / "docs" / "operacion" / pagina).read_text(encoding="utf-8")]
    }
    assert len(set(map(tuple, lineas.values()))) == 1 and len(lineas["debian.md"]) == 1, lineas
    return lineas["debian.md"][0].split()


def _construir_manual(entorno: dict[str, str], registro: Path) -> subprocess.Popen:
    """The operator's command, started now and awaited when the manual is first read. At the
    lowest priority (nice): it builds while the browser and gunicorn wait, and does not take
    the cores from gunicorn's boot, which the first page waits for (on a loaded machine it
    made that page miss its 30 s)."""
    with registro.open("wb") as salida:
        return subprocess.Popen(
            ["nice", "-n", "19", sys.executable, "manage.py", *_orden_del_manual()],
            cwd=p.RAIZ,
            env={**entorno, "PATH": os.environ["PATH"]},
            stdout=salida,
            stderr=subprocess.STDOUT,
        )


def _proceso(pid: int) -> str:
    return Path(f"/proc/{pid}/comm").read_text().strip()


def test_un_dictamen_se_firma_y_se_verifica_a_traves_de_nginx_y_gunicorn(browser, demo, tmp_path):
    require_postgres()
    if p.nginx() is None:
        skip_backend("nginx: no está instalado (paquete nginx)")
    if shutil.which("systemd-socket-activate") is None:
        skip_backend("systemd-socket-activate: no está (paquete systemd)")

    solicitud = en_firma(titulo=TITULO)
    # Where «Ayuda» is read: a requester's draft and a request the strategic reviewer decides.
    borrador = fu.borrador(titulo="Borrador detrás de nginx")
    por_decidir = en_revision_estrategica(titulo="Decisión detrás de nginx")
    # Production hashes passwords with PBKDF2 (the suite's settings, with MD5).
    hasher = PBKDF2PasswordHasher()
    get_user_model().objects.filter(
        username__in=["firmante", "requirente.sh", "estrategico"]
    ).update(password=hasher.encode(CONTRASENA_DEMO, hasher.salt()))
    # Where the suite's services keep the request's files, and where collectstatic writes.
    var = Path(settings.MEDIA_ROOT).parent
    https, http = free_port(), free_port()
    sock = tmp_path / "dictamenes.sock"
    certificado, llave = certificado_propio(tmp_path)

    with contextlib.ExitStack() as pila:
        redis = started_redis_server()
        pila.callback(redis.stop)
        entorno = _entorno(https=https, var=var, cache=redis.url)
        manual = _construir_manual(entorno, tmp_path / "manual.log")
        pila.callback(_terminate, manual)
        estaticos = _collectstatic(entorno)
        gunicorn = _gunicorn(entorno, sock, tmp_path / "gunicorn.log")
        pila.callback(_terminate, gunicorn)
        sitio = p.Sitio(tmp_path, https, http, certificado, llave, var / "static", sock)
        sitio.escribir()
        nginx = subprocess.Popen(sitio.orden(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        pila.callback(_terminate, nginx)
        _escucha(https, nginx, tmp_path / "error.log")
        base = f"https://127.0.0.1:{https}"

        # nginx serves the static files from collectstatic's folder, by their hashed names,
        # before anyone asked gunicorn for anything: it has not even started.
        estilo = estaticos["css/app.css"]
        estado, cabeceras, cuerpo = _pedir(f"{base}/static/{estilo}", confianza=certificado)
        assert estado == 200 and cuerpo, estado
        assert "immutable" in cabeceras["Cache-Control"], cabeceras
        assert _proceso(gunicorn.pid).startswith("systemd-socket"), "gunicorn ya arrancó"
        # Plain HTTP leads to HTTPS.
        estado, cabeceras, _ = _pedir(f"http://127.0.0.1:{http}/verificar/", confianza=certificado)
        assert estado == 301 and cabeceras["Location"] == "https://127.0.0.1/verificar/"

        contexto = browser.new_context(
            locale="es-MX", viewport={"width": 1280, "height": 800}, ignore_https_errors=True
        )
        pila.callback(contexto.close)
        page = contexto.new_page()
        rechazos = []
        page.on("console", lambda m: "Content Security Policy" in m.text and rechazos.append(m))
        page.set_default_timeout(30_000)
        expect.set_options(timeout=30_000)  # the first page waits for gunicorn to boot
        pila.callback(expect.set_options, timeout=None)
        j = Jornada(page, base, CONTRASENA_DEMO, tmp_path, tmp_path)

        # A wrong password counts against the address nginx saw (X-Forwarded-For), not the
        # empty one of the socket: the lockout is per person and address.
        page.goto(f"{base}/cuentas/login/")
        page.get_by_label("Usuario").fill("firmante")
        page.get_by_label("Contraseña").fill("no-es-la-contrasena")
        page.get_by_role("button", name="Entrar").click()
        expect(page.get_by_role("main")).to_contain_text(
            "El usuario o la contraseña no son correctos."
        )
        assert not _proceso(gunicorn.pid).startswith("systemd-socket")  # it started
        assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [
            ("firmante", "127.0.0.1")
        ]
        expect.set_options(timeout=ESPERA)

        # The firmante signs over HTTPS (X-Forwarded-Proto: the app knows it, or its redirect
        # to HTTPS would never end and its __Host- cookies would not be set), over HTTP/2.
        j.entra("firmante")
        protocolo = page.evaluate("performance.getEntriesByType('navigation')[0].nextHopProtocol")
        assert protocolo == "h2"
        page.goto(f"{base}/solicitudes/{solicitud.pk}/")
        j.toma("Firma")
        j.firma()
        j.ve_estado("Dictaminada")
        j.mensaje_exito("Dictamen firmado y emitido.")
        folio = j.region("Dictamen").get_by_role("paragraph").first.inner_text().split(" · ")[0]
        enlace = page.get_by_role("link", name="Descargar PDF firmado")
        pdf = page.request.get(base + enlace.get_attribute("href"))
        assert pdf.ok and pdf.body().startswith(b"%PDF")
        j.sale()

        # Anyone verifies it through nginx: its page, and the PDF uploaded.
        page.goto(f"{base}/verificar/{folio}/")
        expect(page.get_by_role("main")).to_contain_text(folio)
        expect(page.get_by_role("main")).to_contain_text("Favorable")
        copia = tmp_path / "dictamen.pdf"
        copia.write_bytes(pdf.body())
        page.goto(f"{base}/verificar/")
        page.get_by_label("PDF del dictamen").set_input_files(str(copia))
        page.get_by_role("button", name="Verificar").click()
        expect(page.get_by_role("status")).to_contain_text("Documento auténtico.")
        assert not rechazos, [m.text for m in rechazos]

        # The manual, where the operator's command built it, through nginx and gunicorn.
        # Started with collectstatic, it has finished by now (on a busy machine too).
        assert manual.wait(timeout=180) == 0, (tmp_path / "manual.log").read_text()
        estado, _, cuerpo = _pedir(f"{base}/manual/", confianza=certificado)
        assert estado == 200 and "<title>Dictámenes TIC</title>" in cuerpo.decode(), estado
        # Every page of the theme (the API's reference is Redoc's own page) leads back.
        paginas = [
            a for a in (var / "manual").rglob("*.html") if 'class="md-header' in a.read_text()
        ]
        assert len(paginas) > 40, paginas
        sin_volver = [
            str(a.relative_to(var / "manual"))
            for a in paginas
            if '<a class="volver-al-sistema" href="/">← Volver al sistema</a>' not in a.read_text()
        ]
        assert not sin_volver
        # Every section «Ayuda» opens, for every role on every page of config.ayuda (a request's
        # page in each of its situations too), answers through nginx and holds its anchor.
        secciones = {
            url_del_manual(objetivo)
            for fila in (*AYUDA.values(), *AYUDA_SOLICITUD.values(), *AYUDA_POR_PREFIJO.values())
            for objetivo in fila.values()
        }
        assert len(secciones) > 60, len(secciones)
        leidas: dict[str, tuple[int, str]] = {}
        sin_seccion = []
        for url in sorted(secciones):
            ruta, _, ancla = url.partition("#")
            if ruta not in leidas:
                estado, _, cuerpo = _pedir(f"{base}{ruta}", confianza=certificado)
                leidas[ruta] = (estado, cuerpo.decode())
            estado, html = leidas[ruta]
            if estado != 200 or (ancla and f'id="{ancla}"' not in html):
                sin_seccion.append(f"{url} ({estado})")
        assert not sin_seccion, sin_seccion

        # «Ayuda» as each person clicks it, from the header of the page where they act.
        def rechazo(mensaje):
            if "Content Security Policy" in mensaje.text:
                rechazos.append(mensaje)

        # The sections written out here, not read from config.ayuda: presenting a draft,
        # deciding each item.
        for usuario, rol, pendiente, seccion in (
            ("requirente.sh", Rol.REQUIRENTE, borrador, "requirente/#presentar-una-solicitud"),
            (
                "estrategico",
                Rol.REVISOR_ESTRATEGICO,
                por_decidir,
                "revisor-estrategico/#decidir-cada-partida",
            ),
        ):
            contexto = browser.new_context(locale="es-MX", ignore_https_errors=True)
            pila.callback(contexto.close)
            pagina = contexto.new_page()
            pagina.on("console", rechazo)
            # Straight to the request, through the login page that leads there.
            pagina.goto(f"{base}/cuentas/login/?next=/solicitudes/{pendiente.pk}/")
            pagina.get_by_label("Usuario").fill(usuario)
            pagina.get_by_label("Contraseña").fill(CONTRASENA_DEMO)
            pagina.get_by_role("button", name="Entrar").click()
            if rol == Rol.REQUIRENTE:
                Jornada(pagina, base, CONTRASENA_DEMO, tmp_path, tmp_path).ve_estado("Borrador")
            else:
                expect(pagina.get_by_role("button", name="Registrar")).to_be_visible()
            ayuda = pagina.get_by_role("banner").get_by_role("link", name="Ayuda", exact=True)
            href = ayuda.get_attribute("href")
            assert href == f"/manual/manual/{seccion}", usuario
            with pagina.expect_response(lambda r: "/manual/" in r.url) as respuesta:
                ayuda.click()
            assert respuesta.value.status == 200, respuesta.value.url
            seccion = pagina.locator(f"[id='{href.partition('#')[2]}']")
            expect(seccion).to_have_count(1)
            expect(seccion).to_be_in_viewport()
            if rol == Rol.REQUIRENTE:  # and back, once
                pagina.get_by_role("link", name="← Volver al sistema").click()
                expect(pagina.get_by_role("button", name="Cerrar sesión")).to_be_visible()
        assert not rechazos, [m.text for m in rechazos]

        # An upload the size of the largest anexo reaches the app, which answers in Spanish
        # (here /verificar/'s own, lower limit); one past nginx's limit stops at nginx.
        anexo = settings.DICTAMENES_ANEXO_MAX_MB * 1024 * 1024 + 512 * 1024
        estado, _, cuerpo = _pedir(f"{base}/verificar/", datos=b"0" * anexo, confianza=certificado)
        assert estado == 413 and "demasiado grande para ser un dictamen" in cuerpo.decode()
        (limite,) = re.findall(r"client_max_body_size (\d+)m;", p.SITIO.read_text())
        demasiado = b"0" * ((int(limite) + 1) << 20)
        estado, _, cuerpo = _pedir(f"{base}/verificar/", datos=demasiado, confianza=certificado)
        assert estado == 413, estado
        assert "Lo que envió pasa de 25 MB" in cuerpo.decode()  # nginx's page, in Spanish

        # Each answer carries the id nginx gave its request ($request_id, in the app's log line).
        for _ in range(12):
            estado, cabeceras, _ = _pedir(f"{base}/salud/vivo", confianza=certificado)
            assert estado == 200, estado
        # nginx writes the access line after the answer has left: the client may be first.
        linea = f"id={cabeceras['X-Request-ID']} "
        limite = time.monotonic() + 5
        while linea not in (bitacora := (tmp_path / "dictamenes.access.log").read_text()):
            if time.monotonic() > limite:
                break
            time.sleep(0.05)
        assert linea in bitacora, cabeceras
        # Prometheus reads, with its token, every worker's metrics summed (the unit's
        # PROMETHEUS_MULTIPROC_DIR): the one signature, wherever it was made, and all twelve.
        metricas = f"{base}/metricas"
        assert _pedir(metricas, confianza=certificado)[0] == 403
        estado, _, cuerpo = _pedir(
            metricas, confianza=certificado, cabeceras={"Authorization": f"Bearer {TOKEN_METRICAS}"}
        )
        assert estado == 200, estado
        muestras = [m for f in text_string_to_metric_families(cuerpo.decode()) for m in f.samples]
        firmas = [
            m.value for m in muestras if m.name == "dictamenes_signing_duration_seconds_count"
        ]
        assert firmas == [1]
        vivos = sum(
            m.value
            for m in muestras
            if m.name == "dictamenes_requests_total" and m.labels.get("view") == "salud_vivo"
        )
        assert vivos >= 12
        trabajadores = {
            a.stem.rsplit("_", 1)[-1] for a in (tmp_path / "dictamenes-metricas").glob("*.db")
        }
        assert len(trabajadores) >= 2, trabajadores
