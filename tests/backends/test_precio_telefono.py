"""Issue 76, item 8, on a phone: the requester's item page with its market research written
(three quotes, one of them pointed out as far from the reference, the law's tests in the live
note) and its price page fit a 390 px screen: nothing scrolls sideways but a table inside its
own box. The demo as `make run` loads it, through the pages."""

import datetime
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from dictamenes.models import Partida, ReferenciaPrecio
from dictamenes.tramite.services import cotizaciones
from tests.dictamenes.flujo_utils import PDF_MINIMO, usuario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BORRADOR = "Computadoras portátiles para la Procuraduría Fiscal"
ANCHO = 390


def _cotizar(partida, precios):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for n, precio in enumerate(precios, start=1):
        cotizaciones.cotizacion_agregar(
            partida=partida,
            usuario=usuario("requirente.sh"),
            proveedor=f"Distribuidora de Cómputo Número {n}, S.A. de C.V.",
            precio_unitario=precio,
            fecha=timezone.localdate() - datetime.timedelta(days=n),
            vigencia=timezone.localdate() + datetime.timedelta(days=30),
            archivo=SimpleUploadedFile(
                f"cotizacion-{n}.pdf",
                PDF_MINIMO.replace(b"%%EOF", b"%" + bytes([48 + n]) + b"\n%%EOF"),
            ),
        )


SOBRESALEN = """
Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.tabla-marco'))
  .map(e => e.tagName + ' en #' + (e.closest('section,fieldset,div') || {}).id)
  .slice(0, 3)
"""


def _sin_desborde(page) -> tuple[int, int]:
    return page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


def test_la_partida_con_su_investigacion_de_mercado_cabe_en_un_telefono(jornada):
    j, p = jornada, jornada.page
    call_command("cargar_demo", stdout=io.StringIO())
    partida = Partida.objects.select_related("perfil__categoria").get(solicitud__titulo=BORRADOR)
    referencia = ReferenciaPrecio.objects.get(
        categoria_clave=partida.perfil.categoria.clave,
        perfil_clave=partida.perfil.clave,
        unidad="pieza",
    )
    mediana = referencia.mediana.quantize(Decimal("0.01"), ROUND_HALF_UP)
    # Two near the reference, one at twice it: pointed out as far from it.
    _cotizar(partida, [mediana, (mediana * Decimal("1.05")).quantize(Decimal("0.01")), mediana * 2])
    j.entra("requirente.sh")
    p.set_viewport_size({"width": ANCHO, "height": 844})
    j.ir_a("Mis solicitudes")
    p.get_by_role("row").filter(has_text=BORRADOR).get_by_role("link", name="Borrador").click()
    p.get_by_role("link", name=partida.descripcion, exact=True).click()
    p.wait_for_load_state()
    expect(p.locator("#ley-precio")).to_be_visible()
    expect(p.locator("#cotizaciones .senal-precio")).to_have_count(1)
    j.foto("partida-con-cotizaciones-390")
    # What sticks out, outside a table's own box: named in the failure.
    anchos = p.evaluate(SOBRESALEN)
    assert _sin_desborde(p)[0] <= ANCHO, anchos
    j.foto("partida-con-cotizaciones-390")
    p.get_by_role("link", name="Ver cada cotización frente a la referencia").click()
    p.wait_for_load_state()
    assert _sin_desborde(p)[0] <= ANCHO
    j.foto("precio-de-la-partida-390")
