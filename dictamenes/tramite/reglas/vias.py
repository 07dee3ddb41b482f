"""The fast track's rule (issue 36), pure: which track a request follows and why, on plain
data, with no query. The queries that feed it (the request's items, the agency's other
requests for the split check, the tracks' version in force) are in tramite.selectors.vias.

`via_evaluar` is the rule, so that the draft's page (the track it would take
if presented now), the request's presentation, the mesa's admission, a correction during a
prevención and the year simulation (simulacion.services.motor) apply the same one. The fast
track applies when the track is active and the three conditions hold, worded ONCE here
(CONDICION_*) and read by /tramite/, the tracks' page, the request's page and docs/procedimiento.md:
- CONDICION_MONTO: the request's amount, the sum of its items (quantity × unit price), is
  under the threshold: never the typed total, which presentation requires to agree with the
  items (issue 59, item 5);
- CONDICION_PARTIDAS: every item uses a profile of the edition of the standards in force and
  its self-check says «Cumple». «Cumple con observaciones» (a recommended requirement unmet)
  does NOT qualify, nor «Requiere revisión humana» nor «No cumple»: the fast track is for
  items with nothing for a reviewer to weigh;
- CONDICION_CATEGORIAS: no item is in a category marked "always full review".
Otherwise the request follows the full track. A request that meets them goes by the full
track too when it may be a split purchase (fraccionamiento, issue 48, fracciones_detectar):
with the agency's other requests of the same fiscal year that ask for the same category (or
profile), presented and not closed without a purchase, what they ask of that category adds up
to the threshold or more (each request with its items of the category, not its whole total).
Searching by category, the categories of a family (ConfiguracionVias.fraccion_familias, issue
59) are compared as one; the window crosses the fiscal year (selectors.vias.hermanas_de).
The reasons say, for each condition, whether it held and what was found, in words true either
way («la suma de sus partidas, $X, (no) es menor al umbral de $Y», issues 61 and 78: never
«monto estimado», the declared figure the request's header shows apart), with the items that kept
it from holding, and then each possible split purchase with the others' folios and the sum.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from dictamenes.models.vias import ConfiguracionVias, CriterioFraccion, Via
from dictamenes.montos import pesos
from estandares.cumplimiento import Veredicto

# The one wording of the fast track's conditions (lower case: /tramite/ lists them after
# «cuando cumple las tres condiciones:»).
CONDICION_MONTO = _("la suma de sus partidas es menor al umbral de %(umbral)s")
CONDICION_PARTIDAS = _(
    "todas sus partidas usan un perfil de la edición vigente de los estándares técnicos y su "
    "autoevaluación da «Cumple» («Cumple con observaciones» no basta)"
)
CONDICION_CATEGORIAS = _("ninguna partida es de una categoría que siempre va a revisión completa")
# What was checked and what was found, for one request (issue 61): after «Condición cumplida:»
# or «Condición no cumplida:», each states the finding, true on either side. Never the
# condition's own wording after «no cumplida» («su monto es menor al umbral», said of a
# request that is above it, read as a false statement).
CUMPLIDA = _("Condición cumplida: %(condicion)s.")
NO_CUMPLIDA = _("Condición no cumplida: %(condicion)s.")
MONTO_MENOR = _("la suma de sus partidas, %(monto)s, es menor al umbral de %(umbral)s")
MONTO_NO_MENOR = _("la suma de sus partidas, %(monto)s, no es menor al umbral de %(umbral)s")
PARTIDAS_CUMPLEN = _(
    "todas sus partidas usan un perfil de la edición vigente de los estándares técnicos y su "
    "autoevaluación da «Cumple»"
)
PARTIDAS_NO_CUMPLEN = _(
    "no todas sus partidas usan un perfil de la edición vigente de los estándares técnicos "
    "con autoevaluación «Cumple» («Cumple con observaciones» no basta)"
)
SIN_PARTIDAS = _(
    "aún no tiene partidas, y la vía rápida pide que todas usen un perfil de la edición "
    "vigente de los estándares técnicos con autoevaluación «Cumple»"
)
CATEGORIAS_NINGUNA = _("ninguna partida es de una categoría que siempre va a revisión completa")
CATEGORIAS_ALGUNA = _("alguna partida es de una categoría que siempre va a revisión completa")
INACTIVA = _("La vía rápida no está activa: toda solicitud va a revisión completa.")
# What kept a condition from holding, after it.
NO_VIGENTE = _(
    "La partida «%(partida)s» usa un perfil de una edición de los estándares que no está vigente."
)
AUTOEVALUACION = _("La autoevaluación de la partida «%(partida)s» da «%(veredicto)s».")
CATEGORIA_COMPLETA = _(
    "La partida «%(partida)s» es de «%(categoria)s», categoría que siempre va a revisión completa."
)
# A possible split purchase (issue 48): a reason of its own, after the conditions.
FRACCIONAMIENTO = _(
    "Posible fraccionamiento: con %(folios)s, %(de)s, suman %(suma)s, que no es menor al "
    "umbral de %(umbral)s de la vía rápida."
)
DE_CATEGORIA = _("de la misma categoría «%(nombre)s»")
DE_PERFIL = _("del mismo perfil técnico «%(nombre)s»")
DE_FAMILIA = _("de la misma familia de categorías «%(nombre)s»")
# What ties two requests when their categories are in one family (issue 59, item 5): stored in
# Solicitud.via_fraccion as the criterion of that possible split purchase.
FAMILIA = "familia"


def de_que(criterio: str):
    """The words for what ties a possible split purchase, by its criterion."""
    if criterio == CriterioFraccion.PERFIL:
        return DE_PERFIL
    return DE_FAMILIA if criterio == FAMILIA else DE_CATEGORIA


def familias_de(config: ConfiguracionVias) -> dict[str, str]:
    """{category clave: its family's name}, from the tracks' version."""
    return {
        clave: familia["nombre"]
        for familia in config.fraccion_familias or []
        for clave in familia["categorias"]
    }


Y = _("y")


@dataclass(frozen=True)
class PartidaParaVia:
    descripcion: str
    categoria_clave: str
    categoria_nombre: str
    publicada: bool
    veredicto: str
    perfil_clave: str = ""
    perfil_nombre: str = ""
    # quantity × unit price: what the rule reads as the request's amount (issue 59, item 5)
    importe: Decimal = Decimal(0)

    def clave(self, criterio: str) -> tuple[str, ...]:
        """What ties it to another request's item by `criterio` (CriterioFraccion): the
        category's clave, which survives editions; a profile's within its category."""
        if criterio == CriterioFraccion.PERFIL:
            return (self.categoria_clave, self.perfil_clave)
        return (self.categoria_clave,)

    def nombre(self, criterio: str) -> str:
        if criterio == CriterioFraccion.PERFIL:
            return f"{self.categoria_nombre} · {self.perfil_nombre}"
        return self.categoria_nombre


@dataclass(frozen=True)
class Hermana:
    """An item of another request of the same agency, as the split check reads it: the
    other request counts with its items in the category (their importe), never with its
    whole declared amount (issue 59, item 5)."""

    folio: str
    partida: PartidaParaVia


def monto_de_partidas(partidas) -> Decimal:
    """The amount the track reads: the sum of the items (quantity × unit price), never a
    typed figure (issue 59, item 5). Presentation refuses a declared total that differs."""
    return sum((p.importe for p in partidas), Decimal(0)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Fraccion:
    """A possible split purchase: what ties the requests (the criterion and its name), the
    other requests' folios and the sum of every declared amount, this request's included."""

    criterio: str
    nombre: str
    folios: tuple[str, ...]
    suma: Decimal

    def razon(self, *, umbral: str) -> str:
        de = de_que(self.criterio)
        return str(
            FRACCIONAMIENTO
            % {
                "folios": lista_de_folios(self.folios),
                "de": de % {"nombre": self.nombre},
                "suma": pesos(self.suma),
                "umbral": umbral,
            }
        )

    def como_dato(self) -> dict:
        """As Solicitud.via_fraccion keeps it (JSON)."""
        return {
            "criterio": self.criterio,
            "nombre": self.nombre,
            "folios": list(self.folios),
            "suma": str(self.suma.quantize(Decimal("0.01"))),
        }


def lista_de_folios(folios) -> str:
    """«A», «A y B», «A, B y C»."""
    folios = list(folios)
    if len(folios) < 2:
        return "".join(folios)
    return f"{', '.join(folios[:-1])} {Y} {folios[-1]}"


@dataclass(frozen=True)
class Condicion:
    """One condition of the fast track for one request: what was found (MONTO_*, PARTIDAS_*,
    CATEGORIAS_*, true whether it holds or not), whether it holds, and what kept it from
    holding."""

    hallazgo: str
    cumple: bool
    detalle: tuple[str, ...] = ()

    @property
    def razon(self) -> str:
        return " ".join(
            [str((CUMPLIDA if self.cumple else NO_CUMPLIDA) % {"condicion": self.hallazgo})]
            + [str(d) for d in self.detalle]
        )


@dataclass(frozen=True)
class ViaDecidida:
    """The track, the threshold and each condition (none when the fast track is inactive)."""

    via: str
    umbral: str
    condiciones: tuple[Condicion, ...]
    fracciones: tuple[Fraccion, ...] = ()

    @property
    def etiqueta(self) -> str:
        return str(Via(self.via).label)

    @property
    def razones(self) -> list[str]:
        if not self.condiciones:
            return [str(INACTIVA)]
        return [c.razon for c in self.condiciones] + self.razones_fraccion

    @property
    def razones_fraccion(self) -> list[str]:
        return [f.razon(umbral=self.umbral) for f in self.fracciones]


def via_evaluar(
    *,
    partidas: list[PartidaParaVia],
    config: ConfiguracionVias,
    hermanas: list[Hermana] = (),
) -> ViaDecidida:
    """THE rule: the track and, for each condition, whether it holds and why not; with
    `hermanas` (the agency's other requests' items, selectors.vias.hermanas_de), the possible split
    purchases, each of which sends it to the full track. The amount is the sum of the
    items (monto_de_partidas): there is no other figure to pass (issue 59, item 5)."""
    monto = monto_de_partidas(partidas)
    umbral = pesos(config.umbral_monto)
    if not config.rapida_activa:
        return ViaDecidida(Via.COMPLETA, umbral, ())
    de_partidas = []
    de_categorias = []
    completas = set(config.categorias_completas or [])
    for p in partidas:
        if not p.publicada:
            de_partidas.append(str(NO_VIGENTE % {"partida": p.descripcion}))
        if p.veredicto != Veredicto.CUMPLE:
            etiqueta = Veredicto(p.veredicto).label if p.veredicto in Veredicto.values else "—"
            de_partidas.append(
                str(AUTOEVALUACION % {"partida": p.descripcion, "veredicto": etiqueta})
            )
        if p.categoria_clave in completas:
            de_categorias.append(
                str(
                    CATEGORIA_COMPLETA % {"partida": p.descripcion, "categoria": p.categoria_nombre}
                )
            )
    menor = monto < config.umbral_monto
    en_pesos = {"monto": pesos(monto), "umbral": umbral}
    if not partidas:
        hallazgo_partidas = SIN_PARTIDAS
    else:
        hallazgo_partidas = PARTIDAS_NO_CUMPLEN if de_partidas else PARTIDAS_CUMPLEN
    condiciones = (
        Condicion(str((MONTO_MENOR if menor else MONTO_NO_MENOR) % en_pesos), menor),
        Condicion(str(hallazgo_partidas), bool(partidas) and not de_partidas, tuple(de_partidas)),
        Condicion(
            str(CATEGORIAS_ALGUNA if de_categorias else CATEGORIAS_NINGUNA),
            not de_categorias,
            tuple(de_categorias),
        ),
    )
    fracciones = fracciones_detectar(partidas=partidas, hermanas=hermanas, config=config)
    rapida = all(c.cumple for c in condiciones) and not fracciones
    return ViaDecidida(Via.RAPIDA if rapida else Via.COMPLETA, umbral, condiciones, fracciones)


def fracciones_detectar(
    *,
    partidas: list[PartidaParaVia],
    hermanas: list[Hermana],
    config: ConfiguracionVias,
) -> tuple[Fraccion, ...]:
    """The possible split purchases (issue 48): for each category (or profile, as the
    tracks say) of the request's items, the agency's other requests with an item of it, when
    what they ask of it and what this one asks of it add up to the threshold or more. Each
    request counts with its items of that category only (issue 59, item 5): a large request
    of other things does not make an honest small one a split purchase. Only for a request
    under the threshold: one above it goes by the full track already, and saying it again
    with the others adds nothing."""
    if not (config.rapida_activa and config.fraccion_activa):
        return ()
    if monto_de_partidas(partidas) >= config.umbral_monto:
        return ()
    criterio = config.fraccion_criterio
    familias = familias_de(config) if criterio == CriterioFraccion.CATEGORIA else {}

    def clave_de(p: PartidaParaVia) -> tuple[str, ...]:
        # A category in a family is compared as the family (issue 59, item 5).
        if p.categoria_clave in familias:
            return (FAMILIA, familias[p.categoria_clave])
        return p.clave(criterio)

    nombres: dict[tuple, str] = {}
    propias: dict[tuple, Decimal] = {}
    for p in partidas:
        clave = clave_de(p)
        nombres.setdefault(clave, clave[1] if clave[0] == FAMILIA else p.nombre(criterio))
        propias[clave] = propias.get(clave, Decimal(0)) + p.importe
    otras: dict[tuple, dict[str, Decimal]] = {}
    for h in hermanas:
        clave = clave_de(h.partida)
        if clave in nombres:
            de_la_otra = otras.setdefault(clave, {})
            de_la_otra[h.folio] = de_la_otra.get(h.folio, Decimal(0)) + h.partida.importe
    fracciones = []
    for clave, nombre in nombres.items():
        montos = otras.get(clave)
        if not montos:
            continue
        suma = propias[clave] + sum(montos.values(), Decimal(0))
        if suma >= config.umbral_monto:
            de = FAMILIA if clave[0] == FAMILIA else criterio
            fracciones.append(Fraccion(de, nombre, tuple(sorted(montos)), suma))
    return tuple(fracciones)


def via_que_corresponde(
    *,
    partidas: list[PartidaParaVia],
    config: ConfiguracionVias,
    hermanas: list[Hermana] = (),
) -> tuple[str, list[str]]:
    """(track, reasons): via_evaluar, as the request stores it."""
    decidida = via_evaluar(partidas=partidas, config=config, hermanas=hermanas)
    return decidida.via, decidida.razones
