"""The fiscal year 2025 with its steps, for the capacity plan and the indicators: the world's
requests (demo.historico.mundo, with the demo's staff: one mesa, one reviewer per area, one
strategic reviewer, one firmante) written with their workflow tasks, audit events and sealed
dictámenes, every one closed: `HASTA` falls after the last attention of the year.

2023 and 2024 stay as imported history without steps (historico_anual). Only the agencies that
have a requirente in the demo present requests, so the demo's people are not added to.
"""

import datetime

from django.utils import timezone

from demo import historico
from dictamenes.models import Solicitud

ANIO = 2025
# After the last attention of 2025's December rush (the demo tests check that none is open).
HASTA = datetime.datetime(2026, 6, 30, 12, 0)
SEMILLA = 2025


def cargar() -> int:
    if Solicitud.objects.filter(ejercicio=ANIO, folio__isnull=False).exists():
        return 0
    cuenta = historico.generar(
        anios=1,
        escala=1,
        ultimo=ANIO,
        hasta=timezone.make_aware(HASTA),
        semilla=SEMILLA,
        nuevos_requirentes=False,
    )
    return cuenta["solicitudes"]
