"""The spreadsheets the system hands out (CSV) and the ones people upload (CSV or XLSX)."""

import csv
import io

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.translation import gettext_lazy as _

from dictamenes.comun import archivos

ERROR_XLSX_DANADO = _("El archivo XLSX está dañado o no es un libro de Excel.")
ERROR_CSV_CODIFICACION = _("El CSV debe estar en UTF-8.")
ERROR_CSV_NULOS = _(
    "El CSV contiene caracteres nulos: no es un archivo de texto. Guárdelo como CSV UTF-8."
)
# The longest field an uploaded CSV may hold: csv's default limit (128 KiB). csv's own limit
# is one setting for the whole process (a library may raise it), so the reader keeps its own.
CAMPO_MAX = 131_072
ERROR_CSV_MAL_FORMADO = _(
    "El CSV está mal formado cerca de la línea %(linea)s: revise las comillas y que ningún "
    "campo sea tan largo."
)
ERROR_ENCABEZADO = _("La primera fila debe tener exactamente estas columnas: %(columnas)s.")


class TablaError(Exception):
    """An uploaded table that cannot be read: the messages, in Spanish, for the person."""

    def __init__(self, errores: list[str]):
        self.errores = [str(e) for e in errores]
        super().__init__("\n".join(self.errores))


def sin_formulas(valor):
    """Neutralise spreadsheet formula injection in exported text."""
    if isinstance(valor, str) and valor[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + valor
    return valor


def _exigir_libro(nombre: str, contenido: bytes) -> None:
    """An XLSX is checked like an attachment before openpyxl opens it: a real workbook, not
    a ZIP that expands to gigabytes (openpyxl would read its shared strings whole)."""
    try:
        validado = archivos.validar_anexo(File(io.BytesIO(contenido), name=nombre))
    except ValidationError as exc:
        if exc.code in ("vacio", "tamano", "zip_bomba"):
            raise TablaError(exc.messages) from exc
        raise TablaError([ERROR_XLSX_DANADO]) from exc
    if validado.extension != "xlsx":
        raise TablaError([ERROR_XLSX_DANADO])


def _valores_xlsx(nombre: str, contenido: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    _exigir_libro(nombre, contenido)
    try:
        hoja = load_workbook(io.BytesIO(contenido), read_only=True, data_only=True).active
        return [
            ["" if v is None else str(v).strip() for v in fila]
            for fila in hoja.iter_rows(values_only=True)
        ]
    except Exception as exc:
        raise TablaError([ERROR_XLSX_DANADO]) from exc


def _valores_csv(contenido: bytes) -> list[list[str]]:
    try:
        texto = contenido.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TablaError([ERROR_CSV_CODIFICACION]) from exc
    if "\x00" in texto:  # PostgreSQL refuses NUL in text
        raise TablaError([ERROR_CSV_NULOS])
    lector = csv.reader(io.StringIO(texto))
    valores = []
    try:
        for fila in lector:
            if any(len(v) > CAMPO_MAX for v in fila):
                raise csv.Error
            valores.append([v.strip() for v in fila])
    except csv.Error as exc:  # a field over the limit, a stray quote
        raise TablaError([ERROR_CSV_MAL_FORMADO % {"linea": lector.line_num}]) from exc
    return valores


def tabla_leer(*, nombre: str, contenido: bytes, columnas: list[str]) -> list[dict]:
    """The rows of an uploaded CSV (UTF-8) or XLSX (first sheet) whose first row names exactly
    `columnas`, as dicts; empty rows are skipped. Raises TablaError with the reason."""
    try:
        archivos.validar_tamano(len(contenido))
    except ValidationError as exc:
        raise TablaError(exc.messages) from exc
    if nombre.lower().endswith(".xlsx"):
        valores = _valores_xlsx(nombre, contenido)
    else:
        valores = _valores_csv(contenido)
    if not valores or [v.lower() for v in valores[0][: len(columnas)]] != columnas:
        raise TablaError([ERROR_ENCABEZADO % {"columnas": ", ".join(columnas)}])
    return [dict(zip(columnas, fila, strict=False)) for fila in valores[1:] if any(fila)]
