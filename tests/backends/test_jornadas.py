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

from dictamenes.models import Area
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.suplencias import services as suplencias
from tests.backends.jornadas import (
    AREA,
    ESPERA,
    SUYO,
    manifiesto_verificar,
    nombre_de,
    qr_del_pdf,
    revision,
    vence_en,
)
from tests.backends.jornadas_pasos import (
    ESCRITORIO,
    FIREWALL,
    LICENCIAS,
    PORTATIL,
    REQUIRENTE,
    SISTEMA,
    estrategico_decide,
    firma_el_dictamen,
    firmante_firma,
    mesa_admite,
    partida_escritorio,
    partida_firewall,
    partida_licencias,
    partida_portatil,
    partida_sistema,
    publico_abre,
    requirente_presenta,
    requirente_ve_el_resultado,
    revisor_concluye,
    una_partida_dictaminada_hasta_la_firma,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Journey a declares $1,000,000.00 more than its three items add up to.
AVISO_MONTOS = (
    "El monto total declarado ($4,115,000.00) no coincide con la suma de las partidas "
    "($3,115,000.00): la diferencia es de $1,000,000.00."
)


def test_tres_areas_en_paralelo_una_por_un_suplente_concluyen_en_otro_orden_y_se_firma(jornada):
    """Three areas review at once and conclude out of order; cómputo's titular takes its step,
    goes on leave, and the substitute an administrator approved concludes it from their own
    inbox. (Until issue 92 the substitute walked a journey of their own, which presented,
    admitted, decided, signed and read the result exactly as this one does.)"""
    j = jornada
    areas = ("seguridad", "software", "computo")  # the order the flow creates their steps
    folio = requirente_presenta(
        j,
        titulo="Modernización de ventanillas, red perimetral y citas en línea",
        tipo="Adquisición",
        monto="4115000",
        partidas=(partida_escritorio, partida_firewall, partida_sistema),
        areas=("computo", "seguridad", "software"),
        aviso=AVISO_MONTOS,
        monto_correcto="3115000",
    )
    mesa_admite(j, folio, areas)

    # They conclude in another order than the one their steps were created in (seguridad,
    # software, cómputo) and than the items' (cómputo, seguridad, software).
    revisor_concluye(
        j,
        folio,
        "revisor.software",
        "software",
        {SISTEMA: "Cumple: código y APIs del Estado."},
        otros={revision("seguridad"): None, revision("computo"): None},
    )
    _computo_por_su_suplente(j, folio)
    revisor_concluye(
        j, folio, "revisor.seguridad", "seguridad", {FIREWALL: "Cumple el rendimiento con IPS."}
    )

    estrategico_decide(
        j, folio, "Favorable", "Alineado al programa; sin duplicidad con otros entes."
    )
    folio_dictamen = firmante_firma(j, folio, "Favorable")
    j.sale()
    requirente_ve_el_resultado(
        j,
        folio,
        "Favorable",
        folio_dictamen,
        titulo="Modernización de ventanillas, red perimetral y citas en línea",
    )


def _computo_por_su_suplente(j, folio):
    """Cómputo's step, while seguridad's waits untaken: its titular takes it and goes on leave;
    a second person, an administrator, approves the substitute, who attends it."""
    paso, seguridad = revision("computo"), revision("seguridad")
    titular, suplente = nombre_de("revisor.computo"), nombre_de("revisor.redes")

    # The titular takes the step, then goes on leave and names a substitute.
    j.entra("revisor.computo")
    j.toma_desde_su_inicio(folio, paso, j.vence(paso))
    j.ir_a("Suplencias")
    hoy = timezone.localdate()
    j.page.get_by_label("Suplente").select_option(label=suplente)
    j.page.get_by_label("Desde").fill(f"{hoy:%Y-%m-%d}")
    j.page.get_by_label("Hasta").fill(f"{hoy + datetime.timedelta(days=14):%Y-%m-%d}")
    j.page.get_by_label("Motivo").fill("Vacaciones")
    j.page.get_by_role("button", name="Registrar suplencia").click()
    # revisor.redes does not review computo: standing in lends it, so it waits for an
    # administrator (issue 59); the page says so and lists it.
    area = Area.objects.get(clave="computo").nombre
    j.mensaje_exito(
        str(suplencias.AVISO_SUSTITUCION_POR_APROBAR)
        % {"suplente": suplente, "falta": f"áreas: «{area}»"}
    )
    por_aprobar = j.page.get_by_role("table", name="Suplencias por aprobar")
    expect(por_aprobar.get_by_role("row").filter(has_text=suplente)).to_contain_text(area)
    j.foto("suplencia-por-aprobar")
    j.sale()

    # A second person, an administrator, reads who, which area, the dates and the reason, and
    # approves it.
    j.entra("admin2")
    j.page.goto(f"{j.url}/cuentas/cambios/")
    fila = j.page.get_by_role("row").filter(has_text=suplente).filter(has_text="Vacaciones")
    expect(fila).to_contain_text(titular)
    expect(fila).to_contain_text(area)
    expect(fila).to_contain_text(f"{hoy:%d/%m/%Y}")
    j.foto("suplencia-para-aprobar")
    fila.get_by_role("button", name="Aprobar").click()
    expect(j.page.get_by_text("Cambio aprobado: ya tiene efecto")).to_be_visible()
    j.sale()

    # The substitute finds the titular's step in their own inbox and attends it.
    j.entra("revisor.redes")
    j.ve_pendiente(
        "Pasos a su cargo", f"{folio} · {paso}", f"vence el {j.vence(paso)}", ancla="#acciones"
    )
    fila = j.en_la_cola(folio, paso, j.vence(paso), lista="Mis tareas")
    j.foto("bandeja-suplente")
    fila.get_by_role("link", name=folio, exact=True).click()
    expect(j.dato("Folio")).to_have_text(folio, timeout=ESPERA)
    j.ve_pasos_en_curso(
        {paso: (titular, j.vence(paso)), seguridad: ("Sin tomar", j.vence(seguridad))}
    )
    j.toma(paso)
    j.ve_tramite(actuales=[(paso, suplente, j.vence(paso)), (seguridad, None, j.vence(seguridad))])
    j.ve_en_historial(f"{suplente} toma «{paso}» en suplencia de {titular}")
    j.foto("suplente-revisa")
    j.revisa(
        "computo",
        opiniones={ESCRITORIO: "Cumple para atención en ventanilla."},
        opinion="Favorable",
    )
    j.ve_estado("En revisión técnica")
    expect(j.region("Opiniones por área")).to_contain_text(f"Favorable — {suplente}")
    j.ve_pasos_en_curso({seguridad: ("Sin tomar", j.vence(seguridad))})
    j.ya_no_le_toca(folio)
    j.sale()


def test_prevencion_peticion_de_informacion_y_devolucion_hasta_no_favorable(jornada):
    j = jornada
    titulo = "Portátiles para supervisión y correo institucional"
    faltante = "Falta la cotización del proveedor de las licencias."
    pregunta = "¿Cómo se exportan los buzones al término de la suscripción?"
    respuesta = "El proveedor entrega los buzones en formato MBOX sin costo."
    folio = requirente_presenta(
        j,
        titulo=titulo,
        tipo="Adquisición",
        monto="780000",
        partidas=(partida_portatil, partida_licencias),
        areas=("computo", "software"),
    )

    # The mesa de control sends it back: a prevención that says what is missing.
    j.entra("mesa")
    j.toma_desde_su_inicio(folio, "Admisión", j.vence("Admisión"))
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
    j.ya_no_le_toca(folio)
    j.sale()

    # The requirente corrects it within the deadline her home gives, which leads to the form.
    j.entra("requirente.sh")
    j.va_al_pendiente(
        "Prevenciones por subsanar",
        f"{folio} · Subsanar la prevención: «{titulo}»",
        f"vence el {j.vence('Subsanar la prevención')}",
        ancla="#acciones",
        foto="inicio-prevencion",
    )
    j.ve_estado("Prevenida")
    expect(j.acciones()).to_contain_text("Subsanar la prevención")
    # Her own step reads as hers, not as one nobody took.
    j.ve_pasos_en_curso({"Subsanar la prevención": (SUYO, j.vence("Subsanar la prevención"))})
    j.ve_tramite(actuales=[("Subsanar la prevención", SUYO, j.vence("Subsanar la prevención"))])
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
    j.ya_no_le_toca(folio)
    j.sale()

    mesa_admite(j, folio, ("software", "computo"))

    # Software asks the agency for information: its clock stops until the answer.
    j.entra("revisor.software")
    paso_software = revision("software")
    j.toma_desde_su_inicio(folio, paso_software, j.vence(paso_software))
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
    revisor_concluye(
        j,
        folio,
        "revisor.computo",
        "computo",
        {PORTATIL: "Cumple para supervisión en campo."},
        otros={paso_software: nombre_de("revisor.software")},
    )

    # The requirente answers: her home says an area asks, and leads to the question.
    j.entra("requirente.sh")
    j.va_al_pendiente(
        "Información que le piden las áreas",
        f"{folio} · {AREA['software']} pide información",
        ancla="#acciones",
    )
    expect(j.acciones()).to_contain_text(f"Información que pide {AREA['software']}")
    expect(j.acciones()).to_contain_text(pregunta)
    j.foto("peticion-recibida")
    j.acciones().get_by_label("Su respuesta").fill(respuesta)
    j.acciones().get_by_role("button", name="Responder").click()
    j.mensaje_exito("Respuesta enviada al área.")
    expect(j.region("Peticiones de información")).to_contain_text(respuesta)
    j.ve_lo_que_sigue(paso_software, j.vence(paso_software))
    j.foto("respondida")
    j.ya_no_le_toca(folio)
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
    j.ya_no_le_toca(folio)
    j.sale()

    # The strategic reviewer sends it back to software.
    j.entra("estrategico")
    j.toma_desde_su_inicio(folio, "Revisión estratégica", j.vence("Revisión estratégica"))
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
    j.ya_no_le_toca(folio)
    j.sale()

    # Software re-reviews: now it is not favorable.
    j.entra("revisor.software")
    j.toma_desde_su_inicio(folio, re_revision, j.vence(re_revision))
    j.foto("re-revision")
    j.revisa(
        "software",
        opiniones={LICENCIAS: "El costo de salida duplica el de la suscripción."},
        opinion="No favorable",
        observaciones="Dependencia de un solo proveedor.",
    )
    j.ve_estado("En revisión estratégica")
    expect(j.region("Opiniones por área")).to_contain_text("(ronda 2): No favorable")
    j.ya_no_le_toca(folio)
    j.sale()

    estrategico_decide(
        j, folio, "No favorable", "Riesgo de dependencia tecnológica de un solo proveedor."
    )
    folio_dictamen = firmante_firma(j, folio, "No favorable")
    j.sale()
    requirente_ve_el_resultado(j, folio, "No favorable", folio_dictamen, titulo=titulo)


def test_condicionado_verificado_auditado_rectificado_y_cancelado(jornada):
    j = jornada
    condiciones = "Consolidar la compra con el contrato marco estatal de cómputo."
    folio = una_partida_dictaminada_hasta_la_firma(
        j,
        "Computadoras de escritorio para el archivo",
        resultado="Favorable condicionado",
        condiciones=condiciones,
    )

    # The firmante reads the conditions and signs with the demo e.firma through the form.
    j.entra("firmante")
    j.toma_desde_su_inicio(folio, "Firma", j.vence("Firma"))
    expect(j.acciones()).to_contain_text(condiciones)
    folio_dictamen = firma_el_dictamen(j, "Favorable condicionado")
    j.inicia("Dictamen")  # its conditions are due in business days from today
    expect(j.region("Dictamen")).to_contain_text(condiciones)
    pdf = j.descarga("Descargar PDF firmado", "dictamen.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    j.ya_no_le_toca(folio)
    j.sale()

    # The QR printed on the PDF leads to the public page of that dictamen.
    url = qr_del_pdf(pdf)
    ruta = urlparse(url).path
    assert ruta == f"/verificar/{folio_dictamen}/", url
    publico_abre(j, ruta)
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

    # The agency meets the condition: its home says which and by when, and leads to it.
    j.entra("requirente.sh")
    cumplir = f"{folio_dictamen} · Condición 1: suba la evidencia"
    dias = textos_vigentes().condicion_dias_habiles  # the deadline of the texts in force
    vence = vence_en(dias, desde=j.inicios["Dictamen"])
    j.va_al_pendiente(
        "Condiciones por cumplir",
        cumplir,
        f"vence el {vence}",
        ancla="#condicion-1",
        foto="inicio-condicion-contrato-encuesta",
    )
    tabla = j.region("Condiciones del dictamen")
    tabla.get_by_text("Presentar evidencia de la condición 1").click()
    tabla.get_by_label("Evidencia", exact=True).set_input_files(
        str(j.archivo("contrato-marco.pdf"))
    )
    tabla.get_by_role("button", name="Presentar la evidencia").click()
    j.mensaje_exito("Evidencia de la condición 1 presentada; el área la verificará.")
    j.ya_no_ve(cumplir)
    j.foto("evidencia-presentada")
    j.sale()

    # Cómputo, which proposed it, finds the evidence on its home and verifies it there.
    j.entra("revisor.computo")
    verificar = f"{folio_dictamen} · Condición 1: verifique la evidencia"
    j.va_al_pendiente(
        "Evidencia de condiciones por verificar",
        verificar,
        ancla="#condicion-1",
        foto="inicio-evidencia-por-verificar",
    )
    tabla = j.region("Condiciones del dictamen")
    tabla.get_by_label("La evidencia acredita la condición: cumplida").check()
    tabla.get_by_role("button", name="Registrar la decisión").click()
    j.mensaje_exito("Condición 1 verificada como cumplida.")
    expect(j.region("Condiciones del dictamen")).to_contain_text("Cumplida a tiempo")
    j.ya_no_le_toca(folio_dictamen)
    j.foto("condicion-verificada")
    j.sale()

    # The Dirección General proposes the rectification's content; the firmante signs it as
    # proposed: a new folio that points to the old one, which is cancelled.
    nuevas = "Consolidar la compra con el contrato marco estatal de cómputo 2026."
    j.entra("estrategico")
    j.abrir(folio)
    proponer = (
        j.acciones()
        .get_by_role("group")
        .filter(has=j.page.get_by_text(f"Proponer la rectificación del dictamen {folio_dictamen}"))
    )
    proponer.get_by_text(f"Proponer la rectificación del dictamen {folio_dictamen}").click()
    proponer.get_by_label("Por qué se rectifica").fill("El contrato marco citado es el de 2026.")
    proponer.get_by_label("Motivos del dictamen rectificado").fill(
        "Sustituye equipo obsoleto; sin duplicidad."
    )
    proponer.get_by_label("Condiciones (si es favorable condicionado)").fill(nuevas)
    proponer.get_by_role("button", name="Proponer la rectificación").click()
    j.mensaje_exito(f"Rectificación del dictamen {folio_dictamen} propuesta")
    j.ve_en_historial(f"Rectificación del dictamen {folio_dictamen} propuesta")
    j.foto("rectificacion-propuesta")
    j.sale()

    j.entra("firmante")
    j.abrir(folio)
    propuesta = j.page.locator("#propuesta-rectificacion")
    expect(propuesta).to_contain_text("El contrato marco citado es el de 2026.")
    expect(propuesta).to_contain_text(nuevas)
    # Nothing to rewrite: the e.firma only.
    expect(propuesta.locator("textarea, select")).to_have_count(0)
    j.foto("rectificacion-por-firmar")
    j.firma("Firmar la rectificación con mi e.firma", contenedor=propuesta)
    j.mensaje_exito(f"Dictamen {folio_dictamen} rectificado.")
    dictamen = j.region("Dictamen")
    expect(dictamen).to_contain_text(f"Rectifica al dictamen {folio_dictamen}.")
    # The one in force: its status (verificar/_estado_texto.html) says vigente.
    nuevo = (
        dictamen.locator(".dictamen")
        .filter(has=j.page.locator(".estado-dictamen[data-estado='vigente']"))
        .locator(".veredicto")
        .inner_text()
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
    publico_abre(j, f"/verificar/{nuevo}/")
    expect(j.page.get_by_role("status")).to_contain_text("Estado: Cancelado")
    expect(j.page.get_by_role("status")).to_contain_text("La dependencia desistió de la compra.")
    expect(j.page.get_by_role("main")).to_contain_text(f"Rectifica al dictamen {folio_dictamen}")
    j.foto("publico-nuevo")
    j.page.get_by_role("link", name=folio_dictamen, exact=True).click()
    expect(j.page.get_by_role("status")).to_contain_text("Estado: Rectificado")
    expect(j.page.get_by_role("main")).to_contain_text(f"Fue rectificado por el dictamen {nuevo}")
    j.foto("publico-anterior")
