"""The arithmetic of the figures, written once and pure: no query reaches it."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from dictamenes.models import Resultado

CENTAVO = Decimal("0.01")
CERO = Decimal("0.00")
CAMPOS_MONTO = ("solicitado", "aprobado", "contratado", "ahorro")
# Issue 62, the savings against the state's own reference prices, for the ordinary purchases
# and apart for the consolidated ones (Solicitud.compra_consolidada): the approved items
# (coverage's whole), those of them decided with a reference, the reference × the quantity
# approved of those, what was approved of those, the savings (ahorros.DEFINICION_REFERENCIA)
# and, since issue 76, what was requested above the reference (the whole the savings are a
# share of). One set of fields for each kind, the consolidated ones prefixed.
CAMPOS_REFERENCIA = (
    "partidas_aprobadas",
    "partidas_con_referencia",
    "a_referencia",
    "aprobado_con_referencia",
    "ahorro_referencia",
    "sobre_referencia",
)
CONSOLIDADA = "consolidada_"
# The open data's columns in this order: the field of issue 76 after those of issue 62, so a
# program that reads them by position keeps working.
_DE_62, _DE_76 = CAMPOS_REFERENCIA[:5], CAMPOS_REFERENCIA[5:]
CAMPOS_PRECIO = tuple(
    p + c for campos in (_DE_62, _DE_76) for p in ("", CONSOLIDADA) for c in campos
)
CAMPOS_SUMA = CAMPOS_MONTO + CAMPOS_PRECIO
_CUENTAS = {
    p + c for p in ("", CONSOLIDADA) for c in ("partidas_aprobadas", "partidas_con_referencia")
}
_RECORTADO = ("ahorro_referencia", "sobre_referencia")
COMPRAS = (("", _("Por ente")), (CONSOLIDADA, _("Consolidada")))


def pesos(valor) -> Decimal:
    """An amount (None: nothing) in pesos, to the cent."""
    return (Decimal(valor) if valor is not None else CERO).quantize(CENTAVO, ROUND_HALF_UP)


def repartir(total: Decimal, pesos: list[Decimal]) -> list[Decimal]:
    """`total` split in proportion to `pesos`, in cents that add up to it exactly (the
    largest remainders get the leftover cents). Equal parts when every weight is zero."""
    if not pesos:
        return []
    suma = sum(pesos)
    if suma <= 0:
        pesos, suma = [Decimal(1)] * len(pesos), Decimal(len(pesos))
    centavos = int((total / CENTAVO).to_integral_value(ROUND_HALF_UP))
    exactos = [Decimal(centavos) * p / suma for p in pesos]
    partes = [int(e) for e in exactos]  # weights are ≥ 0: int() floors
    sobran = centavos - sum(partes)
    orden = sorted(range(len(pesos)), key=lambda i: (exactos[i] - partes[i], -i), reverse=True)
    for i in orden[:sobran]:
        partes[i] += 1
    return [Decimal(p) * CENTAVO for p in partes]


def aprobado(resultado, decidido, sin_decision) -> Decimal:
    """What a dictamen in force approved of a category: its decided amounts plus its items
    without a decision; nothing when it says «no favorable», whatever its items' decisions say
    (a rectification may have changed the result after them)."""
    if resultado == Resultado.NO_FAVORABLE:
        return CERO
    return pesos(decidido) + pesos(sin_decision)


def cero(campo: str):
    """0 for the counts of items, $0.00 for the amounts."""
    return 0 if campo in _CUENTAS else CERO


# A new row's zeros, worked out once (the values are immutable: each sum makes a new one).
FILA_EN_CERO = {**dict.fromkeys(CAMPOS_MONTO, CERO), **{c: cero(c) for c in CAMPOS_PRECIO}}


def sumar_precio(fila: dict, sumas: dict) -> None:
    """Add one group's sums against the reference to its row (each kind apart)."""
    for prefijo in ("", CONSOLIDADA):
        for cuenta in ("partidas_aprobadas", "partidas_con_referencia"):
            fila[prefijo + cuenta] += sumas[prefijo + cuenta]
        for monto in ("a_referencia", "aprobado_con_referencia", *_RECORTADO):
            fila[prefijo + monto] += pesos(sumas[prefijo + monto])


def unir(piezas: list[dict]) -> dict:
    """Pieces of different agencies (or years) as one: their rows, and each category's name
    of the newest edition any of them used."""
    nombres: dict[str, tuple[int, str]] = {}
    for p in piezas:
        for clave, nombre in p["nombres"].items():
            if clave not in nombres or nombres[clave][0] < nombre[0]:
                nombres[clave] = nombre
    return {"filas": [f for p in piezas for f in p["filas"]], "nombres": nombres}


def combinar(piezas: list[dict], *, ejercicio: int | None = None) -> list[dict]:
    """The rows of these pieces (of one year of them, if given), each category named as in
    the newest edition any of them used, ordered by year, agency and category."""
    todas = unir(piezas)
    nombres = todas["nombres"]
    filas = [
        f | {"categoria": nombres[f["categoria_clave"]][1]}
        for f in todas["filas"]
        if ejercicio is None or f["ejercicio"] == ejercicio
    ]
    return sorted(filas, key=lambda f: (f["ejercicio"], f["ente_siglas"], f["categoria"]))


def pct(parte: Decimal, todo: Decimal) -> Decimal | None:
    """`parte` as a percentage of `todo`, to a tenth; None when there is no whole."""
    return (100 * parte / todo).quantize(Decimal("0.1"), ROUND_HALF_UP) if todo else None


def totales(filas: list[dict], *, por: tuple[str, ...] = ("ejercicio",)) -> list[dict]:
    """The rows added up by the given keys (per year by default), in their order."""
    sumas: dict[tuple, dict] = {}
    for fila in filas:
        clave = tuple(fila[c] for c in por)
        suma = sumas.setdefault(
            clave, {**{c: fila[c] for c in por}, **{c: cero(c) for c in CAMPOS_SUMA}}
        )
        for campo in CAMPOS_SUMA:
            suma[campo] += fila[campo]
    for suma in sumas.values():
        suma["pct_ahorro"] = pct(suma["ahorro"], suma["solicitado"])
        for prefijo in ("", CONSOLIDADA):
            suma[prefijo + "pct_ahorro_referencia"] = pct(
                suma[prefijo + "ahorro_referencia"], suma[prefijo + "sobre_referencia"]
            )
    return sorted(sumas.values(), key=lambda s: tuple(s[c] for c in por))


def frente_a_referencia(filas: list[dict], *, por: tuple[str, ...]) -> list[dict]:
    """The savings against the reference of these rows (or totals), one row per kind of
    purchase that had approved items, the consolidated apart: {the `por` keys, compra,
    consolidada, CAMPOS_REFERENCIA, pct_ahorro_referencia (of what was requested above the
    reference: ahorros.DEFINICION_REFERENCIA)}."""
    salida = []
    for fila in filas:
        for prefijo, compra in COMPRAS:
            if not fila[prefijo + "partidas_aprobadas"]:
                continue
            una = {c: fila[c] for c in por} | {"compra": str(compra), "consolidada": bool(prefijo)}
            una |= {c: fila[prefijo + c] for c in CAMPOS_REFERENCIA}
            una["pct_ahorro_referencia"] = pct(una["ahorro_referencia"], una["sobre_referencia"])
            salida.append(una)
    return salida


def indice(parte: int, todo: int) -> float:
    """An indicator's share, in percent to a tenth (attended of received, on time of
    attended); 0 when there is no whole."""
    return round(100 * parte / todo, 1) if todo else 0


def con_barras(*, filas: list[dict], clave: str) -> list[dict]:
    """Add each row's bar length as a share of the largest value (for the SVG charts)."""
    maximo = max((f[clave] or 0 for f in filas), default=0) or 1
    return [f | {"barra": round(100 * (f[clave] or 0) / maximo, 1)} for f in filas]


def meses_seguidos(conteo: dict[tuple[int, int], int]) -> list[dict]:
    """Every month from the first to the last of `conteo` ((year, month) → n), those without
    any as 0: {anio, mes, n}."""
    if not conteo:
        return []
    (anio, mes), ultimo = min(conteo), max(conteo)
    filas = []
    while (anio, mes) <= ultimo:
        filas.append({"anio": anio, "mes": mes, "n": conteo.get((anio, mes), 0)})
        anio, mes = (anio + 1, 1) if mes == 12 else (anio, mes + 1)
    return filas


def grupos_de_fraccionamiento(filas) -> list[dict]:
    """How many groups of requests the track's rule tied together per year, from (year,
    folio, via_fraccion) of each flagged request: a group is the requests linked by it,
    directly or through another (the second and the third of three each name the others),
    counted once. {ejercicio, grupos}, by year."""
    padre: dict[tuple[int, str], tuple[int, str]] = {}

    def raiz(nodo):
        while padre.setdefault(nodo, nodo) != nodo:
            padre[nodo] = padre[padre[nodo]]
            nodo = padre[nodo]
        return nodo

    for ejercicio, folio, fracciones in filas:
        for fraccion in fracciones:
            for otro in fraccion["folios"]:
                padre[raiz((ejercicio, otro))] = raiz((ejercicio, folio))
    grupos: dict[int, int] = {}
    for ejercicio, _folio in {raiz(nodo) for nodo in list(padre)}:
        grupos[ejercicio] = grupos.get(ejercicio, 0) + 1
    return [{"ejercicio": e, "grupos": grupos[e]} for e in sorted(grupos)]
