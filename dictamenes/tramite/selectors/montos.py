"""A request's amounts: the declared total against the sum of its items, and the refusal
when they disagree."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from dictamenes import exceptions
from dictamenes.models import (
    Partida,
)
from dictamenes.montos import pesos


def montos_de(*, solicitud, partidas=None) -> dict:
    """The declared total against the sum of the items (quantity × unit price), and the
    difference, so that a wrong total is seen before presenting and by the mesa de control.

    `partidas`: the request's items when the caller already loaded them (all of them); the
    sum is then made here, exactly, with no query."""
    if partidas is None:
        suma = Partida.objects.filter(solicitud=solicitud).aggregate(
            total=models.Sum(models.F("cantidad") * models.F("precio_unitario"))
        )["total"]
    else:
        suma = sum((p.cantidad * p.precio_unitario for p in partidas), Decimal(0))
    suma = (suma or Decimal(0)).quantize(Decimal("0.01"))
    declarado = solicitud.monto_estimado or Decimal(0)
    return {
        "declarado": declarado,
        "partidas": suma,
        "diferencia": declarado - suma,
        "hay_partidas": suma > 0,
    }


def monto_no_cuadra(*, solicitud, partidas=None) -> ValidationError | None:
    """The refusal when the declared total disagrees with the items (issue 59, item 5): the
    track and the split check read the items, so presenting a request, or returning it
    corrected from a prevención, with a total that says otherwise is refused; None when they
    agree or there is no item yet (ERROR_SIN_PARTIDAS says that)."""
    montos = montos_de(solicitud=solicitud, partidas=partidas)
    if not montos["hay_partidas"] or not montos["diferencia"]:
        return None
    return ValidationError(
        exceptions.ERROR_MONTO_NO_CUADRA,
        code="monto_no_cuadra",
        params={"declarado": pesos(montos["declarado"]), "partidas": pesos(montos["partidas"])},
    )
