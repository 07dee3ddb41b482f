"""«Capacidad para el cierre» (issue 50, items 2 and 3): the plan of each area, week by week,
with its chart and its CSV, and the what-if, for the strategic reviewer and the
administrators. The what-if is a GET: it runs the plan again with the trial and saves nothing."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from dictamenes.capacidad.filtros import PruebaForm
from dictamenes.capacidad.services.plan import plan_de_capacidad
from dictamenes.comun.tablas import sin_formulas
from dictamenes.models import ConfiguracionVias
from dictamenes.organizacion.selectors import usuarios
from dictamenes.roles import Rol

# Who reads the plan: who decides how the office meets the standard, and who records the
# absences and reinforcements it is made of.
VEN_EL_PLAN = {Rol.REVISOR_ESTRATEGICO, Rol.ADMINISTRADOR}
ERROR_ACCESO = gettext_lazy(
    "«Capacidad para el cierre» es para quien hace la revisión estratégica y para la "
    "administración."
)


def _exigir(usuario) -> None:
    if not (usuario.is_superuser or set(usuarios.roles_de(usuario=usuario)) & VEN_EL_PLAN):
        raise PermissionDenied(ERROR_ACCESO)


def _comparadas(semanas, probadas) -> list[dict]:
    """The plan's weeks, each beside the same week with the trial (None without one)."""
    prueba = {s.lunes: s for s in probadas or ()}
    return [{"s": s, "p": prueba.get(s.lunes)} for s in semanas]


def _resumen(semanas) -> dict:
    rojas = [s for s in semanas if s.rojo]
    p90s = [s.p90 for s in semanas if s.p90 is not None]
    return {"rojas": rojas, "maximo": max(p90s, default=None)}


@login_required
@require_safe
def cierre(request):
    _exigir(request.user)
    try:
        plan = plan_de_capacidad()
    except ValueError as error:
        # No recorded year to learn the times from (a new installation): say so.
        return render(request, "capacidad/cierre.html", {"sin_plan": str(error)})
    form = PruebaForm(
        request.GET or None,
        plan=plan,
        umbral_vigente=ConfiguracionVias.objects.vigentes().umbral_monto,
    )
    prueba = form.prueba() if form.is_bound and form.is_valid() else None
    probado = plan_de_capacidad(anio=plan.anio, hoy=plan.hoy, prueba=prueba) if prueba else None
    probadas = {a.area.pk: a for a in probado.areas} if probado else {}
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
            "resumen": _resumen(plan.total),
            "resumen_prueba": _resumen(probado.total) if probado else None,
            # What the trial assumes that the plan does not (an earlier cut-off).
            "supuestos_prueba": [f for f in probado.supuestos if f not in plan.supuestos]
            if probado
            else [],
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
    gettext_lazy("Estándar (días hábiles)"),
    gettext_lazy("En rojo"),
    gettext_lazy("Refuerzo recomendado (días-revisor)"),
]


def _fila(nombre: str, s, estandar: int) -> list:
    return [
        sin_formulas(nombre),
        s.lunes.isoformat(),
        round(s.carga, 1),
        round(s.capacidad, 1),
        round(s.cola, 1),
        "" if s.p90 is None else s.p90,
        estandar,
        _("sí") if s.rojo else _("no"),
        round(s.refuerzo_dias, 1),
    ]


@login_required
@require_safe
def cierre_csv(request):
    _exigir(request.user)
    try:
        plan = plan_de_capacidad()
    except ValueError as error:
        return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
    salida = io.StringIO()
    escritor = csv.writer(salida)
    escritor.writerow([str(c) for c in COLUMNAS])
    for a in plan.areas:
        escritor.writerows(_fila(a.area.nombre, s, plan.estandar) for s in a.semanas)
    escritor.writerows(_fila(_("Toda la oficina"), s, plan.estandar) for s in plan.total)
    nombre = f"capacidad-cierre-{plan.anio}-al-{plan.hoy.isoformat()}.csv"
    return HttpResponse(
        "\ufeff" + salida.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{nombre}"'},
    )
