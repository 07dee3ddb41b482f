"""Which track a request follows, and why (issue 36).

`via_evaluar` is the rule, on plain data, so that the draft's page (the track it would take
if presented now), the request's presentation, the mesa's admission, a correction during a
prevención and the year simulation (simulacion.services.motor) apply the same one. The fast
track applies when the track is active and the three conditions hold, worded ONCE here
(CONDICION_*) and read by /tramite/, the tracks' page, the request's page and the README:
- CONDICION_MONTO: the request's declared amount is under the threshold;
- CONDICION_PARTIDAS: every item uses a profile of the edition of the standards in force and
  its self-check says «Cumple». «Cumple con observaciones» (a recommended requirement unmet)
  does NOT qualify, nor «Requiere revisión humana» nor «No cumple»: the fast track is for
  items with nothing for a reviewer to weigh;
- CONDICION_CATEGORIAS: no item is in a category marked "always full review".
Otherwise the request follows the full track. The reasons say, for each condition, whether
it held and, when not, which items or amount kept it from holding.

Reads for the tracks' page and /tramite/ (issue 36): the saved versions of the tracks and the
standards categories the administrator may mark as «always full review», by name."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.models.vias import ConfiguracionVias, DecisionPartida, Via
from dictamenes.montos import pesos
from estandares.cumplimiento import Veredicto
from estandares.models import Categoria, Publicacion
from estandares.selectors import publicacion_vigente

# The one wording of the fast track's conditions (lower case: /tramite/ lists them after
# «cuando cumple las tres condiciones:»; the reasons put them after «Condición cumplida:»).
CONDICION_MONTO = _("su monto estimado es menor al umbral de %(umbral)s")
CONDICION_PARTIDAS = _(
    "todas sus partidas usan un perfil de la edición vigente de los estándares técnicos y su "
    "autoevaluación da «Cumple» («Cumple con observaciones» no basta)"
)
CONDICION_CATEGORIAS = _("ninguna partida es de una categoría que siempre va a revisión completa")
CUMPLIDA = _("Condición cumplida: %(condicion)s.")
NO_CUMPLIDA = _("Condición no cumplida: %(condicion)s.")
INACTIVA = _("La vía rápida no está activa: toda solicitud va a revisión completa.")
# What kept a condition from holding, after it.
ES_DE = _("Su monto estimado: %(monto)s.")
SIN_PARTIDAS = _("Aún no tiene partidas.")
NO_VIGENTE = _(
    "La partida «%(partida)s» usa un perfil de una edición de los estándares que no está vigente."
)
AUTOEVALUACION = _("La autoevaluación de la partida «%(partida)s» da «%(veredicto)s».")
CATEGORIA_COMPLETA = _(
    "La partida «%(partida)s» es de «%(categoria)s», categoría que siempre va a revisión completa."
)


@dataclass(frozen=True)
class PartidaParaVia:
    descripcion: str
    categoria_clave: str
    categoria_nombre: str
    publicada: bool
    veredicto: str


@dataclass(frozen=True)
class Condicion:
    """One condition of the fast track for one request: its text (CONDICION_*, with the
    threshold), whether it holds, and what kept it from holding."""

    texto: str
    cumple: bool
    detalle: tuple[str, ...] = ()

    @property
    def razon(self) -> str:
        return " ".join(
            [str((CUMPLIDA if self.cumple else NO_CUMPLIDA) % {"condicion": self.texto})]
            + [str(d) for d in self.detalle]
        )


@dataclass(frozen=True)
class ViaDecidida:
    """The track, the threshold and each condition (none when the fast track is inactive)."""

    via: str
    umbral: str
    condiciones: tuple[Condicion, ...]

    @property
    def etiqueta(self) -> str:
        return str(Via(self.via).label)

    @property
    def razones(self) -> list[str]:
        if not self.condiciones:
            return [str(INACTIVA)]
        return [c.razon for c in self.condiciones]


def vias_vigentes() -> ConfiguracionVias:
    return ConfiguracionVias.objects.vigentes()


def condiciones_texto(*, config: ConfiguracionVias) -> list[str]:
    """The three conditions as /tramite/ and the tracks' page list them."""
    return [
        str(CONDICION_MONTO % {"umbral": pesos(config.umbral_monto)}),
        str(CONDICION_PARTIDAS),
        str(CONDICION_CATEGORIAS),
    ]


def via_evaluar(
    *, monto: Decimal, partidas: list[PartidaParaVia], config: ConfiguracionVias
) -> ViaDecidida:
    """THE rule: the track and, for each condition, whether it holds and why not."""
    umbral = pesos(config.umbral_monto)
    if not config.rapida_activa:
        return ViaDecidida(Via.COMPLETA, umbral, ())
    texto_monto, texto_partidas, texto_categorias = condiciones_texto(config=config)
    de_monto = (str(ES_DE % {"monto": pesos(monto)}),)
    de_partidas = [] if partidas else [str(SIN_PARTIDAS)]
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
    condiciones = (
        Condicion(texto_monto, monto < config.umbral_monto, de_monto),
        Condicion(texto_partidas, not de_partidas, tuple(de_partidas)),
        Condicion(texto_categorias, not de_categorias, tuple(de_categorias)),
    )
    via = Via.RAPIDA if all(c.cumple for c in condiciones) else Via.COMPLETA
    return ViaDecidida(via, umbral, condiciones)


def via_que_corresponde(
    *, monto: Decimal, partidas: list[PartidaParaVia], config: ConfiguracionVias
) -> tuple[str, list[str]]:
    """(track, reasons): via_evaluar, as the request stores it."""
    decidida = via_evaluar(monto=monto, partidas=partidas, config=config)
    return decidida.via, decidida.razones


def partidas_para_via(*, solicitud) -> list[PartidaParaVia]:
    """The request's items as the rule reads them: one query."""
    filas = solicitud.partidas.values_list(
        "descripcion",
        "perfil__categoria__clave",
        "perfil__categoria__nombre",
        "perfil__categoria__publicacion__estado",
        "veredicto",
    ).order_by("id")
    return [
        PartidaParaVia(d, clave, nombre, estado == Publicacion.Estado.VIGENTE, veredicto)
        for d, clave, nombre, estado, veredicto in filas
    ]


def via_de_solicitud(*, solicitud, config: ConfiguracionVias | None = None) -> ViaDecidida:
    """The track the request would follow today, with each condition: what presentation,
    admission and a correction store, and what the draft's page shows before presenting."""
    return via_evaluar(
        monto=solicitud.monto_estimado or Decimal(0),
        partidas=partidas_para_via(solicitud=solicitud),
        config=config or vias_vigentes(),
    )


def monto_aprobado(
    *, partida, decision: DecisionPartida | None, resultado_dictamen: str
) -> Decimal:
    """What the dictamen approved of one item. With a decision per item: its amount (0 when
    not approved). Dictámenes issued before decisions per item existed approve every item
    whole. A dictamen «no favorable» approves nothing, whatever its items' decisions say (a
    rectification may have changed the result after them)."""
    if resultado_dictamen == "no_favorable":
        return Decimal(0)
    return decision.monto_aprobado if decision is not None else partida.importe


def vias_versiones(*, limite: int):
    """The newest versions first, with who saved each: one query."""
    return ConfiguracionVias.objects.select_related("creado_por").order_by("-version")[:limite]


def categorias_vigentes() -> list[dict]:
    """The categories of the edition of the standards in force today, in its order, as
    {"clave", "nombre"}; none when no edition is in force. Two queries."""
    edicion = publicacion_vigente(fecha=timezone.localdate())
    if edicion is None:
        return []
    return list(edicion.categorias.order_by("orden", "nombre").values("clave", "nombre"))


def nombres_de_categorias(*, claves) -> dict[str, str]:
    """{clave: name} as the latest edition in force by today names each category (a clave
    survives editions; its name may change). A clave no published edition has is absent.
    One query."""
    claves = set(claves)
    if not claves:
        return {}
    filas = (
        Categoria.objects.filter(
            clave__in=claves, publicacion__vigente_desde__lte=timezone.localdate()
        )
        .exclude(publicacion__estado=Publicacion.Estado.BORRADOR)
        .order_by("clave", "-publicacion__vigente_desde")
        .values_list("clave", "nombre")
    )
    nombres: dict[str, str] = {}
    for clave, nombre in filas:
        nombres.setdefault(clave, nombre)
    return nombres
