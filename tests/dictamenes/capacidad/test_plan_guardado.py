"""The capacity plan is kept in the database (issue 64, item 5): after a restart (the cache
empty) the page reads the plan computed before instead of running its simulation again (tens
of runs: seconds at the scale of the office), and a change that moves the plan's key computes
and keeps the new plan, which the page then shows. A what-if is never kept.

And «Capacidad para el cierre» is rendered once per plan computed (issue 64, item 2): the kept
page is the page rendered with no cache at all (but for the time the simulation took, which
it states), and a what-if is never the kept page. (Those two tests were test_pagina_guardada.py,
which built the same history and plan for itself: conftest.py.)"""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import Ausencia, PlanGuardado
from dictamenes.simulacion.services import motor
from tests.dictamenes.capacidad.cierre import sin_el_cierre
from tests.dictamenes.capacidad.test_pagina import HOY, URL, _a
from tests.dictamenes.flujo_utils import usuario
from tests.guardadas import SIN_CACHE, sin_csrf

pytestmark = pytest.mark.django_db
CONTENIDO = "capacidad/_cierre_contenido.html"
TIEMPO = r"La simulación del plan tomó [\d.]+ s\."


def _texto(respuesta) -> str:
    assert respuesta.status_code == 200
    return sin_csrf(respuesta.content.decode())


@pytest.fixture
def corridas(monkeypatch) -> list:
    """Each run of the simulation the page makes."""
    hechas, simular = [], motor.simular

    def contar(*args, **kwargs):
        hechas.append(kwargs.get("semilla"))
        return simular(*args, **kwargs)

    monkeypatch.setattr(motor, "simular", contar)
    return hechas


def _desde_cero(client) -> str:
    """The page as a first computation shows it: no cache and no kept plan."""
    PlanGuardado.objects.all().delete()
    with override_settings(CACHES=SIN_CACHE):
        return _texto(client.get(URL))


def test_tras_reiniciar_la_pagina_lee_el_plan_guardado_sin_simular(
    con_historia_y_plan,
    client,
    corridas,
):
    client.force_login(usuario("estrategico"))
    PlanGuardado.objects.all().delete()  # none kept yet (the module's: test_pagina.py)
    with _a(HOY):
        antes = _texto(client.get(URL))
        assert corridas  # the first visit computes it
        assert PlanGuardado.objects.count() == 1
        corridas.clear()
        cache.clear()  # a restart: every server's cache empty
        despues = _texto(client.get(URL))
    assert corridas == []
    assert despues == antes
    assert "La simulación del plan tomó" in despues


def test_un_cambio_calcula_y_guarda_el_plan_nuevo_que_la_pagina_muestra(
    con_historia_y_plan,
    client,
    corridas,
):
    client.force_login(usuario("estrategico"))
    with _a(HOY):
        antes = _texto(client.get(URL))  # the module's kept plan
        clave = PlanGuardado.objects.get().clave
        # A change of capacity: the administrator cancels the December absences of the
        # cómputo and software reviewers (plan_del_modulo's rush), and their areas' capacity
        # rises. (It was two more reviewers away: a plan with a larger rush, whose search of
        # the recommendation ran twice here, for the page and for the oracle; what this test
        # checks, that the change computes, keeps and shows a new plan, is the same.)
        sin_el_cierre()
        cache.clear()
        corridas.clear()
        nuevo = _texto(client.get(URL))
        assert corridas  # computed again, not read from the kept plan
        guardado = PlanGuardado.objects.get()  # the new one, in place of the one before
        assert guardado.clave != clave
        sin_nada = _desde_cero(client)
    assert nuevo != antes
    # The oracle: what a computation with no cache and no kept plan shows (but the time
    # the simulation took, which each computation states).
    assert re.sub(TIEMPO, "", nuevo) == re.sub(TIEMPO, "", sin_nada)


def test_una_prueba_no_se_guarda(con_historia_y_plan, client):
    client.force_login(usuario("estrategico"))
    with _a(HOY):
        client.get(URL)
        clave = PlanGuardado.objects.get().clave
        cache.clear()
        assert client.get(URL, {"recomendado": "on"}).status_code == 200
    assert list(PlanGuardado.objects.values_list("clave", flat=True)) == [clave]


def test_el_plan_guardado_no_viaja_en_el_respaldo():
    """Restored data computes its own plan: a kept one is not part of the backup."""
    from dictamenes.operacion.services import respaldo

    respaldados = respaldo.modelos_respaldados()
    assert PlanGuardado not in respaldados
    assert Ausencia in respaldados  # the capacity's data does


def test_el_temporizador_deja_el_plan_de_la_hora_y_la_pagina_no_simula(
    con_historia_y_plan,
    client,
    corridas,
    capsys,
):
    """manage.py capacidad_calcular (each hour, at its start) keeps the plan: the first
    visit of the hour reads it, even on a server that just started. (Without the module's
    December rush: the timer keeps whatever plan it computes, and the rush's search of a
    reinforcement was most of this test's time; test_tras_reiniciar_… keeps the rush's.)"""
    sin_el_cierre()
    PlanGuardado.objects.all().delete()  # none kept yet (the module's: test_pagina.py)
    with _a(HOY):
        call_command("capacidad_calcular")
        assert corridas
        salida = capsys.readouterr().out
        corridas.clear()
        cache.clear()
        client.force_login(usuario("estrategico"))
        pagina = _texto(client.get(URL))
    assert corridas == []
    assert salida.startswith(f"Plan de capacidad de {HOY.year} al {HOY:%d/%m/%Y}: ")
    assert "Capacidad para el cierre" in pagina


def _sin_tiempo(respuesta) -> str:
    return re.sub(TIEMPO, "", _texto(respuesta))


def test_la_pagina_guardada_es_la_de_sin_cache_y_la_prueba_no(con_historia_y_plan, client):
    client.force_login(usuario("estrategico"))
    with _a(HOY):
        with override_settings(CACHES=SIN_CACHE):
            sin_cache = client.get(URL)
        primera, segunda = client.get(URL), client.get(URL)
        assert CONTENIDO in {t.name for t in primera.templates}
        assert CONTENIDO not in {t.name for t in segunda.templates}
        assert _sin_tiempo(primera) == _sin_tiempo(segunda) == _sin_tiempo(sin_cache)
        assert "La simulación del plan tomó" in primera.content.decode()
        # A what-if: the plan with the trial beside it, not the kept page.
        prueba = client.get(URL, {"recomendado": "on"})
        assert CONTENIDO in {t.name for t in prueba.templates}
        assert _sin_tiempo(prueba) != _sin_tiempo(segunda)


def test_un_plan_nuevo_se_dibuja_de_nuevo(con_historia_y_plan, client):
    client.force_login(usuario("estrategico"))
    with _a(HOY):
        client.get(URL)
        # Something about no request (a setting, an absence) moves the plan's version.
        with transaction.atomic():
            evento_registrar(tipo="prueba", descripcion="Cambio sin solicitud")
        otra = client.get(URL)
    assert CONTENIDO in {t.name for t in otra.templates}
