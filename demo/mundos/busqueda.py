"""The least reinforcement that meets the standard in a world, found by a search in that
world (issue 81, item 3): any area, any dates from the plan's day to 31 December, any number of
people (up to four per area).

1. Nothing, if the world meets the standard without loans.
2. One person, from the plan's day to the end of December, to every area some week of which
   misses the standard (to the slowest area, when only the office as a whole does); one more to
   each area still missing it, up to four each. If a round lowers nobody's worst week, or four
   do not reach it, no loan of reviewers reaches it: None.
3. Each person lent, one at a time (the last added first): dropped if the rest still meet the
   standard; else their last day brought as early as still meets it, then their first day as
   late as still meets it (bisection over the business days).

Every judgement is the world's: Mundo.cumple, the mean p90 over the same runs (common random
numbers), so that what is compared differs only by what is lent.
"""

from __future__ import annotations

import dataclasses
import datetime

from demo.mundos.mundo import Prestamo

MAXIMO = 4


def _rojas(medias: dict, estandar: int) -> list[str]:
    areas = sorted({area for (_lunes, area), v in medias.items() if area and v > estandar})
    if areas:
        return areas
    peores = [(v, area) for (_lunes, area), v in medias.items() if area]
    return [max(peores)[1]] if any(v > estandar for v in medias.values()) and peores else []


def minimo(mundo, *, estandar: int, desde: datetime.date, corridas: int = 12):
    cal = mundo.calendario
    dias = cal.habiles(desde, datetime.date(mundo.anio, 12, 31))
    if not dias:
        return None

    def cumple(lista):
        return mundo.cumple(tuple(lista), estandar=estandar, desde=desde, corridas=corridas)

    basta, medias = cumple(())
    if basta:
        return ()
    prestados: list = []
    peor = max(medias.values())
    for _ronda in range(MAXIMO):
        rojas = _rojas(medias, estandar)
        prestados += [Prestamo(a, dias[0], dias[-1], 1) for a in rojas]
        basta, medias = cumple(prestados)
        if basta:
            break
        if max(medias.values()) >= peor:
            return None  # more reviewers shorten nothing: the requests wait elsewhere
        peor = max(medias.values())
    if not basta:
        return None
    for i in reversed(range(len(prestados))):
        otros = prestados[:i] + prestados[i + 1 :]
        if cumple(otros)[0]:
            prestados = otros
            continue
        prestados[i] = _acortar(prestados, i, dias, cumple, campo="hasta")
        prestados[i] = _acortar(prestados, i, dias, cumple, campo="desde")
    return tuple(sorted(prestados, key=lambda p: (p.area, p.desde, p.hasta)))


def _acortar(prestados, i, dias, cumple, *, campo: str):
    """Loan `i` with its last day as early (or its first day as late) as still meets the
    standard."""
    p = prestados[i]
    validos = [d for d in dias if p.desde <= d <= p.hasta]

    def con(dia):
        nuevo = dataclasses.replace(p, **{campo: dia})
        return prestados[:i] + [nuevo] + prestados[i + 1 :], nuevo

    if campo == "hasta":  # the earliest last day that meets: validos[-1] always does
        bajo, alto = 0, len(validos) - 1
        while bajo < alto:
            medio = (bajo + alto) // 2
            if cumple(con(validos[medio])[0])[0]:
                alto = medio
            else:
                bajo = medio + 1
        return con(validos[alto])[1]
    bajo, alto = 0, len(validos) - 1  # the latest first day that meets: validos[0] always does
    while bajo < alto:
        medio = (bajo + alto + 1) // 2
        if cumple(con(validos[medio])[0])[0]:
            bajo = medio
        else:
            alto = medio - 1
    return con(validos[bajo])[1]
