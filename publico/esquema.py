"""How an open dataset is described: its fields with their Table Schema types and
constraints, the data dictionary read from that schema, and an aggregated dataset's CSV.
publico.conjuntos describes each published dataset with these pieces."""

import csv
import datetime
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from dictamenes.comun.tablas import sin_formulas

# Cells people typed (or that could start with a sign) go out with a leading apostrophe when
# they start with =, +, -, @, a tab or a carriage return, so no spreadsheet runs them.
NOTA_FORMULAS = _(
    "Un texto que empieza con =, +, -, @, tabulador o retorno lleva delante un apóstrofo (') "
    "para que ninguna hoja de cálculo lo ejecute como fórmula."
)


TIPOS_LEGIBLES = {
    "string": _("texto"),
    "integer": _("entero"),
    "number": _("número"),
    "date": _("fecha (AAAA-MM-DD)"),
    "datetime": _("fecha y hora (ISO 8601, con su zona: +00:00 es UTC)"),
    "yearmonth": _("año y mes (AAAA-MM)"),
    "object": _("objeto JSON"),
}


def instante(momento) -> str:
    """An instant as the open data publishes it (issue 93, item 6): ISO 8601 in UTC, with its
    offset (+00:00) and to the microsecond, as the database keeps it
    («2026-11-28T14:56:22.282449+00:00»): two steps a few milliseconds apart (a decision and a
    dictamen issued the same minute) are told apart, and any reader sorts them as text. Why
    not the local offset: «22.282449-07», six decimals and a negative offset, is ten digits
    that the personal-data detector reads, rightly for a person's text, as a telephone number
    (estandares.datos_personales); the day columns stay local. "" for none."""
    if momento is None:
        return ""
    return momento.astimezone(datetime.UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Campo:
    nombre: str
    tipo: str  # a Table Schema type: string, integer, number, date, datetime, yearmonth, object
    descripcion: str
    restricciones: dict = field(default_factory=dict)
    formato: str = ""
    # The allowed values, computed when the schema is asked for (labels are translated).
    valores: Callable[[], list[str]] | None = None

    def descriptor(self) -> dict:
        descriptor = {"name": self.nombre, "type": self.tipo, "description": str(self.descripcion)}
        if self.formato:
            descriptor["format"] = self.formato
        restricciones = dict(self.restricciones)
        if self.valores:
            restricciones["enum"] = self.valores()
        if restricciones:
            descriptor["constraints"] = restricciones
        return descriptor


@dataclass(frozen=True)
class Conjunto:
    nombre: str  # the file name without extension, and the anchor on the page
    titulo: str
    descripcion: str
    palabras: tuple[str, ...]
    campos: tuple[Campo, ...]
    clave: tuple[str, ...]
    # The rows of an aggregated dataset, as dicts keyed by field name (None: the register and
    # its items, which publico.datos_abiertos and publico.partidas stream).
    filas: Callable[[], list[dict]] | None = None
    json: bool = False  # also published as JSON
    # Table Schema foreignKeys: a column that names a row of another dataset of the package.
    claves_foraneas: tuple[dict, ...] = ()

    def esquema(self) -> dict:
        """The Frictionless Table Schema."""
        esquema = {
            "fields": [c.descriptor() for c in self.campos],
            "primaryKey": list(self.clave),
            "missingValues": [""],
        }
        if self.claves_foraneas:
            esquema["foreignKeys"] = [dict(clave) for clave in self.claves_foraneas]
        return esquema

    def diccionario(self) -> list[dict]:
        """The data dictionary's rows, read from the Table Schema itself (the page cannot
        say anything the schema does not)."""
        filas = []
        for descriptor in self.esquema()["fields"]:
            restricciones = descriptor.get("constraints", {})
            rango = [
                f"{signo} {restricciones[clave]}"
                for clave, signo in (("minimum", "≥"), ("maximum", "≤"))
                if clave in restricciones
            ]
            filas.append(
                {
                    "nombre": descriptor["name"],
                    "tipo": descriptor["type"],
                    "tipo_legible": TIPOS_LEGIBLES[descriptor["type"]],
                    "obligatorio": restricciones.get("required", False),
                    "valores": restricciones.get("enum", []),
                    "rango": ", ".join(rango),
                    "patron": restricciones.get("pattern", ""),
                    "descripcion": descriptor["description"],
                }
            )
        return filas

    def csv(self) -> str:
        """An aggregated dataset as CSV: UTF-8 with BOM (spreadsheets open it right)."""
        salida = io.StringIO()
        escritor = csv.writer(salida, lineterminator="\r\n")
        escritor.writerow(c.nombre for c in self.campos)
        for fila in self.filas():
            escritor.writerow(sin_formulas(fila[c.nombre]) for c in self.campos)
        return "\ufeff" + salida.getvalue()

    def json_texto(self) -> str:
        """An aggregated dataset published as JSON too: its rows under its name."""
        return json.dumps({self.nombre: self.filas()}, ensure_ascii=False)


def etiquetas(opciones) -> Callable[[], list[str]]:
    return lambda: [str(etiqueta) for etiqueta in opciones]


# The constraints most fields share.
REQUERIDO = {"required": True}
CONTEO = {"required": True, "minimum": 0}
PORCENTAJE = {"required": True, "minimum": 0, "maximum": 100}


# The standard's category, as every dataset that has one names it.
CATEGORIA_CLAVE = Campo(
    "categoria_clave",
    "string",
    _("Clave de la categoría de los estándares (la misma en cada edición)."),
    REQUERIDO,
)
CATEGORIA = Campo("categoria", "string", _("Nombre de la categoría de los estándares."), REQUERIDO)

# Who asked and when, as every dataset by agency and year names them.
EJERCICIO = Campo(
    "ejercicio", "integer", _("Ejercicio fiscal de la solicitud."), {"required": True}
)
ENTE_SIGLAS = Campo(
    "ente_siglas", "string", _("Siglas de la dependencia o entidad solicitante."), REQUERIDO
)
ENTE = Campo("ente", "string", _("Nombre de la dependencia o entidad solicitante."), REQUERIDO)
