"""The conditions of a condicionado dictamen: the agency uploads its evidence, the area that
proposed the condition verifies or rejects it (from the request's page), and the Subsecretaría
follows the open ones by their traffic light."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from dictamenes.comun import archivos
from dictamenes.models import Condicion, EvidenciaCondicion
from dictamenes.models.articulos import con_articulo
from dictamenes.organizacion.selectors import usuarios
from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from dictamenes.seguimiento.selectors.condiciones import condiciones_por_cumplir, dias_aviso
from dictamenes.seguimiento.services import condiciones
from dictamenes.tramite.selectors import access
from dictamenes.tramite.views.pagina import ejecutar, rechazo
from estandares.entradas import TextoLargoField


class EvidenciaForm(forms.Form):
    archivo = forms.FileField(
        label=gettext_lazy("Evidencia"),
        help_text=gettext_lazy(
            "PDF o documento de oficina (Word, Excel, PowerPoint, OpenDocument)."
        ),
        error_messages={"required": condiciones.ERROR_SIN_ARCHIVO},
    )
    nota = TextoLargoField(
        label=gettext_lazy("Nota para el área (opcional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VerificacionForm(forms.Form):
    accion = forms.ChoiceField(
        label=gettext_lazy("Decisión"),
        choices=[
            ("verificar", gettext_lazy("La evidencia acredita la condición: cumplida")),
            ("rechazar", gettext_lazy("Rechazar la evidencia, con su motivo")),
        ],
        widget=forms.RadioSelect,
    )
    motivo = TextoLargoField(
        label=gettext_lazy("Motivo del rechazo"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _condicion(request, pk, condicion_pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    condicion = get_object_or_404(
        Condicion.objects.select_related("dictamen", "area"),
        pk=condicion_pk,
        dictamen__solicitud=solicitud,
    )
    condicion.dictamen.solicitud = solicitud
    return solicitud, condicion


def _refutar(request, solicitud, form, exigir, condicion):
    """The refusal to render, if any: the wrong person (403) or state (400) before the form's
    own errors, so that nobody is told to attach a file they may not upload."""
    try:
        exigir(condicion=condicion, usuario=request.user)
    except (PermissionDenied, ValidationError) as exc:
        return rechazo(request, solicitud, exc)
    if form.is_valid():
        return None
    errores = [e for lista in form.errors.values() for e in lista]
    return rechazo(request, solicitud, ValidationError(errores))


@login_required
@require_POST
def evidencia(request, pk, condicion_pk):
    solicitud, condicion = _condicion(request, pk, condicion_pk)
    form = EvidenciaForm(request.POST, request.FILES, prefix="condicion")
    if refutado := _refutar(request, solicitud, form, condiciones.exigir_puede_subir, condicion):
        return refutado
    return ejecutar(
        request,
        solicitud,
        lambda: condiciones.condicion_evidencia_subir(
            condicion=condicion, usuario=request.user, **form.cleaned_data
        ),
        _("Evidencia de la condición %(n)s presentada; el área la verificará.")
        % {"n": condicion.numero},
    )


@login_required
@require_POST
def verificar(request, pk, condicion_pk):
    solicitud, condicion = _condicion(request, pk, condicion_pk)
    form = VerificacionForm(request.POST, prefix="verificar")
    if refutado := _refutar(
        request, solicitud, form, condiciones.exigir_puede_verificar, condicion
    ):
        return refutado
    if form.cleaned_data["accion"] == "verificar":
        accion = lambda: condiciones.condicion_verificar(  # noqa: E731
            condicion=condicion, usuario=request.user
        )
        exito = _("Condición %(n)s verificada como cumplida.")
    else:
        accion = lambda: condiciones.condicion_rechazar(  # noqa: E731
            condicion=condicion, usuario=request.user, motivo=form.cleaned_data["motivo"]
        )
        exito = _("Evidencia de la condición %(n)s rechazada; el ente fue avisado.")
    return ejecutar(request, solicitud, accion, exito % {"n": condicion.numero})


@login_required
@require_safe
def evidencia_descargar(request, pk, evidencia_pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    evidencia = get_object_or_404(
        EvidenciaCondicion, pk=evidencia_pk, condicion__dictamen__solicitud=solicitud
    )
    return FileResponse(
        archivos.anexo_leer(anexo=evidencia),
        as_attachment=True,
        filename=evidencia.nombre,
        content_type=evidencia.content_type,
    )


@login_required
@require_safe
def por_cumplir(request):
    if not usuarios.es_interno(usuario=request.user):
        raise PermissionDenied(
            _("Esta página es para el personal %(institucion)s.")
            % {"institucion": con_articulo(textos_vigentes_en_cache().institucion_nombre, "de")}
        )
    filas = condiciones_por_cumplir()
    return render(
        request,
        "planeacion/condiciones.html",
        {
            "filas": filas,
            "rojas": sum(f.semaforo == "rojo" for f in filas),
            "dias_aviso": dias_aviso(),
        },
    )
