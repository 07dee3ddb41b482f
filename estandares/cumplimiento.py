"""The compliance engine: a pure, deterministic check of specifications against a profile.

Nothing here touches the database or the clock. The caller turns a Perfil into a PerfilSpec
(selectors.perfil_spec) and stores the returned Evaluacion as JSON, so a dictamen can show
years later exactly how each item was judged, by which edition.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext_lazy as _

from estandares import unidades


class Resultado(models.TextChoices):
    CUMPLE = "cumple", _("Cumple")
    NO_CUMPLE = "no_cumple", _("No cumple")
    NO_APLICA = "no_aplica", _("No aplica")
    REVISION = "revision", _("Requiere revisión humana")


class Veredicto(models.TextChoices):
    CUMPLE = "cumple", _("Cumple")
    CUMPLE_CON_OBSERVACIONES = "observaciones", _("Cumple con observaciones")
    REQUIERE_REVISION = "revision", _("Requiere revisión humana")
    NO_CUMPLE = "no_cumple", _("No cumple")


@dataclass(frozen=True)
class RequisitoSpec:
    clave: str
    nombre: str
    tipo: str  # numero | opcion | booleano | declaracion
    obligatorio: bool = True
    unidad: str = ""
    minimo: Decimal | None = None
    maximo: Decimal | None = None
    opciones: tuple[str, ...] = ()
    fundamento: str = ""


@dataclass(frozen=True)
class PerfilSpec:
    perfil_id: int | None
    version: str
    categoria: str
    nombre: str
    requisitos: tuple[RequisitoSpec, ...]


@dataclass(frozen=True)
class ResultadoRequisito:
    clave: str
    nombre: str
    obligatorio: bool
    resultado: str
    motivo: str
    valor: str = ""


@dataclass(frozen=True)
class Evaluacion:
    perfil_id: int | None
    version: str
    veredicto: str
    resultados: tuple[ResultadoRequisito, ...]
    claves_desconocidas: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def etiqueta_veredicto(self) -> str:
        return str(Veredicto(self.veredicto).label)


class _ValorInvalido(Exception):
    """The value cannot be read for this requisito; a person must look at it."""


SI = {"si", "sí", "true", "1", "verdadero", "yes"}
NO = {"no", "false", "0", "falso"}
_NUMERO_CON_UNIDAD = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(\D.*)?$")
_MILES = re.compile(r"^\s*[+-]?\d{1,3}(,\d{3})+(\.\d+)?")


def fmt(valor: Decimal) -> str:
    """16.0000 → 16, 2.50 → 2.5 (no exponent notation)."""
    texto = format(valor.normalize(), "f")
    return texto


def _vacio(valor) -> bool:
    return valor is None or (isinstance(valor, str) and not valor.strip())


# A measurement beyond 10^15 (or a fraction below 10^-15) of its unit is not a real
# specification; read as a number it would overflow the conversions or fill the messages
# with a million digits, so it goes to a person instead.
MAGNITUD_MAXIMA = 15
_LARGO_MOSTRADO = 200


def _mostrar(valor) -> str:
    """A value for a message, bounded: str() of an int of thousands of digits raises."""
    try:
        texto = str(valor)
    except ValueError:
        texto = str(_("un número de demasiados dígitos"))
    return texto if len(texto) <= _LARGO_MOSTRADO else texto[: _LARGO_MOSTRADO - 1] + "…"


def _utilizable(numero: Decimal, valor) -> Decimal:
    """NaN and infinities compare with an error or pass every minimum; refuse them."""
    if not numero.is_finite() or (
        numero and not -MAGNITUD_MAXIMA <= numero.adjusted() <= MAGNITUD_MAXIMA
    ):
        raise _ValorInvalido(f"«{_mostrar(valor)}» no es un número utilizable")
    return numero


def _decimal(valor) -> Decimal:
    if isinstance(valor, bool):
        raise _ValorInvalido(f"«{_mostrar(valor)}» no es un número")
    if isinstance(valor, int | Decimal):
        return _utilizable(Decimal(valor), valor)
    if isinstance(valor, float):
        return _utilizable(Decimal(repr(valor)), valor)
    if isinstance(valor, str):
        try:
            return _utilizable(Decimal(valor.strip()), valor)
        except InvalidOperation:
            pass
    raise _ValorInvalido(f"«{_mostrar(valor)}» no es un número")


def _leer_numero(valor, unidad_requisito: str) -> tuple[Decimal, str]:
    """Read 16, "16", "16 GB", "1.5 TB", "1,000 Mbps" or {"valor": 1, "unidad": "TB"}."""
    unidad = unidad_requisito
    if isinstance(valor, dict):
        unidad_dada = valor.get("unidad") or unidad_requisito
        numero = _decimal(valor.get("valor"))
    elif isinstance(valor, str):
        texto = valor
        if _MILES.match(texto):
            texto = texto.replace(",", "")
        match = _NUMERO_CON_UNIDAD.match(texto)
        if not match:
            raise _ValorInvalido(f"«{_mostrar(valor)}» no es un número")
        numero = _utilizable(Decimal(match.group(1)), valor)
        unidad_dada = (match.group(2) or unidad_requisito).strip()
    else:
        numero = _decimal(valor)
        unidad_dada = unidad_requisito
    if not isinstance(unidad_dada, str):
        raise _ValorInvalido(f"la unidad «{_mostrar(unidad_dada)}» no es válida")
    normalizada = unidades.normalizar(unidad_dada)
    if normalizada is None:
        raise _ValorInvalido(f"la unidad «{_mostrar(unidad_dada)}» no se reconoce")
    try:
        convertido = unidades.convertir(numero, normalizada, unidad)
    except unidades.UnidadIncompatible as exc:
        raise _ValorInvalido(f"la unidad {normalizada} no es compatible con {unidad}") from exc
    original = f"{fmt(numero)} {normalizada}"
    return convertido, original


def _evaluar_numero(req: RequisitoSpec, valor) -> tuple[str, str, str]:
    numero, original = _leer_numero(valor, req.unidad)
    en_unidad = f"{fmt(numero)} {req.unidad}"
    mostrado = original if original == en_unidad else f"{original} ({en_unidad})"
    if req.minimo is not None and numero < req.minimo:
        return (
            Resultado.NO_CUMPLE,
            f"{mostrado} es menor que el mínimo de {fmt(req.minimo)} {req.unidad}",
            original,
        )
    if req.maximo is not None and numero > req.maximo:
        return (
            Resultado.NO_CUMPLE,
            f"{mostrado} excede el máximo de {fmt(req.maximo)} {req.unidad}",
            original,
        )
    limites = []
    if req.minimo is not None:
        limites.append(f"mínimo {fmt(req.minimo)} {req.unidad}")
    if req.maximo is not None:
        limites.append(f"máximo {fmt(req.maximo)} {req.unidad}")
    return Resultado.CUMPLE, f"{mostrado} cumple ({', '.join(limites)})", original


def _evaluar_opcion(req: RequisitoSpec, valor) -> tuple[str, str, str]:
    if not isinstance(valor, str):
        raise _ValorInvalido(f"«{_mostrar(valor)}» no es una de las opciones")
    elegido = valor.strip()
    for opcion in req.opciones:
        if opcion.casefold() == elegido.casefold():
            return Resultado.CUMPLE, f"«{opcion}» es una opción aceptada", opcion
    return (
        Resultado.NO_CUMPLE,
        f"«{_mostrar(elegido)}» no está entre las opciones aceptadas: {', '.join(req.opciones)}",
        elegido,
    )


def _evaluar_booleano(req: RequisitoSpec, valor) -> tuple[str, str, str]:
    if isinstance(valor, str) and valor.strip().casefold() in SI | NO:
        valor = valor.strip().casefold() in SI
    if not isinstance(valor, bool):
        raise _ValorInvalido(f"«{_mostrar(valor)}» no es sí o no")
    if valor:
        return Resultado.CUMPLE, "Se declara que se cumple", "Sí"
    return Resultado.NO_CUMPLE, "Se declara que no se cumple", "No"


def _evaluar_declaracion(req: RequisitoSpec, valor) -> tuple[str, str, str]:
    if not isinstance(valor, str):
        raise _ValorInvalido("la declaración debe ser un texto")
    texto = valor.strip()
    return (
        Resultado.CUMPLE,
        "Declaración presentada; su contenido lo valora el área revisora",
        texto,
    )


_EVALUADORES = {
    "numero": _evaluar_numero,
    "opcion": _evaluar_opcion,
    "booleano": _evaluar_booleano,
    "declaracion": _evaluar_declaracion,
}


def evaluar_requisito(req: RequisitoSpec, valor) -> ResultadoRequisito:
    def resultado(res, motivo, mostrado=""):
        return ResultadoRequisito(
            clave=req.clave,
            nombre=req.nombre,
            obligatorio=req.obligatorio,
            resultado=str(res),
            motivo=motivo,
            valor=mostrado,
        )

    if _vacio(valor):
        if req.obligatorio:
            return resultado(Resultado.NO_CUMPLE, "Falta el valor de un requisito obligatorio")
        return resultado(Resultado.NO_APLICA, "Requisito recomendado sin valor declarado")
    try:
        return resultado(*_EVALUADORES[req.tipo](req, valor))
    except _ValorInvalido as exc:
        return resultado(
            Resultado.REVISION,
            f"No se pudo evaluar: {exc}; un revisor debe valorarlo",
            _mostrar(valor),
        )


def veredicto(resultados: tuple[ResultadoRequisito, ...]) -> str:
    if any(r.obligatorio and r.resultado == Resultado.NO_CUMPLE for r in resultados):
        return Veredicto.NO_CUMPLE
    if any(r.resultado == Resultado.REVISION for r in resultados):
        return Veredicto.REQUIERE_REVISION
    if any(r.resultado == Resultado.NO_CUMPLE for r in resultados):
        return Veredicto.CUMPLE_CON_OBSERVACIONES
    return Veredicto.CUMPLE


def evaluar(perfil: PerfilSpec, especificaciones: dict) -> Evaluacion:
    """Judge `especificaciones` ({clave: valor}) against every requisito of `perfil`."""
    if not isinstance(especificaciones, dict):
        especificaciones = {}
    resultados = tuple(
        evaluar_requisito(req, especificaciones.get(req.clave)) for req in perfil.requisitos
    )
    conocidas = {req.clave for req in perfil.requisitos}
    return Evaluacion(
        perfil_id=perfil.perfil_id,
        version=perfil.version,
        veredicto=str(veredicto(resultados)),
        resultados=resultados,
        claves_desconocidas=tuple(sorted(str(k) for k in especificaciones if k not in conocidas)),
    )
