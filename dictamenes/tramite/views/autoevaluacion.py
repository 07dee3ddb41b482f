"""The item form's autoevaluación as the person types: a small JSON answer from the same
compliance engine that judges the item when it is saved. The rules stay on the server; the
page's script only shows what this answers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dictamenes.tramite.selectors import access
from estandares import selectors as estandares_selectors
from estandares.cumplimiento import Evaluacion, Resultado, Veredicto


def _como_json(evaluacion: Evaluacion) -> dict:
    return {
        "veredicto": evaluacion.veredicto,
        "etiqueta_veredicto": str(Veredicto(evaluacion.veredicto).label),
        "resultados": [
            {
                "clave": r.clave,
                "nombre": r.nombre,
                "obligatorio": r.obligatorio,
                "resultado": r.resultado,
                "etiqueta": str(Resultado(r.resultado).label),
                "motivo": r.motivo,
                "valor": r.valor,
            }
            for r in evaluacion.resultados
        ],
    }


@login_required
@require_POST
def partida_evaluar(request, pk):
    """Judge the specifications typed in the item form (fields "esp-…") against `perfil`,
    without saving anything. Same access as the form: the requirente of the agency."""
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    if not access.es_requirente_de(usuario=request.user, solicitud=solicitud):
        raise Http404
    try:
        perfil = estandares_selectors.perfil_vigente_spec(
            perfil_id=request.POST.get("perfil"), fecha=timezone.localdate()
        )
        evaluacion = estandares_selectors.especificaciones_evaluar(
            perfil=perfil, datos=request.POST, prefijo="esp"
        )
    except ValidationError as exc:
        errores = exc.message_dict if hasattr(exc, "error_dict") else {}
        mensaje = (
            str(estandares_selectors.ERROR_VALORES_ILEGIBLES) if errores else " ".join(exc.messages)
        )
        return JsonResponse({"error": mensaje, "errores": errores}, status=400)
    return JsonResponse(_como_json(evaluacion))
