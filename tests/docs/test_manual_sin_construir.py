"""/manual/ where the manual was not built (issue 78): the page says so and how to build it,
for the person who clicked «Ayuda» and for whoever runs the server, instead of a «Página no
encontrada» that hid the reason."""

import pytest
from pytest_django.asserts import assertTemplateUsed


@pytest.mark.django_db
@pytest.mark.parametrize("direccion", ["/manual/", "/manual/manual/requirente/"])
def test_sin_manual_la_ayuda_dice_por_que_y_como_construirlo(direccion, tmp_path, settings, client):
    settings.DICTAMENES_MANUAL_DIR = tmp_path / "manual"
    respuesta = client.get(direccion)

    assert respuesta.status_code == 404
    assertTemplateUsed(respuesta, "manual_no_construido.html")
    texto = respuesta.content.decode()
    assert "<h1>El manual no está en este servidor</h1>" in texto
    assert "Avise a quien administra el servidor." in texto
    assert "<code>sudo /srv/dictamenes/deploy/manage manual_construir</code>" in texto
    assert "<code>make docs</code>" in texto
    assert "Página no encontrada" not in texto


@pytest.mark.django_db
def test_una_pagina_que_el_manual_construido_no_tiene_es_no_encontrada(client):
    # The test settings' stand-in site (tests/docs/sitio_minimo) is built: its missing pages
    # are missing pages, not a missing manual.
    respuesta = client.get("/manual/manual/no-existe/")

    assert respuesta.status_code == 404
    assert "Página no encontrada" in respuesta.content.decode()
    assert "El manual no está en este servidor" not in respuesta.content.decode()
