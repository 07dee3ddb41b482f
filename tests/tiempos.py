"""pytest plugin: where the suite's time goes, per test phase and per fixture.

    pytest -p tests.tiempos --tiempos=var/tiempos.json
    python -m tests.tiempos var/tiempos.json              # tables per file and per fixture
    python -m tests.tiempos --lentas 25 var/tiempos.json  # the 25 slowest tests
    python -m tests.tiempos --fase "Fase 1" var/uno.json 540 --fase …  # make test's closing table

Each test's setup, call and teardown come from pytest's own reports (what ``--durations``
prints); each fixture's setup is timed around ``pytest_fixture_setup``, so a session fixture
counts once, where it first ran. Under pytest-xdist every worker writes its own file
(``<name>.<worker>.json``) and the tables add them up.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

_datos: dict = {"pruebas": {}, "fixtures": defaultdict(lambda: [0, 0.0])}


def pytest_addoption(parser):
    parser.addoption("--tiempos", default=None, help="Archivo JSON con los tiempos por fase.")


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    inicio = time.perf_counter()
    try:
        return (yield)
    finally:
        registro = _datos["fixtures"][f"{fixturedef.argname} ({fixturedef.scope})"]
        registro[0] += 1
        registro[1] += time.perf_counter() - inicio


def pytest_runtest_logreport(report):
    fases = _datos["pruebas"].setdefault(report.nodeid, {})
    fases[report.when] = round(report.duration, 4)
    if report.when == "call" or report.failed:
        fases["resultado"] = report.outcome


def pytest_sessionfinish(session):
    destino = session.config.getoption("--tiempos")
    if not destino:
        return
    destino = Path(destino)
    trabajador = os.environ.get("PYTEST_XDIST_WORKER")
    if trabajador:
        destino = destino.with_name(f"{destino.stem}.{trabajador}{destino.suffix}")
    destino.parent.mkdir(parents=True, exist_ok=True)
    destino.write_text(
        json.dumps(
            {"pruebas": _datos["pruebas"], "fixtures": dict(_datos["fixtures"])},
            ensure_ascii=False,
            indent=0,
        ),
        encoding="utf-8",
    )


def _leer(rutas: list[Path]) -> tuple[dict, dict]:
    pruebas: dict = {}
    fixtures: dict = defaultdict(lambda: [0, 0.0])
    for ruta in rutas:
        datos = json.loads(ruta.read_text(encoding="utf-8"))
        pruebas.update(datos["pruebas"])
        for nombre, (veces, segundos) in datos["fixtures"].items():
            fixtures[nombre][0] += veces
            fixtures[nombre][1] += segundos
    return pruebas, fixtures


def tablas(rutas: list[Path], filas: int = 40) -> str:
    pruebas, fixtures = _leer(rutas)
    por_archivo: dict = defaultdict(lambda: [0, 0.0, 0.0, 0.0])
    for nodeid, fases in pruebas.items():
        fila = por_archivo[nodeid.split("::")[0]]
        fila[0] += 1
        fila[1] += fases.get("setup", 0.0)
        fila[2] += fases.get("call", 0.0)
        fila[3] += fases.get("teardown", 0.0)
    total = [sum(f[i] for f in por_archivo.values()) for i in range(4)]
    lineas = [
        f"{len(pruebas)} pruebas; setup {total[1]:.0f} s, call {total[2]:.0f} s, "
        f"teardown {total[3]:.0f} s (suma de fases, no tiempo de reloj)",
        "",
        "| archivo | pruebas | setup s | call s | teardown s |",
        "|---|---:|---:|---:|---:|",
    ]
    orden = sorted(por_archivo.items(), key=lambda kv: -(kv[1][1] + kv[1][2] + kv[1][3]))
    for archivo, (n, s, c, t) in orden[:filas]:
        lineas.append(f"| {archivo} | {n} | {s:.1f} | {c:.1f} | {t:.1f} |")
    lineas += ["", "| fixture (alcance) | veces | setup s |", "|---|---:|---:|"]
    for nombre, (veces, segundos) in sorted(fixtures.items(), key=lambda kv: -kv[1][1])[:filas]:
        lineas.append(f"| {nombre} | {veces} | {segundos:.1f} |")
    return "\n".join(lineas)


def lentas(rutas: list[Path], cuantas: int) -> str:
    """The slowest tests, setup and teardown included (what --durations would list)."""
    pruebas, _ = _leer(rutas)
    total = {
        nodeid: sum(fases.get(f, 0.0) for f in ("setup", "call", "teardown"))
        for nodeid, fases in pruebas.items()
    }
    orden = sorted(total.items(), key=lambda kv: -kv[1])[:cuantas]
    lineas = [f"Las {len(orden)} pruebas más lentas (setup + call + teardown):"]
    lineas += [f"{segundos:8.1f} s  {nodeid}" for nodeid, segundos in orden]
    return "\n".join(lineas)


def resumen(fases: list[tuple[str, list[Path], float]]) -> str:
    """What `make test` prints at its end: for each phase (its name, the files its run wrote,
    the seconds of wall clock it took), the time of its tests, the sum of every test's setup,
    call and teardown (what the workers spent, so above the clock when they run side by side),
    and the clock's. A phase that wrote no times says so."""
    ancho = max(len(nombre) for nombre, _, _ in fases) + 1
    lineas = ["Tiempo de cada fase:"]
    total_pruebas = total_reloj = 0.0
    for nombre, rutas, reloj in fases:
        total_reloj += reloj
        pruebas, _ = _leer(rutas)
        segundos = sum(
            t.get(f, 0.0) for t in pruebas.values() for f in ("setup", "call", "teardown")
        )
        total_pruebas += segundos
        cuantas = (
            f"{len(pruebas)} prueba{'s' if len(pruebas) > 1 else ''}"
            if pruebas
            else "sin tiempos de pruebas"
        )
        lineas.append(
            f"  {nombre + ':':<{ancho}} {segundos:5.0f} s de pruebas, {reloj:5.0f} s de reloj"
            f" ({cuantas})"
        )
    lineas.append(
        f"  {'Total:':<{ancho}} {total_pruebas:5.0f} s de pruebas, {total_reloj:5.0f} s de reloj"
    )
    return "\n".join(lineas)


def _rutas(argumentos: list[str]) -> list[Path]:
    # Each name also brings the files its xdist workers wrote (<name>.gw0.json, …).
    rutas: set[Path] = set()
    for argumento in argumentos:
        base = Path(argumento)
        rutas.update(p for p in base.parent.glob(f"{base.stem}*{base.suffix}") if p.is_file())
    return sorted(rutas)


if __name__ == "__main__":
    import argparse

    analizador = argparse.ArgumentParser(description="Tablas de tiempos de la suite.")
    analizador.add_argument("archivos", nargs="*", help="los --tiempos de cada corrida")
    analizador.add_argument("--lentas", type=int, default=0, help="solo las N más lentas")
    analizador.add_argument(
        "--fase",
        nargs=3,
        action="append",
        metavar=("NOMBRE", "ARCHIVO", "SEGUNDOS"),
        help="el resumen de make test: una fase, sus --tiempos y sus segundos de reloj",
    )
    opciones = analizador.parse_args()
    if opciones.fase:
        print(resumen([(n, _rutas([a]), float(s)) for n, a, s in opciones.fase]))
        sys.exit(0)
    if not opciones.archivos:
        analizador.error("faltan los archivos de tiempos")
    rutas = _rutas(opciones.archivos)
    if not rutas:
        sys.exit(f"No hay tiempos en {' '.join(opciones.archivos)}")
    print(lentas(rutas, opciones.lentas) if opciones.lentas else tablas(rutas))
