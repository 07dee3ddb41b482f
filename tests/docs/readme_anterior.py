"""What README.md said before the documentation site (commit 01fc921, 2,171 lines), as a compact
fixture: each heading with its line, and each non-empty line of its body as the line number and
a hash of the line, normalised (`normalizar`). tests/docs/test_readme.py checks that every one
of them is still somewhere: in README.md or in a page of docs/.

The fixture was written once, from git, with:

    .venv/bin/python -m tests.docs.readme_anterior
"""

import hashlib
import re
import subprocess
from pathlib import Path

COMMIT = "01fc921"
FIXTURE = Path(__file__).with_name("readme_01fc921.txt")
ENLACE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
ENCABEZADO = re.compile(r"#{1,6} ")


def normalizar(linea: str) -> str:
    """The words of a line, whatever moved around them: a heading's level, a link's target
    (the site links pages, the README linked files), emphasis and code marks, spacing."""
    linea = ENCABEZADO.sub("", linea.strip(), count=1)
    linea = ENLACE.sub(r"\1", linea)
    return " ".join(linea.replace("*", "").replace("`", "").split())


def huella(linea: str) -> str:
    return hashlib.sha256(normalizar(linea).encode("utf-8")).hexdigest()[:12]


def secciones(texto: str) -> list[tuple[int, str, list[tuple[int, str]]]]:
    """(line of the heading, heading, [(line, text)...] of its body), outside code blocks."""
    resultado, en_codigo = [], False
    for numero, linea in enumerate(texto.split("\n"), start=1):
        if linea.startswith("```"):
            en_codigo = not en_codigo
        if not en_codigo and ENCABEZADO.match(linea):
            resultado.append((numero, linea, []))
        elif linea.strip() and resultado:
            resultado[-1][2].append((numero, linea))
    return resultado


def escribir_fixture() -> None:
    texto = subprocess.run(
        ["git", "show", f"{COMMIT}:README.md"], capture_output=True, text=True, check=True
    ).stdout
    filas = []
    for numero, encabezado, cuerpo in secciones(texto):
        filas.append(f"§ {numero} {encabezado}")
        filas += [f"{n} {huella(linea)}" for n, linea in cuerpo]
    FIXTURE.write_text("\n".join(filas) + "\n", encoding="utf-8")


def leer_fixture() -> list[tuple[int, str, list[tuple[int, str]]]]:
    resultado = []
    for fila in FIXTURE.read_text(encoding="utf-8").splitlines():
        if fila.startswith("§ "):
            _, numero, encabezado = fila.split(" ", 2)
            resultado.append((int(numero), encabezado, []))
        else:
            numero, valor = fila.split(" ")
            resultado[-1][2].append((int(numero), valor))
    return resultado


if __name__ == "__main__":
    escribir_fixture()
