"""A contract's dates against its dictamen at the exact day (issue 92, item 4): signed on the
last day of the dictamen's validity it is within it, the day after it is not; signed on the
day the dictamen was issued it is not before it, the day before it is."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from dictamenes.seguimiento.services import contratos
from tests.dictamenes.flujo_utils import en_firma, firmar, usuario
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db

dictamen_del_modulo = por_modulo(lambda: firmar(en_firma(areas=("redes",))))
UN_DIA = datetime.timedelta(days=1)


@pytest.fixture
def dictamen(demo, dictamen_del_modulo):
    return de_nuevo(dictamen_del_modulo)


def registrar(dictamen, numero, fecha):
    c = contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=usuario("requirente.sh"),
        numero=numero,
        proveedor="Cómputo del Noroeste, S.A. de C.V.",
        fecha=fecha,
        monto=Decimal("1000.00"),
    )
    return (c.fuera_de_vigencia, c.antes_del_dictamen)


def test_la_vigencia_y_la_emision_al_dia(dictamen):
    vigencia = dictamen.vigencia_hasta
    emision = timezone.localtime(dictamen.emitido_en).date()
    assert emision < vigencia - UN_DIA
    assert registrar(dictamen, "V-1", vigencia - UN_DIA) == (False, False)
    assert registrar(dictamen, "V0", vigencia) == (False, False)
    assert registrar(dictamen, "V+1", vigencia + UN_DIA) == (True, False)
    assert registrar(dictamen, "E-1", emision - UN_DIA) == (False, True)
    assert registrar(dictamen, "E0", emision) == (False, False)
    assert registrar(dictamen, "E+1", emision + UN_DIA) == (False, False)
