"""A year of arrivals replayed through the queue rules, to measure what planning and
load-weighted assignment buy. A day-by-day simulation over business days, without the
database: deterministic for a seed.

Model: every request passes admission (mesa de control), one to three area reviews, the
strategic review and the signature; each stage is served in deadline order (earliest first)
by its people: each area reviewer finishes `capacidad` tasks a business day, the mesa, the
strategic reviewer and the firmante their own daily capacities. Without automatic
assignment, an area task goes to a reviewer of the area at random and waits in that person's
queue; with it, to the reviewer with the least open load.
"""

import datetime
import random
import statistics
from collections import deque
from dataclasses import dataclass, field

from dictamenes.selectors.calendario import Calendario

ATENDIDAS = {2023: 427, 2024: 794}
# Share of the year's arrivals per month: most of them come at the end of the year.
PESO_MENSUAL = [3, 4, 5, 5, 6, 6, 5, 7, 9, 12, 17, 21]

AREAS = ("infraestructura", "redes", "seguridad", "software", "computo")


@dataclass
class _Solicitud:
    llegada: int  # business-day index
    areas: list[str]
    pendientes: int = 0
    etapa: str = "admision"
    fin: int | None = None
    listo_desde: int = 0


@dataclass(frozen=True)
class Escenario:
    nombre: str
    planeacion: bool
    asignacion: bool


@dataclass
class Resultado:
    escenario: Escenario
    dias: list[int] = field(default_factory=list)
    plazo: int = 12

    @property
    def mediana(self) -> float:
        return statistics.median(self.dias)

    @property
    def p90(self) -> int:
        orden = sorted(self.dias)
        return orden[min(int(0.9 * len(orden)), len(orden) - 1)]

    @property
    def fuera_de_plazo(self) -> float:
        return 100 * sum(d > self.plazo for d in self.dias) / len(self.dias)


def _dias_habiles(anio: int) -> list[datetime.date]:
    cal = Calendario.cargar(datetime.date(anio, 1, 1), datetime.date(anio + 1, 6, 30))
    dia, dias = datetime.date(anio, 1, 1), []
    while dia <= datetime.date(anio + 1, 6, 30):
        if cal.es_habil(dia):
            dias.append(dia)
        dia += datetime.timedelta(days=1)
    return dias


def _llegadas(*, n, dias, azar, planeacion, parte_planeada):
    """Arrival day indices: the demo's year-end pattern, or with planning a share of them
    spread over January to October as the annual programmes would."""
    del_anio = [i for i, d in enumerate(dias) if d.year == dias[0].year]
    por_mes = {m: [i for i in del_anio if dias[i].month == m] for m in range(1, 13)}
    llegadas = []
    for _ in range(n):
        if planeacion and azar.random() < parte_planeada:
            mes = azar.randint(1, 10)
        else:
            mes = azar.choices(range(1, 13), weights=PESO_MENSUAL)[0]
        llegadas.append(azar.choice(por_mes[mes]))
    return sorted(llegadas)


def simular(
    escenario: Escenario,
    *,
    n: int = 794,
    anio: int = 2024,
    semilla: int = 7,
    revisores_por_area: int = 2,
    capacidad: int = 2,
    capacidad_mesa: int = 10,
    capacidad_estrategica: int = 8,
    capacidad_firma: int = 15,
    parte_planeada: float = 0.6,
    plazo: int = 12,
) -> Resultado:
    azar = random.Random(semilla)  # noqa: S311 - a reproducible simulation, not security
    dias = _dias_habiles(anio)
    solicitudes = [
        _Solicitud(llegada=d, areas=azar.sample(AREAS, azar.choice((1, 1, 2, 3))))
        for d in _llegadas(
            n=n,
            dias=dias,
            azar=azar,
            planeacion=escenario.planeacion,
            parte_planeada=parte_planeada,
        )
    ]
    colas = {"admision": deque(), "estrategica": deque(), "firma": deque()}
    revisores = {a: [deque() for _ in range(revisores_por_area)] for a in AREAS}
    por_llegar = deque(solicitudes)
    resultado = Resultado(escenario, plazo=plazo)
    for hoy in range(len(dias)):
        while por_llegar and por_llegar[0].llegada == hoy:
            colas["admision"].append(por_llegar.popleft())
        siguientes = []
        # Admission: the mesa serves in arrival (= deadline) order.
        for _ in range(min(capacidad_mesa, len(colas["admision"]))):
            siguientes.append(("areas", colas["admision"].popleft()))
        for area in AREAS:
            for cola in revisores[area]:
                for _ in range(min(capacidad, len(cola))):
                    s = cola.popleft()
                    s.pendientes -= 1
                    if s.pendientes == 0:
                        siguientes.append(("estrategica", s))
        for etapa, destino, tope in (
            ("estrategica", "firma", capacidad_estrategica),
            ("firma", None, capacidad_firma),
        ):
            for _ in range(min(tope, len(colas[etapa]))):
                s = colas[etapa].popleft()
                if destino:
                    siguientes.append((destino, s))
                else:
                    s.fin = hoy
                    resultado.dias.append(hoy - s.llegada)
        # What finished today waits for tomorrow's work of the next stage.
        for destino, s in siguientes:
            if destino == "areas":
                s.pendientes = len(s.areas)
                for area in s.areas:
                    if escenario.asignacion:
                        cola = min(revisores[area], key=len)
                    else:
                        cola = azar.choice(revisores[area])
                    cola.append(s)
            else:
                colas[destino].append(s)
    return resultado


ESCENARIOS = (
    Escenario("Sin planeación ni asignación", planeacion=False, asignacion=False),
    Escenario("Solo asignación por carga", planeacion=False, asignacion=True),
    Escenario("Solo planeación", planeacion=True, asignacion=False),
    Escenario("Planeación y asignación", planeacion=True, asignacion=True),
)
