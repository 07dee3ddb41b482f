"""What every capability's pages say of a service's refusal: its words (`mensaje_de`) and its
status (`estado_del_rechazo`: 409 when someone else changed it first, 403 when it is not the
person's to do, 400 otherwise)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from dictamenes import exceptions


def mensaje_de(exc) -> str:
    """A refusal in the words a person reads: a ValidationError's messages, one after the
    other; anything else, its text, or that it is not theirs to do."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("No tiene permiso para esta acción.")


def estado_del_rechazo(exc) -> int:
    """The HTTP status a page answers a refusal with."""
    if isinstance(exc, exceptions.Conflicto):
        return 409  # someone else concluded or changed it first; nothing was written
    return 403 if isinstance(exc, PermissionDenied) else 400
