"""Deadlines of the procedure's stages: each stage's business days (set by the office or by
default, or the fast track's own), a task's due date and its traffic light."""

import datetime

from dictamenes.flow_port import Nodo
from dictamenes.models import (
    PlazoEtapa,
)
from dictamenes.models.vias import ConfiguracionVias, Via
from dictamenes.organizacion.selectors import calendario
from dictamenes.tramite.selectors.areas import es_revision_unica


def vencimiento_de(*, tarea) -> datetime.datetime | None:
    valor = (tarea.data or {}).get("vence")
    return datetime.datetime.fromisoformat(valor) if valor else None


def plazo_de(*, tarea, ahora, calendario_) -> dict:
    """A task's due date, traffic light and business days left, as the pages show them.
    A finished task, or one without a deadline, has no light."""
    vence = vencimiento_de(tarea=tarea)
    if vence is None or tarea.finished:
        return {"vence": vence, "semaforo": "", "restantes": None}
    return {
        "vence": vence,
        "semaforo": calendario.semaforo(vence=vence, ahora=ahora, calendario=calendario_),
        "restantes": calendario.dias_restantes(vence=vence, ahora=ahora, calendario=calendario_),
    }


PLAZOS_POR_OMISION = {
    PlazoEtapa.Etapa.ADMISION: 2,
    PlazoEtapa.Etapa.SUBSANAR: 5,
    PlazoEtapa.Etapa.REVISION_AREA: 5,
    PlazoEtapa.Etapa.REVISION_ESTRATEGICA: 3,
    PlazoEtapa.Etapa.FIRMA: 2,
}


ETAPA_DE_NODO = {
    "admision": PlazoEtapa.Etapa.ADMISION,
    "subsanar": PlazoEtapa.Etapa.SUBSANAR,
    "revision_estrategica": PlazoEtapa.Etapa.REVISION_ESTRATEGICA,
    "firma": PlazoEtapa.Etapa.FIRMA,
}


def plazo_de_via(*, tarea, etapa: str, solicitud) -> int | None:
    """The fast track's own deadline for the task, in business days, from the tracks' version
    that put the request on it: its single technical review and its strategic review. None
    where the stage's deadline applies (plazo_dias)."""
    if solicitud.via != Via.RAPIDA:
        return None
    config = solicitud.via_config or ConfiguracionVias.objects.vigentes()
    if etapa == PlazoEtapa.Etapa.REVISION_AREA and es_revision_unica(tarea=tarea):
        return config.dias_revision_rapida
    if etapa == PlazoEtapa.Etapa.REVISION_ESTRATEGICA:
        return config.dias_estrategica_rapida
    return None


def plazos_dias(*, etapas) -> dict[str, int]:
    """Each stage's deadline in business days: the one the office set, or the default. One
    query for all of them."""
    fijados = dict(PlazoEtapa.objects.filter(etapa__in=etapas).values_list("etapa", "dias_habiles"))
    return {etapa: fijados.get(etapa, PLAZOS_POR_OMISION[etapa]) for etapa in etapas}


def plazo_dias(*, etapa: str) -> int:
    return plazos_dias(etapas=[etapa])[etapa]


def etapa_de(*, tarea) -> str | None:
    nombre = tarea.flow_task.name
    if Nodo.es_revision_de_area(nombre) or nombre == Nodo.RE_REVISION:
        return PlazoEtapa.Etapa.REVISION_AREA
    return ETAPA_DE_NODO.get(nombre)
