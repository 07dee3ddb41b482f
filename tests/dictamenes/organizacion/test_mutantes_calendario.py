"""The first and the last day of a calendar's loaded period are inside it (issue 79, item 5:
a mutant that refused the first day survived, because Calendario.cargar pads by two years),
and the declared days a page shows are read again after PARA_MOSTRAR_S."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.cache.backends import locmem

from dictamenes.models import DiaInhabil
from dictamenes.organizacion.selectors.calendario import PARA_MOSTRAR_S, Calendario


def test_el_primer_y_el_ultimo_dia_del_periodo_cargado_se_pueden_consultar():
    calendario = Calendario({}, periodo=(date(2026, 1, 5), date(2026, 1, 9)))
    # Monday 5 to Friday 9 January 2026: both ends are business days of the period.
    assert calendario.es_habil(date(2026, 1, 5)) and calendario.es_habil(date(2026, 1, 9))
    assert calendario.habiles_entre(date(2026, 1, 5), date(2026, 1, 9)) == 4
    with pytest.raises(ValueError, match="fuera del periodo cargado"):
        calendario.es_habil(date(2026, 1, 4))
    with pytest.raises(ValueError, match="fuera del periodo cargado"):
        calendario.es_habil(date(2026, 1, 10))


@pytest.mark.django_db
def test_con_una_cache_por_proceso_un_dia_declarado_en_otro_se_ve_a_los_cinco_minutos(
    monkeypatch, settings
):
    """A worker with its own cache (locmem is allowed in production, CACHES_NO_COMPARTIDAS)
    does not hear of a day declared on another worker: its inbox shows the declared days it
    read for PARA_MOSTRAR_S seconds, and then reads them again, whatever the cache's own
    default timeout (here None, never expire: DJANGO_CACHE_URL may say so). A mutant that left
    the timeout to the cache's default survived while the default was Django's 300 s."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "una-por-proceso",
            "TIMEOUT": None,
        }
    }
    # A locmem cache lives as long as the process, by its LOCATION: empty it, or a run before
    # this one in the same process (mutmut runs pytest several times in one) would answer.
    cache.clear()
    ahora = [1_000_000.0]
    monkeypatch.setattr(locmem.time, "time", lambda: ahora[0])
    diciembre = (date(2026, 12, 1), date(2026, 12, 31))
    assert (
        Calendario.cargar(*diciembre, para_mostrar=True).motivo_inhabil(date(2026, 12, 24)) is None
    )
    # Declared by another worker: this one's cache is not emptied (no signal reaches it).
    DiaInhabil.objects.bulk_create([DiaInhabil(fecha=date(2026, 12, 24), descripcion="Asueto")])
    ahora[0] += PARA_MOSTRAR_S - 1
    assert (
        Calendario.cargar(*diciembre, para_mostrar=True).motivo_inhabil(date(2026, 12, 24)) is None
    )
    ahora[0] += 1.5
    assert Calendario.cargar(*diciembre, para_mostrar=True).motivo_inhabil(date(2026, 12, 24)) == (
        "Asueto"
    )


@pytest.mark.django_db
def test_sumar_dias_habiles_carga_el_calendario_que_necesita_sea_cual_sea_el_plazo():
    """sumar_dias_habiles loads the calendar itself when it is not given one: zero days (the
    next business day, or the same one) and a term of years (800 business days, beyond the
    loaded period's two-year margin) both get an answer, the one the whole calendar gives."""
    from dictamenes.organizacion.selectors.calendario import sumar_dias_habiles

    sabado = date(2026, 3, 7)
    assert sumar_dias_habiles(desde=sabado, dias=0) == date(2026, 3, 9)
    assert sumar_dias_habiles(desde=date(2026, 3, 9), dias=0) == date(2026, 3, 9)
    lejos = sumar_dias_habiles(desde=sabado, dias=800)
    todo = Calendario.cargar(sabado, date(2031, 12, 31))
    assert lejos == todo.sumar(sabado, 800)
    assert todo.habiles_entre(sabado, lejos) == 800


def test_sumar_cuenta_cada_dia_habil_sin_saltarse_ninguno():
    # Monday 5 January 2026 plus three business days is Thursday 8; plus five, Monday 12.
    calendario = Calendario({}, periodo=(date(2026, 1, 1), date(2026, 12, 31)))
    assert calendario.sumar(date(2026, 1, 5), 3) == date(2026, 1, 8)
    assert calendario.sumar(date(2026, 1, 5), 5) == date(2026, 1, 12)


def test_el_vencimiento_usa_el_calendario_que_se_le_da():
    # With the calendar given (a page that works out many deadlines loads it once), the
    # deadline is read from it, without going to the database (this test has none): three
    # business days after Monday 5 January 2026, at the end of Thursday 8, local time.
    from datetime import datetime, time

    from django.utils import timezone

    from dictamenes.organizacion.selectors.calendario import vencimiento

    calendario = Calendario({}, periodo=(date(2026, 1, 1), date(2026, 12, 31)))
    zona = timezone.get_default_timezone()
    lunes = timezone.make_aware(datetime(2026, 1, 5, 10, 0), zona)
    fin = vencimiento(desde=lunes, dias=3, calendario=calendario)
    assert fin == timezone.make_aware(datetime.combine(date(2026, 1, 8), time.max), zona)
