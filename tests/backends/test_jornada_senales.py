"""Issue 80's journey, on the demo as `make run` loads it, through the pages only: the request
whose three suppliers quoted the very same price and whose contract passed what the dictamen
approved carries both signs, each with its evidence, on the page the strategic reviewer opens
from the request list; the strategic reviewer records what was done about one; the auditor
reads both with that record, and finds the request in the auditor's list of signs filtered by
either."""

import pytest
from playwright.sync_api import expect

from dictamenes.models import EventoAuditoria, Senal, Solicitud
from tests import demo_completa

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONMUTADORES = "Conmutadores de acceso para oficinas regionales"
COBERTURA = "Cotizaciones que parecen de cobertura"
EXCEDE = "Contrato sobre lo aprobado"


def _buscar(j, folio: str, lista: str) -> None:
    p = j.page
    j.ir_a(lista)
    p.get_by_label("Folio o título").fill(folio)
    p.get_by_role("button", name="Filtrar").click()
    p.get_by_role("main").get_by_role("link", name=folio, exact=True).click()
    expect(j.dato("Folio")).to_have_text(folio)


def _ve_las_dos(j):
    senales = j.page.locator("section#senales")
    cobertura = senales.locator("article[data-senal=cobertura]")
    excede = senales.locator("article[data-senal=contrato_excede]")
    expect(cobertura).to_contain_text("precios iguales")
    expect(cobertura).to_contain_text("Redes Integrales del Desierto")
    expect(cobertura.get_by_role("link").first).to_be_visible()  # its evidence, the item's price
    expect(excede).to_contain_text("aprobados")
    expect(excede).to_contain_text("Regla")
    return cobertura, excede


def test_las_dos_senales_de_la_demo_llegan_al_estrategico_y_al_auditor_que_filtra(jornada):
    j, p = jornada, jornada.page
    demo_completa.cargar()
    solicitud = Solicitud.objects.get(titulo=CONMUTADORES)
    folio = solicitud.folio

    j.entra("estrategico")
    _buscar(j, folio, "Solicitudes")
    _cobertura, excede = _ve_las_dos(j)
    j.foto("senales-de-la-solicitud")
    formulario = excede.get_by_role("form", name=f"Qué se hizo con la señal «{EXCEDE}»")
    formulario.get_by_label("Revisada: no cambia la decisión").check()
    formulario.get_by_label("Nota").fill("El exceso está dentro de la tolerancia y tiene motivo.")
    formulario.get_by_role("button", name="Guardar lo que se hizo").click()
    expect(p.locator("article[data-senal=contrato_excede] .senal__atencion")).to_contain_text(
        "Revisada: no cambia la decisión"
    )
    j.sale()
    assert EventoAuditoria.objects.filter(solicitud=solicitud, tipo="senal_atendida").count() == 1

    j.entra("auditor")
    _buscar(j, folio, "Todas las solicitudes")
    _cobertura, excede = _ve_las_dos(j)
    expect(excede).to_contain_text("El exceso está dentro de la tolerancia y tiene motivo.")
    assert excede.get_by_role("form").count() == 0  # the auditor reads, and changes nothing
    for nombre in (COBERTURA, EXCEDE):
        j.ir_a("Señales")
        filtros = p.locator("form#filtros-senales")
        filtros.get_by_label("Señal").select_option(label=nombre)
        filtros.get_by_role("button", name="Filtrar").click()
        tabla = p.locator("table#tabla-senales")
        expect(tabla).to_contain_text(folio)
        codigos = set(Senal.objects.filter(solicitud=solicitud).values_list("codigo", flat=True))
        assert {"cobertura", "contrato_excede"} <= codigos
        # Only that sign's rows: every row says it.
        filas = tabla.locator("tbody tr")
        expect(filas.first).to_contain_text(nombre)
        assert filas.count() == filas.filter(has_text=nombre).count()
    j.foto("lista-del-auditor-filtrada")
