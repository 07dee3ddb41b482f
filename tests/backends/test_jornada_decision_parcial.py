"""Issue 47's journey: a partial decision carried to the last person, through the pages only.

The strategic reviewer approves one item for fewer units and refuses the other, each with a
reason from the catalogue; the firmante signs; the requester reads on the request page and in
the e-mail what was approved of each item and why not all; she registers a contract for more
than was approved (less than she asked): the form warns her while she types the amount, asks
her reason, and the contract is signalled to the strategic reviewer, the signer and the
administrators (issue 61)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dictamenes.models import Aviso
from tests.backends.jornadas_pasos import (
    ESCRITORIO,
    FIRMA,
    PORTATIL,
    firmante_firma,
    mesa_admite,
    partida_escritorio,
    partida_portatil,
    requirente_presenta,
    revisor_concluye,
    sin_via_rapida,
)
from tests.dictamenes.flujo_utils import usuario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITULO = "Equipo para ventanillas y supervisión"
SOBREDIMENSIONADA = "Cantidad o especificaciones mayores a la necesidad"
PRECIO = "Precio por encima del de mercado"
MOTIVO = "El proveedor adjudicado cotizó con el tipo de cambio del día de la firma."


def test_decision_parcial_llega_al_requirente_al_correo_y_al_contrato(jornada):
    j = jornada
    sin_via_rapida()
    # 10 desktops × $21,500 = $215,000 and 15 laptops × $24,000 = $360,000.
    folio = requirente_presenta(
        j,
        titulo=TITULO,
        tipo="Adquisición",
        monto="575000",
        partidas=(partida_escritorio, partida_portatil),
        areas=("computo",),
    )
    mesa_admite(j, folio, ("computo",))
    revisor_concluye(
        j,
        folio,
        "revisor.computo",
        "computo",
        {ESCRITORIO: "Cumple para ventanilla.", PORTATIL: "Cumple; precio alto."},
    )

    # The strategic reviewer: six desktops instead of ten, no laptops; each with its reason.
    j.entra("estrategico")
    j.toma_desde_su_inicio(folio, "Revisión estratégica", j.vence("Revisión estratégica"))
    acciones = j.acciones()
    acciones.get_by_label("Decidir cada partida").check()
    escritorio, portatil = (acciones.locator("fieldset.decision-partida").nth(i) for i in (0, 1))
    escritorio.get_by_label("Aprobada por menor monto o cantidad").check()
    escritorio.get_by_label("Cantidad aprobada").fill("6")
    escritorio.get_by_label(SOBREDIMENSIONADA, exact=True).check()
    escritorio.get_by_label("Explicación sobre").fill("Seis ventanillas atienden al público.")
    portatil.get_by_label("No aprobada", exact=True).check()
    portatil.get_by_label(PRECIO, exact=True).check()
    expect(acciones.locator("#total-aprobado")).to_have_text("$129,000.00")
    acciones.get_by_label("Motivos").fill("Procede en parte: ventanillas sí, portátiles no.")
    acciones.get_by_role("button", name="Registrar").click()
    j.inicia("Firma", FIRMA)
    j.ve_estado("En firma")
    j.sale()

    folio_dictamen = firmante_firma(j, folio, "Favorable")
    j.sale()

    # The requester reads what was approved of each item, and why not all.
    j.entra("requirente.sh")
    j.abrir(folio, desde="Mis solicitudes")
    j.ve_estado("Dictaminada")
    expect(j.dato("Monto aprobado")).to_contain_text("$129,000.00")
    expect(j.dato("Monto aprobado")).to_contain_text("ahorro de $446,000.00")
    partidas = j.region("Partidas")
    fila = partidas.get_by_role("row").filter(has_text=ESCRITORIO)
    expect(fila).to_contain_text("Aprobada por menor monto o cantidad: 6 por $129,000.00")
    expect(fila).to_contain_text(f"{SOBREDIMENSIONADA}. Seis ventanillas atienden al público.")
    fila = partidas.get_by_role("row").filter(has_text=PORTATIL)
    expect(fila.locator(".decision-dictamen")).to_contain_text("No aprobada")
    expect(fila.locator(".decision-dictamen")).not_to_contain_text("por $")
    expect(fila).to_contain_text(PRECIO)
    expect(j.page.locator("#aviso-parcial")).to_contain_text(
        "El dictamen aprobó $129,000.00 de los $575,000.00 solicitados."
    )
    j.foto("requirente-decision-parcial")

    # The same in her e-mail.
    correo = Aviso.objects.get(asunto__startswith=f"Dictamen {folio_dictamen} emitido")
    texto = " ".join(correo.mensaje.split())
    assert "El dictamen aprobó $129,000.00 de los $575,000.00 solicitados" in texto
    assert (
        f"Partida «{ESCRITORIO}»: Aprobada por menor monto o cantidad: 6 de 10, $129,000.00 de "
        f"$215,000.00. Motivo: {SOBREDIMENSIONADA}. Seis ventanillas atienden al público."
    ) in texto
    assert (
        f"Partida «{PORTATIL}»: No aprobada: 0 de 15, $0.00 de $360,000.00. Motivo: {PRECIO}"
        in (texto)
    )

    # A contract for more than was approved (less than she asked): the form is open, since
    # one is due, says what was approved and what remains, and warns while she types the
    # amount (issue 61); it is saved only with her reason, and signalled.
    registro = j.page.locator("#registrar-contrato")
    expect(registro).to_have_attribute("open", "")
    expect(registro).to_contain_text("Si el total contratado pasa de $129,000.00")
    expect(registro.locator("#contrato-tope dd")).to_have_text(
        ["$129,000.00", "$0.00", "$129,000.00"]  # approved, contracted, what remains
    )
    motivo = registro.get_by_label("Motivo para contratar más de lo aprobado")
    expect(motivo).to_be_hidden()  # asked only when it is needed
    registro.get_by_label("Número de contrato").fill("SH-2026-047")
    registro.get_by_label("Proveedor", exact=True).fill("Cómputo del Noroeste")
    registro.get_by_label("Fecha del contrato").fill(timezone.localdate().isoformat())
    monto = registro.get_by_label("Monto contratado (MXN)")
    monto.press_sequentially("120000")
    aviso_en_vivo = registro.locator("#contrato-tope-aviso")
    expect(aviso_en_vivo).to_have_attribute("aria-live", "polite")
    expect(aviso_en_vivo).to_contain_text(
        "Con $120,000.00, el total contratado bajo el dictamen sería $120,000.00, dentro de "
        "los $129,000.00 que aprobó."
    )
    monto.fill("")
    monto.press_sequentially("150000")  # with the keyboard, as a person types
    expect(aviso_en_vivo).to_contain_text(
        "Pasa de lo aprobado. Con $150,000.00, el total contratado bajo el dictamen sería "
        "$150,000.00, más que los $129,000.00 que aprobó."
    )
    expect(aviso_en_vivo).to_contain_text(
        "Pasa lo aprobado por más de la tolerancia (10 %): el contrato esperará la autorización "
        "de la revisión estratégica"
    )
    expect(motivo).to_be_visible()
    j.foto("contrato-aviso-en-vivo")
    registro.get_by_role("button", name="Registrar el contrato").click()
    registro = j.page.locator("#registrar-contrato")
    expect(registro).to_contain_text(
        "Con este contrato el total contratado bajo el dictamen ($150,000.00) pasa de lo que "
        "aprobó ($129,000.00): escriba el motivo para contratar más de lo aprobado."
    )
    expect(registro.get_by_label("Monto contratado (MXN)")).to_have_value("150000")
    registro.get_by_label("Motivo para contratar más de lo aprobado").fill(MOTIVO)
    registro.get_by_role("button", name="Registrar el contrato").click()
    j.mensaje_exito(f"Contrato SH-2026-047 registrado bajo el dictamen {folio_dictamen}.")
    expect(j.region("Dictamen")).to_contain_text("Total sobre lo aprobado")
    expect(j.region("Dictamen")).to_contain_text(MOTIVO)
    j.foto("contrato-senalado")
    j.sale()

    # The strategic reviewer, the signer and the administrators hear of it.
    # +16 % over what was approved, past the office's 10 %: it waits for the strategic reviewer.
    aviso = Aviso.objects.get(
        asunto=f"Contrato señalado bajo el dictamen {folio_dictamen}: espera su autorización"
    )
    assert "excede lo que aprobó el dictamen ($129,000.00)" in aviso.mensaje
    assert MOTIVO in " ".join(aviso.mensaje.split())
    for quien in ("estrategico", "firmante", "admin"):
        assert usuario(quien).email in aviso.destinatarios
    j.entra("firmante")
    expect(j.page.locator("#contratos-senalados")).to_contain_text(
        f"{folio_dictamen} · SH-2026-047"
    )
    j.sale()
    j.entra("estrategico")
    j.page.goto(f"{j.url}/planeacion/contratos/")
    fila = j.page.get_by_role("row").filter(has_text=folio_dictamen)
    expect(fila).to_contain_text("$150,000.00")
    expect(fila).to_contain_text("$129,000.00")
    expect(fila).to_contain_text("Total sobre lo aprobado")
    j.sale()
