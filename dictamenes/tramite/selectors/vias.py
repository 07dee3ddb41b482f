"""Which track a request follows, and why (issue 36).

`via_que_corresponde` is the rule, on plain data, so that the request's presentation, the
mesa's admission and the year simulation (simulacion.services.motor) apply the same one:
the fast track applies when the track is active and all of these hold:
- the request's amount is under the threshold;
- every item uses a profile of a published (vigente) edition of the standards and complies
  in the self-check: its mandatory requirements are met (veredicto «cumple» or «cumple con
  observaciones»; «requiere revisión humana» is not a self-check that complies);
- no item is in a category marked "always full review".
Otherwise the request follows the full track. The reasons say which held and which did not,
in the words the request's page and /tramite/ show.

Reads for the tracks' page and /tramite/ (issue 36): the saved versions of the tracks and the
standards categories the administrator may mark as «always full review», by name."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from dictamenes.models.vias import ConfiguracionVias, DecisionPartida, Via
from dictamenes.montos import pesos
from estandares.cumplimiento import Veredicto
from estandares.models import Categoria, Publicacion
from estandares.selectors import publicacion_vigente

CUMPLEN = (Veredicto.CUMPLE, Veredicto.CUMPLE_CON_OBSERVACIONES)


@dataclass(frozen=True)
class PartidaParaVia:
    descripcion: str
    categoria_clave: str
    categoria_nombre: str
    publicada: bool
    veredicto: str


def vias_vigentes() -> ConfiguracionVias:
    return ConfiguracionVias.objects.vigentes()


def via_que_corresponde(
    *, monto: Decimal, partidas: list[PartidaParaVia], config: ConfiguracionVias
) -> tuple[str, list[str]]:
    """(track, reasons). The reasons of a full track name every rule that failed."""
    umbral = pesos(config.umbral_monto)
    if not config.rapida_activa:
        return Via.COMPLETA, [
            "La vía rápida no está activa: toda solicitud va a revisión completa."
        ]
    fallas = []
    if monto >= config.umbral_monto:
        fallas.append(f"Su monto, {pesos(monto)}, no es menor al umbral de {umbral}.")
    if not partidas:
        fallas.append("No tiene partidas.")
    completas = set(config.categorias_completas or [])
    for p in partidas:
        if p.categoria_clave in completas:
            fallas.append(
                f"La partida «{p.descripcion}» es de «{p.categoria_nombre}», categoría que "
                "siempre va a revisión completa."
            )
        if not p.publicada:
            fallas.append(
                f"La partida «{p.descripcion}» usa un perfil de una edición de los estándares "
                "que no está vigente."
            )
        if p.veredicto != Veredicto.CUMPLE:
            fallas.append(
                f"La partida «{p.descripcion}» no cumple por completo en la autoevaluación."
            )
    if fallas:
        return Via.COMPLETA, fallas
    return Via.RAPIDA, [
        f"Su monto, {pesos(monto)}, es menor al umbral de {umbral}.",
        "Todas sus partidas usan un perfil de los estándares vigentes y cumplen sus requisitos "
        "obligatorios en la autoevaluación.",
        "Ninguna partida es de una categoría que siempre va a revisión completa.",
    ]


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


def via_de_solicitud(*, solicitud, config: ConfiguracionVias | None = None):
    """The track the request would follow today, with its reasons."""
    return via_que_corresponde(
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
