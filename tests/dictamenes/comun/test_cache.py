"""The versions a page reads with its own query (comun.cache.version_en_sql, precios'
version_en_sql): compiled once, they still read what the data says at each query."""

import pytest
from django.db import transaction

from dictamenes.comun import cache
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import EventoAuditoria, ReferenciaPrecio
from dictamenes.precios import selectors as precios

pytestmark = pytest.mark.django_db


def _leidas():
    fila = (
        EventoAuditoria.objects.annotate(
            datos_v=cache.version_en_sql(), referencias_v=precios.version_en_sql()
        )
        .values_list("datos_v", "referencias_v")
        .first()
    )
    return fila


def test_las_versiones_leidas_con_la_consulta_de_la_pagina_siguen_a_los_datos(demo):
    ReferenciaPrecio.objects.create(
        categoria_clave="computadora-escritorio",
        perfil_clave="basico",
        unidad="pieza",
        calculada_el="2026-11-02",
        desde="2025-11-02",
        compras=6,
        entes=3,
        suficiente=True,
    )
    with transaction.atomic():
        evento_registrar(tipo="prueba", descripcion="Un cambio")
    datos, referencias = _leidas()
    assert datos == cache.version_datos() > 0

    with transaction.atomic():
        evento_registrar(tipo="prueba", descripcion="Otro cambio")
    despues, mismas = _leidas()
    assert despues == cache.version_datos() == datos + 1
    assert mismas == referencias  # no reference moved

    # The daily run writes no event: moving a reference's date moves the references' version.
    ReferenciaPrecio.objects.update(calculada_el="2020-01-01")
    assert _leidas()[1] != referencias


def test_cada_subconsulta_se_compila_una_vez(demo, monkeypatch):
    armadas = []
    original = cache._version_consulta

    def contada():
        armadas.append(1)
        return original()

    cache._compilada.cache_clear()
    monkeypatch.setattr(cache, "_version_consulta", contada)
    for _ in range(3):
        _leidas()
    assert len(armadas) == 1
    cache._compilada.cache_clear()
