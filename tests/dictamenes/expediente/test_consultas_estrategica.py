"""What the strategic reviewer's page of a request with quoted items reads on each visit
(issue 79, item 6: the bench's ten-item decision). The quotes' files (their hash counts two
copies of one quote once) and the agencies' names (a supplier that is an agency is no
supplier) are kept with the request's rows, per version of the data: a second visit reads
neither, and a renamed agency is seen on the next visit all the same."""

import pytest

from dictamenes.models import Ente
from dictamenes.organizacion.services import entes
from dictamenes.precios import reglas
from tests.dictamenes.flujo_utils import borrador, detalle, revisar, usuario
from tests.dictamenes.tramite.test_consultas_detalle import consultas, tablas
from tests.dictamenes.tramite.test_cotizaciones import PROVEEDOR, cotizar

pytestmark = pytest.mark.django_db


@pytest.fixture
def en_estrategica(demo):
    from dictamenes.tramite.services import etapas, solicitudes

    solicitud = borrador(areas=("computo", "redes"))
    for n, partida in enumerate(solicitud.partidas.all()):
        cotizar(partida, precio="10000", n=n)
    solicitud = solicitudes.solicitud_presentar(
        solicitud=solicitud, usuario=usuario("requirente.sh")
    )
    etapas.admision_resolver(solicitud=solicitud, usuario=usuario("mesa"), admitir=True)
    for area in ("computo", "redes"):
        revisar(solicitud, area)
    return solicitud


def test_la_segunda_visita_no_lee_los_archivos_de_las_cotizaciones_ni_los_entes(
    en_estrategica, como
):
    cliente = como("estrategico")
    url = detalle(en_estrategica)
    primera = tablas(consultas(cliente, url))
    # The list of attachments; the quotes' files come with the quotes, in the same query.
    assert (primera["dictamenes_cotizacion"], primera["dictamenes_anexo"]) == (1, 1), primera
    otra = tablas(consultas(cliente, url))
    assert (otra["dictamenes_anexo"], otra["dictamenes_ente"]) == (0, 0), otra


def _motivos(cliente, url) -> list[str]:
    """Why each quote of the page's items was left out of its market price ("" if it counts)."""
    respuesta = cliente.get(url)
    return [m for p in respuesta.context["partidas"] for _c, m in p.precio.mercado.cotizaciones]


def test_un_ente_renombrado_como_el_proveedor_se_ve_en_la_siguiente_visita(en_estrategica, como):
    cliente = como("estrategico")
    url = detalle(en_estrategica)
    assert _motivos(cliente, url) == ["", ""]
    ente = Ente.objects.exclude(pk=en_estrategica.ente_id).order_by("pk").first()
    entes.ente_renombrar(ente=ente, nombre=f"{PROVEEDOR[:-1]} 0.", por=usuario("admin"))
    assert sorted(_motivos(cliente, url)) == ["", str(reglas.MOTIVO_ENTE)]
