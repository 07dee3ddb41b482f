"""The satisfaction survey a requirente answers once its request ended. Nobody else reaches
it, and no page shows an answer: the indicators show them only in aggregates. Its requests
leave no user id in the log (issue 59)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from dictamenes.comun.observacion import sin_identidad_en_bitacora
from dictamenes.comun.vistas import mensaje_de
from dictamenes.encuestas import services as encuestas
from dictamenes.models import InvitacionEncuesta
from dictamenes.models.encuestas import CALIFICACION_MAXIMA, CALIFICACION_MINIMA, COMENTARIO_MAX
from dictamenes.tramite.selectors import access
from estandares.entradas import TextoLargoField

ESCALA = [(str(n), str(n)) for n in range(CALIFICACION_MINIMA, CALIFICACION_MAXIMA + 1)]
AYUDA_ESCALA = gettext_lazy("1: muy mal · 5: muy bien.")


def _calificacion(etiqueta):
    return forms.TypedChoiceField(
        label=etiqueta, choices=ESCALA, coerce=int, widget=forms.RadioSelect, help_text=AYUDA_ESCALA
    )


class EncuestaForm(forms.Form):
    claridad = _calificacion(gettext_lazy("¿Qué tan claros fueron los requisitos?"))
    tiempo = _calificacion(gettext_lazy("¿Cómo califica el tiempo de atención?"))
    trato = _calificacion(gettext_lazy("¿Cómo califica el trato que recibió?"))
    comentario = TextoLargoField(
        label=gettext_lazy("Comentario (opcional)"),
        max_length=COMENTARIO_MAX,
        required=False,
        help_text=gettext_lazy(
            "No escriba nombres ni datos que le identifiquen: la encuesta es anónima."
        ),
    )


# Outermost: whatever answers (the form, the answer, a refusal), the log does not say who.
@sin_identidad_en_bitacora
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def encuesta(request, pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    access.exigir_requirente(usuario=request.user, solicitud=solicitud)
    invitacion = get_object_or_404(InvitacionEncuesta, solicitud=solicitud)
    form = EncuestaForm(request.POST or None)
    if request.method == "POST" and not invitacion.respondida and form.is_valid():
        try:
            encuestas.encuesta_responder(
                solicitud=solicitud, usuario=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, mensaje_de(exc))
        else:
            messages.success(request, _("Gracias. Su respuesta se guardó de forma anónima."))
            return redirect("inicio")
    return render(
        request,
        "encuestas/encuesta.html",
        {"solicitud": solicitud, "invitacion": invitacion, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
