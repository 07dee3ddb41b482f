"""The published catalogue of reasons for not approving an item, or approving it for less
(issues 36 and 47), with how many items of issued dictámenes each reason refused or reduced,
per fiscal year. /tramite/ and the open data
read it from here."""

from django.db.models import Count

from dictamenes.models import DecisionPartida, Dictamen, MotivoRechazo


def motivos_publicados():
    """The catalogue in its published order: the active reasons."""
    return MotivoRechazo.objects.filter(activo=True).order_by("orden", "nombre")


def conteo_por_anio() -> dict[tuple[str, int], dict[str, int]]:
    """{(motivo clave, ejercicio): {decision: items}} over the requests whose dictamen is in
    force (issued and not cancelled): how many items each reason kept from being approved
    ("no_aprobada") or in full ("reducida"). One query."""
    vigentes = Dictamen.objects.filter(cancelado_en__isnull=True).values("solicitud_id")
    filas = (
        DecisionPartida.objects.filter(
            resultado__in=(
                DecisionPartida.Resultado.NO_APROBADA,
                DecisionPartida.Resultado.REDUCIDA,
            ),
            motivo__isnull=False,
            partida__solicitud_id__in=vigentes,
        )
        .values_list("motivo__clave", "partida__solicitud__ejercicio", "resultado")
        .annotate(n=Count("id"))
        .order_by()
    )
    conteo: dict[tuple[str, int], dict[str, int]] = {}
    for clave, anio, resultado, n in filas:
        conteo.setdefault((clave, anio), {})[resultado] = n
    return conteo


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
