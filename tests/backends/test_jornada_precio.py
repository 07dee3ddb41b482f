"""Issue 62's journey, on the demo as `make run` loads it, through the pages only: the
requirente types a unit price twice its profile's reference and sees it while writing; the
strategic reviewer finds the demo's ten-item request with one item flagged, opens its price
page (the 24 months of the profile, the item marked), reduces it to the reference in one
click and decides; the firmante signs, and the dictamen's PDF states the price basis of each
item."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from playwright.sync_api import expect

from dictamenes.models import Partida, ReferenciaPrecio, Solicitud
from dictamenes.montos import pesos
from tests import demo_completa
from tests.backends.jornadas_pasos import FIRMA, firmante_firma
from tests.pdf import pdftotext

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BORRADOR = "Computadoras portátiles para la Procuraduría Fiscal"
DIEZ = "Equipamiento de las nuevas oficinas de recaudación"
SWITCHES = "Switches de distribución"
PRECIO = "Precio por encima de la referencia"  # issue 76, item 7
# Issue 76, item 6: the demo's other flagged items, approved, each with its reason.
ENLACE = "Enlace dedicado de 500 Mbps (3 años)"
RAZONES = {
    ENLACE: "Solo este proveedor lleva fibra a la oficina de Nogales; sin él no hay enlace.",
}
# $19,000 was +25.2 % over the desktops' reference when every purchase counted; with each
# agency once (issue 93) the reference is the mean of the demo's two agencies' medians and the
# item is +23.3 %, under the flag: it is approved with no reason of its own.
SUPERVISION = "Computadoras de escritorio para supervisión"


def _referencia(categoria, perfil):
    return ReferenciaPrecio.objects.get(
        categoria_clave=categoria, perfil_clave=perfil, unidad="pieza", suficiente=True
    )


def test_el_precio_al_doble_se_ve_al_escribir_se_reduce_y_el_dictamen_dice_su_base(jornada):
    j, p = jornada, jornada.page
    demo_completa.cargar()

    # The requirente, on her draft's item: the reference while she types.
    portatil = _referencia("computadora-portatil", "basico")
    mediana = portatil.mediana.quantize(Decimal("0.01"), ROUND_HALF_UP)
    j.entra("requirente.sh")
    j.ir_a("Mis solicitudes")
    p.get_by_role("row").filter(has_text=BORRADOR).get_by_role("link", name="Borrador").click()
    descripcion = Partida.objects.get(solicitud__titulo=BORRADOR).descripcion
    p.get_by_role("link", name=descripcion, exact=True).click()
    # precio-en-vivo.js is deferred: type after the page's load, as navegador.py's helpers do.
    # One loaded make test saw the box keep the saved price for the whole 10 s wait; the cause
    # was not established (a 2 s delay on the script alone did not reproduce it).
    p.wait_for_load_state()
    caja = p.locator("#precio-en-vivo")
    expect(caja).to_have_attribute("aria-live", "polite")
    expect(caja).to_contain_text(f"Mediana: {pesos(mediana)} por pieza")
    precio = p.get_by_label("Precio unitario (MXN)")
    precio.fill("")
    precio.press_sequentially(f"{mediana}")
    expect(caja).to_contain_text("igual a la mediana")
    expect(caja.locator(".senal-precio")).to_have_count(0)
    precio.fill("")
    precio.press_sequentially(f"{2 * mediana}")  # with the keyboard, as a person types
    expect(caja).to_contain_text(
        f"Su precio, {pesos(2 * mediana)} por pieza, está 100 % sobre la mediana"
    )
    expect(caja.locator(".senal-precio")).to_contain_text("Señalado")
    j.foto("precio-al-doble-mientras-escribe")
    j.sale()

    # The strategic reviewer: the flagged item, its price page, reduce, decide.
    solicitud = Solicitud.objects.get(titulo=DIEZ)
    switch = _referencia("switch", "acceso")
    partida = solicitud.partidas.get(descripcion=SWITCHES)
    referencia = (switch.mediana).quantize(Decimal("0.01"), ROUND_HALF_UP)
    reducido = partida.cantidad * referencia
    j.entra("estrategico")
    j.inicia("Revisión estratégica")
    j.toma_desde_su_inicio(solicitud.folio, "Revisión estratégica", j.vence("Revisión estratégica"))
    fila = j.region("Partidas").get_by_role("row").filter(has_text=SWITCHES)
    expect(fila).to_contain_text("Precio señalado")
    fila.get_by_role("link", name=f"Ver el precio de «{SWITCHES}»").click()
    grafica = p.get_by_role("img", name=f"Precio de «{SWITCHES}» frente a las compras del perfil")
    expect(grafica).to_be_visible()
    expect(p.locator("svg")).to_contain_text("Esta partida")
    j.foto("precio-de-la-partida")
    p.go_back()
    acciones = j.acciones()
    acciones.get_by_label("Decidir cada partida").check()
    partidas = acciones.locator("fieldset.decision-partida")
    for i in range(partidas.count()):
        una = partidas.nth(i)
        if SWITCHES in una.locator("legend").first.inner_text():
            una.get_by_role("button", name="Reducir a la referencia").click()
            expect(una.get_by_label("Aprobada por menor monto o cantidad")).to_be_checked()
        else:
            una.get_by_label("Aprobada", exact=True).check()
    acciones.get_by_label("Motivos").fill(
        "Procede; los switches de distribución, al precio de referencia."
    )
    j.foto("decision-reducida-a-la-referencia")
    acciones.get_by_role("button", name="Registrar").click()
    # Approving the flagged link (361.2 % over its reference, each agency counted once: issue
    # 93) without its own reason is refused, beside its text; the rest of what was chosen stays.
    acciones = j.acciones()
    enlace = acciones.locator("fieldset.decision-partida").filter(has_text=ENLACE)
    expect(enlace.locator(".error")).to_have_text(
        f"Para aprobar la partida «{ENLACE}» escriba en ella por qué se aprueba: su precio está "
        "señalado, 361.2 % sobre la mediana de referencia."
    )
    expect(enlace.get_by_label("Aprobada", exact=True)).to_be_checked()
    for descripcion, razon in RAZONES.items():
        una = acciones.locator("fieldset.decision-partida").filter(has_text=descripcion)
        una.get_by_label(f"Explicación sobre «{descripcion}»").fill(razon)
    supervision = acciones.locator("fieldset.decision-partida").filter(has_text=SUPERVISION)
    expect(supervision.locator(".error")).to_have_count(0)
    acciones.get_by_role("button", name="Registrar").click()
    j.inicia("Firma", FIRMA)
    j.ve_estado("En firma")
    decision = partida.__class__.objects.get(pk=partida.pk).decision
    assert (decision.resultado, decision.monto_aprobado, decision.motivo.nombre) == (
        "reducida",
        reducido,
        PRECIO,
    )
    j.sale()

    # The firmante signs; the dictamen states each item's price basis.
    firmante_firma(j, solicitud.folio, "Favorable")
    j.ir_a("Solicitudes")  # now among hundreds of closed ones: found by its folio
    p.get_by_label("Folio o título").fill(solicitud.folio)
    p.get_by_role("button", name="Filtrar").click()
    p.get_by_role("main").get_by_role("link", name=solicitud.folio, exact=True).click()
    pdf = j.descarga("Descargar PDF firmado", "dictamen.pdf")
    j.sale()
    texto = " ".join(pdftotext(pdf, "-raw").split())
    base = (
        f"{SWITCHES} (aprobada por menor monto o cantidad): Base del precio: referencia "
        f"{pesos(referencia)} por pieza (mediana de las medianas de cada ente: "
        f"{switch.compras} compras de {switch.entes} entes"
    )
    assert base in texto
    # The cut says why with the figures; each flagged item approved says its reason.
    assert (
        f"{SWITCHES} (aprobada por menor monto o cantidad): Motivo: {PRECIO}. Precio solicitado "
        f"$85,000.00 por pieza contra una referencia de {pesos(referencia)}"
    ) in texto
    for descripcion, razon in RAZONES.items():
        assert f"{descripcion} (aprobada): {razon}" in texto
    assert texto.count("Base del precio:") == solicitud.partidas.count()
