"""Issue 62, item 4: the reviewer sees each item's price beside it (typed, market, reference
and where it stands, flagged in words over the office's percentage), has a page for one item's
price with its quotes and the profile's last 24 months, reduces a flagged item to the
reference in one action (without JavaScript too), and the decision keeps the price basis.

The references are written here by hand (the figures a reviewer would read off a spreadsheet),
not computed by the code that computes them: the oracle shares nothing with it."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from dictamenes.models import (
    Anexo,
    Cotizacion,
    DecisionPartida,
    EventoAuditoria,
    ReferenciaPrecio,
    Solicitud,
)
from dictamenes.models.vias import LEY_ARTICULO_INICIAL
from dictamenes.precios import reglas
from dictamenes.precios.selectors import PrecioDePartida
from dictamenes.tramite.services import decisiones
from tests.dictamenes import flujo_utils as fu

pytestmark = pytest.mark.django_db

# Each item of flujo_utils: 2 × $10,000.00 per piece. Against a median of $7,000.00 it stands
# 42.9 % over: flagged (the office flags more than 25 %); reduced, 2 × $7,000.00.
SERIE = [
    {"mes": "2025-03", "compras": 1, "mediana": "6000.0000", "minimo": "6000.0000",
     "maximo": "6000.0000"},
    {"mes": "2026-02", "compras": 3, "mediana": "7200.0000", "minimo": "6500.0000",
     "maximo": "7800.0000"},
]  # fmt: skip


def _referencia(partida, *, mediana="7000", suficiente=True) -> ReferenciaPrecio:
    hoy = timezone.localdate()
    return ReferenciaPrecio.objects.create(
        categoria_clave=partida.perfil.categoria.clave,
        perfil_clave=partida.perfil.clave,
        unidad="pieza",
        calculada_el=hoy,
        desde=hoy.replace(year=hoy.year - 2),
        compras=4 if suficiente else 2,
        entes=3 if suficiente else 1,
        suficiente=suficiente,
        mediana=Decimal(mediana),
        cuartil_1=Decimal("6500"),
        cuartil_3=Decimal("7600"),
        minimo=Decimal("6000"),
        serie=SERIE,
    )


def _cotizacion(partida, precio, *, vencida=False, proveedor="Cómputo del Norte, S.A. de C.V."):
    hoy = timezone.localdate()
    anexo = Anexo.objects.create(
        solicitud=partida.solicitud,
        tipo="cotizacion",
        archivo=f"expedientes/cotizacion-{precio}.pdf",
        nombre="cotizacion.pdf",
        content_type="application/pdf",
        tamano=100,
        sha256="0" * 64,
        subido_por=fu.usuario("requirente.sh"),
    )
    return Cotizacion.objects.create(
        partida=partida,
        proveedor=proveedor,
        precio_unitario=Decimal(precio),
        fecha=hoy - datetime.timedelta(days=10),
        vigencia=hoy - datetime.timedelta(days=1) if vencida else hoy + datetime.timedelta(days=20),
        anexo=anexo,
    )


def _por_area(solicitud) -> dict:
    return {p.descripcion.removeprefix("Partida de "): p for p in solicitud.partidas.all()}


@pytest.fixture
def en_estrategica(demo):
    """Waiting for the strategic decision: «computo» flagged over its reference, with one
    valid quote and one expired; «redes» with no reference and no quote."""
    solicitud = fu.revisada(areas=("computo", "redes"))
    p = _por_area(solicitud)
    _referencia(p["computo"])
    _cotizacion(p["computo"], "9500")
    _cotizacion(p["computo"], "9900", vencida=True, proveedor="Sistemas Sonora, S.A.")
    return solicitud, p


def _arbol(respuesta):
    return lxml_html.fromstring(respuesta.content.decode())


def _texto(nodo) -> str:
    """The text a person reads, one space between the elements' texts."""
    return " ".join(" ".join(nodo.itertext()).split())


# --- The decision keeps the price basis -----------------------------------------------------


def test_la_decision_guarda_la_base_del_precio_y_el_evento_la_lleva(en_estrategica):
    solicitud, p = en_estrategica
    # «computo» is flagged: approving it needs its reason (issue 76, item 6).
    razon = {"resultado": "aprobada", "texto": "Equipo con garantía extendida."}
    fu.decidir(
        solicitud, partidas={p["computo"].pk: razon, p["redes"].pk: {"resultado": "aprobada"}}
    )

    computo = DecisionPartida.objects.get(partida=p["computo"])
    assert computo.referencia_unitaria == Decimal("7000.00")
    assert computo.mercado_unitario == Decimal("9500.00")  # the expired quote does not count
    assert computo.base_precio == {
        "tecleado": "10000.00",
        "unidad": "pieza",
        "meses": None,
        "referencia": {
            "mediana": "7000.00",
            "cuartil_1": "6500.00",
            "cuartil_3": "7600.00",
            "minimo": "6000.00",
            "compras": 4,
            "entes": 3,
            "desde": computo.base_precio["referencia"]["desde"],
            "hasta": timezone.localdate().isoformat(),
            "por_ente": True,
        },
        "mercado": {
            "precio": "9500.00",
            "metodo": "mediana",
            "cotizaciones": 2,
            "validas": 1,
            # Issue 76: the method applied, the valid quotes' coefficient of variation (one
            # quote: 0) and how many are far from the reference (9,500 is 35.7 % over 7,000).
            "aplicado": "mediana",
            "cv": "0.0",
            "cv_pct": 25,
            "lejanas": 0,
        },
        # The law's tests: 10,000 against the median of the valid quotes, 9,500: +5.3 %.
        "ley": {
            "veredicto": "aceptable",
            "centro": "mediana",
            "valor": "9500.00",
            "exacto": "9500",
            "no_aceptable_pct": 10,
            "no_conveniente_pct": 40,
            "articulo": LEY_ARTICULO_INICIAL,
        },
    }
    # No reference and no quote: nothing to keep but what was typed.
    redes = DecisionPartida.objects.get(partida=p["redes"])
    assert redes.referencia_unitaria is None and redes.mercado_unitario is None
    assert redes.base_precio == {
        "tecleado": "10000.00",
        "unidad": "pieza",
        "meses": None,
        "referencia": None,
        "mercado": None,
        "ley": None,
    }
    evento = EventoAuditoria.objects.get(solicitud=solicitud, tipo="decision_estrategica")
    llevadas = {d["partida"]: d["precio"] for d in evento.datos["partidas"]}
    assert llevadas == {p["computo"].pk: computo.base_precio, p["redes"].pk: redes.base_precio}


def test_una_referencia_bajo_el_minimo_no_se_guarda_como_referencia(demo):
    solicitud = fu.revisada(areas=("computo",))
    _referencia(solicitud.partidas.get(), suficiente=False)
    fu.decidir(solicitud)
    decision = DecisionPartida.objects.get(partida__solicitud=solicitud)
    assert decision.referencia_unitaria is None
    assert decision.base_precio["referencia"] is None


def test_no_se_ofrece_reducir_si_no_queda_por_debajo_del_importe(demo):
    """A flag whose reference, in the item's unit, is not below its price (rounding to the
    cent on a service or a licence): nothing to reduce."""
    solicitud = fu.borrador(areas=("computo",))
    partida = solicitud.partidas.select_related("perfil__categoria").get()
    referencia = _referencia(partida, mediana="10000")
    senalada = reglas.Posicion(pct=Decimal("30"), banda="sobre", senalada=True)
    mercado = reglas.Mercado(precio=None, metodo="mediana")
    precio = PrecioDePartida(
        partida=partida, referencia=referencia, mercado=mercado, posicion=senalada
    )
    assert decisiones.reduccion_a_referencia(partida=partida, precio=precio) is None
    referencia.mediana = Decimal("9999.99")
    assert decisiones.reduccion_a_referencia(partida=partida, precio=precio) == {
        "resultado": "reducida",
        "cantidad": 2,
        "monto": Decimal("19999.98"),
        "motivo": "precio-sobre-referencia",
        "texto": "Precio solicitado $10,000.00 por pieza contra una referencia de $9,999.99 "
        "(+30 %).",
    }


# --- Beside each item, on the request's page ------------------------------------------------


@pytest.mark.parametrize("username", ["mesa", "auditor", "estrategico", "requirente.sh"])
def test_cada_partida_muestra_su_precio_y_la_senal_en_palabras(en_estrategica, como, username):
    solicitud, p = en_estrategica
    arbol = _arbol(como(username).get(fu.detalle(solicitud)))
    filas = {
        _texto(tr.xpath("./th")[0]): tr
        for tr in arbol.xpath("//section[@aria-labelledby='t-partidas']//tbody/tr")
    }
    computo = _texto(filas["Partida de computo"])
    assert (
        "Precio señalado El precio tecleado está 42.9 % sobre la mediana de referencia: se "
        "señala lo que la pasa en más de 25 %." in computo
    )
    assert "Precio tecleado $10,000.00 por pieza" in computo
    assert (
        # The category's rule and the law's verdict (issue 76): $10,000 is 5.3 % over $9,500.
        "Precio de mercado (cotizaciones) $9,500.00 1 válidas de 2; mediana; aceptable y "
        "conveniente" in computo
    )
    assert (
        "Precio de referencia mediana $7,000.00 (Q1–Q3 $6,500.00 – $7,600.00; menor "
        "$6,000.00; 4 compras de 3 entes en 24 meses, cada ente una vez)" in computo
    )
    assert "Dónde queda 43 % sobre la mediana, por encima del tercer cuartil" in computo
    enlace = reverse("solicitudes:partida_precio", args=[solicitud.pk, p["computo"].pk])
    assert filas["Partida de computo"].xpath(f".//a[@href='{enlace}']")
    redes = _texto(filas["Partida de redes"])
    assert "Precio señalado" not in redes
    assert "sin compras del perfil en 24 meses" in redes
    assert "sin cotizaciones válidas" in redes


def test_el_precio_de_las_partidas_no_cuesta_consultas_por_partida(demo, como):
    """Three queries for the page's prices (the office's configuration, the references, the
    quotes), whatever the number of items: one item or four, the same count."""
    solicitud = fu.borrador(areas=("computo",))
    autor = fu.usuario("requirente.sh")
    primera = solicitud.partidas.get()
    _referencia(primera)
    _cotizacion(primera, "9500")
    cliente = como("requirente.sh")

    def cuantas():
        cliente.get(fu.detalle(solicitud))  # caches warm
        with CaptureQueriesContext(connection) as capturadas:
            respuesta = cliente.get(fu.detalle(solicitud))
        assert respuesta.status_code == 200
        return len(capturadas), respuesta.content.decode().count("Precio señalado")

    con_una = cuantas()
    for n in range(3):
        otra = fu.solicitudes.partida_guardar(
            solicitud=solicitud,
            usuario=autor,
            datos={
                "perfil": fu.perfil_de_area("redes" if n else "computo"),
                "descripcion": f"Otra partida {n}",
                "cantidad": 1,
                "precio_unitario": Decimal("10000.00"),
                "capitulo": "5000",
                "partida_especifica": "51501",
                "especificaciones": {},
            },
        )
        _cotizacion(otra, "9000")
    assert con_una == (con_una[0], 1)
    assert cuantas() == (con_una[0], 2)  # «Otra partida 0» is of the flagged profile too


# --- The item's price page ------------------------------------------------------------------


def test_la_pagina_del_precio_muestra_cotizaciones_cifras_y_la_grafica_con_la_partida(
    en_estrategica, como, django_assert_max_num_queries
):
    solicitud, p = en_estrategica
    url = reverse("solicitudes:partida_precio", args=[solicitud.pk, p["computo"].pk])
    cliente = como("revisor.computo")
    cliente.get(url)
    with django_assert_max_num_queries(12):
        respuesta = cliente.get(url)
    assert respuesta.status_code == 200
    arbol = _arbol(respuesta)
    assert "Precio señalado" in _texto(arbol)
    cotizaciones = [_texto(tr) for tr in arbol.xpath("//table[@id='cotizaciones']/tbody/tr")]
    assert cotizaciones == [
        # Issue 76: each against the reference (9,500 and 9,900 within 50 % of 7,000). Issue
        # 80: the supplier's address and phone, none written here.
        f"Cómputo del Norte, S.A. de C.V. Sin dato $9,500.00 {_fecha(-10)} {_fecha(20)} Cuenta "
        "cerca Descargar",
        f"Sistemas Sonora, S.A. Sin dato $9,900.00 {_fecha(-10)} {_fecha(-1)} No cuenta: "
        "vencida cerca Descargar",
    ]
    assert "Precio de mercado: $9,500.00 por pieza" in _texto(
        arbol.xpath("//table[@id='cotizaciones']/caption")[0]
    )

    svg = arbol.xpath("//svg[@id='grafica-precio']")[0]
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "grafica-titulo grafica-desc"
    assert _texto(svg.xpath("./title")[0]).startswith("Precio de «Partida de computo»")
    assert "Mediana de referencia $7,000.00 por pieza; esta partida, $10,000.00 por pieza." in (
        _texto(svg.xpath("./desc")[0])
    )
    # The item marked above the reference's median (SVG y grows downwards), each labelled.
    partida = svg.xpath(".//*[@id='grafica-partida']")[0]
    referencia = svg.xpath(".//*[@id='grafica-referencia']")[0]
    assert float(partida.get("y1")) < float(referencia.get("y1"))
    assert "Esta partida $10,000.00" in _texto(svg)
    # One bar and one point per month with purchases; the same data as a table.
    assert len(svg.xpath(".//circle")) == len(SERIE) == 2
    filas = [_texto(tr) for tr in arbol.xpath("//table[@id='serie-precio']/tbody/tr")]
    assert filas == [
        "2025-03 1 $6,000.00 $6,000.00 $6,000.00",
        "2026-02 3 $7,200.00 $6,500.00 $7,800.00",
    ]


def test_la_grafica_se_reusa_y_muestra_el_precio_y_la_serie_de_cada_momento(en_estrategica, como):
    """The chart and its table are rendered once for what they show: a new price of the item,
    or the reference's new figures, show on the next visit."""
    from dictamenes.models import Partida

    solicitud, p = en_estrategica
    url = reverse("solicitudes:partida_precio", args=[solicitud.pk, p["computo"].pk])
    cliente = como("revisor.computo")

    def grafica():
        arbol = _arbol(cliente.get(url))
        svg = arbol.xpath("//svg[@id='grafica-precio']")[0]
        filas = [_texto(tr) for tr in arbol.xpath("//table[@id='serie-precio']/tbody/tr")]
        return _texto(svg), filas

    texto, filas = grafica()
    assert "Esta partida $10,000.00" in texto and len(filas) == 2
    assert grafica() == (texto, filas)

    Partida.objects.filter(pk=p["computo"].pk).update(precio_unitario=Decimal("8000"))
    texto, filas = grafica()
    assert "Esta partida $8,000.00" in texto and "$10,000.00" not in texto

    referencia = ReferenciaPrecio.objects.get()
    referencia.serie = [*SERIE, {**SERIE[-1], "mes": "2026-03", "compras": 2}]
    referencia.save()
    assert grafica()[1][-1] == "2026-03 2 $7,200.00 $6,500.00 $7,800.00"


def _fecha(dias: int) -> str:
    return f"{timezone.localdate() + datetime.timedelta(days=dias):%d/%m/%Y}"


def test_la_pagina_cuesta_lo_mismo_con_una_cotizacion_que_con_muchas(en_estrategica, como):
    solicitud, p = en_estrategica
    url = reverse("solicitudes:partida_precio", args=[solicitud.pk, p["computo"].pk])
    cliente = como("auditor")
    cliente.get(url)

    def cuantas():
        with CaptureQueriesContext(connection) as capturadas:
            assert cliente.get(url).status_code == 200
        return len(capturadas)

    antes = cuantas()
    for precio in ("9600", "9700", "9800"):
        _cotizacion(p["computo"], precio)
    assert cuantas() == antes


def test_sin_referencia_suficiente_no_hay_grafica_y_lo_dice(en_estrategica, como):
    solicitud, p = en_estrategica
    url = reverse("solicitudes:partida_precio", args=[solicitud.pk, p["redes"].pk])
    arbol = _arbol(como("mesa").get(url))
    assert not arbol.xpath("//svg")
    assert "Sin referencia suficiente para el perfil" in _texto(arbol)


def test_quien_no_ve_la_solicitud_o_la_partida_de_otra_recibe_404(en_estrategica, como):
    solicitud, p = en_estrategica
    url = reverse("solicitudes:partida_precio", args=[solicitud.pk, p["computo"].pk])
    assert como("requirente.rc").get(url).status_code == 404
    otra = fu.borrador(areas=("computo",))
    ajena = reverse("solicitudes:partida_precio", args=[otra.pk, p["computo"].pk])
    assert como("requirente.sh").get(ajena).status_code == 404


# --- Reduce to the reference, without JavaScript --------------------------------------------


def _boton(arbol, partida):
    return arbol.xpath(f"//button[@name='reducir'][@value='{partida.pk}']")


def test_solo_la_partida_senalada_ofrece_reducir_a_la_referencia(en_estrategica, como):
    solicitud, p = en_estrategica
    # «redes» over a sufficient reference too, but 11.1 % over, under the 25 % flag: it would
    # save $2,000.00 and still is not offered (the flag is the rule, not the saving).
    _referencia(p["redes"], mediana="9000")
    arbol = _arbol(como("estrategico").get(fu.detalle(solicitud)))
    (boton,) = _boton(arbol, p["computo"])
    assert _texto(boton) == "Reducir a la referencia ($7,000.00 por pieza)"
    assert not _boton(arbol, p["redes"])


def _valor(arbol, nombre):
    campo = arbol.xpath(f"//form//*[@name='{nombre}']")
    if campo[0].tag == "textarea":
        return campo[0].text_content().strip()
    if campo[0].tag == "select":
        return [o.get("value") for o in campo[0].xpath(".//option[@selected]")]
    if campo[0].get("type") == "radio":
        return [c.get("value") for c in campo if c.get("checked") is not None]
    return campo[0].get("value")


def test_reducir_sin_javascript_pone_la_partida_y_no_pierde_lo_escrito(en_estrategica, como):
    solicitud, p = en_estrategica
    c, r = p["computo"].pk, p["redes"].pk
    escrito = {
        "accion": "decidir",
        "motivos": "El equipo de cómputo se cotizó caro.",
        "condiciones": "Redes: acreditar el enlace redundante.",
        f"p{r}_resultado": "aprobada",
        f"p{c}_texto": "Ajustado al precio de referencia del estado.",
    }
    cliente = como("estrategico")
    url = reverse("solicitudes:estrategica", args=[solicitud.pk])
    respuesta = cliente.post(url, escrito | {"reducir": str(c)})
    assert respuesta.status_code == 200
    arbol = _arbol(respuesta)
    assert _valor(arbol, f"p{c}_resultado") == ["reducida"]
    assert _valor(arbol, f"p{c}_cantidad") == "2"
    assert _valor(arbol, f"p{c}_monto") == "14000.00"
    assert _valor(arbol, f"p{c}_motivo") == ["precio-sobre-referencia"]
    # Nothing else typed is lost.
    assert _valor(arbol, "accion") == ["decidir"]
    assert _valor(arbol, "motivos") == escrito["motivos"]
    assert _valor(arbol, "condiciones") == escrito["condiciones"]
    assert _valor(arbol, f"p{r}_resultado") == ["aprobada"]
    # The reduction's figures (issue 76, item 7) go before what was typed, which stays.
    cifras = "Precio solicitado $10,000.00 por pieza contra una referencia de $7,000.00 (+43 %)."
    assert _valor(arbol, f"p{c}_texto") == f"{cifras} {escrito[f'p{c}_texto']}"
    assert (
        "«Partida de computo» queda reducida a la referencia: $14,000.00. Revise la decisión y "
        "regístrela; aún no se guarda nada." in _texto(arbol)
    )
    # Nothing saved, the step still open.
    assert not DecisionPartida.objects.filter(partida__solicitud=solicitud).exists()
    assert Solicitud.objects.get(pk=solicitud.pk).estado == Solicitud.Estado.REVISION_ESTRATEGICA

    # «Registrar» sends the form as it came back: the decision is the reduction.
    enviado = {
        campo: _valor(arbol, campo)
        for campo in (
            *escrito,
            f"p{c}_resultado",
            f"p{c}_cantidad",
            f"p{c}_monto",
            f"p{c}_motivo",
            f"p{c}_texto",
        )
    }
    enviado = {k: v[0] if isinstance(v, list) else v for k, v in enviado.items()}
    assert cliente.post(url, enviado).status_code == 302
    decision = DecisionPartida.objects.select_related("motivo").get(partida_id=c)
    assert (decision.resultado, decision.cantidad_aprobada, decision.monto_aprobado) == (
        "reducida",
        2,
        Decimal("14000.00"),
    )
    assert decision.motivo.clave == "precio-sobre-referencia"
    assert decision.motivo.nombre == "Precio por encima de la referencia"
    assert decision.texto == f"{cifras} {escrito[f'p{c}_texto']}"


def test_reducir_una_partida_sin_referencia_se_niega_y_conserva_lo_escrito(en_estrategica, como):
    solicitud, p = en_estrategica
    escrito = {"accion": "decidir", "motivos": "Lo que escribí.", "reducir": str(p["redes"].pk)}
    respuesta = como("estrategico").post(
        reverse("solicitudes:estrategica", args=[solicitud.pk]), escrito
    )
    assert respuesta.status_code == 400
    arbol = _arbol(respuesta)
    assert str(decisiones.ERROR_SIN_REDUCCION) in _texto(arbol)
    assert _valor(arbol, "motivos") == "Lo que escribí."
    assert _valor(arbol, f"p{p['redes'].pk}_resultado") == []


def test_quien_no_tiene_la_decision_no_puede_reducir(en_estrategica, como):
    solicitud, p = en_estrategica
    respuesta = como("mesa").post(
        reverse("solicitudes:estrategica", args=[solicitud.pk]),
        {"accion": "decidir", "reducir": str(p["computo"].pk)},
    )
    assert respuesta.status_code == 403


def test_la_revision_del_area_muestra_la_linea_de_precio(demo, como):
    solicitud = fu.admitida(areas=("computo",))
    _referencia(solicitud.partidas.get())
    arbol = _arbol(como("revisor.computo").get(fu.detalle(solicitud)))
    (revision,) = arbol.xpath("//form[contains(@action, '/revision/computo/')]//fieldset")
    texto = _texto(revision)
    assert "Precio señalado El precio tecleado está 42.9 % sobre la mediana de referencia" in texto
    assert "Precio de referencia mediana $7,000.00" in texto
    assert not revision.xpath(".//button[@name='reducir']")  # read only: no decision here
