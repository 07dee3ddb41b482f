"""Item 5 of issue 19: the status, as prominent as the authenticity.

The finding: uploading the authentic PDF of a *cancelled* dictamen to /verificar/ gave a green
"Documento auténtico." box and no word of the cancellation; only a link further down led to
it. Now the result's one status box says the dictamen's status (vigente, vencido, cancelado or
rectificado) with its date and reason, in the box's heading, and the box's colour follows the
status; the folio page (where the QR leads) says it in the same words, from the same include.
Also item 3's line: "firmado el … · sello de tiempo de … · validación a largo plazo incluida".
"""

import dataclasses
import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import html as lxml_html

from dictamenes.emision.services import integridad, rectificacion
from tests.dictamenes.flujo_utils import (
    credencial,
    en_firma,
    firmar,
    pdf_valido,
    rectificar,
    usuario,
)

pytestmark = pytest.mark.django_db

MOTIVO = "La dependencia desistió de la compra."
ZONA = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def dmy(fecha) -> str:
    return fecha.strftime("%d/%m/%Y")


@dataclasses.dataclass
class Pagina:
    """What a person reads: the status box (its classes and text) and the whole page."""

    status: int
    clases: set[str]
    caja: str
    titulos: list[str]
    enlaces: dict[str, str]
    texto: str


def leer(respuesta) -> Pagina:
    arbol = lxml_html.fromstring(respuesta.content.decode())
    (caja,) = arbol.xpath("//*[@role='status']")  # one live region: the verdict
    return Pagina(
        status=respuesta.status_code,
        clases=set(caja.get("class").split()),
        caja=" ".join(caja.text_content().split()),
        titulos=[" ".join(h.text_content().split()) for h in caja.xpath(".//h2|.//h3")],
        enlaces={a.text_content(): a.get("href") for a in caja.xpath(".//a")},
        texto=" ".join(arbol.xpath("//main")[0].text_content().split()),
    )


def subir(client, dictamen, datos=None) -> Pagina:
    datos = datos or integridad.dictamen_pdf_leer(dictamen=dictamen)
    return leer(client.post(reverse("verificar"), {"pdf": SimpleUploadedFile("d.pdf", datos)}))


def folio(client, dictamen) -> Pagina:
    return leer(client.get(reverse("verificar_folio", args=[dictamen.folio])))


def estado_de(pagina: Pagina) -> str:
    """The status part of the box, from "Estado:" on: the same words on both pages."""
    return pagina.caja[pagina.caja.index("Estado:") :]


def cancelar(dictamen, motivo=MOTIVO):
    return rectificacion.dictamen_cancelar(
        dictamen=dictamen, usuario=usuario("firmante"), credencial=credencial(), motivo=motivo
    )


@pytest.fixture
def dictamen(demo):
    return firmar(en_firma())


def test_vigente_en_verde_con_su_vigencia(client, dictamen):
    pagina = subir(client, dictamen)
    hasta = dmy(dictamen.vigencia_hasta)
    assert pagina.status == 200
    assert pagina.titulos == ["Documento auténtico.", "Estado: Vigente"]
    assert f"Es exactamente el dictamen {dictamen.folio}" in pagina.caja
    assert f"Vigente hasta el {hasta}." in pagina.caja
    assert "estado-caja--valido" in pagina.clases
    assert estado_de(pagina) == estado_de(folio(client, dictamen))
    assert "estado-caja--valido" in folio(client, dictamen).clases


def test_cancelado_no_dice_solo_documento_autentico_ni_en_verde(client, dictamen):
    cancelado = cancelar(dictamen)
    pagina = subir(client, dictamen)
    el_dia = cancelado.cancelado_en.astimezone(ZONA)
    assert pagina.titulos == [
        "Documento auténtico, pero el dictamen está CANCELADO.",
        "Estado: Cancelado",
    ]
    assert "Documento auténtico." not in pagina.texto
    assert f"Cancelado el {dmy(el_dia)} {el_dia:%H:%M}" in pagina.caja
    assert f"Motivo: {MOTIVO}" in pagina.caja
    assert "estado-caja--invalido" in pagina.clases
    assert "estado-caja--valido" not in pagina.clases
    # The QR's page: the same words, the same red box.
    del_folio = folio(client, dictamen)
    assert del_folio.titulos == ["Estado: Cancelado"]
    assert estado_de(pagina) == estado_de(del_folio)
    assert "estado-caja--invalido" in del_folio.clases


def test_rectificado_enlaza_al_que_lo_sustituye(client, dictamen):
    nuevo = rectificar(dictamen, motivo="La vigencia citada es otra.")
    dictamen.refresh_from_db()
    pagina = subir(client, dictamen)
    assert pagina.titulos == [
        "Documento auténtico, pero el dictamen está RECTIFICADO.",
        "Estado: Rectificado",
    ]
    assert f"Cancelado el {dmy(dictamen.cancelado_en.astimezone(ZONA))}" in pagina.caja
    assert "Motivo: Rectificación: La vigencia citada es otra." in pagina.caja
    assert f"Fue rectificado por el dictamen {nuevo.folio}, que es el que cuenta ahora." in (
        pagina.caja
    )
    assert pagina.enlaces == {nuevo.folio: reverse("verificar_folio", args=[nuevo.folio])}
    assert "estado-caja--invalido" in pagina.clases
    assert estado_de(pagina) == estado_de(folio(client, dictamen))
    # The replacement is the one in force.
    reemplazo = subir(client, nuevo)
    assert reemplazo.titulos == ["Documento auténtico.", "Estado: Vigente"]
    assert "estado-caja--valido" in reemplazo.clases
    assert f"Rectifica al dictamen {dictamen.folio}." in folio(client, nuevo).texto


def test_vencido_en_ambar_desde_el_dia_siguiente_a_su_vigencia(client, dictamen):
    hasta = dictamen.vigencia_hasta
    datos = integridad.dictamen_pdf_leer(dictamen=dictamen)
    ultimo_dia = datetime.datetime.combine(hasta, datetime.time(23, 59), tzinfo=ZONA)
    with time_machine.travel(ultimo_dia, tick=False):
        assert subir(client, dictamen, datos).titulos[1] == "Estado: Vigente"
    with time_machine.travel(ultimo_dia + datetime.timedelta(minutes=2), tick=False):
        pagina = subir(client, dictamen, datos)
        del_folio = folio(client, dictamen)
    siguiente = dmy(hasta + datetime.timedelta(days=1))
    assert pagina.titulos == [
        "Documento auténtico, pero el dictamen está VENCIDO.",
        "Estado: Vencido",
    ]
    assert f"Vencido desde el {siguiente}: estuvo vigente hasta el {dmy(hasta)}." in pagina.caja
    assert "estado-caja--aviso" in pagina.clases
    assert estado_de(pagina) == estado_de(del_folio)
    assert "estado-caja--aviso" in del_folio.clases


def test_un_pdf_ajeno_es_rojo_y_no_habla_de_estado(client, demo):
    pagina = leer(
        client.post(reverse("verificar"), {"pdf": SimpleUploadedFile("x.pdf", pdf_valido())})
    )
    assert pagina.titulos == ["Documento NO auténtico."]
    assert "Estado:" not in pagina.caja
    assert "estado-caja--invalido" in pagina.clases


FIRMADO = datetime.datetime(2026, 3, 5, 17, 32, 7, tzinfo=datetime.UTC)
SELLADO = datetime.datetime(2026, 3, 5, 17, 32, 9, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("campos", "linea"),
    [
        (
            {"firmado_en": FIRMADO, "sello_tiempo": SELLADO, "ltv": True},
            "Firmado el 05/03/2026 10:32:07 MST · sello de tiempo de 05/03/2026 10:32:09 MST"
            " · validación a largo plazo incluida",
        ),
        (
            {"firmado_en": FIRMADO, "sello_tiempo": None, "ltv": False},
            "Firmado el 05/03/2026 10:32:07 MST · sin sello de tiempo",
        ),
        (
            {"firmado_en": None, "sello_tiempo": SELLADO, "ltv": False},
            "Sello de tiempo de 05/03/2026 10:32:09 MST",
        ),
    ],
    ids=["completa", "sin-sello", "sin-firmado-en"],
)
def test_la_linea_del_sello_de_tiempo(client, dictamen, monkeypatch, campos, linea):
    """The times in Sonora's local time (UTC−7, no daylight saving), each part only when the
    verification found it. The real values come from comprobacion.pdf_verificar."""
    real = integridad.pdf_subido_verificar

    def con_tiempos(*, archivo):
        return dataclasses.replace(real(archivo=archivo), **campos)

    monkeypatch.setattr(integridad, "pdf_subido_verificar", con_tiempos)
    arbol = lxml_html.fromstring(
        client.post(
            reverse("verificar"),
            {"pdf": SimpleUploadedFile("d.pdf", integridad.dictamen_pdf_leer(dictamen=dictamen))},
        ).content.decode()
    )
    (parrafo,) = arbol.xpath("//*[@role='status']//p[@class='estado-caja__tiempo']")
    assert " ".join(parrafo.text_content().split()) == linea


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_en_el_navegador_el_cancelado_se_ve_en_rojo(page, live_server, demo, axe, tmp_path):
    """Chromium shows both results; axe finds no serious violation in either. The screenshots
    are for a person to look at (test-results/verificar-*.png, ignored by git)."""
    from playwright.sync_api import expect

    from tests.backends.navegador import en_hilo
    from tests.backends.test_accesibilidad import Escaneo
    from tests.backends.test_browser import RESULTADOS

    vigente = en_hilo(lambda: firmar(en_firma(titulo="Computadoras de escritorio")))
    cancelado = en_hilo(lambda: firmar(en_firma(titulo="Licencias de correo")))
    en_hilo(cancelar, cancelado)
    escaneo = Escaneo(page, axe)
    for nombre, dictamen, color, titulo in [
        ("vigente", vigente, "rgb(232, 243, 233)", "Documento auténtico."),
        (
            "cancelado",
            cancelado,
            "rgb(253, 236, 236)",
            "Documento auténtico, pero el dictamen está CANCELADO.",
        ),
    ]:
        pdf = tmp_path / f"{nombre}.pdf"
        pdf.write_bytes(integridad.dictamen_pdf_leer(dictamen=dictamen))
        page.goto(f"{live_server.url}/verificar/")
        page.get_by_label("PDF del dictamen").set_input_files(str(pdf))
        page.get_by_role("button", name="Verificar", exact=True).click()
        caja = page.get_by_role("status")
        expect(caja.get_by_role("heading", level=3).first).to_have_text(titulo)
        assert caja.evaluate("e => getComputedStyle(e).backgroundColor") == color
        # The real signature: timestamped by the test TSA, with its long-term data (B-LTA).
        expect(caja.locator(".estado-caja__tiempo")).to_contain_text(" · sello de tiempo de ")
        expect(caja.locator(".estado-caja__tiempo")).to_contain_text(
            " · validación a largo plazo incluida"
        )
        expect(caja.locator(".estado-caja__tiempo")).to_contain_text("Firmado el ")
        caja.scroll_into_view_if_needed()
        page.screenshot(path=str(RESULTADOS / f"verificar-{nombre}.png"), full_page=True)
        escaneo.revisar(f"verificar ({nombre})")
    expect(page.get_by_role("status")).to_contain_text(f"Motivo: {MOTIVO}")
    # Where the QR leads: the same box, in the same red.
    page.get_by_role("link", name="Ver la página pública del dictamen").click()
    caja = page.get_by_role("status")
    expect(caja.get_by_role("heading", level=2)).to_have_text("Estado: Cancelado")
    assert caja.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(253, 236, 236)"
    page.screenshot(path=str(RESULTADOS / "verificar-folio-cancelado.png"), full_page=True)
    escaneo.revisar("verificar por folio (cancelado)")
    print(escaneo.tabla())
    assert not escaneo.graves(), escaneo.detalle()
