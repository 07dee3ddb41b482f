"""The draft's track while its requester types an item (issue 61): the item form shows the
track and the steps with the item as typed, before saving, by the rule presentation applies;
and a draft with no items still lists its technical review step."""

import pytest
from django.urls import reverse

from dictamenes.models import Partida
from tests.dictamenes.flujo_utils import detalle, perfil_de_area
from tests.dictamenes.tramite import test_vias as tv
from tests.dictamenes.tramite.test_via_prevista import condiciones, texto

pytestmark = pytest.mark.django_db

CON_LO_CAPTURADO = "Vía de revisión si la presenta con lo capturado:"
SIN_AREAS = "Revisión técnica: una por cada área de sus partidas (se sabrá cuáles al agregarlas)"


def tecleado(partida, **cambios) -> dict:
    """The item form's fields as the page sends them, specifications included."""
    especificaciones = {
        f"esp-{clave}": ("si" if valor is True else str(valor))
        for clave, valor in tv.CUMPLEN["computo"].items()
    }
    unidades = {"esp-ram__unidad": "GB", "esp-almacenamiento__unidad": "GB"}
    return {
        "perfil": perfil_de_area("computo").pk,
        "descripcion": partida.descripcion,
        "cantidad": str(partida.cantidad),
        "precio_unitario": str(partida.precio_unitario),
        "capitulo": "5000",
        "partida_especifica": "51501",
        "partida": partida.pk,
        **especificaciones,
        **unidades,
        **cambios,
    }


def en_vivo(cliente, solicitud, datos):
    return cliente.post(reverse("solicitudes:via_prevista", args=[solicitud.pk]), datos)


def test_la_via_cambia_con_el_precio_que_se_escribe_sin_guardarlo(
    demo, como, django_assert_max_num_queries
):
    solicitud = tv.borrador()
    computo = solicitud.partidas.get(descripcion="Partida de computo")
    cliente = como("requirente.sh")
    en_vivo(cliente, solicitud, tecleado(computo))  # the catalogues' cache, as on any page
    # 2 × $1,075,000 + 5 × $10,000 of redes: $2,200,000. The same count with one item or ten.
    with django_assert_max_num_queries(16):
        r = en_vivo(cliente, solicitud, tecleado(computo, precio_unitario="1075000"))
    assert r.status_code == 200
    pagina = r.content.decode()
    assert f"{CON_LO_CAPTURADO} Vía completa" in texto(pagina, "via-prevista")
    assert condiciones(pagina)[0] == tv.MONTO_NO_CUMPLIDO % "$2,200,000.00"
    pasos = texto(pagina, "t-pasos")
    assert f"Revisión técnica: {tv.COMPUTO}" in pasos
    assert f"Revisión técnica: {tv.REDES}" in pasos
    assert "única" not in pasos

    # The other side: a price that keeps it under the threshold, one review for both areas.
    pagina = en_vivo(cliente, solicitud, tecleado(computo, precio_unitario="9000")).content
    pagina = pagina.decode()
    assert f"{CON_LO_CAPTURADO} Vía rápida" in texto(pagina, "via-prevista")
    assert condiciones(pagina)[0] == tv.MONTO_CUMPLIDO % "$68,000.00"
    assert f"Revisión técnica única (vía rápida): {tv.COMPUTO}, {tv.REDES}" in texto(
        pagina, "t-pasos"
    )

    # Nothing was saved: the draft's page still reads its saved items.
    assert Partida.objects.get(pk=computo.pk).precio_unitario == 10000
    guardada = como("requirente.sh").get(detalle(solicitud)).content.decode()
    assert condiciones(guardada)[0] == tv.MONTO_CUMPLIDO % "$70,000.00"


def test_una_partida_nueva_de_otra_area_agrega_su_revision(demo, como):
    solicitud = tv.borrador(areas=("computo",))
    computo = solicitud.partidas.get()
    datos = tecleado(computo, perfil=perfil_de_area("redes").pk, descripcion="Switches")
    del datos["partida"]
    pagina = en_vivo(como("requirente.sh"), solicitud, datos).content.decode()
    # Its specifications are still computo's: the new item's self-check cannot say «Cumple».
    assert f"{CON_LO_CAPTURADO} Vía completa" in texto(pagina, "via-prevista")
    pasos = texto(pagina, "t-pasos")
    assert f"Revisión técnica: {tv.COMPUTO}" in pasos
    assert f"Revisión técnica: {tv.REDES}" in pasos


def test_la_pagina_de_la_partida_trae_la_via_y_su_guion(demo, como):
    solicitud = tv.borrador()
    computo = solicitud.partidas.get(descripcion="Partida de computo")
    url = reverse("solicitudes:partida", args=[solicitud.pk, computo.pk])
    pagina = como("requirente.sh").get(url).content.decode()
    assert "Vía de revisión si la presenta ahora: Vía rápida" in texto(pagina, "via-prevista")
    assert 'id="via-en-vivo-estado" role="status" aria-live="polite"' in pagina
    assert f'data-partida="{computo.pk}"' in pagina
    assert "js/via-en-vivo.js" in pagina


def test_solo_el_requirente_de_un_borrador_la_pide(demo, como):
    solicitud = tv.borrador()
    computo = solicitud.partidas.get(descripcion="Partida de computo")
    datos = tecleado(computo)
    assert en_vivo(como("mesa"), solicitud, datos).status_code == 404
    otra = tv.borrador(areas=("redes",))
    ajena = tecleado(computo) | {"partida": otra.partidas.get().pk}
    assert en_vivo(como("requirente.sh"), solicitud, ajena).status_code == 404


def test_un_borrador_sin_partidas_lista_su_revision_tecnica(demo, como):
    solicitud = tv.borrador(areas=())
    pagina = como("requirente.sh").get(detalle(solicitud)).content.decode()
    pasos = texto(pagina, "t-pasos")
    assert [p for p in ("Admisión", SIN_AREAS, "Revisión estratégica", "Firma") if p in pasos] == [
        "Admisión",
        SIN_AREAS,
        "Revisión estratégica",
        "Firma",
    ]
    assert pasos.index("Admisión") < pasos.index(SIN_AREAS) < pasos.index("Revisión estratégica")
