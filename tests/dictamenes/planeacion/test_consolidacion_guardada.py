"""Issue 64: the strategic decision's «Oportunidad de consolidación» is kept per version of the
data (read with the page's events) and only until the first request it counted leaves the
window. What the strategic reviewer reads is what it was: another agency's request presented
since is on the next visit, and a consolidation whose requests left the window is gone at
that minute, not at the next change or at midnight."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from tests.dictamenes import flujo_utils as fu

pytestmark = pytest.mark.django_db

OPORTUNIDAD = "Oportunidad de consolidación: RC, SH solicitan"


def _decision(cliente, solicitud) -> str:
    respuesta = cliente.get(fu.detalle(solicitud))
    assert respuesta.status_code == 200
    pagina = respuesta.content.decode()
    assert 'name="accion" value="decidir"' in pagina  # the strategic decision's form
    return pagina


def test_otra_solicitud_presentada_se_ve_en_la_siguiente_visita(demo, como):
    solicitud = fu.revisada(areas=("redes",), titulo="Switches SH")
    cliente = como("estrategico")
    assert OPORTUNIDAD not in _decision(cliente, solicitud)
    assert OPORTUNIDAD not in _decision(cliente, solicitud)  # the answer is kept
    fu.presentada(areas=("redes",), requirente="requirente.rc", titulo="Switches RC")
    assert OPORTUNIDAD in _decision(cliente, solicitud)


def test_la_consolidacion_se_va_cuando_sus_solicitudes_salen_de_la_ventana(demo, como):
    # Presented at noon: the window closes at noon too, on a day the page's date is the same
    # before and after.
    presentadas = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(12))
    )
    with time_machine.travel(presentadas, tick=False):
        solicitud = fu.revisada(areas=("redes",), titulo="Switches SH")
        fu.presentada(areas=("redes",), requirente="requirente.rc", titulo="Switches RC")
    sale = presentadas + datetime.timedelta(days=settings.DICTAMENES_VENTANA_CONSOLIDACION_DIAS)
    with time_machine.travel(sale - datetime.timedelta(minutes=30), tick=False):
        assert OPORTUNIDAD in _decision(como("estrategico"), solicitud)
    with time_machine.travel(sale + datetime.timedelta(minutes=1), tick=False):
        assert OPORTUNIDAD not in _decision(como("estrategico"), solicitud)


def test_los_avisos_se_pintan_una_vez_por_lo_que_dicen(demo, como):
    """The notices are rendered once for what they say (their content is the key): the same
    again is not rendered, and one that changes shows on the next visit."""
    solicitud = fu.revisada(areas=("redes",), titulo="Switches SH")
    fu.presentada(areas=("redes",), requirente="requirente.rc", titulo="Switches RC")
    cliente = como("estrategico")

    def visita():
        respuesta = cliente.get(fu.detalle(solicitud))
        html = respuesta.content.decode()
        avisos = re.findall(r'<p class="aviso" role="note">Oportunidad[^<]*', html)
        return avisos, "solicitudes/_consolidacion.html" in {t.name for t in respuesta.templates}

    avisos, pintados = visita()
    assert len(avisos) == 1 and OPORTUNIDAD in avisos[0] and pintados
    assert visita() == (avisos, False)
    # Another request of the same agency: more units in the same consolidation.
    fu.presentada(areas=("redes",), requirente="requirente.rc", titulo="Más switches RC")
    otros, pintados = visita()
    assert len(otros) == 1 and otros != avisos and pintados


def test_la_consolidacion_se_va_cuando_sale_la_primera_de_sus_solicitudes(demo, como):
    # RC presents on the window's first day, SH ten days later: the consolidation is kept
    # until RC's request leaves the window, not SH's (the first presentation among those read).
    primera = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(12))
    )
    with time_machine.travel(primera, tick=False):
        fu.presentada(areas=("redes",), requirente="requirente.rc", titulo="Switches RC")
    with time_machine.travel(primera + datetime.timedelta(days=10), tick=False):
        solicitud = fu.revisada(areas=("redes",), titulo="Switches SH")
    sale = primera + datetime.timedelta(days=settings.DICTAMENES_VENTANA_CONSOLIDACION_DIAS)
    with time_machine.travel(sale - datetime.timedelta(minutes=30), tick=False):
        assert OPORTUNIDAD in _decision(como("estrategico"), solicitud)
    with time_machine.travel(sale + datetime.timedelta(minutes=1), tick=False):
        assert OPORTUNIDAD not in _decision(como("estrategico"), solicitud)
