"""Each item's price line is drawn once per visit that draws it (issue 92, item 6): the
request's page prints it in the items' table and in the strategic decision, both drawn again
after each change of the data; the same markup in both places, and none drawn while both
fragments are kept."""

import re

import pytest

from dictamenes.expediente import precio_linea
from tests.dictamenes import flujo_utils as fu
from tests.dictamenes.tramite.test_fragmentos import en_estrategica  # noqa: F401 (fixture)
from tests.guardadas import sin_csrf

pytestmark = pytest.mark.django_db


def test_la_linea_de_precio_de_cada_partida_se_dibuja_una_vez(en_estrategica, como, monkeypatch):  # noqa: F811
    # The page draws each line with expediente.precio_linea (what _precio_partida.html draws).
    dibujadas = []
    dibujar = precio_linea.dibujar
    monkeypatch.setattr(
        precio_linea, "dibujar", lambda p, *a, **k: dibujadas.append(p.pk) or dibujar(p, *a, **k)
    )
    solicitud, p = en_estrategica
    cliente = como("estrategico")
    primera = cliente.get(fu.detalle(solicitud))
    assert primera.status_code == 200
    assert sorted(dibujadas) == sorted(partida.pk for partida in p.values())
    assert len(p) == 2
    pagina = sin_csrf(primera.content.decode())
    for partida in p.values():
        lineas = re.findall(
            rf'<div class="precio-partida" data-partida="{partida.pk}">.*?\n</div>', pagina, re.S
        )
        # In the items' table and in the decision, the same line.
        assert len(lineas) == 2 and lineas[0] == lineas[1]
    assert "Reducir a la referencia ($7,000.00 por pieza)" in pagina
    dibujadas.clear()
    assert cliente.get(fu.detalle(solicitud)).status_code == 200
    assert dibujadas == []
