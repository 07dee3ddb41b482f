"""Journeys of one request, from the requirente's first click to its end, in Chromium on
PostgreSQL.

Everyone who acts logs in through the login page, one after another, and uses only clicks
and typing; people and the standards come from the demo data, nothing else is set up. At each
step the test reads what that person sees: the page, what is theirs to do («Lo que le toca
hacer»), the open steps and when each is due. A journey stops at the first step a person could
not take; the screenshots of each main step land in test-results/jornadas/<test name>/."""

import datetime
import hashlib
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.backends.jornadas import (
    AREA,
    ESPERA,
    manifiesto_verificar,
    nombre_de,
    qr_del_pdf,
    revision,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ESCRITORIO = "Computadora de escritorio para ventanillas"
FIREWALL = "Firewall perimetral de nueva generación"
SISTEMA = "Sistema de citas en línea"
PORTATIL = "Computadora portátil para supervisores"
LICENCIAS = "Licencias de correo institucional"


def _partida_escritorio(j):
    j.agrega_partida(
        perfil="Computadora de escritorio · Básico",
        descripcion=ESCRITORIO,
        importe="$215,000.00",
        cantidad="10",
        precio="21500",
        capitulo="5000",
        partida="51501",
        especificaciones={
            "Núcleos físicos del procesador": "8",
            "Memoria RAM": "16",
            "Capacidad de almacenamiento": "512",
            "Tipo de almacenamiento": "SSD",
            "Garantía en sitio del fabricante": "3",
            "Módulo de plataforma segura TPM 2.0 habilitado": "Sí",
        },
    )


def _partida_firewall(j):
    j.agrega_partida(
        perfil="Firewall de nueva generación · Perimetral empresarial",
        descripcion=FIREWALL,
        importe="$1,700,000.00",
        cantidad="2",
        precio="850000",
        capitulo="5000",
        partida="51901",
        especificaciones={
            "Rendimiento con protección contra amenazas activa": "10",
            "Sistema de prevención de intrusiones (IPS) con firmas actualizables": "Sí",
            "Usuarios concurrentes de VPN de acceso remoto": "1000",
            "Configuración en par de alta disponibilidad (activo-pasivo o activo-activo)": "Sí",
            "Vigencia del licenciamiento de servicios de seguridad": "3",
            "Retención de bitácoras de seguridad": "12",
        },
    )


def _partida_sistema(j):
    si = "Sí"
    j.agrega_partida(
        perfil="Desarrollo de software · Sistema institucional",
        descripcion=SISTEMA,
        importe="$1,200,000.00",
        cantidad="1",
        precio="1200000",
        capitulo="3000",
        partida="33301",
        especificaciones={
            "La propiedad del código fuente y los derechos de propiedad intelectual "
            "corresponden al Estado": si,
            "El código fuente se entrega en el repositorio institucional del Estado": si,
            "Usa estándares abiertos y expone APIs documentadas": si,
            "Descripción de las APIs expuestas (especificación OpenAPI u otra)": (
                "API REST de citas con especificación OpenAPI 3 y OAuth 2."
            ),
            "Interoperabilidad con sistemas estatales (identidad digital, pagos, catálogos)": (
                "Usa la identidad digital estatal y el catálogo de trámites."
            ),
            "Cumple las pautas de accesibilidad WCAG 2.1 nivel AA": si,
            "Se hospeda en el centro de datos del Estado": si,
            "Aplica la guía de identidad e imagen institucional del Gobierno del Estado": si,
            "Pruebas de seguridad antes de la puesta en producción (OWASP ASVS o reporte de "
            "pruebas de penetración)": si,
            "Tratamiento de datos personales y aviso de privacidad": (
                "Nombre y CURP para agendar; aviso publicado en el portal de la Secretaría."
            ),
            "Entrega de documentación técnica (arquitectura, instalación, operación, modelo "
            "de datos)": si,
            "Horas de transferencia de conocimiento al personal del Estado": "40",
        },
    )


PRESENTACION = "Presentación de la solicitud"
FIRMA = "Firma del dictamen"
REQUIRENTE = nombre_de("requirente.sh")


def _requirente_presenta(j, *, titulo, tipo, monto, partidas, areas, aviso=None) -> str:
    """The requirente's part up to presenting: returns the folio the page shows. `aviso`: the
    warning the page gives when the declared total is not the sum of the items."""
    j.entra("requirente.sh")
    j.nueva_solicitud(
        tipo=tipo,
        titulo=titulo,
        monto=monto,
        justificacion="El equipo actual cumplió su vida útil y no recibe soporte.",
        alineacion="Eje 3 del Programa Especial de Gobierno Digital.",
    )
    for agregar in partidas:
        agregar(j)
    j.adjunta("Oficio de solicitud", "oficio.pdf")
    j.ve_tramite(
        actuales=[(PRESENTACION, REQUIRENTE, None)],
        siguientes=["Admisión", *(revision(a) for a in areas), "Revisión estratégica", FIRMA],
    )
    if aviso:
        expect(j.page.locator("#aviso-montos")).to_contain_text(aviso)
        expect(j.page.locator("#aviso-montos")).to_contain_text("Corrija el monto total")
    j.foto("borrador-completo")
    folio = j.presenta()
    if aviso:
        # Presenting is not refused, but the warning comes with it.
        expect(j.page.locator(".mensaje--warning")).to_have_text(aviso)
    # What happens next and by when: the mesa de control admits it within its deadline.
    j.ve_lo_que_sigue("mesa de control", j.vence("Admisión"))
    j.ve_pasos_en_curso({"Admisión": ("Sin tomar", j.vence("Admisión"))})
    j.ve_tramite(
        hechos=[(PRESENTACION, REQUIRENTE)],
        actuales=[("Admisión", None, j.vence("Admisión"))],
        siguientes=[*(revision(a) for a in areas), "Revisión estratégica", FIRMA],
    )
    j.ve_en_historial(f"Solicitud presentada con folio {folio}")
    j.foto("presentada")
    j.sale()
    return folio


def _mesa_admite(j, folio, areas, aviso=None):
    j.entra("mesa")
    j.toma_de_la_cola(folio, "Admisión", j.vence("Admisión"))
    if aviso:
        # The mesa de control sees the difference when it decides on admission.
        expect(j.page.locator("#aviso-montos")).to_contain_text(aviso)
        expect(j.page.locator("#aviso-montos")).to_contain_text("Se presentó con esta diferencia.")
    expect(j.acciones()).to_contain_text("Admisión")
    j.ve_tramite(
        hechos=[(PRESENTACION, REQUIRENTE)],
        actuales=[("Admisión", nombre_de("mesa"), j.vence("Admisión"))],
    )
    j.foto("admision")
    j.admite()
    j.ve_en_historial("Solicitud admitida; pasa a revisión técnica")
    # Nothing left for the mesa on this request; the areas review at once, each by its date.
    j.no_le_toca_nada()
    j.ve_pasos_en_curso({revision(a): ("Sin tomar", j.vence(revision(a))) for a in areas})
    j.ve_tramite(
        hechos=[(PRESENTACION, REQUIRENTE), ("Admisión", nombre_de("mesa"))],
        actuales=[(revision(a), None, j.vence(revision(a))) for a in areas],
        siguientes=["Revisión estratégica", FIRMA],
    )
    j.foto("admitida")
    j.sale()


def _revisor_concluye(j, folio, usuario, area, opiniones, opinion="Favorable", otros=None):
    """A reviewer takes the area's step from the queue and concludes it. `otros`: the other
    areas' steps still open afterwards, {title: who holds it, or None}."""
    otros = otros or {}
    j.entra(usuario)
    paso = revision(area)
    j.toma_de_la_cola(folio, paso, j.vence(paso))
    # Only their own area is theirs to do.
    expect(j.acciones()).to_contain_text(paso)
    expect(j.acciones().get_by_role("button", name="Concluir revisión del área")).to_have_count(1)
    j.ve_tramite(
        actuales=[(paso, nombre_de(usuario), j.vence(paso))]
        + [(otro, quien, j.vence(otro)) for otro, quien in otros.items()],
    )
    j.foto(f"revision-{area}")
    j.revisa(area, opiniones=opiniones, opinion=opinion, observaciones="Cumple el estándar.")
    expect(j.region("Opiniones por área")).to_contain_text(f"{opinion} — {nombre_de(usuario)}")
    j.no_le_toca_nada()
    if otros:
        j.ve_estado("En revisión técnica")
        j.ve_pasos_en_curso(
            {otro: (quien or "Sin tomar", j.vence(otro)) for otro, quien in otros.items()}
        )
        j.ve_tramite(
            hechos=[(paso, nombre_de(usuario))],
            actuales=[(otro, quien, j.vence(otro)) for otro, quien in otros.items()],
        )
    else:
        j.ve_estado("En revisión estratégica")
        j.ve_tramite(
            hechos=[(paso, nombre_de(usuario))],
            actuales=[("Revisión estratégica", None, j.vence("Revisión estratégica"))],
            siguientes=[FIRMA],
        )
    j.sale()


def _estrategico_decide(j, folio, resultado, motivos, condiciones=""):
    j.entra("estrategico")
    j.toma_de_la_cola(folio, "Revisión estratégica", j.vence("Revisión estratégica"))
    j.ve_estado("En revisión estratégica")
    j.ve_tramite(
        actuales=[
            ("Revisión estratégica", nombre_de("estrategico"), j.vence("Revisión estratégica"))
        ],
        siguientes=[FIRMA],
    )
    j.foto("revision-estrategica")
    acciones = j.acciones()
    acciones.get_by_label("Decidir el resultado").check()
    acciones.get_by_label("Resultado", exact=True).select_option(label=resultado)
    acciones.get_by_label("Motivos").fill(motivos)
    if condiciones:
        acciones.get_by_label("Condiciones (si es favorable condicionado)").fill(condiciones)
    acciones.get_by_role("button", name="Registrar").click()
    j.inicia("Firma", FIRMA)
    j.ve_estado("En firma")
    j.no_le_toca_nada()
    j.ve_pasos_en_curso({"Firma": ("Sin tomar", j.vence("Firma"))})
    j.ve_tramite(
        hechos=[("Revisión estratégica", nombre_de("estrategico"))],
        actuales=[(FIRMA, None, j.vence("Firma"))],
    )
    j.ve_en_historial(f"Decisión estratégica: {resultado}")
    j.sale()


def _firmante_firma(j, folio, resultado):
    j.entra("firmante")
    j.toma_de_la_cola(folio, "Firma", j.vence("Firma"))
    return _firma_el_dictamen(j, resultado)


def _firma_el_dictamen(j, resultado):
    expect(j.acciones()).to_contain_text(f"Decisión estratégica: {resultado}")
    j.ve_tramite(actuales=[(FIRMA, nombre_de("firmante"), j.vence("Firma"))])
    j.foto("firma")
    j.firma()
    j.ve_estado("Dictaminada")
    j.mensaje_exito("Dictamen firmado y emitido.")
    dictamen = j.region("Dictamen")
    expect(dictamen).to_contain_text(f" · {resultado}")
    folio_dictamen = dictamen.get_by_role("paragraph").first.inner_text().split(" · ")[0]
    j.ve_pasos_en_curso({})
    j.ve_tramite(hechos=[(FIRMA, nombre_de("firmante"))])
    j.foto("dictaminada")
    return folio_dictamen


def _requirente_ve_el_resultado(j, folio, resultado, folio_dictamen):
    j.entra("requirente.sh")
    j.abrir(folio, desde="Mis solicitudes")
    j.ve_estado("Dictaminada")
    expect(j.dato("Resultado")).to_have_text(resultado)
    expect(j.region("Dictamen")).to_contain_text(f"{folio_dictamen} · {resultado}")
    j.ve_lo_que_sigue("El dictamen está emitido y firmado")
    j.foto("resultado")
    j.sale()


# Journey a declares $1,000,000.00 more than its three items add up to.
AVISO_MONTOS = (
    "El monto total declarado ($4,115,000.00) no coincide con la suma de las partidas "
    "($3,115,000.00): la diferencia es de $1,000,000.00."
)


def test_tres_areas_en_paralelo_concluyen_en_otro_orden_y_se_firma_favorable(jornada):
    j = jornada
    areas = ("seguridad", "software", "computo")  # the order the flow creates their steps
    folio = _requirente_presenta(
        j,
        titulo="Modernización de ventanillas, red perimetral y citas en línea",
        tipo="Adquisición",
        monto="4115000",
        partidas=(_partida_escritorio, _partida_firewall, _partida_sistema),
        areas=("computo", "seguridad", "software"),
        aviso=AVISO_MONTOS,
    )
    _mesa_admite(j, folio, areas, aviso=AVISO_MONTOS)

    # They conclude in another order than the one their steps were created in (seguridad,
    # software, cómputo) and than the items' (cómputo, seguridad, software).
    _revisor_concluye(
        j,
        folio,
        "revisor.software",
        "software",
        {SISTEMA: "Cumple: código y APIs del Estado."},
        otros={revision("seguridad"): None, revision("computo"): None},
    )
    _revisor_concluye(
        j,
        folio,
        "revisor.computo",
        "computo",
        {ESCRITORIO: "Cumple para atención en ventanilla."},
        otros={revision("seguridad"): None},
    )
    _revisor_concluye(
        j, folio, "revisor.seguridad", "seguridad", {FIREWALL: "Cumple el rendimiento con IPS."}
    )

    _estrategico_decide(
        j, folio, "Favorable", "Alineado al programa; sin duplicidad con otros entes."
    )
    folio_dictamen = _firmante_firma(j, folio, "Favorable")
    j.sale()
    _requirente_ve_el_resultado(j, folio, "Favorable", folio_dictamen)


def _partida_portatil(j):
    j.agrega_partida(
        perfil="Computadora portátil · Básico",
        descripcion=PORTATIL,
        importe="$360,000.00",
        cantidad="15",
        precio="24000",
        capitulo="5000",
        partida="51501",
        especificaciones={
            "Núcleos físicos del procesador": "8",
            "Memoria RAM": "16",
            "Capacidad de almacenamiento de estado sólido": "512",
            "Garantía del fabricante": "3",
            "Cifrado de disco completo con TPM 2.0": "Sí",
        },
    )


def _partida_licencias(j):
    j.agrega_partida(
        perfil="Licencia de software · General",
        descripcion=LICENCIAS,
        importe="$420,000.00",
        cantidad="350",
        precio="1200",
        capitulo="3000",
        partida="32701",
        especificaciones={
            "Modalidad de licenciamiento": "Suscripción",
            "Número de licencias solicitadas": "350",
            "Vigencia de soporte y actualizaciones": "12",
            "Se evaluaron alternativas de software libre": (
                "Se evaluó un servidor de correo libre; no cubre la retención legal."
            ),
            "Lee y exporta la información en formatos abiertos (ODF, CSV, PDF/A u otros)": "Sí",
            "Portabilidad de los datos al término del contrato sin costo adicional": "Sí",
        },
    )


def test_prevencion_peticion_de_informacion_y_devolucion_hasta_no_favorable(jornada):
    j = jornada
    faltante = "Falta la cotización del proveedor de las licencias."
    pregunta = "¿Cómo se exportan los buzones al término de la suscripción?"
    respuesta = "El proveedor entrega los buzones en formato MBOX sin costo."
    folio = _requirente_presenta(
        j,
        titulo="Portátiles para supervisión y correo institucional",
        tipo="Adquisición",
        monto="780000",
        partidas=(_partida_portatil, _partida_licencias),
        areas=("computo", "software"),
    )

    # The mesa de control sends it back: a prevención that says what is missing.
    j.entra("mesa")
    j.toma_de_la_cola(folio, "Admisión", j.vence("Admisión"))
    j.previene(faltante)
    j.no_le_toca_nada()
    j.ve_pasos_en_curso(
        {"Subsanar la prevención": ("Sin tomar", j.vence("Subsanar la prevención"))}
    )
    j.ve_tramite(
        hechos=[("Admisión", nombre_de("mesa"))],
        actuales=[("Subsanar la prevención", None, j.vence("Subsanar la prevención"))],
    )
    j.ve_en_historial("Prevención emitida; plazo para subsanar hasta el", faltante)
    j.foto("prevencion")
    j.sale()

    # The requirente corrects it within the deadline the page gives.
    j.entra("requirente.sh")
    j.abrir(folio, desde="Mis solicitudes")
    j.ve_estado("Prevenida")
    expect(j.acciones()).to_contain_text("Subsanar la prevención")
    j.ve_pasos_en_curso(
        {"Subsanar la prevención": ("Sin tomar", j.vence("Subsanar la prevención"))}
    )
    j.ve_tramite(actuales=[("Subsanar la prevención", None, j.vence("Subsanar la prevención"))])
    j.ve_en_historial(faltante)
    j.foto("prevenida")
    j.adjunta("Cotización", "cotizacion-licencias.pdf")
    j.acciones().get_by_label("Describa cómo atendió la prevención").fill(
        "Se adjunta la cotización del proveedor."
    )
    j.acciones().get_by_role("button", name="Enviar corrección").click()
    j.inicia("Admisión")
    j.ve_estado("En admisión")
    j.mensaje_exito("Prevención atendida; la solicitud vuelve a admisión.")
    j.ve_lo_que_sigue("mesa de control", j.vence("Admisión"))
    j.ve_pasos_en_curso({"Admisión": ("Sin tomar", j.vence("Admisión"))})
    j.ve_tramite(
        hechos=[("Admisión", nombre_de("mesa")), ("Subsanar la prevención", REQUIRENTE)],
        actuales=[("Admisión", None, j.vence("Admisión"))],
    )
    j.ve_en_historial("Prevención atendida; vuelve a admisión")
    j.foto("subsanada")
    j.sale()

    _mesa_admite(j, folio, ("software", "computo"))

    # Software asks the agency for information: its clock stops until the answer.
    j.entra("revisor.software")
    paso_software = revision("software")
    j.toma_de_la_cola(folio, paso_software, j.vence(paso_software))
    j.acciones().get_by_label("Información que necesita del requirente").fill(pregunta)
    j.acciones().get_by_role("button", name="Pedir información al requirente").click()
    j.mensaje_exito("Petición enviada al requirente; el plazo del área queda detenido.")
    expect(j.acciones().get_by_role("status")).to_contain_text(
        "Hay una petición de información sin responder"
    )
    expect(j.acciones().get_by_role("button", name="Concluir revisión del área")).to_have_count(0)
    expect(j.region("Peticiones de información")).to_contain_text(pregunta)
    j.foto("peticion")
    j.sale()

    # Cómputo concludes meanwhile.
    _revisor_concluye(
        j,
        folio,
        "revisor.computo",
        "computo",
        {PORTATIL: "Cumple para supervisión en campo."},
        otros={paso_software: nombre_de("revisor.software")},
    )

    # The requirente answers.
    j.entra("requirente.sh")
    j.abrir(folio, desde="Mis solicitudes")
    expect(j.acciones()).to_contain_text(f"Información que pide {AREA['software']}")
    expect(j.acciones()).to_contain_text(pregunta)
    j.foto("peticion-recibida")
    j.acciones().get_by_label("Su respuesta").fill(respuesta)
    j.acciones().get_by_role("button", name="Responder").click()
    j.mensaje_exito("Respuesta enviada al área.")
    expect(j.region("Peticiones de información")).to_contain_text(respuesta)
    j.ve_lo_que_sigue(paso_software, j.vence(paso_software))
    j.foto("respondida")
    j.sale()

    # Software concludes with the answer in view.
    j.entra("revisor.software")
    j.en_la_cola(folio, paso_software, j.vence(paso_software), lista="Mis tareas")
    j.abrir(folio, desde="Mis tareas")
    expect(j.region("Peticiones de información")).to_contain_text(respuesta)
    j.revisa(
        "software",
        opiniones={LICENCIAS: "Cumple; la portabilidad queda por escrito."},
        opinion="Favorable con observaciones",
        observaciones="Pedir la carta de portabilidad firmada.",
    )
    j.ve_estado("En revisión estratégica")
    j.sale()

    # The strategic reviewer sends it back to software.
    j.entra("estrategico")
    j.toma_de_la_cola(folio, "Revisión estratégica", j.vence("Revisión estratégica"))
    acciones = j.acciones()
    acciones.get_by_label("Devolver a un área para re-revisión").check()
    acciones.get_by_label("Área a la que se devuelve").select_option(label=AREA["software"])
    acciones.get_by_label("Motivos").fill("Falta valorar el costo de salida del proveedor.")
    acciones.get_by_role("button", name="Registrar").click()
    re_revision = f"Re-revisión técnica: {AREA['software']}"
    j.inicia(re_revision)
    j.mensaje_exito("Solicitud devuelta al área.")
    j.ve_estado("En revisión técnica")
    j.no_le_toca_nada()
    j.ve_pasos_en_curso({re_revision: ("Sin tomar", j.vence(re_revision))})
    j.ve_tramite(
        hechos=[("Revisión estratégica", nombre_de("estrategico"))],
        actuales=[(re_revision, None, j.vence(re_revision))],
    )
    j.ve_en_historial(f"Devuelta a {AREA['software']} para re-revisión")
    j.foto("devuelta")
    j.sale()

    # Software re-reviews: now it is not favorable.
    j.entra("revisor.software")
    j.toma_de_la_cola(folio, re_revision, j.vence(re_revision))
    j.foto("re-revision")
    j.revisa(
        "software",
        opiniones={LICENCIAS: "El costo de salida duplica el de la suscripción."},
        opinion="No favorable",
        observaciones="Dependencia de un solo proveedor.",
    )
    j.ve_estado("En revisión estratégica")
    expect(j.region("Opiniones por área")).to_contain_text("(ronda 2): No favorable")
    j.sale()

    _estrategico_decide(
        j, folio, "No favorable", "Riesgo de dependencia tecnológica de un solo proveedor."
    )
    folio_dictamen = _firmante_firma(j, folio, "No favorable")
    j.sale()
    _requirente_ve_el_resultado(j, folio, "No favorable", folio_dictamen)


def _una_partida_dictaminada_hasta_la_firma(j, titulo, *, resultado, condiciones=""):
    """The short way to the firmante's desk: one desktop computer, cómputo reviews it."""
    folio = _requirente_presenta(
        j,
        titulo=titulo,
        tipo="Adquisición",
        monto="215000",
        partidas=(_partida_escritorio,),
        areas=("computo",),
    )
    _mesa_admite(j, folio, ("computo",))
    _revisor_concluye(
        j, folio, "revisor.computo", "computo", {ESCRITORIO: "Cumple para ventanilla."}
    )
    _estrategico_decide(
        j, folio, resultado, "Sustituye equipo obsoleto; sin duplicidad.", condiciones
    )
    return folio


def _publico_abre(j, ruta):
    """An anonymous visitor opens a public page by its address (as from a phone)."""
    assert j.quien is None
    j.page.goto(f"{j.url}{ruta}")


def test_condicionado_verificado_auditado_rectificado_y_cancelado(jornada):
    j = jornada
    condiciones = "Consolidar la compra con el contrato marco estatal de cómputo."
    folio = _una_partida_dictaminada_hasta_la_firma(
        j,
        "Computadoras de escritorio para el archivo",
        resultado="Favorable condicionado",
        condiciones=condiciones,
    )

    # The firmante reads the conditions and signs with the demo e.firma through the form.
    j.entra("firmante")
    j.toma_de_la_cola(folio, "Firma", j.vence("Firma"))
    expect(j.acciones()).to_contain_text(condiciones)
    folio_dictamen = _firma_el_dictamen(j, "Favorable condicionado")
    expect(j.region("Dictamen")).to_contain_text(condiciones)
    pdf = j.descarga("Descargar PDF firmado", "dictamen.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    j.sale()

    # The QR printed on the PDF leads to the public page of that dictamen.
    url = qr_del_pdf(pdf)
    ruta = urlparse(url).path
    assert ruta == f"/verificar/{folio_dictamen}/", url
    _publico_abre(j, ruta)
    expect(j.page.get_by_role("heading", level=1)).to_have_text(f"Dictamen {folio_dictamen}")
    expect(j.page.get_by_role("status")).to_contain_text("Estado: Vigente")
    expect(j.page.get_by_role("main")).to_contain_text("Favorable condicionado")
    expect(j.page.get_by_role("main")).to_contain_text("Válido para la cadena original")
    j.foto("verificacion-qr")

    # Anyone uploads the PDF at /verificar/: it is the authentic one.
    j.page.get_by_role("navigation", name="Principal").get_by_role("link", name="Verificar").click()
    j.page.get_by_label("PDF del dictamen").set_input_files(str(pdf))
    j.page.get_by_role("button", name="Verificar", exact=True).click()
    resultado = j.region("Resultado")
    expect(resultado).to_contain_text("Documento auténtico.", timeout=ESPERA)
    expect(resultado).to_contain_text(folio_dictamen)
    j.foto("pdf-autentico")

    # The auditor downloads the expediente: every file matches its manifest.
    j.entra("auditor")
    j.abrir(folio, desde="Todas las solicitudes")
    j.ve_estado("Dictaminada")
    j.no_le_toca_nada()
    expediente = j.descarga("Descargar el expediente (ZIP)", "expediente.zip")
    manifiesto = manifiesto_verificar(expediente)
    pdf_en_zip = f"dictamenes/{folio_dictamen.replace('/', '-')}.pdf"
    assert manifiesto[pdf_en_zip] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert any(r.startswith("anexos/") and r.endswith("oficio.pdf") for r in manifiesto)
    assert {"historial.json", "historial.pdf"} <= set(manifiesto)
    j.foto("auditor")
    j.sale()

    # The firmante rectifies it: a new folio that points to the old one, which is cancelled.
    j.entra("firmante")
    j.abrir(folio)
    nuevas = "Consolidar la compra con el contrato marco estatal de cómputo 2026."
    rectificar = (
        j.acciones()
        .get_by_role("group")
        .filter(has=j.page.get_by_text(f"Rectificar el dictamen {folio_dictamen}"))
    )
    rectificar.get_by_text(f"Rectificar el dictamen {folio_dictamen}").click()
    rectificar.get_by_label("Motivo", exact=True).fill("El contrato marco citado es el de 2026.")
    rectificar.get_by_label("Motivos del dictamen rectificado").fill(
        "Sustituye equipo obsoleto; sin duplicidad."
    )
    rectificar.get_by_label("Condiciones").fill(nuevas)
    j.firma("Emitir dictamen rectificado con mi e.firma", contenedor=rectificar)
    j.mensaje_exito(f"Dictamen {folio_dictamen} rectificado.")
    dictamen = j.region("Dictamen")
    expect(dictamen).to_contain_text(f"Rectifica al dictamen {folio_dictamen}.")
    nuevo = (
        dictamen.get_by_role("paragraph")
        .filter(has_text="Vigente")
        .first.inner_text()
        .split(" · ")[0]
    )
    assert nuevo != folio_dictamen
    j.foto("rectificado")

    # The firmante then cancels the new one, with its reason.
    cancelar = (
        j.acciones()
        .get_by_role("group")
        .filter(has=j.page.get_by_text(f"Cancelar el dictamen {nuevo}"))
    )
    cancelar.get_by_text(f"Cancelar el dictamen {nuevo}").click()
    cancelar.get_by_label("Motivo", exact=True).fill("La dependencia desistió de la compra.")
    j.firma("Cancelar con mi e.firma", contenedor=cancelar)
    j.mensaje_exito(f"Dictamen {nuevo} cancelado.")
    j.foto("cancelado")
    j.sale()

    # Public pages: the new one names the old folio and says cancelado; the old one points to
    # the new one and was cancelled by the rectification.
    _publico_abre(j, f"/verificar/{nuevo}/")
    expect(j.page.get_by_role("status")).to_contain_text("Estado: Cancelado")
    expect(j.page.get_by_role("status")).to_contain_text("La dependencia desistió de la compra.")
    expect(j.page.get_by_role("main")).to_contain_text(f"Rectifica al dictamen {folio_dictamen}")
    j.foto("publico-nuevo")
    j.page.get_by_role("link", name=folio_dictamen, exact=True).click()
    expect(j.page.get_by_role("status")).to_contain_text("Estado: Cancelado")
    expect(j.page.get_by_role("main")).to_contain_text(f"Fue rectificado por el dictamen {nuevo}")
    j.foto("publico-anterior")


def test_suplente_atiende_la_tarea_del_titular_desde_su_bandeja(jornada):
    j = jornada
    folio = _requirente_presenta(
        j,
        titulo="Computadoras de escritorio para la oficina de enlace",
        tipo="Adquisición",
        monto="215000",
        partidas=(_partida_escritorio,),
        areas=("computo",),
    )
    _mesa_admite(j, folio, ("computo",))
    paso = revision("computo")
    titular, suplente = nombre_de("revisor.computo"), nombre_de("revisor.redes")

    # The titular takes the step, then goes on leave and names a substitute.
    j.entra("revisor.computo")
    j.toma_de_la_cola(folio, paso, j.vence(paso))
    j.ir_a("Suplencias")
    hoy = timezone.localdate()
    j.page.get_by_label("Suplente").select_option(label=suplente)
    j.page.get_by_label("Desde").fill(f"{hoy:%Y-%m-%d}")
    j.page.get_by_label("Hasta").fill(f"{hoy + datetime.timedelta(days=14):%Y-%m-%d}")
    j.page.get_by_label("Motivo").fill("Vacaciones")
    j.page.get_by_role("button", name="Registrar suplencia").click()
    j.mensaje_exito("Suplencia registrada.")
    suplencias = j.page.get_by_role("table", name="Suplencias registradas")
    expect(suplencias.get_by_role("row").filter(has_text=suplente)).to_contain_text("Vacaciones")
    j.foto("suplencia")
    j.sale()

    # The substitute finds the titular's step in their own inbox and attends it.
    j.entra("revisor.redes")
    fila = j.en_la_cola(folio, paso, j.vence(paso), lista="Mis tareas")
    j.foto("bandeja-suplente")
    fila.get_by_role("link", name=folio, exact=True).click()
    j.ve_pasos_en_curso({paso: (titular, j.vence(paso))})
    j.toma(paso)
    j.ve_tramite(actuales=[(paso, suplente, j.vence(paso))])
    j.ve_en_historial(f"{suplente} toma «{paso}» en suplencia de {titular}")
    j.foto("suplente-revisa")
    j.revisa(
        "computo",
        opiniones={ESCRITORIO: "Cumple para la oficina de enlace."},
        opinion="Favorable",
    )
    j.ve_estado("En revisión estratégica")
    expect(j.region("Opiniones por área")).to_contain_text(f"Favorable — {suplente}")
    j.sale()

    _estrategico_decide(j, folio, "Favorable", "Sustituye equipo obsoleto; sin duplicidad.")
    folio_dictamen = _firmante_firma(j, folio, "Favorable")
    j.sale()
    _requirente_ve_el_resultado(j, folio, "Favorable", folio_dictamen)
