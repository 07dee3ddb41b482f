"""Signing from the request's page: the firmante reads a preview of the exact dictamen first,
and a refused signature comes back to the form that was sent, saying what to do."""

import json
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import html as lxml_html

from dictamenes.emision.documentos import efirma
from dictamenes.emision.documentos.pdf import VISTA_PREVIA, VISTA_PREVIA_PIE
from dictamenes.emision.services import comprobacion, integridad
from dictamenes.models import Dictamen, EventoAuditoria
from estandares.models import Requisito
from tests.dictamenes.emision.test_pdf_dictamen import texto_pdf
from tests.dictamenes.flujo_utils import archivos_efirma, detalle, en_firma, firmar, usuario
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db

CONDICIONES = (
    "Cómputo: entregar el acta de baja de los equipos sustituidos.\n"
    "Redes: acreditar el enlace redundante."
)
NO_SE_CONSERVAN = (
    "No se firmó nada. Por seguridad, su navegador no conserva los archivos de la e.firma tras "
    "un intento: elíjalos de nuevo y escriba su contraseña."
)


def _por_firmar():
    """Two areas, conditions with the area that verifies each, and a written declaration."""
    solicitud = en_firma(
        areas=("computo", "redes"),
        resultado="condicionado",
        motivos="Procede con la consolidación de la compra.",
        condiciones=CONDICIONES,
    )
    partida = solicitud.partidas.order_by("pk").first()
    requisito = Requisito.objects.filter(
        tipo=Requisito.Tipo.DECLARACION, perfil__categoria=partida.perfil.categoria
    ).first()
    partida.perfil = requisito.perfil
    partida.especificaciones = {requisito.clave: "Windows 11 Pro, licencia por volumen"}
    partida.save()
    return solicitud


por_firmar_del_modulo = por_modulo(_por_firmar)


@pytest.fixture
def por_firmar(demo, por_firmar_del_modulo):
    return de_nuevo(por_firmar_del_modulo)


def vista_previa(solicitud) -> str:
    return reverse("solicitudes:firma_vista_previa", args=[solicitud.pk])


def _sin_marco(texto: str, *marcas: str) -> str:
    """The document's own text: without the letterhead, the page's folio mark, the footer,
    «Página X de Y» and the watermark, which every page repeats where it breaks."""
    membrete = " ".join(settings.DICTAMENES_MEMBRETE)
    for marca in marcas:
        texto = texto.replace(f"{membrete} {marca} ", "")
    texto = re.sub(r" ?Página \d+ de \d+ ?", " ", texto)
    texto = texto.replace(" ".join(VISTA_PREVIA.replace(" ", "")), "")
    return " ".join(texto.split())


def cuerpo(texto: str, *marcas: str) -> str:
    texto = _sin_marco(texto, *marcas)
    return texto[texto.index("Lugar y fecha") : texto.index("Atentamente")]


def test_la_vista_previa_dice_lo_mismo_que_el_dictamen_firmado_despues(
    por_firmar, client, tmp_path
):
    client.force_login(usuario("firmante"))
    respuesta = client.get(vista_previa(por_firmar))
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/pdf"
    assert respuesta["Cache-Control"] == "no-store"
    previa = texto_pdf(respuesta.content, tmp_path)

    firmada = client.post(reverse("solicitudes:firma", args=[por_firmar.pk]), archivos_efirma())
    assert firmada.status_code == 302
    dictamen = por_firmar.dictamenes.get()
    firmado = texto_pdf(integridad.dictamen_pdf_leer(dictamen=dictamen), tmp_path)

    pie_previa = f"{VISTA_PREVIA.upper()} {VISTA_PREVIA_PIE}"
    pie_firmado = f"{dictamen.folio} Verifique este documento en {settings.DICTAMENES_URL_PUBLICA}"
    pie_firmado += f"/verificar/{dictamen.folio}/"
    # Same ficha (but the folio), result, antecedentes, items, declarations, opinions,
    # analysis, conditions with their deadlines and validity: the same text, word for word.
    assert cuerpo(previa, pie_previa) == cuerpo(firmado, pie_firmado)
    comun = cuerpo(firmado, pie_firmado)
    vence = dictamen.obligaciones.get(numero=1).vence
    for esperado in (
        "Resultado FAVORABLE CONDICIONADO (2 condiciones; véase el resolutivo)",
        "Partida de computo",
        "Partida 1, Licencia del sistema operativo: «Windows 11 Pro, licencia por volumen»",
        "Procede con la consolidación de la compra.",
        "Se emite dictamen FAVORABLE CONDICIONADO",
        "1. Entregar el acta de baja de los equipos sustituidos. Plazo: hasta el "
        f"{vence.day} de diciembre",
    ):
        assert esperado in comun, esperado
    # What only the preview says, and what only the signed one has.
    assert "Folio Se asigna al firmar" in previa
    assert "V i s t a p r e v i a · s i n v a l i d e z" in previa  # the watermark
    assert "VISTA PREVIA · SIN VALIDEZ" in previa  # where the folio goes, on every page
    assert "Se firmará electrónicamente con e.firma." in previa
    for solo_firmado in ("Cadena original", "Sello digital", dictamen.folio, "Verifique"):
        assert solo_firmado not in previa
        assert solo_firmado in firmado


@pytest.mark.parametrize(
    "quien", ["requirente.sh", "mesa", "revisor.computo", "estrategico", "auditor", "admin"]
)
def test_la_vista_previa_es_solo_de_quien_puede_firmar(por_firmar, client, quien):
    client.force_login(usuario(quien))
    assert client.get(vista_previa(por_firmar)).status_code == 404


def test_firmado_el_dictamen_ya_no_hay_vista_previa(por_firmar, client):
    firmar(por_firmar)
    client.force_login(usuario("firmante"))
    assert client.get(vista_previa(por_firmar)).status_code == 404


def test_la_vista_previa_no_toma_folio_ni_el_paso_ni_escribe_nada(por_firmar, client):
    eventos = EventoAuditoria.objects.count()
    client.force_login(usuario("firmante"))
    assert client.get(vista_previa(por_firmar)).status_code == 200
    assert EventoAuditoria.objects.count() == eventos
    assert not Dictamen.objects.exists()
    pagina = client.get(detalle(por_firmar)).content.decode()
    assert "Sin tomar" in pagina  # the step is still nobody's
    # The first dictamen signed still takes the first folio.
    assert firmar(por_firmar).folio.endswith("/0001")


def test_el_formulario_de_firma_enlaza_la_vista_previa(por_firmar, client):
    client.force_login(usuario("firmante"))
    pagina = client.get(detalle(por_firmar)).content.decode()
    formulario = pagina[
        pagina.index('id="firma"') : pagina.index("</form>", pagina.index('id="firma"'))
    ]
    assert (
        f'<a href="{vista_previa(por_firmar)}" type="application/pdf">Revisar el dictamen antes '
        "de firmar (vista previa en PDF, sin validez)</a>"
    ) in formulario
    client.force_login(usuario("estrategico"))
    assert vista_previa(por_firmar) not in client.get(detalle(por_firmar)).content.decode()


# --- A refused signature ---------------------------------------------------------------------


def formulario_de(html: str, ancla: str) -> str:
    inicio = html.index(f'id="{ancla}"')
    return html[html.rindex("<form", 0, inicio) : html.index("</form>", inicio)]


def test_la_firma_rechazada_vuelve_al_formulario_con_su_error(por_firmar, client):
    """Without JavaScript: the page again, with the reason in an alert inside the form that
    takes the focus (autofocus: the page lands there), and what to do about the files."""
    client.force_login(usuario("firmante"))
    url = reverse("solicitudes:firma", args=[por_firmar.pk])
    respuesta = client.post(url, archivos_efirma() | {"contrasena": "no-es"})
    assert respuesta.status_code == 400
    html = respuesta.content.decode()
    formulario = formulario_de(html, "firma")
    assert f'action="{url}"' in formulario
    alerta = re.search(
        r'<div class="error efirma-error" role="alert"[^>]*>(.*?)</div>', formulario, re.S
    )
    assert 'id="firma-error"' in alerta.group() and " autofocus>" in alerta.group()
    textos = [" ".join(p.split()) for p in re.findall(r"<p>(.*?)</p>", alerta.group(1), re.S)]
    assert textos == [str(efirma.ERROR_CONTRASENA), NO_SE_CONSERVAN]
    assert "mensaje--error" not in html  # not a banner at the top of the page
    assert "no-es" not in html
    assert not Dictamen.objects.exists()


def test_sin_error_la_caja_de_la_alerta_esta_vacia_y_oculta(por_firmar, client):
    client.force_login(usuario("firmante"))
    formulario = formulario_de(client.get(detalle(por_firmar)).content.decode(), "firma")
    assert (
        '<div class="error efirma-error" role="alert" id="firma-error" tabindex="-1" '
        "data-efirma-error hidden></div>"
    ) in formulario


def test_la_firma_por_fetch_recibe_el_error_o_el_destino_en_json(por_firmar, client):
    """What static/js/efirma.js reads: the reasons to show in place, or where to go."""
    client.force_login(usuario("firmante"))
    url = reverse("solicitudes:firma", args=[por_firmar.pk])
    json_ = {"HTTP_ACCEPT": "application/json"}
    mala = client.post(url, archivos_efirma() | {"contrasena": "no-es"}, **json_)
    assert mala.status_code == 400
    assert json.loads(mala.content) == {"errores": [str(efirma.ERROR_CONTRASENA)]}
    sin_llave = archivos_efirma()
    del sin_llave["key"]
    falta = client.post(url, sin_llave, **json_)
    assert json.loads(falta.content) == {"errores": [str(efirma.ERROR_FALTAN_ARCHIVOS)]}
    assert not Dictamen.objects.exists()

    buena = client.post(url, archivos_efirma(), **json_)
    assert buena.status_code == 200
    assert json.loads(buena.content) == {"destino": f"{detalle(por_firmar)}#t-dictamen"}
    assert Dictamen.objects.count() == 1
    # A second click that got through anyway signs nothing more.
    otra = client.post(url, archivos_efirma(), **json_)
    assert otra.status_code == 400
    assert Dictamen.objects.count() == 1


def test_firmado_sin_javascript_la_pagina_va_al_dictamen(por_firmar, client):
    client.force_login(usuario("firmante"))
    url = reverse("solicitudes:firma", args=[por_firmar.pk])
    respuesta = client.post(url, archivos_efirma())
    assert respuesta.status_code == 302
    assert respuesta["Location"] == f"{detalle(por_firmar)}#t-dictamen"


def test_la_cancelacion_rechazada_queda_abierta_con_su_error(por_firmar, client):
    dictamen = firmar(por_firmar)
    client.force_login(usuario("firmante"))
    url = reverse("solicitudes:cancelar", args=[por_firmar.pk, dictamen.pk])
    datos = archivos_efirma() | {"contrasena": "equivocada", "motivo": "Desistimiento"}
    respuesta = client.post(url, {f"cancelar-{k}": v for k, v in datos.items()})
    assert respuesta.status_code == 400
    html = respuesta.content.decode()
    formulario = formulario_de(html, "cancelar-dictamen")
    assert str(efirma.ERROR_CONTRASENA) in formulario and NO_SE_CONSERVAN in " ".join(
        formulario.split()
    )
    assert f'<details class="accion" open><summary>Cancelar el dictamen {dictamen.folio}' in html
    dictamen.refresh_from_db()
    assert dictamen.cancelado_en is None


def test_la_vista_previa_subida_a_verificar_dice_que_es_una_vista_previa(por_firmar, client):
    """Issue 47: the preview uploaded to /verificar/ read "NO auténtico… pudo haber sido
    alterado". It names itself a preview now, in the same red box: it never passes as
    authentic, not even with the mark that names it."""
    client.force_login(usuario("firmante"))
    previa = client.get(vista_previa(por_firmar)).content
    client.logout()

    respuesta = client.post(reverse("verificar"), {"pdf": SimpleUploadedFile("p.pdf", previa)})
    assert respuesta.status_code == 200
    (caja,) = lxml_html.fromstring(respuesta.content.decode()).xpath("//*[@role='status']")
    assert " ".join(caja.text_content().split()) == (
        "Es una vista previa, no un dictamen emitido. Es la vista previa que ve quien firma "
        "antes de firmar: no tiene folio, sello digital ni firma electrónica, y no tiene "
        "validez. Pida el dictamen firmado o verifíquelo con su folio."
    )
    assert "estado-caja--invalido" in caja.get("class").split()
    assert not comprobacion.pdf_verificar(datos=previa).autentico


def test_recien_firmado_la_pagina_no_anuncia_una_rectificacion(por_firmar, client):
    """Issue 47: right after signing, «Lo que le toca hacer» opened with «Para rectificar el
    dictamen …, la Dirección General propone primero…»: nothing to do, read as a notice. The
    hint now lives inside «Cancelar el dictamen», closed, where a signer looks to undo it."""
    client.force_login(usuario("firmante"))
    firmado = client.post(
        reverse("solicitudes:firma", args=[por_firmar.pk]), archivos_efirma(), follow=True
    )
    assert firmado.status_code == 200
    folio = por_firmar.dictamenes.get().folio
    (acciones,) = lxml_html.fromstring(firmado.content.decode()).xpath("//*[@id='acciones']")
    (cancelar,) = acciones.xpath(".//details[.//form[@id='cancelar-dictamen']]")
    (pista,) = cancelar.xpath(".//*[@id='sin-propuesta']")
    assert " ".join(pista.text_content().split()) == (
        f"Para corregir el dictamen {folio} en vez de cancelarlo, la Dirección General "
        "propone primero su rectificación; entonces aparecerá en esta página para su firma."
    )
    for cerrado in acciones.xpath(".//details"):
        cerrado.getparent().remove(cerrado)
    assert "rectific" not in acciones.text_content().lower()
