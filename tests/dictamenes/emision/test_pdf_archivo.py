"""The dictamen as an archival PDF, checked with the tools an archivist has: every font embedded
(pdffonts), a sound file (qpdf --check), the XMP metadata, `/Lang`, the output intent and the
true creation date (pikepdf), and text that never prints as a black box (pdftotext, and the
glyph codes drawn). PDF/A-2b is aimed at, not claimed: no PDF/A validator is available here."""

import dataclasses
import io
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta

import pikepdf
import pytest
from django.core import checks

from dictamenes.emision.documentos import fuentes
from dictamenes.emision.documentos.pdf import CondicionPdf, OpinionPdf, PartidaPdf, dictamen_pdf
from dictamenes.emision.services import integridad
from tests.backends.plugin import skip_backend
from tests.dictamenes.emision.test_pdf_dictamen import datos_de_prueba, texto_pdf
from tests.dictamenes.flujo_utils import admitida, decidir, firmar, revisar

RAROS = "cara 😀, chino 中文, campana\x07 fin"
PARTIDA = PartidaPdf(
    descripcion="Computadora de escritorio para ventanilla de atención al público",
    perfil="Cómputo · Equipo de escritorio",
    cantidad=12,
    importe="$216,000.00",
    resultado="Cumple",
)
OPINION = OpinionPdf(
    area="Cómputo", opinion="Favorable", revisor="Persona Revisora", observaciones="Sin notas."
)


def datos(partidas: int = 1, **cambios):
    return datos_de_prueba(
        partidas=(PARTIDA,) * partidas,
        opiniones=(OPINION,),
        institucion=("Gobierno del Estado de Sonora", "Subsecretaría de Gobierno Digital"),
        **cambios,
    )


def herramienta(nombre: str, paquete: str) -> str:
    ruta = shutil.which(nombre)
    if not ruta:
        skip_backend(f"falta {nombre} ({paquete})")
    return ruta


def correr(tmp_path, pdf: bytes, *orden: str) -> subprocess.CompletedProcess:
    archivo = tmp_path / "dictamen.pdf"
    archivo.write_bytes(pdf)
    return subprocess.run([*orden, str(archivo)], capture_output=True, text=True, check=False)


def fuentes_del_pdf(pdf: bytes, tmp_path) -> list[dict]:
    """pdffonts' table: one dict per font (name, type, emb)."""
    herramienta("pdffonts", "poppler-utils")
    lineas = correr(tmp_path, pdf, "pdffonts").stdout.splitlines()
    encabezado = lineas[0]
    columnas = {c: encabezado.index(c) for c in ("name", "type", "encoding", "emb", "sub")}
    return [
        {
            "name": linea[: columnas["type"]].strip(),
            "type": linea[columnas["type"] : columnas["encoding"]].strip(),
            "emb": linea[columnas["emb"] : columnas["sub"]].strip(),
        }
        for linea in lineas[2:]
    ]


@pytest.mark.parametrize("partidas", [1, 40])
def test_todas_las_fuentes_van_incrustadas_y_ninguna_es_helvetica_ni_courier(partidas, tmp_path):
    tabla = fuentes_del_pdf(dictamen_pdf(datos(partidas)), tmp_path)
    assert {f["name"].split("+")[-1] for f in tabla} == {
        "DejaVuSans",
        "DejaVuSans-Bold",
        "DejaVuSansMono",
    }
    assert all(f["emb"] == "yes" and f["type"] == "TrueType" for f in tabla), tabla


@pytest.mark.parametrize("partidas", [1, 40])
def test_qpdf_no_encuentra_errores_y_las_paginas_se_dibujan(partidas, tmp_path):
    pdf = dictamen_pdf(datos(partidas))
    revision = correr(tmp_path, pdf, herramienta("qpdf", "qpdf"), "--check")
    assert revision.returncode == 0, revision.stdout + revision.stderr
    assert "No syntax or stream encoding errors found" in revision.stdout
    # poppler draws every page without a complaint (a missing font or glyph is one).
    herramienta("pdftoppm", "poppler-utils")
    dibujo = subprocess.run(
        ["pdftoppm", "-png", "-r", "30", "-", str(tmp_path / "p")],
        input=pdf,
        capture_output=True,
        check=False,
    )
    assert dibujo.returncode == 0 and not dibujo.stderr, dibujo.stderr
    paginas = len(pikepdf.open(io.BytesIO(pdf)).pages)
    assert len(list(tmp_path.glob("p-*.png"))) == paginas
    assert paginas > 1 if partidas == 40 else paginas >= 1


def test_el_xmp_lleva_titulo_folio_institucion_idioma_fechas_e_identificacion_pdfa():
    d = datos(emitido_en=datos_de_prueba().emitido_en.replace(microsecond=250_000))
    with pikepdf.open(io.BytesIO(dictamen_pdf(d))) as pdf:
        xmp = pdf.open_metadata()
        assert xmp["dc:title"] == f"Dictamen {d.folio}"
        assert xmp["dc:identifier"] == d.folio
        assert d.folio in xmp["pdf:Keywords"]
        assert xmp["dc:creator"] == ["Subsecretaría de Gobierno Digital"]
        assert xmp["dc:description"] == d.asunto
        assert xmp["dc:language"] == {"es-MX"}
        emitido = "2026-03-09T10:15:30-07:00"  # to the second, in Hermosillo's time
        assert xmp["xmp:CreateDate"] == xmp["xmp:ModifyDate"] == emitido
        assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("2", "B")
        # The document information says the same (PDF/A asks both to agree).
        info = pdf.docinfo
        assert str(info.Title) == xmp["dc:title"]
        assert str(info.Author) == xmp["dc:creator"][0]
        assert str(info.Subject) == d.asunto
        assert str(info.Keywords) == xmp["pdf:Keywords"]
        assert str(info.Producer) == xmp["pdf:Producer"]
        assert str(info.Creator) == xmp["xmp:CreatorTool"]
        assert str(info.CreationDate) == str(info.ModDate) == "D:20260309101530-07'00'"
        assert "/Trapped" not in info


def test_el_catalogo_dice_el_idioma_y_la_intencion_de_salida_srgb():
    with pikepdf.open(io.BytesIO(dictamen_pdf(datos()))) as pdf:
        assert pdf.Root.Lang == "es-MX"
        (intencion,) = pdf.Root.OutputIntents
        assert intencion.S == pikepdf.Name.GTS_PDFA1
        assert str(intencion.OutputConditionIdentifier) == "sRGB IEC61966-2.1"
        perfil = intencion.DestOutputProfile
        assert perfil.N == 3
        icc = perfil.read_bytes()
        assert icc[36:40] == b"acsp" and icc[16:20] == b"RGB "  # an ICC profile, RGB

    # A file identifier, a digest of the content: the same dictamen gets the same one.
    def identificador(d):
        with pikepdf.open(io.BytesIO(dictamen_pdf(d))) as pdf:
            return [bytes(parte) for parte in pdf.trailer.ID]

    primero = identificador(datos())
    assert len(primero) == 2 and all(len(parte) == 16 for parte in primero)
    assert identificador(datos()) == primero
    assert identificador(datos(folio="SGD/DGPDGT/DT/2026/0008")) != primero


@pytest.mark.parametrize("dias", [0, 400])
def test_la_fecha_de_creacion_es_la_de_emision_y_no_el_2000(dias, tmp_path):
    d = datos(emitido_en=datos_de_prueba().emitido_en + timedelta(days=dias))
    herramienta("pdfinfo", "poppler-utils")
    info = correr(tmp_path, dictamen_pdf(d), "pdfinfo", "-isodates").stdout
    fechas = dict(re.findall(r"^(CreationDate|ModDate):\s+(\S+)$", info, re.MULTILINE))
    esperado = f"{d.emitido_en:%Y-%m-%dT%H:%M:%S}-07"  # poppler gives the offset's hours
    assert fechas == {"CreationDate": esperado, "ModDate": esperado}


def test_emoji_cjk_y_control_se_imprimen_como_marca_visible_y_nunca_como_caja(tmp_path):
    d = dataclasses.replace(
        datos(),
        ente=f"Ente {RAROS}",
        asunto=f"Asunto {RAROS}",
        analisis=f"Análisis {RAROS}",
        condiciones=(CondicionPdf(texto=f"Condición {RAROS}", vence=date(2026, 4, 6)),),
        firmante_nombre="Persona 😀 Firmante",
        cadena_original="||SGD|中文|😀||",
        antecedentes=(f"9 de marzo de 2026: antecedente {RAROS}.",),
        partidas=(dataclasses.replace(PARTIDA, descripcion=f"Equipo {RAROS}"),),
        opiniones=(dataclasses.replace(OPINION, observaciones=f"Nota {RAROS}"),),
    )
    pdf = dictamen_pdf(d)
    texto = texto_pdf(pdf, tmp_path)
    marcado = "cara ‹U+1F600›, chino ‹U+4E2D›‹U+6587›, campana‹U+0007› fin"
    for lugar in ("Ente", "Asunto", "Análisis", "Condiciones: 1. Condición", "antecedente"):
        assert f"{lugar} {marcado}" in texto, lugar
    assert texto.count(marcado) == 7  # and in the item's description and the opinion
    assert "Persona ‹U+1F600› Firmante" in texto
    assert "||SGD|‹U+4E2D›‹U+6587›|‹U+1F600›||" in texto
    assert not {"😀", "中", "文", "\x07", "\ufffd"} & set(texto)
    assert glifos_faltantes(pdf) == 0


def glifos_faltantes(pdf: bytes) -> int:
    """How many times a page draws code 0, reportlab's .notdef (the black box) in every
    subset of an embedded TrueType font."""
    faltan = 0
    with pikepdf.open(io.BytesIO(pdf)) as documento:
        for pagina in documento.pages:
            for operandos, operador in pikepdf.parse_content_stream(pagina):
                if str(operador) not in ("Tj", "TJ", "'", '"'):
                    continue
                for operando in operandos:
                    partes = operando if isinstance(operando, pikepdf.Array) else [operando]
                    for parte in partes:
                        if isinstance(parte, pikepdf.String):
                            faltan += bytes(parte).count(b"\x00")
    return faltan


def test_el_texto_se_compone_y_los_fines_de_linea_se_respetan():
    assert fuentes.imprimible("Acci\u006f\u0301n\r\nsegunda\tlínea") == "Acción\nsegunda línea"
    assert fuentes.imprimible("fin\x00") == "fin‹U+0000›"
    assert fuentes.imprimible("ñandú «ok» €") == "ñandú «ok» €"  # Spanish is all there
    assert fuentes.imprimible("中", fuentes.MONO) == "‹U+4E2D›"


def test_sin_las_fuentes_la_revision_del_sistema_dice_como_instalarlas(settings, tmp_path):
    assert not [e for e in checks.run_checks() if e.id == fuentes.ID_ERROR_FUENTES]
    settings.DICTAMENES_PDF_FUENTES = str(tmp_path)
    (error,) = [e for e in checks.run_checks() if e.id == fuentes.ID_ERROR_FUENTES]
    assert error.level == checks.ERROR
    assert "apt-get install fonts-dejavu-core" in error.msg
    assert "DejaVuSans.ttf" in error.msg and str(tmp_path) in error.msg


def test_el_dictamen_firmado_sigue_con_sus_fuentes_incrustadas_y_su_xmp(demo, tmp_path):
    solicitud = admitida()
    revisar(solicitud, "computo")
    dictamen = firmar(decidir(solicitud))
    pdf = integridad.dictamen_pdf_leer(dictamen=dictamen)
    assert all(f["emb"] == "yes" for f in fuentes_del_pdf(pdf, tmp_path))
    revision = correr(tmp_path, pdf, herramienta("qpdf", "qpdf"), "--check")
    assert revision.returncode == 0, revision.stdout + revision.stderr
    with pikepdf.open(io.BytesIO(pdf)) as documento:
        xmp = documento.open_metadata()
        assert xmp["dc:identifier"] == dictamen.folio
        creado = datetime.fromisoformat(xmp["xmp:CreateDate"])
        assert creado == dictamen.emitido_en.replace(microsecond=0)
        assert documento.Root.Lang == "es-MX"


def test_firmado_el_productor_y_el_creador_coinciden_en_el_xmp_y_en_la_informacion(demo):
    """PDF/A asks the document information and the XMP to agree; pyHanko signs last and
    rewrites the producer in both."""
    import pikepdf

    from dictamenes.emision.services import integridad
    from tests.dictamenes.flujo_utils import en_firma, firmar

    firmado = integridad.dictamen_pdf_leer(dictamen=firmar(en_firma(areas=("computo",))))
    with pikepdf.open(io.BytesIO(firmado)) as documento:
        xmp = documento.open_metadata()
        assert str(documento.docinfo.Producer) == xmp["pdf:Producer"]
        assert str(documento.docinfo.Creator) == xmp["xmp:CreatorTool"]
        assert "pdfaid:part" in str(documento.Root.Metadata.read_bytes())
