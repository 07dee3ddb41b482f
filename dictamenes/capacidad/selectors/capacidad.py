"""The review areas' capacity, week by week, as the plan reads it (issue 50, item 1).

For each area and week: the people who hold the technical-review role and the area, each one's
business days in the week (the calendar's: weekends, federal holidays and the office's declared
non-working days are not business days) less their declared absences and the days they stand
in for someone (Sustitucion: the holder is away; the substitute covers the holder's areas too),
plus the people lent to the area (Refuerzo). A person in several areas splits their days
between them equally. Capacity = available days × the person's reviews per business day.

Each person's rate is measured from the record (`tasas`): the technical reviews they finished in
the last year, per week, over the business days of that week on which they had a review open;
the median of those weeks is the rate and the 10th and 90th percentiles its spread. A person
without a record takes the median of the others; with no record at all, the configured
DICTAMENES_REVISIONES_POR_DIA. A fixed number of queries, whatever the history.
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from dictamenes.flow_port import Nodo, nodo
from dictamenes.models import Area, Ausencia, Perfil, Refuerzo, Sustitucion
from dictamenes.organizacion.selectors.calendario import Calendario
from dictamenes.roles import Rol

VENTANA_TASAS = 365  # days of record the rates are measured on
REGISTRO, DEL_AREA, PREDETERMINADA = "registro", "área", "predeterminada"
ORIGENES = {
    REGISTRO: _("medida en el registro"),
    DEL_AREA: _("sin registro propio: la mediana de las demás personas"),
    PREDETERMINADA: _("sin registro: la tasa configurada"),
}


@dataclass(frozen=True)
class Tasa:
    persona: object
    areas: tuple[str, ...]
    tasa: float  # reviews per business day
    p10: float
    p90: float
    semanas: int  # weeks measured
    origen: str

    @property
    def origen_texto(self) -> str:
        return str(ORIGENES[self.origen])


@dataclass
class Capacidad:
    """Per (area id, Monday): available reviewer-days and reviews; the areas; the rates."""

    areas: list[Area]
    semanas: list[datetime.date]
    dias: dict = field(default_factory=dict)  # (area_id, monday) -> reviewer-days available
    revisiones: dict = field(default_factory=dict)  # (area_id, monday) -> reviews possible
    nominales: dict = field(default_factory=dict)  # (area_id, monday) -> reviewer-days, nobody away
    habiles: dict = field(default_factory=dict)  # monday -> business days of the week
    tasas: list[Tasa] = field(default_factory=list)
    calendario: Calendario | None = None


def lunes_de(fecha: datetime.date) -> datetime.date:
    return fecha - datetime.timedelta(days=fecha.weekday())


def semanas_entre(desde: datetime.date, hasta: datetime.date) -> list[datetime.date]:
    lunes, semanas = lunes_de(desde), []
    while lunes <= hasta:
        semanas.append(lunes)
        lunes += datetime.timedelta(days=7)
    return semanas


def _percentil(valores: list[float], p: float) -> float:
    orden = sorted(valores)
    return orden[min(int(p * len(orden)), len(orden) - 1)]


def tasas(*, hoy: datetime.date, personas: dict, cal: Calendario) -> list[Tasa]:
    """Each reviewer's reviews per business day with work in hand, from their technical reviews
    finished in the last VENTANA_TASAS days (one query). Per week: the reviews finished over the
    business days on which the person had at least one review open (a quiet week with one
    review done in a day is a pace of one a day, not a fifth). `personas`: {user: (areas)}."""
    zona = timezone.get_current_timezone()
    desde = hoy - datetime.timedelta(days=VENTANA_TASAS)
    filas = (
        Task.objects.filter(
            flow_task=nodo(Nodo.REVISION_TECNICA),
            status=STATUS.DONE,
            owner__in=list(personas),
            finished__date__gte=desde,
        )
        .annotate(inicio=TruncDate("created", tzinfo=zona), fin=TruncDate("finished", tzinfo=zona))
        .values_list("owner_id", "inicio", "fin")
    )
    hechas: dict[int, dict] = defaultdict(lambda: defaultdict(int))  # person -> week -> done
    ocupado: dict[int, set] = defaultdict(set)  # person -> business days with a review open
    for persona_id, inicio, fin in filas:
        hechas[persona_id][lunes_de(fin)] += 1
        dia = max(inicio, desde)
        while dia <= fin:
            if cal.es_habil(dia):
                ocupado[persona_id].add(dia)
            dia += datetime.timedelta(days=1)
    medidas = {}
    for persona_id, semanas in hechas.items():
        dias_semana: dict = defaultdict(int)
        for dia in ocupado[persona_id]:
            dias_semana[lunes_de(dia)] += 1
        medidas[persona_id] = [n / max(dias_semana[lunes], 1) for lunes, n in semanas.items()]
    todas = [statistics.median(r) for r in medidas.values()]
    resultado = []
    for persona, areas in personas.items():
        ritmo = medidas.get(persona.pk)
        if ritmo:
            tasa = Tasa(
                persona,
                areas,
                statistics.median(ritmo),
                _percentil(ritmo, 0.1),
                _percentil(ritmo, 0.9),
                len(ritmo),
                REGISTRO,
            )
        elif todas:
            mediana = statistics.median(todas)
            tasa = Tasa(persona, areas, mediana, mediana, mediana, 0, DEL_AREA)
        else:
            base = float(settings.DICTAMENES_REVISIONES_POR_DIA)
            tasa = Tasa(persona, areas, base, base, base, 0, PREDETERMINADA)
        resultado.append(tasa)
    return resultado


def _dias(desde, hasta, inicio, fin) -> set[datetime.date]:
    """The calendar days of [desde, hasta] inside [inicio, fin]."""
    a, b = max(desde, inicio), min(hasta, fin)
    return {a + datetime.timedelta(days=i) for i in range((b - a).days + 1)} if a <= b else set()


def capacidad(
    *, desde: datetime.date, hasta: datetime.date, hoy: datetime.date | None = None
) -> Capacidad:
    """Every active area's capacity in each week from the Monday of `desde` to `hasta`."""
    hoy = hoy or timezone.localdate()
    semanas = semanas_entre(desde, hasta)
    inicio, fin = semanas[0], semanas[-1] + datetime.timedelta(days=6)
    cal = Calendario.cargar(min(inicio, hoy - datetime.timedelta(days=VENTANA_TASAS)), fin)
    areas = list(Area.objects.filter(activa=True).order_by("nombre"))
    User = get_user_model()
    rol = str(Rol.REVISOR_TECNICO.label)
    perfiles = Perfil.objects.filter(
        usuario__is_active=True, usuario__groups__name=rol, areas__activa=True
    ).values_list("usuario_id", "areas__clave")
    areas_de: dict[int, set[str]] = defaultdict(set)
    for usuario_id, clave in perfiles:
        areas_de[usuario_id].add(clave)
    # A loan counts while its person can review (issue 60): an active account that still
    # holds the role (taken away while the loan is open, it lends nobody).
    refuerzos = list(
        Refuerzo.objects.filter(
            desde__lte=fin,
            hasta__gte=inicio,
            area__activa=True,
            persona__is_active=True,
            persona__groups__name=rol,
        ).values_list("persona_id", "area__clave", "desde", "hasta")
    )
    ausencias = list(
        Ausencia.objects.filter(desde__lte=fin, hasta__gte=inicio).values_list(
            "persona_id", "desde", "hasta"
        )
    )
    sustituciones = list(
        Sustitucion.objects.filter(desde__lte=fin, hasta__gte=inicio).values_list(
            "titular_id", "suplente_id", "desde", "hasta"
        )
    )
    ids = set(areas_de) | {r[0] for r in refuerzos}
    personas = User.objects.in_bulk(ids)
    fuera: dict[int, set] = defaultdict(set)  # person -> days away
    for persona_id, a, b in ausencias:
        fuera[persona_id] |= _dias(a, b, inicio, fin)
    cubre: dict[int, list] = defaultdict(list)  # substitute -> [(areas, days)]
    for titular, suplente, a, b in sustituciones:
        dias = _dias(a, b, inicio, fin)
        fuera[titular] |= dias
        cubre[suplente].append((areas_de.get(titular, set()), dias))
    prestado: dict[int, list] = defaultdict(list)  # person -> [(area, days)]
    for persona_id, clave, a, b in refuerzos:
        prestado[persona_id].append((clave, _dias(a, b, inicio, fin)))
    lista_tasas = tasas(
        hoy=hoy,
        personas={personas[i]: tuple(sorted(areas_de.get(i, ()))) for i in sorted(ids)},
        cal=cal,
    )
    ritmo = {t.persona.pk: t.tasa for t in lista_tasas}
    resultado = Capacidad(areas=areas, semanas=semanas, tasas=lista_tasas, calendario=cal)
    repartir(resultado, areas_de=areas_de, fuera=fuera, cubre=cubre, prestado=prestado, ritmo=ritmo)
    return resultado


def repartir(
    resultado: Capacidad,
    *,
    areas_de: dict,
    fuera: dict,
    cubre: dict | None = None,
    prestado: dict | None = None,
    ritmo: dict | None = None,
) -> Capacidad:
    """Fills `resultado`'s weeks from who is registered: `areas_de` {person: their areas' keys},
    `fuera` {person: days away}, `cubre` {substitute: [(areas, days)]}, `prestado` {person:
    [(area key, days)]}, `ritmo` {person: reviews per business day}. No query: the plan's
    validation fills a world's registered staff with it, as the page fills the office's."""
    cubre, prestado, ritmo = cubre or {}, prestado or {}, ritmo or {}
    cal, areas = resultado.calendario, resultado.areas
    ids = set(areas_de) | set(prestado)
    por_clave = {a.clave: a.pk for a in areas}
    for lunes in resultado.semanas:
        habiles = [
            lunes + datetime.timedelta(days=i)
            for i in range(7)
            if cal.es_habil(lunes + datetime.timedelta(days=i))
        ]
        resultado.habiles[lunes] = len(habiles)
        for area in areas:
            resultado.dias[(area.pk, lunes)] = 0.0
            resultado.revisiones[(area.pk, lunes)] = 0.0
            resultado.nominales[(area.pk, lunes)] = 0.0
        for persona_id in ids:
            for dia in habiles:
                suyas = set(areas_de.get(persona_id, ()))
                nominal = set(suyas)
                for clave, dias in prestado.get(persona_id, ()):
                    if dia in dias:
                        suyas.add(clave)
                for cubiertas, dias in cubre.get(persona_id, ()):
                    if dia in dias:
                        suyas |= cubiertas
                presente = dia not in fuera.get(persona_id, ())
                for clave in suyas & set(por_clave):
                    llave = (por_clave[clave], lunes)
                    parte = (1 / len(suyas)) if presente else 0.0
                    resultado.dias[llave] += parte
                    resultado.revisiones[llave] += parte * ritmo.get(persona_id, 0.0)
                for clave in nominal & set(por_clave):
                    resultado.nominales[(por_clave[clave], lunes)] += 1 / len(nominal)
    return resultado
