"""The fewest people a month needs (issue 50): bisection in the year simulation.

People are added to the given steps in proportion to the people each already has that month
(`base`; one where the record says nothing), and the simulation is run again until `cumple`
holds for its result. The same search serves the capacity plan (this year's forecast) and
`simular_anio --plan` (a recorded year replayed)."""

import datetime
import math
from dataclasses import dataclass, replace

from dictamenes.models import Perfil
from dictamenes.organizacion.selectors.calendario import Calendario
from dictamenes.roles import Rol
from dictamenes.simulacion.selectors.registro_anual import ATENCION
from dictamenes.simulacion.services import motor

MAXIMO_PERSONAS = 64.0  # the ceiling: this many times each step's people
PASOS_BISECCION = 9  # the answer to within 64 / 2**9 = 0.125 times


def extra_de(*, mes: int, pasos, base: dict, veces: float) -> tuple:
    return tuple((p, mes, veces * max(base.get((p, mes), 1.0), 0.1)) for p in pasos)


def veces_minimas(
    ajuste, escenario, *, mes: int, pasos, base: dict, cumple, semillas=(7,), **simular
):
    """The fewest times each step's people to add in `mes` for `cumple(resultados)`, one
    result per seed; None when not even MAXIMO_PERSONAS times is enough."""

    def basta(veces: float) -> bool:
        extra = extra_de(mes=mes, pasos=pasos, base=base, veces=veces)
        con = replace(escenario, personas_extra=escenario.personas_extra + extra)
        return cumple([motor.simular(ajuste, con, semilla=s, **simular) for s in semillas])

    if basta(0.0):
        return 0.0
    if not basta(MAXIMO_PERSONAS):
        return None
    bajo, alto = 0.0, MAXIMO_PERSONAS
    for _paso in range(PASOS_BISECCION):
        medio = (bajo + alto) / 2
        bajo, alto = (bajo, medio) if basta(medio) else (medio, alto)
    return alto


@dataclass(frozen=True)
class PlanDelRegistro:
    """A recorded year replayed with the fewest people each rush month needed for its p90."""

    veces: dict  # month -> times each step's people added (None: not even the ceiling)
    dias_revisor: dict  # month -> reviewer-days
    revisores: int  # the reviewers one step's person stands for
    resultado: motor.Resultado  # the whole year replayed with the reinforcement


def revisores_hoy() -> int:
    """The people who hold the technical-review role and an active area today."""
    return (
        Perfil.objects.filter(
            usuario__is_active=True,
            usuario__groups__name=str(Rol.REVISOR_TECNICO.label),
            areas__activa=True,
        )
        .values("usuario_id")
        .distinct()
        .count()
    )


def plan_del_registro(ajuste, escenario, *, meses, meta: int, semilla: int, **simular):
    """Month by month of the rush, the fewest people added to the reviews (each area's step;
    the whole procedure in a record without steps) for the p90 of that month's arrivals to
    be `meta` or less; then the year replayed with all of them. In a record without steps one
    person of the step is the whole office: it counts as the reviewers who hold the role today."""
    pasos = (ATENCION,) if ajuste.por_tramite_completo else tuple(sorted(ajuste.peso_areas))
    base = {(p, m): ajuste.pasos[p].personas(m) for p in pasos for m in range(1, 13)}
    revisores = (revisores_hoy() or 1) if ajuste.por_tramite_completo else 1
    cal = Calendario.cargar(
        datetime.date(ajuste.historial.anio, 1, 1), datetime.date(ajuste.historial.anio, 12, 31)
    )
    veces, dias, con = {}, {}, escenario
    for mes in sorted(meses):

        def cumple(resultados, mes=mes) -> bool:
            r = resultados[0]
            del_mes = [d for d, m in zip(r.dias, r.meses, strict=True) if m == mes]
            return not del_mes or motor.percentil_90(del_mes) <= meta

        v = veces_minimas(
            ajuste,
            con,
            mes=mes,
            pasos=pasos,
            base=base,
            cumple=cumple,
            semillas=(semilla,),
            **simular,
        )
        veces[mes] = v
        if v is None:
            continue
        con = replace(
            con,
            personas_extra=con.personas_extra + extra_de(mes=mes, pasos=pasos, base=base, veces=v),
        )
        habiles = sum(
            cal.es_habil(datetime.date(ajuste.historial.anio, mes, 1) + datetime.timedelta(days=i))
            for i in range(31)
            if (datetime.date(ajuste.historial.anio, mes, 1) + datetime.timedelta(days=i)).month
            == mes
        )
        personas = sum(base[(p, mes)] for p in pasos) * revisores
        dias[mes] = math.ceil(v * personas * habiles)
    resultado = motor.simular(ajuste, con, semilla=semilla, **simular)
    return PlanDelRegistro(veces, dias, revisores, resultado)
