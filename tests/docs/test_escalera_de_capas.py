"""The layer ladder of desarrollo/codigo.md (issue 79, item 4) is drawn from pyproject.toml's
`[tool.importlinter]` when the site is built, so it cannot leave out a layer again (the hand-drawn
one left out `capacidad` and `contexto`). The oracle reads the contracts with `tomllib` on its
own and flattens them; the page is the one the site builds (its Markdown through the hook)."""

import importlib.util
import re
import tomllib
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("generados", RAIZ / "docs/hooks/generados.py")
generados = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generados)


def _capas_del_contrato(pyproject: Path) -> list[list[str]]:
    """Each layer, top to bottom, as the list of its modules: the apps' contract with the
    contract inside `dictamenes` in its place."""
    contratos = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["importlinter"]
    por_nombre = {c["name"]: c for c in contratos["contracts"]}
    apps = por_nombre[next(n for n in por_nombre if n.startswith("Apps:"))]
    dentro = por_nombre[next(n for n in por_nombre if n.startswith("Inside dictamenes:"))]
    assert dentro["containers"] == ["dictamenes"]
    capas = []
    for capa in apps["layers"]:
        subcapas = dentro["layers"] if capa == "dictamenes" else [capa]
        capas += [[m.strip() for m in sub.split("|")] for sub in subcapas]
    return capas


def _escalera_dibujada(markdown: str) -> list[list[str]]:
    """The rungs of the first code block under «## Las capas», without the connectors and the
    app's name on the margin."""
    seccion = markdown.split("## Las capas", 1)[1]
    bloque = re.search(r"```\n(.*?)```", seccion, flags=re.DOTALL).group(1)
    peldanos = []
    for linea in bloque.splitlines():
        nombres = [p for p in linea.split() if p not in {"│", "·", "dictamenes:"}]
        if nombres:
            peldanos.append(nombres)
    return peldanos


def test_la_escalera_del_sitio_muestra_cada_capa_del_contrato_en_su_orden():
    pagina = (RAIZ / "docs/desarrollo/codigo.md").read_text(encoding="utf-8")
    construida = generados.on_page_markdown(pagina, page=None, config=None, files=None)
    capas = _capas_del_contrato(RAIZ / "pyproject.toml")
    assert {"capacidad", "contexto", "consola"} <= {m for capa in capas for m in capa}
    assert _escalera_dibujada(construida) == capas


def test_una_capa_nueva_del_contrato_aparece_en_la_escalera(tmp_path):
    """A layer added to the contract shows up in its place, with no edit of the page."""
    texto = (RAIZ / "pyproject.toml").read_text(encoding="utf-8")
    texto = texto.replace('    "consola",\n', '    "consola",\n    "sala_nueva | otra",\n', 1)
    texto = texto.replace('    "config",\n', '    "config",\n    "sitio_nuevo",\n', 1)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(texto, encoding="utf-8")
    capas = _capas_del_contrato(pyproject)
    assert ["sala_nueva", "otra"] in capas and ["sitio_nuevo"] in capas
    assert _escalera_dibujada("## Las capas\n" + generados.escalera_de_capas(pyproject)) == capas
