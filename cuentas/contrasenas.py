"""Passwords (issue 33): nobody sets another person's. A person changes their own (audited),
or follows a reset link sent to their own e-mail (audited when used); an administrator can
only send that link, never type a password for someone else.

Django sends no signal when a password changes, so the two pages that change one
(cuentas.views_contrasenas) save it here, with its event in the same transaction."""

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from dictamenes.avisos import services as avisos
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models.articulos import con_articulo
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.organizacion.selectors.usuarios import administra_roles
from dictamenes.organizacion.services.emergencia import es_cuenta_emergencia

logger = logging.getLogger(__name__)

ERROR_ENLACE_SIN_PERMISO = _("Solo una persona administradora envía enlaces de contraseña.")
ERROR_ENLACE_SIN_CORREO = _(
    "La cuenta no tiene correo: pida primero el cambio de correo (con la aprobación de otra "
    "persona administradora) y después envíe el enlace."
)
ERROR_ENLACE_PROPIO = _("Su propia contraseña se cambia en «Cambiar contraseña».")
# Issue 77: whoever reads the break-glass account's mailbox would choose its password alone.
ERROR_ENLACE_EMERGENCIA = _(
    "La contraseña de la cuenta de emergencia no se elige con un enlace: la genera en el "
    "servidor «changepassword --usuario SU_USUARIO --custodia OTRA_PERSONA» y solo la recibe "
    "la persona custodia."
)

DESCRIPCION = {
    "contrasena_cambiada": "cambió su contraseña",
    "contrasena_restablecida": "eligió una contraseña nueva con el enlace enviado a su correo",
}


def _persona(usuario) -> str:
    return f"{usuario.get_full_name() or usuario.username} ({usuario.username})"


@transaction.atomic
def contrasena_guardar(*, form, tipo: str):
    """Save the password form of the person's own page (tipo contrasena_cambiada) or of the
    reset link (contrasena_restablecida), and audit it in the same transaction."""
    usuario = form.save()
    evento_registrar(
        tipo=tipo,
        descripcion=f"{_persona(usuario)} {DESCRIPCION[tipo]}",
        usuario=usuario,
        datos={"persona": usuario.pk},
    )
    return usuario


def enlace_de(*, persona) -> str:
    ruta = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(persona.pk)),
            "token": default_token_generator.make_token(persona),
        },
    )
    return avisos.url_absoluta(ruta)


def _enviar(*, correo: str, enlace: str, nombre: str) -> None:
    """The link goes straight to the person's mailbox (never to the outbox), in the same
    e-mail layout as every notice (avisos.correo_componer)."""
    asunto = "Elija su contraseña"
    try:
        texto, html = avisos.correo_componer(
            asunto=asunto,
            mensaje=(
                f"Hola, {nombre}:\n\n"
                "Para elegir la contraseña de su cuenta de Dictámenes TIC abra este enlace "
                f"(sirve una sola vez y vence en {settings.PASSWORD_RESET_TIMEOUT // 3600} "
                "horas).\n\n"
                "Nadie más conoce este enlace: no lo comparta. Si no lo esperaba, avise "
                f"{con_articulo(textos_vigentes().institucion_nombre, 'a')}."
            ),
            enlace=enlace,
            accion="Elegir mi contraseña",
            motivo="Recibe este correo porque una persona administradora le envió el enlace "
            "para elegir la contraseña de su cuenta.",
        )
        avisos.correo_enviar(asunto=asunto, texto=texto, html=html, destinatarios=[correo])
    except Exception:
        # robust: the link can be sent again from the admin; the event says it was asked.
        logger.exception("No se pudo enviar el enlace de contraseña a %s", correo)


@transaction.atomic
def contrasena_enlace_enviar(*, persona, por, alta: bool = False) -> str:
    """An administrator sends a person a link to choose their password, to the person's own
    e-mail, after commit. The link is not kept in the outbox (table Aviso), which
    administrators can read: only the person's mailbox ever holds it. Returns the address."""
    if not (por.is_superuser or administra_roles(usuario=por)):
        raise PermissionDenied(ERROR_ENLACE_SIN_PERMISO)
    if persona.pk == por.pk:
        raise ValidationError(ERROR_ENLACE_PROPIO, code="enlace_propio")
    if es_cuenta_emergencia(usuario=persona):
        raise ValidationError(ERROR_ENLACE_EMERGENCIA, code="enlace_emergencia")
    if not persona.email:
        raise ValidationError(ERROR_ENLACE_SIN_CORREO, code="sin_correo")
    evento_registrar(
        tipo="contrasena_enlace_enviado",
        descripcion=f"{_persona(por)} envió a {_persona(persona)} un enlace para elegir su "
        f"contraseña, a su correo {persona.email}" + (" (cuenta nueva)" if alta else ""),
        usuario=por,
        datos={"persona": persona.pk, "correo": persona.email, "alta": alta},
    )
    correo, nombre = persona.email, persona.get_full_name() or persona.username
    enlace = enlace_de(persona=persona)
    transaction.on_commit(lambda: _enviar(correo=correo, enlace=enlace, nombre=nombre))
    return correo
