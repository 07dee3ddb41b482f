"""The agency's annual programme, and the consolidation opportunities for the Subsecretaría."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dictamenes.forms import ProgramaForm
from dictamenes.models import ProgramaAnual
from dictamenes.selectors import usuarios
from dictamenes.services import planeacion


@login_required
def programa(request):
    ente = getattr(getattr(request.user, "perfil", None), "ente", None)
    if ente is None:
        raise PermissionDenied(_("El programa anual lo registra el personal de cada ente."))
    form = ProgramaForm(request.POST or None, request.FILES or None)
    errores = []
    if request.method == "POST" and form.is_valid():
        archivo = form.cleaned_data["archivo"]
        try:
            planeacion.programa_importar(
                ente=ente,
                ejercicio=form.cleaned_data["ejercicio"],
                usuario=request.user,
                nombre=archivo.name,
                contenido=archivo.read(),
            )
        except planeacion.ProgramaError as exc:
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
            "columnas": planeacion.COLUMNAS,
            "corte": planeacion.fecha_corte(),
        },
        status=400 if errores or (request.method == "POST" and not form.is_valid()) else 200,
    )


@login_required
def consolidacion(request):
    if not usuarios.es_interno(usuario=request.user):
        raise PermissionDenied(_("Esta página es para la Subsecretaría."))
    from django.conf import settings

    return render(
        request,
        "planeacion/consolidacion.html",
        {
            "grupos": planeacion.consolidaciones(),
            "dias": settings.DICTAMENES_VENTANA_CONSOLIDACION_DIAS,
            "hoy": timezone.localdate(),
        },
    )


@login_required
def pronostico(request):
    if not usuarios.es_interno(usuario=request.user):
        raise PermissionDenied(_("Esta página es para la Subsecretaría."))
    datos = planeacion.pronostico()
    return render(
        request,
        "planeacion/pronostico.html",
        {
            **datos,
            "metodo": planeacion.METODO_PRONOSTICO,
            "metodo_areas": planeacion.METODO_CARGA_AREA,
            "meses_barras": [m | {"n": m["pronostico"]} for m in datos["meses"]],
        },
    )
