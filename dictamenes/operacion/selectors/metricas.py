"""The Prometheus metrics read from the database when /metricas is scraped, and the scrape
itself. Every collector runs a bounded number of aggregate queries, whatever the rows:

- the outbox (avisos): pending, failing (tried and not sent), given up, and the age of the
  oldest pending one: one query on the pending rows' partial index;
- the open human steps by stage and traffic light: one query grouped by stage and due date
  (few distinct ones: a due date is the end of a business day), plus the calendar once;
- each periodic command's last good run and whether it is overdue: two queries.

Another part of the site adds its own gauges by appending a function to COLECTORES: called
at each scrape, it yields prometheus_client metric families (e.g. the periodic commands' last
run).

The per-process metrics (request time and queries, signing time) live in
dictamenes.comun.metricas; under several gunicorn workers they are read from every worker's
files in PROMETHEUS_MULTIPROC_DIR (prometheus_client's multiprocess mode), else from this
process only.
"""

import datetime
import os
from collections import Counter
from collections.abc import Callable, Iterable

from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric

from dictamenes.avisos.services import AVISO_INTENTOS_MAXIMOS
from dictamenes.models import Aviso
from dictamenes.operacion.selectors import corridas
from dictamenes.organizacion.selectors import calendario
from dictamenes.tramite.selectors.tareas import tareas_humanas_abiertas

SIN_PLAZO = "sin_plazo"


def avisos_metricas() -> Iterable[Metric]:
    fila = Aviso.objects.filter(enviado_en__isnull=True).aggregate(
        pendientes=Count("id"),
        fallando=Count("id", filter=Q(intentos__gt=0)),
        agotados=Count("id", filter=Q(intentos__gte=AVISO_INTENTOS_MAXIMOS)),
        mas_antiguo=Min("creado_en"),
    )
    yield GaugeMetricFamily(
        "dictamenes_outbox_pending",
        "Avisos por correo en la bandeja de salida que no se han enviado.",
        value=fila["pendientes"],
    )
    yield GaugeMetricFamily(
        "dictamenes_outbox_failing",
        "Avisos pendientes que ya fallaron al menos una vez (el servidor de correo los rechazó "
        "o no respondió).",
        value=fila["fallando"],
    )
    yield GaugeMetricFamily(
        "dictamenes_outbox_given_up",
        f"Avisos pendientes que fallaron {AVISO_INTENTOS_MAXIMOS} veces o más: enviar_avisos "
        "ya no los reintenta; esperan a una persona.",
        value=fila["agotados"],
    )
    antiguo = fila["mas_antiguo"]
    yield GaugeMetricFamily(
        "dictamenes_outbox_oldest_pending_age_seconds",
        "Segundos desde que se encoló el aviso pendiente más antiguo (0 si no hay).",
        value=(timezone.now() - antiguo).total_seconds() if antiguo else 0,
    )


def _etapa(flow_task) -> str:
    nombre = getattr(flow_task, "name", None)
    return nombre or str(flow_task).rsplit(".", 1)[-1]


def tareas_metricas() -> Iterable[Metric]:
    grupos = (
        tareas_humanas_abiertas()
        .values("flow_task", "data__vence")
        .annotate(n=Count("id"))
        .order_by()
    )
    filas = [
        (
            _etapa(g["flow_task"]),
            datetime.datetime.fromisoformat(g["data__vence"]) if g["data__vence"] else None,
            g["n"],
        )
        for g in grupos
    ]
    ahora = timezone.now()
    hoy = timezone.localdate(ahora)
    vencimientos = [timezone.localdate(vence) for _, vence, _ in filas if vence and vence > ahora]
    cal = calendario.Calendario.cargar(hoy, max(vencimientos, default=hoy))
    cuenta: Counter[tuple[str, str]] = Counter()
    for etapa, vence, n in filas:
        semaforo = (
            calendario.semaforo(vence=vence, ahora=ahora, calendario=cal) if vence else SIN_PLAZO
        )
        cuenta[(etapa, semaforo)] += n
    familia = GaugeMetricFamily(
        "dictamenes_open_tasks",
        "Pasos abiertos que atiende una persona, por etapa y semáforo de su plazo (verde, "
        "amarillo: vence hoy o el siguiente día hábil, rojo: vencido; sin_plazo).",
        labels=["etapa", "semaforo"],
    )
    for (etapa, semaforo), n in sorted(cuenta.items()):
        familia.add_metric([etapa, semaforo], n)
    yield familia


def corridas_metricas() -> Iterable[Metric]:
    """Each periodic command's last good run (Unix time, 0 if none yet) and whether it is
    overdue (periodicas: its period plus the grace), from corridas.ultimas_corridas: two
    queries."""
    ultima = GaugeMetricFamily(
        "dictamenes_periodic_last_success_timestamp_seconds",
        "Momento (Unix) de la última corrida buena de cada comando periódico; 0 si no ha corrido.",
        labels=["comando"],
    )
    vencida = GaugeMetricFamily(
        "dictamenes_periodic_overdue",
        "1 si la última corrida buena del comando es más vieja que su periodo más la gracia.",
        labels=["comando"],
    )
    for c in corridas.ultimas_corridas():
        ultima.add_metric([c.nombre], c.ultima_ok_en.timestamp() if c.ultima_ok_en else 0)
        vencida.add_metric([c.nombre], int(c.vencida))
    yield ultima
    yield vencida


# Called at each scrape, in order; each yields metric families. Append to add gauges.
COLECTORES: list[Callable[[], Iterable[Metric]]] = [
    avisos_metricas,
    tareas_metricas,
    corridas_metricas,
]


class _DeLaBase:
    """A prometheus_client collector over COLECTORES."""

    def collect(self):
        for colector in COLECTORES:
            yield from colector()


class _DeEsteProceso:
    """This process's own metrics (and prometheus_client's process and platform ones)."""

    def collect(self):
        return REGISTRY.collect()


def registro_de_procesos() -> CollectorRegistry:
    """The per-process metrics: every worker's (multiprocess mode) or this process's."""
    registro = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registro)
    else:
        registro.register(_DeEsteProceso())
    return registro


def exposicion() -> tuple[bytes, str]:
    """The scrape's body in Prometheus' text format, and its content type."""
    registro = registro_de_procesos()
    registro.register(_DeLaBase())
    return generate_latest(registro), CONTENT_TYPE_LATEST
