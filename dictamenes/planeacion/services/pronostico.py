"""The load forecast: requests month by month, and each review area's load against its
capacity, blending the agencies' annual programmes with the record's monthly pattern.

The blend rule, one for the whole and for each area: a month already past counts what was
received; the current month and the coming ones count the larger of (received so far + planned
lines still pending for that month) and that calendar month's average over the previous fiscal
years. Plans and history describe the same demand (an agency that plans is in the record too),
so they are never added: the larger wins. An agency that never plans still weighs through the
history, and its year-end rush raises its areas' over-capacity flag.

An area's history is its share of the month: of the previous years' requests of that calendar
month that have items, the share with items of the area (Partida → perfil → categoría → área; a
request with items of two areas counts in both), times the month's average of all requests.
When every request has items this is simply the area's own average; imported years whose rows
lack the items still count through the month's volume. A month with no items in its history
takes the area's share over the whole history, and a history with no items at all takes the
shares of this year's requests.
"""

import datetime
import math

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.models import Area
from dictamenes.organizacion.selectors import calendario
from dictamenes.planeacion.selectors import llegadas
from dictamenes.roles import Rol

METODO_PRONOSTICO = _(
    "Meses transcurridos: lo recibido. Mes en curso y siguientes: el mayor entre lo ya recibido "
    "más las solicitudes planeadas pendientes para ese mes y el promedio de ese mes en los "
    "ejercicios anteriores; planes e historia no se suman, porque describen la misma demanda."
)
# The blend per area, in one sentence, above the areas' table.
METODO_CARGA_AREA = _(
    "Cada área sigue la misma regla con las solicitudes que traen partidas suyas, y su promedio "
    "histórico es su parte de las solicitudes de ese mes en los ejercicios anteriores, así que "
    "un área sin líneas planeadas también excede por su historia; su capacidad es personas "
    "revisoras × días hábiles del mes × revisiones por día."
)


def _redondear(valor: float) -> int:
    """Half up, as a person rounds (Python's round() sends 2.5 to 2)."""
    return math.floor(valor + 0.5)


def _mezclar(*, pasado: bool, recibidas: int, planeadas: int, historico: float) -> int:
    """The blend rule of the module docstring, for one month (of the whole or of an area)."""
    if pasado:
        return recibidas
    return max(recibidas + planeadas, _redondear(historico))


def _historia_por_area(*, anio: int, historico: dict[int, float], recibidas_area: dict) -> dict:
    """{(area_id, mes): average}: the area's share of the month times the month's average
    (`historico`), as the module docstring says."""
    por_area = llegadas.llegadas_por_area_y_mes(antes_de=anio)
    con_partidas = llegadas.llegadas_con_partidas_por_mes(antes_de=anio)
    # Where the shares come from when a month's history has no items: the whole history, or
    # this year's requests if the history has no items at all (both queries always run, so
    # the page's count of queries does not depend on the data).
    del_anio = llegadas.llegadas_con_partidas_por_mes(ejercicio=anio)
    referencia, con_referencia = (
        (por_area, con_partidas) if con_partidas else (recibidas_area, del_anio)
    )
    total_area: dict[int, int] = {}
    for (area, _mes), n in referencia.items():
        total_area[area] = total_area.get(area, 0) + n
    resultado = {}
    for area, total in total_area.items():
        for mes, promedio in historico.items():
            if con_partidas.get(mes):
                parte = por_area.get((area, mes), 0) / con_partidas[mes]
            else:
                parte = total / sum(con_referencia.values())
            resultado[(area, mes)] = parte * promedio
    return resultado


def _dias_habiles(*, anio: int) -> dict[int, int]:
    cal = calendario.Calendario.cargar(datetime.date(anio, 1, 1), datetime.date(anio, 12, 31))
    return {
        m: cal.habiles_entre(
            datetime.date(anio, m, 1) - datetime.timedelta(days=1),
            datetime.date(anio + (m == 12), m % 12 + 1, 1) - datetime.timedelta(days=1),
        )
        for m in range(1, 13)
    }


def pronostico(*, anio: int | None = None, hoy: datetime.date | None = None) -> dict:
    """Month by month: planned still to come, received, history and forecast; and per area the
    load against its capacity. A fixed number of SQL aggregations, whatever the history."""
    hoy = hoy or timezone.localdate()
    anio = anio or hoy.year
    n_anios = llegadas.ejercicios_con_historia(antes_de=anio) or 1
    recibidas = llegadas.llegadas_por_mes(ejercicio=anio)
    historico = {m: n / n_anios for m, n in llegadas.llegadas_por_mes(antes_de=anio).items()}
    planeadas, planeadas_area = llegadas.planeadas_pendientes(ejercicio=anio)
    recibidas_area = llegadas.llegadas_por_area_y_mes(ejercicio=anio)
    historico_area = _historia_por_area(
        anio=anio, historico=historico, recibidas_area=recibidas_area
    )
    pasados = {m for m in range(1, 13) if (anio, m) < (hoy.year, hoy.month)}
    meses = [
        {
            "mes": m,
            "planeadas": planeadas.get(m, 0),
            "recibidas": recibidas.get(m, 0),
            "historico": round(historico.get(m, 0), 1),
            "pronostico": _mezclar(
                pasado=m in pasados,
                recibidas=recibidas.get(m, 0),
                planeadas=planeadas.get(m, 0),
                historico=historico.get(m, 0),
            ),
        }
        for m in range(1, 13)
    ]
    habiles = _dias_habiles(anio=anio)
    areas = []
    # Who can review: an active account with the technical-review role, in an active area.
    puede_revisar = Q(
        activa=True,
        personal__usuario__is_active=True,
        personal__usuario__groups__name=str(Rol.REVISOR_TECNICO.label),
    )
    for area in Area.objects.annotate(
        revisores=Count("personal", filter=puede_revisar, distinct=True)
    ).order_by("nombre"):
        filas = []
        for m in range(1, 13):
            capacidad = area.revisores * habiles[m] * settings.DICTAMENES_REVISIONES_POR_DIA
            carga = _mezclar(
                pasado=m in pasados,
                recibidas=recibidas_area.get((area.pk, m), 0),
                planeadas=planeadas_area.get((area.pk, m), 0),
                historico=historico_area.get((area.pk, m), 0),
            )
            filas.append(
                {"mes": m, "carga": carga, "capacidad": capacidad, "excede": carga > capacidad}
            )
        areas.append({"area": area, "meses": filas})
    return {"anio": anio, "meses": meses, "areas": areas, "habiles": habiles}
