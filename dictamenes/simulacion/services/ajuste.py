"""What the engine learns from a recorded year with workflow steps (`ajustar`), and the clock
it counts in.

- Each step's SERVICE TIME, the time worked on a task, not the time it waited: a person serves
  one task at a time, so a task's work starts when it is created or when that person finished
  their previous task, whichever is later, and ends when it is finished (the departure
  difference of a queue). Times are counted in business days of work (`Reloj`: the office's
  business days, each the working day of calendario.JORNADA_INICIO to JORNADA_FIN).
- Each step's people per month: the distinct people who did its tasks that month.
- The route: the share of prevenciones (and of those, the desechadas), the requirente's
  correction times, the areas each request went through as recorded, the share of
  information requests and the days they paused the clock.

A record without steps (history imported from before the system) has only each request's
total: nothing to learn a service time or a number of people from. `ajustar` refuses it
(`SinPasos`).
"""

import bisect
import datetime
import functools
import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from operator import itemgetter

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.organizacion.selectors.calendario import (
    JORNADA_FIN,
    JORNADA_INICIO,
    Calendario,
)
from dictamenes.simulacion.selectors.registro_anual import (
    SUBSANAR,
    Historial,
    es_paso_de_area,
    historial_del_anio,
)

ERROR_SIN_REGISTRO = _("No hay solicitudes atendidas en {anio}: no hay registro del que aprender.")
ERROR_SIN_PASOS = _(
    "El registro de {anio} no tiene pasos del flujo (histórico importado): dice cuántos días "
    "tardó cada solicitud, no quién hizo cada paso ni cuánto trabajo le llevó, así que no hay "
    "de qué medir tiempos de servicio ni personal."
)


class SinPasos(ValueError):
    """The record has no workflow steps: no service time or staff to learn."""


class Reloj:
    """Business time: a moment is the index of its business day plus the part of the working
    day (JORNADA_INICIO to JORNADA_FIN) already gone. A moment outside the working day counts
    at its edge; one on a non-working day, at the start of the next business day. Its whole
    part counts business days as the clock of attention does (habiles_entre)."""

    def __init__(self, cal: Calendario, desde: datetime.date, hasta: datetime.date):
        self.dias = [
            desde + datetime.timedelta(days=i)
            for i in range((hasta - desde).days + 1)
            if cal.es_habil(desde + datetime.timedelta(days=i))
        ]
        self._indice = {d: i for i, d in enumerate(self.dias)}
        inicio = JORNADA_INICIO.hour * 60 + JORNADA_INICIO.minute
        self._inicio, self._largo = inicio, JORNADA_FIN.hour * 60 + JORNADA_FIN.minute - inicio

    @classmethod
    def del_anio(cls, anio: int) -> "Reloj":
        """A clock for a year, the one before (a queue that carries in) and the one after."""
        desde, hasta = datetime.date(anio - 1, 1, 1), datetime.date(anio + 1, 12, 31)
        return cls(Calendario.cargar(desde, hasta), desde, hasta)

    def indice(self, fecha: datetime.date) -> int:
        """The business day `fecha` is, or the next one."""
        i = self._indice.get(fecha)
        return bisect.bisect_left(self.dias, fecha) if i is None else i

    def de(self, momento: datetime.datetime) -> float:
        local = timezone.localtime(momento)
        i = self._indice.get(local.date())
        if i is None:
            return float(bisect.bisect_left(self.dias, local.date()))
        minuto = local.hour * 60 + local.minute + local.second / 60
        return i + min(max((minuto - self._inicio) / self._largo, 0.0), 1.0)

    @functools.cached_property
    def inicios_de_mes(self) -> tuple[float, ...]:
        """The moments each month's first business day starts."""
        return tuple(
            float(self.indice(dia))
            for dia in self.dias
            if dia.day <= 7 and self.indice(dia) == self.indice(dia.replace(day=1))
        )

    def fecha(self, t: float) -> datetime.date:
        # min(max(int(t), 0), last), spelt out: the engine asks it on every task taken.
        i, ultimo = int(t), len(self.dias) - 1
        return self.dias[0 if i < 0 else ultimo if i > ultimo else i]


@dataclass
class Paso:
    """One step as recorded: per month, how many people did it; the service times measured."""

    personal: dict[int, int]  # month -> distinct people
    servicios: list[float]  # business days of work per task, sorted

    def personas(self, mes: int) -> int:
        return self.personal.get(mes) or max(self.personal.values(), default=1)

    @property
    def media(self) -> float:
        return statistics.fmean(self.servicios)


@dataclass
class Ajuste:
    """The model's parameters, fitted from one recorded year."""

    historial: Historial
    reloj: Reloj
    pasos: dict[str, Paso]
    correcciones: list[float]  # the requirente's time to correct, business days
    parte_prevenciones: float
    parte_desechadas: float  # of the prevenidas
    parte_peticiones: float  # of the requests reviewed by the areas
    areas_por_solicitud: Counter
    rutas: Counter  # the areas' steps of each reviewed request, as recorded -> requests
    peso_areas: dict[str, int]  # area step -> recorded tasks

    def area_mas_cargada(self) -> str | None:
        return max(self.peso_areas, key=self.peso_areas.get, default=None)


def _parte(parte: int, todo: int) -> float:
    return parte / todo if todo else 0.0


def servicios_medidos(tareas, reloj: Reloj) -> tuple[dict, dict]:
    """({step: [service times]}, {step: {month: people}}) from the record's tasks
    (step, person, created, finished, of the year): per person, in the order they finished,
    each task's work began when it was created or when that person's previous task was
    finished (a task of a neighbouring year counts there, and is not measured)."""
    por_persona = defaultdict(list)
    for paso, persona, creada, terminada, propia in tareas:
        por_persona[persona].append((reloj.de(terminada), reloj.de(creada), paso, creada, propia))
    servicios, personas = defaultdict(list), defaultdict(lambda: defaultdict(set))
    for persona, suyas in por_persona.items():
        libre = -math.inf
        for fin, inicio, paso, creada, propia in sorted(suyas, key=itemgetter(0, 1)):
            if propia:
                servicios[paso].append(max(fin - max(inicio, libre), 0.0))
                personas[paso][timezone.localtime(creada).month].add(persona)
            libre = fin
    return servicios, {p: {m: len(g) for m, g in meses.items()} for p, meses in personas.items()}


def ajustar(*, anio: int, historial: Historial | None = None) -> Ajuste:
    """The model's parameters from the record of fiscal year `anio` (read from the database,
    or `historial`: a record read elsewhere, as the plan's validation reads a world's)."""
    historial = historial or historial_del_anio(anio=anio)
    if not historial.atendidas:
        raise ValueError(str(ERROR_SIN_REGISTRO).format(anio=anio))
    if not historial.con_tareas:
        raise SinPasos(str(ERROR_SIN_PASOS).format(anio=anio))
    reloj = Reloj.del_anio(anio)
    servicios, personal = servicios_medidos(historial.tareas, reloj)
    pasos = {
        paso: Paso(personal[paso], sorted(tiempos))
        for paso, tiempos in servicios.items()
        if paso != SUBSANAR
    }
    correcciones = sorted(
        max(reloj.de(fin) - reloj.de(inicio), 0.0) for inicio, fin in historial.correcciones
    )
    revisadas = historial.areas_por_solicitud.total()
    return Ajuste(
        historial=historial,
        reloj=reloj,
        pasos=pasos,
        correcciones=correcciones or [0.0],
        parte_prevenciones=_parte(historial.prevenidas, historial.presentadas),
        parte_desechadas=_parte(historial.desechadas_prevenidas, historial.prevenidas),
        parte_peticiones=_parte(historial.con_peticion, revisadas),
        areas_por_solicitud=historial.areas_por_solicitud,
        rutas=historial.rutas,
        peso_areas={paso: len(p.servicios) for paso, p in pasos.items() if es_paso_de_area(paso)},
    )
