"""The header's «Ayuda» on a request's page without a dictamen in force takes the request's
situation from what the page already read (its state and its questions to the agency), not
from a query of its own (issue 92, item 6); with a dictamen in force, the contracts and
conditions that hang on it are read as before. Every situation's link, for every role, is
tests/docs/test_ayuda.py's."""

import re

import pytest

from config import ayuda
from dictamenes.roles import Rol
from tests.dictamenes import flujo_utils as fu
from tests.dictamenes.tramite.test_fragmentos import en_estrategica  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _leidas(monkeypatch) -> list:
    leidas = []
    original = ayuda.situacion_de

    def situacion_de(pk):
        leidas.append(pk)
        return original(pk)

    monkeypatch.setattr(ayuda, "situacion_de", situacion_de)
    return leidas


def _ayuda(respuesta) -> str:
    assert respuesta.status_code == 200
    encabezado = respuesta.content.decode().partition("<main")[0]
    return re.search(r'<a class="encabezado__ayuda" href="([^"]+)" rel="help">', encabezado)[1]


def test_la_decision_no_lee_su_situacion_aparte(en_estrategica, como, monkeypatch):  # noqa: F811
    solicitud, _p = en_estrategica
    leidas = _leidas(monkeypatch)
    enlace = _ayuda(como("estrategico").get(fu.detalle(solicitud)))
    assert leidas == []
    assert enlace == "/manual/manual/revisor-estrategico/#decidir-cada-partida"
    # The link the query's situation gives.
    assert ayuda.situacion_de(solicitud.pk) == "revision_estrategica"
    assert enlace == ayuda.url_del_manual(
        ayuda.destino(ayuda.DETALLE, [Rol.REVISOR_ESTRATEGICO], "revision_estrategica")
    )


def test_con_un_dictamen_vigente_la_situacion_se_lee(demo, como, monkeypatch):
    solicitud = fu.en_firma()
    fu.firmar(solicitud)
    leidas = _leidas(monkeypatch)
    _ayuda(como("requirente.sh").get(fu.detalle(solicitud)))
    assert leidas == [solicitud.pk]
