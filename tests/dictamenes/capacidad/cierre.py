"""A year-end rush with red weeks, made through the product's own door.

Since the plan spreads the month's missing forecast by the record's shape (issue 81), the demo
on 25 November has no red week: the old plan piled November's shortfall on its last two days.
The tests that need a rush get one as an office would: the administrator records that the
cómputo and software reviewers are away all December (capacidad.services.registro, refused
overlaps and all), around any absence of theirs already recorded."""

import datetime

from dictamenes.capacidad.services import registro
from dictamenes.models import Ausencia
from tests.dictamenes.flujo_utils import usuario

FUERA = ("revisor.computo", "revisor.software")
DICIEMBRE = (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))
NOTA = "Comisión de cierre (prueba)"


def dos_revisores_fuera_en_diciembre(desde=DICIEMBRE[0], hasta=DICIEMBRE[1]) -> None:
    admin = usuario("admin")
    for nombre in FUERA:
        persona = usuario(nombre)
        inicio = desde
        ya = Ausencia.objects.filter(persona=persona, desde__lte=hasta, hasta__gte=desde)
        for otra in ya.order_by("desde"):
            if inicio < otra.desde:
                _registrar(persona, inicio, otra.desde - datetime.timedelta(days=1), admin)
            inicio = max(inicio, otra.hasta + datetime.timedelta(days=1))
        if inicio <= hasta:
            _registrar(persona, inicio, hasta, admin)


def _registrar(persona, desde, hasta, por) -> None:
    registro.ausencia_registrar(
        persona=persona,
        desde=desde,
        hasta=hasta,
        motivo=Ausencia.Motivo.COMISION,
        nota=NOTA,
        por=por,
    )


def sin_el_cierre() -> None:
    """The rush taken back through the same door: the administrator cancels the absences
    `dos_revisores_fuera_en_diciembre` recorded (the demo's own absences stay)."""
    admin = usuario("admin")
    for ausencia in Ausencia.objects.filter(nota=NOTA).order_by("pk"):
        registro.ausencia_cancelar(
            ausencia=ausencia, por=admin, motivo="La comisión de cierre no se hace (prueba)"
        )
