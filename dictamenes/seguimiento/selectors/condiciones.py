"""Reads about the conditions of dictámenes: who may act on one, its traffic light, the open
ones for the Subsecretaría, and the share met on time for the indicators."""

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import get_objects_for_user

from dictamenes import exceptions
from dictamenes.models import Area, Condicion, Resultado
from dictamenes.models.articulos import con_articulo
from dictamenes.organizacion.selectors.calendario import Calendario
from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from dictamenes.tramite.selectors import access
from dictamenes.tramite.selectors.access import es_requirente_de
from estandares.identidad import canonica

ERROR_NO_VERIFICA = _(
    "Solo quienes revisan el área de %(area)s verifican esta condición, y nunca alguien del "
    "ente que la debe cumplir."
)
ERROR_NO_VERIFICA_DG = _(
    "Esta condición no tiene área: la verifica %(unidad)s (revisión estratégica)."
)
ERROR_DICTAMEN_CANCELADO = _("El dictamen fue cancelado: sus condiciones ya no se atienden.")
ERROR_YA_CUMPLIDA = _("Esta condición ya fue verificada como cumplida; no admite más cambios.")
ERROR_EN_VERIFICACION = _(
    "La evidencia de esta condición está en verificación; espere la respuesta del área antes "
    "de subir otra."
)
ERROR_SIN_EVIDENCIA = _("Esta condición no tiene evidencia por verificar.")


def dias_aviso() -> int:
    """Amber: due within this many business days (DJANGO_CONDICION_DIAS_AVISO)."""
    return settings.DICTAMENES_CONDICION_DIAS_AVISO


def semaforo_de(*, condicion: Condicion, hoy: date, calendario: Calendario) -> str:
    """ "cumplida" once verified; otherwise "rojo" past its due date, "amarillo" when due
    within dias_aviso() business days, "verde" before that."""
    if condicion.estado == Condicion.Estado.CUMPLIDA:
        return "cumplida"
    if hoy > condicion.vence:
        return "rojo"
    if calendario.habiles_entre(hoy, condicion.vence) <= dias_aviso():
        return "amarillo"
    return "verde"


def calendario_para(condiciones) -> Calendario:
    fechas = [c.vence for c in condiciones] + [timezone.localdate()]
    return Calendario.cargar(min(fechas), max(fechas), para_mostrar=True)


def impedimento_para_subir(*, usuario, condicion: Condicion) -> str | None:
    """Why the person may not upload evidence for the condition; None when they may."""
    if not es_requirente_de(usuario=usuario, solicitud=condicion.dictamen.solicitud):
        return exceptions.ERROR_NO_ES_DE_SU_ENTE
    return _impedimento_por_estado(condicion, abiertos=ESTADOS_PARA_SUBIR)


def areas_que_revisa(*, usuario) -> set[int]:
    """The ids of the areas whose items the person reviews (guardian, through their groups):
    one query, for a page that asks about many conditions."""
    return set(
        get_objects_for_user(
            usuario, "dictamenes.revisar_area", klass=Area, accept_global_perms=False
        ).values_list("pk", flat=True)
    )


def impedimento_para_verificar(*, usuario, condicion: Condicion, areas=None) -> str | None:
    """Why the person may not verify or reject the condition's evidence: the reviewers of the
    area that proposed it (or, with no area, the Dirección General), never someone of the
    agency itself nor a superuser (separation of duties, access.impedimento). None when they
    may. `areas`: areas_que_revisa(), when the caller has it. Its query form, the evidence
    waiting for the person, is pendientes._evidencias_por_verificar."""
    impedimento = access.impedimento(
        usuario=usuario, solicitud=condicion.dictamen.solicitud, accion=access.VERIFICAR
    )
    if impedimento:
        return impedimento
    if condicion.area_id is None:
        if not usuario.has_perm("dictamenes.decidir_solicitud"):
            unidad = con_articulo(textos_vigentes_en_cache().unidad_resuelve_nombre)
            return ERROR_NO_VERIFICA_DG % {"unidad": unidad}
    elif condicion.area_id not in (areas_que_revisa(usuario=usuario) if areas is None else areas):
        return ERROR_NO_VERIFICA % {"area": condicion.area.nombre}
    return _impedimento_por_estado(condicion, abiertos={Condicion.Estado.EN_VERIFICACION})


ESTADOS_PARA_SUBIR = {Condicion.Estado.PENDIENTE, Condicion.Estado.RECHAZADA}


def _impedimento_por_estado(condicion: Condicion, *, abiertos) -> str | None:
    if condicion.dictamen.cancelado_en:
        return ERROR_DICTAMEN_CANCELADO
    if condicion.estado in abiertos:
        return None
    return {
        Condicion.Estado.CUMPLIDA: ERROR_YA_CUMPLIDA,
        Condicion.Estado.EN_VERIFICACION: ERROR_EN_VERIFICACION,
    }.get(condicion.estado, ERROR_SIN_EVIDENCIA)


@dataclass
class Fila:
    """A condition as a page shows it: its light and what the person may do with it."""

    condicion: Condicion
    semaforo: str
    puede_subir: bool = False
    puede_verificar: bool = False


def condiciones_de(*, solicitud, dictamen, usuario) -> list[Fila]:
    """The conditions of the request's dictamen in force, with their evidence: two queries,
    none when the dictamen has no conditions to keep."""
    if dictamen is None or dictamen.resultado != Resultado.CONDICIONADO:
        return []
    condiciones = list(
        Condicion.objects.filter(dictamen=dictamen)
        .select_related("area", "verificada_por")
        .prefetch_related("evidencias")
    )
    if not condiciones:
        return []
    hoy = timezone.localdate()
    calendario = calendario_para(condiciones)
    areas = areas_que_revisa(usuario=usuario)
    filas = []
    for condicion in condiciones:
        condicion.dictamen = dictamen
        dictamen.solicitud = solicitud
        filas.append(
            Fila(
                condicion=condicion,
                semaforo=semaforo_de(condicion=condicion, hoy=hoy, calendario=calendario),
                puede_subir=impedimento_para_subir(usuario=usuario, condicion=condicion) is None,
                puede_verificar=impedimento_para_verificar(
                    usuario=usuario, condicion=condicion, areas=areas
                )
                is None,
            )
        )
    return filas


def condiciones_por_cumplir(*, limite: int = 500) -> list[Fila]:
    """The conditions not yet met under dictámenes in force, soonest due first, with their
    light: the Subsecretaría's follow-up list."""
    condiciones = list(
        Condicion.objects.filter(dictamen__cancelado_en__isnull=True)
        .exclude(estado=Condicion.Estado.CUMPLIDA)
        .select_related("area", "dictamen__solicitud__ente")
        .order_by("vence", "dictamen_id", "numero")[:limite]
    )
    if not condiciones:
        return []
    hoy = timezone.localdate()
    calendario = calendario_para(condiciones)
    return [
        Fila(condicion=c, semaforo=semaforo_de(condicion=c, hoy=hoy, calendario=calendario))
        for c in condiciones
    ]


def cumplimiento(*, hoy: date | None = None) -> dict:
    """The share of conditions met on time, over those whose outcome is known: met, or past
    their due date. One aggregate query."""
    hoy = hoy or timezone.localdate()
    cifras = Condicion.objects.filter(dictamen__cancelado_en__isnull=True).aggregate(
        exigibles=Count("pk", filter=Q(estado=Condicion.Estado.CUMPLIDA) | Q(vence__lt=hoy)),
        a_tiempo=Count("pk", filter=Q(a_tiempo=True)),
        vencidas=Count("pk", filter=Q(vence__lt=hoy) & ~Q(estado=Condicion.Estado.CUMPLIDA)),
        total=Count("pk"),
    )
    exigibles = cifras["exigibles"]
    cifras["pct_a_tiempo"] = round(100 * cifras["a_tiempo"] / exigibles, 1) if exigibles else None
    return cifras


# How the Dirección General writes conditions: one a line, perhaps with a bullet or a number
# ("- ", "• ", "1. ", "2) ", "a) "), perhaps after the area that verifies it ("Redes: …").
VINETA = re.compile(r"^\s*(?:[-–•*·]|\d{1,2}[.)]|[a-zA-Z][)])\s*")
PREFIJO = re.compile(r"^([^:]{2,80}):\s*(\S.*)$")


def clave_de_area(texto: str) -> str:
    """An area's name or key as a prefix is compared: its canonical form
    (estandares.identidad.canonica: no accents, no case, single spaces, look-alikes read)."""
    return canonica(texto)


def condiciones_sin_area(*, texto: str, nombres) -> str:
    """The conditions as a dictamen states them: each line as the Dirección General wrote it,
    without the prefix naming an area (`nombres`: the areas' names and keys), «Cómputo: …»,
    which only says who verifies it and stays as the condition's data (Condicion.area), not in
    the dictamen's text."""
    nombres = {clave_de_area(n) for n in nombres}
    lineas = []
    for linea in (texto or "").splitlines():
        vineta = VINETA.match(linea)
        inicio = vineta.group() if vineta else ""
        resto = linea[len(inicio) :].strip()
        if (prefijo := PREFIJO.match(resto)) and clave_de_area(prefijo[1]) in nombres:
            resto = prefijo[2].strip()
            linea = inicio + resto[:1].upper() + resto[1:]
        lineas.append(linea)
    return "\n".join(lineas)
