"""«Capacidad para el cierre» walked once in Chromium (issue 50, items 2 and 3; issue 81, item
6): from the strategic reviewer's home to the plan of the demo with ten years of history on 25
November 2026 and the cómputo and software reviewers away all December, with each week's 80 %
interval and the recommendation's likelihood, margin and rule of thumb; then a reinforcement
tried with the keyboard-usable form, and the p90 of the first red week drops below the
standard beside the plan's, with nothing saved."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from demo import historico_anual, historico_con_pasos
from dictamenes.capacidad.services.plan import plan_de_capacidad
from dictamenes.models import Refuerzo
from tests.backends.test_accesibilidad import Escaneo
from tests.dictamenes.capacidad.cierre import dos_revisores_fuera_en_diciembre

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def test_el_revisor_estrategico_prueba_un_refuerzo_y_ve_bajar_el_p90(jornada, axe):
    j = jornada
    escaneo = Escaneo(j.page, axe)
    historico_anual.cargar()
    historico_con_pasos.cargar()
    dos_revisores_fuera_en_diciembre()
    momento = datetime.datetime(2026, 11, 25, 10, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(momento):  # ticking: the server's clock moves on as usual
        plan = plan_de_capacidad()
        rojas = [s for s in plan.total if s.rojo]
        primera = rojas[0]
        fila_roja = plan.total.index(primera) + 1

        j.entra("estrategico")
        j.ir_a("Capacidad para el cierre")
        main = j.page.get_by_role("main")
        expect(main.get_by_role("heading", level=1)).to_have_text("Capacidad para el cierre 2026")
        expect(j.page.get_by_role("status").first).to_contain_text(f"{len(rojas)} semanas en rojo")
        expect(j.page.get_by_role("img", name="p90 esperado por semana")).to_have_count(1)
        # Each week's interval beside its p90, and how likely the recommendation is to hold.
        oficina = j.region("Tabla: Toda la oficina, por semana")
        expect(oficina.get_by_role("columnheader", name="Intervalo de 80 %")).to_be_visible()
        expect(oficina.get_by_role("row").nth(fila_roja).get_by_role("cell").nth(1)).to_have_text(
            f"{primera.p90_bajo:.0f} a {primera.p90_alto:.0f}"
        )
        expect(main).to_contain_text("cada semana queda en el estándar en al menos")
        expect(main).to_contain_text("La regla de costumbre —un revisor más en")
        j.foto("plan")
        escaneo.revisar("capacidad para el cierre")

        # The recommendation, as actions a director can give.
        accion = plan.acciones[0]
        expect(
            main.get_by_role("listitem").filter(has_text="Preste un revisor a").first
        ).to_be_visible()
        expect(main).to_contain_text(f"a {accion.area.nombre} del {accion.desde.day} de")
        j.page.get_by_label("Sumar el refuerzo que recomienda el plan").check()
        j.page.get_by_role("button", name="Probar").click()

        resultado = j.page.get_by_role("status").filter(has_text="Resultado de la prueba")
        expect(resultado).to_contain_text("Con la prueba, ninguna semana queda en rojo.")
        tabla = j.region("Tabla: Toda la oficina: el plan y la prueba")
        fila = tabla.get_by_role("row").nth(fila_roja)
        expect(fila.get_by_role("rowheader")).to_have_text(
            f"{primera.lunes.day} {'nov' if primera.lunes.month == 11 else 'dic'}"
        )
        celdas = fila.get_by_role("cell")
        expect(celdas.nth(0)).to_have_text(f"{primera.p90} ✕ en rojo")
        p90 = int(celdas.nth(1).inner_text())
        assert p90 <= plan.estandar < primera.p90
        j.foto("prueba")
        escaneo.revisar("capacidad para el cierre (prueba)")
        j.page.get_by_label("Días-revisor por semana").fill("mucho")
        j.page.get_by_role("button", name="Probar").click()
        expect(j.page.get_by_label("Días-revisor por semana")).to_have_attribute(
            "aria-invalid", "true"
        )
        escaneo.revisar("capacidad para el cierre (prueba con error)")
    assert not Refuerzo.objects.exists()
    print("\n" + escaneo.tabla() + "\n" + escaneo.detalle())
    assert not escaneo.graves(), "\n".join(escaneo.graves())
