"""A request closed early, through the pages only, in Chromium on PostgreSQL: the requirente
presents it, the mesa de control admits it, a reviewer takes its step, and the requirente
desists with a reason. Then each role opens it and reads the same closed state: no step open
anywhere, the reason in the history, nothing left to do. Screenshots land in
test-results/jornadas/<test name>/."""

import pytest
from playwright.sync_api import expect

from tests.backends.jornadas import nombre_de, revision
from tests.backends.jornadas_pasos import (
    PRESENTACION,
    REQUIRENTE,
    escritorio_admitido,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOTIVO = "El proveedor de telefonía entregará los equipos en comodato; ya no se compran."
CERRADA = "la dependencia desistió de la solicitud, que se cerró sin dictamen"
DESISTIMIENTO = "Desistimiento: la dependencia retiró la solicitud"
CONFIRMACION = "Entiendo que la solicitud se cierra sin dictamen y que no puede reabrirse."

# Who opens the closed request afterwards, and from which link of their home page.
QUIENES = [
    ("mesa", "Solicitudes"),
    ("revisor.computo", "Solicitudes"),
    ("estrategico", "Solicitudes"),
    ("firmante", "Solicitudes"),
    ("auditor", "Todas las solicitudes"),
]


def _requirente_desiste(j, folio):
    j.entra("requirente.sh")
    j.abrir(folio, desde="Mis solicitudes")
    j.ve_estado("En revisión técnica")
    # While the Subsecretaría holds it, the agency is told what comes next, and may desist.
    j.ve_lo_que_sigue("el área revisa sus partidas")
    desistir = j.region("Cerrar la solicitud sin dictamen").locator("details")
    desistir.get_by_text("Desistir de la solicitud", exact=True).click()
    expect(desistir).to_contain_text("no puede reabrirse")
    desistir.get_by_label("Motivo").fill(MOTIVO)
    j.foto("desistir")

    # Without the confirmation nothing closes, and the reason typed is still there.
    desistir.get_by_role("button", name="Desistir y cerrar la solicitud").click()
    expect(desistir).to_contain_text("Confirme que desea cerrar la solicitud.")
    j.ve_estado("En revisión técnica")
    expect(desistir.get_by_label("Motivo")).to_have_value(MOTIVO)

    desistir.get_by_label(CONFIRMACION).check()
    desistir.get_by_role("button", name="Desistir y cerrar la solicitud").click()
    j.mensaje_exito("La solicitud se cerró por desistimiento; sus pasos en curso se cancelaron.")
    j.ve_estado("Desistida")
    j.ve_lo_que_sigue("Su dependencia desistió de esta solicitud el", MOTIVO)
    expect(j.acciones().get_by_role("button")).to_have_count(0)
    expect(j.region("Cerrar la solicitud sin dictamen")).to_have_count(0)
    j.foto("desistida")
    j.sale()


def _ve_cerrada(j, folio):
    """What anyone who may see the request reads once it is closed."""
    j.ve_estado("Desistida")
    j.ve_pasos_en_curso({})
    j.ve_tramite(hechos=[(PRESENTACION, REQUIRENTE), ("Admisión", nombre_de("mesa"))])
    expect(j.tramite()).to_contain_text(CERRADA)
    expect(j.tramite()).to_contain_text(DESISTIMIENTO)
    expect(j.tramite().locator("[aria-current=step]")).to_have_count(0)
    j.ve_en_historial("La dependencia desistió de la solicitud; se cierra sin dictamen", MOTIVO)


def test_el_requirente_desiste_y_cada_rol_ve_la_solicitud_cerrada(jornada):
    j = jornada
    folio = escritorio_admitido(j, "Computadoras de escritorio para la oficina de recaudación")
    paso = revision("computo")

    # A reviewer takes the step: it is in their inbox when the agency desists.
    j.entra("revisor.computo")
    j.toma_de_la_cola(folio, paso, j.vence(paso))
    j.sale()

    _requirente_desiste(j, folio)

    # The agency finds it among its closed requests with the list's filter.
    j.entra("requirente.sh")
    j.ir_a("Mis solicitudes")
    j.page.get_by_label("Estado").select_option(label="Desistida")
    j.page.get_by_role("button", name="Filtrar").click()
    fila = j.page.get_by_role("main").get_by_role("row").filter(has_text=folio)
    expect(fila).to_contain_text("Desistida")
    fila.get_by_role("link", name=folio, exact=True).click()
    _ve_cerrada(j, folio)
    j.sale()

    # The step left the reviewer's inbox; nobody has anything to do on it.
    for usuario, lista in QUIENES:
        j.entra(usuario)
        for bandeja in ("Mis tareas", "Tareas por tomar") if usuario != "auditor" else ():
            j.ir_a(bandeja)
            expect(
                j.page.get_by_role("main").get_by_role("link", name=folio, exact=True)
            ).to_have_count(0)
        j.abrir(folio, desde=lista)
        _ve_cerrada(j, folio)
        j.no_le_toca_nada()
        expect(j.region("Cerrar la solicitud sin dictamen")).to_have_count(0)
        j.foto("cerrada")
        j.sale()

    # The other agency does not see it at all.
    j.entra("requirente.rc")
    j.ir_a("Mis solicitudes")
    expect(j.page.get_by_role("main").get_by_role("link", name=folio, exact=True)).to_have_count(0)
    j.sale()
