"""Issue 76's contract journey, on the demo as `make run` loads it, through the pages only, as
the requester who gains by moving the state's price would try it: under the demo's dictamen of
the dedicated links ($1,080,000.00 approved, $1,044,000.00 already contracted), a contract of
$999,999,999,999.99 is refused beside the amount; one that takes the total 30 % over waits for
the strategic reviewer, who authorises it with a reason; the mesa checks it against its
document. No reference moves at any step: while it waits, while it is unchecked, and after,
because the dictamen's earlier contract has no document and nobody checked it (what was paid
is the whole of its contracts; the cap and the whole are tested in
tests/dictamenes/seguimiento/test_contratos_que_nadie_mueve.py)."""

import pytest
from playwright.sync_api import expect

from dictamenes.models import Contrato, PrecioObservado, ReferenciaPrecio, Solicitud
from tests import demo_completa
from tests.dictamenes.flujo_utils import pdf_valido

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENLACES = "Enlaces de internet dedicados para oficinas regionales"


def _referencias() -> list[tuple]:
    return list(
        ReferenciaPrecio.objects.order_by("categoria_clave", "perfil_clave", "unidad").values_list(
            "categoria_clave", "perfil_clave", "unidad", "compras", "mediana", "minimo"
        )
    )


def test_el_contrato_absurdo_se_rechaza_y_el_de_mas_espera_sin_mover_la_referencia(
    jornada, tmp_path
):
    j, p = jornada, jornada.page
    demo_completa.cargar()
    solicitud = Solicitud.objects.get(titulo=ENLACES)
    antes = _referencias()
    observados = list(PrecioObservado.objects.filter(solicitud=solicitud).values_list("precio"))

    j.entra("requirente.sh")
    j.ir_a("Mis solicitudes")  # among the demo's hundreds: found by its folio
    p.get_by_label("Folio o título").fill(solicitud.folio)
    p.get_by_role("button", name="Filtrar").click()
    p.get_by_role("main").get_by_role("link", name=solicitud.folio, exact=True).click()
    formulario = p.locator("#registrar-contrato")
    if not formulario.get_attribute("open"):
        formulario.locator("summary").click()
    formulario.get_by_label("Número de contrato").fill("SH-DGA-CTO-2026-099")
    formulario.get_by_label("Proveedor", exact=True).fill(
        "Telecomunicaciones del Noroeste, S.A. de C.V."
    )
    formulario.get_by_label("Fecha del contrato").fill("2026-11-20")
    formulario.get_by_label("Monto contratado (MXN)").fill("999999999999.99")
    formulario.get_by_label("Motivo para contratar más de lo aprobado").fill("Ampliación")
    formulario.get_by_role("button", name="Registrar el contrato").click()
    expect(p.get_by_text("sería más de 10 veces lo que aprobó").first).to_be_visible()
    j.foto("contrato-absurdo-rechazado")
    assert not Contrato.objects.filter(numero="SH-DGA-CTO-2026-099").exists()

    # 30 % over what was approved: $1,044,000 + $360,000 = $1,404,000 = 1.3 × $1,080,000.
    documento = tmp_path / "contrato.pdf"
    documento.write_bytes(pdf_valido())
    formulario = p.locator("#registrar-contrato")
    formulario.get_by_label("Monto contratado (MXN)").fill("360000.00")
    formulario.get_by_label("Documento del contrato").set_input_files(documento)
    formulario.get_by_role("button", name="Registrar el contrato").click()
    j.mensaje_exito("Contrato SH-DGA-CTO-2026-099 registrado")
    fila = p.locator("table[id^=contratos-] tr").filter(has_text="SH-DGA-CTO-2026-099")
    expect(fila).to_contain_text("En espera de la revisión estratégica")
    j.foto("contrato-en-espera")
    j.sale()
    assert _referencias() == antes

    # Each of them finds it among their pending work on their home page.
    dictamen = solicitud.dictamenes.get().folio
    j.entra("estrategico")
    j.inicio()
    p.get_by_role(
        "link", name=f"{dictamen} · Contrato SH-DGA-CTO-2026-099: autorice o no el monto"
    ).click()
    pendiente = p.locator("#contratos-pendientes li").filter(has_text="SH-DGA-CTO-2026-099")
    pendiente.get_by_label("Motivo de su decisión").fill(
        "Procede: el proveedor único cobró la instalación aparte; consta en el contrato."
    )
    j.foto("contrato-por-autorizar")
    pendiente.get_by_role("button", name="Autorizar el contrato").click()
    j.mensaje_exito("Contrato SH-DGA-CTO-2026-099 autorizado.")
    j.sale()
    # Authorised but not yet checked against its document: still no price of it.
    assert _referencias() == antes

    # Issue 93, item 6: the link leads to the contract's page, its document shown in it; the
    # server records that it sent the document to the mesa, and the check asks for that.
    j.entra("mesa")
    j.inicio()
    with p.expect_response(lambda r: r.url.endswith("/documento/") and r.status == 200):
        p.get_by_role(
            "link",
            name=f"{dictamen} · Contrato SH-DGA-CTO-2026-099: verifíquelo contra su documento",
        ).click()
    expect(p.locator("iframe#documento-contrato")).to_be_visible()
    j.foto("contrato-por-verificar")
    p.get_by_role("button", name="Coincide con su documento: verificar").click()
    j.mensaje_exito("Contrato SH-DGA-CTO-2026-099 verificado contra su documento.")
    j.sale()
    contrato = Contrato.objects.get(numero="SH-DGA-CTO-2026-099")
    assert (contrato.autorizacion, contrato.verificado_por.username) == ("autorizada", "mesa")
    assert contrato.documento_abierto_en is not None
    assert list(PrecioObservado.objects.filter(solicitud=solicitud).values_list("precio")) == (
        observados
    )
    assert _referencias() == antes
