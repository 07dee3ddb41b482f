"""The register's items as open data (issue 61): one row per item of each published dictamen,
with what that dictamen decided of it. The same dictámenes as the register
(access.dictamenes_publicos: cancelled and rectified ones too, each with its own result), the
decision read by the one rule every reader uses (tramite.selectors.decisiones), the text
through the register's personal-data filter. Streamed from the database, as the register is;
the page and the API read a page's items in one query (`por_dictamen`)."""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.tablas import sin_formulas
from dictamenes.models import DecisionPartida, Dictamen, Partida, UnidadPrecio
from dictamenes.tramite.selectors import decisiones
from dictamenes.tramite.selectors.access import dictamenes_publicos
from publico.datos_personales import texto_publicable
from publico.esquema import (
    CATEGORIA,
    CATEGORIA_CLAVE,
    CONTEO,
    REQUERIDO,
    Campo,
    Conjunto,
    etiquetas,
    instante,
)

Decision = DecisionPartida.Resultado
_MONTO = {"required": True, "minimum": 0}

PARTIDAS = Conjunto(
    nombre="dictamenes-partidas",
    titulo=_("Partidas de los dictámenes emitidos"),
    descripcion=_(
        "Lo que cada dictamen del registro público decidió de cada partida de su solicitud: "
        "categoría, descripción, cantidad y monto solicitados, la decisión (aprobada, aprobada "
        "por menor monto o cantidad, o no aprobada), la cantidad y el monto aprobados y la "
        "unidad de su precio (pieza, o servicio o licencia por tantos meses). Una "
        "fila por partida de cada dictamen del registro (dictamenes.csv, por su folio); el "
        "histórico importado no tiene partidas. No contiene datos personales."
    ),
    palabras=("dictámenes", "compras públicas", "partidas"),
    campos=(
        Campo(
            "folio",
            "string",
            _("Folio del dictamen, el mismo de dictamenes.csv."),
            REQUERIDO,
        ),
        Campo(
            "partida",
            "integer",
            _("Número de la partida en su solicitud, en el orden en que se capturó: 1, 2, …"),
            {"required": True, "minimum": 1},
        ),
        CATEGORIA_CLAVE,
        CATEGORIA,
        Campo("descripcion", "string", _("Descripción de la partida."), REQUERIDO),
        Campo("cantidad_solicitada", "integer", _("Unidades solicitadas."), CONTEO),
        Campo(
            "monto_solicitado_mxn",
            "number",
            _("Cantidad por precio unitario de la partida, en pesos, con punto decimal."),
            _MONTO,
        ),
        Campo(
            "decision",
            "string",
            _(
                "Clave de lo que el dictamen decidió de la partida: aprobada, reducida (aprobada "
                "por menor monto o cantidad) o no_aprobada (todas, si es no favorable)."
            ),
            REQUERIDO,
            valores=lambda: list(Decision.values),
        ),
        Campo(
            "decision_etiqueta",
            "string",
            _("La decisión en palabras, como la dice la página del registro."),
            REQUERIDO,
            valores=etiquetas(Decision.labels),
        ),
        Campo("cantidad_aprobada", "integer", _("Unidades aprobadas (0 si no se aprobó)."), CONTEO),
        Campo(
            "monto_aprobado_mxn",
            "number",
            _("Monto aprobado de la partida, en pesos (0 si no se aprobó)."),
            _MONTO,
        ),
        # Issue 62, after the older columns: what one unit of the item is.
        Campo(
            "unidad",
            "string",
            _(
                "Clave de la unidad del precio unitario: pieza (un bien), servicio (un "
                "servicio por los meses de la columna meses) o licencia (una licencia por esos "
                "meses)."
            ),
            REQUERIDO,
            valores=lambda: list(UnidadPrecio.values),
        ),
        Campo(
            "meses",
            "integer",
            _(
                "Meses que cubre el precio unitario de un servicio o una licencia; vacío en una "
                "pieza, o si no se dijo (un servicio se toma por un mes y una licencia por un "
                "año)."
            ),
            {"minimum": 1},
        ),
        # Issue 93, item 6: when the item's price was decided, to the microsecond.
        Campo(
            "decidida_en",
            "datetime",
            _(
                "Fecha y hora exactas de la decisión sobre la partida, en ISO 8601, en tiempo "
                "universal (UTC, +00:00) y al microsegundo: la referencia de precio que imprimió "
                "el dictamen es la de ese momento. Vacía sin decisión propia (el histórico "
                "importado, o los dictámenes anteriores a las decisiones por partida, que "
                "aprueban todo)."
            ),
        ),
    ),
    clave=("folio", "partida"),
    json=True,
    claves_foraneas=(
        {"fields": "folio", "reference": {"resource": "dictamenes", "fields": "folio"}},
    ),
)
CAMPOS = [campo.nombre for campo in PARTIDAS.campos]
# Text people typed (or that an administrator named): the CSV passes it through sin_formulas.
_LIBRES = frozenset({"categoria_clave", "categoria", "descripcion"})


def _partidas(dictamenes) -> Iterator:
    """The items of `dictamenes` (a Dictamen queryset), one per (dictamen, item), each with its
    dictamen's pk, folio and result: in the register's order, then in the request's."""
    return (
        Partida.objects.filter(solicitud__dictamenes__in=dictamenes)
        .annotate(
            dictamen_pk=F("solicitud__dictamenes__pk"),
            dictamen_folio=F("solicitud__dictamenes__folio"),
            dictamen_resultado=F("solicitud__dictamenes__resultado"),
        )
        .select_related("perfil__categoria", "decision__motivo")
        .only(
            "pk",
            "solicitud_id",
            "descripcion",
            "cantidad",
            "precio_unitario",
            "unidad",
            "meses",
            "perfil__categoria__clave",
            "perfil__categoria__nombre",
            "decision__resultado",
            "decision__cantidad_aprobada",
            "decision__monto_aprobado",
            "decision__texto",
            "decision__motivo__nombre",
            "decision__decidida_en",
        )
        .order_by(
            "-solicitud__dictamenes__emitido_en", "-solicitud__dictamenes__pk", "solicitud_id", "pk"
        )
    )


def _filas(partidas: Iterable) -> Iterator[tuple[int, dict]]:
    """(dictamen pk, row) for each item, numbered within its request, its decision read under
    its own dictamen's result."""
    etiquetas_ = {k: str(v) for k, v in Decision.choices}
    anterior, numero = None, 0
    for partida in partidas:
        numero = numero + 1 if partida.dictamen_pk == anterior else 1
        anterior = partida.dictamen_pk
        leida = decisiones.decisiones_de_solicitud(
            solicitud=None, resultado=partida.dictamen_resultado, partidas=[partida]
        ).partidas[0]
        categoria = partida.perfil.categoria
        yield (
            partida.dictamen_pk,
            {
                "folio": partida.dictamen_folio,
                "partida": numero,
                "categoria_clave": categoria.clave,
                "categoria": categoria.nombre,
                "descripcion": texto_publicable(partida.descripcion),
                "cantidad_solicitada": partida.cantidad,
                "monto_solicitado_mxn": f"{partida.importe:.2f}",
                "decision": leida.resultado,
                "decision_etiqueta": etiquetas_[leida.resultado],
                "cantidad_aprobada": leida.cantidad_aprobada,
                "monto_aprobado_mxn": f"{leida.monto_aprobado:.2f}",
                "unidad": partida.unidad,
                # A piece's price covers no months, whatever the form kept.
                "meses": None if partida.unidad == UnidadPrecio.PIEZA else partida.meses,
                "decidida_en": instante(
                    partida.decision.decidida_en if hasattr(partida, "decision") else None
                ),
            },
        )


def por_dictamen(ids) -> dict[int, list[dict]]:
    """The items of these dictámenes by dictamen pk, in the request's order (one query): the
    register's page and /api/v1/registro/ show them under each row."""
    resultado: dict[int, list[dict]] = {}
    for pk, fila in _filas(_partidas(Dictamen.objects.filter(pk__in=list(ids)))):
        resultado.setdefault(pk, []).append(fila)
    return resultado


def _todas() -> Iterator[dict]:
    partidas = _partidas(dictamenes_publicos()).iterator(chunk_size=2000)
    return (fila for _pk, fila in _filas(partidas))


def csv_lineas(filas_por_trozo: int = 500) -> Iterator[str]:
    """Every item as CSV (UTF-8 with BOM), a few hundred lines per chunk, never the whole file
    in memory; text people typed cleaned with sin_formulas."""
    filas = _todas()
    primero = True
    while True:
        trozo = list(islice(filas, filas_por_trozo))
        if not trozo and not primero:
            return
        salida = io.StringIO()
        escritor = csv.writer(salida, lineterminator="\r\n")
        if primero:
            salida.write("\ufeff")
            escritor.writerow(CAMPOS)
            primero = False
        for fila in trozo:
            escritor.writerow(sin_formulas(fila[c]) if c in _LIBRES else fila[c] for c in CAMPOS)
        yield salida.getvalue()


def json_trozos(filas_por_trozo: int = 500) -> Iterator[str]:
    yield '{"partidas": ['
    filas = _todas()
    primero = True
    while trozo := list(islice(filas, filas_por_trozo)):
        texto = ",".join(json.dumps(f, ensure_ascii=False) for f in trozo)
        yield texto if primero else "," + texto
        primero = False
    yield "]}"
