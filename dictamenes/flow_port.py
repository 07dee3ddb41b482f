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
    REVISION_ESTRATEGICA = "revision_estrategica"
    RE_REVISION = "re_revision"
    FIRMA = "firma"
    PREFIJO_REVISION = "revision_"

    @staticmethod
    def revision(clave_area: str) -> str:
        """The technical review node of one area."""
        return f"{Nodo.PREFIJO_REVISION}{clave_area}"

    @staticmethod
    def es_revision_de_area(nombre: str) -> bool:
        return nombre.startswith(Nodo.PREFIJO_REVISION) and nombre != Nodo.REVISION_ESTRATEGICA


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
