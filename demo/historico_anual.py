"""Closed requests of earlier fiscal years, for the indicators: exactly 427 attended in 2023
and 794 in 2024 (the figures of Sonora's annual reports), with the year-end rush.

They are written in bulk as imported history: requests without workflow, documents or
audit events, and without dictamen rows (their documents predate the system).
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from demo.historico.catalogo import RESULTADOS, TIPOS, TITULOS, elegir
from demo.historico.mundo import ATENDIDAS, PESO_MENSUAL
from dictamenes.comun.auditoria import versiones_avanzar
from dictamenes.models import Consecutivo, Ente, Solicitud
from dictamenes.organizacion.selectors import calendario


def _anio(anio: int, n: int, azar: random.Random, entes, autor, cal) -> list[Solicitud]:
    meses = azar.choices(range(1, 13), weights=PESO_MENSUAL, k=n)
    tz = timezone.get_current_timezone()
    filas = []
    for i, mes in enumerate(sorted(meses), start=1):
        dia = azar.randint(1, 28)
        presentada = datetime.datetime(
            anio, mes, dia, azar.randint(8, 17), azar.randint(0, 59), tzinfo=tz
        )
        dias = azar.randint(3, 22) if mes < 11 else azar.randint(6, 30)  # the rush slows it
        atendida_fecha = cal.sumar(presentada.date(), dias)
        atendida = datetime.datetime.combine(atendida_fecha, datetime.time(13, 0), tzinfo=tz)
        desechada = azar.random() < 0.06
        tipo = elegir(azar, TIPOS)
        filas.append(
            Solicitud(
                ente=azar.choice(entes),
                folio=f"SOL-{anio}-{i:05d}",
                ejercicio=anio,
                tipo_operacion=tipo,
                titulo=f"{TITULOS[tipo]} ({anio})",
                justificacion="Registro histórico importado.",
                alineacion="Programa de Gobierno Digital.",
                monto_estimado=Decimal(azar.randrange(40_000, 6_000_000, 500)),
                estado=Solicitud.Estado.DESECHADA if desechada else Solicitud.Estado.DICTAMINADA,
                resultado="" if desechada else elegir(azar, RESULTADOS),
                presentada_en=presentada,
                atendida_en=atendida,
                dias_habiles_atencion=dias,
                creada_por=autor,
            )
        )
    return filas


def cargar(*, semilla: int = 2024) -> int:
    if Solicitud.objects.filter(ejercicio__in=ATENDIDAS).exists():
        return 0
    azar = random.Random(semilla)  # noqa: S311 - reproducible demo data, not security
    entes = list(Ente.objects.order_by("pk"))
    autor = get_user_model().objects.get(username="requirente.sh")
    cal = calendario.Calendario.cargar(datetime.date(2023, 1, 1), datetime.date(2025, 3, 1))
    creadas = 0
    for anio, n in ATENDIDAS.items():
        Solicitud.objects.bulk_create(_anio(anio, n, azar, entes, autor, cal), batch_size=500)
        Consecutivo.objects.update_or_create(
            serie="solicitud", ejercicio=anio, defaults={"ultimo": n}
        )
        creadas += n
    # Written in bulk, without the door: every year's cached figures are stale.
    versiones_avanzar(ejercicios={0})
    return creadas
