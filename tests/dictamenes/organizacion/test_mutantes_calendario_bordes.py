"""Three mutants of calendario.py that survived both runs of 2026-11-29 (issue 92, item 3):
zero business days from a weekend, and what the two errors say to whoever calls with a wrong
date (the programmer reading a traceback from a page)."""

from datetime import date, datetime

import pytest

from dictamenes.organizacion.selectors.calendario import Calendario

ENERO = Calendario({}, periodo=(date(2026, 1, 1), date(2026, 1, 31)))


@pytest.mark.parametrize(
    ("desde", "habil"),
    [
        (date(2026, 1, 3), date(2026, 1, 5)),  # Saturday → Monday
        (date(2026, 1, 4), date(2026, 1, 5)),  # Sunday → Monday, not Tuesday
        (date(2026, 1, 7), date(2026, 1, 7)),  # a Wednesday is its own
    ],
)
def test_cero_dias_habiles_desde_un_dia_inhabil_es_el_siguiente_habil(desde, habil):
    assert ENERO.sumar(desde, 0) == habil


def test_una_fecha_fuera_del_periodo_dice_el_periodo_entero():
    with pytest.raises(ValueError, match=r"\(2026-01-01 a 2026-01-31\)"):
        ENERO.es_habil(date(2026, 2, 2))


def test_una_fecha_con_hora_dice_que_es_datetime():
    with pytest.raises(TypeError, match=r"no datetime$"):
        ENERO.es_habil(datetime(2026, 1, 5, 10, 0))
