"""The record's monthly pattern, as a whole and split by review area, for the load forecast.

Each figure is one SQL aggregation grouped by month (and area), so the number of queries never
grows with the history. A request belongs to the areas of its items (Partida → perfil →
categoría → área): a request with items of two areas counts once in each.
"""

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from dictamenes.models import LineaPrograma, Partida, Solicitud


def _ejercicios(*, ejercicio: int | None, antes_de: int | None, campo: str) -> Q:
    if ejercicio is not None:
        return Q(**{campo: ejercicio})
    return Q(**{f"{campo}__lt": antes_de})


def llegadas_por_mes(*, ejercicio: int | None = None, antes_de: int | None = None) -> dict:
    """Presented requests by calendar month of presentation: {mes: n}, for one fiscal year or
    for every year before `antes_de`."""
    return dict(
        Solicitud.objects.filter(
            _ejercicios(ejercicio=ejercicio, antes_de=antes_de, campo="ejercicio"),
            presentada_en__isnull=False,
        )
        .annotate(m=ExtractMonth("presentada_en", tzinfo=timezone.get_current_timezone()))
        .values("m")
        .annotate(n=Count("id"))
        .values_list("m", "n")
    )


def _partidas_por_mes(*, ejercicio: int | None, antes_de: int | None):
    return Partida.objects.filter(
        _ejercicios(ejercicio=ejercicio, antes_de=antes_de, campo="solicitud__ejercicio"),
        solicitud__presentada_en__isnull=False,
    ).annotate(m=ExtractMonth("solicitud__presentada_en", tzinfo=timezone.get_current_timezone()))


def llegadas_por_area_y_mes(*, ejercicio: int | None = None, antes_de: int | None = None) -> dict:
    """Presented requests with items of each area, by month: {(area_id, mes): n}."""
    return {
        (area, m): n
        for area, m, n in _partidas_por_mes(ejercicio=ejercicio, antes_de=antes_de)
        .values("perfil__categoria__area_id", "m")
        .annotate(n=Count("solicitud", distinct=True))
        .values_list("perfil__categoria__area_id", "m", "n")
    }


def llegadas_con_partidas_por_mes(
    *, ejercicio: int | None = None, antes_de: int | None = None
) -> dict:
    """Presented requests with at least one item, by month: {mes: n}. Imported history may
    lack the items; the areas' shares are measured on the requests that have them."""
    return dict(
        _partidas_por_mes(ejercicio=ejercicio, antes_de=antes_de)
        .values("m")
        .annotate(n=Count("solicitud", distinct=True))
        .values_list("m", "n")
    )


def ejercicios_con_historia(*, antes_de: int) -> int:
    """How many fiscal years before `antes_de` received requests: the history's averages
    divide by it (an area with none in a year counts that year as zero)."""
    return (
        Solicitud.objects.filter(ejercicio__lt=antes_de, presentada_en__isnull=False)
        .values("ejercicio")
        .distinct()
        .count()
    )


def planeadas_pendientes(*, ejercicio: int) -> tuple[dict, dict]:
    """Programme lines of the year not yet presented: ({mes: n}, {(area_id, mes): n})."""
    filas = list(
        LineaPrograma.objects.filter(programa__ejercicio=ejercicio, solicitud__isnull=True)
        .values("area_id", "mes_previsto")
        .annotate(n=Count("id"))
        .values_list("area_id", "mes_previsto", "n")
    )
    por_mes: dict[int, int] = {}
    for _area, m, n in filas:
        por_mes[m] = por_mes.get(m, 0) + n
    return por_mes, {(area, m): n for area, m, n in filas}
