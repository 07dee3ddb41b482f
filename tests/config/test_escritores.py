"""Issue 59, item 1: the writers' map. Every path that can write a rule, a person, a role or an
amount (the admin's registry, every view that takes a POST, the commands, the flow's nodes) has
a control, and the documentation site carries the map that config.escritores generates
(docs/desarrollo/escritores.md, «Mapa de escritores»).

Issue 77, item 5: the code reading follows a view into the project's helpers, and the map is
checked while the suite runs (tests/escritores_vivos.py): a write by a path whose row does not
declare its model fails the test."""

import os
import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from config import escritores
from dictamenes.models import Area, ConfiguracionVias, LineaPrograma, Perfil
from dictamenes.planeacion import views as planeacion
from tests import escritores_vivos as vivos
from tests.dictamenes.flujo_utils import usuario

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
    antes = escritores.sin_control(escritores.escritores())
    admin.site.register(ConfiguracionVias)
    try:
        faltan = [e for e in escritores.sin_control(escritores.escritores()) if e not in antes]
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
            e for e in escritores.escritores() if e.nombre == "/admin/dictamenes/configuracionvias/"
        )
    finally:
        admin.site.unregister(ConfiguracionVias)
    assert (fila.escribe, fila.control) == ("dictamenes.ConfiguracionVias", "solo lectura")


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


def test_una_vista_que_pasa_el_post_a_su_ayudante_escribe():
    """planeacion's linea_nueva and linea read no POST themselves: _linea_pagina does."""
    assert escritores.toma_post(planeacion.linea_nueva) is True
    assert escritores.toma_post(planeacion.linea) is True
    assert escritores.toma_post(planeacion.consolidacion) is False


def test_sin_su_declaracion_linea_nueva_es_un_camino_sin_control(monkeypatch):
    antes = escritores.sin_control(escritores.escritores())
    monkeypatch.delitem(escritores.PAGINAS, "planeacion:linea_nueva")
    faltan = [e for e in escritores.sin_control(escritores.escritores()) if e not in antes]
    assert [(e.via, e.nombre, e.escribe) for e in faltan] == [
        ("página", "planeacion:linea_nueva (/planeacion/programa/lineas/nueva/)", "?")
    ]


def test_cada_modelo_que_el_mapa_nombra_existe():
    assert escritores.modelos_desconocidos() == []


# --- The map checked at runtime (tests/escritores_vivos.py) -------------------------------

revisando = pytest.mark.skipif(
    vivos.MODO != "", reason="ESCRITORES_VIVOS no revisa en esta corrida"
)


@pytest.fixture
def declaraciones_de_nuevo():
    """The plugin keeps each path's declaration once read: read again around the test."""
    vivos._declarado.cache_clear()
    yield
    vivos._declarado.cache_clear()


def test_las_tablas_de_muchos_a_muchos_son_del_modelo_que_declara_el_campo():
    tablas = vivos._tablas()
    assert tablas["auth_user_groups"] == "auth.User"
    assert tablas["auth_group_permissions"] == "auth.Group"
    assert tablas[Perfil.areas.through._meta.db_table] == "dictamenes.Perfil"
    assert tablas["authtoken_token"] == "authtoken.Token"


def test_una_pagina_del_admin_responde_con_la_fila_de_su_modelo_y_la_de_solo_lectura_no_escribe():
    assert vivos._declaracion("página", "admin:dictamenes_ente_add") == (
        "/admin/dictamenes/ente/",
        "dictamenes.Ente, auth.Group",
    )
    assert vivos._declaracion("página", "admin:auth_group_change") == ("/admin/auth/group/", "—")
    assert vivos._declaracion("página", "admin:login") == ("admin:login", "auth.User")
    assert vivos._declaracion("comando", "migrate") is None


@revisando
@pytest.mark.django_db
def test_una_pagina_que_escribe_lo_que_su_fila_no_declara_queda_informada(
    demo, client, monkeypatch, declaraciones_de_nuevo
):
    monkeypatch.setitem(escritores.PAGINAS, "planeacion:linea_nueva", ("—", "de prueba"))
    client.force_login(usuario("requirente.sh"))
    datos = {
        "ejercicio": timezone.localdate().year,
        "categoria": "switch",
        "perfil": "acceso",
        "descripcion": "Switches de acceso",
        "cantidad": "4",
        "monto_estimado": "180000.50",
        "capitulo": "5000",
        "partida_especifica": "51501",
        "mes": "11",
    }
    assert client.post(reverse("planeacion:linea_nueva"), datos).status_code == 302
    assert LineaPrograma.objects.count() == 1
    assert vivos._tomar_sin_informar() == [
        "página planeacion:linea_nueva: INSERT en dictamenes.LineaPrograma "
        "(tabla dictamenes_lineaprograma); su fila «planeacion:linea_nueva» declara «—»"
    ]


@revisando
@pytest.mark.django_db
def test_un_comando_que_actualiza_en_bloque_lo_que_no_declara_queda_informado(
    demo, declaraciones_de_nuevo
):
    """QuerySet.update sends no signal: the SQL is what is read."""
    vivos._en_un_camino(
        vivos._Camino("comando", "estandares_exportar"),
        lambda: Area.objects.update(activa=True),
    )
    assert vivos._tomar_sin_informar() == [
        "comando estandares_exportar: UPDATE en dictamenes.Area (tabla dictamenes_area); "
        "su fila «manage.py estandares_exportar» declara «—»"
    ]


@revisando
@pytest.mark.django_db
def test_un_comando_dentro_de_otro_escribe_lo_que_cualquiera_de_los_dos_declara(
    demo, declaraciones_de_nuevo
):
    def dentro():
        vivos._en_un_camino(
            vivos._Camino("comando", "estandares_exportar"),
            lambda: Area.objects.update(activa=True),
        )

    vivos._en_un_camino(vivos._Camino("comando", "cargar_demo"), dentro)
    assert vivos._tomar_sin_informar() == []


@revisando
@pytest.mark.django_db
def test_una_pagina_que_el_mapa_no_tiene_y_escribe_queda_informada(demo, declaraciones_de_nuevo):
    vivos._en_un_camino(
        vivos._Camino("página", "planeacion:consolidacion"),
        lambda: Area.objects.update(activa=True),
    )
    assert vivos._tomar_sin_informar() == [
        "página planeacion:consolidacion: UPDATE en dictamenes.Area (tabla dictamenes_area); "
        "el mapa no tiene este camino"
    ]


@revisando
@pytest.mark.django_db
def test_lo_que_escribe_la_prueba_fuera_de_todo_camino_no_se_revisa(demo):
    Area.objects.update(activa=True)
    assert vivos._tomar_sin_informar() == []


@revisando
@pytest.mark.django_db
def test_lo_que_deshace_su_punto_de_guardado_no_se_escribio(demo, declaraciones_de_nuevo):
    """A configuration change is rehearsed by the door that will apply it, in a savepoint that
    is always rolled back (dictamenes.operacion.services.ensayo): the page that asks for it
    writes no rule."""
    from dictamenes.operacion.services.ensayo import ensayar

    def pedir():
        ensayar(lambda: Area.objects.update(activa=True))
        Area.objects.filter(pk=Area.objects.first().pk).update(activa=True)  # kept

    vivos._en_un_camino(vivos._Camino("comando", "estandares_exportar"), pedir)
    assert vivos._tomar_sin_informar() == [
        "comando estandares_exportar: UPDATE en dictamenes.Area (tabla dictamenes_area); "
        "su fila «manage.py estandares_exportar» declara «—»"
    ]


@revisando
@pytest.mark.django_db
def test_lo_que_no_cambia_ninguna_fila_no_se_escribio(demo, declaraciones_de_nuevo):
    """The cascade of a deletion runs a DELETE on every table that could point to the row."""
    vivos._en_un_camino(
        vivos._Camino("comando", "estandares_exportar"),
        lambda: Area.objects.filter(pk=-1).update(activa=True),
    )
    assert vivos._tomar_sin_informar() == []
