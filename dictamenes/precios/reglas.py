"""The rules of price, written once and pure: units, the reference's figures and minimum,
the market price of a set of quotes, and where a price stands against a reference."""

import datetime
import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from dictamenes.models.precios import MetodoPrecio, UnidadPrecio
from estandares import identidad

# A reference needs this many purchases from this many agencies (issue 62, item 1).
COMPRAS_MINIMAS = 3
ENTES_MINIMOS = 2
# The window of the reference, and of the other agencies' purchases the requester sees.
MESES_REFERENCIA = 24
MESES_OTROS_ENTES = 12
CUATRO_DECIMALES = Decimal("0.0001")
CENTAVO = Decimal("0.01")

UNIDAD_NORMAL = {
    UnidadPrecio.PIEZA: _("por pieza"),
    UnidadPrecio.SERVICIO: _("por mes de servicio"),
    UnidadPrecio.LICENCIA: _("por licencia al año"),
}


def factor(unidad: str, meses: int | None) -> Decimal:
    """What multiplies an item's unit price to give it in its kind's normal unit: a piece
    as it is; a service over `meses` months per month; a licence over `meses` months per
    year. A service or licence without months is taken as one month / one year."""
    if unidad == UnidadPrecio.SERVICIO:
        return Decimal(1) / Decimal(meses or 1)
    if unidad == UnidadPrecio.LICENCIA:
        return Decimal(12) / Decimal(meses or 12)
    return Decimal(1)


def normalizar(precio: Decimal, unidad: str, meses: int | None) -> Decimal:
    return (Decimal(precio) * factor(unidad, meses)).quantize(CUATRO_DECIMALES, ROUND_HALF_UP)


def en_unidad_de(precio_normal: Decimal, unidad: str, meses: int | None) -> Decimal:
    """A normal-unit price back in an item's own unit, to the cent."""
    return (Decimal(precio_normal) / factor(unidad, meses)).quantize(CENTAVO, ROUND_HALF_UP)


# Above the office's amount each item carries three quotes that count (issue 92: the one
# constant the request's door and the sign read).
COTIZACIONES_MINIMAS = 3


def cotizaciones_exigidas(*, total: Decimal, umbral: Decimal) -> bool:
    """Whether a request's items need COTIZACIONES_MINIMAS quotes each: their total passes the
    office's amount (equal is within)."""
    return total > umbral


def cotizaciones_faltan(*, validas: int) -> bool:
    """Whether an item that needs them has fewer than COTIZACIONES_MINIMAS quotes that count."""
    return validas < COTIZACIONES_MINIMAS


def suficiente(*, compras: int, entes: int) -> bool:
    return compras >= COMPRAS_MINIMAS and entes >= ENTES_MINIMOS


@dataclass(frozen=True)
class Cifras:
    compras: int
    mediana: Decimal
    cuartil_1: Decimal
    cuartil_3: Decimal
    minimo: Decimal
    maximo: Decimal


def rangos(n: int) -> set[int]:
    """The ranks (0 is the lowest) that the median and the quartiles of `n` prices read: with
    them alone, `cifras_de_rangos` gives what `cifras` gives from every price, so the database
    may sort the window and send back these few rows (services.referencia_recalcular)."""
    if n == 1:
        return {0}
    leidos = {(n - 1) // 2, n // 2}
    for i in (1, 2, 3):
        j = i * (n - 1) // 4
        leidos |= {j, j + 1}
    return leidos


def mediana_de_rangos(n: int, en) -> Decimal:
    """statistics.median over `n` sorted prices, `en[r]` the price of rank r."""
    if n % 2 == 1:
        return en[n // 2]
    return (en[n // 2 - 1] + en[n // 2]) / 2


def redondo(valor) -> Decimal:
    """A figure of the reference, to four decimals."""
    return Decimal(valor).quantize(CUATRO_DECIMALES, ROUND_HALF_UP)


def cifras_de_rangos(n: int, en, *, minimo: Decimal, maximo: Decimal) -> Cifras:
    """The figures of `n` sorted prices from the ranks `rangos(n)` (`en[r]`), the lowest and
    the highest: the quartiles as statistics.quantiles(method="inclusive") interpolates them,
    with the same operations in the same order, so the result is the same Decimal."""
    if n == 1:
        q1 = q3 = en[0]
    else:
        q1, q3 = (
            (en[j] * (4 - delta) + en[j + 1] * delta) / 4
            for j, delta in (divmod(i * (n - 1), 4) for i in (1, 3))
        )
    return Cifras(
        compras=n,
        mediana=redondo(mediana_de_rangos(n, en)),
        cuartil_1=redondo(q1),
        cuartil_3=redondo(q3),
        minimo=minimo,
        maximo=maximo,
    )


def cifras(precios: list[Decimal]) -> Cifras | None:
    """Median, quartiles (inclusive method: the quartiles of the data themselves, as a
    spreadsheet's QUARTILE.INC), lowest and highest; None for no prices."""
    if not precios:
        return None
    ordenados = sorted(Decimal(p) for p in precios)
    return cifras_de_rangos(len(ordenados), ordenados, minimo=ordenados[0], maximo=ordenados[-1])


# Issue 93, item 5: what an approval or a contract above the reference contributes to it. An
# item flagged only above +25 % and a contract kept only within +10 % bound one step, not the
# drift: approvals at the edge, each entering the window above its median, moved a reference
# +8 % in 10 steps and +52 % in 80. The rule chosen among those tried (bench/trinquete.py): each
# agency's purchases of a profile count once per window, as their median, and the reference is
# the median (and the quartiles, and the lowest) of the agencies' medians. One agency's edge
# approvals then move one value, however many there are; an honest rise, which every agency
# pays, moves them all.
REGLA_POR_ENTE = _(
    "Cada ente cuenta una vez por perfil en la ventana: la referencia es la mediana de las "
    "medianas de lo que pagó cada ente."
)


def cifras_por_ente(medianas: list[Decimal], *, compras: int) -> Cifras:
    """The reference's figures from each agency's median price in the window (one value per
    agency), with the number of purchases behind them."""
    c = cifras(medianas)
    return Cifras(
        compras=compras,
        mediana=c.mediana,
        cuartil_1=c.cuartil_1,
        cuartil_3=c.cuartil_3,
        minimo=redondo(c.minimo),
        maximo=redondo(c.maximo),
    )


# --- The market price of an item's quotes (issue 62; issue 76, items 3 and 4) --------------


# The index of the last few agencies' keys ente_de was given, by the dict's id (held, so that
# the id is not reused while it is here): a page asks it of each quote with the same dict.
_INDICES: dict[int, tuple[dict, identidad.Parecidos]] = {}
_INDICES_MAXIMO = 8


def _indice(entes: dict[str, int]) -> identidad.Parecidos:
    if (guardado := _INDICES.get(id(entes))) is not None and guardado[0] is entes:
        return guardado[1]
    if len(_INDICES) >= _INDICES_MAXIMO:
        _INDICES.clear()
    indice = identidad.Parecidos(entes)
    _INDICES[id(entes)] = (entes, indice)
    return indice


def ente_de(proveedor: str, entes: dict[str, int]) -> int | None:
    """The agency a supplier's name names (estandares.identidad.claves_como_ente: under any of
    its names, with or without a legal form), or one typo from it; None for none. `entes`:
    each agency's keys (identidad.claves_de_ente) -> its id."""
    if not entes:
        return None
    claves = sorted(identidad.claves_como_ente(proveedor))
    for clave in claves:
        if clave in entes:
            return entes[clave]
    indice = _indice(entes)
    for clave in claves:
        if (pk := indice.buscar(clave)) is not None:
            return pk
    return None


@dataclass(frozen=True)
class Cotizada:
    """A quote as the market price reads it: its supplier as written, unit price, whether it
    is still in force, its date and its file's SHA-256."""

    pk: int | None
    proveedor: str
    precio: Decimal
    vigente: bool
    fecha: datetime.date | None = None
    archivo: str = ""
    # The RFC in its own field (issue 88); without it, one written inside the name.
    proveedor_rfc: str = ""

    @property
    def rfc(self) -> str:
        return identidad.rfc_canonico(self.proveedor_rfc) or next(
            iter(identidad.rfcs_en(self.proveedor)), ""
        )

    @property
    def nombre(self) -> str:
        return identidad.nombre_canonico(self.proveedor)


# Why a quote does not count: one reason per quote, the first that applies in this order.
MOTIVO_ENTE_PROPIO = _("es el propio ente que solicita: un ente público no es un proveedor")
MOTIVO_ENTE = _("es un ente público, no un proveedor")
MOTIVO_FUTURA = _("fechada después del %(dia)s, el día en que se revisa")
MOTIVO_ANTIGUA = _("tenía más de %(dias)s días el %(dia)s")
MOTIVO_VENCIDA = _("vencida")
MOTIVO_MISMO_PROVEEDOR = _("repite al proveedor de otra cotización (%(proveedor)s)")
MOTIVO_MISMO_ARCHIVO = _("repite el archivo de otra cotización (%(proveedor)s)")
MOTIVO_MISMO_PRECIO_Y_FECHA = _("repite el precio y la fecha de otra cotización (%(proveedor)s)")
MOTIVO_ATIPICA = _("fuera de línea: a más de %(pct)s %% de la mediana de las cotizaciones")
# Pointed out, not left out: a quote far from the profile's reference.
LEJOS_DE_LA_REFERENCIA = _(
    "a %(pct)s %% %(lado)s la mediana de referencia: más de %(limite)s %%, revise la cotización"
)

NOMBRES_METODO = {
    MetodoPrecio.MEDIA: _("media"),
    MetodoPrecio.MEDIANA: _("mediana"),
    MetodoPrecio.MENOR: _("menor precio válido"),
}
REGLA_DISPERSION = _(
    "%(aplicado)s (según la dispersión: coeficiente de variación %(cv)s %% %(signo)s %(limite)s %%)"
)


def metodo_de(categoria_clave: str, *, metodos_categoria: dict, metodo: str) -> str:
    """The market price's method of a category: the office's choice for it, else its
    general one."""
    return (metodos_categoria or {}).get(categoria_clave, metodo)


def coeficiente_de_variacion(precios: list[Decimal]) -> Decimal | None:
    """The population coefficient of variation of the prices, in %, to 0.1: the standard
    deviation of the quotes themselves (they are the whole market research, not a sample of
    one: statistics.pstdev) over their mean. 0 for one price, None for none."""
    if not precios:
        return None
    precios = [Decimal(p) for p in precios]
    media = sum(precios) / len(precios)
    cv = statistics.pstdev(precios) / media * 100
    return Decimal(cv).quantize(Decimal("0.1"), ROUND_HALF_UP)


def regla_texto(metodo: str, aplicado: str, cv, cv_pct) -> str:
    """«mediana», or «media (según la dispersión: coeficiente de variación 12.0 % ≤ 25 %)»."""
    nombre = str(NOMBRES_METODO.get(aplicado or metodo, aplicado or metodo))
    if metodo != MetodoPrecio.DISPERSION or cv is None:
        return nombre
    return str(
        REGLA_DISPERSION
        % {
            "aplicado": nombre,
            "cv": cv,
            "signo": "≤" if Decimal(cv) <= cv_pct else ">",
            "limite": cv_pct,
        }
    )


@dataclass(frozen=True)
class Mercado:
    """An item's market price from its quotes: the price (None without a valid quote), the
    method configured and the one applied («según la dispersión» applies the mean or the
    median), the valid quotes' coefficient of variation, each quote with why it was left out
    ("" when it counts), and how far each is from the profile's reference (None without a
    sufficient reference)."""

    precio: Decimal | None
    metodo: str
    cotizaciones: list[tuple[Cotizada, str]] = field(default_factory=list)
    aplicado: str = ""
    cv: Decimal | None = None
    cv_pct: int | None = None
    atipico_pct: int | None = None
    lejanias: tuple = ()  # % from the reference per quote, in order; None when not compared

    @property
    def validas(self) -> list[Cotizada]:
        return [c for c, motivo in self.cotizaciones if not motivo]

    @property
    def regla(self) -> str:
        return regla_texto(self.metodo, self.aplicado, self.cv, self.cv_pct)

    @property
    def filas(self) -> list[tuple[Cotizada, str, str]]:
        """Each quote, why it does not count ("" if it does) and, if it is far from the
        reference, the note that points it out ("" otherwise)."""
        lejanias = self.lejanias or (None,) * len(self.cotizaciones)
        return [
            (c, motivo, self.nota_lejana(pct))
            for (c, motivo), pct in zip(self.cotizaciones, lejanias, strict=True)
        ]

    def nota_lejana(self, pct) -> str:
        if pct is None or abs(pct) <= self.atipico_pct:
            return ""
        return str(
            LEJOS_DE_LA_REFERENCIA
            % {
                "pct": abs(pct).quantize(Decimal(1), ROUND_HALF_UP),
                "lado": _("sobre") if pct > 0 else _("bajo"),
                "limite": self.atipico_pct,
            }
        )

    @property
    def lejanas(self) -> int:
        """How many quotes are pointed out as far from the reference."""
        return sum(1 for _c, _m, nota in self.filas if nota)


def _motivo_de_fecha(c: Cotizada, hoy, antiguedad_dias) -> str:
    if hoy is None or c.fecha is None:
        return ""
    dia = hoy.strftime("%d/%m/%Y")
    if c.fecha > hoy:
        return str(MOTIVO_FUTURA % {"dia": dia})
    if antiguedad_dias is not None and (hoy - c.fecha).days > antiguedad_dias:
        return str(MOTIVO_ANTIGUA % {"dias": antiguedad_dias, "dia": dia})
    return ""


def mismo_proveedor(a: Cotizada, b: Cotizada) -> bool:
    """One supplier (issue 88): the same RFC, or the same name however written
    (estandares.identidad.nombre_canonico), or one typo apart: a supplier who writes three RFCs
    under one name is one supplier, and so is one name written with a look-alike letter."""
    if a.rfc and a.rfc == b.rfc:
        return True
    return identidad.casi_iguales(a.nombre, b.nombre)


def _motivo_repetida(c: Cotizada, cuentan: list[Cotizada]) -> str:
    """Whether `c` repeats a quote counted before it: the same supplier, the same file, or
    the same price and date."""
    for motivo, igual in (
        (MOTIVO_MISMO_PROVEEDOR, lambda o: mismo_proveedor(c, o)),
        (MOTIVO_MISMO_ARCHIVO, lambda o: c.archivo and c.archivo == o.archivo),
        (MOTIVO_MISMO_PRECIO_Y_FECHA, lambda o: (c.precio, c.fecha) == (o.precio, o.fecha)),
    ):
        for otra in cuentan:
            if igual(otra):
                return str(motivo % {"proveedor": otra.proveedor})
    return ""


def _motivo_de_ente(c: Cotizada, entes: dict, ente_propio) -> str:
    if (ente := ente_de(c.proveedor, entes)) is None:
        return ""
    return str(MOTIVO_ENTE_PROPIO if ente == ente_propio else MOTIVO_ENTE)


def _primero(c: Cotizada):
    """Which of two repeated quotes counts: the one added first."""
    return (c.pk is None, c.pk or 0)


def mercado(
    cotizadas: list[Cotizada],
    *,
    metodo: str,
    atipico_pct: int,
    hoy: datetime.date | None = None,
    antiguedad_dias: int | None = None,
    entes: dict | None = None,
    ente_propio: int | None = None,
    cv_pct: int = 25,
    referencia: Decimal | None = None,
) -> Mercado:
    """The market price of an item's quotes. Left out, with one reason each, in this order: a
    public agency (`entes`: identidad.claves_de_ente of each agency's names -> its id; the
    requester's own is `ente_propio`); a quote dated after `hoy` or more than
    `antiguedad_dias` days before it; one no longer in force; one that repeats another
    already counted (the one added first counts); one farther than `atipico_pct` % from the
    median of those left. The market price is the method over what is left («según la
    dispersión»: the mean when their coefficient of variation, as printed to 0.1, is at most
    `cv_pct` %, otherwise the median). `referencia`: the profile's reference median in the
    item's unit, when sufficient: each quote's distance from it, to point out those farther
    than `atipico_pct` % (pointed out, not left out)."""
    motivos: dict[int, str] = {}
    for i, c in enumerate(cotizadas):
        motivos[i] = (
            _motivo_de_ente(c, entes or {}, ente_propio)
            or _motivo_de_fecha(c, hoy, antiguedad_dias)
            or ("" if c.vigente else str(MOTIVO_VENCIDA))
        )
    cuentan: list[Cotizada] = []
    for i in sorted(range(len(cotizadas)), key=lambda i: _primero(cotizadas[i])):
        if not motivos[i]:
            motivos[i] = _motivo_repetida(cotizadas[i], cuentan)
            if not motivos[i]:
                cuentan.append(cotizadas[i])
    centro = statistics.median([c.precio for c in cuentan]) if cuentan else None
    limite = Decimal(atipico_pct) / 100
    for i, c in enumerate(cotizadas):
        if not motivos[i] and centro and abs(c.precio - centro) / centro > limite:
            motivos[i] = str(MOTIVO_ATIPICA % {"pct": atipico_pct})
    revisadas = [(c, motivos[i]) for i, c in enumerate(cotizadas)]
    validos = [c.precio for c, motivo in revisadas if not motivo]
    cv = coeficiente_de_variacion(validos)
    aplicado = metodo
    if metodo == MetodoPrecio.DISPERSION:
        aplicado = MetodoPrecio.MEDIA if cv is not None and cv <= cv_pct else MetodoPrecio.MEDIANA
    precio = None
    if validos:
        if aplicado == MetodoPrecio.MEDIA:
            precio = sum(validos) / len(validos)
        elif aplicado == MetodoPrecio.MENOR:
            precio = min(validos)
        else:
            precio = statistics.median(validos)
        precio = Decimal(precio).quantize(CENTAVO, ROUND_HALF_UP)
    lejanias = ()
    if referencia:
        lejanias = tuple(
            ((c.precio - referencia) / referencia * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
            for c in cotizadas
        )
    return Mercado(
        precio=precio,
        metodo=metodo,
        cotizaciones=revisadas,
        aplicado=aplicado,
        cv=cv,
        cv_pct=cv_pct,
        atipico_pct=atipico_pct,
        lejanias=lejanias,
    )


@dataclass(frozen=True)
class Posicion:
    """Where a price (in the normal unit) stands against a reference: the percentage over
    (+) or under (−) its median, the band, and whether it passes the flag's percentage."""

    pct: Decimal
    banda: str  # "bajo_minimo" | "bajo" | "en_rango" | "sobre"
    senalada: bool

    @property
    def texto(self) -> str:
        pct = abs(self.pct).quantize(Decimal(1), ROUND_HALF_UP)
        lado = _("sobre") if self.pct > 0 else _("bajo")
        rel = _("igual a la mediana") if pct == 0 else f"{pct} % {lado} la mediana"
        return f"{rel}, {BANDAS[self.banda]}"


BANDAS = {
    "bajo_minimo": _("por debajo del menor precio de referencia"),
    "bajo": _("por debajo del primer cuartil"),
    "en_rango": _("entre el primer y el tercer cuartil"),
    "sobre": _("por encima del tercer cuartil"),
}


def posicion(precio: Decimal, *, mediana, cuartil_1, cuartil_3, minimo, senal_pct: int) -> Posicion:
    precio = Decimal(precio)
    pct = ((precio - mediana) / mediana * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if precio < minimo:
        banda = "bajo_minimo"
    elif precio < cuartil_1:
        banda = "bajo"
    elif precio <= cuartil_3:
        banda = "en_rango"
    else:
        banda = "sobre"
    return Posicion(pct=pct, banda=banda, senalada=senalada(precio, mediana, senal_pct))


def senalada(precio: Decimal, mediana: Decimal, senal_pct: int) -> bool:
    """The flag: more than `senal_pct` % over the reference's median."""
    return Decimal(precio) > Decimal(mediana) * (1 + Decimal(senal_pct) / 100)
