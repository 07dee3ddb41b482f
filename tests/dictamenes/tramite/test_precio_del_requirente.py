"""The requester's price journey (issue 76, item 8): a new item, once saved, stays open on its
own page at its market research, where its quotes are added; «Lo que falta» links to the item
whose quotes are missing; the live price note sits beside the price, unit and months and the
price field points to it; and the note of a saved item reads its quotes (the law's tests)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.dictamenes.flujo_utils import borrador, perfil_de_area
from tests.dictamenes.tramite.test_cotizaciones import con_precio, cotizar
from tests.dictamenes.tramite.test_precio_partida import en_vivo, referencia, texto

pytestmark = pytest.mark.django_db


def _nueva(cliente, solicitud, perfil, *, descripcion, cantidad):
    return cliente.post(
        reverse("solicitudes:partida_nueva", args=[solicitud.pk]),
        {
            "perfil": perfil.pk,
            "descripcion": descripcion,
            "cantidad": cantidad,
            "precio_unitario": "45000",
            "capitulo": "5000",
            "partida_especifica": "51501",
            "guardar": "1",
        },
    )


def test_la_partida_nueva_que_pide_cotizaciones_se_queda_en_su_pagina(como):
    solicitud = borrador()
    perfil = perfil_de_area("redes")
    cliente = como("requirente.sh")
    nueva = cliente.get(reverse("solicitudes:partida_nueva", args=[solicitud.pk]))
    # The page says both ways out, as the view takes them below.
    assert (
        "si la solicitud pasa del monto que fija la oficina y le faltan, «Guardar y evaluar» "
        "la deja abierta en su investigación de mercado; si no, vuelve a la solicitud"
    ) in texto(nueva)
    # 4 × $45,000 with the draft's $20,000: $200,000, within the office's $500,000: no quotes
    # asked, back to the request as always.
    r = _nueva(cliente, solicitud, perfil, descripcion="Switch de acceso 24 puertos", cantidad="4")
    assert (r.status_code, r.url) == (302, reverse("solicitudes:detalle", args=[solicitud.pk]))
    # 8 more: $560,000 in all, above it: this item needs three quotes, added on its page.
    r = cliente.post(
        reverse("solicitudes:partida_nueva", args=[solicitud.pk]),
        {
            "perfil": perfil.pk,
            "descripcion": "Switch de acceso 48 puertos",
            "cantidad": "8",
            "precio_unitario": "45000",
            "capitulo": "5000",
            "partida_especifica": "51501",
            "guardar": "1",
        },
    )
    partida = solicitud.partidas.get(descripcion="Switch de acceso 48 puertos")
    assert r.status_code == 302
    assert r.url == reverse("solicitudes:partida", args=[solicitud.pk, partida.pk]) + (
        "#cotizaciones"
    )
    pagina = cliente.get(r.url)
    assert "Agregue aquí sus cotizaciones." in texto(pagina)
    assert 'id="agregar-cotizacion"' in pagina.content.decode()
    # Modifying a saved item goes back to the request, as before.
    r = cliente.post(
        reverse("solicitudes:partida", args=[solicitud.pk, partida.pk]),
        {
            "perfil": perfil.pk,
            "descripcion": "Switch de acceso 48 puertos",
            "cantidad": "5",
            "precio_unitario": "45000",
            "capitulo": "5000",
            "partida_especifica": "51501",
            "version": partida.version,
            "guardar": "1",
        },
    )
    assert (r.status_code, r.url) == (302, reverse("solicitudes:detalle", args=[solicitud.pk]))


def test_lo_que_falta_lleva_a_las_cotizaciones_de_su_partida(como):
    solicitud = borrador()
    partida = con_precio(solicitud, Decimal("260000"))  # 520,000: above the office's amount
    pagina = como("requirente.sh").get(reverse("solicitudes:detalle", args=[solicitud.pk]))
    html = pagina.content.decode()
    faltan = html.split('<ul class="faltantes">')[1].split("</ul>")[0]
    enlace = reverse("solicitudes:partida", args=[solicitud.pk, partida.pk]) + "#agregar-cotizacion"
    assert f'<a href="{enlace}">Agregar sus cotizaciones</a>' in faltan


def test_la_nota_del_precio_va_junto_al_precio_y_el_campo_la_nombra(como):
    solicitud = borrador()
    partida = solicitud.partidas.get()
    html = (
        como("requirente.sh")
        .get(reverse("solicitudes:partida", args=[solicitud.pk, partida.pk]))
        .content.decode()
    )
    precio = re.search(r'<input[^>]*name="precio_unitario"[^>]*>', html).group(0)
    assert 'aria-describedby="precio-en-vivo"' in precio
    # In the form's order: price, unit, months, then the note, then the budget's fields.
    orden = [
        html.index('name="precio_unitario"'),
        html.index('name="meses"'),
        html.index('id="precio-en-vivo"'),
        html.index('name="capitulo"'),
    ]
    assert orden == sorted(orden)
    assert f'data-partida="{partida.pk}"' in html


def test_la_nota_de_una_partida_guardada_lee_sus_cotizaciones_y_la_ley(como):
    solicitud = borrador()
    partida = con_precio(solicitud, Decimal("30000"))
    referencia(partida.perfil, mediana="15000")
    for n, precio in enumerate(["20000", "21000", "22000"], start=1):
        cotizar(partida, precio=precio, n=n)
    cliente = como("requirente.sh")
    datos = {"perfil": partida.perfil_id, "precio_unitario": "30000"}
    # The median of the quotes is $21,000: $30,000 is 42.9 % above it, over the law's 10 %.
    con = texto(en_vivo(cliente, solicitud, partida=partida.pk, **datos))
    veredicto = (
        "Precio no aceptable: 42.9 % sobre la mediana de las cotizaciones válidas ($21,000.00;"
    )
    assert veredicto in con
    assert "Precio de mercado de sus cotizaciones: $21,000.00 por pieza" in con
    sin = texto(en_vivo(cliente, solicitud, **datos))
    assert "Precio de mercado de sus cotizaciones" not in sin
    # Another request's item is not read: the note is as without one.
    otra = borrador()
    ajena = otra.partidas.get()
    cotizar(ajena, precio="20000", n=1)
    assert "Precio de mercado de sus cotizaciones" not in texto(
        en_vivo(cliente, solicitud, partida=ajena.pk, **datos)
    )
