"""The pages the documentation site generates (docs/hooks/generados.py, issue 63): the code map
lists every package with its docstring (item 8), and the procedure's diagram names every node of
the flow (item 3). Each is checked against an oracle of its own: the folders on disk, and the
nodes declared in flujos/flows.py read with `ast`."""

import ast
import importlib.util
import re
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("generados", RAIZ / "docs/hooks/generados.py")
generados = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generados)


def _paquetes_en_disco() -> set[str]:
    """Every folder with an __init__.py under a top-level package, but tests and migrations."""
    return {
        init.parent.relative_to(RAIZ).as_posix()
        for raiz in RAIZ.iterdir()
        if (raiz / "__init__.py").is_file() and raiz.name != "tests"
        for init in raiz.rglob("__init__.py")
        if "migrations" not in init.parts
    }


def test_el_mapa_lista_cada_paquete_con_su_docstring():
    mapa = generados.mapa_del_codigo()
    listados = dict(re.findall(r"^#{3,4} `([^`]+)/`\n\n(.*)$", mapa, flags=re.MULTILINE))
    paquetes = _paquetes_en_disco()
    assert len(paquetes) > 60
    faltan = sorted(paquetes - set(listados))
    assert not faltan, f"el mapa del código no lista: {faltan}"
    sin_docstring = sorted(p for p in paquetes if listados[p] == "—")
    assert not sin_docstring, f"paquetes sin docstring en su __init__.py: {sin_docstring}"
    assert listados["bench"].startswith("La medición")


def _temas_del_mapa(mapa: str) -> dict[str, str]:
    """Each module row of the map, by its path: what the map says it is about."""
    temas = {}
    for bloque in re.split(r"^#{3,4} ", mapa, flags=re.MULTILINE)[1:]:
        paquete = re.match(r"`([^`]+)/`", bloque).group(1)
        for nombre, tema in re.findall(r"^\| `([^`]+\.py)` \| (.*) \|$", bloque, re.MULTILINE):
            temas[f"{paquete}/{nombre}"] = tema
    return temas


def test_el_mapa_dice_de_que_trata_cada_modulo_en_una_linea():
    """Issue 79, item 2: every module of the code that runs says its topic, and the map shows
    it in one line, the first sentence of its docstring, not the paragraph after it."""
    temas = _temas_del_mapa(generados.mapa_del_codigo())
    en_disco = {
        modulo.relative_to(RAIZ).as_posix()
        for paquete in _paquetes_en_disco()
        for modulo in (RAIZ / paquete).glob("*.py")
        if modulo.name != "__init__.py"
    }
    assert len(en_disco) > 300
    assert sorted(en_disco - set(temas)) == []
    sin_tema = sorted(m for m in en_disco if temas[m] == "—")
    assert not sin_tema, f"módulos que no dicen de qué tratan (docstring): {sin_tema}"
    # The selectors of the procedure, one topic each (they were one 568-line module).
    assert temas["dictamenes/tramite/selectors/plazos.py"].startswith("Deadlines of the")
    assert temas["dictamenes/tramite/selectors/montos.py"] == (
        "A request's amounts: the declared total against the sum of its items, and the "
        "refusal when they disagree."
    )
    # A command says it in its help, an app in its AppConfig.
    assert temas["dictamenes/management/commands/respaldo.py"].startswith("Escribe un respaldo")
    assert temas["publico/apps.py"].startswith("What anyone may read without an account")


def test_el_tema_es_la_primera_frase(tmp_path):
    modulo = tmp_path / "m.py"
    modulo.write_text(
        '"""Reads of prices (issue 62): one view, e.g. the chart. Bounded whatever the\n'
        'history.\n\nMore."""\n'
    )
    assert generados.tema(modulo) == "Reads of prices (issue 62): one view, e.g. the chart."


def _nodos_declarados() -> set[str]:
    """The class attributes of DictamenFlow built by a node class: flow.X(...) or the project's
    own nodes (flujos.nodos), whatever is chained after them."""
    arbol = ast.parse((RAIZ / "flujos" / "flows.py").read_text(encoding="utf-8"))
    clase = next(n for n in arbol.body if isinstance(n, ast.ClassDef) and n.name == "DictamenFlow")
    propios = {"Paso", "PorDatos", "RevisionDeArea"}
    nombres = set()
    for sentencia in clase.body:
        if not (isinstance(sentencia, ast.Assign) and isinstance(sentencia.value, ast.Call)):
            continue
        llamada = sentencia.value
        while isinstance(llamada.func, ast.Attribute) and isinstance(llamada.func.value, ast.Call):
            llamada = llamada.func.value
        funcion = llamada.func
        if (isinstance(funcion, ast.Name) and funcion.id in propios) or (
            isinstance(funcion, ast.Attribute)
            and isinstance(funcion.value, ast.Name)
            and funcion.value.id == "flow"
        ):
            nombres.add(sentencia.targets[0].id)
    return nombres


@pytest.fixture(scope="module")
def flujo():
    from flujos.flows import DictamenFlow

    return DictamenFlow


def test_el_diagrama_nombra_cada_nodo_del_flujo(flujo):
    declarados = _nodos_declarados()
    assert {"presentar", "admision", "revision_tecnica", "firma", "fin"} <= declarados
    svg = generados.diagrama(flujo)
    dibujados = set(re.findall(r'<g id="([^"]+)"', svg))
    assert declarados - dibujados == set()
    # The table under the diagram has a row for each node, the boundary timer included.
    pagina = generados.procedimiento(flujo)
    filas = set(re.findall(r"^\| `([^`]+)` \|", pagina, flags=re.MULTILINE))
    assert declarados | {"subsanar__timeout"} == filas
    assert dibujados == filas
    assert ">sí<" in svg and ">yes<" not in svg
