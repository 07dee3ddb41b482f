"""Who a server command acts for (issue 59, item 3). A command that changes a rule, a person or
a text names, with `--usuario USERNAME`, the active administrator in whose name it asks the
change: the change waits in «Cambios por aprobar» like one asked on the pages, and its audit
events name that person. There is no default: the first administrator found once acted for
whoever ran the command, and an event with no user at all was possible.

The check is the one of the pages (organizacion.selectors.usuarios.administra_roles): an
active account with the Administrador role, or a superuser."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy as _

from dictamenes.organizacion.selectors.usuarios import administra_roles

ERROR_SIN_USUARIO = _(
    "Indique con --usuario USUARIO a la persona administradora en cuyo nombre se pide el "
    "cambio: queda a su nombre en la auditoría. No se escribió nada."
)
ERROR_NO_ADMINISTRADOR = _(
    "«%(usuario)s» no es una persona administradora activa. No se escribió nada."
)


def administrador_del_comando(*, usuario: str | None):
    """The account of `--usuario`, if it is an active administrator; CommandError otherwise."""
    if not (usuario or "").strip():
        raise CommandError(str(ERROR_SIN_USUARIO))
    persona = get_user_model().objects.filter(username=usuario.strip()).first()
    if persona is None or not administra_roles(usuario=persona):
        raise CommandError(str(ERROR_NO_ADMINISTRADOR % {"usuario": usuario.strip()}))
    return persona
