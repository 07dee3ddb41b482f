"""The mixed load's weights and what a request of it pays, part by part.

make bench weights each page by how many times locust asked for it; make bench-escala runs no
load, so it weights each page as bench/locustfile.py declares (each person's class weight
times its task's share), read from the file itself without importing locust (which patches
the standard library with gevent on import).
"""

import ast
from pathlib import Path

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"


def _decorador_task(decorador) -> int | None:
    """The weight of a @task or @task(k) decorator; None for any other."""
    if isinstance(decorador, ast.Name) and decorador.id == "task":
        return 1
    if (
        isinstance(decorador, ast.Call)
        and isinstance(decorador.func, ast.Name)
        and decorador.func.id == "task"
    ):
        return decorador.args[0].value if decorador.args else 1
    return None


def _pagina_abierta(funcion) -> str | None:
    """The page a task opens: its self.abrir("…") call."""
    for nodo in ast.walk(funcion):
        if (
            isinstance(nodo, ast.Call)
            and isinstance(nodo.func, ast.Attribute)
            and nodo.func.attr == "abrir"
        ):
            return nodo.args[0].value
    return None


def pesos_declarados(fuente: str | None = None) -> dict[str, float]:
    """Each page's share of the requests as the locustfile declares it (they add up to 1)."""
    arbol = ast.parse(fuente if fuente is not None else LOCUSTFILE.read_text(encoding="utf-8"))
    pesos: dict[str, float] = {}
    for clase in (n for n in arbol.body if isinstance(n, ast.ClassDef)):
        peso_clase = next(
            (
                n.value.value
                for n in clase.body
                if isinstance(n, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "weight" for t in n.targets)
            ),
            None,
        )
        tareas = {}
        for funcion in (n for n in clase.body if isinstance(n, ast.FunctionDef)):
            pesos_task = [p for d in funcion.decorator_list if (p := _decorador_task(d))]
            pagina = _pagina_abierta(funcion)
            if pesos_task and pagina:
                tareas[pagina] = tareas.get(pagina, 0) + pesos_task[0]
        if peso_clase is None or not tareas:
            continue
        total = sum(tareas.values())
        for pagina, peso in tareas.items():
            pesos[pagina] = pesos.get(pagina, 0.0) + peso_clase * peso / total
    suma = sum(pesos.values())
    return {pagina: peso / suma for pagina, peso in pesos.items()}


def escalado(p50_ms: float, perfil: dict) -> dict[str, float]:
    """A page's profile in milliseconds of its measured p50: the profiler's shares applied to
    the time the page took without it."""
    total = sum(perfil["partes_ms"].values()) or 1.0
    return {parte: ms / total * p50_ms for parte, ms in perfil["partes_ms"].items()}


def por_parte(paginas: dict[str, dict], pesos: dict[str, float]) -> dict[str, float]:
    """What one request of the mixed load pays, ms by part: each page's profile scaled to its
    p50 and weighted. paginas: name → {"p50_ms", "perfil"}; pages without a profile or a
    weight do not count."""
    cuenta: dict[str, float] = {}
    total = 0.0
    for nombre, m in paginas.items():
        peso = pesos.get(nombre, 0)
        if not peso or "perfil" not in m:
            continue
        total += peso
        for parte, ms in escalado(m["p50_ms"], m["perfil"]).items():
            cuenta[parte] = cuenta.get(parte, 0.0) + ms * peso
    return {parte: ms / total for parte, ms in cuenta.items()} if total else {}
