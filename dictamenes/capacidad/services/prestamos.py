"""Reviewers lent, for the capacity plan (issue 60): a trial's reviewer-days as people lent,
the plan's recommendation searched in the engine (simulacion.services.refuerzo), and the loans
as a director gives them: an area, a first and a last day."""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, replace

from dictamenes.capacidad.selectors.capacidad import Capacidad
from dictamenes.models import Area
from dictamenes.simulacion.selectors.registro_anual import paso_de_area
from dictamenes.simulacion.services import refuerzo


@dataclass(frozen=True)
class Accion:
    """A loan of the recommendation, as the director reads it."""

    area: Area
    desde: datetime.date
    hasta: datetime.date
    personas: int
    dias_revisor: float


def habiles_de(cap: Capacidad, lunes: datetime.date, desde=None) -> list[datetime.date]:
    """The business days of the week of `lunes` (from `desde` on, if given)."""
    dias = (lunes + datetime.timedelta(days=i) for i in range(7))
    return [d for d in dias if cap.calendario.es_habil(d) and (desde is None or d >= desde)]


def de_la_prueba(refuerzos, cap: Capacidad, hoy) -> list:
    """Each trial's (area, monday, reviewer-days) as people lent from the week's first business
    day not yet past: whole people for the rest of the week, and what is left as one person on
    the first days (a fraction of a day, at that part of the pace)."""
    claves = {a.pk: a.clave for a in cap.areas}
    prestamos = []
    for area_id, lunes, dias in refuerzos:
        habiles = habiles_de(cap, lunes, hoy)
        if area_id not in claves or not habiles or dias <= 0:
            continue
        paso = paso_de_area(claves[area_id])
        completas, resto = divmod(float(dias), len(habiles))
        if completas:
            prestamos.append(refuerzo.Prestamo(paso, habiles[0], habiles[-1], completas))
        if resto > 1e-9:
            n = math.ceil(resto)
            prestamos.append(refuerzo.Prestamo(paso, habiles[0], habiles[n - 1], resto / n))
    return prestamos


def dias_por_semana(prestamos, cap: Capacidad) -> dict:
    """{(area key, monday): reviewer-days} of some loans."""
    dias = defaultdict(float)
    for p in prestamos:
        for lunes in cap.semanas:
            dias[(p.paso, lunes)] += p.dias(habiles_de(cap, lunes))
    return dias


def acciones(prestamos, cap: Capacidad) -> list[Accion]:
    """The loans as a director gives them: one per area and stretch of days (a month's loan
    that the next month's continues is one loan)."""
    por_clave = {paso_de_area(a.clave): a for a in cap.areas}
    habiles = [dia for lunes in cap.semanas for dia in habiles_de(cap, lunes)]
    siguiente = {d: habiles[i + 1] for i, d in enumerate(habiles[:-1])}
    unidos: list = []
    for p in sorted(prestamos, key=lambda p: (p.paso, p.desde)):
        previo = unidos[-1] if unidos else None
        if (
            previo
            and previo.paso == p.paso
            and previo.personas == p.personas
            and siguiente.get(previo.hasta) == p.desde
        ):
            unidos[-1] = replace(previo, hasta=p.hasta)
        else:
            unidos.append(p)
    return [
        Accion(por_clave[p.paso], p.desde, p.hasta, round(p.personas), p.dias(habiles))
        for p in sorted(unidos, key=lambda p: (p.desde, por_clave[p.paso].nombre))
        if p.paso in por_clave
    ]
