"""The public page "¿Cómo es el trámite?" (/tramite/)."""

import re

import pytest
from django.urls import reverse

from dictamenes.models import PlazoEtapa
from dictamenes.tramite.selectors.plazos import plazo_dias

pytestmark = pytest.mark.django_db

Etapa = PlazoEtapa.Etapa


def pagina(client):
    respuesta = client.get(reverse("tramite"))
    assert respuesta.status_code == 200
    return respuesta.content.decode()


def svg(html):
    return re.search(r"<svg class=\"flujo\".*?</svg>", html, re.S).group(0)


def texto_del_plazo(html, etapa):
    return re.search(rf'data-etapa="{etapa}">([^<]*)<', svg(html)).group(1)


def test_cualquiera_la_ve_sin_iniciar_sesion_y_esta_en_la_navegacion(client):
    assert reverse("tramite") == "/tramite/"
    html = pagina(client)
    assert "<h1>¿Cómo es el trámite?</h1>" in html
    portada = client.get("/").content.decode()
    assert portada.count('href="/tramite/"') >= 1
    assert 'href="/tramite/">¿Cómo es el trámite?</a>' in portada


def test_el_dibujo_es_un_svg_accesible_con_la_misma_informacion_en_lista(client):
    html = pagina(client)
    dibujo = svg(html)
    assert 'role="img"' in dibujo
    assert 'aria-labelledby="flujo-titulo flujo-desc"' in dibujo
    assert '<title id="flujo-titulo">' in dibujo and '<desc id="flujo-desc">' in dibujo
    # Strict CSP: nothing inline.
    assert "style=" not in dibujo
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    for paso in ("Presentación", "Admisión", "Revisión técnica", "Revisión estratégica", "Firma"):
        assert paso in dibujo
    lista = re.search(r'<ol class="tramite-pasos">.*?</ol>', html, re.S).group(0)
    assert lista.count("<li>") == 5
    assert "las áreas revisan en paralelo" in lista
    assert "Puede devolver la solicitud a una sola área" in lista
    assert "Una prevención que no se corrige a tiempo deja la solicitud desechada" in lista


def test_los_plazos_salen_de_la_tabla_de_plazos(client):
    html = pagina(client)
    for etapa in Etapa:
        dias = plazo_dias(etapa=etapa)
        assert texto_del_plazo(html, etapa) == f"{dias} días hábiles"

    # The administrator changes two deadlines: the page says so on the next visit.
    PlazoEtapa.objects.update_or_create(etapa=Etapa.REVISION_AREA, defaults={"dias_habiles": 7})
    PlazoEtapa.objects.update_or_create(etapa=Etapa.SUBSANAR, defaults={"dias_habiles": 1})
    html = pagina(client)
    assert texto_del_plazo(html, "revision_area") == "7 días hábiles"
    assert texto_del_plazo(html, "subsanar") == "1 día hábil"
    assert "Plazo de cada área: 7 días hábiles." in html
    assert "tiene 1 día hábil para subsanarla" in html
    assert "cada área revisa en paralelo, 7 días hábiles" in svg(html)


def test_dice_que_documentos_llevar_y_cual_es_obligatorio(client):
    html = pagina(client)
    documentos = re.search(r'<ul class="tramite-documentos">.*?</ul>', html, re.S).group(0)
    for nombre in ("Oficio de solicitud", "Anexo técnico", "Cotización", "Justificación"):
        assert f"<strong>{nombre}</strong>" in documentos
    oficio = re.search(r"<li><strong>Oficio de solicitud</strong>.*?</li>", documentos, re.S)
    assert "Obligatorio para presentar" in oficio.group(0)
    assert documentos.count("Obligatorio para presentar") == 1
    assert documentos.count("Recomendado") == 3
