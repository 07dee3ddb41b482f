"""Issue 35, item 5: a second state, walked. The invented Estado de Anáhuac's profile is loaded
(`cargar_perfil_estado`); then, through the pages only, one request with items in two of its
areas goes from the requirente to a signed dictamen whose PDF and public verification speak
for that state: its letterhead, its legal basis, its folios, its deadlines."""

import io
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from dictamenes.models import CambioPendiente
from dictamenes.operacion.services import configuracion
from tests.backends import jornadas
from tests.backends.jornadas import ESPERA, qr_del_pdf
from tests.backends.jornadas_pasos import (
    ESCRITORIO,
    FIREWALL,
    estrategico_decide,
    firma_el_dictamen,
    mesa_admite,
    partida_escritorio,
    partida_firewall,
    publico_abre,
    requirente_presenta,
    revisor_concluye,
)
from tests.pdf import pdftotext

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERFIL = Path(settings.BASE_DIR) / "demo/perfiles/estado_de_anahuac.toml"
MEMBRETE = (
    "Gobierno del Estado de Anáhuac",
    "Secretaría de Innovación y Gobierno Digital",
    "Agencia de Gobierno Digital",
    "Coordinación de Dictaminación Tecnológica",
)
FUNDAMENTO = "Ley de Gobierno Digital del Estado de Anáhuac, artículos 12 y 31"
LUGAR = "Ciudad de Texcoco, Anáhuac"
# Issue 61: the profile gives the signer's post; the demo's own must not reach Anáhuac's PDF.
CARGO_FIRMA = "Titular de la Agencia de Gobierno Digital"
CARGO_DEMO = "Subsecretario de Gobierno Digital (demo)"


@pytest.fixture
def anahuac(monkeypatch):
    """The profile loaded as an administrator would, and what the journey's helpers read of
    the state: its areas' names, its reviewers, its deadlines (the pages show the profile's)."""
    call_command("cargar_perfil_estado", str(PERFIL), usuario="admin", stdout=io.StringIO())
    # Asked by one administrator, the profile waits for the second one (issues 48 and 59).
    for cambio in CambioPendiente.objects.filter(tipo="perfil", estado="pendiente"):
        configuracion.cambio_aprobar(
            cambio=cambio, por=get_user_model().objects.get(username="admin2")
        )
    monkeypatch.setitem(jornadas.AREA, "ciberseguridad", "Ciberseguridad y Sistemas")
    monkeypatch.setitem(jornadas.AREA, "bienes", "Bienes Informáticos")
    monkeypatch.setitem(jornadas.NOMBRE, "revisor.ciberseguridad", "Tonatiuh Ocelotl Mena")
    monkeypatch.setitem(jornadas.NOMBRE, "revisor.bienes", "Xóchitl Ramírez Acolt")
    for nombre, dias in (
        ("PLAZO_ADMISION", 3),
        ("PLAZO_SUBSANAR", 8),
        ("PLAZO_REVISION", 7),
        ("PLAZO_ESTRATEGICA", 4),
        ("PLAZO_FIRMA", 1),
    ):
        monkeypatch.setattr(jornadas, nombre, dias)


def test_otro_estado_dos_de_sus_areas_hasta_el_dictamen_firmado_y_verificado(
    jornada, anahuac, settings
):
    settings.TIME_ZONE = "America/Mexico_City"  # the profile's zone (zona_horaria)
    j = jornada
    areas = ("ciberseguridad", "bienes")
    folio = requirente_presenta(
        j,
        titulo="Firewall y equipos para las oficinas de Texcoco",
        tipo="Adquisición",
        monto="1915000",
        partidas=(partida_escritorio, partida_firewall),
        areas=areas,
    )
    assert re.fullmatch(r"ANH-SOL/\d{4}/\d{4}", folio), folio
    mesa_admite(j, folio, areas)
    revisor_concluye(
        j,
        folio,
        "revisor.bienes",
        "bienes",
        {ESCRITORIO: "Cumple para las ventanillas."},
        otros={jornadas.revision("ciberseguridad"): None},
    )
    revisor_concluye(
        j,
        folio,
        "revisor.ciberseguridad",
        "ciberseguridad",
        {FIREWALL: "Cumple el rendimiento con IPS."},
    )
    estrategico_decide(j, folio, "Favorable", "Alineado al programa estatal de Anáhuac.")
    j.entra("firmante")
    j.toma_desde_su_inicio(folio, "Firma", j.vence("Firma"))
    folio_dictamen = firma_el_dictamen(j, "Favorable")
    assert re.fullmatch(r"AGD-ANH-\d{4}-\d{5}", folio_dictamen), folio_dictamen
    pdf = j.descarga("Descargar PDF firmado", "dictamen.pdf")
    j.sale()

    # The PDF speaks for Anáhuac: its letterhead, its legal basis, its folio, its place.
    plano = " ".join(pdftotext(pdf, "-layout").split())
    for linea in (*MEMBRETE, FUNDAMENTO, folio_dictamen, LUGAR, CARGO_FIRMA):
        assert linea in plano, linea
    for ajeno in ("Sonora", "Hermosillo", "Subsecretaría", CARGO_DEMO):
        assert ajeno not in plano, ajeno
    # Its signature is intact, valid and trusted (the demo CA), as pyHanko reads it.
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    from dictamenes.emision.documentos import efirma

    firma = PdfFileReader(io.BytesIO(pdf.read_bytes())).embedded_signatures[0]
    contexto = efirma.contexto_validacion()
    # pyHanko runs its own event loop: away from Playwright's, in a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as hilo:
        estado = hilo.submit(validate_pdf_signature, firma, contexto).result()
    assert estado.intact and estado.valid and estado.trusted

    # Anyone uploads the PDF at /verificar/: authentic.
    publico_abre(j, "/verificar/")
    j.page.get_by_label("PDF del dictamen").set_input_files(str(pdf))
    j.page.get_by_role("button", name="Verificar", exact=True).click()
    resultado = j.region("Resultado")
    expect(resultado).to_contain_text("Documento auténtico.", timeout=ESPERA)
    expect(resultado).to_contain_text(folio_dictamen)
    j.foto("pdf-autentico")
    # The QR leads to the dictamen's public page, which shows the texts it was issued under.
    ruta = urlparse(qr_del_pdf(pdf)).path
    assert ruta == f"/verificar/{folio_dictamen}/", ruta
    publico_abre(j, ruta)
    main = j.page.get_by_role("main")
    expect(j.page.get_by_role("heading", level=1)).to_have_text(f"Dictamen {folio_dictamen}")
    for linea in (*MEMBRETE, FUNDAMENTO, LUGAR):
        expect(main).to_contain_text(linea)
    j.foto("verificacion-anahuac")


# Issue 47, item 4: what each role walks, with Anáhuac's profile loaded. Every page's header
# and <title> say Anáhuac's institution; none says Sonora's offices.
INSTITUCION = "Agencia de Gobierno Digital del Estado de Anáhuac"
PROHIBIDOS = ("Sonora", "Subsecretaría", "Dirección General")
RECORRIDO = {
    "requirente.sh": ("/", "/solicitudes/", "{solicitud}", "/tramite/"),
    "mesa": ("/", "{solicitud}"),
    "revisor.bienes": ("/",),
    "estrategico": ("/", "/planeacion/condiciones/"),
    "firmante": ("/",),
    "auditor": ("/", "/indicadores/"),
    "admin": ("/", "/cuentas/institucion/"),
}


# Both widths in one test: each width's pages read the same loaded profile and the same
# request (loading the profile again for the second width cost as much as walking it).
ANCHOS = (1280, 390)


def test_otro_estado_cada_rol_lee_su_nombre_en_el_encabezado(
    page, live_server, anahuac, contrasena_demo, monkeypatch
):
    from dictamenes.models import Area
    from tests.dictamenes import flujo_utils

    # A request presented to the Bienes Informáticos area: its page names who comes next.
    bienes = Area.objects.get(nombre="Bienes Informáticos").clave
    monkeypatch.setitem(flujo_utils.CATEGORIA_DE_AREA, bienes, "computadora-escritorio")
    solicitud = flujo_utils.presentada(areas=(bienes,), titulo="Equipos de las ventanillas")
    for ancho in ANCHOS:
        page.set_viewport_size({"width": ancho, "height": 844})
        for usuario, rutas in RECORRIDO.items():
            page.context.clear_cookies()
            page.goto(f"{live_server.url}/cuentas/login/")
            page.get_by_label("Usuario").fill(usuario)
            page.get_by_label("Contraseña").fill(contrasena_demo)
            page.get_by_role("button", name="Entrar").click()
            expect(page).not_to_have_url(re.compile(r"/cuentas/login/"), timeout=ESPERA)
            for ruta in rutas:
                page.goto(live_server.url + ruta.format(solicitud=f"/solicitudes/{solicitud.pk}/"))
                expect(page).to_have_title(re.compile(f" · {INSTITUCION}$"))
                expect(page.locator(".encabezado__institucion")).to_have_text(INSTITUCION)
                expect(page.locator(".encabezado__institucion")).to_be_visible()
                texto = page.locator("body").inner_text()
                for palabra in PROHIBIDOS:
                    assert palabra not in texto, (usuario, ruta, ancho, palabra)
        # The request's steps name Anáhuac's deciding and signing units (the mesa's view, last).
        page.goto(f"{live_server.url}/solicitudes/{solicitud.pk}/")
        pasos = page.locator("body").inner_text()
        assert "Le corresponderá a: Coordinación de Dictaminación Tecnológica" in pasos, ancho
        # The signing unit, not the institution's whole name.
        assert "Le corresponderá a: Agencia de Gobierno Digital · plazo" in pasos, ancho
        page.screenshot(path=str(_foto(f"solicitud-{ancho}")), full_page=False)


def _foto(nombre: str) -> Path:
    carpeta = jornadas.CARPETA / "otro-estado-encabezado"
    carpeta.mkdir(parents=True, exist_ok=True)
    return carpeta / f"{nombre}.png"
