"""nginx's access log and the survey (issue 59, item 8): the shipped site, run on loopback in
front of a stand-in for gunicorn, logs the survey's requests without the client's address,
its browser, the page it came from or the request's number; every other request keeps its
full line. Without nginx the test skips with the reason (and fails under CI=true)."""

import contextlib
import http.server
import socket
import socketserver
import ssl
import subprocess
import threading
import time
import urllib.request

from tests.backends.plugin import skip_backend
from tests.backends.servers import _terminate, free_port
from tests.despliegue import plantillas as p
from tests.despliegue.certificado import certificado_propio

NAVEGADOR = "Navegador-de-prueba/1.0"
REFERENTE = "https://127.0.0.1/inicio/"


class _Respuesta(http.server.BaseHTTPRequestHandler):
    """gunicorn's stand-in on the site's Unix socket: 200 to anything."""

    def _responder(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_GET = do_POST = _responder

    def log_message(self, *args):  # its client has no address (a Unix socket)
        pass


class _Servidor(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def _pedir(url, *, confianza, metodo="GET"):
    peticion = urllib.request.Request(  # noqa: S310 - the test's own loopback site
        url,
        data=b"claridad=2&tiempo=1&trato=4" if metodo == "POST" else None,
        method=metodo,
        headers={"User-Agent": NAVEGADOR, "Referer": REFERENTE},
    )
    contexto = ssl.create_default_context(cafile=confianza)
    with urllib.request.urlopen(peticion, context=contexto) as respuesta:  # noqa: S310
        return respuesta.status


def test_nginx_no_registra_de_donde_viene_quien_responde_la_encuesta(tmp_path):
    if p.nginx() is None:
        skip_backend("nginx: no está instalado (paquete nginx)")
    certificado, llave = certificado_propio(tmp_path)
    sock = tmp_path / "dictamenes.sock"
    https = free_port()
    sitio = p.Sitio(tmp_path, https, free_port(), certificado, llave, tmp_path / "static", sock)
    sitio.escribir()
    bitacora = tmp_path / "dictamenes.access.log"
    with contextlib.ExitStack() as pila:
        servidor = _Servidor(str(sock), _Respuesta)
        pila.callback(servidor.server_close)
        threading.Thread(target=servidor.serve_forever, daemon=True).start()
        pila.callback(servidor.shutdown)
        nginx = subprocess.Popen(sitio.orden(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        pila.callback(_terminate, nginx)
        limite = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", https), 1):
                break
            assert time.monotonic() < limite and nginx.poll() is None, nginx.stderr.read()
            time.sleep(0.05)

        base = f"https://127.0.0.1:{https}"
        pedidas = [
            ("GET", "/solicitudes/4817/encuesta/"),
            ("POST", "/solicitudes/4817/encuesta/"),
            ("GET", "/solicitudes/4817/"),
        ]
        for metodo, ruta in pedidas:
            assert _pedir(base + ruta, confianza=certificado, metodo=metodo) == 200
        # nginx writes each line as the request ends; give the last one a moment.
        limite = time.monotonic() + 10
        while len(bitacora.read_text().splitlines()) < 3 and time.monotonic() < limite:
            time.sleep(0.05)

    encuesta_get, encuesta_post, detalle = bitacora.read_text().splitlines()
    for linea, metodo in ((encuesta_get, "GET"), (encuesta_post, "POST")):
        assert linea.startswith("- - - ["), linea
        assert f'"{metodo} /solicitudes/-/encuesta/" 200 ' in linea, linea
        for dato in ("127.0.0.1", NAVEGADOR, REFERENTE, "4817"):
            assert dato not in linea, (dato, linea)
    # Any other page: the full line, as before.
    assert detalle.startswith("127.0.0.1 - - ["), detalle
    assert '"GET /solicitudes/4817/ HTTP/' in detalle and NAVEGADOR in detalle, detalle


def test_la_ruta_que_nginx_reconoce_como_encuesta_es_la_de_la_aplicacion():
    """If the survey's URL changes, nginx's map must change with it, or the survey would be
    logged in full again without anyone noticing."""
    import re

    from django.urls import reverse

    (patron,) = re.findall(r'"~(\^/solicitudes/[^"]+)" 1;', p.SITIO.read_text(encoding="utf-8"))
    assert re.fullmatch(patron, reverse("solicitudes:encuesta", args=[4817]))
    assert not re.fullmatch(patron, reverse("solicitudes:detalle", args=[4817]))
