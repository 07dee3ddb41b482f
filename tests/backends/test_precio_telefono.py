"""Issue 76, item 8, on a phone: the requester's item page with its market research written
(three quotes, one of them pointed out as far from the reference, the law's tests in the live
note) and its price page fit a 390 px screen: nothing scrolls sideways but a table inside its
own box. The demo as `make run` loads it, through the pages."""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dictamenes.cotizaciones import services as cotizaciones
from dictamenes.models import Partida, ReferenciaPrecio
from tests import demo_completa
from tests.backends.navegador import sesion_de
from tests.dictamenes import flujo_utils as fu
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
    demo_completa.cargar()
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
    # Issue 78: «¿Cuenta?» on each quote's card, not past a scroll box's right edge.
    assert _cuenta_a_la_vista(p, "#cotizaciones") == [True, True, True]
    p.get_by_role("link", name="Ver cada cotización frente a la referencia").click()
    p.wait_for_load_state()
    assert _sin_desborde(p)[0] <= ANCHO
    assert _cuenta_a_la_vista(p, "#cotizaciones") == [True, True, True]
    # The 24 months: the chart's type shrank past reading at this width; the table with the
    # same data takes its place, whole, with no box to scroll sideways.
    expect(p.locator("#grafica-precio")).to_be_hidden()
    serie = p.locator("#serie-precio")
    expect(serie.locator("td[data-etiqueta='Mediana']").first).to_be_in_viewport()
    assert serie.evaluate(SIN_CAJA_QUE_DESLICE), "la tabla de los 24 meses se desliza de lado"
    j.foto("precio-de-la-partida-390")
    _estrategica_en_un_telefono(j)


# Whether a table's box scrolls sideways (its content wider than it): false when it does.
SIN_CAJA_QUE_DESLICE = """(tabla) => {
  const caja = tabla.closest('.tabla-marco');
  return !caja || caja.scrollWidth <= caja.clientWidth;
}"""


def _cuenta_a_la_vista(page, tabla: str) -> list[bool]:
    """For each quote, whether its «¿Cuenta?» cell is inside the screen's width and its table
    needs no sideways scroll to reach it."""
    return page.locator(f"{tabla} td[data-etiqueta='¿Cuenta?']").evaluate_all(
        """(celdas, ancho) => celdas.map((c) => {
          const r = c.getBoundingClientRect(), caja = c.closest('.tabla-marco');
          return r.width > 0 && r.left >= 0 && r.right <= ancho
            && (!caja || caja.scrollWidth <= caja.clientWidth);
        })""",
        ANCHO,
    )


def _estrategica_en_un_telefono(j):
    """Issue 78: the strategic reviewer's list of motives for an item not approved is whole on a
    phone: each motive in sight, on its own lines, none cut at the screen's edge."""
    p = j.page
    solicitud = fu.revisada(areas=("computo",), titulo="Equipo para decidir en el teléfono")
    sesion_de(p, SimpleNamespace(url=j.url), "estrategico")
    p.goto(f"{j.url}{fu.detalle(solicitud)}")
    partida = p.locator("fieldset.decision-partida").first
    partida.get_by_label("No aprobada", exact=True).check()
    motivos = partida.get_by_role("group", name=re.compile("^Motivo de la decisión sobre"))
    expect(motivos).to_be_visible()
    cortados = motivos.locator("label").evaluate_all(
        """(etiquetas, ancho) => etiquetas.filter((e) => {
          const r = e.getBoundingClientRect();
          const entera = e.scrollWidth <= e.clientWidth;
          return !(r.width > 0 && r.left >= 0 && r.right <= ancho && entera);
        }).map((e) => e.innerText.trim())""",
        ANCHO,
    )
    assert cortados == [], cortados
    largo = "Riesgo de seguridad de la información no mitigado"
    motivos.get_by_label(largo, exact=True).check()
    expect(motivos.get_by_label(largo, exact=True)).to_be_checked()
    partida.screenshot(path=str(j.carpeta / "motivos-de-la-decision-390.png"))
