"""Issue 47's journey: a partial decision carried to the last person, through the pages only.

The strategic reviewer approves one item for fewer units and refuses the other, each with a
reason from the catalogue; the firmante signs; the requester reads on the request page and in
the e-mail what was approved of each item and why not all; she registers a contract for more
than was approved (less than she asked) and it is signalled to the strategic reviewer."""

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

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITULO = "Equipo para ventanillas y supervisión"
SOBREDIMENSIONADA = "Cantidad o especificaciones mayores a la necesidad"
PRECIO = "Precio por encima del de mercado"


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
    escritorio.get_by_label("Motivo de la decisión sobre").select_option(label=SOBREDIMENSIONADA)
    escritorio.get_by_label("Explicación sobre").fill("Seis ventanillas atienden al público.")
    portatil.get_by_label("No aprobada", exact=True).check()
    portatil.get_by_label("Motivo de la decisión sobre").select_option(label=PRECIO)
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

    # A contract for more than was approved (less than she asked) is signalled.
    registro = j.page.locator("#registrar-contrato")
    registro.locator("summary").click()
    expect(registro).to_contain_text("Si el total contratado pasa de $129,000.00")
    registro.get_by_label("Número de contrato").fill("SH-2026-047")
    registro.get_by_label("Proveedor").fill("Cómputo del Noroeste")
    registro.get_by_label("Fecha del contrato").fill(timezone.localdate().isoformat())
    registro.get_by_label("Monto contratado (MXN)").fill("150000")
    registro.get_by_role("button", name="Registrar el contrato").click()
    j.mensaje_exito(f"Contrato SH-2026-047 registrado bajo el dictamen {folio_dictamen}.")
    expect(j.region("Dictamen")).to_contain_text("Total sobre lo aprobado")
    j.foto("contrato-senalado")
    j.sale()

    # The strategic reviewer hears of it and sees it in the list of signalled contracts.
    aviso = Aviso.objects.get(asunto=f"Contrato señalado bajo el dictamen {folio_dictamen}")
    assert "excede lo que aprobó el dictamen ($129,000.00)" in aviso.mensaje
    j.entra("estrategico")
    j.page.goto(f"{j.url}/planeacion/contratos/")
    fila = j.page.get_by_role("row").filter(has_text=folio_dictamen)
    expect(fila).to_contain_text("$150,000.00")
    expect(fila).to_contain_text("$129,000.00")
    expect(fila).to_contain_text("Total sobre lo aprobado")
    j.sale()
