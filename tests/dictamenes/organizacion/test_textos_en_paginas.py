"""No institution's name lives in code (issue 35, item 4): the pages' header, the e-mails,
the verification page and the open-data catalogue say the name of the texts in force (or, for
a dictamen, of its own version); pages read it from the cache, forgotten when a new version
commits."""

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse

from dictamenes.models import Aviso
from dictamenes.organizacion.selectors.textos import (
    CLAVE_CACHE,
    textos_vigentes,
    textos_vigentes_en_cache,
)
from dictamenes.organizacion.services import textos as servicio
from dictamenes.tramite.services import cierre
from tests.dictamenes.flujo_utils import admitida, en_firma, firmar, usuario

pytestmark = pytest.mark.django_db

RAIZ = Path(__file__).resolve().parents[3]
VIEJO = "Subsecretaría de Gobierno Digital"
NUEVO = "Agencia Digital de Durango"
ENCABEZADO = f'<span class="encabezado__institucion">{NUEVO}</span>'


def guardar_durango():
    vigentes = textos_vigentes()
    datos = {c: getattr(vigentes, c) for c in servicio.CAMPOS if c != "membrete_imagen_sha256"}
    datos |= {
        "institucion": NUEVO,
        "membrete": "Gobierno del Estado de Durango\nAgencia Digital de Durango",
    }
    return servicio.textos_guardar(usuario=usuario("admin"), datos=datos)


def test_otra_institucion_se_ve_en_inicio_verificacion_correo_y_catalogo(
    demo, client, django_capture_on_commit_callbacks
):
    # The header's cache is warm with version 1's name before the change.
    assert VIEJO in client.get(reverse("inicio")).content.decode()
    assert cache.get(CLAVE_CACHE).institucion == VIEJO

    with django_capture_on_commit_callbacks(execute=True):
        guardar_durango()

    inicio = client.get(reverse("inicio")).content.decode()
    assert ENCABEZADO in inicio
    assert f"<title>Inicio · {NUEVO}</title>" in inicio
    assert f"obtiene un dictamen de la {NUEVO}." in inicio
    assert VIEJO not in inicio

    # A dictamen issued under the new version: its public page.
    dictamen = firmar(en_firma(areas=("redes",)))
    assert dictamen.textos.institucion == NUEVO
    verificacion = client.get(reverse("verificar_folio", args=[dictamen.folio])).content.decode()
    assert ENCABEZADO in verificacion
    assert VIEJO not in verificacion

    # An e-mail notice: the request's cancellation says who cancelled it.
    solicitud = admitida(titulo="Servidores duplicados")
    cierre.solicitud_cancelar(
        solicitud=solicitud, usuario=usuario("estrategico"), motivo="Duplica el contrato marco."
    )
    aviso = Aviso.objects.get(asunto=f"Solicitud {solicitud.folio} cancelada")
    assert aviso.mensaje.startswith(f"Dictámenes TIC · {NUEVO}\n")
    assert f"\nLa {NUEVO} canceló la solicitud {solicitud.folio} «Servidores" in aviso.mensaje
    assert VIEJO not in aviso.mensaje and VIEJO not in aviso.html

    # The open-data catalogue's publisher.
    catalogo = client.get(reverse("datos_dcat")).content.decode()
    assert re.search(r'"foaf:name": \{\s*"@language": "es",\s*"@value": "' + NUEVO, catalogo)
    assert f"la cifra que informa la {NUEVO}." in catalogo
    assert VIEJO not in catalogo


def test_la_pagina_de_error_dice_el_nombre_en_cache_sin_tocar_la_base(
    demo, client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        guardar_durango()
    client.get(reverse("inicio"))  # warms the cache
    with django_assert_num_queries(0):
        pagina = render_to_string("500.html")
    assert ENCABEZADO in pagina and VIEJO not in pagina


def test_con_la_cache_tibia_el_encabezado_no_cuesta_consultas(demo, client):
    textos = textos_vigentes_en_cache()  # warm, as after the site's first page
    textos.institucion = "Nombre solo en la caché"
    cache.set(CLAVE_CACHE, textos)
    # A page not cached as a whole (a signed-in person's): the header comes from the cache.
    client.force_login(usuario("mesa"))
    pagina = client.get(reverse("inicio")).content.decode()
    assert '<span class="encabezado__institucion">Nombre solo en la caché</span>' in pagina


def _archivos():
    yield from (RAIZ / "templates").rglob("*.html")
    yield from (RAIZ / "templates").rglob("*.txt")
    for app in ("dictamenes", "publico", "cuentas"):
        for archivo in (RAIZ / app).rglob("*.py"):
            if "migrations" not in archivo.parts:
                yield archivo


def _unido(archivo) -> str:
    """The file's text with Python's adjacent literals joined and every run of blanks as one
    space: a name split across lines or literals is still found."""
    texto = re.sub(r"\"\s*\n\s*f?\"", "", archivo.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", texto)


def test_ningun_nombre_de_la_institucion_en_plantillas_ni_codigo():
    """The name is data (TextosInstitucionales); only the settings' first-time defaults and
    the migrations may spell it."""
    con_nombre = [
        str(archivo.relative_to(RAIZ)) for archivo in _archivos() if VIEJO in _unido(archivo)
    ]
    assert con_nombre == []
    # Nor the state's (issue 47): the adopter's manual (docs/adopcion/index.md) says
    # no code names it.
    assert [str(a.relative_to(RAIZ)) for a in _archivos() if "Sonora" in _unido(a)] == []
