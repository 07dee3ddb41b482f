"""The deadlines' traffic light at its exact edges (issue 92, item 4): at `ahora == vence`
the step is still in time (amber), one second later it is overdue (red), one second before
it is amber; the same instants for the business days left. And the generation of the
declared days a page reads from the cache: it never expires and goes up by one per change,
so a day declared minutes after the first change still shows on the next page."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.cache.backends import locmem

from dictamenes.models import DiaInhabil
from dictamenes.organizacion.selectors import calendario
from dictamenes.organizacion.selectors.calendario import Calendario, dias_restantes, semaforo

pytestmark = pytest.mark.django_db

HERMOSILLO = ZoneInfo("America/Hermosillo")
UN_SEGUNDO = timedelta(seconds=1)

# Friday 20 March 2026, as vencimiento() writes a due date: the end of the business day.
VENCE_FIN_DEL_DIA = datetime(2026, 3, 20, 23, 59, 59, 999999, tzinfo=HERMOSILLO)
# A due date in the middle of a business day (Wednesday 18 March 2026, noon).
VENCE_A_MEDIODIA = datetime(2026, 3, 18, 12, 0, 0, tzinfo=HERMOSILLO)


@pytest.mark.parametrize("vence", [VENCE_FIN_DEL_DIA, VENCE_A_MEDIODIA])
def test_el_semaforo_en_el_instante_del_vencimiento_y_un_segundo_a_cada_lado(vence):
    assert semaforo(vence=vence, ahora=vence - UN_SEGUNDO) == "amarillo"
    assert semaforo(vence=vence, ahora=vence) == "amarillo"
    assert semaforo(vence=vence, ahora=vence + UN_SEGUNDO) == "rojo"


@pytest.mark.parametrize("vence", [VENCE_FIN_DEL_DIA, VENCE_A_MEDIODIA])
def test_el_semaforo_sin_ahora_lee_el_reloj_en_el_vencimiento_y_a_un_segundo(vence):
    for instante, color in (
        (vence - UN_SEGUNDO, "amarillo"),
        (vence, "amarillo"),
        (vence + UN_SEGUNDO, "rojo"),
    ):
        with time_machine.travel(instante, tick=False):
            assert semaforo(vence=vence) == color, instante


def test_los_dias_restantes_en_el_instante_del_vencimiento_y_un_segundo_despues():
    # Due on the day itself: 0 left, up to the very instant; one second later it is one
    # business day late (on Saturday 21 at 00:00:00.999999, or at 12:00:01 on the same day).
    for vence in (VENCE_FIN_DEL_DIA, VENCE_A_MEDIODIA):
        assert dias_restantes(vence=vence, ahora=vence - UN_SEGUNDO) == 0
        assert dias_restantes(vence=vence, ahora=vence) == 0
        assert dias_restantes(vence=vence, ahora=vence + UN_SEGUNDO) == -1
        with time_machine.travel(vence, tick=False):
            assert dias_restantes(vence=vence) == 0


# --- The generation of the declared days (cache_vaciar) -----------------------------------


@pytest.fixture
def reloj(monkeypatch, settings):
    """A cache of this process with Django's default timeout (300 s) and a clock to move."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "umbrales-generacion",
        }
    }
    cache.clear()
    ahora = [2_000_000.0]
    monkeypatch.setattr(locmem.time, "time", lambda: ahora[0])
    yield ahora
    cache.clear()


DICIEMBRE = (date(2026, 12, 1), date(2026, 12, 31))


def declarados():
    calendario_ = Calendario.cargar(*DICIEMBRE, para_mostrar=True)
    return {d for d in (date(2026, 12, 22), date(2026, 12, 23)) if calendario_.motivo_inhabil(d)}


def test_cada_cambio_sube_la_generacion_en_uno_desde_una_cache_vacia(reloj):
    assert cache.get(calendario._GENERACION) is None
    calendario.cache_vaciar()
    assert cache.get(calendario._GENERACION) == 1
    calendario.cache_vaciar()
    assert cache.get(calendario._GENERACION) == 2
    # Once a page has read it (0, the first generation), a change makes it 1.
    cache.clear()
    declarados()
    assert cache.get(calendario._GENERACION) == 0
    calendario.cache_vaciar()
    assert cache.get(calendario._GENERACION) == 1


def test_la_generacion_no_caduca(reloj):
    calendario.cache_vaciar()
    reloj[0] += 10 * 365 * 24 * 3600  # ten years, far past any default timeout
    assert cache.get(calendario._GENERACION) == 1


def test_un_dia_declarado_minutos_despues_del_primero_se_ve_en_la_pagina_siguiente(reloj):
    """t=0: a first day declared (the cache had no generation); t=299: a page keeps what it
    read; t=301: another page; t=302: a second day declared; t=303: the next page shows it.
    A generation that expired at t=300 would have come back as 0 and then as 1 again, and
    the page at t=303 would read the copy of t=299, without the second day."""
    DiaInhabil.objects.create(fecha=date(2026, 12, 22), descripcion="Asueto uno")
    reloj[0] += 299
    assert declarados() == {date(2026, 12, 22)}
    reloj[0] += 2
    assert declarados() == {date(2026, 12, 22)}
    reloj[0] += 1
    DiaInhabil.objects.create(fecha=date(2026, 12, 23), descripcion="Asueto dos")
    reloj[0] += 1
    assert declarados() == {date(2026, 12, 22), date(2026, 12, 23)}


def test_una_generacion_leida_por_una_pagina_tampoco_caduca(reloj):
    """The page that finds no generation writes 0; a day declared later makes it 1. If that
    0 expired with the cache's default timeout, the generation would go back to 0 and a page
    would read a copy kept under 0 before the day was declared."""
    # t=0: a page of another span writes generation 0; t=250: a page of December keeps 0.
    Calendario.cargar(date(2025, 1, 1), date(2025, 1, 31), para_mostrar=True)
    reloj[0] += 250
    assert declarados() == set()
    # t=260: a day declared; t=301 and t=400: the pages show it.
    reloj[0] += 10
    DiaInhabil.objects.create(fecha=date(2026, 12, 22), descripcion="Asueto")
    for segundos in (41, 99):
        reloj[0] += segundos
        assert declarados() == {date(2026, 12, 22)}, reloj[0]
