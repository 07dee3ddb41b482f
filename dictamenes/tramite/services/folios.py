"""Consecutive numbers per series and fiscal year, with no gaps and no repeats."""

from django.db import IntegrityError, transaction

from dictamenes.models import Consecutivo
from dictamenes.organizacion.selectors.textos import textos_vigentes


def consecutivo_siguiente(*, serie: str, ejercicio: int) -> int:
    """Take the next number. Must run inside the transaction that uses it: the row lock is
    held until commit, and a rollback gives the number back."""
    assert transaction.get_connection().in_atomic_block, "el folio necesita una transacción"
    fila = Consecutivo.objects.select_for_update().filter(serie=serie, ejercicio=ejercicio).first()
    if fila is None:
        try:
            with transaction.atomic():
                Consecutivo.objects.create(serie=serie, ejercicio=ejercicio, ultimo=0)
        except IntegrityError:
            pass  # another transaction created it first; lock the row it made
        fila = Consecutivo.objects.select_for_update().get(serie=serie, ejercicio=ejercicio)
    fila.ultimo += 1
    fila.save(update_fields=["ultimo"])
    return fila.ultimo


def folio_solicitud(*, ejercicio: int) -> str:
    """The next request's folio, in the pattern of the institution's texts in force."""
    numero = consecutivo_siguiente(serie="solicitud", ejercicio=ejercicio)
    return textos_vigentes().folio_solicitud.format(ejercicio=ejercicio, numero=numero)


def folio_dictamen(*, textos, anio: int) -> str:
    """The next dictamen's folio, in the pattern of `textos` (the version it is issued under)."""
    numero = consecutivo_siguiente(serie="dictamen", ejercicio=anio)
    return textos.folio_dictamen.format(anio=anio, numero=numero)
