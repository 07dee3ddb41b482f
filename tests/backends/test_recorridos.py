"""The main journey of every role, in a real browser, driven only through the interface.

Each journey starts where that role's work starts: the states before it are built with the
services (flujo_utils), so each test walks one person's part and the suite stays fast."""

import csv
import datetime
import io
import re
import zipfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from demo.efirma_pruebas import CONTRASENA_EFIRMA_DEMO
from dictamenes.cotizaciones import services as cotizaciones
from dictamenes.emision.services import integridad
from dictamenes.models import DiaInhabil, Solicitud
from dictamenes.tramite.services import etapas
from tests.backends.navegador import (
    Manual,
    abrir_solicitud,
    captura,
    dictaminada,
    en_firma,
    estado,
    iniciar_sesion,
    referencia_de_precio,
    salir,
)
from tests.backends.test_browser import RESULTADOS
from tests.datos_personales_mx import rfc_moral
from tests.dictamenes import flujo_utils as fu
from tests.dictamenes.tramite import test_fraccionamiento as tf
from tests.dictamenes.tramite import test_vias as tv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A company's RFC, its check character computed by the tests' own oracle.
RFC_CRS = rfc_moral("CRS", datetime.date(2001, 3, 15), "AB")


def test_requirente_presenta_y_subsana_la_prevencion(
    page, live_server, demo, contrasena_demo, tmp_path
):
    """The requester's first task walked in her manual's words (issue 78, item 6): every
    label clicked, filled or read comes from «Presentar una solicitud» and «Agregar partidas y
    cotizaciones» of docs/manual/requirente.md (navegador.Manual), so a label the manual
    quotes and the screen does not show stops the journey. The item's price is over its
    profile's reference, with its three quotes (issue 78, item 4: the manual's pictures)."""
    presentar = Manual("requirente", "Presentar una solicitud")
    partidas = Manual("requirente", "Agregar partidas y cotizaciones")
    titulo = "Computadoras para ventanillas del Registro"
    # 15,000 a piece is 36 % over the profile's reference of 11,000: flagged.
    referencia_de_precio(fu.perfil_de_area("computo"), 11000)
    iniciar_sesion(page, live_server, "requirente.sh", contrasena_demo)
    captura(page, "requirente-inicio", movil=True)
    page.get_by_role("link", name=presentar("Nueva solicitud")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        presentar("Nueva solicitud de dictamen")
    )
    # Saved empty: each field says what is wrong, and a screen reader reads it with the field.
    page.get_by_role("button", name=presentar("Guardar")).click()
    expect(page.get_by_label(presentar("Título"))).to_have_accessible_description(
        presentar("Este campo es requerido.")
    )
    expect(page.get_by_label(presentar("Título"))).to_have_attribute("aria-invalid", "true")
    page.get_by_label(presentar("Tipo de operación")).select_option(label=presentar("Adquisición"))
    page.get_by_label(presentar("Título")).fill(titulo)
    expect(page.get_by_label(presentar("Ejercicio fiscal"))).to_be_visible()
    # 40 computers of 15,000: above the office's 500,000, each item carries three quotes.
    page.get_by_label(presentar("Monto total estimado (MXN)")).fill("600000")
    page.get_by_label(presentar("Justificación"), exact=True).fill(
        "Equipos del año 2000 en ventanillas."
    )
    page.get_by_label(presentar("Alineación al Programa de Gobierno Digital")).fill("Eje 3.")
    expect(
        page.get_by_label(presentar("Compra consolidada: compra para varios entes"))
    ).not_to_be_checked()
    page.get_by_role("button", name=presentar("Guardar")).click()
    assert estado(page) == presentar("Borrador")
    assert presentar("Sin folio (borrador)") in page.inner_text("main")
    expect(page.get_by_role("link", name=presentar("Editar datos generales"))).to_be_visible()

    page.get_by_role("link", name=partidas("Agregar partida")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(partidas("Nueva partida"))
    # Every field is there from the start: filled before choosing the profile, and kept.
    page.get_by_label(partidas("Perfil técnico")).select_option(
        label="Computadora de escritorio · Básico"
    )
    page.get_by_label(partidas("Descripción")).fill("Computadora de escritorio para ventanilla")
    page.get_by_label(partidas("Cantidad")).fill("40")
    page.get_by_label(partidas("Precio unitario (MXN)")).fill("15000")
    page.get_by_label(partidas("El precio unitario es")).select_option(label=partidas("por pieza"))
    page.get_by_label(partidas("Capítulo")).select_option("5000")
    page.get_by_label(partidas("Partida específica")).fill("51501")
    page.get_by_role("button", name=partidas("Elegir perfil y capturar especificaciones")).click()
    expect(page.get_by_label(partidas("Descripción"))).to_have_value(
        "Computadora de escritorio para ventanilla"
    )
    especificaciones = page.get_by_role("group", name=partidas("Especificaciones (autoevaluación)"))
    ram = especificaciones.get_by_label("Memoria RAM", exact=True)
    ram.fill("16")
    # The standard's numeral that asks for it is read with the field.
    expect(ram).to_have_accessible_description(re.compile(r"numeral"))
    page.get_by_label("Tipo de almacenamiento").select_option("SSD")
    # Beside the price, its profile's reference, and the flag: 36 % over it.
    precio = page.locator("#precio-en-vivo")
    expect(precio.get_by_role("heading")).to_have_text(partidas("Precio de referencia"))
    expect(precio).to_contain_text("Mediana: $11,000.00 por pieza")
    expect(precio.locator(".senal-precio")).to_contain_text(partidas("Señalado"))
    captura(page, "requirente-partida", donde=precio)
    page.get_by_role("button", name=partidas("Guardar y evaluar")).click()

    # Above the office's amount, the page stays on the item, in its market research.
    cotizaciones = page.get_by_role(
        "region", name=partidas("Investigación de mercado (cotizaciones)")
    )
    expect(cotizaciones).to_be_visible()
    nueva = page.get_by_role("heading", name=partidas("Agregar una cotización"))
    expect(nueva).to_be_visible()
    hoy = timezone.localdate()
    for n, (proveedor, rfc, cotizado) in enumerate(
        (
            ("Proveedora Tecnológica del Noroeste, S.A. de C.V.", "", "14500"),
            # A company's RFC as people type it: dashes and lower case.
            ("Cómputo y Redes de Sonora, S.A. de C.V.", "crs-010315-ab" + RFC_CRS[-1], "15000"),
            ("Sistemas Integrales del Pacífico, S.A. de C.V.", "", "15800"),
        )
    ):
        archivo = tmp_path / f"cotizacion-{n + 1}.pdf"
        archivo.write_bytes(fu.PDF_MINIMO + f"% cotización {n + 1}\n".encode())
        page.get_by_label(partidas("Proveedor (razón social)")).fill(proveedor)
        page.get_by_label(partidas("RFC del proveedor")).fill(rfc)
        page.get_by_label(partidas("Precio unitario cotizado (MXN)")).fill(cotizado)
        page.get_by_label(partidas("Fecha de la cotización")).fill(
            (hoy - timedelta(days=3 + n)).isoformat()
        )
        page.get_by_label(partidas("Vigente hasta")).fill((hoy + timedelta(days=30)).isoformat())
        page.get_by_label(partidas("Archivo de la cotización")).set_input_files(str(archivo))
        page.get_by_role("button", name=partidas("Agregar cotización")).click()
    mapa = cotizaciones.get_by_role("table", name=partidas("Mapa comparativo"))
    expect(mapa.get_by_role("row")).to_have_count(4)
    expect(cotizaciones).to_contain_text(
        "Precio de mercado (" + partidas("mediana") + "): $15,000.00 por pieza."
    )
    assert RFC_CRS in cotizaciones.inner_text()
    captura(page, "requirente-cotizaciones", donde=mapa)
    page.get_by_role("link", name=titulo).click()

    partidas_region = page.get_by_role("region", name="Partidas", exact=True).inner_text()
    assert "Computadora de escritorio para ventanilla" in partidas_region
    assert "600,000.00" in partidas_region
    expect(
        page.get_by_role("heading", name=presentar("Lo que falta para presentarla"))
    ).to_be_visible()
    oficio = tmp_path / "oficio.pdf"
    oficio.write_bytes(fu.PDF_MINIMO)
    page.get_by_label(presentar("Tipo de anexo")).select_option("oficio")
    page.get_by_label(presentar("Archivo"), exact=True).set_input_files(str(oficio))
    page.get_by_role("button", name=presentar("Subir")).click()
    assert "oficio.pdf" in page.get_by_role("region", name=presentar("Anexos")).inner_text()
    expect(page.get_by_role("region", name="Lo que le toca hacer")).to_contain_text(
        presentar("Tiene lo necesario para presentarla.")
    )
    boton = page.get_by_role("button", name=presentar("Presentar solicitud"))
    captura(page, "requirente-presentar", movil=True, donde=boton)
    boton.click()
    assert estado(page) == presentar("En admisión")
    solicitud = Solicitud.objects.get(titulo=titulo)
    assert solicitud.folio in page.inner_text("main")
    # The section walked to its end: what the journey did not use is an option it did not
    # choose, an example, a message it did not meet, or a word the text explains.
    assert presentar.sin_usar() == {
        "Arrendamiento",
        "Renovación",
        "Contratación de servicio",
        "Desarrollo de software",
        "Baja",
        "Renovación de equipo de ventanillas",
        "Corrija el monto total o las partidas antes de presentarla.",
        "vía de revisión",
    }
    assert partidas.sin_usar() == {
        "Meses que cubre el precio unitario",
        "por servicio, por los meses indicados",
        "por licencia, por los meses indicados",
        "Justificación de menos de tres cotizaciones",
        "Partida guardada y evaluada contra los estándares.",
        "Lo que falta",
        "Precio de mercado (…)",
        "no aceptable",
        "no conveniente",
        "Vías de revisión",
        "según la dispersión",
        # Issue 88: the messages of an RFC in the name and of one that is not valid.
        "El nombre del proveedor lleva un RFC…",
        "El RFC … no es válido: …",
        # Issue 80: what tells one supplier from another, not written in this walk.
        "Domicilio fiscal del proveedor",
        "Teléfono del proveedor",
        "Nombre de quien firma la cotización",
    }

    # Mesa de control sends it back: the requirente sees the prevención and answers it.
    etapas.admision_resolver(
        solicitud=solicitud,
        usuario=fu.usuario("mesa"),
        admitir=False,
        faltantes="Falta el anexo técnico firmado.",
    )
    page.reload()
    assert estado(page) == "Prevenida"
    assert (
        "Falta el anexo técnico firmado."
        in page.get_by_role("region", name="Historial").inner_text()
    )
    captura(
        page,
        "requirente-prevencion",
        movil=True,
        donde=page.get_by_role("button", name="Enviar corrección"),
    )
    anexo = tmp_path / "anexo-tecnico.pdf"
    anexo.write_bytes(fu.PDF_MINIMO)
    page.get_by_label("Tipo de anexo").select_option("anexo_tecnico")
    page.get_by_label("Archivo").set_input_files(str(anexo))
    page.get_by_role("button", name="Subir").click()
    page.get_by_label("Describa cómo atendió la prevención").fill(
        "Se adjunta el anexo técnico firmado."
    )
    page.get_by_role("button", name="Enviar corrección").click()
    assert estado(page) == "En admisión"
    historial = page.get_by_role("region", name="Historial").inner_text()
    assert "Prevención atendida; vuelve a admisión" in historial
    assert "anexo-tecnico.pdf" in page.get_by_role("region", name="Anexos").inner_text()


def test_mesa_de_control_admite_una_y_previene_otra(page, live_server, demo, contrasena_demo):
    """The mesa's first task walked in its manual's words (issue 78, item 6): the labels come
    from «Las solicitudes por admitir» and «Admitir o prevenir» of docs/manual/mesa.md. The
    one it admits is the second of two purchases of laptops that together pass the fast
    track's threshold (its split warning); the one it prevents goes by the fast track (issue
    78, item 4: the manual's pictures)."""
    por_admitir = Manual("mesa", "Las solicitudes por admitir")
    decidir = Manual("mesa", "Admitir o prevenir")
    primera = tf.presentar(tf.laptops())
    segunda = tf.presentar(tf.laptops())  # with the first, $960,000.00: a possible split
    rapida = tf.presentar(
        tf.pedida(
            titulo="Conmutadores para oficinas",
            de=tf.perfil("switch"),
            descripcion="Switch de acceso de 48 puertos",
            cantidad=4,
            precio="30000.00",
            specs=tf.SWITCH,
        )
    )
    iniciar_sesion(page, live_server, "mesa", contrasena_demo)
    # The three wait in the queue of tasks to take, each by its folio.
    page.get_by_role("link", name=por_admitir("Tareas por tomar")).first.click()
    cola = page.get_by_role("table")
    for solicitud in (primera, segunda, rapida):
        expect(cola).to_contain_text(solicitud.folio)
    expect(cola.get_by_role("button", name=por_admitir("Tomar")).first).to_be_visible()

    cola.get_by_role("link", name=segunda.folio).click()
    acciones = page.get_by_role("region", name=por_admitir(decidir("Lo que le toca hacer")))
    expect(acciones).to_contain_text(por_admitir(decidir("Admisión")))
    aviso = page.locator("#via").get_by_role("note")
    expect(aviso).to_contain_text(f"{decidir('Posible fraccionamiento')}: con {primera.folio}")
    captura(page, "mesa-fraccionamiento", donde=aviso)
    page.get_by_label(decidir("Admitir: la solicitud está completa")).check()
    registrar = page.get_by_role("button", name=decidir("Registrar decisión"))
    captura(page, "mesa-admitir", donde=registrar)
    registrar.click()
    assert estado(page) == decidir("En revisión técnica")

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=por_admitir("Tareas por tomar")).first.click()
    page.get_by_role("table").get_by_role("link", name=rapida.folio).click()
    via = page.get_by_role("region", name="Vía de revisión: Vía rápida")
    expect(via.get_by_role("button", name="Pasar a la vía completa")).to_be_visible()
    captura(page, "mesa-via-rapida", donde=via.get_by_role("heading").first)
    page.get_by_label(decidir("Prevenir: falta información")).check()
    page.get_by_role("button", name=decidir("Registrar decisión")).click()
    # A prevención must say what is missing: a Spanish error, and nothing recorded.
    assert "qué falta" in page.locator(".mensaje--error").inner_text().lower()
    assert estado(page) == "En admisión"
    page.get_by_label(decidir("Prevenir: falta información")).check()
    page.get_by_label(decidir("Qué falta (para la prevención)")).fill(
        "Falta la cotización del proveedor."
    )
    page.get_by_role("button", name=decidir("Registrar decisión")).click()
    assert estado(page) == decidir("Prevenida")
    historial = page.get_by_role("region", name="Historial").inner_text()
    assert "Prevención emitida; plazo para subsanar hasta el" in historial
    assert "Falta la cotización del proveedor." in historial
    # Nothing left for the mesa to decide on this one.
    assert page.get_by_role("button", name="Registrar decisión").count() == 0
    # Both sections walked to their end: taking a task first is optional (the journey decides
    # without it), and its other lists are another section's.
    assert por_admitir.sin_usar() == {"Mis tareas", "Pasos en curso"}
    assert decidir.sin_usar() == set()


def test_revisores_de_cada_area_concluyen_su_revision(page, live_server, demo, contrasena_demo):
    """Each area's reviewer concludes its review. Cómputo's item is priced over its profile's
    reference, with three quotes; redes' request goes by the fast track, one review of its
    items of two areas (issue 78, item 4: the pictures of «La vía rápida» and «El precio de
    una partida» of docs/manual/revisor-tecnico.md)."""
    precio = Manual("revisor-tecnico", "El precio de una partida")
    via = Manual("revisor-tecnico", "La vía rápida")
    titulo = "Computadoras de escritorio"
    # $10,000.00 a piece is 43 % over the profile's reference of $7,000.00: flagged.
    referencia_de_precio(fu.perfil_de_area("computo"), 7000)
    # Its monitor is smaller than the recommended one: «Cumple con observaciones», the full track.
    solicitud = tf.pedida(
        titulo=titulo,
        de=fu.perfil_de_area("computo"),
        descripcion="Partida de computo",
        cantidad=2,
        precio="10000.00",
        specs={**tv.CUMPLEN["computo"], "tamano_monitor": 19},
    )
    _cotizar(
        solicitud,
        ("Proveedora Tecnológica del Noroeste, S.A. de C.V.", "9800"),
        ("Cómputo y Redes de Sonora, S.A. de C.V.", "10000"),
        ("Sistemas Integrales del Pacífico, S.A. de C.V.", "10500"),
    )
    tf.admitir(tf.presentar(solicitud))
    rapida = tv.admitida()  # cómputo and redes, $70,000.00, every item complies
    otras = ("seguridad", "software", "infraestructura")
    for area in otras:
        fu.admitida(titulo=f"Solicitud para {area}", areas=(area,))
    iniciar_sesion(page, live_server, "revisor.computo", contrasena_demo)
    abrir_solicitud(page, live_server, titulo)
    assert estado(page) == "En revisión técnica"
    acciones = page.get_by_role("region", name="Lo que le toca hacer")
    assert "Revisión técnica: Equipo de cómputo" in acciones.inner_text()
    # The item's price: typed, market (its quotes), the reference and the flag in words.
    linea = acciones.locator(".precio-partida")
    expect(linea).to_contain_text(precio("Precio de referencia"))
    expect(linea).to_contain_text("$10,000.00 3 válidas de 3")
    expect(linea).to_contain_text("mediana $7,000.00")
    expect(linea).to_contain_text("43 % sobre la mediana, por encima del tercer cuartil")
    expect(linea.get_by_role("note")).to_contain_text("Precio señalado")
    expect(linea.get_by_role("link", name="Ver el precio de «Partida de computo»")).to_be_visible()
    captura(page, "revisor-tecnico-precio", donde=linea)
    page.get_by_label("Opinión técnica de «Partida de computo»").fill(
        "Cumple para atención en ventanilla."
    )
    page.get_by_label("Opinión del área").select_option("favorable")
    page.get_by_label("Observaciones").fill("Sin observaciones mayores.")
    captura(page, "revisor-tecnico-revisar", donde=acciones)
    page.get_by_role("button", name="Concluir revisión del área").click()
    assert estado(page) == "En revisión estratégica"
    partidas = page.get_by_role("region", name="Partidas", exact=True)
    partidas.locator("summary").first.click()  # the item's evaluation, with the opinion
    assert "Cumple para atención en ventanilla." in partidas.inner_text()
    opiniones = page.get_by_role("region", name="Opiniones por área").inner_text()
    assert "Favorable" in opiniones
    assert page.get_by_role("button", name="Concluir revisión del área").count() == 0
    salir(page)

    # Redes' reviewer: the fast track says why, and one review covers cómputo's item too.
    iniciar_sesion(page, live_server, "revisor.redes", contrasena_demo)
    abrir_solicitud(page, live_server, rapida.titulo)
    razones = page.get_by_role("region", name=f"{via('Vía de revisión:')} Vía rápida")
    expect(razones.get_by_role("listitem")).to_have_text(
        [tv.MONTO_CUMPLIDO % "$70,000.00", tv.PARTIDAS_CUMPLIDA, tv.CATEGORIAS_CUMPLIDA]
    )
    acciones = page.get_by_role("region", name="Lo que le toca hacer")
    expect(acciones.get_by_role("heading", level=3)).to_have_text(
        "Revisión técnica única (vía rápida)"
    )
    captura(page, "revisor-tecnico-via-rapida", donde=razones)
    for area in ("computo", "redes"):
        acciones.get_by_label(f"Opinión técnica de «Partida de {area}»").fill("Cumple el perfil.")
    acciones.get_by_label("Opinión del área", exact=True).select_option("favorable")
    acciones.get_by_role("button", name="Concluir revisión del área").click()
    assert estado(page) == "En revisión estratégica"
    salir(page)

    # The other three areas, briefly: each reviewer concludes the review of its own items.
    for area in otras:
        iniciar_sesion(page, live_server, fu.REVISOR_DE_AREA[area], contrasena_demo)
        abrir_solicitud(page, live_server, f"Solicitud para {area}")
        page.get_by_label(f"Opinión técnica de «Partida de {area}»").fill("Cumple lo esencial.")
        page.get_by_label("Opinión del área").select_option("favorable")
        page.get_by_role("button", name="Concluir revisión del área").click()
        assert estado(page) == "En revisión estratégica", area
        salir(page)


def _cotizar(solicitud, *cotizadas):
    """Three quotes (provider, unit price) for the request's only item, as its requester
    adds them."""
    hoy = timezone.localdate()
    for n, (proveedor, precio) in enumerate(cotizadas):
        cotizaciones.cotizacion_agregar(
            partida=solicitud.partidas.get(),
            usuario=fu.usuario("requirente.sh"),
            proveedor=proveedor,
            precio_unitario=Decimal(precio),
            fecha=hoy - timedelta(days=2 + n),
            vigencia=hoy + timedelta(days=30),
            archivo=SimpleUploadedFile(
                f"cotizacion-{n + 1}.pdf", fu.PDF_MINIMO + b"%% %d\n" % n, "application/pdf"
            ),
        )


# A rack server that meets every required line of its profile (estandares_2024_ejemplo.yaml).
SERVIDOR = {
    "nucleos_totales": 32,
    "ram": 256,
    "fuentes_redundantes": True,
    "puertos_red": 2,
    "administracion_remota": True,
    "garantia_24x7": 3,
    "hipervisor_certificado": "Proxmox VE",
}


def _revisada_con_precio_senalado(titulo):
    """A request of two servers at $10,000.00 each that meet their profile, with three
    quotes, their profile's reference $6,000.00 (67 % over it: flagged and reducible),
    reviewed by its area."""
    referencia_de_precio(fu.perfil_de_area("infraestructura"), 6000)
    solicitud = tf.pedida(
        titulo=titulo,
        de=fu.perfil_de_area("infraestructura"),
        descripcion="Partida de infraestructura",
        cantidad=2,
        precio="10000.00",
        specs=SERVIDOR,
    )
    _cotizar(
        solicitud,
        ("Servidores y Datos del Norte, S.A. de C.V.", "9800"),
        ("Infraestructura Digital de Sonora, S.A. de C.V.", "10000"),
        ("Centro de Cómputo del Pacífico, S.A. de C.V.", "10400"),
    )
    solicitud = tf.admitir(tf.presentar(solicitud))
    fu.revisar(solicitud, "infraestructura")
    return solicitud


def test_revisor_estrategico_propone_favorable_con_condiciones(
    page, live_server, demo, contrasena_demo
):
    titulo = "Servidores del centro de datos"
    _revisada_con_precio_senalado(titulo)
    iniciar_sesion(page, live_server, "estrategico", contrasena_demo)
    abrir_solicitud(page, live_server, titulo)
    assert (
        "Revisión estratégica"
        in page.get_by_role("region", name="Lo que le toca hacer").inner_text()
    )
    page.get_by_label("Motivos").fill("Alineado al programa; sin duplicidad con otros entes.")
    page.get_by_role("button", name="Registrar").click()
    # Every item needs its decision: a Spanish error beside it, nothing recorded.
    assert estado(page) == "En revisión estratégica"
    assert (
        "Falta la decisión sobre la partida"
        in page.locator(".decision-partida .error").inner_text()
    )

    # The item's price page: its quotes, beside the reference (issue 78, item 4).
    abrir_solicitud(page, live_server, titulo)
    page.get_by_role("link", name="Ver el precio de «Partida de infraestructura»").first.click()
    expect(page.get_by_role("main")).to_contain_text("Infraestructura Digital de Sonora")
    captura(
        page,
        "revisor-estrategico-precio",
        donde=page.get_by_role("main").get_by_role("table").first,
    )
    page.go_back()
    partida = page.locator(".decision-partida").first
    expect(partida).to_contain_text("señalado")
    captura(page, "revisor-estrategico-decidir", donde=partida)
    partida.get_by_role("button", name=re.compile("Reducir a la referencia")).click()
    partida = page.locator(".decision-partida").first
    expect(partida.get_by_label("Aprobada por menor monto o cantidad")).to_be_checked()
    captura(page, "revisor-estrategico-reducir", donde=partida)
    # With conditions, the result that follows is «Favorable condicionado».
    page.get_by_label("Condiciones (si las hay, el dictamen es favorable condicionado)").fill(
        "Consolidar la compra con el C5i."
    )
    page.get_by_label("Motivos").fill("Alineado al programa; sin duplicidad con otros entes.")
    page.get_by_role("button", name="Registrar").click()
    assert estado(page) == "En firma"
    assert "Favorable condicionado" in page.inner_text("main")
    historial = page.get_by_role("region", name="Historial").inner_text()
    assert "Decisión estratégica: Favorable condicionado" in historial


def test_firmante_firma_con_su_efirma_y_descarga_el_pdf(page, live_server, demo, contrasena_demo):
    titulo = "Computadoras para ventanillas"
    en_firma(titulo=titulo)
    iniciar_sesion(page, live_server, "firmante", contrasena_demo)
    abrir_solicitud(page, live_server, titulo)
    firmar = page.get_by_role("button", name="Firmar y emitir el dictamen")
    captura(page, "firmante-firmar", donde=firmar)
    carpeta = settings.DICTAMENES_EFIRMA_DEMO_DIR
    page.get_by_label("Certificado (.cer)").set_input_files(str(carpeta / "firmante.cer"))
    page.get_by_label("Llave privada (.key)").set_input_files(str(carpeta / "firmante.key"))
    page.get_by_label("Contraseña de la llave privada").fill("no-es-la-contrasena")
    page.get_by_role("button", name="Firmar y emitir el dictamen").click()
    expect(page.locator("#firma-error")).to_contain_text("La contraseña no corresponde")
    captura(page, "firmante-error-contrasena", donde=page.locator("#firma-error"))
    assert estado(page) == "En firma"

    page.get_by_label("Certificado (.cer)").set_input_files(str(carpeta / "firmante.cer"))
    page.get_by_label("Llave privada (.key)").set_input_files(str(carpeta / "firmante.key"))
    page.get_by_label("Contraseña de la llave privada").fill(CONTRASENA_EFIRMA_DEMO)
    page.get_by_role("button", name="Firmar y emitir el dictamen").click()
    expect(page.locator("#estado-solicitud")).to_have_text("Dictaminada")
    dictamen = Solicitud.objects.get(titulo=titulo).dictamenes.get()
    region = page.get_by_role("region", name="Dictamen", exact=True).inner_text()
    assert f"{dictamen.folio} · Favorable" in region
    historial = page.get_by_role("region", name="Historial").inner_text()
    for paso in ("Solicitud presentada", "Solicitud admitida", "Decisión estratégica: Favorable"):
        assert paso in historial
    assert "emitido: Favorable" in historial

    with page.expect_download() as descarga:
        page.get_by_role("link", name="Descargar PDF firmado").click()
    contenido = Path(descarga.value.path()).read_bytes()
    assert contenido.startswith(b"%PDF")
    assert contenido == integridad.dictamen_pdf_leer(dictamen=dictamen)
    page.screenshot(path=str(RESULTADOS / "solicitud_dictaminada.png"), full_page=True)


def test_auditor_consulta_el_expediente_sin_poder_cambiar_nada(
    page, live_server, demo, contrasena_demo
):
    dictamen = dictaminada(titulo="Licencias de correo institucional", area="software")
    fu.presentada(titulo="Firewall perimetral", areas=("seguridad",), requirente="requirente.rc")
    folio = dictamen.solicitud.folio
    iniciar_sesion(page, live_server, "auditor", contrasena_demo)
    page.get_by_role("link", name="Todas las solicitudes").click()
    # The auditor sees every agency's requests.
    lista = page.get_by_role("table").inner_text()
    assert "Firewall perimetral" in lista and "Licencias de correo institucional" in lista
    page.get_by_label("Folio o título").fill("correo")
    page.get_by_label("Folio o título").press("Enter")
    lista = page.get_by_role("table").inner_text()
    assert "Licencias de correo institucional" in lista
    assert "Firewall perimetral" not in lista
    captura(page, "auditor-buscar")

    page.get_by_role("link", name=folio).click()
    assert estado(page) == "Dictaminada"
    historial = page.get_by_role("region", name="Historial").inner_text()
    assert "Solicitud presentada" in historial and "emitido: Favorable" in historial
    captura(page, "auditor-historial", donde=page.get_by_role("region", name="Historial"))
    with page.expect_download() as descarga:
        page.get_by_role("link", name="Descargar el expediente (ZIP)").click()
    with zipfile.ZipFile(descarga.value.path()) as expediente:
        nombres = expediente.namelist()
    assert any(n.startswith("dictamenes/") and n.endswith(".pdf") for n in nombres), nombres
    assert "historial.pdf" in nombres
    # Read only: nothing to do, no form that changes anything (only the logout button).
    assert page.get_by_role("region", name="Lo que le toca hacer").count() == 0
    assert page.locator("main form[method=post]").count() == 0
    assert page.locator("main button").count() == 0


def test_administrador_declara_un_dia_inhabil(page, live_server, demo, contrasena_demo):
    """Issue 59: one administrator asks, from the keyboard; a second one approves."""
    iniciar_sesion(page, live_server, "admin", contrasena_demo)
    page.locator("[data-rol=administrador]").get_by_role("link", name="Días inhábiles").click()
    page.get_by_label("Fecha").fill("2026-12-24")
    page.get_by_label("Descripción").fill("Declarado por la Subsecretaría")
    page.get_by_label("Motivo del cambio").last.fill("Acuerdo SGD/12/2026")
    captura(page, "administrador-dias-inhabiles", donde=page.get_by_label("Fecha"))
    page.get_by_label("Motivo del cambio").last.press("Enter")
    expect(page.locator(".mensajes")).to_contain_text("Cambio pedido")
    assert not DiaInhabil.objects.filter(descripcion="Declarado por la Subsecretaría").exists()
    salir(page)
    iniciar_sesion(page, live_server, "admin2", contrasena_demo)
    page.goto(f"{live_server.url}/cuentas/cambios/")
    fila = page.locator("tr", has_text="Declarar inhábil el jueves 24/12/2026")
    expect(fila).to_contain_text("Declarado por la Subsecretaría")
    captura(page, "administrador-cambios", donde=fila)
    fila.get_by_role("button", name="Aprobar").click()
    assert DiaInhabil.objects.filter(descripcion="Declarado por la Subsecretaría").exists()


def test_ciudadano_verifica_un_dictamen_y_descarga_los_datos_abiertos(
    page, live_server, demo, tmp_path
):
    dictamen = dictaminada(titulo="Computadoras de escritorio")
    page.goto(f"{live_server.url}/")
    # From the keyboard, the first Tab offers to skip the header and lands in the content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Saltar al contenido")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    principal = page.get_by_role("navigation", name="Principal")

    # By folio, from the public register.
    principal.get_by_role("link", name="Dictámenes emitidos").click()
    page.get_by_role("link", name=dictamen.folio).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Dictamen {dictamen.folio}"
    assert "Estado: Vigente" in page.get_by_role("status").inner_text()
    assert "Válido para la cadena original" in page.inner_text("main")

    # By uploading the PDF: the real one is authentic, an altered copy is not.
    pdf = tmp_path / "dictamen.pdf"
    pdf.write_bytes(integridad.dictamen_pdf_leer(dictamen=dictamen))
    principal.get_by_role("link", name="Verificar").click()
    page.get_by_label("PDF del dictamen").set_input_files(str(pdf))
    page.get_by_role("button", name="Verificar", exact=True).click()
    resultado = page.get_by_role("region", name="Resultado").inner_text()
    assert "Documento auténtico." in resultado
    captura(
        page, "ciudadano-verificar", movil=True, donde=page.get_by_role("region", name="Resultado")
    )
    assert dictamen.folio in resultado

    alterado = tmp_path / "alterado.pdf"
    alterado.write_bytes(pdf.read_bytes() + b"\n% cambio\n")
    page.get_by_label("PDF del dictamen").set_input_files(str(alterado))
    page.get_by_role("button", name="Verificar", exact=True).click()
    assert "Documento NO auténtico." in page.get_by_role("region", name="Resultado").inner_text()

    # The open data, from the register page.
    principal.get_by_role("link", name="Dictámenes emitidos").click()
    captura(page, "ciudadano-registro", movil=True)
    with page.expect_download() as descarga:
        page.get_by_role("link", name="CSV", exact=True).click()
    texto = Path(descarga.value.path()).read_text(encoding="utf-8-sig")
    filas = list(csv.DictReader(io.StringIO(texto)))
    assert [f["folio"] for f in filas] == [dictamen.folio]

    # The aggregated figures, from the open-data page the register links to: the request
    # just attended is counted in its year.
    page.get_by_role("link", name="diccionario de datos").click()
    indicador = page.get_by_role("region", name="Indicador anual de solicitudes atendidas")
    with page.expect_download() as descarga:
        indicador.get_by_role("link", name="indicador-anual.csv").click()
    texto = Path(descarga.value.path()).read_text(encoding="utf-8-sig")
    (anual,) = list(csv.DictReader(io.StringIO(texto)))
    assert (anual["ejercicio"], anual["recibidas"], anual["atendidas"]) == (
        str(dictamen.solicitud.ejercicio),
        "1",
        "1",
    )
