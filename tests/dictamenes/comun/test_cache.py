"""The versions a page reads with its own query (comun.cache.version_en_sql, precios'
version_en_sql): compiled once, they still read what the data says at each query."""

import dataclasses
import datetime

import pytest
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

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


@dataclasses.dataclass(frozen=True)
class _Fila:
    texto: object
    desde: datetime.datetime | None = None
    tabla: tuple = ()


@dataclasses.dataclass(frozen=True)
class _Grupo:
    titulo: str
    filas: list


def test_la_huella_del_contenido_cambia_con_cualquier_campo_y_solo_con_el():
    """The key of a fragment rendered once: equal content, equal key; any field of any nested
    item, a date, a row of a table or one item more, another."""
    momento = datetime.datetime(2026, 11, 27, 9, 30, tzinfo=datetime.UTC)

    def grupo(**cambios):
        fila = {"texto": "Correo", "desde": momento, "tabla": (("2027", "3"),), **cambios}
        return _Grupo("Correo", [_Fila(**fila)])

    base = cache.huella_del_contenido(grupo())
    assert cache.huella_del_contenido(grupo()) == base
    otras = [
        cache.huella_del_contenido(grupo(texto="Correo caído")),
        cache.huella_del_contenido(grupo(desde=momento + datetime.timedelta(minutes=1))),
        cache.huella_del_contenido(grupo(tabla=(("2027", "4"),))),
        cache.huella_del_contenido(_Grupo("Correo", [*grupo().filas, _Fila("Otra")])),
        cache.huella_del_contenido(grupo(), "resumen"),
    ]
    assert base not in otras and len(set(otras)) == len(otras)
    # A text to be translated is read as the text it gives, not as the object that holds it
    # (an object's address would make a new key on every page).
    with translation.override("es-mx"):
        perezoso = cache.huella_del_contenido(grupo(texto=gettext_lazy("Cerrar sesión")))
        assert perezoso == cache.huella_del_contenido(grupo(texto=gettext_lazy("Cerrar sesión")))
        assert perezoso == cache.huella_del_contenido(grupo(texto="Cerrar sesión"))
