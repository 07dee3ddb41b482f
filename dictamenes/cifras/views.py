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

from dictamenes.cifras.selectors import indicadores, tablero
from dictamenes.comun import cache
from dictamenes.comun.tablas import sin_formulas
from dictamenes.models.articulos import con_articulo
from dictamenes.organizacion.selectors import usuarios
from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from dictamenes.tramite.filtros import ParametrosIndicadores
from estandares.entradas import parametros_leer


def _exigir_interno(usuario) -> None:
    if not usuarios.es_interno(usuario=usuario):
        raise PermissionDenied(
            _("Los indicadores son para %(institucion)s y los órganos de control.")
            % {"institucion": con_articulo(textos_vigentes_en_cache().institucion_nombre)}
        )


@login_required
def indicadores_view(request):
    _exigir_interno(request.user)
    # A year that is not a number is a 400 with its message; one with no requests shows
    # the latest year.
    parametros = ParametrosIndicadores(request.GET)
    pedido = parametros_leer(request, parametros).get("ejercicio")
    # Aggregations over the whole history: the page once per version of the data, and after
    # a change only the years it touched (selectors.tablero). What it shows is rendered once
    # per version too (the template's {% cache %}, under `fragmento`): the same version, read
    # once for both.
    with cache.version_fija():
        contexto = cache.memorizar(
            "indicadores", pedido, calcular=lambda: tablero.tablero(pedido=pedido)
        )
        fragmento = f"{cache.version_datos()}|{timezone.localdate()}|{pedido}"
    return render(
        request,
        "indicadores/indicadores.html",
        {**contexto, "fragmento": fragmento},
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
