"""The indicators page (internal roles and auditors) and its CSV/XLSX export."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dictamenes import cache
from dictamenes.documentos.tablas import sin_formulas
from dictamenes.filtros import ParametrosIndicadores
from dictamenes.selectors import ahorros, condiciones, encuestas, indicadores, usuarios
from estandares.entradas import parametros_leer


def _exigir_interno(usuario) -> None:
    if not usuarios.es_interno(usuario=usuario):
        raise PermissionDenied(
            _("Los indicadores son para la Subsecretaría y los órganos de control.")
        )


def _ahorro(ejercicio: int) -> dict:
    """The savings of the review: totals per year (table and chart), and the chosen year by
    agency and category, and by category (its chart)."""
    filas = ahorros.por_ente_y_categoria()
    del_ejercicio = [f for f in filas if f["ejercicio"] == ejercicio]
    categorias = sorted(
        ahorros.totales(del_ejercicio, por=("categoria_clave", "categoria")),
        key=lambda f: (-f["ahorro"], f["categoria"]),
    )
    return {
        "anuales": _en_miles(ahorros.totales(filas)),
        "filas": del_ejercicio,
        "categorias": _en_miles(categorias),
    }


def _en_miles(filas: list[dict]) -> list[dict]:
    """The savings in thousands of pesos, for the charts: the label beside a bar has room
    for about eight characters (templatetags.graficas), and the tables give the cents."""
    return [f | {"ahorro_miles": round(f["ahorro"] / 1000)} for f in filas]


def _tablero(pedido: int | None) -> dict:
    anuales = indicadores.por_ejercicio()
    disponibles = [f["ejercicio"] for f in anuales]
    if pedido in disponibles:
        ejercicio = pedido
    else:
        ejercicio = disponibles[-1] if disponibles else timezone.localdate().year
    return {
        "anuales": indicadores.con_barras(filas=anuales, clave="recibidas"),
        "ejercicio": ejercicio,
        "tiempos": indicadores.tiempos(ejercicio=ejercicio),
        "mensuales": indicadores.con_barras(
            filas=indicadores.llegadas_mensuales(ejercicio=ejercicio), clave="n"
        ),
        "tipos": indicadores.con_barras(
            filas=indicadores.resultados_por_tipo(ejercicio=ejercicio), clave="total"
        ),
        "entes": indicadores.con_barras(
            filas=indicadores.principales_entes(ejercicio=ejercicio), clave="n"
        ),
        "rezago": indicadores.con_barras(filas=indicadores.rezago(), clave="n"),
        # Issue 21: the survey, only in groups of at least five answers.
        "satisfaccion": encuestas.satisfaccion_por_ejercicio(),
        "minimo_respuestas": encuestas.MINIMO_RESPUESTAS,
        "en_espera": encuestas.respuestas_en_espera(),
        # Conditions of condicionado dictámenes met on time (issue 21, item 2).
        "condiciones": condiciones.cumplimiento(),
        # Issue 36: what the review saved, and the service standard met per month.
        "ahorro": _ahorro(ejercicio),
        "estandar": indicadores.estandar_de_servicio(anio=ejercicio),
    }


@login_required
def indicadores_view(request):
    _exigir_interno(request.user)
    # A year that is not a number is a 400 with its message; one with no requests shows
    # the latest year.
    parametros = ParametrosIndicadores(request.GET)
    pedido = parametros_leer(request, parametros).get("ejercicio")
    # Aggregations over the whole history: computed once per version of the data.
    contexto = cache.memorizar("indicadores", pedido, calcular=lambda: _tablero(pedido))
    return render(
        request,
        "indicadores/indicadores.html",
        contexto,
        status=400 if parametros.errors else 200,
    )


# The columns of the export: the key in indicadores.por_ejercicio() and the header shown.
# The "%" in two headers is a percent sign, not a placeholder.
COLUMNAS = [
    ("ejercicio", gettext_lazy("Ejercicio fiscal")),
    ("recibidas", gettext_lazy("Solicitudes recibidas")),
    ("atendidas", gettext_lazy("Solicitudes atendidas")),
    # xgettext:no-python-format
    ("indicador", gettext_lazy("Indicador (% atendidas/recibidas)")),
    ("en_plazo", gettext_lazy("Atendidas en plazo")),
    # xgettext:no-python-format
    ("pct_en_plazo", gettext_lazy("% en plazo")),
    ("monto", gettext_lazy("Monto estimado (MXN)")),
]


@login_required
def indicadores_exportar(request, formato):
    _exigir_interno(request.user)
    filas = [[sin_formulas(f[c]) for c, _titulo in COLUMNAS] for f in indicadores.por_ejercicio()]
    encabezado = [str(titulo) for _clave, titulo in COLUMNAS]
    if formato == "csv":
        salida = io.StringIO()
        escritor = csv.writer(salida)
        escritor.writerow(encabezado)
        escritor.writerows(filas)
        return HttpResponse(
            "\ufeff" + salida.getvalue(),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="indicadores.csv"'},
        )
    from openpyxl import Workbook

    libro = Workbook()
    hoja = libro.active
    hoja.title = _("Indicador anual")
    hoja.append(encabezado)
    for fila in filas:
        hoja.append([float(v) if hasattr(v, "as_tuple") else v for v in fila])
    salida = io.BytesIO()
    libro.save(salida)
    return HttpResponse(
        salida.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="indicadores.xlsx"'},
    )
