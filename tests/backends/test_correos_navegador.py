"""Issue 34, item 8 (the e-mail part): at the main steps of the procedure the person who must
act gets an e-mail, opens it, presses its button and lands, signed in, on the block of the
request where they act. The e-mail is the one the live server sent (django.core.mail.outbox:
its locmem backend runs in this process), shown in the browser as a mail reader would show
its HTML part; nothing is typed into the address bar."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from dictamenes.models import Area, Aviso
from dictamenes.seguimiento.services import condiciones
from dictamenes.tramite.services import etapas
from tests.backends.navegador import en_hilo, estado, iniciar_sesion, sesion_de
from tests.dictamenes import flujo_utils as fu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ESPERA_MS = 20_000


def correo(asunto: str, para: str):
    """The e-mail sent with this subject to this address, and its HTML part."""
    enviados = [
        m for m in mail.outbox if m.subject == f"[Dictámenes TIC] {asunto}" and para in m.to
    ]
    assert len(enviados) == 1, [m.subject for m in mail.outbox]
    [(html, tipo)] = enviados[0].alternatives
    assert tipo == "text/html"
    return enviados[0], html


def seguir(page, html: str, boton: str, live_server) -> str:
    """Show the e-mail in the browser, as a mail reader does (a blank page of its own, outside
    the site and its CSP), and press its button: where it leads."""
    page.goto("about:blank")
    page.set_content(html)
    enlace = page.get_by_role("link", name=boton)
    destino = enlace.get_attribute("href")
    assert destino.startswith(f"{live_server.url}/")
    enlace.click()
    page.wait_for_load_state()
    assert page.url == destino
    return destino


def test_los_correos_llevan_a_cada_quien_a_donde_actua(
    page, live_server, settings, demo, contrasena_demo
):
    settings.DICTAMENES_URL_PUBLICA = live_server.url
    mail.outbox.clear()
    paso = f"Revisión técnica: {Area.objects.get(clave='computo').nombre}"

    # New task → the area's reviewer, to the review form.
    revision = fu.admitida(areas=("computo",), titulo="Equipos para ventanillas (correo)")
    mensaje, html = correo(
        f"Nueva tarea: {paso} · {revision.folio}", "revisor.computo@demo.invalid"
    )
    iniciar_sesion(page, live_server, "revisor.computo", contrasena_demo)
    destino = seguir(page, html, f"Atender «{paso}»", live_server)
    assert destino == f"{live_server.url}/solicitudes/{revision.pk}/#acciones"
    expect(page.get_by_role("button", name="Concluir revisión del área")).to_be_visible()

    # Prevención → the agency, to the correction form, with its deadline in the e-mail.
    prevenida = fu.presentada(titulo="Impresoras sin cotización (correo)")
    etapas.admision_resolver(
        solicitud=prevenida, usuario=fu.usuario("mesa"), admitir=False, faltantes="La cotización."
    )
    prevenida.refresh_from_db()
    mensaje, html = correo(
        f"Prevención de la solicitud {prevenida.folio}", "requirente.sh@demo.invalid"
    )
    vence = timezone.localtime(prevenida.proceso.subsanar_vence)
    assert f"Plazo para subsanar: {vence:%d/%m/%Y}" in mensaje.body
    sesion_de(page, live_server, "requirente.sh")
    destino = seguir(page, html, "Subsanar la prevención", live_server)
    assert destino == f"{live_server.url}/solicitudes/{prevenida.pk}/#acciones"
    expect(page.get_by_role("button", name="Enviar corrección")).to_be_visible()

    # Dictamen (condicionado) → the agency, to the conditions, where the evidence goes.
    solicitud = fu.en_firma(
        areas=("computo",),
        titulo="Servidores con garantía (correo)",
        resultado="condicionado",
        condiciones="Acreditar la garantía extendida del fabricante.",
    )
    dictamen = en_hilo(fu.firmar, solicitud)
    condicion = dictamen.obligaciones.get()
    mensaje, html = correo(
        f"Dictamen {dictamen.folio} emitido para la solicitud {solicitud.folio}",
        "requirente.sh@demo.invalid",
    )
    assert f"Condición 1 · vence el {condicion.vence:%d/%m/%Y}" in mensaje.body
    destino = seguir(page, html, "Presentar la evidencia de las condiciones", live_server)
    assert destino == f"{live_server.url}/solicitudes/{solicitud.pk}/#condiciones"
    condiciones_ = page.get_by_role("region", name="Condiciones del dictamen")
    # The page opens at the conditions, not at its top.
    expect(condiciones_).to_be_in_viewport()
    expect(condiciones_).to_contain_text("Acreditar la garantía extendida del fabricante.")
    expect(page.get_by_text("Presentar evidencia de la condición 1")).to_be_visible()

    # Evidence uploaded → the reviewer who verifies it, who accepts it in the browser.
    en_hilo(
        condiciones.condicion_evidencia_subir,
        condicion=condicion,
        usuario=fu.usuario("requirente.sh"),
        archivo=SimpleUploadedFile("garantia.pdf", fu.PDF_MINIMO, content_type="application/pdf"),
    )
    mensaje, html = correo(
        f"Evidencia por verificar: condición 1 del dictamen {dictamen.folio}",
        "revisor.computo@demo.invalid",
    )
    sesion_de(page, live_server, "revisor.computo")
    destino = seguir(page, html, "Verificar la condición 1", live_server)
    assert destino == f"{live_server.url}/solicitudes/{solicitud.pk}/#condicion-1"
    expect(page.locator("#condicion-1")).to_be_in_viewport()
    page.get_by_label("La evidencia acredita la condición: cumplida").check()
    page.get_by_role("button", name="Registrar la decisión").click()
    page.wait_for_load_state()

    # Condition verified → the agency, to the condition's row, now met.
    mensaje, html = correo(
        f"Condición 1 del dictamen {dictamen.folio} cumplida", "requirente.sh@demo.invalid"
    )
    sesion_de(page, live_server, "requirente.sh")
    destino = seguir(page, html, "Ver las condiciones del dictamen", live_server)
    assert destino.endswith(f"/solicitudes/{solicitud.pk}/#condicion-1")
    expect(page.locator("#condicion-1")).to_contain_text("Cumplida a tiempo")
    assert estado(page) == "Dictaminada"
    # Every one of them was written to the outbox and sent.
    assert not Aviso.objects.filter(enviado_en__isnull=True, enlace__startswith="http").exists()
    assert all(re.match(r"https?://", a.enlace) for a in Aviso.objects.exclude(enlace=""))
