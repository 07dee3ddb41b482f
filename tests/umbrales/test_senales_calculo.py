"""The signs computed from a request's rows at their exact edges (issue 92, item 4): an item
approved at exactly 25 % over its reference per unit (the office's precio_senal_pct, «más
de»), a cent each side; fewer units received than approved on the contract's last day and
the day after («only once every contract's term ended»)."""

import datetime
from decimal import Decimal

import pytest

from dictamenes.models import CodigoSenal, DecisionPartida
from dictamenes.senales import services
from tests.dictamenes.senales.test_calculo import codigos
from tests.dictamenes.senales.test_calculo_mas import contrato, dictaminada, entregar

pytestmark = pytest.mark.django_db

__all__ = ["dictaminada"]  # the fixture, imported to be used here


# Two units against a reference of $8,000.00 each: 25 % over it is $10,000.00 a unit,
# $20,000.00 for both. One cent more in all is $10,000.005 a unit, past it.
@pytest.mark.parametrize(
    ("monto", "senal"), [("19999.99", False), ("20000.00", False), ("20000.01", True)]
)
def test_aprobada_sobre_la_referencia_sin_explicacion_al_centavo(dictaminada, monto, senal):
    s = dictaminada.solicitud
    d = DecisionPartida.objects.get(partida__solicitud=s)
    assert d.cantidad_aprobada == 2
    DecisionPartida.objects.filter(pk=d.pk).update(
        referencia_unitaria=Decimal("8000.00"),
        monto_aprobado=Decimal(monto),
        base_precio={},
        texto="",
    )
    services.senales_actualizar(s)
    assert (CodigoSenal.APROBADA_SIN_MOTIVO in codigos(s)) is senal


def test_recibir_de_menos_se_senala_el_dia_siguiente_al_termino(dictaminada):
    s = dictaminada.solicitud
    partida = s.partidas.get()
    termino = datetime.date(2027, 1, 4)  # a Monday
    c = contrato(dictaminada, termino=termino)
    entregar(c, pagado="10000.00", cantidades={str(partida.pk): 1})  # 1 of the 2 approved
    for hoy, senal in (
        (termino - datetime.timedelta(days=1), False),
        (termino, False),
        (termino + datetime.timedelta(days=1), True),
    ):
        services.senales_actualizar(s, hoy=hoy)
        assert (CodigoSenal.ENTREGA_DISTINTA in codigos(s)) is senal, hoy
