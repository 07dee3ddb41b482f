"""A draft's track while its requester types an item (issue 61): the rule of vias.via_evaluar
over the draft's saved items, with the item being typed in place of its saved version (or
beside them, when new), and the steps that track leads to (pasos.pasos_de). Nothing is saved;
the item form's script asks for it as the person types, the way it asks for the item's
autoevaluación, and the page draws it once from the same call. A fixed number of queries,
however many items the draft has."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dictamenes.tramite.reglas.vias import PartidaParaVia, ViaDecidida, via_evaluar
from dictamenes.tramite.selectors import pasos as pasos_selectors
from dictamenes.tramite.selectors.vias import hermanas_de, partidas_para_via, vias_vigentes
from estandares import selectors as estandares_selectors
from estandares.models import Perfil, Publicacion

# The item being typed, before it has a description.
SIN_DESCRIPCION = _("la partida que está capturando")


@dataclass(frozen=True)
class Tecleada:
    """What the item form holds now, read by the form's own fields (the view's work):
    None where a field is empty or cannot be read yet."""

    partida_pk: int | None = None
    perfil_id: int | None = None
    descripcion: str = ""
    cantidad: int | None = None
    precio: Decimal | None = None


@dataclass(frozen=True)
class ViaEnVivo:
    decidida: ViaDecidida
    pasos: pasos_selectors.Pasos


def _partida_tecleada(
    tecleada: Tecleada, datos: Mapping, fecha: datetime.date
) -> tuple[PartidaParaVia | None, str]:
    """The typed item as the rule reads it, and its area's clave; (None, "") without a
    profile. Its autoevaluación is the engine's over the typed specifications, as saving
    would judge them; «—» while they cannot be judged (none typed, or unreadable)."""
    if tecleada.perfil_id is None:
        return None, ""
    fila = (
        Perfil.objects.filter(pk=tecleada.perfil_id)
        .values_list(
            "clave",
            "nombre",
            "categoria__clave",
            "categoria__nombre",
            "categoria__publicacion__estado",
            "categoria__area__clave",
        )
        .first()
    )
    if fila is None:
        return None, ""
    perfil, perfil_nombre, categoria, categoria_nombre, estado, area = fila
    veredicto = ""
    if any(k.startswith("esp-") for k in datos):
        try:
            spec = estandares_selectors.perfil_vigente_spec(
                perfil_id=tecleada.perfil_id, fecha=fecha
            )
            veredicto = estandares_selectors.especificaciones_evaluar(
                perfil=spec, datos=datos, prefijo="esp"
            ).veredicto
        except ValidationError:
            veredicto = ""
    importe = Decimal(tecleada.cantidad or 0) * (tecleada.precio or Decimal(0))
    partida = PartidaParaVia(
        descripcion=tecleada.descripcion.strip() or str(SIN_DESCRIPCION),
        categoria_clave=categoria,
        categoria_nombre=categoria_nombre,
        publicada=estado == Publicacion.Estado.VIGENTE,
        veredicto=veredicto,
        perfil_clave=perfil,
        perfil_nombre=perfil_nombre,
        importe=importe,
    )
    return partida, area


def via_en_vivo(
    *,
    solicitud,
    fecha: datetime.date,
    tecleada: Tecleada | None = None,
    datos: Mapping | None = None,
) -> ViaEnVivo:
    """The track and the steps the draft would have if presented with the item as typed
    (`tecleada`, `datos` the form's raw values for its specifications); without one, as saved.
    """
    config = vias_vigentes()
    tecleada = tecleada or Tecleada()
    otras = solicitud.partidas.exclude(pk=tecleada.partida_pk) if tecleada.partida_pk else None
    partidas = partidas_para_via(solicitud=solicitud, partidas=otras)
    areas = set(
        (otras if otras is not None else solicitud.partidas.all())
        .values_list("perfil__categoria__area__clave", flat=True)
        .order_by()
    )
    nueva, area = _partida_tecleada(tecleada, datos or {}, fecha)
    if nueva is not None:
        partidas.append(nueva)
        areas.add(area)
    decidida = via_evaluar(
        partidas=partidas,
        config=config,
        hermanas=hermanas_de(solicitud=solicitud, partidas=partidas, config=config),
    )
    pasos = pasos_selectors.pasos_de(
        solicitud=solicitud, humanas=[], eventos=[], areas=areas, dictamenes=[], via=decidida.via
    )
    return ViaEnVivo(decidida, pasos)
