"""Pages of a request: the list, a new draft, its data edited (the request's own page, and
every POST on it, are dictamenes.expediente's). Each POST calls one
service; refusals come back in Spanish, with a 4xx status and what the person typed still in
the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dictamenes import exceptions
from dictamenes.comun.direcciones import molde_de_url
from dictamenes.comun.paginacion import PaginadorEstimado, plan_propio
from dictamenes.comun.vistas import mensaje_de
from dictamenes.models import (
    Area,
    Ente,
    Resultado,
    Solicitud,
)
from dictamenes.organizacion.selectors import usuarios
from dictamenes.tramite.filtros import ListaSolicitudesFilter
from dictamenes.tramite.forms.solicitud import SolicitudForm
from dictamenes.tramite.selectors import access
from dictamenes.tramite.selectors.access import solicitudes_visibles
from dictamenes.tramite.selectors.estados import abiertas_primero
from dictamenes.tramite.services import solicitudes
from dictamenes.tramite.views.editable import fuera_de_su_paso

POR_PAGINA = 25


CATALOGO_S = 300


def _catalogo(clave, modelo, *campos) -> list[tuple]:
    """A catalogue's rows (those fields, in the model's order), kept CATALOGO_S seconds."""
    return cache.get_or_set(clave, lambda: list(modelo.objects.values_list(*campos)), CATALOGO_S)


# What templates/solicitudes/lista.html shows of each request, and the list's order.
COLUMNAS_DE_LA_LISTA = (
    "folio",
    "titulo",
    "ente",
    "tipo_operacion",
    "estado",
    "resultado",
    "monto_estimado",
    "concluida",
    "creada_en",
)


@login_required
def lista(request):
    # A value a filter cannot read (NaN, 1e309, "١٢") answers 400 with its message.
    filtro = ListaSolicitudesFilter(
        request.GET, queryset=solicitudes_visibles(usuario=request.user)
    )
    busqueda = filtro.es_busqueda()
    # A search counts every matching row with its page (comun.paginacion): joined to its agency
    # there, the planner, which expects a handful of rows, loops over the agencies for each
    # (12.2 → 9.0 ms of SQL for the auditor's filtered search at K=10). Its page's agencies are
    # read apart instead; a list that stops at its page's rows keeps the join.
    # Only the columns the table shows: a request's row also carries its long texts and JSON
    # (justification, alignment, the track's reasons), which took 1.4 of the 2.3 ms of
    # Python that reading a page of 25 rows cost (K=10).
    qs = filtro.qs.only(*COLUMNAS_DE_LA_LISTA)
    qs = (
        qs.prefetch_related("ente")
        if busqueda
        else qs.select_related("ente").only(*COLUMNAS_DE_LA_LISTA, "ente__siglas")
    )
    with plan_propio(busqueda):
        pagina = PaginadorEstimado(abiertas_primero(qs), POR_PAGINA, busqueda=busqueda).get_page(
            request.GET.get("p")
        )
    es_requirente = not usuarios.es_interno(usuario=request.user)
    url_detalle = molde_de_url("solicitudes:detalle", 1)
    for solicitud in pagina:
        solicitud.url_detalle = url_detalle(solicitud.pk)
    return render(
        request,
        "solicitudes/lista.html",
        {
            "pagina": pagina,
            "filtros": filtro.valores(),
            "errores_filtros": filtro.mensajes(),
            "es_requirente": es_requirente,
            # Catalogues for the filters, kept five minutes: they change a few times a year.
            "entes": [] if es_requirente else _catalogo("lista:entes", Ente, "pk", "siglas"),
            "estados": Solicitud.Estado.choices,
            "tipos": Solicitud._meta.get_field("tipo_operacion").choices,
            "resultados": Resultado.choices,
            "areas": [] if es_requirente else _catalogo("lista:areas", Area, "clave", "nombre"),
        },
        status=filtro.estado_http,
    )


@login_required
def nueva(request):
    ente = solicitudes.ente_de_quien_crea(usuario=request.user)
    form = SolicitudForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            solicitud = solicitudes.solicitud_crear(usuario=request.user, datos=form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, mensaje_de(exc))
        else:
            messages.success(request, _("Borrador creado. Agregue sus partidas y anexos."))
            return redirect("solicitudes:detalle", pk=solicitud.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "solicitudes/formulario.html", {"form": form, "ente": ente}, status=status
    )


def conflicto_de_version(form, exc, version_actual) -> None:
    """Keep what the person typed, say who changed what, and carry the current version so
    that saving again, after comparing, is a deliberate overwrite."""
    form.add_error(None, mensaje_de(exc))
    if version_actual is not None:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = str(version_actual)


@login_required
def editar(request, pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    if not access.es_requirente_de(usuario=request.user, solicitud=solicitud):
        # Only the agency edits its request; the form is not offered to anyone else.
        raise Http404
    if fuera := fuera_de_su_paso(request, solicitud):
        return fuera
    form = SolicitudForm(
        request.POST or None,
        instance=None,
        initial={campo: getattr(solicitud, campo) for campo in solicitudes.CAMPOS_SOLICITUD}
        | {"version": solicitud.version},
    )
    conflicto = False
    if request.method == "POST" and form.is_valid():
        try:
            solicitudes.solicitud_actualizar(
                solicitud=solicitud,
                usuario=request.user,
                datos=form.cleaned_data,
                version=form.cleaned_data.get("version"),
            )
        except exceptions.Conflicto as exc:
            conflicto = True
            solicitud.refresh_from_db()
            conflicto_de_version(form, exc, solicitud.version)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, mensaje_de(exc))
        else:
            return redirect("solicitudes:detalle", pk=solicitud.pk)
    status = 409 if conflicto else 400 if request.method == "POST" else 200
    return render(
        request,
        "solicitudes/formulario.html",
        {"form": form, "solicitud": solicitud, "ente": solicitud.ente, "conflicto": conflicto},
        status=status,
    )
