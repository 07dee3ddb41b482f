"""Uploads: every endpoint that takes a file (attachments of a draft, the public PDF
verification, the annual programme, the e.firma at signing) gets files that lie about their
type, are too big or empty, zip bombs, and names with path traversal, control characters or
thousands of characters. Each answer is a 4xx (or the page re-rendered with its error) with
the Spanish message, and nothing was written: no row, no audit event, no stored file.

How the world is built and what is counted: the package docstring (hostiles/__init__.py)."""

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import pytest
from django import forms
from django.core import validators
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from dictamenes.comun import archivos
from dictamenes.emision.services import integridad
from dictamenes.models import (
    Anexo,
    EventoAuditoria,
)
from dictamenes.planeacion.services import programa as planeacion
from tests.dictamenes.flujo_utils import pdf_valido as pdf
from tests.seguridad.hostiles.datos import (
    DOCX,
    EXE,
    MB,
    MENSAJE_400,
    PAGINA_HTML,
    PDF,
    VACIO,
    _csv,
    _fila,
    _max_entero_positivo,
    archivos_guardados,
    basura,
    contar,
    docx_bomba,
    enviar,
    estado,
    html_de,
    nombre_de_archivo,
    subir,
    xlsx_bomba,
    xlsx_programa,
)

pytestmark = pytest.mark.django_db


# === 1. Uploads =================================================================================


@dataclass(frozen=True)
class Subida:
    disposicion: bytes  # the Content-Disposition parameters of the file part
    contenido: object  # bytes, or a function that builds them (the bombs, built once)
    mensaje: object = None  # expected Spanish error, or None when accepted
    guardado: str | None = None  # accepted: the name the attachment keeps
    tipo: str = "anexo_tecnico"


def _ext(extension, clave):
    return archivos.ERROR_EXTENSION_NO_COINCIDE % {
        "extension": extension,
        "tipo": archivos.TIPOS[clave].descripcion,
    }


SUBIDAS_ANEXO = {
    "exe-como-pdf": Subida(nombre_de_archivo(b"oficio.pdf"), EXE, archivos.ERROR_TIPO),
    "html-como-pdf": Subida(nombre_de_archivo(b"oficio.pdf"), PAGINA_HTML, archivos.ERROR_TIPO),
    "pdf-como-docx": Subida(nombre_de_archivo(b"anexo.docx"), PDF, _ext("docx", "pdf")),
    "docx-como-pdf": Subida(nombre_de_archivo(b"anexo.pdf"), DOCX, _ext("pdf", "docx")),
    "vacio": Subida(nombre_de_archivo(b"oficio.pdf"), b"", VACIO),
    "bomba-zip-docx": Subida(
        nombre_de_archivo(b"anexo.docx"), docx_bomba, archivos.ERROR_ZIP_BOMBA
    ),
    "bomba-zip-xlsx": Subida(
        nombre_de_archivo(b"cotizacion.xlsx"), xlsx_bomba, archivos.ERROR_ZIP_BOMBA
    ),
    "docx-truncado": Subida(
        nombre_de_archivo(b"anexo.docx"), DOCX[: len(DOCX) // 2], archivos.ERROR_OFFICE_DANADO
    ),
    "sin-extension": Subida(nombre_de_archivo(b"oficio"), PDF, archivos.ERROR_NOMBRE),
    # The header ends at the CR LF: Django reads the name "ofi", without extension.
    "crlf-en-el-nombre": Subida(nombre_de_archivo(b"ofi\r\ncio.pdf"), PDF, archivos.ERROR_NOMBRE),
    # Over Django's limit for a part's headers: the body is refused before the view (400.html).
    "nombre-de-10000": Subida(nombre_de_archivo(b"a" * 10_000 + b".pdf"), PDF, MENSAJE_400),
    "tipo-inexistente": Subida(
        nombre_de_archivo(b"oficio.pdf"),
        PDF,
        forms.ChoiceField.default_error_messages["invalid_choice"] % {"value": "../../x"},
        tipo="../../x",
    ),
    # Accepted, with a name that cannot leave the request's folder.
    "ruta-relativa": Subida(nombre_de_archivo(b"../../etc/passwd.pdf"), PDF, guardado="passwd.pdf"),
    "ruta-windows": Subida(
        nombre_de_archivo(b"..\\..\\windows\\system32\\oficio.pdf"), PDF, guardado="oficio.pdf"
    ),
    "ruta-rfc2231": Subida(
        b"filename*=UTF-8''" + quote("../../etc/passwd.pdf", safe="").encode(),
        PDF,
        guardado="passwd.pdf",
    ),
    "nulo": Subida(nombre_de_archivo(b"ofi\x00cio.pdf"), PDF, guardado="oficio.pdf"),
    "escape-ansi": Subida(nombre_de_archivo(b"\x1b[31moficio.pdf"), PDF, guardado="[31moficio.pdf"),
    "rtl-override": Subida(
        nombre_de_archivo("oficio\u202efdp.exe.pdf".encode()), PDF, guardado="oficiofdp.exe.pdf"
    ),
    "nombre-de-300": Subida(
        nombre_de_archivo(b"b" * 296 + b".pdf"), PDF, guardado="b" * 146 + ".pdf"
    ),
}


def _url_anexo(mundo):
    return reverse("solicitudes:anexo_subir", args=[mundo.ids["borrador"]])


@pytest.mark.parametrize("caso", SUBIDAS_ANEXO, ids=str)
def test_anexo_hostil_por_http(mundo, settings, caso):
    subida = SUBIDAS_ANEXO[caso]
    settings.DICTAMENES_ANEXO_MAX_MB = 20
    cliente = mundo.cliente("requirente.sh")
    contenido = subida.contenido() if callable(subida.contenido) else subida.contenido

    def peticion():
        return subir(
            cliente,
            _url_anexo(mundo),
            {"tipo": subida.tipo},
            {"archivo": (subida.disposicion, contenido)},
        )

    if subida.mensaje is not None:
        respuesta, antes, despues = enviar("subidas", peticion)
        assert respuesta.status_code == 400
        assert escape(str(subida.mensaje)) in html_de(respuesta)
        assert despues == antes
        return

    antes = estado()
    anexos_antes = set(Anexo.objects.values_list("pk", flat=True))
    respuesta = peticion()
    nuevo = Anexo.objects.exclude(pk__in=anexos_antes).get()
    eventos = EventoAuditoria.objects.filter(datos__anexo=nuevo.pk)
    nuevos_archivos = set(archivos_guardados()) - set(antes[-1])
    contar("subidas", respuesta, parcial=eventos.count() != 1 or len(nuevos_archivos) != 1)
    assert respuesta.status_code == 302
    assert nuevo.nombre == subida.guardado
    assert len(nuevo.nombre) <= archivos.LONGITUD_MAX_NOMBRE
    assert all(c.isprintable() for c in nuevo.nombre)
    carpeta = f"expedientes/{timezone.localdate().year}/borrador-{mundo.ids['borrador']}/"
    ruta = PurePosixPath(nuevo.archivo.name)
    assert nuevo.archivo.name.startswith(carpeta + "anexo_tecnico/")
    assert ".." not in ruta.parts and "\\" not in nuevo.archivo.name
    assert nuevos_archivos == {nuevo.archivo.name}
    raiz = (Path(settings.MEDIA_ROOT) / carpeta).resolve()
    assert Path(nuevo.archivo.path).resolve().is_relative_to(raiz)
    assert eventos.count() == 1


def test_anexo_demasiado_grande(mundo, settings):
    settings.DICTAMENES_ANEXO_MAX_MB = 1
    contenido = PDF + bytes(int(1.5 * MB))
    respuesta, antes, despues = enviar(
        "subidas",
        lambda: subir(
            mundo.cliente("requirente.sh"),
            _url_anexo(mundo),
            {"tipo": "cotizacion"},
            {"archivo": (nombre_de_archivo(b"cotizacion.pdf"), contenido)},
        ),
    )
    assert respuesta.status_code == 400
    tamano = archivos.tamano_legible(len(contenido))
    assert archivos.ERROR_TAMANO % {"tamano": tamano, "maximo": "1"} in html_de(respuesta)
    assert despues == antes


@pytest.mark.parametrize(
    ("contenido", "advertencia"),
    [
        (
            pdf(b"<< /S /JavaScript /JS (app.alert('hola');) >>"),
            archivos.ADVERTENCIA_PDF_JAVASCRIPT,
        ),
        (pdf(b"<< /Type /EmbeddedFile /Length 0 >>"), archivos.ADVERTENCIA_PDF_INCRUSTADOS),
    ],
    ids=["javascript", "incrustado"],
)
def test_pdf_con_javascript_o_incrustados_se_acepta_con_advertencia(mundo, contenido, advertencia):
    cliente = mundo.cliente("requirente.sh")
    antes = set(Anexo.objects.values_list("pk", flat=True))
    respuesta = subir(
        cliente,
        _url_anexo(mundo),
        {"tipo": "anexo_tecnico"},
        {"archivo": (nombre_de_archivo(b"anexo activo.pdf"), contenido)},
    )
    anexo = Anexo.objects.exclude(pk__in=antes).get()
    evento = EventoAuditoria.objects.get(datos__anexo=anexo.pk)
    contar("subidas", respuesta)
    assert respuesta.status_code == 302
    assert anexo.advertencias == [str(advertencia)]
    assert evento.datos["advertencias"] == [str(advertencia)]
    pagina = html_de(cliente.get(reverse("solicitudes:detalle", args=[mundo.ids["borrador"]])))
    # In the attachment's own line of the list.
    linea = pagina[pagina.index("anexo activo.pdf</a>") :].split("</li>")[0]
    assert f"⚠ {advertencia}" in linea


@pytest.mark.parametrize(
    ("nombre", "contenido", "mensaje", "status"),
    [
        (b"dictamen.pdf", b"", VACIO, 400),
        (b"dictamen.pdf", EXE, "El archivo no es un PDF.", 200),
        (b"dictamen.pdf", PAGINA_HTML, "El archivo no es un PDF.", 200),
        (b"dictamen.pdf", docx_bomba, "El archivo no es un PDF.", 200),
        (b"dictamen.pdf", b"%PDF-1.7\n" + basura(2000), "Documento NO auténtico.", 200),
        (
            b"dictamen.pdf",
            pdf(b"<< /S /JavaScript /JS (app.alert(1)) >>"),
            "no es idéntico a ningún dictamen emitido",
            200,
        ),
        (b"../../etc/passwd.pdf\x00.exe", PDF, "Documento NO auténtico.", 200),
    ],
    ids=["vacio", "exe", "html", "bomba-zip", "pdf-basura", "pdf-javascript", "nombre-hostil"],
)
def test_verificacion_publica_de_un_pdf_hostil(mundo, nombre, contenido, mensaje, status):
    """Anyone may upload; the page answers with its verdict (or the form's error) and keeps
    nothing: the file is read in memory and discarded."""
    contenido = contenido() if callable(contenido) else contenido
    respuesta, antes, despues = enviar(
        "subidas",
        lambda: subir(
            mundo.clientes[None],
            reverse("verificar"),
            {},
            {"pdf": (nombre_de_archivo(nombre), contenido)},
        ),
    )
    assert respuesta.status_code == status
    assert escape(str(mensaje)) in html_de(respuesta)
    assert despues == antes


def test_verificacion_publica_demasiado_grande(mundo, monkeypatch):
    monkeypatch.setattr(integridad, "PDF_VERIFICAR_MAXIMO", MB)
    respuesta, antes, despues = enviar(
        "subidas",
        lambda: subir(
            mundo.clientes[None],
            reverse("verificar"),
            {},
            {"pdf": (nombre_de_archivo(b"dictamen.pdf"), PDF + bytes(MB))},
        ),
    )
    assert respuesta.status_code == 400
    assert str(integridad.ERROR_PDF_GRANDE) in html_de(respuesta)
    assert despues == antes


def _mensaje_fila(columna, mensaje):
    return f"fila 2, columna «{columna}»: {mensaje}"


PROGRAMAS = {
    "csv-latin1": (
        "programa.csv",
        "categoria,año\n".encode("latin-1"),
        planeacion.ERROR_CSV_CODIFICACION,
    ),
    "csv-con-nulos": (
        "programa.csv",
        _csv(_fila()).replace(b"Equipos", b"Equi\x00pos"),
        planeacion.ERROR_CSV_NULOS,
    ),
    "csv-campo-de-200k": (
        "programa.csv",
        _csv(_fila(descripcion="x" * 200_000)),
        planeacion.ERROR_CSV_MAL_FORMADO % {"linea": 2},
    ),
    "mes-infinito": (
        "programa.csv",
        _csv(_fila(mes="inf")),
        _mensaje_fila("mes", "debe ser un número de mes, de 1 a 12"),
    ),
    "cantidad-enorme": (
        "programa.csv",
        _csv(_fila(cantidad="9" * 20)),
        lambda contenido: _mensaje_fila(
            "cantidad",
            validators.MaxValueValidator.message % {"limit_value": _max_entero_positivo()},
        ),
    ),
    "monto-1e30": (
        "programa.csv",
        _csv(_fila(monto_estimado="1e30")),
        _mensaje_fila("monto_estimado", "debe ser un monto en pesos, p. ej. 150000.00"),
    ),
    "monto-de-16-digitos": (
        "programa.csv",
        # Written out: an exponent («1e13») is no longer an amount at all (issue 48).
        _csv(_fila(monto_estimado="10000000000000")),
        _mensaje_fila(
            "monto_estimado", validators.DecimalValidator.messages["max_digits"] % {"max": 14}
        ),
    ),
    "monto-infinito": (
        "programa.csv",
        _csv(_fila(monto_estimado="Infinity")),
        _mensaje_fila("monto_estimado", "debe ser un monto en pesos, p. ej. 150000.00"),
    ),
    "pdf-como-xlsx": ("programa.xlsx", PDF, planeacion.ERROR_XLSX_DANADO),
    "exe-como-xlsx": ("programa.xlsx", EXE, planeacion.ERROR_XLSX_DANADO),
    # openpyxl would walk two million rows because <dimension> says so.
    "xlsx-bomba-de-filas": (
        "programa.xlsx",
        lambda: xlsx_programa(_fila(), dimension="A1:H2000002", filas_vacias=2_000_000),
        archivos.ERROR_ZIP_BOMBA,
    ),
    "xlsx-bomba-zip": ("programa.xlsx", xlsx_bomba, archivos.ERROR_ZIP_BOMBA),
    "vacio": ("programa.csv", b"", VACIO),
    # The test lowers the limit to 1 MB.
    "demasiado-grande": (
        "programa.csv",
        lambda: _csv(*[_fila()] * 25_000),
        lambda contenido: (
            archivos.ERROR_TAMANO
            % {"tamano": archivos.tamano_legible(len(contenido)), "maximo": "1"}
        ),
    ),
}


@pytest.mark.parametrize("caso", PROGRAMAS, ids=str)
def test_programa_anual_hostil(mundo, settings, caso):
    settings.DICTAMENES_ANEXO_MAX_MB = 1
    nombre, contenido, mensaje = PROGRAMAS[caso]
    contenido = contenido() if callable(contenido) else contenido
    mensaje = mensaje(contenido) if callable(mensaje) else mensaje
    respuesta, antes, despues = enviar(
        "subidas",
        lambda: subir(
            mundo.cliente("requirente.sh"),
            reverse("planeacion:programa"),
            {"ejercicio": timezone.localdate().year},
            {"archivo": (nombre_de_archivo(nombre.encode()), contenido)},
        ),
    )
    assert respuesta.status_code == 400
    assert escape(str(mensaje)) in html_de(respuesta)
    assert despues == antes
