"""What make bench (bench/medir.py) and make bench-escala (bench/escala.py) share: the
environment of the system under measurement, its management commands, a gunicorn serving it,
the bench's own scripts run as children (their JSON read back), and each page requested as
its person with the server's own time (Server-Timing) read. Here, apart from both scripts,
so that neither imports the other (issue 63: medir.py reads escala.py's kept history)."""

import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))

from tests.backends.servers import free_port  # noqa: E402

PY = sys.executable
CONTRASENA = "dictamen-demo-2026"


def avisar(texto: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {texto}", flush=True)


def manage(env, *args):
    return subprocess.run(
        [PY, str(RAIZ / "manage.py"), *args],
        env=env,
        check=True,
        text=True,
    )


def entorno(url: str, carpeta: Path, confianza: str | None = None) -> dict:
    """The environment of the system measured over the database at `url`, with its files
    (the demo e.firma, the documents) under `carpeta`/var. `confianza`: the address of the
    test CA's TSA and CRL, which the demo e.firma names (a kept history keeps its own)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "DATABASE_URL": url,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DJANGO_VAR_DIR": str(carpeta / "var"),
        "DJANGO_EFIRMA_RAICES": str(carpeta / "var" / "efirma" / "ca-demo.cer"),
        "DJANGO_TSA_RAICES": str(carpeta / "var" / "efirma" / "ca-tsa-demo.cer"),
        "DJANGO_CONN_MAX_AGE": "600",
        "DJANGO_CONFIANZA_LOCAL": confianza or f"127.0.0.1:{free_port()}",
    }


def percentil(valores, p):
    ordenados = sorted(valores)
    return ordenados[min(len(ordenados) - 1, round(p * (len(ordenados) - 1)))]


class Gunicorn:
    def __init__(self, env, trabajadores: int):
        self.puerto = free_port()
        self.url = f"http://127.0.0.1:{self.puerto}"
        self.proceso = subprocess.Popen(
            [
                PY,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.puerto}",
                "--workers",
                str(trabajadores),
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                "--backlog",
                "256",
                # No keep-alive, as behind nginx (HTTP/1.0 to the upstream by default): each
                # request goes to a free worker. With keep-alive each locust user stuck to the
                # worker that accepted its connection, and the ceiling depended on that draw.
                "--keep-alive",
                "0",
                "--log-level",
                "warning",
            ],
            cwd=RAIZ,
            env={**env, "DJANGO_URL_PUBLICA": self.url},
        )
        for _ in range(300):
            try:
                requests.get(self.url + "/", timeout=30)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        self.detener()
        raise RuntimeError("gunicorn no respondió")

    def trabajadores(self) -> list[int]:
        hijos = Path(f"/proc/{self.proceso.pid}/task/{self.proceso.pid}/children")
        return [int(p) for p in hijos.read_text().split()]

    def detener(self):
        self.proceso.terminate()
        self.proceso.wait(timeout=30)


def _sesion(url, usuario):
    sesion = requests.Session()
    if usuario:
        sesion.get(url + "/cuentas/login/")
        respuesta = sesion.post(
            url + "/cuentas/login/",
            data={
                "username": usuario,
                "password": CONTRASENA,
                "csrfmiddlewaretoken": sesion.cookies["csrftoken"],
            },
            headers={"Referer": url + "/cuentas/login/"},
            allow_redirects=False,
        )
        if respuesta.status_code != 302:
            raise RuntimeError(f"No pudo iniciar sesión {usuario}: HTTP {respuesta.status_code}")
    return sesion


def pedir(sesion, url, pagina: dict):
    """The page as its person asks for it: a GET, or a POST of its form fields (`datos`)
    with the session's CSRF token, as the page's script sends them."""
    if pagina.get("datos"):
        return sesion.post(
            url,
            data={**pagina["datos"], "csrfmiddlewaretoken": sesion.cookies["csrftoken"]},
            headers={"Referer": url},
        )
    return sesion.get(url)


def paginas_de(env) -> tuple[list[dict], list[dict]]:
    """bench/paginas.py on this database: the pages to measure, and those this tree cannot
    measure yet (each said here with its reason, and left out)."""
    paginas = json_de(env, "bench/paginas.py")
    omitidas = [p for p in paginas if p.get("omitida")]
    for p in omitidas:
        avisar(f"Sin medir: {p['nombre']} ({p['omitida']})")
    return [p for p in paginas if not p.get("omitida")], omitidas


_TIEMPO = re.compile(r'app;dur=([\d.]+), db;dur=([\d.]+);desc="(\d+)"')


def tiempos_servidor(respuesta):
    app, db, consultas = _TIEMPO.search(respuesta.headers["Server-Timing"]).groups()
    return float(app), float(db), int(consultas)


def medir_paginas(servidor, paginas, repeticiones: int) -> dict:
    sesiones = {}
    resultados = {}
    for pagina in paginas:
        if pagina["tipo"] == "csv":
            continue
        usuario = pagina["usuario"]
        if usuario not in sesiones:
            sesiones[usuario] = _sesion(servidor.url, usuario)
        sesion = sesiones[usuario]
        for _ in range(3):
            pedir(sesion, servidor.url + pagina["url"], pagina)
        app, db, consultas, cliente = [], [], set(), []
        for _ in range(repeticiones):
            inicio = time.perf_counter()
            respuesta = pedir(sesion, servidor.url + pagina["url"], pagina)
            cliente.append((time.perf_counter() - inicio) * 1000)
            if respuesta.status_code != 200:
                raise RuntimeError(f"{pagina['nombre']}: HTTP {respuesta.status_code}")
            a, d, c = tiempos_servidor(respuesta)
            app.append(a)
            db.append(d)
            consultas.add(c)
        resultados[pagina["nombre"]] = {
            "p50_ms": round(percentil(app, 0.50), 1),
            "p95_ms": round(percentil(app, 0.95), 1),
            "p99_ms": round(percentil(app, 0.99), 1),
            "db_p50_ms": round(statistics.median(db), 1),
            "cliente_p50_ms": round(statistics.median(cliente), 1),
            "consultas": max(consultas),
            "consultas_varian": len(consultas) > 1,
        }
        avisar(f"{pagina['nombre']}: {resultados[pagina['nombre']]}")
    return {"paginas": resultados, "sesiones": sesiones}


def json_de(env, *args, entrada=None) -> dict | list:
    salida = subprocess.run(
        [PY, *args], env=env, input=entrada, capture_output=True, text=True, cwd=RAIZ
    )
    if salida.returncode:
        raise RuntimeError(salida.stderr[-3000:])
    return json.loads(salida.stdout)
