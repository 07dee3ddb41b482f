"""What the record says about one fiscal year, for the year simulation to learn from.

A bounded number of SQL aggregations, whatever the number of requests: the arrivals per day,
the steps' business days grouped by step, person, month of arrival and dates, the number of
areas per request, and the requests with a prevención or an information request. Business days
are counted in Python once per distinct pair of dates, not once per task.

A year without workflow tasks (history imported from before the system) has only each
request's total days of attention: its one step is the whole procedure ("atencion").
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Cast, ExtractMonth, TruncDate
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from dictamenes.cifras.selectors import indicadores
from dictamenes.flow_port import Nodo, nodo
from dictamenes.models import Area, EventoAuditoria, Solicitud, Via
from dictamenes.organizacion.selectors import calendario
from dictamenes.tramite.selectors.tramite import HUMANA

ATENCION = "atencion"  # the whole procedure, for a year without tasks
# The steps the Subsecretaría's clock counts (subsanar is the requirente's time).
PASOS_FIJOS = (Nodo.ADMISION, Nodo.REVISION_ESTRATEGICA, Nodo.FIRMA)


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
    # (step, person or None, month of arrival) -> Counter(business days -> tasks)
    celdas: dict = field(default_factory=dict)
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
        return any(paso != ATENCION for paso, _persona, _mes in self.celdas)


def _llegadas(anio: int, zona) -> Counter:
    filas = (
        Solicitud.objects.filter(ejercicio=anio, presentada_en__isnull=False)
        .annotate(dia=TruncDate("presentada_en", tzinfo=zona))
        .values("dia")
        .annotate(n=Count("id"))
    )
    return Counter({f["dia"]: f["n"] for f in filas})


def _celdas_de_tareas(anio: int, zona, cal) -> dict:
    llegada = "process__procesodictamen__solicitud__presentada_en"
    filas = (
        Task.objects.filter(
            process__procesodictamen__solicitud__ejercicio=anio,
            flow_task_type=HUMANA,
            status=STATUS.DONE,
            finished__isnull=False,
        )
        .annotate(
            mes=ExtractMonth(llegada, tzinfo=zona),
            inicio=TruncDate("created", tzinfo=zona),
            fin=TruncDate("finished", tzinfo=zona),
            # A review names its area by id (its owner permission object); the record names it
            # by key, read in the same query.
            area=Subquery(
                Area.objects.filter(
                    pk=Cast(OuterRef("owner_permission_obj_pk"), output_field=IntegerField())
                ).values("clave")[:1]
            ),
        )
        .values("flow_task", "area", "data__via", "owner_id", "mes", "inicio", "fin")
        .annotate(n=Count("id"))
    )
    celdas: dict = {}
    for f in filas:
        paso = f["flow_task"].name
        if Nodo.es_revision_de_area(paso) and f["data__via"] == Via.RAPIDA:
            paso = PASO_UNICO
        elif Nodo.es_revision_de_area(paso):
            paso = paso_de_area(f["area"])
        elif paso not in PASOS_FIJOS:
            continue
        dias = max(cal.habiles_entre(f["inicio"], f["fin"]), 0)
        celdas.setdefault((paso, f["owner_id"], f["mes"]), Counter())[dias] += f["n"]
    return celdas


def _celdas_de_atencion(anio: int, zona) -> dict:
    filas = (
        Solicitud.objects.filter(ejercicio=anio, dias_habiles_atencion__isnull=False)
        .annotate(mes=ExtractMonth("presentada_en", tzinfo=zona))
        .values("mes", "dias_habiles_atencion")
        .annotate(n=Count("id"))
    )
    celdas: dict = {}
    for f in filas:
        dias = celdas.setdefault((ATENCION, None, f["mes"]), Counter())
        dias[f["dias_habiles_atencion"]] += f["n"]
    return celdas


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
    cal = calendario.Calendario.cargar(datetime.date(anio, 1, 1), datetime.date(anio + 2, 12, 31))
    historial.celdas = _celdas_de_tareas(anio, zona, cal) or _celdas_de_atencion(anio, zona)
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
