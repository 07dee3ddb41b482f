"""The fast track walked once in Chromium (issue 36): the mesa reads the track and admits; a
reviewer of an area that is not the lead one takes the single review from the shared queue
and concludes it for every item; a request with a security item gets one review per area.
Then (issue 47) a request with items of two areas, from its draft, which says the track it
would take, to the strategic reviewer's send-back: the second area's reviewer asks the
agency for information, as that area. The requests are built with the services
(tests/dictamenes/tramite/test_vias.py); the rest is clicks."""

import pytest
from playwright.sync_api import expect

from tests.backends.jornadas import AREA, nombre_de, revision, vence_en
from tests.dictamenes.tramite import test_vias as tv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_via_rapida_una_revision_compartida_y_la_completa_una_por_area(jornada):
    j = jornada
    rapida = tv.presentada()
    completa = tv.admitida(areas=("computo", "redes", "seguridad"))
    unica = f"Revisión técnica única (vía rápida): {AREA['computo']}, {AREA['redes']}"

    # The mesa reads the track and why, then admits.
    j.entra("mesa")
    j.page.goto(f"{j.url}/solicitudes/{rapida.pk}/")
    via = j.region("Vía de revisión: Vía rápida")
    expect(via).to_contain_text(tv.MONTO_CUMPLIDO % "$70,000.00")
    expect(via.get_by_role("button", name="Pasar a la vía completa")).to_be_visible()
    j.ve_tramite(
        actuales=[("Admisión", None, vence_en(2))], siguientes=[unica, "Revisión estratégica"]
    )
    j.foto("via-rapida-en-admision")
    j.admite()
    j.ve_pasos_en_curso({unica: ("Sin tomar", vence_en(2))})
    j.sale()

    # Security's reviewer is not in the shared queue; it has its own review of the other one.
    j.entra("revisor.seguridad")
    j.ir_a("Tareas por tomar")
    expect(j.fila_de_tarea(completa.folio, revision("seguridad"))).to_have_count(1)
    expect(j.fila_de_tarea(rapida.folio, unica)).to_have_count(0)
    j.sale()

    # Cómputo's reviewer (redes is the lead area) takes it and reviews both items.
    j.entra("revisor.computo")
    j.ir_a("Tareas por tomar")
    expect(j.fila_de_tarea(completa.folio, revision("computo"))).to_have_count(1)
    expect(j.fila_de_tarea(completa.folio, revision("redes"))).to_have_count(0)
    j.foto("cola-compartida")
    j.toma_de_la_cola(rapida.folio, unica, vence_en(2))
    seccion = j.acciones()
    expect(
        seccion.get_by_role("heading", name="Revisión técnica única (vía rápida)")
    ).to_be_visible()
    for area in ("computo", "redes"):
        seccion.get_by_label(f"Opinión técnica de «Partida de {area}»").fill("Cumple el perfil.")
    seccion.get_by_label("Opinión del área", exact=True).select_option(label="Favorable")
    j.foto("revision-unica")
    seccion.get_by_role("button", name="Concluir revisión del área").click()
    j.mensaje_exito("Revisión técnica única registrada: todas las partidas tienen su opinión.")
    j.ve_estado("En revisión estratégica")
    j.ve_pasos_en_curso({"Revisión estratégica": ("Sin tomar", vence_en(1))})
    j.ve_tramite(
        hechos=[(unica, nombre_de("revisor.computo"))],
        actuales=[("Revisión estratégica", None, vence_en(1))],
    )
    j.foto("revision-unica-concluida")


def test_via_rapida_con_dos_areas_pregunta_el_area_de_quien_revisa(jornada):
    j = jornada
    borrador = tv.borrador()  # redes has the larger amount: cómputo is the second area
    unica = f"Revisión técnica única (vía rápida): {AREA['computo']}, {AREA['redes']}"
    pagina = f"{j.url}/solicitudes/{borrador.pk}/"
    pregunta = "¿Las computadoras traen monitor de 24 pulgadas?"

    # The draft says the track it would take now, and why; presenting gives that one.
    j.entra("requirente.sh")
    j.page.goto(pagina)
    prevista = j.region("Vía de revisión si la presenta ahora: Vía rápida")
    expect(prevista).to_contain_text("Umbral de la vía rápida: $500,000.00.")
    for razon in (tv.MONTO_CUMPLIDO % "$70,000.00", tv.PARTIDAS_CUMPLIDA, tv.CATEGORIAS_CUMPLIDA):
        expect(prevista).to_contain_text(razon)
    j.foto("borrador-via-prevista")
    folio = j.presenta()
    expect(j.region("Vía de revisión: Vía rápida")).to_contain_text(tv.PARTIDAS_CUMPLIDA)
    j.sale()

    j.entra("mesa")
    j.page.goto(pagina)
    j.admite()
    j.sale()

    # Cómputo's reviewer takes the single review and asks, as Cómputo, about the laptops.
    j.entra("revisor.computo")
    j.toma_de_la_cola(folio, unica, vence_en(2))
    seccion = j.acciones()
    campo = seccion.get_by_label(
        f"Información que necesita del requirente (la pide {AREA['computo']})"
    )
    expect(campo.locator("xpath=ancestor::form")).to_have_attribute(
        "action", f"/solicitudes/{borrador.pk}/informacion/computo/"
    )
    campo.fill(pregunta)
    seccion.get_by_role("button", name="Pedir información al requirente").click()
    j.mensaje_exito("Petición enviada al requirente; el plazo del área queda detenido.")
    j.sale()

    # The requester reads who asks and answers.
    j.entra("requirente.sh")
    j.page.goto(pagina)
    peticion = (
        j.acciones()
        .locator("form")
        .filter(has=j.page.get_by_role("heading", name=f"Información que pide {AREA['computo']}"))
    )
    expect(peticion).to_contain_text(pregunta)
    peticion.get_by_label("Su respuesta").fill("Sí, de 24 pulgadas.")
    j.foto("peticion-de-computo")
    peticion.get_by_role("button", name="Responder").click()
    j.mensaje_exito("Respuesta enviada al área.")
    j.sale()

    # The review concludes for both items.
    j.entra("revisor.computo")
    j.page.goto(pagina)
    seccion = j.acciones()
    for area in ("computo", "redes"):
        seccion.get_by_label(f"Opinión técnica de «Partida de {area}»").fill("Cumple el perfil.")
    seccion.get_by_label("Opinión del área", exact=True).select_option(label="Favorable")
    seccion.get_by_role("button", name="Concluir revisión del área").click()
    j.mensaje_exito("Revisión técnica única registrada: todas las partidas tienen su opinión.")
    j.sale()

    # The strategic reviewer may send it back to either area the review covered.
    j.entra("estrategico")
    j.page.goto(pagina)
    # The single review's opinion is both areas', not the lead one's (issue 61).
    expect(j.page.locator("#opiniones-areas")).to_contain_text(
        f"{AREA['computo']}, {AREA['redes']} (revisión técnica única, vía rápida) (ronda 1): "
        f"Favorable — {nombre_de('revisor.computo')}."
    )
    areas = j.acciones().get_by_label("Área a la que se devuelve").locator("option")
    expect(areas).to_have_text(["---------", AREA["computo"], AREA["redes"]])
    j.foto("devolucion-a-las-dos-areas")
