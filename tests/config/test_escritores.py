"""Issue 59, item 1: the writers' map. Every path that can write a rule, a person, a role or an
amount (the admin's registry, every view that takes a POST, the commands, the flow's nodes) has
a control, and the documentation site carries the map that config.escritores generates
(docs/desarrollo/escritores.md, «Mapa de escritores»)."""

import os
import re
from pathlib import Path

import pytest
from django.contrib import admin

from config import escritores
from dictamenes.models import ConfiguracionVias

MAPA = Path(__file__).resolve().parents[2] / "docs" / "desarrollo" / "escritores.md"
MARCAS = re.compile(
    r"(<!-- mapa-escritores:inicio -->\n)(.*?)(<!-- mapa-escritores:fin -->)", re.DOTALL
)


def test_ningun_camino_escribe_sin_control():
    faltan = escritores.sin_control(escritores.escritores())
    assert faltan == [], "Caminos sin control declarado (config/escritores.py):\n" + "\n".join(
        f"{e.via}: {e.nombre} ({e.escribe})" for e in faltan
    )


def test_no_hay_controles_de_caminos_que_ya_no_existen():
    assert escritores.declaraciones_sin_ruta() == []


def test_un_admin_nuevo_de_un_modelo_controlado_sin_control_lo_detecta_el_mapa():
    """What a developer would add: the stock ModelAdmin of a rule's model, no control."""
    admin.site.register(ConfiguracionVias)
    try:
        faltan = escritores.sin_control(escritores.escritores())
    finally:
        admin.site.unregister(ConfiguracionVias)
    assert [(e.via, e.escribe) for e in faltan] == [("admin", "dictamenes.ConfiguracionVias")]


def test_un_admin_de_solo_lectura_no_necesita_declarar_control():
    class SoloLectura(admin.ModelAdmin):
        def has_add_permission(self, request):
            return False

        def has_change_permission(self, request, obj=None):
            return False

        def has_delete_permission(self, request, obj=None):
            return False

    admin.site.register(ConfiguracionVias, SoloLectura)
    try:
        fila = next(
            e for e in escritores.escritores() if e.escribe == "dictamenes.ConfiguracionVias"
        )
    finally:
        admin.site.unregister(ConfiguracionVias)
    assert fila.control == "solo lectura"


@pytest.mark.django_db
def test_el_manual_trae_el_mapa_que_se_genera():
    texto = MAPA.read_text(encoding="utf-8")
    encontrado = MARCAS.search(texto)
    assert encontrado, "docs/desarrollo/escritores.md no tiene las marcas del mapa de escritores"
    generado = escritores.markdown() + "\n"
    if os.environ.get("ESCRIBIR_MAPA_ESCRITORES"):
        MAPA.write_text(MARCAS.sub(lambda m: m[1] + generado + m[3], texto), encoding="utf-8")
        texto = MAPA.read_text(encoding="utf-8")
        encontrado = MARCAS.search(texto)
    assert encontrado[2] == generado
