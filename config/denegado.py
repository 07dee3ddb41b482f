"""The 403 page says why, when the refusal is ours.

A service or a view of this project refuses with a sentence written for the person (the
separation of duties, «solo la Subsecretaría», the steps taken only from the request's
page): the page shows it. A refusal raised inside a library (viewflow's bare permission
check, Django's «Forbidden user agent», guardian) says nothing meant for people, or says it
in English about its own machinery: the page keeps its general sentence.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

# The packages whose refusals are written for the person refused.
PROPIOS = frozenset({"config", "cuentas", "dictamenes", "estandares", "flujos", "publico"})


def _de_los_nuestros(exception: BaseException) -> bool:
    """Raised by this project's code: the innermost frame of its traceback is in one of ours."""
    rastro = exception.__traceback__
    if rastro is None:
        return False
    while rastro.tb_next is not None:
        rastro = rastro.tb_next
    modulo = rastro.tb_frame.f_globals.get("__name__", "")
    return modulo.partition(".")[0] in PROPIOS


def motivo_de(exception) -> str:
    if not isinstance(exception, PermissionDenied) or not _de_los_nuestros(exception):
        return ""
    return " ".join(str(arg) for arg in exception.args if str(arg).strip())


def acceso_denegado(request, exception=None):
    """handler403: the reason, escaped as any text of a template, or the general sentence."""
    return render(request, "403.html", {"motivo": motivo_de(exception)}, status=403)
