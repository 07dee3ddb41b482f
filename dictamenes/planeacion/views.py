"""The agency's annual programme, and the consolidation opportunities for the Subsecretaría."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dictamenes.models import LineaPrograma, ProgramaAnual
from dictamenes.models.articulos import con_articulo
from dictamenes.organizacion.selectors import usuarios
from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from dictamenes.planeacion.forms import LineaForm, ProgramaForm
from dictamenes.planeacion.services import programa as servicio
from dictamenes.planeacion.services import pronostico as pronostico_servicio


def _ente(request):
    """The agency whose programme this requirente keeps; 403 for anyone else."""
    ente = getattr(getattr(request.user, "perfil", None), "ente", None)
    if ente is None or not request.user.has_perm("dictamenes.actuar_como_requirente", ente):
        raise PermissionDenied(_("El programa anual lo registra el personal de cada ente."))
    return ente


@login_required
def programa(request):
    ente = _ente(request)
    form = ProgramaForm(request.POST or None, request.FILES or None)
    errores = []
    if request.method == "POST" and form.is_valid():
        archivo = form.cleaned_data["archivo"]
        try:
            servicio.programa_importar(
                ente=ente,
                ejercicio=form.cleaned_data["ejercicio"],
                usuario=request.user,
                nombre=archivo.name,
                contenido=archivo.read(),
            )
        except servicio.ProgramaError as exc:
            errores = exc.errores
        else:
            messages.success(request, _("Programa anual registrado."))
            return redirect("planeacion:programa")
    programas = ProgramaAnual.objects.filter(ente=ente).prefetch_related("lineas__solicitud")
    return render(
        request,
        "planeacion/programa.html",
        {
            "form": form,
            "errores": errores,
            "programas": programas,
            "ente": ente,
            "columnas": servicio.COLUMNAS,
            "corte": servicio.fecha_corte(),
        },
        status=400 if errores or (request.method == "POST" and not form.is_valid()) else 200,
    )


def _vinculada(linea) -> str:
    """Why a line linked to a presented request cannot change (the service's message)."""
    if linea is None or linea.solicitud_id is None:
        return ""
    return servicio.ERROR_LINEA_VINCULADA % {"folio": linea.solicitud.folio}


def _linea_pagina(request, *, ente, linea=None):
    """Add (linea=None) or correct one programme line: the form keeps what was typed and
    shows the import's own errors beside each field."""
    try:
        categorias = list(servicio.categorias_vigentes().values())
    except servicio.ProgramaError:
        categorias = []  # the service refuses with the same message on POST
    vinculada = _vinculada(linea)
    form = LineaForm(
        request.POST or None,
        initial=servicio.linea_columnas(linea) if linea else None,
        categorias=categorias,
        con_ejercicio=linea is None,
    )
    status = 200
    if request.method == "POST" and not vinculada and form.is_valid():
        datos = {n: form.cleaned_data[n] for n in servicio.NOMBRES}
        try:
            if linea is None:
                servicio.linea_agregar(
                    ente=ente,
                    ejercicio=form.cleaned_data["ejercicio"],
                    usuario=request.user,
                    datos=datos,
                )
            else:
                servicio.linea_corregir(linea=linea, usuario=request.user, datos=datos)
        except servicio.ProgramaError as exc:
            form.add_error(None, exc.errores)
        except ValidationError as exc:
            if getattr(exc, "code", None) != "linea_vinculada":
                form.add_error(None, exc)
            else:  # presented meanwhile
                vinculada = exc.messages[0]
        else:
            messages.success(
                request, _("Línea agregada.") if linea is None else _("Línea corregida.")
            )
            return redirect("planeacion:programa")
    if request.method == "POST":
        status = 409 if vinculada else 400
    return render(
        request,
        "planeacion/programa_linea.html",
        {
            "form": form,
            "linea": linea,
            "ente": ente,
            "categorias": categorias,
            "vinculada": vinculada,
        },
        status=status,
    )


@login_required
def linea_nueva(request):
    ente = _ente(request)
    return _linea_pagina(request, ente=ente)


def _linea_del_ente(request, pk):
    # Another agency's line answers as one that does not exist.
    ente = _ente(request)
    linea = get_object_or_404(
        LineaPrograma.objects.select_related("programa", "solicitud"), pk=pk, programa__ente=ente
    )
    return ente, linea


@login_required
def linea(request, pk):
    ente, linea = _linea_del_ente(request, pk)
    return _linea_pagina(request, ente=ente, linea=linea)


@login_required
def linea_retirar(request, pk):
    ente, linea = _linea_del_ente(request, pk)
    vinculada = _vinculada(linea)
    if request.method == "POST" and not vinculada:
        try:
            servicio.linea_retirar(linea=linea, usuario=request.user)
        except ValidationError as exc:  # presented meanwhile
            vinculada = exc.messages[0]
        else:
            messages.success(request, _("Línea retirada del programa."))
            return redirect("planeacion:programa")
    return render(
        request,
        "planeacion/programa_linea_retirar.html",
        {"linea": linea, "ente": ente, "vinculada": vinculada},
        status=409 if request.method == "POST" else 200,
    )


@login_required
def consolidacion(request):
    if not usuarios.es_interno(usuario=request.user):
        raise PermissionDenied(
            _("Esta página es para el personal %(institucion)s.")
            % {"institucion": con_articulo(textos_vigentes_en_cache().institucion_nombre, "de")}
        )
    from django.conf import settings

    return render(
        request,
        "planeacion/consolidacion.html",
        {
            "grupos": servicio.consolidaciones(),
            "dias": settings.DICTAMENES_VENTANA_CONSOLIDACION_DIAS,
            "hoy": timezone.localdate(),
        },
    )


@login_required
def pronostico(request):
    if not usuarios.es_interno(usuario=request.user):
        raise PermissionDenied(
            _("Esta página es para el personal %(institucion)s.")
            % {"institucion": con_articulo(textos_vigentes_en_cache().institucion_nombre, "de")}
        )
    datos = pronostico_servicio.pronostico()
    return render(
        request,
        "planeacion/pronostico.html",
        {
            **datos,
            "metodo": pronostico_servicio.METODO_PRONOSTICO,
            "metodo_areas": pronostico_servicio.METODO_CARGA_AREA,
            "meses_barras": [m | {"n": m["pronostico"]} for m in datos["meses"]],
        },
    )
