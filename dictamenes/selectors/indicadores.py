"""The annual indicator and the figures behind it, computed by SQL aggregation.

"Atendida": a dictamen was issued or the request was closed as desechada. The indicator is
attended / received per fiscal year, as the Subsecretaría reports it.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from dictamenes import flow_port
from dictamenes.models import PlazoEtapa, Resultado, Solicitud, TipoOperacion
from dictamenes.selectors.tramite import ATENDIDA, plazo_dias, tareas_humanas_abiertas

MESES = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"]


def plazo_total() -> int:
    """Business days the Subsecretaría has for a request: the sum of its own steps."""
    return sum(
        plazo_dias(etapa=etapa)
        for etapa in (
            PlazoEtapa.Etapa.ADMISION,
            PlazoEtapa.Etapa.REVISION_AREA,
            PlazoEtapa.Etapa.REVISION_ESTRATEGICA,
            PlazoEtapa.Etapa.FIRMA,
        )
    )


def _presentadas():
    return Solicitud.objects.exclude(presentada_en__isnull=True)


def por_ejercicio() -> list[dict]:
    plazo = plazo_total()
    filas = list(
        _presentadas()
        .values("ejercicio")
        .annotate(
            recibidas=Count("id"),
            atendidas=Count("id", filter=Q(estado__in=ATENDIDA)),
            en_plazo=Count("id", filter=Q(dias_habiles_atencion__lte=plazo)),
            monto=Sum("monto_estimado"),
        )
        .order_by("ejercicio")
    )
    for fila in filas:
        fila["indicador"] = (
            round(100 * fila["atendidas"] / fila["recibidas"], 1) if fila["recibidas"] else 0
        )
        fila["pct_en_plazo"] = (
            round(100 * fila["en_plazo"] / fila["atendidas"], 1) if fila["atendidas"] else 0
        )
    return filas


def resultados_por_tipo(*, ejercicio: int) -> list[dict]:
    filas = (
        _presentadas()
        .filter(ejercicio=ejercicio)
        .values("tipo_operacion")
        .annotate(
            total=Count("id"),
            favorable=Count("id", filter=Q(resultado=Resultado.FAVORABLE)),
            condicionado=Count("id", filter=Q(resultado=Resultado.CONDICIONADO)),
            no_favorable=Count("id", filter=Q(resultado=Resultado.NO_FAVORABLE)),
            desechada=Count("id", filter=Q(estado=Solicitud.Estado.DESECHADA)),
        )
        .order_by("-total")
    )
    etiquetas = dict(TipoOperacion.choices)
    return [fila | {"tipo": etiquetas.get(fila["tipo_operacion"], "")} for fila in filas]


def _percentil(qs, fraccion: float):
    """A percentile by ORDER BY and OFFSET: the same SQL on SQLite and PostgreSQL."""
    n = qs.count()
    if not n:
        return None
    posicion = min(int(fraccion * n), n - 1) if fraccion < 1 else n - 1
    if fraccion == 0.5 and n % 2 == 0:
        valores = list(
            qs.order_by("dias_habiles_atencion").values_list("dias_habiles_atencion", flat=True)[
                n // 2 - 1 : n // 2 + 1
            ]
        )
        return sum(valores) / 2
    return qs.order_by("dias_habiles_atencion").values_list("dias_habiles_atencion", flat=True)[
        posicion
    ]


@dataclass(frozen=True)
class Tiempos:
    mediana: float | None
    p90: float | None
    plazo: int


def tiempos(*, ejercicio: int) -> Tiempos:
    qs = Solicitud.objects.filter(ejercicio=ejercicio, dias_habiles_atencion__isnull=False)
    return Tiempos(mediana=_percentil(qs, 0.5), p90=_percentil(qs, 0.9), plazo=plazo_total())


def llegadas_mensuales(*, ejercicio: int) -> list[dict]:
    conteo = {
        fila["mes"].month: fila["n"]
        for fila in _presentadas()
        .filter(ejercicio=ejercicio)
        .annotate(mes=TruncMonth("presentada_en", tzinfo=timezone.get_current_timezone()))
        .values("mes")
        .annotate(n=Count("id"))
    }
    return [{"mes": MESES[m - 1], "numero": m, "n": conteo.get(m, 0)} for m in range(1, 13)]


def principales_entes(*, ejercicio: int, limite: int = 10) -> list[dict]:
    return list(
        _presentadas()
        .filter(ejercicio=ejercicio)
        .values("ente__siglas", "ente__nombre")
        .annotate(n=Count("id"), monto=Sum("monto_estimado"))
        .order_by("-n", "ente__siglas")[:limite]
    )


def rezago() -> list[dict]:
    """Open work by step (and area, for the technical review), from viewflow's task table."""
    filas = (
        tareas_humanas_abiertas()
        .filter(process__flow_class=flow_port.flujo())
        .values("flow_task")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return [{"paso": str(f["flow_task"].task_title), "n": f["n"]} for f in filas]


def con_barras(*, filas: list[dict], clave: str) -> list[dict]:
    """Add each row's bar length as a share of the largest value (for the SVG charts)."""
    maximo = max((f[clave] or 0 for f in filas), default=0) or 1
    return [f | {"barra": round(100 * (f[clave] or 0) / maximo, 1)} for f in filas]
