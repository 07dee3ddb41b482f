"""The weekly warning of the capacity plan (issue 50, 5): when the expected p90 of one of the
coming four weeks exceeds the service standard, the strategic reviewers and the administrators
get one e-mail with each red week (its dates, the expected p90 against the standard, and the
reinforcement per area that would close the gap), how likely the recommendation is to hold,
its margin and the rule of thumb beside it (issue 81), and the link to «Capacidad para el
cierre».

Once a week at most: the audit event written with the e-mail, keyed by the ISO week of the
run, is both the trace (who was told what, when) and the record that keeps a second run of the
same week from telling it again. Nothing red, no e-mail and no event. Run weekly from the
timer: `manage.py capacidad_avisar` (one run at a time, UnaCorridaALaVez)."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.avisos.services import aviso_encolar, enlace
from dictamenes.capacidad.services.escenarios import areas_de_la_regla, de_cada_diez
from dictamenes.capacidad.services.plan import Plan, Semana, SinRegistro, plan_de_capacidad
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import Aviso, EventoAuditoria
from dictamenes.organizacion.selectors.usuarios import correos_de_administradores, correos_de_roles
from dictamenes.roles import Rol

TIPO_EVENTO = "capacidad_aviso"
SEMANAS = 4  # how far ahead the warning looks

ASUNTO = _(
    "Capacidad para el cierre: %(rojas)s de las próximas %(semanas)s semanas superan el "
    "estándar de servicio (p90 de hasta %(p90)s días hábiles; estándar: %(estandar)s)"
)
MENSAJE = _(
    "El plan de capacidad prevé que en las semanas de abajo el p90 esperado (el plazo en que se "
    "atienden 9 de cada 10 solicitudes que llegan esa semana) supere el estándar de servicio "
    "de la vía completa, %(estandar)s días hábiles. Cada semana dice el refuerzo recomendado "
    "por área, en días-revisor: el menor con el que cada semana queda en el estándar en al "
    "menos 8 de cada 10 escenarios de la simulación (cada escenario, con su propia llegada de "
    "solicitudes y sus propios tiempos de trabajo). Lleva un margen sobre lo que basta en el "
    "escenario medio, y va junto a la regla de costumbre: un revisor más en las dos áreas con "
    "más revisiones todo diciembre.\n\n"
    "La página «Capacidad para el cierre» muestra el plan completo por área y semana, y deja "
    "probar un refuerzo, un corte anticipado u otro umbral de la vía rápida antes de guardar "
    "nada.\n\n"
    "Este aviso se envía una vez por semana mientras alguna de las próximas %(semanas)s semanas "
    "quede fuera del estándar."
)
ACCION = _("Ver la capacidad para el cierre")
MOTIVO = _(
    "Recibe este aviso porque tiene el rol de revisión estratégica o administra Dictámenes TIC."
)
DESCRIPCION = _("Aviso de capacidad de la semana %(semana)s: %(rojas)s semana(s) en rojo")
SIN_REFUERZO = _("ninguno en esa semana (los préstamos de las anteriores acortan su cola)")
PRESTAMO = _("Préstamo recomendado")
PRESTAMO_TEXTO = _("Preste {personas} a {area} del {desde} al {hasta} ({dias} días-revisor).")
PROBABILIDAD = _("Con el refuerzo recomendado")
PROBABILIDAD_TEXTO = _(
    "cada semana queda en el estándar en al menos {n} de cada 10 escenarios; incluye un margen "
    "de {margen} días-revisor sobre lo que basta en el escenario medio."
)
REGLA = _("Regla de costumbre")
REGLA_TEXTO = _(
    "un revisor más en {areas} todo diciembre: {dias} días-revisor; cumple en {k} de cada 10 "
    "escenarios."
)
REGLA_RECOMENDADA = _(
    "Se recomienda la regla: cumple el estándar tan a menudo como pide el plan y no cuesta más "
    "que el refuerzo que busca el plan por su cuenta."
)
SIN_ALCANCE = _("En {mes}")
SIN_ALCANCE_TEXTO = _(
    "ningún préstamo de revisores alcanza el estándar: las solicitudes esperan sobre todo en "
    "{paso}."
)


@dataclass
class AvisoSemanal:
    """What one run decided: the ISO week it ran in, the red weeks it found (none when it was
    already told and did not look) and the aviso it queued, if any."""

    semana: str
    ya_avisado: bool = False
    rojas: list[Semana] = field(default_factory=list)
    estandar: int | None = None
    aviso: Aviso | None = None
    sin_plan: str = ""  # why there is no plan (no recorded year to learn from)


def clave_semana(hoy: datetime.date) -> str:
    """The ISO week of a day, as «2026-W48»: the key of the weekly warning."""
    anio, semana, _dia = hoy.isocalendar()
    return f"{anio}-W{semana:02d}"


def _ya_avisado(*, clave: str, hoy: datetime.date) -> bool:
    # Bounded: the (tipo, ocurrido_en) index narrows it to the last days' warnings.
    desde = timezone.make_aware(
        datetime.datetime.combine(hoy - datetime.timedelta(days=8), datetime.time.min)
    )
    return EventoAuditoria.objects.filter(
        tipo=TIPO_EVENTO, ocurrido_en__gte=desde, datos__semana=clave
    ).exists()


def _fecha(dia: datetime.date) -> str:
    return formats.date_format(dia, "d/m/Y")


def _dias(valor: float) -> str:
    """Reviewer-days as a person writes them: 3, 2.5 (one decimal, none when whole)."""
    redondeado = round(valor, 1)
    if redondeado == int(redondeado):
        return formats.number_format(int(redondeado), force_grouping=True)
    return formats.number_format(redondeado, decimal_pos=1, force_grouping=True)


def refuerzo_por_area(*, plan: Plan, lunes: datetime.date) -> list[tuple[str, float]]:
    """(area name, reviewer-days) of the plan's recommendation for the week of `lunes`, the
    areas that need some, largest first."""
    filas = []
    for area_plan in plan.areas:
        for semana in area_plan.semanas:
            if semana.lunes == lunes and semana.refuerzo_dias > 0:
                filas.append((area_plan.area.nombre, semana.refuerzo_dias))
    return sorted(filas, key=lambda f: (-f[1], f[0]))


def _detalle(*, plan: Plan, semana: Semana) -> tuple[str, str]:
    domingo = semana.lunes + datetime.timedelta(days=6)
    p90 = "sin dato" if semana.p90 is None else f"{semana.p90} días hábiles"
    refuerzos = refuerzo_por_area(plan=plan, lunes=semana.lunes)
    refuerzo = (
        "; ".join(f"{nombre}, {_dias(dias)} días-revisor" for nombre, dias in refuerzos)
        if refuerzos
        else str(SIN_REFUERZO)
    )
    return (
        f"Semana del {_fecha(semana.lunes)} al {_fecha(domingo)}",
        f"p90 esperado: {p90} (estándar: {plan.estandar}). Refuerzo recomendado: {refuerzo}.",
    )


def acciones(*, plan: Plan) -> list[tuple[str, str]]:
    """The plan's recommendation as the page writes it: each loan, and each month no loan of
    reviewers can bring to the standard."""
    filas = [
        (
            str(PRESTAMO),
            str(PRESTAMO_TEXTO).format(
                personas="un revisor" if a.personas == 1 else f"{a.personas} revisores",
                area=a.area.nombre,
                desde=formats.date_format(a.desde, "j \\d\\e F").lower(),
                hasta=formats.date_format(a.hasta, "j \\d\\e F").lower(),
                dias=_dias(a.dias_revisor),
            ),
        )
        for a in plan.acciones
    ]
    for mes, paso in sorted(plan.sin_alcance.items()):
        nombre = formats.date_format(datetime.date(plan.anio, mes, 1), "F").lower()
        filas.append(
            (str(SIN_ALCANCE).format(mes=nombre), str(SIN_ALCANCE_TEXTO).format(paso=paso))
        )
    return filas


def escenarios(*, plan: Plan) -> list[tuple[str, str]]:
    """How likely the recommendation is to hold, its margin, and the rule of thumb beside it,
    as the page says them (the search's likelihood and margin are not the rule's: when the
    rule is recommended, only the rule is told)."""
    filas = []
    n = de_cada_diez(plan.probabilidad)
    if plan.acciones and n is not None and not plan.recomienda_regla:
        filas.append(
            (
                str(PROBABILIDAD),
                str(PROBABILIDAD_TEXTO).format(n=n, margen=_dias(plan.margen)),
            )
        )
    k = de_cada_diez(plan.regla_probabilidad)
    if plan.regla and k is not None:
        texto = str(REGLA_TEXTO).format(
            areas=" y ".join(areas_de_la_regla(plan)), dias=_dias(plan.regla_dias), k=k
        )
        if plan.recomienda_regla:
            texto += " " + str(REGLA_RECOMENDADA)
        filas.append((str(REGLA), texto))
    return filas


def destinatarios() -> list[str]:
    """The strategic reviewers and the administrators, once each."""
    return sorted(
        set(correos_de_roles(roles=[Rol.REVISOR_ESTRATEGICO])) | set(correos_de_administradores())
    )


@transaction.atomic
def _avisar(*, plan: Plan, rojas: list[Semana], clave: str, hoy: datetime.date) -> Aviso | None:
    """Queue the e-mail and its audit event together, unless this week's is already there
    (a run that overlapped this one's plan)."""
    if _ya_avisado(clave=clave, hoy=hoy):
        return None
    correos = destinatarios()
    p90s = [s.p90 for s in rojas if s.p90 is not None]
    aviso = aviso_encolar(
        asunto=str(
            ASUNTO
            % {
                "rojas": len(rojas),
                "semanas": SEMANAS,
                "p90": max(p90s) if p90s else "?",
                "estandar": plan.estandar,
            }
        ),
        mensaje=str(MENSAJE % {"estandar": plan.estandar, "semanas": SEMANAS}),
        destinatarios=correos,
        detalles=[_detalle(plan=plan, semana=s) for s in rojas]
        + acciones(plan=plan)
        + escenarios(plan=plan),
        enlace=enlace("capacidad:cierre"),
        accion=str(ACCION),
        motivo=str(MOTIVO),
    )
    if aviso is None:  # nobody with an e-mail to tell: the next run tries again
        return None
    evento_registrar(
        tipo=TIPO_EVENTO,
        descripcion=str(DESCRIPCION % {"semana": clave, "rojas": len(rojas)}),
        datos={
            "semana": clave,
            "estandar": plan.estandar,
            "rojas": [
                {
                    "lunes": s.lunes.isoformat(),
                    "p90": s.p90,
                    "refuerzo": dict(refuerzo_por_area(plan=plan, lunes=s.lunes)),
                }
                for s in rojas
            ],
            "acciones": [texto for _titulo, texto in acciones(plan=plan)],
            "aviso": aviso.pk,
            "destinatarios": len(aviso.destinatarios),
        },
    )
    return aviso


def capacidad_avisar(*, hoy: datetime.date | None = None) -> AvisoSemanal:
    """Warn of the red weeks among the next four, once in the ISO week of `hoy` (today)."""
    hoy = hoy or timezone.localdate()
    clave = clave_semana(hoy)
    if _ya_avisado(clave=clave, hoy=hoy):
        return AvisoSemanal(semana=clave, ya_avisado=True)
    # The plan is read (and simulated) outside the transaction; only the writes are in it.
    try:
        plan = plan_de_capacidad(hoy=hoy)
    except SinRegistro as exc:  # no earlier year with attended requests: nothing to foresee
        return AvisoSemanal(semana=clave, sin_plan=str(exc))
    rojas = plan.rojas_proximas(SEMANAS)
    resultado = AvisoSemanal(semana=clave, rojas=rojas, estandar=plan.estandar)
    if rojas:
        resultado.aviso = _avisar(plan=plan, rojas=rojas, clave=clave, hoy=hoy)
    return resultado
