"""The first and the last day of a calendar's loaded period are inside it (issue 79, item 5:
a mutant that refused the first day survived, because Calendario.cargar pads by two years)."""

from datetime import date

import pytest

from dictamenes.organizacion.selectors.calendario import Calendario


def test_el_primer_y_el_ultimo_dia_del_periodo_cargado_se_pueden_consultar():
    calendario = Calendario({}, periodo=(date(2026, 1, 5), date(2026, 1, 9)))
    # Monday 5 to Friday 9 January 2026: both ends are business days of the period.
    assert calendario.es_habil(date(2026, 1, 5)) and calendario.es_habil(date(2026, 1, 9))
    assert calendario.habiles_entre(date(2026, 1, 5), date(2026, 1, 9)) == 4
    with pytest.raises(ValueError, match="fuera del periodo cargado"):
        calendario.es_habil(date(2026, 1, 4))
    with pytest.raises(ValueError, match="fuera del periodo cargado"):
        calendario.es_habil(date(2026, 1, 10))
