"""Issue 48 in the tests that change the configuration through its pages (review tracks,
institution texts, stage deadlines, areas): a POST only asks for the change (a CambioPendiente,
checked by a rehearsal of the door that will apply it), and it takes effect when a second
administrator approves it. What those tests share."""

from django.urls import reverse

from dictamenes.models import CambioPendiente
from dictamenes.operacion.services import configuracion
from tests.dictamenes.flujo_utils import usuario

# The demo's second administrator (demo/usuarios.py): the one who approves what «admin» asks.
SEGUNDO_ADMINISTRADOR = "admin2"
_DE_CUENTAS = (CambioPendiente.Tipo.IDENTIDAD, CambioPendiente.Tipo.ROL)


def pendientes(tipo=None) -> list[CambioPendiente]:
    """The configuration changes that wait for approval, oldest first."""
    cambios = (
        CambioPendiente.objects.filter(estado=CambioPendiente.Estado.PENDIENTE)
        .exclude(tipo__in=_DE_CUENTAS)
        .order_by("pedido_en", "pk")
    )
    return list(cambios if tipo is None else cambios.filter(tipo=tipo))


def aprobar_pendientes(
    *, por: str = SEGUNDO_ADMINISTRADOR, client=None, tipo=None
) -> list[CambioPendiente]:
    """Approve every configuration change that waits, as the administrator `por` (never the one
    who asked). With `client`, through «Cambios por aprobar», as a person does: the client is
    then logged in as `por` (log the test's own person in again to go on). Without it, through
    the service. At least one change must be waiting: a test that asked for one and finds
    nothing to approve has found a bug, not nothing to do."""
    cambios = pendientes(tipo)
    assert cambios, "No hay cambios de configuración esperando aprobación."
    aprueba = usuario(por)
    if client is not None:
        client.force_login(aprueba)
    for cambio in cambios:
        if client is None:
            configuracion.cambio_aprobar(cambio=cambio, por=aprueba)
        else:
            respuesta = client.post(
                reverse("cuentas:cambio_resolver", args=[cambio.pk]), {"accion": "aprobar"}
            )
            assert respuesta.status_code == 302, respuesta.content.decode()[:1500]
        cambio.refresh_from_db()
        assert (cambio.estado, cambio.resuelto_por) == (CambioPendiente.Estado.APROBADO, aprueba)
    return cambios
