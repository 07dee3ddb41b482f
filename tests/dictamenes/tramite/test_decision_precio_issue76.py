"""Issue 76, items 6 and 7 (in part): approving an item whose price is flagged over the
reference, or that the law calls «no aceptable», needs that item's own written reason, kept with
the decision, in its audit event, the PDF, /verificar/ and the API; «Reducir a la referencia»
cites «Precio por encima de la referencia» with the figures, in the item's own unit; the pages
after the decision show the reference the decision used («al decidir») beside today's («hoy»).

The figures are worked out by hand here, not by the code under test. The office flags a price
more than 25 % over the reference's median (VIAS_INICIALES["precio_senal_pct"]).
- Piece («computo»): 2 × $37,500.00 against a median of $18,746.00 per piece: (37,500 − 18,746)
  / 18,746 = 100.04 %, flagged; reduced, 2 × $18,746.00 = $37,492.00.
- Service of 12 months («redes»): 2 × $120,000.00, i.e. $10,000.00 a month, against a median
  of $6,000.00 a month: 66.67 % over; the reference in the item's unit is 12 × $6,000.00 =
  $72,000.00, reduced 2 × $72,000.00 = $144,000.00 (the per-month figure would give
  $12,000.00).
- Licence of 36 months («seguridad»): 5 × $9,000.00, i.e. $3,000.00 a licence-year, against a
  median of $2,000.00 a licence-year: 50 % over; the reference in the item's unit is 3 ×
  $2,000.00 = $6,000.00, reduced 5 × $6,000.00 = $30,000.00 (per year: $10,000.00; as if
  12 months: $10,000.00 too).
- The threshold: $10,000.00 against a median of $8,000.00 is exactly 25 % over, not flagged;
  against $7,999.99 it is 25.0002 % over, flagged.
- The law: one valid quote of $8,500.00 and no reference; $10,000.00 is (10,000 − 8,500) /
  8,500 = 17.6 % over the quotes' central value, more than the profile's 10 %: «no
  aceptable»."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html
from rest_framework.test import APIClient

from dictamenes.emision.services import integridad
from dictamenes.models import (
    Anexo,
    Cotizacion,
    DecisionPartida,
    EventoAuditoria,
    Partida,
    ReferenciaPrecio,
    Solicitud,
)
from dictamenes.precios.selectors.partidas import precios_de_partidas
from dictamenes.tramite.services import decisiones
from tests.dictamenes import flujo_utils as fu
from tests.dictamenes.emision.test_pdf_dictamen import texto_pdf
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db

RAZON = "Único proveedor certificado para el sistema de cobro; la garantía cubre cinco años."
SENALADA_PIEZA = (
    "Para aprobar la partida «Partida de computo» escriba en ella por qué se aprueba: su "
    "precio está señalado, 100.0 % sobre la mediana de referencia."
)
TEXTO_SERVICIO = (
    "Precio solicitado $120,000.00 por servicio de 12 meses contra una referencia de "
    "$72,000.00 (+67 %)."
)
TEXTO_LICENCIA = (
    "Precio solicitado $9,000.00 por licencia de 36 meses contra una referencia de $6,000.00 "
    "(+50 %)."
)
TEXTO_PIEZA = "Precio solicitado $37,500.00 por pieza contra una referencia de $18,746.00 (+100 %)."


def _por_area(solicitud) -> dict:
    return {
        p.descripcion.removeprefix("Partida de "): p
        for p in solicitud.partidas.select_related("perfil__categoria").order_by("pk")
    }


def _referencia(partida, mediana, cuartil_1, cuartil_3, minimo) -> ReferenciaPrecio:
    """A sufficient reference for the item's profile and unit, in the normal unit."""
    hoy = timezone.localdate()
    return ReferenciaPrecio.objects.create(
        categoria_clave=partida.perfil.categoria.clave,
        perfil_clave=partida.perfil.clave,
        unidad=partida.unidad,
        calculada_el=hoy,
        desde=hoy.replace(year=hoy.year - 2),
        compras=5,
        entes=3,
        suficiente=True,
        mediana=Decimal(mediana),
        cuartil_1=Decimal(cuartil_1),
        cuartil_3=Decimal(cuartil_3),
        minimo=Decimal(minimo),
    )


def _poner(partida, *, cantidad, precio, unidad="pieza", meses=None):
    Partida.objects.filter(pk=partida.pk).update(
        cantidad=cantidad, precio_unitario=Decimal(precio), unidad=unidad, meses=meses
    )
    partida.refresh_from_db()


def _pieza(partida):
    _poner(partida, cantidad=2, precio="37500.00")
    _referencia(partida, "18746", "16000", "21000", "15000")


def _servicio(partida):
    _poner(partida, cantidad=2, precio="120000.00", unidad="servicio", meses=12)
    _referencia(partida, "6000", "5500", "6500", "5000")


def _licencia(partida):
    _poner(partida, cantidad=5, precio="9000.00", unidad="licencia", meses=36)
    _referencia(partida, "2000", "1800", "2200", "1500")


def _rechazo(solicitud, partidas) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        fu.decidir(solicitud, partidas=partidas)
    # Nothing written: no decision, no event, the step still open.
    assert not DecisionPartida.objects.filter(partida__solicitud=solicitud).exists()
    assert not EventoAuditoria.objects.filter(
        solicitud=solicitud, tipo="decision_estrategica"
    ).exists()
    assert Solicitud.objects.get(pk=solicitud.pk).estado == Solicitud.Estado.REVISION_ESTRATEGICA
    return exc.value.messages


def _arbol(respuesta):
    return lxml_html.fromstring(respuesta.content.decode())


def _texto(nodo) -> str:
    return " ".join(" ".join(nodo.itertext()).split())


# --- Item 6: approving a flagged item needs its reason -----------------------------------------


@pytest.mark.parametrize("texto", ["", "   ", None])
def test_aprobar_una_partida_senalada_sin_su_razon_se_niega(demo, texto):
    solicitud = fu.revisada(areas=("computo",))
    partida = _por_area(solicitud)["computo"]
    _pieza(partida)
    datos = {"resultado": "aprobada"} | ({} if texto is None else {"texto": texto})
    assert _rechazo(solicitud, {partida.pk: datos}) == [SENALADA_PIEZA]
    # The request-wide reason does not stand for the item's own.
    assert _rechazo(solicitud, {partida.pk: {"resultado": "aprobada"}}) == [SENALADA_PIEZA]


@pytest.mark.parametrize(
    ("mediana", "exigida"),
    [("8000", False), ("7999.99", True)],
    ids=["justo-en-el-umbral", "un-centavo-de-mediana-menos"],
)
def test_el_umbral_de_la_senal_dice_cuando_se_pide_la_razon(demo, mediana, exigida):
    """$10,000.00 over a median of $8,000.00 is 25 % exactly: not flagged, no reason needed;
    over $7,999.99 it is flagged. The reference's third quartile ($7,600.00) is below both,
    so «above Q3» taken for the flag asks for a reason at the threshold too."""
    solicitud = fu.revisada(areas=("computo",))
    partida = _por_area(solicitud)["computo"]
    _referencia(partida, mediana, "7000", "7600", "6500")
    aprobada = {partida.pk: {"resultado": "aprobada"}}
    if exigida:
        assert _rechazo(solicitud, aprobada) == [
            "Para aprobar la partida «Partida de computo» escriba en ella por qué se aprueba: "
            "su precio está señalado, 25.0 % sobre la mediana de referencia."
        ]
        return
    fu.decidir(solicitud, partidas=aprobada)
    decision = DecisionPartida.objects.get(partida=partida)
    assert (decision.resultado, decision.texto) == ("aprobada", "")


def test_una_partida_no_senalada_aprobada_no_guarda_un_texto_que_no_se_ve(demo):
    """The form hides the text of an item approved whole unless its reason is asked for: a text
    left there from another choice is not printed in the signed PDF."""
    solicitud = fu.revisada(areas=("computo",))
    partida = _por_area(solicitud)["computo"]
    fu.decidir(solicitud, partidas={partida.pk: {"resultado": "aprobada", "texto": "Quedó."}})
    assert DecisionPartida.objects.get(partida=partida).texto == ""


def test_un_precio_no_aceptable_por_la_ley_pide_la_razon_aunque_no_este_senalado(demo):
    solicitud = fu.revisada(areas=("computo",))
    partida = _por_area(solicitud)["computo"]
    hoy = timezone.localdate()
    anexo = Anexo.objects.create(
        solicitud=solicitud,
        tipo="cotizacion",
        archivo="expedientes/cotizacion-8500.pdf",
        nombre="cotizacion.pdf",
        content_type="application/pdf",
        tamano=100,
        sha256="a" * 64,
        subido_por=fu.usuario("requirente.sh"),
    )
    Cotizacion.objects.create(
        partida=partida,
        proveedor="Cómputo del Norte, S.A. de C.V.",
        precio_unitario=Decimal("8500.00"),
        fecha=hoy - datetime.timedelta(days=10),
        vigencia=hoy + datetime.timedelta(days=20),
        anexo=anexo,
    )
    precio = precios_de_partidas(solicitud=solicitud, partidas=[partida])[partida.pk]
    assert (precio.senalada, precio.no_aceptable) == (False, True)  # no reference at all
    assert _rechazo(solicitud, {partida.pk: {"resultado": "aprobada"}}) == [
        "Para aprobar la partida «Partida de computo» escriba en ella por qué se aprueba: su "
        "precio es no aceptable según la ley, 17.6 % sobre el valor central de las "
        "cotizaciones válidas ($8,500.00; límite +10 %)."
    ]
    fu.decidir(solicitud, partidas={partida.pk: {"resultado": "aprobada", "texto": RAZON}})
    assert DecisionPartida.objects.get(partida=partida).texto == RAZON


# --- The decision form ------------------------------------------------------------------------


@pytest.fixture
def dos_partidas(demo):
    """Waiting for the strategic decision: «computo» flagged (the piece above), «redes» as
    flujo_utils makes it (no reference)."""
    solicitud = fu.revisada(areas=("computo", "redes"))
    p = _por_area(solicitud)
    _pieza(p["computo"])
    return solicitud, p


def test_el_formulario_muestra_el_texto_de_la_senalada_y_dice_por_que(dos_partidas, como):
    solicitud, p = dos_partidas
    arbol = _arbol(como("estrategico").get(fu.detalle(solicitud)))
    c, r = p["computo"].pk, p["redes"].pk
    # The flagged item's text is outside the block CSS hides when it is approved whole.
    (texto,) = arbol.xpath(
        f"//fieldset[@id='decision-{c}']/div[@class='decision-partida__razon']"
        f"//textarea[@name='p{c}_texto']"
    )
    (etiqueta,) = arbol.xpath(f"//label[@for='{texto.get('id')}']")
    assert _texto(etiqueta) == "Explicación sobre «Partida de computo»"
    (ayuda,) = arbol.xpath(f"//*[@id='{texto.get('aria-describedby')}']")
    assert _texto(ayuda) == (
        "Obligatoria si la aprueba: su precio está señalado, 100.0 % sobre la mediana de "
        "referencia. Si la aprueba por menos o no la aprueba, explica el motivo elegido."
    )
    # The other item's text stays with its motive, and says nothing of price.
    assert (
        arbol.xpath(f"//fieldset[@id='decision-{r}']//div[@class='decision-partida__razon']") == []
    )
    (otro,) = arbol.xpath(
        f"//fieldset[@id='decision-{r}']/div[@class='decision-partida__motivo']"
        f"//textarea[@name='p{r}_texto']"
    )
    ayuda = arbol.xpath(f"//*[@id='{otro.get('aria-describedby')}']")[0]
    assert _texto(ayuda) == "Opcional; obligatoria si el motivo es «Otro motivo»."


def test_registrar_sin_la_razon_se_niega_junto_al_campo_y_conserva_lo_escrito(dos_partidas, como):
    solicitud, p = dos_partidas
    c, r = p["computo"].pk, p["redes"].pk
    escrito = {
        "accion": "decidir",
        "motivos": "Procede: cumple los estándares.",
        f"p{c}_resultado": "aprobada",
        f"p{r}_resultado": "aprobada",
    }
    respuesta = como("estrategico").post(
        reverse("solicitudes:estrategica", args=[solicitud.pk]), escrito
    )
    assert respuesta.status_code == 400
    arbol = _arbol(respuesta)
    (error,) = arbol.xpath(f"//span[@id='id_p{c}_texto_error']")
    assert _texto(error) == SENALADA_PIEZA
    assert arbol.xpath(f"//textarea[@name='p{c}_texto']")[0].get("aria-describedby") == (
        f"id_p{c}_texto_helptext id_p{c}_texto_error"
    )
    assert (
        arbol.xpath("//textarea[@name='motivos']")[0].text_content().strip()
        == "Procede: cumple los estándares."
    )
    marcadas = arbol.xpath(f"//input[@name='p{r}_resultado'][@checked]")
    assert [m.get("value") for m in marcadas] == ["aprobada"]
    assert not DecisionPartida.objects.filter(partida__solicitud=solicitud).exists()

    respuesta = como("estrategico").post(
        reverse("solicitudes:estrategica", args=[solicitud.pk]), escrito | {f"p{c}_texto": RAZON}
    )
    assert respuesta.status_code == 302
    assert DecisionPartida.objects.get(partida_id=c).texto == RAZON


# --- Item 7: «Reducir a la referencia» in the item's own unit ----------------------------------


def test_reducir_a_la_referencia_en_la_unidad_de_cada_partida(demo):
    solicitud = fu.revisada(areas=("computo", "redes", "seguridad"))
    p = _por_area(solicitud)
    _pieza(p["computo"])
    _servicio(p["redes"])
    _licencia(p["seguridad"])
    partidas = list(p.values())
    precios = precios_de_partidas(solicitud=solicitud, partidas=partidas)
    reducciones = {
        area: decisiones.reduccion_a_referencia(partida=partida, precio=precios[partida.pk])
        for area, partida in p.items()
    }
    motivo = "precio-sobre-referencia"
    assert reducciones == {
        "computo": {
            "resultado": "reducida",
            "cantidad": 2,
            "monto": Decimal("37492.00"),
            "motivo": motivo,
            "texto": TEXTO_PIEZA,
        },
        "redes": {
            "resultado": "reducida",
            "cantidad": 2,
            "monto": Decimal("144000.00"),
            "motivo": motivo,
            "texto": TEXTO_SERVICIO,
        },
        "seguridad": {
            "resultado": "reducida",
            "cantidad": 5,
            "monto": Decimal("30000.00"),
            "motivo": motivo,
            "texto": TEXTO_LICENCIA,
        },
    }


def test_reducir_sin_javascript_pone_el_motivo_y_las_cifras_del_servicio(demo, como):
    solicitud = fu.revisada(areas=("redes",))
    partida = _por_area(solicitud)["redes"]
    _servicio(partida)
    respuesta = como("estrategico").post(
        reverse("solicitudes:estrategica", args=[solicitud.pk]),
        {
            "accion": "decidir",
            "motivos": "Procede: cumple los estándares.",
            "reducir": str(partida.pk),
        },
    )
    assert respuesta.status_code == 200
    arbol = _arbol(respuesta)
    n = partida.pk
    assert arbol.xpath(f"//input[@name='p{n}_monto']")[0].get("value") == "144000.00"
    seleccion = arbol.xpath(f"//input[@name='p{n}_motivo'][@checked]")
    assert [(o.get("value"), _texto(o.getparent())) for o in seleccion] == [
        ("precio-sobre-referencia", "Precio por encima de la referencia")
    ]
    texto = arbol.xpath(f"//textarea[@name='p{n}_texto']")[0].text_content().strip()
    assert texto == TEXTO_SERVICIO
    # The button the script reads carries the same values.
    (boton,) = arbol.xpath(f"//button[@name='reducir'][@value='{n}']")
    assert (boton.get("data-monto"), boton.get("data-motivo"), boton.get("data-texto")) == (
        "144000.00",
        "precio-sobre-referencia",
        TEXTO_SERVICIO,
    )


# --- A signed dictamen: the reason and the motive printed, the API, the pages after --------------


def _firmado():
    """Three items decided with what the page offers: the flagged piece approved with its
    reason, the 12-month service and the 36-month licence reduced to the reference."""
    solicitud = fu.revisada(areas=("computo", "redes", "seguridad"), titulo="Precio sobre ref")
    p = _por_area(solicitud)
    _pieza(p["computo"])
    _servicio(p["redes"])
    _licencia(p["seguridad"])
    precios = precios_de_partidas(solicitud=solicitud, partidas=list(p.values()))
    partidas = {p["computo"].pk: {"resultado": "aprobada", "texto": RAZON}}
    for area in ("redes", "seguridad"):
        partida = p[area]
        partidas[partida.pk] = decisiones.reduccion_a_referencia(
            partida=partida, precio=precios[partida.pk]
        )
    fu.decidir(solicitud, partidas=partidas, motivos="Procede: cumple los estándares.")
    return fu.firmar(solicitud)


firmado_del_modulo = por_modulo(_firmado)


@pytest.fixture
def firmado(demo, firmado_del_modulo):
    return de_nuevo(firmado_del_modulo)


def test_la_razon_se_guarda_con_la_decision_y_en_su_evento(firmado):
    solicitud = firmado.solicitud
    p = _por_area(solicitud)
    filas = {
        d.partida_id: (d.resultado, d.monto_aprobado, d.motivo and d.motivo.clave, d.texto)
        for d in DecisionPartida.objects.filter(partida__solicitud=solicitud)
    }
    assert filas == {
        p["computo"].pk: ("aprobada", Decimal("75000.00"), None, RAZON),
        p["redes"].pk: (
            "reducida",
            Decimal("144000.00"),
            "precio-sobre-referencia",
            TEXTO_SERVICIO,
        ),
        p["seguridad"].pk: (
            "reducida",
            Decimal("30000.00"),
            "precio-sobre-referencia",
            TEXTO_LICENCIA,
        ),
    }
    evento = EventoAuditoria.objects.get(solicitud=solicitud, tipo="decision_estrategica")
    llevadas = {
        d["descripcion"]: (d["motivo_nombre"], d["texto"]) for d in evento.datos["partidas"]
    }
    assert llevadas == {
        "Partida de computo": ("", RAZON),
        "Partida de redes": ("Precio por encima de la referencia", TEXTO_SERVICIO),
        "Partida de seguridad": ("Precio por encima de la referencia", TEXTO_LICENCIA),
    }


def test_el_pdf_imprime_la_razon_y_el_motivo_con_las_cifras(firmado, tmp_path):
    texto = texto_pdf(integridad.dictamen_pdf_leer(dictamen=firmado), tmp_path)
    for fragmento in (
        "1 Partida de computo 2 $75,000.00 Aprobada 2 $75,000.00",
        "2 Partida de redes 2 $240,000.00 Aprobada por menor monto o cantidad 2 $144,000.00",
        "3 Partida de seguridad 5 $45,000.00 Aprobada por menor monto o cantidad 5 $30,000.00",
        f"Partida 1, Partida de computo (aprobada): {RAZON}",
        "Partida 2, Partida de redes (aprobada por menor monto o cantidad): Motivo: Precio por "
        f"encima de la referencia. {TEXTO_SERVICIO}",
        "Partida 3, Partida de seguridad (aprobada por menor monto o cantidad): Motivo: Precio "
        f"por encima de la referencia. {TEXTO_LICENCIA}",
    ):
        assert fragmento in texto, fragmento
    assert "Precio por encima del de mercado" not in texto


def test_verificar_y_la_api_dicen_la_razon_y_el_motivo(firmado, client):
    arbol = _arbol(client.get(reverse("verificar_folio", args=[firmado.folio])))
    razones = {
        _texto(tr.xpath("./th")[0]): _texto(tr.xpath("./td")[-1])
        for tr in arbol.xpath("//section[@id='decisiones']//tbody/tr[th]")
    }
    assert razones == {
        "Partida de computo": RAZON,
        "Partida de redes": f"Precio por encima de la referencia. {TEXTO_SERVICIO}",
        "Partida de seguridad": f"Precio por encima de la referencia. {TEXTO_LICENCIA}",
    }
    api = APIClient()
    api.force_authenticate(fu.usuario("auditor"))
    datos = api.get(f"/api/v1/dictamenes/{firmado.pk}/").json()
    dichas = {
        d["descripcion"]: (d["decision"], d["motivo"], d["explicacion"]) for d in datos["partidas"]
    }
    assert dichas == {
        "Partida de computo": ("aprobada", "", RAZON),
        "Partida de redes": ("reducida", "Precio por encima de la referencia", TEXTO_SERVICIO),
        "Partida de seguridad": (
            "reducida",
            "Precio por encima de la referencia",
            TEXTO_LICENCIA,
        ),
    }


def _referencia_de_hoy(partida, mediana):
    """Today's reference moved after the decision: a new row (as the daily run leaves it)."""
    ReferenciaPrecio.objects.filter(
        perfil_clave=partida.perfil.clave, unidad=partida.unidad
    ).delete()
    _referencia(partida, mediana, "16500", "21500", "15500")


def _dd(partida_descripcion, arbol) -> dict:
    """The price section's terms and their values for one item of the request's table."""
    filas = arbol.xpath("//section[@aria-labelledby='t-partidas']//tbody/tr")
    (fila,) = [tr for tr in filas if _texto(tr.xpath("./th")[0]) == partida_descripcion]
    return {
        _texto(div.xpath("./dt")[0]): _texto(div.xpath("./dd")[0])
        for div in fila.xpath(".//div[@class='precio-partida']//dl/div")
    }


def test_despues_de_decidir_la_referencia_al_decidir_y_la_de_hoy(firmado, como):
    solicitud = firmado.solicitud
    computo = _por_area(solicitud)["computo"]
    _referencia_de_hoy(computo, "20000")
    decidida = DecisionPartida.objects.get(partida=computo).decidida_en
    fecha = timezone.localtime(decidida).strftime("%d/%m/%Y")
    al_decidir = f"Precio de referencia al decidir ({fecha})"
    # Each agency counted once (issue 93): the decision keeps that its reference was so.
    cifras_al_decidir = (
        "mediana $18,746.00 (Q1–Q3 $16,000.00 – $21,000.00; menor $15,000.00; 5 compras de 3 "
        "entes en 24 meses, cada ente una vez)"
    )
    cifras_hoy = (
        "mediana $20,000.00 (Q1–Q3 $16,500.00 – $21,500.00; menor $15,500.00; 5 compras de 3 "
        "entes en 24 meses, cada ente una vez)"
    )
    terminos = _dd("Partida de computo", _arbol(como("auditor").get(fu.detalle(solicitud))))
    assert terminos[al_decidir] == cifras_al_decidir
    assert terminos["Precio de referencia hoy"] == cifras_hoy
    assert "Precio de referencia" not in terminos

    pagina = _arbol(
        como("auditor").get(reverse("solicitudes:partida_precio", args=[solicitud.pk, computo.pk]))
    )
    terminos = {
        _texto(div.xpath("./dt")[0]): _texto(div.xpath("./dd")[0])
        for div in pagina.xpath("//div[@class='precio-partida']//dl/div")
    }
    assert terminos[al_decidir] == cifras_al_decidir
    assert terminos["Precio de referencia hoy"] == cifras_hoy


def test_antes_de_decidir_la_referencia_no_lleva_hoy(dos_partidas, como):
    solicitud, p = dos_partidas
    terminos = _dd("Partida de computo", _arbol(como("auditor").get(fu.detalle(solicitud))))
    assert terminos["Precio de referencia"] == (
        "mediana $18,746.00 (Q1–Q3 $16,000.00 – $21,000.00; menor $15,000.00; 5 compras de 3 "
        "entes en 24 meses, cada ente una vez)"
    )
    assert not [t for t in terminos if "al decidir" in t or t.endswith("hoy")]
