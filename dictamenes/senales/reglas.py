"""The signs' rules that read only what they are given (issue 80): which quotes look like cover
quotes, which supplier concentrates an agency's year, whether a request came in the fiscal
year's last business days, and what a contract's deliveries say. The door
(dictamenes.senales.services) reads the rows and asks these."""

import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from dictamenes.precios import reglas as precios
from estandares import identidad

CIEN = Decimal(100)


@dataclass(frozen=True)
class Cotizada:
    """A quote as the cover-quote rule reads it."""

    pk: int
    partida: int
    proveedor: str
    precio: Decimal
    archivo: str = ""
    domicilio: str = ""
    telefono: str = ""
    firmante: str = ""
    proveedor_rfc: str = ""

    @property
    def comparable(self) -> precios.Cotizada:
        return precios.Cotizada(
            pk=self.pk,
            proveedor=self.proveedor,
            precio=self.precio,
            vigente=True,
            proveedor_rfc=self.proveedor_rfc,
        )


@dataclass(frozen=True)
class Coincidencia:
    """Two quotes from different suppliers that coincide, and in what."""

    a: Cotizada
    b: Cotizada
    en: str


EN_ARCHIVO = _("el mismo archivo")
EN_RFC = _("el mismo RFC")
EN_DOMICILIO = _("el mismo domicilio")
EN_TELEFONO = _("el mismo teléfono")
EN_FIRMANTE = _("la misma persona firma")
EN_PRECIO = _("precios iguales")
EN_PRECIO_CASI = _("precios a %(pct)s %% uno de otro")
EN_RAZON = _("la misma razón de precios (%(razon)s) en %(n)s partidas")


def diferencia_pct(a: Decimal, b: Decimal) -> Decimal:
    """How far apart two positive prices are, in % of the lower."""
    menor = min(a, b)
    return abs(a - b) / menor * CIEN


def _en_que(a: Cotizada, b: Cotizada, pct: Decimal) -> str:
    for en, clave in (
        (EN_ARCHIVO, lambda c: c.archivo),
        (EN_RFC, lambda c: c.comparable.rfc),
        (EN_DOMICILIO, lambda c: identidad.domicilio_canonico(c.domicilio)),
        (EN_TELEFONO, lambda c: identidad.telefono_canonico(c.telefono)),
        (EN_FIRMANTE, lambda c: c.firmante),
    ):
        if clave(a) and clave(a) == clave(b):
            return str(en)
    if a.precio == b.precio:
        return str(EN_PRECIO)
    dif = diferencia_pct(a.precio, b.precio)
    if dif <= pct:
        return str(EN_PRECIO_CASI % {"pct": dif.quantize(Decimal("0.01"))})
    return ""


def coincidencias(cotizadas: list[Cotizada], *, pct: Decimal) -> list[Coincidencia]:
    """The pairs of quotes from different suppliers (precios.reglas.mismo_proveedor: the same
    company quoting twice is the fewer-quotes sign's) that coincide: within an item, in their
    file, RFC, address, phone or signer, or in prices at most `pct` % apart; across two or
    more items, one supplier quoting each at the same ratio over another (±`pct` %)."""
    pct = Decimal(pct)
    halladas: list[Coincidencia] = []
    por_partida: dict[int, list[Cotizada]] = {}
    for c in cotizadas:
        por_partida.setdefault(c.partida, []).append(c)
    for grupo in por_partida.values():
        for a, b in itertools.combinations(grupo, 2):
            if precios.mismo_proveedor(a.comparable, b.comparable):
                continue
            if en := _en_que(a, b, pct):
                halladas.append(Coincidencia(a, b, en))
    vistos = {(h.a.pk, h.b.pk) for h in halladas}
    halladas += [h for h in _razones(por_partida, pct) if (h.a.pk, h.b.pk) not in vistos]
    return halladas


def _razones(por_partida: dict[int, list[Cotizada]], pct: Decimal) -> list[Coincidencia]:
    """Two suppliers quoting the same two or more items with the same ratio between them."""
    precio: dict[tuple[str, int], Cotizada] = {}
    for partida, grupo in por_partida.items():
        for c in grupo:
            precio.setdefault((c.comparable.nombre, partida), c)
    proveedores = sorted({n for n, _p in precio})
    halladas = []
    for x, y in itertools.combinations(proveedores, 2):
        comunes = [p for p in por_partida if (x, p) in precio and (y, p) in precio]
        if len(comunes) < 2:
            continue
        razones = [precio[(y, p)].precio / precio[(x, p)].precio for p in comunes]
        if min(razones) == max(razones) == 1:
            continue  # equal prices: said item by item
        if (max(razones) / min(razones) - 1) * CIEN <= pct:
            a, b = precio[(x, comunes[0])], precio[(y, comunes[0])]
            razon = (sum(razones) / len(razones)).quantize(Decimal("0.001"))
            halladas.append(Coincidencia(a, b, str(EN_RAZON % {"razon": razon, "n": len(comunes)})))
    return halladas


def dominantes(
    contratos: list[tuple[str, Decimal]], *, pct: int, minimo: int
) -> dict[str, Decimal]:
    """The suppliers (by key) with more than `pct` % of what an agency contracted in a year
    (`contratos`: (supplier key, amount) each), when it made at least `minimo` contracts:
    key -> its share in %, to 0.1."""
    if len(contratos) < minimo:
        return {}
    total = sum((m for _c, m in contratos), Decimal(0))
    if total <= 0:
        return {}
    suma: dict[str, Decimal] = {}
    for clave, monto in contratos:
        suma[clave] = suma.get(clave, Decimal(0)) + monto
    return {
        clave: (m / total * CIEN).quantize(Decimal("0.1"))
        for clave, m in suma.items()
        if m * CIEN > total * pct
    }


def en_cierre(presentada, habiles_del_final: list) -> bool:
    """Whether `presentada` is one of the fiscal year's last business days
    (`habiles_del_final`: those days, from the calendar)."""
    return bool(habiles_del_final) and presentada >= min(habiles_del_final)


def cantidades_distintas(
    aprobadas: dict[int, int], recibidas: dict[int, int], *, termino_vencido: bool
) -> dict[int, tuple[int, int]]:
    """The approved items whose received quantity differs from the approved: more than
    approved at any time; fewer only once every contract's term ended. item -> (approved,
    received)."""
    distintas = {}
    for partida, aprobada in aprobadas.items():
        recibida = recibidas.get(partida, 0)
        if recibida > aprobada or (termino_vencido and recibida < aprobada):
            distintas[partida] = (aprobada, recibida)
    for partida, recibida in recibidas.items():
        if partida not in aprobadas and recibida > 0:
            distintas[partida] = (0, recibida)
    return distintas
