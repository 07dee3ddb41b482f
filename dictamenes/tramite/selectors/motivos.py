"""The published catalogue of reasons for not approving an item (issue 36), with how many
items of issued dictámenes each reason refused, per fiscal year. /tramite/ and the open data
read it from here."""

from django.db.models import Count

from dictamenes.models import DecisionPartida, Dictamen, MotivoRechazo


def motivos_publicados():
    """The catalogue in its published order: the active reasons."""
    return MotivoRechazo.objects.filter(activo=True).order_by("orden", "nombre")


def conteo_por_anio() -> dict[tuple[str, int], int]:
    """{(motivo clave, ejercicio): items not approved for that reason} over the requests whose
    dictamen is in force (issued and not cancelled). One query."""
    vigentes = Dictamen.objects.filter(cancelado_en__isnull=True).values("solicitud_id")
    filas = (
        DecisionPartida.objects.filter(
            resultado=DecisionPartida.Resultado.NO_APROBADA,
            partida__solicitud_id__in=vigentes,
        )
        .values_list("motivo__clave", "partida__solicitud__ejercicio")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(clave, anio): n for clave, anio, n in filas}


def ejercicios_con_decisiones() -> list[int]:
    """The fiscal years with decisions per item in dictámenes in force: the years the open
    data of the reasons covers (every reason, 0 included). One query."""
    vigentes = Dictamen.objects.filter(cancelado_en__isnull=True).values("solicitud_id")
    return list(
        DecisionPartida.objects.filter(partida__solicitud_id__in=vigentes)
        .values_list("partida__solicitud__ejercicio", flat=True)
        .distinct()
        .order_by("partida__solicitud__ejercicio")
    )
