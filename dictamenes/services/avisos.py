"""Notices by e-mail through the outbox: written in the same transaction as the change they
announce and sent after it commits; a failed send is retried by `enviar_avisos`."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import get_users_with_perms

from dictamenes.models import (
    Aviso,
)

logger = logging.getLogger(__name__)


PREFIJO_ASUNTO = "[Dictámenes TIC] "
# Past this many failed attempts an aviso stays pending for a person to look at (admin),
# instead of hammering a mail server that refuses it.
AVISO_INTENTOS_MAXIMOS = 10


def aviso_encolar(*, asunto: str, mensaje: str, destinatarios: Iterable[str]) -> None:
    """Put the notice in the outbox (table Aviso) in the caller's transaction and send it
    after commit. A mail failure is logged, never undoes the decision, and leaves the aviso
    pending for `manage.py enviar_avisos` to retry."""
    destinatarios = sorted({d for d in destinatarios if d})
    if not destinatarios:
        return
    aviso = Aviso.objects.create(destinatarios=destinatarios, asunto=asunto[:300], mensaje=mensaje)
    # robust: whatever goes wrong while sending (even the database) is logged and never turns
    # the already committed decision into an error page; the aviso stays pending.
    transaction.on_commit(lambda: aviso_enviar(aviso_id=aviso.pk), robust=True)


def aviso_enviar(*, aviso_id: int) -> bool:
    """Send one pending aviso; True if it went out now. The row is locked while sending (and
    skipped if another worker holds it), so the after-commit send and the cron retry never
    send the same aviso twice."""
    with transaction.atomic():
        aviso = (
            Aviso.objects.select_for_update(skip_locked=True)
            .filter(pk=aviso_id, enviado_en__isnull=True)
            .first()
        )
        if aviso is None:
            return False
        aviso.intentos += 1
        try:
            send_mail(
                PREFIJO_ASUNTO + aviso.asunto,
                aviso.mensaje,
                settings.DEFAULT_FROM_EMAIL,
                aviso.destinatarios,
            )
        except Exception as exc:
            aviso.ultimo_error = f"{type(exc).__name__}: {exc}"[:2000]
            aviso.save(update_fields=["intentos", "ultimo_error"])
            logger.warning(
                "No se pudo enviar el aviso #%s «%s» (intento %s): %s. Queda pendiente; "
                "manage.py enviar_avisos lo reintentará.",
                aviso.pk,
                aviso.asunto,
                aviso.intentos,
                aviso.ultimo_error,
            )
            return False
        aviso.enviado_en = timezone.now()
        aviso.ultimo_error = ""
        aviso.save(update_fields=["intentos", "ultimo_error", "enviado_en"])
        return True


def avisos_pendientes_enviar(
    *, limite: int = 200, intentos_maximos: int = AVISO_INTENTOS_MAXIMOS
) -> tuple[int, int]:
    """Retry the pending avisos, oldest first: (sent, still pending among those tried)."""
    pendientes = list(
        Aviso.objects.filter(enviado_en__isnull=True, intentos__lt=intentos_maximos)
        .order_by("creado_en", "id")
        .values_list("pk", flat=True)[:limite]
    )
    enviados = sum(aviso_enviar(aviso_id=pk) for pk in pendientes)
    return enviados, len(pendientes) - enviados


def correos_requirentes(*, solicitud) -> list[str]:
    return list(
        get_users_with_perms(
            solicitud.ente, only_with_perms_in=["actuar_como_requirente"], with_group_users=True
        ).values_list("email", flat=True)
    )
