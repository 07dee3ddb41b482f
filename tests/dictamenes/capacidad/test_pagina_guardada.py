"""«Capacidad para el cierre» is rendered once per plan computed (issue 64, item 2): the kept
page is the page rendered with no cache at all (but for the time the simulation took, which
it states), and a what-if is never the kept page."""

import re

import pytest
from django.db import transaction
from django.test import override_settings

from dictamenes.comun.auditoria import evento_registrar
from tests.dictamenes.capacidad.test_pagina import (  # noqa: F401
    HOY,
    URL,
    _a,
    con_historia_y_plan,
    plan_del_modulo,
)
from tests.dictamenes.flujo_utils import usuario
from tests.guardadas import SIN_CACHE, sin_csrf

pytestmark = pytest.mark.django_db
CONTENIDO = "capacidad/_cierre_contenido.html"


def _texto(respuesta) -> str:
    assert respuesta.status_code == 200
    html = sin_csrf(respuesta.content.decode())
    return re.sub(r"La simulación del plan tomó [\d.]+ s\.", "", html)


def test_la_pagina_guardada_es_la_de_sin_cache_y_la_prueba_no(con_historia_y_plan, client):  # noqa: F811
    client.force_login(usuario("estrategico"))
    with _a(HOY):
        with override_settings(CACHES=SIN_CACHE):
            sin_cache = client.get(URL)
        primera, segunda = client.get(URL), client.get(URL)
        assert CONTENIDO in {t.name for t in primera.templates}
        assert CONTENIDO not in {t.name for t in segunda.templates}
        assert _texto(primera) == _texto(segunda) == _texto(sin_cache)
        assert "La simulación del plan tomó" in primera.content.decode()
        # A what-if: the plan with the trial beside it, not the kept page.
        prueba = client.get(URL, {"recomendado": "on"})
        assert CONTENIDO in {t.name for t in prueba.templates}
        assert _texto(prueba) != _texto(segunda)


def test_un_plan_nuevo_se_dibuja_de_nuevo(con_historia_y_plan, client):  # noqa: F811
    client.force_login(usuario("estrategico"))
    with _a(HOY):
        client.get(URL)
        # Something about no request (a setting, an absence) moves the plan's version.
        with transaction.atomic():
            evento_registrar(tipo="prueba", descripcion="Cambio sin solicitud")
        otra = client.get(URL)
    assert CONTENIDO in {t.name for t in otra.templates}
