"""The annual indicator and the figures behind it, computed by SQL aggregation.

"Atendida": a dictamen was issued or the request was closed as desechada. The indicator is
attended / received per fiscal year, as the Subsecretaría reports it.
"""

import json
from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from dictamenes import flow_port
from dictamenes.cifras.reglas import con_barras as con_barras
from dictamenes.cifras.reglas import grupos_de_fraccionamiento, indice, meses_seguidos
from dictamenes.models import PlazoEtapa, Resultado, Solicitud, TipoOperacion, Via
from dictamenes.organizacion.selectors.usuarios import nombre_de_area
from dictamenes.tramite.selectors.estados import ATENDIDA
from dictamenes.tramite.selectors.plazos import plazos_dias
from dictamenes.tramite.selectors.tareas import TITULO_UNICA, tareas_humanas_abiertas
from dictamenes.tramite.selectors.vias import ESTADOS_HERMANAS, vias_vigentes

MESES = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"]


def plazo_total() -> int:
    """Business days the Subsecretaría has for a request: the sum of its own steps."""
    propias = (
        PlazoEtapa.Etapa.ADMISION,
        PlazoEtapa.Etapa.REVISION_AREA,
        PlazoEtapa.Etapa.REVISION_ESTRATEGICA,
        PlazoEtapa.Etapa.FIRMA,
    )
    return sum(plazos_dias(etapas=propias).values())


def _presentadas():
    return Solicitud.objects.exclude(presentada_en__isnull=True)


def por_ejercicio(*, ejercicio: int | None = None) -> list[dict]:
    """Per fiscal year (or of one): received, attended, attended on time, the estimated
    amount, the indicator and the share on time."""
    plazo = plazo_total()
    presentadas = _presentadas()
    if ejercicio is not None:
        presentadas = presentadas.filter(ejercicio=ejercicio)
    filas = list(
        presentadas.values("ejercicio")
        .annotate(
            recibidas=Count("id"),
            atendidas=Count("id", filter=Q(estado__in=ATENDIDA)),
            en_plazo=Count("id", filter=Q(dias_habiles_atencion__lte=plazo)),
            monto=Sum("monto_estimado"),
        )
        .order_by("ejercicio")
    )
    for fila in filas:
        fila["indicador"] = indice(fila["atendidas"], fila["recibidas"])
        fila["pct_en_plazo"] = indice(fila["en_plazo"], fila["atendidas"])
    return filas


def por_ejercicio_ente_tipo() -> list[dict]:
    """The annual indicator split by agency and type of operation: received and attended."""
    return list(
        _presentadas()
        .values("ejercicio", "ente", "ente__siglas", "ente__nombre", "tipo_operacion")
        .annotate(recibidas=Count("id"), atendidas=Count("id", filter=Q(estado__in=ATENDIDA)))
        .order_by("ejercicio", "ente__siglas", "tipo_operacion")
    )


def llegadas_por_mes() -> list[dict]:
    """Requests presented per calendar month (the installation's time), every month from the first
    to the last with arrivals, months without any included as 0."""
    conteo = {
        (f["mes"].year, f["mes"].month): f["n"]
        for f in _presentadas()
        .annotate(mes=TruncMonth("presentada_en", tzinfo=timezone.get_current_timezone()))
        .values("mes")
        .annotate(n=Count("id"))
    }
    return meses_seguidos(conteo)


def tiempos_por_ejercicio() -> list[dict]:
    """Business days to attend, per fiscal year: how many, median, p90 and the share on time."""
    plazo = plazo_total()
    filas = (
        Solicitud.objects.filter(dias_habiles_atencion__isnull=False)
        .values("ejercicio")
        .annotate(n=Count("id"), en_plazo=Count("id", filter=Q(dias_habiles_atencion__lte=plazo)))
        .order_by("ejercicio")
    )
    return [
        fila | {"tiempos": tiempos(ejercicio=fila["ejercicio"]), "plazo": plazo} for fila in filas
    ]


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
    """Open work by step (and area, for the technical review), from viewflow's task table. A
    fast-track single review is named by every area it covers (issue 61), as its step is."""
    filas = (
        tareas_humanas_abiertas()
        .filter(process__flow_class=flow_port.flujo())
        .values(
            "flow_task",
            "owner_permission_obj_pk",
            via=KeyTextTransform("via", "data"),
            areas=KeyTextTransform("areas", "data"),
        )
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    por_paso: Counter = Counter()
    for f in filas:
        paso = str(f["flow_task"].task_title)
        if flow_port.Nodo.es_revision_de_area(f["flow_task"].name) and f["via"] == Via.RAPIDA:
            nombres = sorted(nombre_de_area(pk=int(pk)) for pk in json.loads(f["areas"] or "[]"))
            paso = f"{TITULO_UNICA}: {', '.join(nombres)}"
        elif flow_port.Nodo.es_revision_de_area(f["flow_task"].name):
            paso = f"{paso}: {nombre_de_area(pk=int(f['owner_permission_obj_pk']))}"
        por_paso[paso] += f["n"]
    return [{"paso": paso, "n": n} for paso, n in por_paso.most_common()]


def estandar_de_servicio(*, anio: int) -> dict:
    """The published service standard (issue 36, item 5), per month of attention of `anio`
    (the installation's time): of the requests dictaminadas that month, how many took no more
    business days than the target of their track. Each request is measured against the
    version of the tracks applied to it; those without one (before tracks existed, via "")
    against today's target of the full track. One query, 12 months."""
    config = vias_vigentes()
    meta = Case(
        When(
            via=Via.RAPIDA,
            then=Coalesce(F("via_config__meta_dias_rapida"), Value(config.meta_dias_rapida)),
        ),
        default=Coalesce(F("via_config__meta_dias_completa"), Value(config.meta_dias_completa)),
    )
    zona = timezone.get_current_timezone()
    conteo = {
        f["mes"].month: f
        for f in Solicitud.objects.filter(
            estado=Solicitud.Estado.DICTAMINADA,
            atendida_en__year=anio,
            dias_habiles_atencion__isnull=False,
        )
        .annotate(mes=TruncMonth("atendida_en", tzinfo=zona))
        .values("mes")
        .annotate(n=Count("id"), cumplen=Count("id", filter=Q(dias_habiles_atencion__lte=meta)))
        .order_by()
    }
    meses = []
    for m in range(1, 13):
        n, cumplen = conteo[m]["n"] if m in conteo else 0, conteo.get(m, {}).get("cumplen", 0)
        meses.append(
            {
                "mes": MESES[m - 1],
                "numero": m,
                "n": n,
                "cumplen": cumplen,
                "pct": round(100 * cumplen / n, 1) if n else None,
            }
        )
    return {
        "anio": anio,
        "meses": meses,
        "meta_rapida": config.meta_dias(Via.RAPIDA),
        "meta_completa": config.meta_dias(Via.COMPLETA),
    }


def fraccionamientos_por_ejercicio() -> list[dict]:
    """Possible split purchases detected (issue 48), per fiscal year: how many groups of
    requests the track's rule tied together (Solicitud.via_fraccion). A group is the requests
    linked by it, directly or through another (the second and the third of three each name
    the others): counted once. Requests closed without a purchase (desechada, desistida,
    cancelada) and drafts do not count. One query, of the flagged requests only."""
    filas = (
        Solicitud.objects.filter(estado__in=ESTADOS_HERMANAS)
        .exclude(via_fraccion=[])
        .values_list("ejercicio", "folio", "via_fraccion")
        .order_by()
    )
    return grupos_de_fraccionamiento(filas)
