"""Issue 64, item 2: a request's page keeps its heaviest fragments (the items' table, the
strategic decision's fields, the attachments) once per version of the data. What a person
reads is the same page: byte for byte the page rendered with no cache at all, and a change
made since (through a door, or by the daily run of the references, which writes no event) is
on the next visit; a form sent back with its errors is never the kept one."""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from dictamenes.models import MotivoRechazo, ReferenciaPrecio
from dictamenes.tramite.services import decisiones
from dictamenes.tramite.services.motivos import motivo_guardar
from tests.dictamenes import flujo_utils as fu
from tests.dictamenes.tramite.test_precio_revisor import _cotizacion, _por_area, _referencia
from tests.guardadas import SIN_CACHE, sin_csrf

pytestmark = pytest.mark.django_db

DECISION = "solicitudes/_decision_partidas.html"
OPINIONES = "solicitudes/_opiniones_areas.html"


@pytest.fixture
def en_estrategica(demo):
    """Waiting for the strategic decision: «computo» over its reference (a reduction offered),
    with a valid quote and an expired one; «redes» with neither."""
    solicitud = fu.revisada(areas=("computo", "redes"))
    p = _por_area(solicitud)
    _referencia(p["computo"])
    _cotizacion(p["computo"], "9500")
    _cotizacion(p["computo"], "9900", vencida=True, proveedor="Sistemas Sonora, S.A.")
    return solicitud, p


def _pagina(respuesta) -> str:
    assert respuesta.status_code == 200
    return sin_csrf(respuesta.content.decode())


def _plantillas(respuesta) -> set[str]:
    return {t.name for t in respuesta.templates}


@pytest.mark.parametrize("username", ["estrategico", "revisor.computo", "requirente.sh"])
def test_la_pagina_con_sus_fragmentos_guardados_es_la_de_sin_cache(en_estrategica, como, username):
    solicitud, _p = en_estrategica
    cliente = como(username)
    with override_settings(CACHES=SIN_CACHE):
        sin_cache = _pagina(cliente.get(fu.detalle(solicitud)))
    primera = cliente.get(fu.detalle(solicitud))
    segunda = cliente.get(fu.detalle(solicitud))
    # The second visit is served from the kept fragments: the items' rows are not rendered.
    assert "solicitudes/_partidas_filas.html" in _plantillas(primera)
    assert "solicitudes/_partidas_filas.html" not in _plantillas(segunda)
    assert _pagina(primera) == _pagina(segunda) == sin_cache
    if username == "estrategico":
        for fragmento in (DECISION, OPINIONES):
            assert fragmento in _plantillas(primera) and fragmento not in _plantillas(segunda)
        assert "Lo que opinaron las áreas" in sin_cache
        assert "Reducir a la referencia ($7,000.00 por pieza)" in sin_cache


def test_un_motivo_cambiado_en_el_catalogo_se_ve_en_la_siguiente_visita(en_estrategica, como):
    solicitud, _p = en_estrategica
    cliente = como("estrategico")
    antes = _pagina(cliente.get(fu.detalle(solicitud)))
    assert re.search(
        r'value="duplicidad" id="[^"]+">\s*Duplica bienes o servicios existentes<', antes
    )
    motivo = MotivoRechazo.objects.get(clave="duplicidad")
    motivo_guardar(
        datos={"nombre": "Duplica lo que ya tiene", "descripcion": motivo.descripcion,
               "orden": motivo.orden, "activo": True},
        por=fu.usuario("admin"),
        motivo_cambio="Más claro",
        motivo=motivo,
    )  # fmt: skip
    despues = _pagina(cliente.get(fu.detalle(solicitud)))
    assert re.search(r'value="duplicidad" id="[^"]+">\s*Duplica lo que ya tiene<', despues)
    assert "Duplica bienes o servicios existentes" not in despues


def test_la_referencia_del_dia_se_ve_aunque_su_calculo_no_escriba_evento(demo, como):
    solicitud = fu.revisada(areas=("computo",))
    partida = _por_area(solicitud)["computo"]
    ayer = timezone.localdate() - datetime.timedelta(days=1)
    referencia = _referencia(partida)
    ReferenciaPrecio.objects.filter(pk=referencia.pk).update(calculada_el=ayer)
    cliente = como("revisor.computo")
    assert "mediana $7,000.00" in _pagina(cliente.get(fu.detalle(solicitud)))
    # The daily run (manage.py precios_recalcular) moves the window and writes no event.
    ReferenciaPrecio.objects.filter(pk=referencia.pk).update(
        calculada_el=timezone.localdate(), mediana=Decimal("8000")
    )
    pagina = _pagina(cliente.get(fu.detalle(solicitud)))
    assert "mediana $8,000.00" in pagina and "mediana $7,000.00" not in pagina


def test_el_formulario_devuelto_muestra_lo_escrito_y_sus_errores(en_estrategica, como):
    solicitud, p = en_estrategica
    cliente = como("estrategico")
    cliente.get(fu.detalle(solicitud))  # the unsent form's fragments kept
    c, r_ = p["computo"].pk, p["redes"].pk
    datos = {
        "accion": "decidir",
        "motivos": "Procede en parte.",
        f"p{c}_resultado": "reducida",
        f"p{c}_monto": "25000",
        f"p{r_}_resultado": "aprobada",
    }
    r = cliente.post(reverse("solicitudes:estrategica", args=[solicitud.pk]), datos)
    assert r.status_code == 400
    pagina = r.content.decode()
    monto = decisiones.ERROR_MONTO_REDUCIDO % {
        "partida": "Partida de computo",
        "importe": "$20,000.00",
    }
    assert f'<span class="error" id="id_p{c}_monto_error">{monto}</span>' in pagina
    assert f'name="p{c}_monto" value="25000"' in pagina
    assert "Procede en parte.</textarea>" in pagina
    # «Reducir a la referencia» answers with the form again, that item's fields set.
    r = cliente.post(
        reverse("solicitudes:estrategica", args=[solicitud.pk]),
        {"accion": "decidir", "motivos": "Tecleado por la persona", "reducir": str(c)},
    )
    assert r.status_code == 200
    pagina = r.content.decode()
    assert f'value="reducida" id="id_p{c}_resultado_1" checked' in pagina
    assert "Tecleado por la persona</textarea>" in pagina


def test_las_partidas_llevan_a_su_formulario_solo_a_quien_puede_editarlas(demo, como):
    solicitud = fu.borrador(areas=("computo",))
    partida = solicitud.partidas.get()
    enlace = f'<a href="{reverse("solicitudes:partida", args=[solicitud.pk, partida.pk])}">'
    assert enlace in _pagina(como("requirente.sh").get(fu.detalle(solicitud)))
    # The same version of the data, seen by who may not edit it.
    pagina = _pagina(como("auditor").get(fu.detalle(solicitud)))
    assert '<th scope="row">Partida de computo</th>' in pagina and enlace not in pagina
