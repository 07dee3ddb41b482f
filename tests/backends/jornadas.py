"""What the journey tests share: a person logs in through the login page, reads what the
pages say and acts with clicks and typing only.

`Jornada` wraps one browser tab for the length of a journey. Every method that acts waits
(briefly) for what a person would look for; when it is not there, the journey stops at that
step, and the fixture in conftest.py keeps a screenshot and the page's HTML."""

import hashlib
import re
import subprocess
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from demo.efirma_pruebas import CONTRASENA_EFIRMA_DEMO
from demo.usuarios import USUARIOS
from dictamenes.organizacion.selectors import calendario

CARPETA = Path(__file__).resolve().parents[2] / "test-results" / "jornadas"

# What a person waits for a page to show before giving up (ms): a step either is on the page
# or cannot be taken at all. Every expect() and action of a journey uses it.
ESPERA = 10_000

# The default deadlines of «El procedimiento» (docs/procedimiento.md), in business days
# (editable in /admin/).
PLAZO_ADMISION = 2
PLAZO_SUBSANAR = 5
PLAZO_REVISION = 5
PLAZO_ESTRATEGICA = 3
PLAZO_FIRMA = 2

NOMBRE = {u[0]: f"{u[1]} {u[2]}" for u in USUARIOS}

AREA = {
    "computo": "Equipo de cómputo e impresión",
    "seguridad": "Seguridad informática",
    "software": "Software y desarrollo",
    "redes": "Redes y telecomunicaciones",
    "infraestructura": "Infraestructura y centros de datos",
}

# A one-page PDF, enough for the oficio and the other attachments.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

FECHA = re.compile(r"\d{2}/\d{2}/\d{4}")

# How the agency's own step (presenting, correcting) reads to its requirente.
SUYO = "Le toca a usted"


def revision(area: str) -> str:
    """A technical review step's title, as people read it: the area's name."""
    return f"Revisión técnica: {AREA[area]}"


def vence_en(dias: int, desde=None) -> str:
    """The due date of a step begun on `desde` (today), `dias` business days ahead, as pages
    print it."""
    dia = calendario.sumar_dias_habiles(desde=desde or timezone.localdate(), dias=dias)
    return f"{dia:%d/%m/%Y}"


def plazo_de(paso: str) -> int:
    if paso.startswith(("Revisión técnica", "Re-revisión técnica")):
        return PLAZO_REVISION
    return {
        "Admisión": PLAZO_ADMISION,
        "Subsanar la prevención": PLAZO_SUBSANAR,
        "Revisión estratégica": PLAZO_ESTRATEGICA,
        "Firma": PLAZO_FIRMA,
        "Firma del dictamen": PLAZO_FIRMA,
    }[paso]


def nombre_de(usuario: str) -> str:
    return NOMBRE[usuario]


def qr_del_pdf(pdf: Path) -> str:
    """The text of the QR code printed on the PDF, read from the pages' images as a phone
    would: poppler renders each page at 150 dpi and zxing-cpp decodes them."""
    import zxingcpp
    from PIL import Image

    base = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", str(pdf), str(base)], check=True, capture_output=True
    )
    qrs = []
    for imagen in sorted(pdf.parent.glob(f"{base.name}-*.png")):
        with Image.open(imagen) as pagina:
            codigos = zxingcpp.read_barcodes(pagina, formats=zxingcpp.BarcodeFormat.QRCode)
        qrs += [c.text for c in codigos]
    assert len(qrs) == 1, f"se esperaba un código QR en {pdf}, hay {len(qrs)}"
    return qrs[0]


def manifiesto_verificar(zip_: Path) -> dict[str, str]:
    """Every file of the expediente is in its manifest with the SHA-256 of its bytes, and the
    manifest names nothing that is not there. Returns {path: sha256}."""
    with zipfile.ZipFile(zip_) as expediente:
        nombres = set(expediente.namelist())
        assert "MANIFIESTO.sha256" in nombres, sorted(nombres)
        lineas = expediente.read("MANIFIESTO.sha256").decode("utf-8").splitlines()
        manifiesto = {}
        for linea in lineas:
            huella, ruta = linea.split("  ", 1)
            manifiesto[ruta] = huella
        assert set(manifiesto) == nombres - {"MANIFIESTO.sha256"}, (sorted(manifiesto), nombres)
        for ruta, huella in manifiesto.items():
            assert hashlib.sha256(expediente.read(ruta)).hexdigest() == huella, ruta
    return manifiesto


class Jornada:
    def __init__(self, page, url: str, contrasena: str, carpeta: Path, tmp_path: Path):
        self.page = page
        self.url = url
        self.contrasena = contrasena
        self.carpeta = carpeta
        self.tmp = tmp_path
        self.quien = None
        self.fotos = 0
        self.inicios = {}  # step title: the day it began (its deadline counts from there)

    def inicia(self, *pasos: str) -> None:
        """Notes the day these steps begin, right after the click that began them: a journey
        that crosses midnight still expects the due dates the server computed."""
        hoy = timezone.localdate()
        for paso in pasos:
            self.inicios[paso] = hoy

    def vence(self, paso: str) -> str:
        """When the step is due, counted from the day it began."""
        return vence_en(plazo_de(paso), desde=self.inicios[paso])

    # --- Who is at the keyboard -----------------------------------------------------------

    def entra(self, usuario: str) -> None:
        """Through the login page, typing, as anyone does."""
        p = self.page
        p.goto(f"{self.url}/")
        p.get_by_role("link", name="Iniciar sesión").first.click()
        p.get_by_label("Usuario").fill(usuario)
        p.get_by_label("Contraseña").fill(self.contrasena)
        p.get_by_role("button", name="Entrar").click()
        expect(p.get_by_role("button", name="Cerrar sesión")).to_be_visible(timeout=ESPERA)
        nombre = nombre_de(usuario).split()[0]
        expect(p.get_by_role("heading", level=1)).to_contain_text(nombre)
        self.quien = usuario

    def sale(self) -> None:
        self.page.get_by_role("button", name="Cerrar sesión").click()
        expect(self.page.get_by_role("link", name="Iniciar sesión").first).to_be_visible(
            timeout=ESPERA
        )
        self.quien = None

    def foto(self, que: str) -> Path:
        """A full-page screenshot of what the person sees now, for a human to look at. JPEG:
        Chromium encodes a long page's PNG in 250-470 ms and its JPEG in 200-300 ms (a page
        5,500 px tall, 15 of each interleaved), and a journey takes a dozen."""
        self.fotos += 1
        ruta = self.carpeta / f"{self.fotos:02d}-{self.quien or 'visitante'}-{que}.jpg"
        self.page.screenshot(path=str(ruta), full_page=True, type="jpeg")
        return ruta

    # --- Finding one's way -------------------------------------------------------------------

    def inicio(self) -> None:
        self.page.get_by_role("link", name="Dictámenes TIC", exact=True).click()

    def ir_a(self, enlace: str) -> None:
        """From the home page, one of the links of the person's panel."""
        self.inicio()
        self.page.get_by_role("main").get_by_role("link", name=enlace, exact=True).first.click()

    def abrir(self, folio: str, desde: str = "Solicitudes") -> None:
        """From a list of the home page, the request by its folio."""
        self.ir_a(desde)
        self.page.get_by_role("main").get_by_role("link", name=folio, exact=True).first.click()
        expect(self.dato("Folio")).to_have_text(folio, timeout=ESPERA)

    # --- «Pendientes»: what the home page says is theirs to do -------------------------------

    def pendientes(self):
        return self.region("Pendientes")

    def entrada_pendiente(self, texto: str):
        """The entry of «Pendientes» whose link reads `texto` (its list item)."""
        enlace = self.page.get_by_role("link", name=texto, exact=True)
        return self.pendientes().get_by_role("listitem").filter(has=enlace)

    def ve_pendiente(self, grupo: str, texto: str, plazo: str = "", *, ancla: str):
        """On their home, «Pendientes» lists the entry under its group, with its deadline, and
        links to the request's place where they act (`ancla`). Returns the link."""
        self.inicio()
        entrada = self.entrada_pendiente(texto)
        expect(entrada).to_have_count(1, timeout=ESPERA)
        grupo_ = (
            self.pendientes()
            .locator("[data-grupo]")
            .filter(has=self.page.get_by_role("link", name=texto, exact=True))
        )
        expect(grupo_.get_by_role("heading", level=3)).to_contain_text(grupo)
        if plazo:
            expect(entrada).to_contain_text(plazo)
        enlace = entrada.get_by_role("link", name=texto, exact=True)
        expect(enlace).to_have_attribute("href", re.compile(rf"^/solicitudes/\d+/{ancla}$"))
        return enlace

    def va_al_pendiente(
        self, grupo: str, texto: str, plazo: str = "", *, ancla: str, foto: str = ""
    ) -> None:
        """Follows the entry from their home: the request's page opens at that place, which
        is in view. `foto`: a screenshot of the home first, named so."""
        enlace = self.ve_pendiente(grupo, texto, plazo, ancla=ancla)
        if foto:
            self.foto(foto)
        enlace.click()
        expect(self.page).to_have_url(re.compile(rf"/solicitudes/\d+/{ancla}$"), timeout=ESPERA)
        expect(self.page.locator(ancla)).to_be_in_viewport()

    def ya_no_le_toca(self, folio: str) -> None:
        """Once they acted, their home lists nothing of that request."""
        self.inicio()
        expect(self.pendientes()).to_be_visible(timeout=ESPERA)
        expect(self.pendientes().get_by_role("link").filter(has_text=folio)).to_have_count(0)

    def ya_no_ve(self, texto: str) -> None:
        """Once they acted, that entry is gone from their home (others may remain)."""
        self.inicio()
        expect(self.pendientes()).to_be_visible(timeout=ESPERA)
        expect(self.entrada_pendiente(texto)).to_have_count(0)

    def toma_desde_su_inicio(self, folio: str, paso: str, vence: str) -> None:
        """The step waits on their home, under «Pasos por tomar», with its due date; its link
        leads to the request's open steps, where they take it; then it is under «Pasos a su
        cargo», whose link leads to the form where they act."""
        texto = f"{folio} · {paso}"
        self.va_al_pendiente("Pasos por tomar", texto, f"vence el {vence}", ancla="#t-tareas")
        expect(self.dato("Folio")).to_have_text(folio, timeout=ESPERA)
        self.toma(paso)
        self.va_al_pendiente("Pasos a su cargo", texto, f"vence el {vence}", ancla="#acciones")
        self.ve_pasos_en_curso({paso: (nombre_de(self.quien), vence)}, solo=False)

    def fila_de_tarea(self, folio: str, paso: str):
        """The row of the inbox or queue for one step of one request."""
        tabla = self.page.get_by_role("main").get_by_role("table")
        return (
            tabla.get_by_role("row")
            .filter(has=self.page.get_by_role("link", name=folio, exact=True))
            .filter(has=self.page.get_by_role("cell", name=paso, exact=True))
        )

    def en_la_cola(self, folio: str, paso: str, vence: str, lista: str = "Tareas por tomar"):
        """The step waits in the person's list with its due date; returns its row."""
        self.ir_a(lista)
        fila = self.fila_de_tarea(folio, paso)
        expect(fila).to_have_count(1, timeout=ESPERA)
        expect(fila).to_contain_text(vence)
        return fila

    def toma_de_la_cola(self, folio: str, paso: str, vence: str) -> None:
        """Takes the step from «Tareas por tomar»; it moves to «Mis tareas», from where the
        person opens the request."""
        fila = self.en_la_cola(folio, paso, vence)
        fila.get_by_role("button", name=re.compile(r"^Tomar")).click()
        self.mensaje_exito(f"Tomó «{paso}»")
        fila = self.en_la_cola(folio, paso, vence, lista="Mis tareas")
        fila.get_by_role("link", name=folio, exact=True).click()
        expect(self.dato("Folio")).to_have_text(folio, timeout=ESPERA)
        self.ve_pasos_en_curso({paso: (nombre_de(self.quien), vence)}, solo=False)

    # --- What the request's page says --------------------------------------------------------

    def dato(self, nombre: str):
        """A value of the request's card (Folio, Estado, Resultado...)."""
        termino = self.page.get_by_role("term").filter(
            has_text=re.compile(rf"^\s*{re.escape(nombre)}\s*$")
        )
        return termino.locator("xpath=following-sibling::dd[1]")

    def folio(self) -> str:
        texto = self.dato("Folio").inner_text().strip()
        assert texto and "borrador" not in texto.lower(), texto
        return texto

    def ve_estado(self, estado: str) -> None:
        expect(self.dato("Estado")).to_have_text(estado, timeout=ESPERA)

    def region(self, nombre: str):
        return self.page.get_by_role("region", name=nombre, exact=True)

    def acciones(self):
        return self.region("Lo que le toca hacer")

    def no_le_toca_nada(self) -> None:
        expect(self.acciones()).to_have_count(0)

    def mensaje_exito(self, texto: str) -> None:
        expect(self.page.get_by_role("main")).to_contain_text(texto, timeout=ESPERA)

    def pasos_en_curso(self) -> dict[str, tuple[str, str]]:
        """{step: (who holds it, due date)} from the «Pasos en curso» table."""
        region = self.region("Pasos en curso")
        if region.count() == 0:
            return {}
        pasos = {}
        for fila in region.get_by_role("row").all()[1:]:
            paso = fila.get_by_role("rowheader").inner_text().strip()
            celdas = fila.get_by_role("cell")
            celda = celdas.nth(0)
            responsable = celda.inner_text().strip().splitlines()[0]
            for boton in celda.get_by_role("button").all():  # «Tomar» sits beside the name
                responsable = responsable.replace(boton.inner_text().strip(), "")
            responsable = responsable.strip()
            pasos[paso] = (responsable, celdas.nth(1).inner_text().strip())
        return pasos

    def ve_pasos_en_curso(self, esperados: dict[str, tuple[str, str]], solo=True) -> None:
        """The open steps, who holds each («Sin tomar» when nobody) and when each is due."""
        actuales = self.pasos_en_curso()
        if solo:
            assert actuales == esperados, actuales
        else:
            for paso, valor in esperados.items():
                assert actuales.get(paso) == valor, (paso, actuales)

    def ve_en_historial(self, *textos: str) -> None:
        historial = self.region("Historial")
        for texto in textos:
            expect(historial).to_contain_text(texto)

    def tramite(self):
        """The step list of the request: «Pasos del trámite»."""
        return self.region("Pasos del trámite")

    def ve_tramite(self, *, hechos=(), actuales=(), siguientes=()) -> None:
        """The step list: the steps done [(title, by whom)], the current ones
        [(title, who holds it or None, due date)], marked aria-current="step", and the ones
        still ahead [title]."""
        tramite = self.tramite()
        expect(tramite).to_be_visible(timeout=ESPERA)
        pasos = tramite.get_by_role("listitem")
        actual = tramite.locator("[aria-current=step]")
        expect(actual).to_have_count(len(actuales))
        for titulo, quien, vence in actuales:
            paso = actual.filter(has=self.page.get_by_text(titulo, exact=True))
            expect(paso).to_have_count(1)
            expect(paso).to_contain_text(
                quien if quien == SUYO else f"A cargo de: {quien}" if quien else "Sin tomar"
            )
            expect(paso).to_contain_text(f"Vence: {vence}" if vence else "Sin plazo")
        for titulo, quien in hechos:
            paso = pasos.filter(has=self.page.get_by_text(titulo, exact=True)).filter(
                has_text="Concluido el"
            )
            expect(paso.filter(has_text=quien)).not_to_have_count(0)
        for titulo in siguientes:
            paso = pasos.filter(has=self.page.get_by_text(titulo, exact=True))
            expect(paso.filter(has_text="Le corresponderá a")).to_have_count(1)

    def ve_lo_que_sigue(self, *textos: str) -> None:
        """After their part, the box tells the person what happens next and by when; with
        nothing else to do it is headed «Lo que sigue», not «Lo que le toca hacer»."""
        sigue = self.page.locator("#lo-que-sigue")
        for texto in textos:
            expect(sigue).to_contain_text(texto)

    # --- Acting on the request's page ------------------------------------------------------

    def toma(self, paso: str) -> None:
        """«Tomar» in the row of the step in «Pasos en curso»: the step is now theirs."""
        fila = (
            self.region("Pasos en curso")
            .get_by_role("row")
            .filter(has=self.page.get_by_role("rowheader", name=paso, exact=True))
        )
        fila.get_by_role("button", name="Tomar").click()
        self.mensaje_exito(f"Tomó «{paso}»")
        expect(
            self.region("Pasos en curso")
            .get_by_role("row")
            .filter(has=self.page.get_by_role("rowheader", name=paso, exact=True))
            .get_by_role("cell")
            .first
        ).to_contain_text(nombre_de(self.quien))

    def archivo(self, nombre: str, contenido: bytes = PDF) -> Path:
        ruta = self.tmp / nombre
        ruta.write_bytes(contenido)
        return ruta

    def adjunta(self, tipo: str, nombre: str) -> None:
        p = self.page
        p.get_by_label("Tipo de anexo").select_option(label=tipo)
        p.get_by_label("Archivo").set_input_files(str(self.archivo(nombre)))
        p.get_by_role("button", name="Subir").click()
        expect(self.region("Anexos")).to_contain_text(nombre, timeout=ESPERA)

    def nueva_solicitud(self, *, tipo, titulo, monto, justificacion, alineacion) -> None:
        p = self.page
        self.ir_a("Nueva solicitud")
        p.get_by_label("Tipo de operación").select_option(label=tipo)
        p.get_by_label("Título").fill(titulo)
        p.get_by_label("Monto total estimado (MXN)").fill(monto)
        p.get_by_label("Justificación").fill(justificacion)
        p.get_by_label("Alineación al Programa de Gobierno Digital").fill(alineacion)
        p.get_by_role("button", name="Guardar").click()
        expect(p.get_by_role("heading", level=1)).to_have_text(titulo, timeout=ESPERA)
        self.ve_estado("Borrador")

    def agrega_partida(
        self,
        *,
        perfil: str,
        descripcion: str,
        cantidad: str,
        precio: str,
        capitulo: str,
        partida: str,
        especificaciones: dict[str, str],
        importe: str,
        veredicto: str = "Cumple",
        justificacion_cotizaciones: str = "",
    ) -> None:
        """Chooses the profile, types the item and its specifications, and saves it. Each
        specification is found by the requisito's name: a number or text is typed, an option
        chosen, a yes/no answered."""
        p = self.page
        self.acciones().get_by_role("link", name="Agregar partida").click()
        p.get_by_label("Perfil técnico").select_option(label=perfil)
        p.get_by_role("button", name="Elegir perfil y capturar especificaciones").click()
        # Choosing the profile is not saving: nothing is marked wrong yet.
        expect(p.get_by_role("group", name="Especificaciones (autoevaluación)")).to_be_visible(
            timeout=ESPERA
        )
        expect(p.get_by_text("Este campo es requerido.")).to_have_count(0)
        p.get_by_label("Descripción", exact=True).fill(descripcion)
        p.get_by_label("Cantidad", exact=True).fill(cantidad)
        p.get_by_label("Precio unitario (MXN)", exact=True).fill(precio)
        p.get_by_label("Capítulo", exact=True).select_option(capitulo)
        p.get_by_label("Partida específica", exact=True).fill(partida)
        if justificacion_cotizaciones:  # above the office's amount, without three quotes
            p.get_by_label("Justificación de menos de tres cotizaciones", exact=True).fill(
                justificacion_cotizaciones
            )
        requisitos = p.get_by_role("group", name="Especificaciones (autoevaluación)")
        for nombre, valor in especificaciones.items():
            grupo = requisitos.get_by_role("group", name=nombre)
            if grupo.count():
                grupo.get_by_label(valor, exact=True).check()
                continue
            campo = requisitos.get_by_label(nombre, exact=True)
            if campo.count() == 0:  # a recommended one: «Nombre (recomendado)»
                campo = requisitos.get_by_label(f"{nombre} (recomendado)", exact=True)
            if campo.evaluate("e => e.tagName") == "SELECT":
                campo.select_option(valor)
            else:
                campo.fill(valor)
        # The live check answers while the person types, before saving.
        expect(requisitos).to_contain_text(
            f"Veredicto provisional con lo capturado, sin guardar: {veredicto}", timeout=ESPERA
        )
        p.get_by_role("button", name="Guardar y evaluar").click()
        fila = self.region("Partidas").get_by_role("row").filter(has_text=descripcion)
        expect(fila).to_contain_text(importe, timeout=ESPERA)
        expect(fila).to_contain_text(veredicto)

    def presenta(self) -> str:
        self.acciones().get_by_role("button", name="Presentar solicitud").click()
        self.inicia("Admisión")
        self.ve_estado("En admisión")
        return self.folio()

    def admite(self) -> None:
        acciones = self.acciones()
        acciones.get_by_label("Admitir: la solicitud está completa").check()
        acciones.get_by_role("button", name="Registrar decisión").click()
        self.inicia(*(revision(a) for a in AREA))
        self.ve_estado("En revisión técnica")

    def previene(self, faltantes: str) -> None:
        acciones = self.acciones()
        acciones.get_by_label("Prevenir: falta información").check()
        acciones.get_by_label("Qué falta (para la prevención)").fill(faltantes)
        acciones.get_by_role("button", name="Registrar decisión").click()
        self.inicia("Subsanar la prevención")
        self.ve_estado("Prevenida")

    def revisa(self, area: str, *, opiniones: dict[str, str], opinion: str, observaciones=""):
        """Concludes the area's review: an opinion per item, the area's opinion."""
        seccion = self.acciones()
        expect(seccion).to_contain_text(revision(area))
        for partida, texto in opiniones.items():
            seccion.get_by_label(f"Opinión técnica de «{partida}»").fill(texto)
        seccion.get_by_label("Opinión del área", exact=True).select_option(label=opinion)
        if observaciones:
            seccion.get_by_label("Observaciones").fill(observaciones)
        seccion.get_by_role("button", name="Concluir revisión del área").click()
        self.inicia("Revisión estratégica")
        self.mensaje_exito(f"Revisión de {AREA[area]} registrada")

    def firma(self, boton="Firmar y emitir el dictamen", contenedor=None) -> None:
        """Uploads the demo e.firma (.cer and .key) and types its password."""
        zona = contenedor or self.acciones()
        carpeta = settings.DICTAMENES_EFIRMA_DEMO_DIR
        zona.get_by_label("Certificado (.cer)").set_input_files(str(carpeta / "firmante.cer"))
        zona.get_by_label("Llave privada (.key)").set_input_files(str(carpeta / "firmante.key"))
        zona.get_by_label("Contraseña de la llave privada").fill(CONTRASENA_EFIRMA_DEMO)
        zona.get_by_role("button", name=boton).click()

    def descarga(self, enlace: str, nombre: str) -> Path:
        with self.page.expect_download() as descarga:
            self.page.get_by_role("link", name=enlace).first.click()
        ruta = self.tmp / nombre
        descarga.value.save_as(str(ruta))
        return ruta
