"""The public register as open data: the same rows as the page, as CSV and JSON, streamed,
with the columns its Table Schema (publico.conjuntos.DICTAMENES) describes. No personal data:
no names of agency staff or officials, only what the dictamen decided."""

import json
from decimal import Decimal
from itertools import islice

from django.db.models import (
    Aggregate,
    BooleanField,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Sum,
    TextField,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from dictamenes.comun.enlaces import url_verificacion
from dictamenes.comun.tablas import sin_formulas
from dictamenes.models import Contrato, Dictamen, Partida, Resultado, TipoOperacion
from dictamenes.organizacion.selectors.entes import nombre_en_sql
from dictamenes.tramite.selectors import decisiones
from dictamenes.tramite.selectors.access import dictamenes_publicos
from publico import partidas
from publico.conjuntos import DICTAMENES
from publico.datos_personales import nombre_publicable, texto_publicable
from publico.esquema import instante
from publico.estado import EstadoPublico, estado_de

CAMPOS = [campo.nombre for campo in DICTAMENES.campos]
# Columns whose text people typed (or could make start with a sign); the rest is generated.
# The CSV passes these through sin_formulas (in _lineas_csv, checked against this set).
_LIBRES = frozenset({"ente_siglas", "ente", "asunto", "categorias", "monto_estimado_mxn"})
_TIPOS = dict(TipoOperacion.choices)
_RESULTADOS = dict(Resultado.choices)


class _Categorias(Aggregate):
    """The distinct category names of a request's items, as a JSON array: the register and
    its exports read every row with its categories in one query."""

    function = "JSON_AGG"
    template = "CAST(%(function)s(DISTINCT %(expressions)s) AS TEXT)"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, function="JSON_GROUP_ARRAY", template=self._sqlite, **extra
        )

    _sqlite = "%(function)s(DISTINCT %(expressions)s)"


_COLUMNAS = (
    "pk",
    "folio",
    "emitido_en",
    "resultado",
    "vigencia_hasta",
    "cancelado_en",
    "pdf_sha256",
    "solicitud__ejercicio",
    "solicitud__tipo_operacion",
    "solicitud__monto_estimado",
    "solicitud__titulo",
    "solicitud__ente__siglas",
)


def _subconsulta_categorias():
    # Categories by a correlated subquery, not a GROUP BY over every column: PostgreSQL then
    # walks the (emitido_en, id) index and streams rows at once, instead of grouping and
    # sorting 72,000 rows on disk before sending the first one.
    return Subquery(
        Partida.objects.filter(solicitud_id=OuterRef("solicitud_id"))
        .order_by()
        .values("solicitud_id")
        .annotate(nombres=_Categorias("perfil__categoria__nombre"))
        .values("nombres")
    )


def _subconsulta_contratado():
    # The total of the contracts recorded under each dictamen (None: none recorded yet); one
    # waiting for the strategic reviewer, or refused, is not contracted (issue 76, item 2).
    return Subquery(
        Contrato.objects.que_cuentan()
        .filter(dictamen_id=OuterRef("pk"))
        .order_by()
        .values("dictamen_id")
        .annotate(total=Sum("monto"))
        .values("total")
    )


def _aprobado(total, resultado: str) -> str:
    # decisiones.aprobado_sql: None for the imported history (no items, nothing recorded of
    # what was approved); a «no favorable» dictamen approves nothing.
    if total is None:
        return ""
    return "0.00" if resultado == Resultado.NO_FAVORABLE else f"{Decimal(total):.2f}"


def _ente_al_emitirse():
    """The agency's name on the day the dictamen was issued (issue 59): a later renaming does
    not rewrite what was published; `fecha` is that day, in the installation's zone."""
    return nombre_en_sql(ente="solicitud__ente", fecha="fecha")


def _valores(qs):
    return (
        qs.values(*_COLUMNAS)
        .annotate(fecha=_DiaLocal("emitido_en"))
        .annotate(
            ente_nombre=_ente_al_emitirse(),
            categorias=_subconsulta_categorias(),
            aprobado=decisiones.aprobado_sql(),
            contratado=_subconsulta_contratado(),
            sustituto=Dictamen.sustituto_folio_sql(),
        )
    )


class _Etiquetas:
    """Labels translated once per export, not once per row."""

    def __init__(self):
        self.hoy = timezone.localdate()
        self.zona = timezone.get_current_timezone()
        self.tipos = {k: str(v) for k, v in _TIPOS.items()}
        self.resultados = {k: str(v) for k, v in _RESULTADOS.items()}
        self.estados = {k: str(v) for k, v in Dictamen.ESTADOS.items()}


def _contratado(total) -> str:
    # Two decimals, as the amounts are stored (SQLite's SUM drops a trailing zero).
    return "" if total is None else f"{Decimal(total):.2f}"


def _vigente_hasta(resultado: str, vigencia_hasta) -> str | None:
    # A no favorable dictamen authorises nothing: it has no last valid day to publish.
    return None if resultado == Resultado.NO_FAVORABLE else vigencia_hasta.isoformat()


def _estado(v: dict, e: _Etiquetas) -> EstadoPublico:
    return estado_de(
        resultado=v["resultado"],
        cancelado_en=v["cancelado_en"],
        vigencia_hasta=v["vigencia_hasta"],
        sustituto=v["sustituto"],
        hoy=e.hoy,
    )


def _fila(v: dict, e: _Etiquetas, estado: EstadoPublico | None = None) -> dict:
    estado = estado or _estado(v, e)
    return {
        "folio": v["folio"],
        "fecha_emision": v["emitido_en"].astimezone(e.zona).date().isoformat(),
        "ejercicio": v["solicitud__ejercicio"],
        "ente_siglas": nombre_publicable(v["solicitud__ente__siglas"]),
        "ente": nombre_publicable(v["ente_nombre"]),
        "asunto": texto_publicable(v["solicitud__titulo"]),
        "tipo_operacion": e.tipos.get(v["solicitud__tipo_operacion"], ""),
        "categorias": "; ".join(sorted(c for c in json.loads(v["categorias"] or "[]") if c)),
        "monto_estimado_mxn": str(v["solicitud__monto_estimado"]),
        "monto_aprobado_mxn": _aprobado(v["aprobado"], v["resultado"]),
        "monto_contratado_mxn": _contratado(v["contratado"]),
        "resultado": e.resultados.get(v["resultado"], ""),
        "estado": e.estados[estado.clave],
        "vigente_hasta": _vigente_hasta(v["resultado"], v["vigencia_hasta"]),
        "sha256_pdf": v["pdf_sha256"],
        "url_verificacion": url_verificacion(v["folio"]),
        "emitido_en": instante(v["emitido_en"]),
    }


def filas(ids) -> list[dict]:
    """The register's rows for these dictámenes, in the given order, with their items."""
    return [fila for fila, _e in filas_con_estado(ids)]


def filas_con_estado(ids) -> list[tuple[dict, EstadoPublico]]:
    """The register's rows with the status each one shows (the page draws it with
    templates/verificar/_estado_texto.html), in the given order, each with its items and what
    the dictamen decided of them under "partidas" (publico.partidas): two queries."""
    ids = list(ids)
    etiquetas = _Etiquetas()
    por_id = {v["pk"]: v for v in _valores(Dictamen.objects.filter(pk__in=ids))}
    de_cada_uno = partidas.por_dictamen(ids) if por_id else {}
    resultado = []
    for i in ids:
        if i in por_id:
            estado = _estado(por_id[i], etiquetas)
            fila = _fila(por_id[i], etiquetas, estado) | {"partidas": de_cada_uno.get(i, [])}
            resultado.append((fila, estado))
    return resultado


def _todas():
    """Every issued dictamen, newest first, read through a server-side cursor."""
    etiquetas = _Etiquetas()
    for v in _valores(dictamenes_publicos()).iterator(chunk_size=2000):
        yield _fila(v, etiquetas)


def _en_trozos(lineas, tamano: int = 500):
    """Join lines so the server writes a few large chunks instead of one per row."""
    trozo = []
    for linea in lineas:
        trozo.append(linea)
        if len(trozo) >= tamano:
            yield "".join(trozo)
            trozo = []
    if trozo:
        yield "".join(trozo)


class _DiaLocal(TruncDate):
    """TruncDate without its Python pass over every row: PostgreSQL already returns a date
    (the pass only unwraps datetimes other databases return), and SQLite's text still goes
    through the DateField converter. Without any converter Django hands on the rows as read."""

    def get_db_converters(self, connection):
        return self.output_field.get_db_converters(connection)


# The CSV reads tuples in the order of CAMPOS, with what the database does cheaply done there:
# the day of issue in the installation's zone (a date, not a timestamp that Python would parse
# and move to the zone), whether it was cancelled (a boolean: the instant is not published)
# and the folio of the dictamen that rectified it.
_COLUMNAS_CSV = (
    "folio",
    "fecha",
    "solicitud__ejercicio",
    "solicitud__ente__siglas",
    "ente_nombre",
    "solicitud__titulo",
    "solicitud__tipo_operacion",
    "categorias",
    "solicitud__monto_estimado",
    "aprobado",
    "contratado",
    "resultado",
    "cancelado",
    "sustituto",
    "vigencia_hasta",
    "pdf_sha256",
    "emitido_en",
)


def _tuplas_csv():
    """Every issued dictamen, newest first, as tuples read through a server-side cursor."""
    return (
        dictamenes_publicos()
        .annotate(
            fecha=_DiaLocal("emitido_en"),
        )
        .annotate(
            ente_nombre=_ente_al_emitirse(),
            cancelado=ExpressionWrapper(Q(cancelado_en__isnull=False), BooleanField()),
            categorias=_subconsulta_categorias(),
            aprobado=decisiones.aprobado_sql(),
            contratado=_subconsulta_contratado(),
            sustituto=Dictamen.sustituto_folio_sql(),
        )
        .values_list(*_COLUMNAS_CSV)
        .iterator(chunk_size=2000)
    )


def _campo(texto: str) -> str:
    """A field as csv.writer writes it (excel dialect, QUOTE_MINIMAL): between quotes, its
    quotes doubled, when it holds a comma, a quote or a line break; otherwise as it is.
    The module goes character by character through every cell; this is a few C searches."""
    if "," in texto or '"' in texto or "\n" in texto or "\r" in texto:
        return '"' + texto.replace('"', '""') + '"'
    return texto


def _lineas_csv():
    """The function from a tuple of _tuplas_csv to its CSV line (without the line break): the
    same cells as _fila gives the register, cleaned with sin_formulas where people typed
    them (tests/publico/test_csv_rapido.py compares both byte for byte). Labels and the link
    are worked out once per export, and agencies and sets of categories once each."""
    e = _Etiquetas()
    tipos = {k: _campo(v) for k, v in e.tipos.items()}
    resultados = {k: _campo(v) for k, v in e.resultados.items()}
    estados = {k: _campo(v) for k, v in e.estados.items()}
    hoy, estado_en, no_favorable = e.hoy, Dictamen.estado_en, Resultado.NO_FAVORABLE.value
    # url_verificacion(folio) is a fixed text around the folio: split it once.
    antes, despues = url_verificacion("\0").split("\0")
    # The memory stays bounded however many different agencies or sets there are.
    vistos: dict = {}

    def libre(texto):
        try:
            return vistos[texto]
        except KeyError:
            if len(vistos) >= 10_000:
                vistos.clear()
            valor = vistos[texto] = _campo(sin_formulas(texto))
            return valor

    def de_categorias(nombres):
        clave = ("categorias", nombres)
        try:
            return vistos[clave]
        except KeyError:
            valor = vistos[clave] = libre(
                "; ".join(sorted(c for c in json.loads(nombres or "[]") if c))
            )
            return valor

    def linea(t):
        (
            folio,
            fecha,
            ejercicio,
            siglas,
            ente,
            asunto,
            tipo,
            categorias,
            monto,
            aprobado,
            contratado,
            resultado,
            cancelado,
            sustituto,
            vigencia,
            sha,
            emitido,
        ) = t
        estado = estado_en(
            resultado=resultado,
            cancelado_en=cancelado,
            vigencia_hasta=vigencia,
            hoy=hoy,
            rectificado=sustituto is not None,
        )
        return ",".join(
            (
                _campo(folio),
                fecha.isoformat(),
                str(ejercicio),
                libre(nombre_publicable(siglas)),
                libre(nombre_publicable(ente)),
                _campo(sin_formulas(texto_publicable(asunto))),
                tipos.get(tipo, ""),
                de_categorias(categorias),
                _campo(sin_formulas(str(monto))),
                _aprobado(aprobado, resultado),
                _contratado(contratado),
                resultados.get(resultado, ""),
                estados[estado],
                "" if resultado == no_favorable else vigencia.isoformat(),
                _campo(sha),
                _campo(antes + folio + despues),
                instante(emitido),
            )
        )

    return linea


def csv_lineas(filas_por_trozo: int = 500):
    """The whole register as CSV (UTF-8 with BOM, so spreadsheets open it right), in chunks
    of `filas_por_trozo` lines: a few large writes, never the whole file in memory."""
    yield "\ufeff" + ",".join(map(_campo, CAMPOS)) + "\r\n"
    linea = _lineas_csv()
    tuplas = _tuplas_csv()
    while trozo := "\r\n".join(map(linea, islice(tuplas, filas_por_trozo))):
        yield trozo + "\r\n"


def json_trozos():
    yield '{"dictamenes": ['
    yield from _en_trozos(
        ("," if i else "") + json.dumps(datos, ensure_ascii=False)
        for i, datos in enumerate(_todas())
    )
    yield "]}"
