"""What the requester and the reviewer read of the market research (issue 76, items 3–5): the
price page points out the quotes far from the reference and states the law's tests and the
rule applied; the live price note shows the tests while the item is written; the quote form
refuses the requester's own agency. Figures worked out by hand.

Reference median 100 per piece (limit 50 %); quotes 150, 160 and 170 (their median 160, each
within 50 % of it, so all count): 150 is exactly 50 % over the reference (not pointed out),
160 and 170 are 60 % and 70 % over. Typed price 180: against the median of the quotes, 160,
it is 12.5 % over, more than 10 %: no aceptable."""

import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from dictamenes.models import Anexo, Cotizacion, Partida, ReferenciaPrecio
from dictamenes.precios.selectors.en_vivo import precio_en_vivo
from tests.dictamenes.flujo_utils import borrador, usuario
from tests.dictamenes.tramite.test_cotizaciones import pdf

pytestmark = pytest.mark.django_db

LEY = (
    "Precio no aceptable: 12.5 % sobre la mediana de las cotizaciones válidas ($160.00; no "
    "aceptable por encima de +10 %, no conveniente por debajo de −40 %)."
)


def _texto(nodo) -> str:
    return " ".join(" ".join(nodo.itertext()).split())


def _con_cotizaciones():
    solicitud = borrador()
    partida = solicitud.partidas.select_related("perfil__categoria").get()
    Partida.objects.filter(pk=partida.pk).update(precio_unitario=Decimal("180"))
    partida.refresh_from_db()
    hoy = timezone.localdate()
    ReferenciaPrecio.objects.create(
        categoria_clave=partida.perfil.categoria.clave,
        perfil_clave=partida.perfil.clave,
        unidad="pieza",
        calculada_el=hoy,
        desde=hoy.replace(year=hoy.year - 2),
        compras=4,
        entes=3,
        suficiente=True,
        mediana=Decimal("100"),
        cuartil_1=Decimal("90"),
        cuartil_3=Decimal("110"),
        minimo=Decimal("80"),
        serie=[],
    )
    for i, (proveedor, precio) in enumerate(
        [("Uno, S.A.", "150"), ("Dos, S.C.", "160"), ("Tres", "170")]
    ):
        anexo = Anexo.objects.create(
            solicitud=solicitud,
            tipo="cotizacion",
            archivo=f"expedientes/cotizacion-{i}.pdf",
            nombre=f"cotizacion-{i}.pdf",
            content_type="application/pdf",
            tamano=100,
            sha256=str(i) * 64,
            subido_por=usuario("requirente.sh"),
        )
        Cotizacion.objects.create(
            partida=partida,
            proveedor=proveedor,
            precio_unitario=Decimal(precio),
            fecha=hoy - datetime.timedelta(days=10 + i),
            vigencia=hoy + datetime.timedelta(days=20),
            anexo=anexo,
        )
    return solicitud, partida


def test_la_pagina_del_precio_senala_las_lejanas_y_dice_las_pruebas_de_la_ley(como):
    solicitud, partida = _con_cotizaciones()
    url = reverse("solicitudes:partida_precio", args=[solicitud.pk, partida.pk])
    arbol = lxml_html.fromstring(como("requirente.sh").get(url).content.decode())
    filas = [
        _texto(tr.xpath("./td")[5]) for tr in arbol.xpath("//table[@id='cotizaciones']/tbody/tr")
    ]
    assert filas == [
        "cerca",
        "Lejana: a 60 % sobre la mediana de referencia: más de 50 %, revise la cotización",
        "Lejana: a 70 % sobre la mediana de referencia: más de 50 %, revise la cotización",
    ]
    texto = _texto(arbol)
    assert "2 cotizaciones se alejan más de 50 % de la mediana de referencia: revíselas." in texto
    assert "Método de la categoría: mediana." in texto
    ley = _texto(arbol.xpath("//section[@id='pruebas-ley']")[0])
    assert ley.startswith(f"Pruebas de precio de la ley Precio solicitado $180.00 por pieza: {LEY}")
    assert "Aprobar la partida a este precio pide la razón de esta partida." in ley


def test_la_nota_en_vivo_dice_las_pruebas_mientras_se_escribe(como):
    """The same item typed at 170 (+6.3 %, acceptable) and at 90 (−43.8 %, no conveniente)."""
    solicitud, partida = _con_cotizaciones()
    perfil = partida.perfil

    def nota(precio):
        return precio_en_vivo(
            perfil=perfil,
            unidad="pieza",
            meses=None,
            precio=Decimal(precio),
            ente_id=solicitud.ente_id,
            partida=partida,
        )

    caro, justo, barato = nota("180"), nota("170"), nota("90")
    assert (caro.ley_texto + ".", caro.no_aceptable) == (LEY, True)
    assert (justo.ley.veredicto, justo.no_aceptable) == ("aceptable", False)
    assert (barato.ley.veredicto, barato.no_conveniente) == ("no_conveniente", True)
    assert caro.mercado_texto == "$160.00 por pieza (mediana; 3 válidas de 3)"
    assert caro.lejanas_texto == (
        "2 de sus cotizaciones se alejan más de 50 % de la mediana de referencia: revíselas en "
        "el mapa comparativo."
    )
    # As the item's page draws it (solicitudes/_precio_en_vivo.html).
    nota_html = lxml_html.fromstring(
        render_to_string("solicitudes/_precio_en_vivo.html", {"precio_en_vivo": caro})
    )
    assert _texto(nota_html.xpath("//*[@id='ley-precio']")[0]) == (
        f"{LEY} Si se aprueba a este precio, quien decide debe escribir la razón de esta "
        "partida. Fundamento: Ley de Adquisiciones, Arrendamientos y Servicios del Sector "
        "Público (DOF 16/04/2025): precio no aceptable y precio no conveniente."
    )
    assert (
        "Precio de mercado de sus cotizaciones: $160.00 por pieza (mediana; 3 válidas de 3)."
        in (_texto(nota_html))
    )
    # Not saved yet: no quotes, no tests.
    assert (
        precio_en_vivo(
            perfil=perfil,
            unidad="pieza",
            meses=None,
            precio=Decimal(180),
            ente_id=solicitud.ente_id,
        ).ley
        is None
    )


def test_el_formulario_de_cotizacion_rechaza_al_propio_ente(como):
    solicitud = borrador()
    partida = solicitud.partidas.get()
    hoy = timezone.localdate()
    respuesta = como("requirente.sh").post(
        reverse("solicitudes:partida_cotizacion_agregar", args=[solicitud.pk, partida.pk]),
        {
            "cot-proveedor": "Secretaría de Hacienda (SH)",
            "cot-precio_unitario": "100",
            "cot-fecha": (hoy - datetime.timedelta(days=2)).isoformat(),
            "cot-vigencia": (hoy + datetime.timedelta(days=20)).isoformat(),
            "cot-archivo": pdf("sh.pdf", b"sh"),
        },
    )
    assert respuesta.status_code == 400
    arbol = lxml_html.fromstring(respuesta.content.decode())
    assert [_texto(e) for e in arbol.xpath("//*[@id='id_cot-proveedor_error']")] == [
        "«Secretaría de Hacienda (SH)» es su propio ente: la investigación de mercado se hace "
        "con proveedores, y un ente público no es un proveedor."
    ]
    assert not Cotizacion.objects.filter(partida=partida).exists()
