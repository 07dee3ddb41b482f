"""Text: HTML, script and spreadsheet formulas typed into every free-text field on the way from
a draft to an issued (then rectified and cancelled) dictamen. Every page shows them escaped,
the signed PDFs and the expediente's report show them literally, the open data and the
exports carry them neutralised.

How the world is built and what is counted: the package docstring (hostiles/__init__.py)."""

import csv
import io
import json
import zipfile
from pathlib import PurePosixPath

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from estandares import entradas
from tests.seguridad.hostiles.datos import (
    INICIO_DE_FORMULA,
    MB,
    MENSAJE_400,
    NOMBRE_JEFA,
    TEXTOS,
    TITULOS_EXTRA,
    compacto,
    enviar,
    html_de,
    pdftotexto,
    sin_marcado_crudo,
)

pytestmark = pytest.mark.django_db


# === 2. Text ==================================================================================


def test_texto_con_caracter_nulo_o_enorme_se_rechaza(mundo):
    cliente = mundo.cliente("requirente.sh")
    datos = {
        "tipo_operacion": "adquisicion",
        "titulo": "Título con \x00 nulo",
        "ejercicio": timezone.localdate().year,
        "monto_estimado": "1000.00",
        "justificacion": "Prueba de textos hostiles.",
        "alineacion": "Prueba.",
    }
    respuesta, antes, despues = enviar(
        "texto", lambda: cliente.post(reverse("solicitudes:nueva"), datos)
    )
    assert respuesta.status_code == 400
    # NUL is named with the other control characters (estandares.entradas).
    error = entradas.ERROR_CARACTERES % {"caracteres": "U+0000"}
    assert escape(str(error)) in html_de(respuesta)
    assert despues == antes
    # Over DATA_UPLOAD_MAX_MEMORY_SIZE: Django refuses the body before the view.
    enorme = datos | {"titulo": "Título", "justificacion": "x" * (3 * MB)}
    respuesta, antes, despues = enviar(
        "texto", lambda: cliente.post(reverse("solicitudes:nueva"), enorme)
    )
    assert respuesta.status_code == 400
    assert MENSAJE_400 in html_de(respuesta)
    assert despues == antes


def _detalle(clave):
    return lambda m: reverse("solicitudes:detalle", args=[m.ids[clave]])


# The request's page shows all of its own texts (its history holds the reasons).
TODO_EN_EL_DETALLE = tuple(
    c for c in TEXTOS if c not in {"declaracion", "suplencia", "reasignacion", "programa"}
)

# (who, which page, which hostile texts it must show): every page where they appear.
PAGINAS = {
    "detalle-auditor": ("auditor", _detalle("principal"), TODO_EN_EL_DETALLE),
    "detalle-requirente": ("requirente.sh", _detalle("principal"), TODO_EN_EL_DETALLE),
    "detalle-firmante": ("firmante", _detalle("principal"), TODO_EN_EL_DETALLE),
    "detalle-reasignada": (
        "jefa.redes",
        _detalle("bandeja"),
        ("titulo_bandeja", "reasignacion", "partida_bandeja", "etiqueta_bandeja", "nombre_jefa"),
    ),
    "inicio-jefa": ("jefa.redes", lambda m: reverse("inicio"), ("nombre_jefa",)),
    "partida": (
        "requirente.sh",
        lambda m: reverse(
            "solicitudes:partida", args=[m.ids["borrador_hostil"], m.ids["partida_borrador"]]
        ),
        ("partida", "declaracion"),
    ),
    "lista-requirente": ("requirente.sh", lambda m: reverse("solicitudes:lista"), ("titulo",)),
    "lista-auditor": ("auditor", lambda m: reverse("solicitudes:lista"), ("titulo",)),
    "cola-mesa": ("mesa", lambda m: "/flujos/workflow/queue/", ("titulo_cola",)),
    "bandeja-jefa": ("jefa.redes", lambda m: "/flujos/workflow/inbox/", ("titulo_bandeja",)),
    "concluidas-revisor": ("revisor.computo", lambda m: "/flujos/workflow/archive/", ("titulo",)),
    # The register shows the agency (its name in the acronym's title), not the subject.
    "registro": (None, lambda m: reverse("registro"), ("ente",)),
    "verificar-rectificado": (
        None,
        lambda m: reverse("verificar_folio", args=[m.ids["folio_original"]]),
        ("titulo", "ente", "rectificacion"),
    ),
    "verificar-cancelado": (
        None,
        lambda m: reverse("verificar_folio", args=[m.ids["folio_rectificado"]]),
        ("titulo", "ente", "cancelacion"),
    ),
    "indicadores": ("auditor", lambda m: reverse("indicadores"), ("ente",)),
    "programa": ("requirente.sh", lambda m: reverse("planeacion:programa"), ("programa",)),
    "suplencias": ("revisor.redes", lambda m: reverse("solicitudes:suplencias"), ("suplencia",)),
    "admin-suplencia": (
        "admin",
        lambda m: reverse("admin:dictamenes_sustitucion_change", args=[m.ids["sustitucion"]]),
        ("suplencia",),
    ),
    "admin-entes": ("admin", lambda m: reverse("admin:dictamenes_ente_changelist"), ("ente",)),
    "admin-persona": (
        "admin",
        lambda m: reverse("admin:auth_user_change", args=[m.ids["jefa"]]),
        ("nombre_jefa",),
    ),
}
NOMBRES = {
    **TEXTOS,
    **TITULOS_EXTRA,
    "nombre_jefa": NOMBRE_JEFA,
    # The reviewer's form labels each item's opinion with the item's description.
    "etiqueta_bandeja": f"Opinión técnica de «{TITULOS_EXTRA['partida_bandeja']}»",
}


@pytest.mark.parametrize("pagina", PAGINAS, ids=str)
def test_cada_pagina_muestra_el_texto_escapado(mundo, pagina):
    username, url, campos = PAGINAS[pagina]
    respuesta = mundo.clientes[username].get(url(mundo))
    assert respuesta.status_code == 200
    html = html_de(respuesta)
    for campo in campos:
        assert escape(NOMBRES[campo]) in html, f"falta {campo}"
    sin_marcado_crudo(html)
    assert "<b>Jefa</b>" not in html


EN_EL_PDF = ("titulo", "ente", "partida", "observaciones")


@pytest.mark.parametrize(
    ("dictamen", "campos"),
    [
        ("dictamen_original", (*EN_EL_PDF, "motivos", "condiciones")),
        ("dictamen_rectificado", (*EN_EL_PDF, "motivos_rect", "condiciones_rect")),
    ],
    ids=["original", "rectificado"],
)
def test_el_pdf_firmado_muestra_el_texto_literal(mundo, dictamen, campos):
    """reportlab's Paragraph reads markup: unescaped, <img src=x> would stop the rendering
    (a 500 at signing) and <b> would silently change the document."""
    respuesta = mundo.cliente("auditor").get(
        reverse("solicitudes:dictamen_pdf", args=[mundo.ids["principal"], mundo.ids[dictamen]])
    )
    assert respuesta.status_code == 200
    texto = pdftotexto(respuesta.content)
    for campo in campos:
        assert compacto(NOMBRES[campo]) in texto, f"falta {campo}"


def test_el_expediente_zip_lleva_el_texto_literal_y_rutas_seguras(mundo):
    respuesta = mundo.cliente("auditor").get(
        reverse("solicitudes:expediente", args=[mundo.ids["principal"]])
    )
    assert respuesta.status_code == 200
    zf = zipfile.ZipFile(io.BytesIO(respuesta.content))
    nombres = zf.namelist()
    for nombre in nombres:
        ruta = PurePosixPath(nombre)
        assert not ruta.is_absolute() and ".." not in ruta.parts and "\\" not in nombre
    assert any(n.startswith("anexos/") and n.endswith(TEXTOS["anexo"]) for n in nombres)
    # The report: every reason and description as typed, literally.
    informe = pdftotexto(zf.read("historial.pdf"))
    for campo in (
        "titulo",
        "partida",
        "anexo",
        "faltantes",
        "subsanacion",
        "pregunta",
        "respuesta",
        "observaciones",
        "motivos",
        "rectificacion",
        "cancelacion",
    ):
        assert compacto(NOMBRES[campo]) in informe, f"falta {campo}"
    # The timeline as data: the same text, unchanged.
    motivos = {e["motivo"] for e in json.loads(zf.read("historial.json"))["eventos"]}
    for campo in ("faltantes", "subsanacion", "pregunta", "respuesta", "observaciones", "motivos"):
        assert TEXTOS[campo] in motivos


def _filas_csv(contenido: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(contenido.decode("utf-8-sig"))))


def _sin_formulas(filas) -> None:
    for fila in filas:
        for celda in fila:
            assert not celda.startswith(INICIO_DE_FORMULA), f"celda sin neutralizar: {celda!r}"


def test_datos_abiertos_csv_neutraliza_formulas(mundo):
    respuesta = mundo.clientes[None].get(reverse("datos_csv"))
    assert respuesta.status_code == 200
    filas = _filas_csv(b"".join(respuesta.streaming_content))
    encabezado, datos = filas[0], filas[1:]
    asuntos = {fila[encabezado.index("asunto")] for fila in datos}
    entes = {fila[encabezado.index("ente")] for fila in datos}
    for clave in ("titulo", "titulo_menos", "titulo_arroba"):
        assert "'" + NOMBRES[clave] in asuntos
    assert entes == {"'" + TEXTOS["ente"]}
    _sin_formulas(filas)


def test_datos_abiertos_json_y_api_llevan_el_texto_tal_cual(mundo):
    respuesta = mundo.clientes[None].get(reverse("datos_json"))
    assert respuesta["Content-Type"].startswith("application/json")
    datos = json.loads(b"".join(respuesta.streaming_content))["dictamenes"]
    por_folio = {d["folio"]: d for d in datos}
    assert por_folio[mundo.ids["folio_original"]]["asunto"] == TEXTOS["titulo"]
    assert por_folio[mundo.ids["folio_original"]]["ente"] == TEXTOS["ente"]
    api = mundo.cliente("auditor").get(f"/api/v1/solicitudes/{mundo.ids['principal']}/")
    assert api["Content-Type"].startswith("application/json")
    assert api.json()["titulo"] == TEXTOS["titulo"]
    assert api.json()["justificacion"] == TEXTOS["justificacion"]


def test_exportaciones_de_indicadores_sin_formulas(mundo):
    """The indicators carry no free text (per fiscal year: counts and amounts); what is
    checked is that nothing in them is a formula, in the CSV or in the XLSX."""
    cliente = mundo.cliente("auditor")
    respuesta = cliente.get(reverse("indicadores_exportar", args=["csv"]))
    assert respuesta.status_code == 200
    filas = _filas_csv(respuesta.content)
    assert len(filas) > 1
    _sin_formulas(filas)
    respuesta = cliente.get(reverse("indicadores_exportar", args=["xlsx"]))
    assert respuesta.status_code == 200
    hoja = load_workbook(io.BytesIO(respuesta.content)).active
    celdas = [c for fila in hoja.iter_rows() for c in fila]
    assert len(celdas) > len(filas[0])
    assert all(c.data_type != "f" for c in celdas)
