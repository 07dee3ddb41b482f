"""The indicators page (internal roles and auditors) and its CSV/XLSX export."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dictamenes import cache
from dictamenes.documentos.tablas import sin_formulas
from dictamenes.selectors import indicadores, usuarios


def _exigir_interno(usuario) -> None:
    if not usuarios.es_interno(usuario=usuario):
        raise PermissionDenied(
            "Los indicadores son para la Subsecretaría y los órganos de control."
        )


def _tablero(pedido: str) -> dict:
    anuales = indicadores.por_ejercicio()
    disponibles = [f["ejercicio"] for f in anuales]
    if pedido.isdigit() and int(pedido) in disponibles:
        ejercicio = int(pedido)
    else:
        ejercicio = disponibles[-1] if disponibles else timezone.localdate().year
    return {
        "anuales": indicadores.con_barras(anuales, "recibidas"),
        "ejercicio": ejercicio,
        "tiempos": indicadores.tiempos(ejercicio=ejercicio),
        "mensuales": indicadores.con_barras(
            indicadores.llegadas_mensuales(ejercicio=ejercicio), "n"
        ),
        "tipos": indicadores.con_barras(
            indicadores.resultados_por_tipo(ejercicio=ejercicio), "total"
        ),
        "entes": indicadores.con_barras(indicadores.principales_entes(ejercicio=ejercicio), "n"),
        "rezago": indicadores.con_barras(indicadores.rezago(), "n"),
    }


@login_required
def indicadores_view(request):
    _exigir_interno(request.user)
    pedido = request.GET.get("ejercicio", "")
    # Aggregations over the whole history: computed once per version of the data.
    contexto = cache.memorizar("indicadores", pedido, calcular=lambda: _tablero(pedido))
    return render(request, "indicadores/indicadores.html", contexto)


COLUMNAS = [
    ("ejercicio", "Ejercicio fiscal"),
    ("recibidas", "Solicitudes recibidas"),
    ("atendidas", "Solicitudes atendidas"),
    ("indicador", "Indicador (% atendidas/recibidas)"),
    ("en_plazo", "Atendidas en plazo"),
    ("pct_en_plazo", "% en plazo"),
    ("monto", "Monto estimado (MXN)"),
]


@login_required
def indicadores_exportar(request, formato):
    _exigir_interno(request.user)
    filas = [[sin_formulas(f[c]) for c, _ in COLUMNAS] for f in indicadores.por_ejercicio()]
    encabezado = [titulo for _, titulo in COLUMNAS]
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
    hoja.title = "Indicador anual"
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
