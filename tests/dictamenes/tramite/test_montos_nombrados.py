"""One meaning for «monto estimado» (issue 78, item 5): a draft's header said «MONTO ESTIMADO
$1,000,000.00» (the figure the agency typed) while the fast-track box said «su monto
estimado, $0.00» (the sum of its items). The declared total and the items' sum are named
apart wherever a person reads them: the header shows both, the track's reasons speak of the
sum, and the acuse of a presented request says which figure it gives."""

import re
from decimal import Decimal

import pytest
from django.utils.html import strip_tags

from dictamenes.models import Solicitud
from tests.dictamenes.flujo_utils import borrador, detalle

pytestmark = pytest.mark.django_db


def _texto(pagina: str) -> str:
    # Each tag read as a space: a <dt> and its <dd> are adjacent in the markup.
    return re.sub(r"\s+", " ", strip_tags(re.sub(r"<", " <", pagina)))


def _declarar(solicitud, monto):
    Solicitud.objects.filter(pk=solicitud.pk).update(monto_estimado=Decimal(monto))


@pytest.mark.parametrize(
    ("areas", "suma"),
    [((), "$0.00"), (("computo", "redes"), "$40,000.00")],
    ids=["sin-partidas", "con-otras-partidas"],
)
def test_el_borrador_nombra_aparte_el_monto_declarado_y_la_suma_de_sus_partidas(
    demo, como, areas, suma
):
    solicitud = borrador(areas=areas)
    _declarar(solicitud, "1000000")
    texto = _texto(como("requirente.sh").get(detalle(solicitud)).content.decode())
    assert "Monto total declarado $1,000,000.00" in texto
    assert f"Suma de las partidas {suma}" in texto
    # The track box names the figure it compares: the sum, never «monto estimado».
    assert f"la suma de sus partidas, {suma}, es menor al umbral de $500,000.00" in texto
    assert "monto estimado" not in texto.lower()
