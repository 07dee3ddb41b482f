"""The price basis of a decision in words (issue 62): one sentence, written once, that the
dictamen's PDF, /verificar/, the e-mail of the dictamen and the API all print, from the JSON
the decision keeps (DecisionPartida.base_precio, precios.selectors.PrecioDePartida.base()).

Every figure is in the item's own unit (a piece, or a service or licence over its months),
as kept at the decision. A decision kept without basis (made before issue 62) says nothing."""

import datetime

from dictamenes.models.precios import MetodoPrecio, UnidadPrecio
from dictamenes.montos import pesos
from dictamenes.precios import ley, reglas

_NUMEROS = {1: "una", 2: "dos", 3: "tres", 4: "cuatro", 5: "cinco"}
SIN_REFERENCIA = (
    f"sin precio de referencia (menos de {_NUMEROS[reglas.COMPRAS_MINIMAS]} compras de "
    f"{_NUMEROS[reglas.ENTES_MINIMOS]} entes)"
)
# The market price is kept only when a quote was valid: none kept may also mean that every
# quote had expired or was out of line.
SIN_COTIZACIONES = "sin cotizaciones válidas"


def _fecha(iso: str) -> str:
    return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y")


def _meses(n: int) -> str:
    return "1 mes" if n == 1 else f"{n} meses"


def unidad_texto(unidad: str, meses: int | None) -> str:
    """«por pieza», «por servicio de 12 meses», «por licencia de 36 meses»: the unit the
    item's price is for. Without months, a service is taken as one month and a licence as a
    year, as reglas.factor takes them."""
    if unidad == UnidadPrecio.SERVICIO:
        return f"por servicio de {_meses(meses or 1)}"
    if unidad == UnidadPrecio.LICENCIA:
        return f"por licencia de {_meses(meses or 12)}"
    return "por pieza"


def _referencia(r: dict, unidad: str) -> str:
    # Issue 93: since each agency counts once, the median is of the agencies' medians.
    de = (
        f"mediana de las medianas de cada ente: {r['compras']} compras de {r['entes']} entes"
        if r.get("por_ente")
        else f"mediana de {r['compras']} compras de {r['entes']} entes"
    )
    return (
        f"referencia {pesos(r['mediana'])} {unidad} ({de}, "
        f"{_fecha(r['desde'])}–{_fecha(r['hasta'])}; "
        f"Q1 {pesos(r['cuartil_1'])}–Q3 {pesos(r['cuartil_3'])})"
    )


def _mercado(m: dict) -> str:
    validas = "1 válida" if m["validas"] == 1 else f"{m['validas']} válidas"
    if m["metodo"] == MetodoPrecio.DISPERSION and m.get("aplicado"):
        # Issue 76, item 4: the rule applied, «media (según la dispersión: coeficiente de
        # variación 18.0 % ≤ 25 %)».
        regla = reglas.regla_texto(m["metodo"], m["aplicado"], m.get("cv"), m.get("cv_pct"))
        return f"precio de mercado {pesos(m['precio'])} ({regla}; {validas} de {m['cotizaciones']})"
    metodo = str(MetodoPrecio(m["metodo"]).label)
    return f"precio de mercado {pesos(m['precio'])} ({metodo}: {validas} de {m['cotizaciones']})"


def _ley(base_ley: dict, tecleado: str) -> str:
    """Issue 76, item 5: «pruebas de la ley: Precio no aceptable: 13.6 % sobre la mediana de
    las cotizaciones válidas (…) (fundamento: …)»."""
    prueba = ley.desde_base(base_ley, tecleado)
    texto = f"pruebas de la ley del precio solicitado: {prueba.texto}"
    if prueba.articulo:
        texto += f" (fundamento: {prueba.articulo})"
    return texto


def base_precio_texto(base: dict | None) -> str:
    """«Base del precio: referencia … ; precio de mercado …; precio solicitado $Z; pruebas
    de la ley …»; "" for a decision kept without basis. The law's tests appear for a decision
    that kept them (issue 76)."""
    if not base:
        return ""
    unidad = unidad_texto(base["unidad"], base.get("meses"))
    partes = [
        _referencia(base["referencia"], unidad) if base.get("referencia") else SIN_REFERENCIA,
        _mercado(base["mercado"]) if base.get("mercado") else SIN_COTIZACIONES,
        f"precio solicitado {pesos(base['tecleado'])} {unidad}",
    ]
    if base.get("ley"):
        partes.append(_ley(base["ley"], base["tecleado"]))
    return "Base del precio: " + "; ".join(partes) + "."
