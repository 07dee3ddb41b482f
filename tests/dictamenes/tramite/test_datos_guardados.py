"""Issue 64, item 3: a request's own rows (its items with their opinions and declarations,
its questions to the agency, its dictámenes with their contracts) are read once per version
of the data and kept for every reader of its page. The page served from them is the page
computed afresh, and a change through a door is on the next visit."""

from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from dictamenes.models import Area, ConfiguracionVias
from dictamenes.seguimiento.services.contratos import contrato_registrar
from dictamenes.tramite.services import etapas, solicitudes
from tests.dictamenes import flujo_utils as fu
from tests.dictamenes.tramite.test_fragmentos import en_estrategica  # noqa: F401, F811
from tests.dictamenes.tramite.test_vias_config import guardar
from tests.guardadas import SIN_CACHE, sin_csrf

pytestmark = pytest.mark.django_db


def _pagina(cliente, solicitud) -> str:
    respuesta = cliente.get(fu.detalle(solicitud))
    assert respuesta.status_code == 200
    return sin_csrf(respuesta.content.decode())


@pytest.mark.parametrize("username", ["requirente.sh", "firmante", "auditor", "estrategico"])
def test_la_pagina_de_un_dictamen_con_contrato_es_la_de_sin_cache(demo, como, username):
    dictamen = fu.firmar(fu.en_firma(areas=("computo", "redes")))
    contrato_registrar(
        dictamen=dictamen,
        usuario=fu.usuario("requirente.sh"),
        numero="CT-2026-014",
        proveedor="Cómputo del Desierto, S.A. de C.V.",
        fecha=timezone.localdate(),
        monto=Decimal("15000.00"),
    )
    cliente = como(username)
    with override_settings(CACHES=SIN_CACHE):
        sin_cache = _pagina(cliente, dictamen.solicitud)
    assert _pagina(cliente, dictamen.solicitud) == sin_cache  # computed, then kept
    assert _pagina(cliente, dictamen.solicitud) == sin_cache  # served from what was kept
    if username in ("requirente.sh", "auditor"):
        assert "CT-2026-014" in sin_cache


def test_una_pregunta_al_ente_se_ve_en_la_siguiente_visita(demo, como):
    solicitud = fu.admitida()
    requirente = como("requirente.sh")
    pregunta = "<blockquote>¿Cuántas ventanillas atienden al público?</blockquote>"
    assert pregunta not in _pagina(requirente, solicitud)
    etapas.informacion_pedir(
        solicitud=solicitud,
        usuario=fu.usuario("revisor.computo"),
        area=Area.objects.get(clave="computo"),
        pregunta="¿Cuántas ventanillas atienden al público?",
    )
    # The question to answer (the history names it too, from its event).
    assert pregunta in _pagina(requirente, solicitud)


def test_una_partida_cambiada_se_ve_en_la_siguiente_visita(demo, como):
    solicitud = fu.borrador()
    requirente = como("requirente.sh")
    fila = '">{}</a></th>'  # the item's row in the items' table (the history names it too)
    assert fila.format("Partida de computo") in _pagina(requirente, solicitud)
    partida = solicitud.partidas.get()
    solicitudes.partida_guardar(
        solicitud=solicitud,
        usuario=fu.usuario("requirente.sh"),
        partida=partida,
        version=partida.version,
        datos={
            "perfil": partida.perfil,
            "descripcion": "Estaciones de trabajo para ventanillas",
            "cantidad": 3,
            "precio_unitario": Decimal("10000.00"),
            "capitulo": "5000",
            "partida_especifica": "51501",
            "especificaciones": {},
        },
    )
    pagina = _pagina(requirente, solicitud)
    assert fila.format("Estaciones de trabajo para ventanillas") in pagina
    assert fila.format("Partida de computo") not in pagina


def test_una_nueva_version_de_las_vias_se_ve_en_la_siguiente_visita(en_estrategica, como):  # noqa: F811
    """The office's configuration is kept per version of the data as well: the percentage
    over the reference that flags a price, from the version in force."""
    solicitud, _p = en_estrategica
    cliente = como("estrategico")
    actual = ConfiguracionVias.objects.vigentes().precio_senal_pct
    assert f"se señala lo que la pasa en más de {actual} %" in _pagina(cliente, solicitud)
    guardar(precio_senal_pct=actual + 5, motivo="Acuerdo de prueba")
    pagina = _pagina(cliente, solicitud)
    assert f"se señala lo que la pasa en más de {actual + 5} %" in pagina
