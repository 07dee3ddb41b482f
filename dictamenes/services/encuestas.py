"""The requirente's satisfaction survey: invited when a request ends, answered once and
anonymously.

`encuesta_invitar` is called in the transaction that ends the request (the dictamen issued,
or the request desechada): the invitation is audited and the agency's requirentes get an
e-mail. `encuesta_responder` stores the answer without the respondent's identity
(models.encuestas), lets it into the figures with four others of its group, and audits only
that the request's survey was answered, with no person and nothing of what was answered."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.models import InvitacionEncuesta, RespuestaEncuesta, Solicitud
from dictamenes.selectors import access
from dictamenes.selectors.encuestas import MINIMO_RESPUESTAS
from dictamenes.services import avisos
from dictamenes.services.auditoria import evento_registrar
from estandares.entradas import texto_normalizar

ERROR_YA_RESPONDIDA = _("La encuesta de esta solicitud ya fue respondida. Gracias.")
ERROR_NO_TERMINADA = _("Solo se encuesta una solicitud con dictamen emitido o desechada.")

ETAPA_POR_ESTADO = {
    Solicitud.Estado.DICTAMINADA: RespuestaEncuesta.EtapaFinal.FIRMA,
    Solicitud.Estado.DESECHADA: RespuestaEncuesta.EtapaFinal.PREVENCION,
}


def url_encuesta(*, solicitud) -> str:
    ruta = reverse("solicitudes:encuesta", args=[solicitud.pk])
    return f"{settings.DICTAMENES_URL_PUBLICA.rstrip('/')}{ruta}"


@transaction.atomic
def encuesta_invitar(*, solicitud) -> InvitacionEncuesta:
    """Invite the agency to rate how its ended request was handled (once per request)."""
    if solicitud.estado not in ETAPA_POR_ESTADO:
        raise ValidationError(ERROR_NO_TERMINADA, code="no_terminada")
    invitacion, creada = InvitacionEncuesta.objects.get_or_create(
        solicitud=solicitud, defaults={"creada_en": timezone.now()}
    )
    if not creada:
        return invitacion
    evento_registrar(
        tipo="encuesta_invitada",
        descripcion=f"Encuesta de satisfacción enviada para la solicitud {solicitud.folio}",
        solicitud=solicitud,
    )
    avisos.aviso_encolar(
        asunto=f"¿Cómo le atendimos? Solicitud {solicitud.folio}",
        mensaje=(
            f"Su solicitud {solicitud.folio} «{solicitud.titulo}» terminó. Le pedimos tres "
            "calificaciones del 1 al 5 (claridad de los requisitos, tiempo y trato) y, si "
            "quiere, un comentario. Es opcional y anónima: la respuesta se guarda sin su "
            "nombre ni la solicitud, y solo se publica sumada con otras cuatro o más.\n\n"
            f"{url_encuesta(solicitud=solicitud)}"
        ),
        destinatarios=avisos.correos_requirentes(solicitud=solicitud),
    )
    return invitacion


def _lote_publicar(*, ejercicio: int, etapa_final: str) -> None:
    """Let the group's waiting answers into the figures once there are MINIMO_RESPUESTAS:
    the figures then only ever move by five answers or more."""
    pendientes = RespuestaEncuesta.objects.filter(
        ejercicio=ejercicio, etapa_final=etapa_final, publicada=False
    )
    if pendientes.count() >= MINIMO_RESPUESTAS:
        pendientes.update(publicada=True)


@transaction.atomic
def encuesta_responder(
    *, solicitud, usuario, claridad: int, tiempo: int, trato: int, comentario: str = ""
) -> None:
    """Store one anonymous answer for the request's survey. Returns nothing: not even the
    caller gets a handle on the stored answer."""
    access.exigir_requirente(usuario=usuario, solicitud=solicitud)
    # The invitation's row is the lock: two requirentes answering at once, only one counts.
    invitacion = InvitacionEncuesta.objects.select_for_update().get(solicitud=solicitud)
    if invitacion.respondida:
        raise ValidationError(ERROR_YA_RESPONDIDA, code="ya_respondida")
    respuesta = RespuestaEncuesta(
        ejercicio=solicitud.ejercicio,
        etapa_final=ETAPA_POR_ESTADO[solicitud.estado],
        claridad=claridad,
        tiempo=tiempo,
        trato=trato,
        comentario=texto_normalizar(comentario or "", multilinea=True).strip(),
    )
    respuesta.full_clean()
    respuesta.save()
    _lote_publicar(ejercicio=respuesta.ejercicio, etapa_final=respuesta.etapa_final)
    invitacion.respondida = True
    invitacion.save(update_fields=["respondida"])
    # That the survey was answered, not by whom nor what: no user, no content.
    evento_registrar(
        tipo="encuesta_respondida",
        descripcion=f"Encuesta de satisfacción respondida para la solicitud {solicitud.folio}",
        solicitud=solicitud,
    )
