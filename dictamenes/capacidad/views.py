"""«Capacidad para el cierre» (issue 50, items 2 and 3): the plan of each area, week by week,
with its chart and its CSV, and the what-if, for the strategic reviewer and the
administrators. The what-if is a GET: it runs the plan again with the trial and saves nothing."""

import csv
import datetime
import io
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from dictamenes.capacidad.filtros import PruebaForm
from dictamenes.capacidad.selectors.capacidad import semanas_entre
from dictamenes.capacidad.services import nucleo
from dictamenes.capacidad.services.escenarios import areas_de_la_regla, de_cada_diez
from dictamenes.capacidad.services.plan import plan_de_capacidad
from dictamenes.comun.tablas import sin_formulas
from dictamenes.models import Area, ConfiguracionVias
from dictamenes.organizacion.selectors import usuarios
from dictamenes.roles import Rol

# Who reads the plan: who decides how the office meets the standard, and who records the
# absences and reinforcements it is made of.
VEN_EL_PLAN = {Rol.REVISOR_ESTRATEGICO, Rol.ADMINISTRADOR}
ERROR_ACCESO = gettext_lazy(
    "«Capacidad para el cierre» es para quien hace la revisión estratégica y para la "
    "administración."
)


def _quien_ve_el_plan(vista):
    """403 for anyone else, before anything else (a POST too: the method is theirs to hear)."""

    @wraps(vista)
    def envuelta(request, *args, **kwargs):
        usuario = request.user
        if not (usuario.is_superuser or set(usuarios.roles_de(usuario=usuario)) & VEN_EL_PLAN):
            raise PermissionDenied(ERROR_ACCESO)
        return vista(request, *args, **kwargs)

    return envuelta


def _comparadas(semanas, probadas) -> list[dict]:
    """The plan's weeks, each beside the same week with the trial (None without one)."""
    prueba = {s.lunes: s for s in probadas or ()}
    return [{"s": s, "p": prueba.get(s.lunes)} for s in semanas]


def _resumen(semanas) -> dict:
    rojas = [s for s in semanas if s.rojo]
    p90s = [s.p90 for s in semanas if s.p90 is not None]
    return {"rojas": rojas, "maximo": max(p90s, default=None)}


def _recomendacion(plan) -> dict:
    """What «Refuerzo recomendado» says beside the loans: how often the plan meets the
    standard with them, its margin, the slowest week with them, and the rule of thumb."""
    con = [s for s in plan.con_refuerzo if s.p90 is not None]
    return {
        "n": de_cada_diez(plan.probabilidad),
        "margen": plan.margen,
        # The slowest week with the recommendation (the first of equals): its p90, interval.
        "peor": max(con, key=lambda s: s.p90) if con else None,
        "regla_areas": areas_de_la_regla(plan),
        "regla_k": de_cada_diez(plan.regla_probabilidad),
        "cuantil": nucleo.CUANTIL,
        "cuantil_n": de_cada_diez(nucleo.CUANTIL),
    }


def _form(request, plan):
    """The what-if as asked; without a plan, over this year's weeks and the active areas (a
    malformed query still reads as one)."""
    hoy = plan.hoy if plan else timezone.localdate()
    anio = plan.anio if plan else hoy.year
    return PruebaForm(
        request.GET or None,
        anio=anio,
        hoy=hoy,
        areas=[a.area for a in plan.areas] if plan else list(Area.objects.filter(activa=True)),
        lunes=[s.lunes for s in plan.total]
        if plan
        else semanas_entre(hoy, datetime.date(anio, 12, 31)),
        umbral_vigente=ConfiguracionVias.objects.vigentes().umbral_monto,
        plan=plan,
    )


@login_required
@_quien_ve_el_plan
@require_safe
def cierre(request):
    try:
        plan = plan_de_capacidad()
    except ValueError as error:
        # No recorded year to learn the times from (a new installation): say so.
        form = _form(request, None)
        return render(
            request,
            "capacidad/cierre.html",
            {"sin_plan": str(error), "form": form},
            status=400 if form.errors else 200,
        )
    form = _form(request, plan)
    prueba = form.prueba() if form.is_bound and form.is_valid() else None
    probado = plan_de_capacidad(anio=plan.anio, hoy=plan.hoy, prueba=prueba) if prueba else None
    probadas = {a.area.pk: a for a in probado.areas} if probado else {}
    nombres = {a.area.clave: a.area.nombre for a in plan.areas}
    return render(
        request,
        "capacidad/cierre.html",
        {
            "plan": plan,
            "form": form,
            "probado": probado,
            "semanas": _comparadas(plan.total, probado and probado.total),
            "solo_plan": _comparadas(plan.total, None),
            "areas": [
                {
                    "a": a,
                    "semanas": _comparadas(
                        a.semanas, getattr(probadas.get(a.area.pk), "semanas", None)
                    ),
                    "rojas": [s for s in a.semanas if s.rojo],
                    "recomendadas": [s for s in a.semanas if s.refuerzo_dias > 0],
                }
                for a in plan.areas
            ],
            # Each reviewer's rate, with the names of their areas (the plan gives the keys).
            "tasas": [{"t": t, "areas": [nombres.get(c, c) for c in t.areas]} for t in plan.tasas],
            "resumen": _resumen(plan.total),
            "recomendacion": _recomendacion(plan) if plan.dimensionable else None,
            "sin_alcance": [
                (datetime.date(plan.anio, mes, 1), paso)
                for mes, paso in sorted(plan.sin_alcance.items())
            ],
            "resumen_prueba": _resumen(probado.total) if probado else None,
            # What the trial assumes that the plan does not (an earlier cut-off).
            "supuestos_prueba": [f for f in probado.supuestos if f not in plan.supuestos]
            if probado
            else [],
            # Without a trial, the page is rendered once per plan computed (the template's
            # {% cache %}): a new plan, after a change or each hour, is another.
            "fragmento": None if form.is_bound else plan.identidad,
        },
        status=400 if form.errors else 200,
    )


# The CSV's columns, one row per area (and the whole office) and week.
COLUMNAS = [
    gettext_lazy("Área"),
    gettext_lazy("Semana (lunes)"),
    gettext_lazy("Carga pronosticada (solicitudes)"),
    gettext_lazy("Capacidad (revisiones)"),
    gettext_lazy("Cola esperada al cierre de la semana"),
    gettext_lazy("p90 esperado (días hábiles)"),
    gettext_lazy("p90 bajo del intervalo de 80 % (días hábiles)"),
    gettext_lazy("p90 alto del intervalo de 80 % (días hábiles)"),
    gettext_lazy("Estándar (días hábiles)"),
    gettext_lazy("En rojo"),
    gettext_lazy("Refuerzo recomendado (días-revisor)"),
]


def _fila(nombre: str, s, estandar: int) -> list:
    return [
        sin_formulas(nombre),
        s.lunes.isoformat(),
        round(s.carga, 1),
        "" if s.capacidad is None else round(s.capacidad, 1),
        "" if s.cola is None else round(s.cola, 1),
        "" if s.p90 is None else s.p90,
        "" if s.p90_bajo is None else round(s.p90_bajo, 1),
        "" if s.p90_alto is None else round(s.p90_alto, 1),
        estandar,
        _("sí") if s.rojo else _("no"),
        round(s.refuerzo_dias, 1),
    ]


@login_required
@_quien_ve_el_plan
@require_safe
def cierre_csv(request):
    try:
        plan = plan_de_capacidad()
    except ValueError:
        plan = None  # no recorded year: the columns and no rows (the page says why)
    salida = io.StringIO()
    escritor = csv.writer(salida)
    escritor.writerow([str(c) for c in COLUMNAS])
    if plan:
        for a in plan.areas:
            escritor.writerows(_fila(a.area.nombre, s, plan.estandar) for s in a.semanas)
        escritor.writerows(_fila(_("Toda la oficina"), s, plan.estandar) for s in plan.total)
    hoy = plan.hoy if plan else timezone.localdate()
    nombre = f"capacidad-cierre-{hoy.year}-al-{hoy.isoformat()}.csv"
    return HttpResponse(
        "\ufeff" + salida.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{nombre}"'},
    )
