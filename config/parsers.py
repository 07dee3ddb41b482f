"""The API's JSON parser, with its errors in Spanish.

DRF's own parser answers a malformed body with "JSON parse error - <Python's English
message>", and lets a RecursionError through (a body of a few thousand nested brackets) as a
500. This one answers every malformed body with a 400 and a Spanish message.
"""

import json

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

ERROR_JSON_SINTAXIS = _(
    "El cuerpo de la petición no es un JSON válido (línea %(linea)s, columna %(columna)s)."
)
ERROR_JSON_CODIFICACION = _("El cuerpo de la petición debe estar en UTF-8.")
ERROR_JSON_VALOR = _(
    "El JSON trae un valor que no se admite: NaN, Infinity o un número de miles de dígitos."
)
ERROR_JSON_PROFUNDO = _("El JSON está anidado a demasiada profundidad.")


def _mensaje(causa) -> str:
    if isinstance(causa, json.JSONDecodeError):
        return ERROR_JSON_SINTAXIS % {"linea": causa.lineno, "columna": causa.colno}
    if isinstance(causa, UnicodeDecodeError):
        return str(ERROR_JSON_CODIFICACION)
    return str(ERROR_JSON_VALOR)


class JSONParserEnEspanol(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(ERROR_JSON_PROFUNDO) from exc
        except ParseError as exc:
            # DRF raises it while handling the ValueError that says what was wrong.
            raise ParseError(_mensaje(exc.__context__)) from exc
