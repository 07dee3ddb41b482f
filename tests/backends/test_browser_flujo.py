"""One request walked from presentation to signature in a real browser, by five people."""

import pytest
from django.conf import settings

from dictamenes.efirma_pruebas import CONTRASENA_EFIRMA_DEMO
from dictamenes.models import Solicitud
from tests.backends.test_browser import RESULTADOS, iniciar_sesion
from tests.dictamenes.flujo_utils import PDF_MINIMO

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def salir(page):
    page.get_by_role("button", name="Cerrar sesión").click()


def abrir_solicitud(page, live_server, titulo):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Solicitudes").first.click()
    page.get_by_role("link", name=Solicitud.objects.get(titulo=titulo).folio).click()


def test_de_la_presentacion_a_la_firma_en_el_navegador(
    page, live_server, demo, contrasena_demo, tmp_path
):
    titulo = "Computadoras para ventanillas del Registro"
    # 1. Requirente: draft, item with its specifications, the oficio, presentation.
    iniciar_sesion(page, live_server, "requirente.sh", contrasena_demo)
    page.get_by_role("link", name="Nueva solicitud").click()
    page.get_by_label("Tipo de operación").select_option("adquisicion")
    page.get_by_label("Título").fill(titulo)
    page.get_by_label("Monto total estimado (MXN)").fill("300000")
    page.get_by_label("Justificación").fill("Equipos del año 2000 en ventanillas.")
    page.get_by_label("Alineación al Programa de Gobierno Digital").fill("Eje 3.")
    page.get_by_role("button", name="Guardar").click()
    assert page.locator("#estado-solicitud").inner_text() == "Borrador"

    page.get_by_role("link", name="Agregar partida").click()
    page.get_by_label("Perfil técnico").select_option(label="Computadora de escritorio · Básico")
    page.get_by_role("button", name="Elegir perfil y capturar especificaciones").click()
    page.get_by_label("Descripción").fill("Computadora de escritorio para ventanilla")
    page.get_by_label("Cantidad").fill("20")
    page.get_by_label("Precio unitario (MXN)").fill("15000")
    page.get_by_label("Capítulo").select_option("5000")
    page.get_by_label("Partida específica").fill("51501")
    page.get_by_label("Memoria RAM", exact=True).fill("16")
    page.get_by_label("Tipo de almacenamiento").select_option("SSD")
    page.get_by_role("button", name="Guardar y evaluar").click()
    assert "Computadora de escritorio para ventanilla" in page.inner_text("main")

    oficio = tmp_path / "oficio.pdf"
    oficio.write_bytes(PDF_MINIMO)
    page.get_by_label("Tipo de anexo").select_option("oficio")
    page.get_by_label("Archivo").set_input_files(str(oficio))
    page.get_by_role("button", name="Subir").click()
    page.get_by_role("button", name="Presentar solicitud").click()
    assert page.locator("#estado-solicitud").inner_text() == "En admisión"
    salir(page)

    # 2. Mesa de control admits it.
    iniciar_sesion(page, live_server, "mesa", contrasena_demo)
    abrir_solicitud(page, live_server, titulo)
    page.get_by_label("Admitir: la solicitud está completa").check()
    page.get_by_role("button", name="Registrar decisión").click()
    assert page.locator("#estado-solicitud").inner_text() == "En revisión técnica"
    salir(page)

    # 3. The area reviewer gives an opinion per item and concludes.
    iniciar_sesion(page, live_server, "revisor.computo", contrasena_demo)
    abrir_solicitud(page, live_server, titulo)
    page.get_by_label("Opinión técnica de «Computadora de escritorio para ventanilla»").fill(
        "Cumple para atención en ventanilla."
    )
    page.get_by_label("Opinión del área").select_option("favorable")
    page.get_by_role("button", name="Concluir revisión del área").click()
    assert page.locator("#estado-solicitud").inner_text() == "En revisión estratégica"
    salir(page)

    # 4. The strategic reviewer decides.
    iniciar_sesion(page, live_server, "estrategico", contrasena_demo)
    abrir_solicitud(page, live_server, titulo)
    page.get_by_label("Resultado", exact=True).select_option("favorable")
    page.get_by_label("Motivos").fill("Sustituye equipo obsoleto; sin duplicidad.")
    page.get_by_role("button", name="Registrar").click()
    assert page.locator("#estado-solicitud").inner_text() == "En firma"
    salir(page)

    # 5. The firmante signs with the demo e.firma (.cer, .key and its password).
    iniciar_sesion(page, live_server, "firmante", contrasena_demo)
    abrir_solicitud(page, live_server, titulo)
    carpeta = settings.DICTAMENES_EFIRMA_DEMO_DIR
    page.get_by_label("Certificado (.cer)").set_input_files(str(carpeta / "firmante.cer"))
    page.get_by_label("Llave privada (.key)").set_input_files(str(carpeta / "firmante.key"))
    page.get_by_label("Contraseña de la llave privada").fill(CONTRASENA_EFIRMA_DEMO)
    page.get_by_role("button", name="Firmar y emitir el dictamen").click()
    assert page.locator("#estado-solicitud").inner_text() == "Dictaminada"
    assert "Descargar PDF firmado" in page.inner_text("main")
    historial = page.get_by_role("region", name="Historial").inner_text()
    for paso in (
        "Solicitud presentada",
        "Solicitud admitida",
        "Revisión técnica de",
        "Decisión estratégica: Favorable",
        "emitido: Favorable",
    ):
        assert paso in historial
    page.screenshot(path=str(RESULTADOS / "solicitud_dictaminada.png"), full_page=True)
