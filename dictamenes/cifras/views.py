"""The indicators page (internal roles and auditors) and its CSV/XLSX export."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dictamenes import montos
from dictamenes.cifras.selectors import indicadores, tablero
from dictamenes.comun import cache
from dictamenes.comun.tablas import sin_formulas
from dictamenes.comun.widgets import escapar
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
    ahorro = contexto["ahorro"]
    return render(
        request,
        "indicadores/indicadores.html",
        {
            **contexto,
            "fragmento": fragmento,
            # The two long tables of the chosen year's savings, drawn only when the fragment
            # is (the template calls them).
            "filas_del_ahorro": lambda: _filas_del_ahorro(ahorro["filas"]),
            "filas_frente_a_referencia": lambda: _filas_frente_a_referencia(
                ahorro["referencia_filas"]
            ),
        },
        status=400 if parametros.errors else 200,
    )


# The <tr> of each row of the chosen year's savings per agency and category, and of its savings
# against the reference, as the template's loops wrote them with |pesos and {% celdas_referencia %}
# (dictamenes.templatetags.etiquetas, which this package may not import: the same markup, message
# and amounts here), each value escaped as {{ }} did (comun.widgets.escapar): a few hundred rows a
# year at K=10, each with its variables and filters looked up by the template engine and each value
# through Django's escape (whose check for lazy strings cost more than the escaping), were the
# costliest part of drawing the page with the cache empty (issue 92, item 6).
# tests/dictamenes/cifras/test_filas_ahorro.py compares them with the loops.
_FILA_AHORRO = (
    '<tr><th scope="row"><abbr title="{}">{}</abbr></th><td>{}</td><td class="num">{}</td>'
    '<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>'
).format
_FILA_REFERENCIA = (
    '<tr><th scope="row"><abbr title="{}">{}</abbr></th><td>{}</td><td>{}</td>'
    '<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>'
    "</tr>"
).format


def _filas_del_ahorro(filas: list[dict]) -> SafeString:
    e, pesos = escapar, montos.pesos
    return mark_safe(  # noqa: S308 (every value escaped above)
        "".join(
            _FILA_AHORRO(
                e(f["ente"]),
                e(f["ente_siglas"]),
                e(f["categoria"]),
                e(pesos(f["solicitado"])),
                e(pesos(f["aprobado"])),
                e(pesos(f["contratado"])),
                e(pesos(f["ahorro"])),
            )
            for f in filas
        )
    )


def _filas_frente_a_referencia(filas: list[dict]) -> SafeString:
    e, pesos, de = escapar, montos.pesos, _("%(n)s de %(total)s")
    return mark_safe(  # noqa: S308 (every value escaped above)
        "".join(
            _FILA_REFERENCIA(
                e(f["ente"]),
                e(f["ente_siglas"]),
                e(f["categoria"]),
                e(f["compra"]),
                e(
                    de
                    % {
                        "n": f"{f['partidas_con_referencia']:,}",
                        "total": f"{f['partidas_aprobadas']:,}",
                    }
                ),
                e(pesos(f["sobre_referencia"])),
                e(pesos(f["ahorro_referencia"])),
                e("—" if f["pct_ahorro_referencia"] is None else f"{f['pct_ahorro_referencia']} %"),
            )
            for f in filas
        )
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
