"""What the record says about one fiscal year, for the year simulation to learn from.

A bounded number of SQL aggregations, whatever the number of requests: the arrivals per day,
the steps' business days grouped by step, person, month of arrival and dates, the number of
areas per request, and the requests with a prevención or an information request. Business days
are counted in Python once per distinct pair of dates, not once per task.

The tasks themselves (step, person, created, finished) are read as rows, one query: the
engine measures each step's service time from them. A year without workflow tasks (history
imported from before the system) has only each request's total days of attention.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from dictamenes.cifras.selectors import indicadores
from dictamenes.flow_port import Nodo, nodo
from dictamenes.models import Area, EventoAuditoria, Solicitud, Via
from dictamenes.tramite.selectors.tareas import HUMANA

ADMISION, ESTRATEGICA, FIRMA, SUBSANAR = (
    Nodo.ADMISION,
    Nodo.REVISION_ESTRATEGICA,
    Nodo.FIRMA,
    Nodo.SUBSANAR,
)
# The steps the Subsecretaría's clock counts (subsanar is the requirente's time).
PASOS_FIJOS = (ADMISION, ESTRATEGICA, FIRMA)


def paso_de_area(clave: str) -> str:
    """The record's name for one area's technical review (every area's tasks share one node)."""
    return f"{Nodo.REVISION_TECNICA}:{clave}"


# A fast-track request's single technical review (issue 36): a step of its own in the record,
# not the lead area's review, whose times it would mix with those of one area's items.
PASO_UNICO = f"{Nodo.REVISION_TECNICA}_unica"


def es_paso_de_area(paso: str) -> bool:
    return paso.startswith(f"{Nodo.REVISION_TECNICA}:")


def area_del_paso(paso: str) -> str:
    return paso.partition(":")[2]


@dataclass
class Historial:
    anio: int
    llegadas: Counter = field(default_factory=Counter)  # date -> requests presented
    # (step, person, created, finished, of the year) of every done task of the Subsecretaría's
    # steps (and of the neighbouring years' tasks of the same people around the turn of year)
    tareas: list = field(default_factory=list)
    # (created, finished) of every correction the requirente made (subsanar)
    correcciones: list = field(default_factory=list)
    # the areas' steps each reviewed request went through, as recorded -> requests
    rutas: Counter = field(default_factory=Counter)
    areas_por_solicitud: Counter = field(default_factory=Counter)  # number of areas -> requests
    presentadas: int = 0
    prevenidas: int = 0
    desechadas_prevenidas: int = 0
    con_peticion: int = 0
    pausas: Counter = field(default_factory=Counter)  # business days paused -> answers
    mediana: float | None = None
    p90: float | None = None
    atendidas: int = 0
    plazo: int = 0

    @property
    def con_tareas(self) -> bool:
        return any(propia for *_datos, propia in self.tareas)


def _llegadas(anio: int, zona) -> Counter:
    filas = (
        Solicitud.objects.filter(ejercicio=anio, presentada_en__isnull=False)
        .annotate(dia=TruncDate("presentada_en", tzinfo=zona))
        .values("dia")
        .annotate(n=Count("id"))
    )
    return Counter({f["dia"]: f["n"] for f in filas})


def _tareas(anio: int) -> tuple[list, list]:
    """The done tasks of the year's requests, as rows (one query): the Subsecretaría's steps
    with the person who did each, and the requirente's corrections. Beside them, the tasks of
    the neighbouring years' requests that the same people finished from November before to
    March after (marked not the year's own): a person's first task of January waited behind
    December's queue, and that wait is not work."""
    ejercicio = "process__procesodictamen__solicitud__ejercicio"
    vecinas = Q(
        **{f"{ejercicio}__in": (anio - 1, anio + 1)},
        finished__gte=timezone.make_aware(datetime.datetime(anio - 1, 11, 1)),
        finished__lt=timezone.make_aware(datetime.datetime(anio + 1, 4, 1)),
    )
    filas = Task.objects.filter(
        Q(**{ejercicio: anio}) | vecinas,
        flow_task_type=HUMANA,
        status=STATUS.DONE,
        finished__isnull=False,
    ).values_list(
        "flow_task",
        "owner_permission_obj_pk",
        "data__via",
        "owner_id",
        "created",
        "finished",
        "process_id",
        ejercicio,
    )
    claves = dict(Area.objects.values_list("pk", "clave"))
    tareas, correcciones, rutas = [], [], defaultdict(set)
    for nodo_, area, via, persona, creada, terminada, proceso, de_anio in filas:
        paso, propia = nodo_.name, de_anio == anio
        if paso == SUBSANAR:
            if propia:
                correcciones.append((creada, terminada))
            continue
        if Nodo.es_revision_de_area(paso):
            if propia:
                rutas[proceso].add(paso_de_area(claves.get(int(area or 0), "")))
            paso = PASO_UNICO if via == Via.RAPIDA else paso_de_area(claves.get(int(area or 0), ""))
        elif paso not in PASOS_FIJOS or persona is None:
            continue
        tareas.append((paso, persona, creada, terminada, propia))
    return tareas, correcciones, Counter(tuple(sorted(r)) for r in rutas.values())


def _areas_por_solicitud(anio: int) -> Counter:
    areas = (
        Task.objects.filter(
            process_id=OuterRef("proceso__pk"), flow_task=nodo(Nodo.REVISION_TECNICA)
        )
        .values("process_id")
        .annotate(c=Count("owner_permission_obj_pk", distinct=True))
        .values("c")
    )
    filas = (
        Solicitud.objects.filter(ejercicio=anio, proceso__isnull=False)
        .annotate(n_areas=Subquery(areas))
        .filter(n_areas__gt=0)
        .values("n_areas")
        .annotate(n=Count("id"))
    )
    return Counter({f["n_areas"]: f["n"] for f in filas})


def historial_del_anio(*, anio: int) -> Historial:
    """The record of fiscal year `anio`, read with a fixed number of queries."""
    zona = timezone.get_current_timezone()
    historial = Historial(anio=anio, llegadas=_llegadas(anio, zona))
    historial.presentadas = sum(historial.llegadas.values())
    historial.tareas, historial.correcciones, historial.rutas = _tareas(anio)
    if historial.con_tareas:
        historial.areas_por_solicitud = _areas_por_solicitud(anio)
        de_anio = EventoAuditoria.objects.filter(solicitud__ejercicio=anio)
        cuenta = de_anio.aggregate(
            prevenidas=Count("solicitud", distinct=True, filter=Q(tipo="prevencion")),
            con_peticion=Count("solicitud", distinct=True, filter=Q(tipo="peticion_informacion")),
        )
        historial.prevenidas = cuenta["prevenidas"]
        historial.con_peticion = cuenta["con_peticion"]
        historial.desechadas_prevenidas = Solicitud.objects.filter(
            Exists(EventoAuditoria.objects.filter(solicitud=OuterRef("pk"), tipo="prevencion")),
            ejercicio=anio,
            estado=Solicitud.Estado.DESECHADA,
        ).count()
        historial.pausas = Counter(
            {
                int(f["datos__dias_en_pausa"] or 0): f["n"]
                for f in de_anio.filter(tipo="respuesta_informacion")
                .values("datos__dias_en_pausa")
                .annotate(n=Count("id"))
            }
        )
    tiempos = indicadores.tiempos(ejercicio=anio)
    historial.mediana, historial.p90, historial.plazo = tiempos.mediana, tiempos.p90, tiempos.plazo
    historial.atendidas = Solicitud.objects.filter(
        ejercicio=anio, dias_habiles_atencion__isnull=False
    ).count()
    return historial
