"""Mixed load for make bench: the people of the year-end rush at once.

Two ways: saturation (BENCH_ESPERA unset: nobody waits between clicks, the server's ceiling)
and the burst as people make it (BENCH_ESPERA="5,15": each person reads 5 to 15 s before each
click, the first one included). The pages and the session cookie of each role come from
BENCH_PAGINAS (written by bench/medir.py, which logs in once per role so the load measures
pages, not password hashing).
"""

import json
import os

from locust import FastHttpUser, between, constant, task

with open(os.environ["BENCH_PAGINAS"], encoding="utf-8") as archivo:
    _DATOS = json.load(archivo)
PAGINAS = {p["nombre"]: p for p in _DATOS["paginas"]}
SESIONES = _DATOS["sesiones"]
_ESPERA = os.environ.get("BENCH_ESPERA")


class _Persona(FastHttpUser):
    abstract = True
    wait_time = between(*map(float, _ESPERA.split(","))) if _ESPERA else constant(0)
    usuario = None

    def on_start(self):
        if self.usuario:
            self.client.cookiejar.set_cookie(
                _cookie("sessionid", SESIONES[self.usuario], self.host)
            )
        if _ESPERA:
            # People arrive reading, not all in the same millisecond: each one's first click
            # also comes 5 to 15 s in (locust would otherwise fire all 50 first clicks at once).
            self.wait()

    def abrir(self, nombre):
        pagina = PAGINAS[nombre]
        with self.client.get(pagina["url"], name=nombre, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")


def _cookie(nombre, valor, host):
    from http.cookiejar import Cookie
    from urllib.parse import urlparse

    dominio = urlparse(host).hostname
    return Cookie(0, nombre, valor, None, False, dominio, False, False, "/", True, False,
                  None, False, None, None, {})  # fmt: skip


class Ciudadano(_Persona):
    weight = 4

    @task(3)
    def registro(self):
        self.abrir("Registro público")

    @task(3)
    def verificar(self):
        self.abrir("Verificar un folio")

    @task(1)
    def api_registro(self):
        self.abrir("API registro público")


class Revisor(_Persona):
    weight = 3
    usuario = "revisor.computo"

    @task(3)
    def bandeja(self):
        self.abrir("Bandeja (revisor)")

    @task(2)
    def cola(self):
        self.abrir("Cola (revisor)")

    @task(3)
    def detalle(self):
        self.abrir("Detalle con historial")

    @task(1)
    def lista(self):
        self.abrir("Solicitudes por ente, año y texto (revisor)")


class Requirente(_Persona):
    weight = 2
    usuario = "requirente.sh"

    @task
    def mis_solicitudes(self):
        self.abrir("Mis solicitudes (requirente)")


class Mesa(_Persona):
    weight = 1
    usuario = "mesa"

    @task
    def cola(self):
        self.abrir("Cola (mesa de control)")


class Auditor(_Persona):
    weight = 2
    usuario = "auditor"

    @task(3)
    def busqueda(self):
        self.abrir("Búsqueda filtrada (auditor)")

    @task(1)
    def indicadores(self):
        self.abrir("Indicadores")

    @task(1)
    def todas(self):
        self.abrir("Todas las solicitudes (auditor)")

    @task(1)
    def api(self):
        self.abrir("API solicitudes")
