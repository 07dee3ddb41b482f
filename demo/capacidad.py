"""Absences of the review areas' staff in the demo's year-end rush (issue 50), so that the
capacity plan shows their effect: the computer equipment reviewer away for two weeks of
December, the network reviewer on a commission, the security reviewer at a course. Recorded by
`admin` through the same door as the page, each with its audit event."""

import datetime

from django.contrib.auth import get_user_model

from dictamenes.capacidad.services import registro
from dictamenes.models import Ausencia

AUSENCIAS = [
    (
        "revisor.computo",
        datetime.date(2026, 12, 14),
        datetime.date(2026, 12, 27),
        Ausencia.Motivo.VACACIONES,
        "Segundo periodo vacacional de 2026.",
    ),
    (
        "revisor.redes",
        datetime.date(2026, 12, 7),
        datetime.date(2026, 12, 9),
        Ausencia.Motivo.COMISION,
        "Comisión a la revisión de la red estatal en Cajeme.",
    ),
    (
        "revisor.seguridad",
        datetime.date(2026, 11, 30),
        datetime.date(2026, 12, 4),
        Ausencia.Motivo.CAPACITACION,
        "Curso de respuesta a incidentes.",
    ),
]


def cargar() -> int:
    if Ausencia.objects.exists():
        return 0
    User = get_user_model()
    admin = User.objects.get(username="admin")
    for username, desde, hasta, motivo, nota in AUSENCIAS:
        registro.ausencia_registrar(
            persona=User.objects.get(username=username),
            desde=desde,
            hasta=hasta,
            motivo=motivo,
            nota=nota,
            por=admin,
        )
    return len(AUSENCIAS)
