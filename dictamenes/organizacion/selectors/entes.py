"""What an agency was called on a given day (issue 59). Its name in force is Ente.nombre; the
names it no longer has are EnteNombre rows, each with the last day it was in force. The name on
day `d` is the earliest of those rows still in force on `d`, else the current one.

Published outputs of a past period read the name of that period: the yearly ones the name on
the last day of the fiscal year (nombres_por_ejercicio), the per-dictamen ones the name on the
day it was issued (nombre_en_sql)."""

import datetime
from collections import defaultdict

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from dictamenes.models import EnteNombre


def nombres_anteriores() -> dict[int, list[tuple[datetime.date, str]]]:
    """Per agency, its past names by the last day each was in force, oldest first (one query;
    the table holds a row per renaming)."""
    por_ente = defaultdict(list)
    for ente_id, hasta, nombre in EnteNombre.objects.order_by(
        "ente_id", "vigente_hasta", "pk"
    ).values_list("ente_id", "vigente_hasta", "nombre"):
        por_ente[ente_id].append((hasta, nombre))
    return dict(por_ente)


def nombre_en(
    *, ente_id: int, actual: str, fecha: datetime.date, anteriores: dict | None = None
) -> str:
    """What the agency was called on `fecha`; `anteriores` from nombres_anteriores()."""
    if anteriores is None:
        anteriores = nombres_anteriores()
    for hasta, nombre in anteriores.get(ente_id, ()):
        if fecha <= hasta:
            return nombre
    return actual


def fin_de_ejercicio(ejercicio: int) -> datetime.date:
    return datetime.date(ejercicio, 12, 31)


def nombre_en_sql(*, ente: str, fecha: str):
    """The same rule as an expression, for a streamed query: `ente` is the path to the agency
    (e.g. "solicitud__ente"), `fecha` the name of a date column or annotation."""
    anterior = (
        EnteNombre.objects.filter(
            ente_id=OuterRef(f"{ente}_id"), vigente_hasta__gte=OuterRef(fecha)
        )
        .order_by("vigente_hasta", "pk")
        .values("nombre")[:1]
    )
    return Coalesce(Subquery(anterior), F(f"{ente}__nombre"))
