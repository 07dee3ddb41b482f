"""The port between the procedure and the workflow engine that routes it.

The rules (services) name the flow's steps by the constants of `Nodo` and reach the flow only
through `nodo()` and `flujo_iniciar()`; they never import flujos. The flow registers itself
here when its app is ready (flujos.apps), so the flow imports the domain and never the
reverse.
"""

from django.core.exceptions import ImproperlyConfigured


class Nodo:
    """Names of the flow's nodes that the rules address (viewflow stores them in each task)."""

    PRESENTAR = "presentar"
    ADMISION = "admision"
    SUBSANAR = "subsanar"
    # One node for every area's technical review: the flow makes one task per area the
    # request's items touch, and each task names its area (flujos.nodos).
    REVISION_TECNICA = "revision_tecnica"
    REVISION_ESTRATEGICA = "revision_estrategica"
    RE_REVISION = "re_revision"
    FIRMA = "firma"

    @staticmethod
    def es_revision_de_area(nombre: str) -> bool:
        return nombre == Nodo.REVISION_TECNICA


_flujo = None


def flujo_registrar(flow_class) -> None:
    global _flujo  # noqa: PLW0603 - the one registration, at app start
    _flujo = flow_class


def flujo():
    """The registered flow class."""
    if _flujo is None:
        raise ImproperlyConfigured("El flujo de dictámenes no está registrado (falta flujos).")
    return _flujo


def nodo(nombre: str):
    """The flow's node object of that name."""
    return getattr(flujo(), nombre)


def flujo_iniciar(*, solicitud) -> None:
    """Starts the flow for a presented request."""
    nodo(Nodo.PRESENTAR).run(solicitud=solicitud)
