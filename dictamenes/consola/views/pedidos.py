"""What the pages that change the rules share (issue 48): saving asks for a change that a
second administrator approves; the page says so, and lists the changes of its kind that wait."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from dictamenes.models import CambioPendiente
from dictamenes.operacion.services.configuracion import configuracion_pedir
from dictamenes.personas.selectors.cambios_pendientes import cambios_pendientes

MENSAJE_PEDIDO = _(
    "Cambio pedido: «%(titulo)s» tendrá efecto cuando otra persona administradora lo apruebe "
    "en «Cambios por aprobar». Se le avisó por correo."
)


def cambio_pedir_desde(
    request, form, *, tipo, pedido, ir_a, accion="guardar", archivo=None, args=()
):
    """Ask for the change; the redirect when asked, None (errors added to `form`) when not."""
    try:
        cambio = configuracion_pedir(
            tipo=tipo,
            accion=accion,
            pedido=pedido,
            por=request.user,
            motivo=form.cleaned_data.get("motivo", ""),
            archivo=archivo,
        )
    except ValidationError as exc:
        # A refusal because of requests under way names them (organizacion.services.areas).
        form.impiden = getattr(exc, "solicitudes", [])
        if hasattr(exc, "error_dict"):
            for campo, errores in exc.error_dict.items():
                form.add_error(campo if campo in form.fields else None, errores)
        else:
            form.add_error(None, exc)
        return None
    messages.success(request, MENSAJE_PEDIDO % {"titulo": cambio.datos["titulo"]})
    return redirect(ir_a, *args)


def pendientes_de(*tipos) -> list[CambioPendiente]:
    """The changes of this page's kinds that wait, in one query."""
    return list(cambios_pendientes().filter(tipo__in=tipos))
