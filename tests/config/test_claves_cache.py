"""A template fragment kept in the cache carries the fingerprint of the code that rendered it
(config.claves_cache): a deploy that changes the code does not serve the old HTML from a
cache that outlives the processes, and servers with the same code share their fragments."""

import os

import pytest
from django.core.cache import cache
from django.template import engines

from config import claves_cache

pytestmark = pytest.mark.django_db


def _pagina(texto: str) -> str:
    plantilla = engines["django"].from_string(
        "{% load cache %}{% cache 3600 prueba %}" + texto + "{% endcache %}"
    )
    return plantilla.render({})


def test_el_fragmento_de_otro_codigo_no_se_sirve(monkeypatch):
    cache.clear()
    monkeypatch.setattr(claves_cache, "huella_del_codigo", lambda: "codigo-viejo")
    assert _pagina("<p>campo viejo</p>") == "<p>campo viejo</p>"
    assert _pagina("<p>otra cosa</p>") == "<p>campo viejo</p>"  # kept, as {% cache %} does
    monkeypatch.setattr(claves_cache, "huella_del_codigo", lambda: "codigo-nuevo")
    assert _pagina("<p>campo nuevo</p>") == "<p>campo nuevo</p>"
    # The other keys are Django's, as they were (django-ratelimit's and axes' among them).
    assert claves_cache.clave("rl:abc", "", 1) == ":1:rl:abc"


def test_la_huella_es_la_del_contenido_y_no_la_de_las_fechas(tmp_path):
    (tmp_path / "templates").mkdir()
    plantilla = tmp_path / "templates" / "pagina.html"
    plantilla.write_text("<p>{{ a }}</p>")
    (tmp_path / "requirements.lock").write_text("Django==5.2\n")
    antes = claves_cache.huella_de(tmp_path, carpetas=("templates",))
    os.utime(plantilla, (0, 0))  # another server's checkout: same bytes, other dates
    assert claves_cache.huella_de(tmp_path, carpetas=("templates",)) == antes
    plantilla.write_text("<p>{{ b }}</p>")
    assert claves_cache.huella_de(tmp_path, carpetas=("templates",)) != antes
    plantilla.write_text("<p>{{ a }}</p>")
    (tmp_path / "requirements.lock").write_text("Django==5.3\n")
    assert claves_cache.huella_de(tmp_path, carpetas=("templates",)) != antes
