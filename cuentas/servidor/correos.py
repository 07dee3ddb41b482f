"""What a server command sends to one person only (issue 77): a person's API token to its
owner, the break-glass account's password to its custodian. As the password link of
cuentas.contrasenas, straight to that person's mailbox, never to the outbox (table Aviso) that
administrators read, in the layout of every notice (avisos.correo_componer).

Unlike the link, which can be sent again, these are sent inside the command's transaction and
a failure raises: a token or a password nobody received must not be left behind."""

from django.urls import reverse

from dictamenes.avisos import services as avisos
from dictamenes.models.articulos import con_articulo
from dictamenes.organizacion.selectors.textos import textos_vigentes


def _persona(usuario) -> str:
    return f"{usuario.get_full_name() or usuario.username} ({usuario.username})"


def _avise() -> str:
    return f"avise {con_articulo(textos_vigentes().institucion_nombre, 'a')}"


def token_enviar(*, persona, por, clave: str, reemplazo: bool) -> None:
    """The key of `persona`'s API token, made by `por` at the server, to `persona`'s e-mail."""
    asunto = "Su token de la API"
    hecho = "reemplazó" if reemplazo else "creó"
    texto, html = avisos.correo_componer(
        asunto=asunto,
        mensaje=(
            f"Hola, {persona.get_full_name() or persona.username}:\n\n"
            f"{_persona(por)} {hecho} en el servidor el token con el que un sistema usa la API "
            "de Dictámenes TIC a nombre de su cuenta"
            + ("; el anterior ya no sirve" if reemplazo else "")
            + f". Es este:\n\n{clave}\n\n"
            "Actúa como usted en la API: guárdelo como guarda su contraseña, en el sistema que "
            "lo usará, y borre este correo. Nadie más lo ha visto: no se mostró en el servidor "
            f"ni queda en la auditoría. Si no lo esperaba, {_avise()}."
        ),
        enlace=avisos.url_absoluta(reverse("api:docs")),
        accion="Ver la documentación de la API",
        motivo="Recibe este correo porque una persona administradora creó en el servidor el "
        "token de la API de su cuenta.",
    )
    avisos.correo_enviar(asunto=asunto, texto=texto, html=html, destinatarios=[persona.email])


def contrasena_emergencia_enviar(*, custodia, por, cuenta, contrasena: str) -> None:
    """The break-glass account's new password, generated at the server, to its custodian's
    e-mail: `por`, who changed it, never sees it."""
    asunto = "Contraseña de la cuenta de emergencia"
    texto, html = avisos.correo_componer(
        asunto=asunto,
        mensaje=(
            f"Hola, {custodia.get_full_name() or custodia.username}:\n\n"
            f"{_persona(por)} cambió en el servidor la contraseña de la cuenta de emergencia "
            f"«{cuenta.username}» y le nombró su custodia: el sistema la generó y solo usted "
            f"la recibe; quien la cambió no la vio. Es esta:\n\n{contrasena}\n\n"
            "Cópiela a mano o imprímala, guárdela en un sobre cerrado y firmado donde la "
            "institución guarda lo de emergencia, y borre este correo. La cuenta de emergencia "
            "entra con contraseña cuando las demás no pueden: cada entrada con ella queda en la "
            f"auditoría. Si no lo esperaba, {_avise()}."
        ),
        enlace=avisos.url_absoluta(reverse("login")),
        accion="Ir a la entrada",
        motivo="Recibe este correo porque una persona administradora le nombró custodia de la "
        "contraseña de la cuenta de emergencia.",
    )
    avisos.correo_enviar(asunto=asunto, texto=texto, html=html, destinatarios=[custodia.email])
