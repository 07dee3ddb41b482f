"""Issue 63, item 8: the checks that keep the house.

- No module of the code that runs (the apps that import-linter reads, and bench/) passes 600
  lines: a module that outgrows that becomes a package. Tests are not held to it (a test module
  is read one test at a time), nor are the migrations (Django writes them).
- No import circle between any two modules of the project: the apps, bench/ and tests/. An
  import under `if TYPE_CHECKING:` never runs and does not count; one inside a function does
  (bench/escala.py ↔ bench/medir.py was one). import-linter's acyclic_siblings contract keeps
  the rooms of each app; this keeps every module, whatever package it is in.
- No folder of dictamenes/ holds more than 15 modules, its __init__.py counted (issue 92, item
  5): a folder that outgrows that is more than one capability, and gives one a room of its own
  (docs/desarrollo/codigo.md). The models (one module per table family, which Django gathers)
  and the management commands (one module per command, by Django's rule) are left aside.
"""

import textwrap
import tomllib
from pathlib import Path

import grimp

RAIZ = Path(__file__).resolve().parents[2]
LIMITE = 600
LIMITE_MODULOS = 15
# Folders whose modules Django names one by one: a table family each, a command each.
SIN_LIMITE_DE_MODULOS = {"models", "commands"}


def _apps() -> list[str]:
    configuracion = tomllib.loads((RAIZ / "pyproject.toml").read_text(encoding="utf-8"))
    return configuracion["tool"]["importlinter"]["root_packages"]


def modulos_largos(raiz: Path, carpetas, limite: int = LIMITE) -> list[str]:
    """'path: lines' of each module under `carpetas` longer than `limite`, migrations aside."""
    largos = []
    for carpeta in carpetas:
        for archivo in sorted((raiz / carpeta).rglob("*.py")):
            if "migrations" in archivo.parts or "__pycache__" in archivo.parts:
                continue
            lineas = len(archivo.read_text(encoding="utf-8").splitlines())
            if lineas > limite:
                largos.append(f"{archivo.relative_to(raiz)}: {lineas}")
    return largos


def carpetas_llenas(raiz: Path, paquete: str, limite: int = LIMITE_MODULOS) -> list[str]:
    """'folder: modules' of each folder of `paquete` (itself included) holding more than
    `limite` .py modules, __init__.py counted; migrations, models and commands aside."""
    llenas = []
    for carpeta in sorted([raiz / paquete, *(raiz / paquete).rglob("*")]):
        if not carpeta.is_dir():
            continue
        partes = set(carpeta.relative_to(raiz).parts)
        if partes & {"migrations", "__pycache__"} or carpeta.name in SIN_LIMITE_DE_MODULOS:
            continue
        if (modulos := len(list(carpeta.glob("*.py")))) > limite:
            llenas.append(f"{carpeta.relative_to(raiz)}: {modulos}")
    return llenas


def ciclos(paquetes) -> list[list[str]]:
    """Each set of modules that import one another round a circle (Tarjan's strongly connected
    components over the import graph), sorted; TYPE_CHECKING imports left out."""
    grafo = grimp.build_graph(*paquetes, exclude_type_checking_imports=True, cache_dir=None)
    siguientes = {m: sorted(grafo.find_modules_directly_imported_by(m)) for m in grafo.modules}
    indice, bajo, pila, en_pila, componentes = {}, {}, [], set(), []

    def visitar(raiz):
        # Iterative, so that a deep chain of imports cannot exhaust Python's recursion.
        trabajo = [(raiz, iter(siguientes[raiz]))]
        indice[raiz] = bajo[raiz] = len(indice)
        pila.append(raiz)
        en_pila.add(raiz)
        while trabajo:
            modulo, resto = trabajo[-1]
            for otro in resto:
                if otro not in indice:
                    indice[otro] = bajo[otro] = len(indice)
                    pila.append(otro)
                    en_pila.add(otro)
                    trabajo.append((otro, iter(siguientes[otro])))
                    break
                if otro in en_pila:
                    bajo[modulo] = min(bajo[modulo], indice[otro])
            else:
                trabajo.pop()
                if trabajo:
                    padre = trabajo[-1][0]
                    bajo[padre] = min(bajo[padre], bajo[modulo])
                if bajo[modulo] == indice[modulo]:
                    componente = []
                    while True:
                        otro = pila.pop()
                        en_pila.discard(otro)
                        componente.append(otro)
                        if otro == modulo:
                            break
                    componentes.append(sorted(componente))

    for modulo in sorted(siguientes):
        if modulo not in indice:
            visitar(modulo)
    return sorted(c for c in componentes if len(c) > 1 or c[0] in siguientes[c[0]])


def test_ningun_modulo_pasa_de_600_lineas():
    largos = modulos_largos(RAIZ, [*_apps(), "bench"])
    assert largos == [], f"Módulos de más de {LIMITE} líneas (hágalos paquete):\n" + "\n".join(
        largos
    )


def test_ninguna_carpeta_de_dictamenes_pasa_de_15_modulos():
    llenas = carpetas_llenas(RAIZ, "dictamenes")
    assert llenas == [], (
        f"Carpetas de más de {LIMITE_MODULOS} módulos (dele a una capacidad su cuarto):\n"
        + "\n".join(llenas)
    )


def test_ningun_ciclo_de_importaciones():
    encontrados = ciclos([*_apps(), "bench", "tests"])
    assert encontrados == [], "Ciclos de importación:\n" + "\n".join(
        " ↔ ".join(c) for c in encontrados
    )


def _paquete(raiz: Path, nombre: str, modulos: dict[str, str]) -> None:
    (raiz / nombre).mkdir()
    (raiz / nombre / "__init__.py").write_text("")
    for modulo, texto in modulos.items():
        (raiz / nombre / f"{modulo}.py").write_text(textwrap.dedent(texto))


def test_el_limite_cuenta_lineas_y_deja_fuera_las_migraciones(tmp_path):
    _paquete(
        tmp_path,
        "casa",
        {"justo": "x = 1\n" * LIMITE, "largo": "x = 1\n" * (LIMITE + 1)},
    )
    (tmp_path / "casa" / "migrations").mkdir()
    (tmp_path / "casa" / "migrations" / "0001_inicial.py").write_text("x = 1\n" * 900)
    assert modulos_largos(tmp_path, ["casa"]) == ["casa/largo.py: 601"]


def test_el_limite_de_una_carpeta_cuenta_su_init_y_deja_fuera_modelos_y_comandos(tmp_path):
    _paquete(tmp_path, "app", {f"m{n}": "" for n in range(LIMITE_MODULOS - 1)})
    _paquete(tmp_path / "app", "llena", {f"m{n}": "" for n in range(LIMITE_MODULOS)})
    for aparte in ("models", "migrations"):
        _paquete(tmp_path / "app", aparte, {f"m{n}": "" for n in range(40)})
    (tmp_path / "app" / "management").mkdir()
    _paquete(tmp_path / "app" / "management", "commands", {f"c{n}": "" for n in range(40)})
    # app: 14 modules and its __init__.py, 15; app/llena: 15 and its __init__.py, 16.
    assert carpetas_llenas(tmp_path, "app") == ["app/llena: 16"]


def test_un_ciclo_dentro_de_una_funcion_cuenta_y_uno_de_tipos_no(tmp_path, monkeypatch):
    _paquete(
        tmp_path,
        "ciclica",
        {
            "a": "from ciclica import b\n",
            "b": "def f():\n    from ciclica import a\n",
            "c": "from ciclica import d\n",
            "d": """\
                from typing import TYPE_CHECKING

                if TYPE_CHECKING:
                    from ciclica import c
                """,
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))  # grimp finds it there; it is read, not run
    assert ciclos(["ciclica"]) == [["ciclica.a", "ciclica.b"]]
