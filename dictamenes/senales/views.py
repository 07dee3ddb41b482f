"""The signs' pages (issue 80, item 3), for the Subsecretaría's staff and the auditors: the
list of every request's signs, filtered by sign, agency, supplier, fiscal year, in force and
attended, sorted, and its CSV with the same rows; an agency's history and a supplier's (how
many signs per year and sign, then the signs). Each page is a fixed number of queries
whatever the number of signs (the selectors: the page's rows with their request and agency,
their suppliers in one more, and the count)."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from dictamenes.comun.paginacion import PaginadorEstimado
from dictamenes.comun.tablas import sin_formulas
from dictamenes.models import Ente
from dictamenes.models.articulos import con_articulo
from dictamenes.organizacion.selectors import usuarios
from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from dictamenes.senales import selectors
from dictamenes.senales.filtros import ParametrosSenales
from estandares.entradas import mensajes_de

POR_PAGINA = 25
CATALOGO_S = 300


def _exigir_interno(usuario) -> None:
    """The signs' pages are the Subsecretaría's and the auditors' (internal roles): an agency's
    staff read none, not even their own agency's."""
    if not usuarios.es_interno(usuario=usuario):
        raise PermissionDenied(
            _("Las señales son para el personal %(institucion)s y los órganos de control.")
            % {"institucion": con_articulo(textos_vigentes_en_cache().institucion_nombre, "de")}
        )


def _entes() -> list[tuple]:
    """The agencies for the filter, kept CATALOGO_S seconds: they change a few times a year."""
    return cache.get_or_set(
        "senales:entes", lambda: list(Ente.objects.values_list("pk", "siglas")), CATALOGO_S
    )


def _pagina(request, senales):
    return PaginadorEstimado(senales, POR_PAGINA).get_page(request.GET.get("p"))


def _filas(pagina) -> list[dict]:
    """Each sign of a page with what its row shows beside it: its rule with the thresholds it
    was computed with, its evidence (only this site's links followed) and its source."""
    return [
        {
            "senal": senal,
            "regla": selectors.regla_de(senal),
            "evidencia": selectors.evidencia_de(senal),
            "fuente": selectors.fuente_de(senal),
        }
        for senal in pagina
    ]


@login_required
@require_safe
def lista(request):
    """«Señales»: every request's signs, filtered and sorted; a value that cannot be read
    answers 400 with its message and no rows."""
    _exigir_interno(request.user)
    parametros = ParametrosSenales(request.GET)
    if parametros.is_valid():
        senales = selectors.senales_filtradas(usuario=request.user, **parametros.filtros())
    else:
        senales = selectors.senales_filtradas(usuario=request.user).none()
    pagina = _pagina(request, senales)
    return render(
        request,
        "senales/lista.html",
        {
            "pagina": pagina,
            "filas": _filas(pagina),
            "parametros": parametros,
            "filtros": parametros.valores(),
            "errores_filtros": mensajes_de(parametros),
            "entes": _entes(),
        },
        status=200 if parametros.is_valid() else 400,
    )


# The CSV's columns: the header and how each sign gives its value.
COLUMNAS = [
    (gettext_lazy("Folio de la solicitud"), lambda s: s.solicitud.folio or ""),
    (gettext_lazy("Ente"), lambda s: s.ente.siglas),
    (gettext_lazy("Ejercicio"), lambda s: s.ejercicio),
    (gettext_lazy("Código de la señal"), lambda s: s.codigo),
    (gettext_lazy("Señal"), lambda s: s.get_codigo_display()),
    (gettext_lazy("Qué se encontró"), lambda s: s.texto),
    (gettext_lazy("Regla"), selectors.regla_de),
    (gettext_lazy("Proveedores"), lambda s: "; ".join(p.nombre for p in s.proveedores.all())),
    (gettext_lazy("Vigente"), lambda s: _("sí") if s.vigente else _("no")),
    (gettext_lazy("Detectada"), lambda s: timezone.localtime(s.detectada_en).isoformat()),
    (
        gettext_lazy("Ya no se cumple desde"),
        lambda s: timezone.localtime(s.retirada_en).isoformat() if s.retirada_en else "",
    ),
    (gettext_lazy("Qué se hizo"), lambda s: s.get_atencion_display() if s.atencion else ""),
    (gettext_lazy("Nota de quien la atendió"), lambda s: s.atencion_nota),
    (
        gettext_lazy("Atendida"),
        lambda s: timezone.localtime(s.atendida_en).isoformat() if s.atendida_en else "",
    ),
]


class _Linea:
    """csv.writer's file: each row written is returned as its line."""

    def write(self, texto: str) -> str:
        return texto


def _lineas(senales):
    escritor = csv.writer(_Linea())
    yield "\ufeff" + escritor.writerow([str(titulo) for titulo, _valor in COLUMNAS])
    for senal in senales.iterator(chunk_size=500):
        yield escritor.writerow([sin_formulas(valor(senal)) for _titulo, valor in COLUMNAS])


@login_required
@require_safe
def lista_csv(request):
    """The list's CSV: the same filters and order, every row (not one page), streamed as it
    is read (500 signs and their suppliers per round trip)."""
    _exigir_interno(request.user)
    parametros = ParametrosSenales(request.GET)
    if not parametros.is_valid():
        return lista(request)
    senales = selectors.senales_filtradas(usuario=request.user, **parametros.filtros())
    return StreamingHttpResponse(
        _lineas(senales),
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(
                True, f"senales-{timezone.localdate().isoformat()}.csv"
            )
        },
    )


def _historial(request, *, titulo, base, contexto):
    pagina = _pagina(request, selectors.en_lista(base))
    return render(
        request,
        "senales/historial.html",
        {
            "titulo": titulo,
            "cuentas": selectors.cuentas(base),
            "pagina": pagina,
            "filas": _filas(pagina),
            **contexto,
        },
    )


@login_required
@require_safe
def ente(request, pk):
    """An agency's signs: how many per fiscal year and sign, then each one, newest first."""
    _exigir_interno(request.user)
    ente = get_object_or_404(Ente, pk=pk)
    return _historial(
        request,
        titulo=_("Señales de %(ente)s") % {"ente": ente.siglas},
        base=selectors.del_ente(usuario=request.user, ente=ente),
        contexto={"ente": ente},
    )


@login_required
@require_safe
def proveedor(request, clave):
    """A supplier's signs (by its name as the price rule compares names): how many per year
    and sign, then each one. A name no sign names does not exist here (404)."""
    _exigir_interno(request.user)
    nombre = selectors.nombre_del_proveedor(clave)
    if nombre is None:
        raise Http404
    return _historial(
        request,
        titulo=_("Señales que nombran a %(proveedor)s") % {"proveedor": nombre},
        base=selectors.del_proveedor(usuario=request.user, clave=clave),
        contexto={"proveedor": nombre, "clave": clave},
    )
