"""Validation of uploaded anexos: kind by content, size, name and digest (no database)."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import SimpleUploadedFile

from dictamenes.comun import archivos
from dictamenes.comun.archivos import (
    ADVERTENCIA_PDF_INCRUSTADOS,
    ADVERTENCIA_PDF_JAVASCRIPT,
    ERROR_EXTENSION_NO_COINCIDE,
    ERROR_NOMBRE,
    ERROR_OFFICE_DANADO,
    ERROR_TAMANO,
    ERROR_TIPO,
    ERROR_VACIO,
    ERROR_ZIP_BOMBA,
    TIPOS,
    ArchivoValidado,
    sha256_de,
    validar_anexo,
)
from dictamenes.tramite.services import solicitudes
from tests.dictamenes.flujo_utils import pdf_valido as _pdf

MB = 1024 * 1024

MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIME_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIME_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
MIME_ODT = "application/vnd.oasis.opendocument.text"
MIME_ODS = "application/vnd.oasis.opendocument.spreadsheet"
MIME_ODP = "application/vnd.oasis.opendocument.presentation"

# --- Builders -------------------------------------------------------------------------------


PDF = _pdf()


def _zip(miembros, *, compresion=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compresion) as zf:
        for nombre, contenido in miembros:
            zf.writestr(nombre, contenido)
    return buffer.getvalue()


def _ooxml(carpeta: str, principal: str, tipo_principal: str, *, rels: bool = True) -> bytes:
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{carpeta}/{principal}" ContentType="{tipo_principal}"/>'
        "</Types>"
    )
    relaciones = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'officeDocument" Target="{carpeta}/{principal}"/>'
        "</Relationships>"
    )
    miembros = [("[Content_Types].xml", content_types)]
    if rels:
        miembros.append(("_rels/.rels", relaciones))
    miembros.append((f"{carpeta}/{principal}", "<?xml version='1.0'?><raiz/>"))
    return _zip(miembros)


def _docx(**kwargs) -> bytes:
    return _ooxml(
        "word",
        "document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        **kwargs,
    )


def _xlsx() -> bytes:
    return _ooxml(
        "xl",
        "workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    )


def _pptx() -> bytes:
    return _ooxml(
        "ppt",
        "presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    )


def _odf(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        # OpenDocument: "mimetype" first and stored (uncompressed).
        zf.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", "<manifest:manifest/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# OLE2 compound file: signature plus the rest of a 512-byte header.
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)


def _subido(nombre: str, contenido: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(nombre, contenido, content_type="application/octet-stream")


def _error(archivo) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        validar_anexo(archivo)
    return excinfo.value


def _mensaje(plantilla, **params) -> str:
    return str(plantilla % params) if params else str(plantilla)


# --- Accepted kinds -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nombre", "contenido", "extension", "content_type"),
    [
        ("oficio de solicitud.pdf", PDF, "pdf", "application/pdf"),
        ("anexo técnico.docx", _docx(), "docx", MIME_DOCX),
        ("cotizaciones.xlsx", _xlsx(), "xlsx", MIME_XLSX),
        ("presentación.pptx", _pptx(), "pptx", MIME_PPTX),
        ("justificación.odt", _odf(MIME_ODT), "odt", MIME_ODT),
        ("cotizaciones.ods", _odf(MIME_ODS), "ods", MIME_ODS),
        ("presentación.odp", _odf(MIME_ODP), "odp", MIME_ODP),
        ("oficio.doc", OLE2, "doc", "application/msword"),
        ("cotizaciones.xls", OLE2, "xls", "application/vnd.ms-excel"),
        ("presentación.ppt", OLE2, "ppt", "application/vnd.ms-powerpoint"),
        ("OFICIO.PDF", PDF, "pdf", "application/pdf"),
        ("Anexo.DocX", _docx(), "docx", MIME_DOCX),
    ],
)
def test_acepta_pdf_y_documentos_de_oficina(nombre, contenido, extension, content_type):
    resultado = validar_anexo(_subido(nombre, contenido))

    assert resultado == ArchivoValidado(
        nombre=nombre,
        extension=extension,
        content_type=content_type,
        tamano=len(contenido),
        sha256=hashlib.sha256(contenido).hexdigest(),
        advertencias=(),
    )


def test_docx_sin_relaciones_se_reconoce_por_su_carpeta():
    resultado = validar_anexo(_subido("anexo.docx", _docx(rels=False)))

    assert resultado.content_type == MIME_DOCX


def test_digest_y_posicion_al_inicio():
    contenido = PDF + b"%" + bytes(range(256)) * 1000
    archivo = _subido("oficio.pdf", contenido)
    archivo.read(10)

    resultado = validar_anexo(archivo)

    assert resultado.sha256 == hashlib.sha256(contenido).hexdigest()
    assert resultado.tamano == len(contenido)
    assert archivo.tell() == 0
    assert archivo.read() == contenido


def test_digest_por_trozos_de_un_archivo_en_disco(tmp_path):
    # Several chunks: the digest and the PDF scan must not depend on chunk boundaries.
    contenido = _pdf(b"<< /S /JavaScript /JS (app.alert(1)) >>") + bytes(
        3 * File.DEFAULT_CHUNK_SIZE
    )
    ruta = tmp_path / "oficio.pdf"
    ruta.write_bytes(contenido)

    with ruta.open("rb") as manejador:
        archivo = File(manejador, name="oficio.pdf")
        resultado = validar_anexo(archivo)
        assert archivo.tell() == 0
        assert sha256_de(archivo) == hashlib.sha256(contenido).hexdigest()

    assert resultado.sha256 == hashlib.sha256(contenido).hexdigest()
    assert resultado.advertencias == (str(ADVERTENCIA_PDF_JAVASCRIPT),)


def test_sha256_de_archivo_y_de_objeto_binario():
    contenido = b"contenido guardado" * 10_000
    archivo = _subido("anexo.pdf", contenido)
    archivo.read(5)
    binario = io.BytesIO(contenido)
    binario.read(5)

    esperado = hashlib.sha256(contenido).hexdigest()
    assert sha256_de(archivo) == esperado
    assert archivo.tell() == 0
    assert sha256_de(binario) == esperado
    assert binario.tell() == 0


# --- Size -----------------------------------------------------------------------------------


def test_archivo_vacio():
    archivo = _subido("oficio.pdf", b"")

    error = _error(archivo)

    assert error.code == "vacio"
    assert error.messages == [_mensaje(ERROR_VACIO)]


def test_archivo_vacio_aunque_declare_tamano():
    archivo = File(io.BytesIO(b""), name="oficio.pdf")
    archivo.size = 100

    error = _error(archivo)

    assert error.code == "vacio"
    assert error.messages == [_mensaje(ERROR_VACIO)]


def test_archivo_demasiado_grande(settings):
    settings.DICTAMENES_ANEXO_MAX_MB = 1
    contenido = PDF + bytes(int(1.5 * MB) - len(PDF))
    archivo = _subido("oficio.pdf", contenido)

    error = _error(archivo)

    assert error.code == "tamano"
    assert error.messages == [_mensaje(ERROR_TAMANO, tamano="1.5 MB", maximo="1")]
    assert error.messages == ["El archivo pesa 1.5 MB; el máximo es 1 MB."]
    assert archivo.tell() == 0


def test_justo_en_el_limite_se_acepta(settings):
    settings.DICTAMENES_ANEXO_MAX_MB = 1
    contenido = PDF + bytes(MB - len(PDF))

    assert validar_anexo(_subido("oficio.pdf", contenido)).tamano == MB


def test_un_byte_sobre_el_limite_no_se_muestra_como_el_limite(settings):
    settings.DICTAMENES_ANEXO_MAX_MB = 1
    contenido = PDF + bytes(MB + 1 - len(PDF))

    error = _error(_subido("oficio.pdf", contenido))

    assert error.messages == [_mensaje(ERROR_TAMANO, tamano="1.1 MB", maximo="1")]


def test_limite_por_omision_de_20_mb_sin_leer_el_archivo(settings):
    del settings.DICTAMENES_ANEXO_MAX_MB
    archivo = _subido("oficio.pdf", PDF)
    # The declared size alone is enough to refuse: nothing is read.
    archivo.size = int(25.3 * MB)

    error = _error(archivo)

    assert error.code == "tamano"
    assert error.messages == [_mensaje(ERROR_TAMANO, tamano="25.3 MB", maximo="20")]


def test_tamano_real_manda_sobre_el_declarado(settings):
    settings.DICTAMENES_ANEXO_MAX_MB = 1
    archivo = _subido("oficio.pdf", PDF + bytes(2 * MB))
    archivo.size = 10

    error = _error(archivo)

    assert error.code == "tamano"


# --- Kind by content ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nombre", "contenido"),
    [
        ("oficio.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)),
        ("oficio.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        ("oficio.pdf", b"\x89PNG\r\n\x1a\n" + bytes(100)),
        ("oficio.pdf", "Solo texto plano, acentuado: año, señal.".encode()),
        ("anexo.docx", _zip([("word/document.xml", "<x/>"), ("leeme.txt", "hola")])),
        ("anexo.zip", _zip([("leeme.txt", "hola")])),
        ("libro.odt", _odf("application/epub+zip")),
        # An OPC package that is not an office document (XPS-like).
        (
            "anexo.docx",
            _zip(
                [
                    ("[Content_Types].xml", "<Types/>"),
                    (
                        "_rels/.rels",
                        '<Relationships><Relationship Id="r" Type="http://schemas.microsoft.com/'
                        'xps/2005/06/fixedrepresentation" Target="/FixedDocSeq.fdseq"/>'
                        "</Relationships>",
                    ),
                    ("FixedDocSeq.fdseq", "<x/>"),
                ]
            ),
        ),
        # A PDF appended to something else is not a PDF.
        ("oficio.pdf", b"<html>" + PDF),
    ],
    ids=["exe", "html", "png", "texto", "zip-como-docx", "zip", "epub", "xps", "pdf-tardio"],
)
def test_rechaza_lo_que_no_es_pdf_ni_documento_de_oficina(nombre, contenido):
    archivo = _subido(nombre, contenido)

    error = _error(archivo)

    assert error.code == "tipo"
    assert error.messages == [_mensaje(ERROR_TIPO)]
    assert archivo.tell() == 0


def test_el_error_de_tipo_indica_lo_detectado_para_bitacoras():
    error = _error(_subido("oficio.pdf", b"MZ\x90\x00" + bytes(200)))

    assert error.params == {"detectado": "application/x-msdownload"}


@pytest.mark.parametrize(
    ("nombre", "contenido", "extension", "clave"),
    [
        ("oficio.docx", PDF, "docx", "pdf"),
        ("anexo.pdf", _docx(), "pdf", "docx"),
        ("anexo.xlsx", _docx(), "xlsx", "docx"),
        ("justificación.docx", _odf(MIME_ODT), "docx", "odt"),
        ("oficio.docx", OLE2, "docx", "ole2"),
        ("foto.JPG", PDF, "jpg", "pdf"),
    ],
)
def test_extension_que_no_corresponde_al_contenido(nombre, contenido, extension, clave):
    error = _error(_subido(nombre, contenido))

    assert error.code == "extension_no_coincide"
    assert error.messages == [
        _mensaje(ERROR_EXTENSION_NO_COINCIDE, extension=extension, tipo=TIPOS[clave].descripcion)
    ]


def test_mensaje_de_extension_legible():
    error = _error(_subido("oficio.docx", PDF))

    assert error.messages == [
        "La extensión .docx no corresponde al contenido del archivo, que es un PDF."
    ]


# --- ZIP-based documents: bombs and damage --------------------------------------------------


def test_zip_bomba_de_300_mb_de_ceros():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        # Written in chunks, so memory stays low.
        with zf.open("word/document.xml", "w") as miembro:
            ceros = bytes(4 * MB)
            for _ in range(75):
                miembro.write(ceros)
    contenido = buffer.getvalue()
    assert len(contenido) < 2 * MB

    error = _error(_subido("anexo.docx", contenido))

    assert error.code == "zip_bomba"
    assert error.messages == [_mensaje(ERROR_ZIP_BOMBA)]


def test_zip_bomba_por_razon_de_compresion():
    # 11 MB that compress more than 100:1; the total stays far under 200 MB.
    contenido = _zip([("[Content_Types].xml", "<Types/>"), ("word/document.xml", bytes(11 * MB))])

    error = _error(_subido("anexo.docx", contenido))

    assert error.code == "zip_bomba"
    assert error.messages == [_mensaje(ERROR_ZIP_BOMBA)]


def test_compresion_alta_en_miembro_pequeno_se_acepta():
    # The ratio only matters above 10 MB.
    contenido = _zip(
        [
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", "<x/>"),
            ("word/media/relleno.bin", bytes(5 * MB)),
        ]
    )

    assert validar_anexo(_subido("anexo.docx", contenido)).extension == "docx"


def test_zip_bomba_por_tamano_total(monkeypatch):
    monkeypatch.setattr(archivos, "ZIP_MAX_DESCOMPRIMIDO", 1000)
    contenido = _zip(
        [("[Content_Types].xml", "<Types/>"), ("word/document.xml", "x" * 1001)],
        compresion=zipfile.ZIP_STORED,
    )

    error = _error(_subido("anexo.docx", contenido))

    assert error.code == "zip_bomba"
    assert error.messages == [_mensaje(ERROR_ZIP_BOMBA)]


@pytest.mark.parametrize(
    "contenido",
    [
        b"PK\x03\x04" + b"basura que no es un zip" * 20,
        _docx()[: len(_docx()) // 2],
    ],
    ids=["basura", "truncado"],
)
def test_documento_danado(contenido):
    archivo = _subido("anexo.docx", contenido)

    error = _error(archivo)

    assert error.code == "office_danado"
    assert error.messages == [_mensaje(ERROR_OFFICE_DANADO)]
    assert archivo.tell() == 0


def test_documento_que_apunta_a_una_parte_principal_inexistente():
    contenido = _zip(
        [
            ("[Content_Types].xml", "<Types/>"),
            (
                "_rels/.rels",
                '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                "</Relationships>",
            ),
        ]
    )

    error = _error(_subido("anexo.docx", contenido))

    assert error.code == "office_danado"


# --- Names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "esperado"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("..\\..\\windows/system32\\oficio.pdf", "oficio.pdf"),
        ("ofi\x00cio\x07 de\tsolicitud\n.pdf", "oficio de solicitud.pdf"),
        ("  oficio     de   solicitud  .pdf  ", "oficio de solicitud.pdf"),
        # Right-to-left override, used to disguise extensions on screen.
        ("oficio\u202efdp.pdf", "oficiofdp.pdf"),
        ("\x01\x02.pdf", "anexo.pdf"),
        (".pdf", "anexo.pdf"),
        ("...pdf", "anexo.pdf"),
        ("/", None),
    ],
)
def test_nombre_saneado(original, esperado):
    archivo = File(io.BytesIO(PDF), name=original)

    if esperado is None:
        assert _error(archivo).code == "nombre"
    else:
        assert validar_anexo(archivo).nombre == esperado


def test_nombre_muy_largo_conserva_la_extension():
    archivo = File(io.BytesIO(_docx()), name="a" * 10_000 + ".docx")

    resultado = validar_anexo(archivo)

    assert len(resultado.nombre) == 150
    assert resultado.nombre == "a" * 145 + ".docx"


def test_nombre_muy_largo_desde_un_upload():
    # Django already cuts upload names to 255 characters; ours goes down to 150.
    resultado = validar_anexo(_subido("b" * 10_000 + ".pdf", PDF))

    assert resultado.nombre == "b" * 146 + ".pdf"


@pytest.mark.parametrize(
    "original",
    ["oficio", "oficio.", "oficio." + "p" * 10_000, "oficio.pd f", "oficio.pdf/", ""],
)
def test_nombre_sin_extension_utilizable(original):
    error = _error(File(io.BytesIO(PDF), name=original))

    assert error.code == "nombre"
    assert error.messages == [_mensaje(ERROR_NOMBRE)]


# --- PDF warnings ---------------------------------------------------------------------------


def test_pdf_con_javascript_se_acepta_con_advertencia():
    contenido = _pdf(b"<< /S /JavaScript /JS (app.alert('hola');) >>")

    resultado = validar_anexo(_subido("oficio.pdf", contenido))

    assert resultado.advertencias == (str(ADVERTENCIA_PDF_JAVASCRIPT),)
    assert resultado.advertencias == ("El PDF contiene JavaScript.",)


def test_pdf_con_archivo_incrustado_y_nombres_escapados():
    contenido = _pdf(b"<< /Type /EmbeddedFile /Length 0 >>", b"<< /S /Java#53cript >>")

    resultado = validar_anexo(_subido("oficio.pdf", contenido))

    assert resultado.advertencias == (
        str(ADVERTENCIA_PDF_JAVASCRIPT),
        str(ADVERTENCIA_PDF_INCRUSTADOS),
    )


@pytest.mark.django_db
def test_el_pdf_aceptado_con_advertencia_la_deja_en_el_anexo_y_en_la_auditoria(demo):
    from tests.dictamenes.flujo_utils import borrador, usuario

    solicitud = borrador()
    contenido = _pdf(b"<< /S /JavaScript /JS (app.alert('hola');) >>")

    anexo = solicitudes.anexo_agregar(
        solicitud=solicitud,
        usuario=usuario("requirente.sh"),
        tipo="anexo_tecnico",
        archivo=_subido("anexo.pdf", contenido),
    )

    assert anexo.advertencias == ["El PDF contiene JavaScript."]
    evento = solicitud.eventos.get(datos__anexo=anexo.pk)
    assert evento.datos["advertencias"] == ["El PDF contiene JavaScript."]


def test_nombres_parecidos_no_generan_advertencia():
    contenido = _pdf(b"<< /JSON (x) /JavaScriptX 1 /EmbeddedFileZ 2 /Title (JS JavaScript) >>")

    resultado = validar_anexo(_subido("oficio.pdf", contenido))

    assert resultado.advertencias == ()


@pytest.mark.parametrize("corte", range(1, 14))
def test_nombre_partido_entre_trozos(corte):
    escaner = archivos._EscanerPdf()
    datos = b"xx /JavaScript yy"
    escaner.alimentar(datos[: corte + 2])
    escaner.alimentar(datos[corte + 2 :])

    assert escaner.terminar() == (str(ADVERTENCIA_PDF_JAVASCRIPT),)


def test_nombre_que_termina_el_archivo():
    escaner = archivos._EscanerPdf()
    escaner.alimentar(b"<< /JS")

    assert escaner.terminar() == (str(ADVERTENCIA_PDF_JAVASCRIPT),)


def test_prefijo_partido_no_genera_advertencia():
    # "/JS" at the end of one chunk continues as "/JSON" in the next.
    escaner = archivos._EscanerPdf()
    escaner.alimentar(b"<< /JS")
    escaner.alimentar(b"ON 1 >>")

    assert escaner.terminar() == ()
