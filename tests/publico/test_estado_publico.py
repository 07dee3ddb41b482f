"""Issue 33, item 1: one status, told the same everywhere.

The finding: a no favorable dictamen read "Vigente hasta el …" in green on /verificar/, in the
register, its CSV and JSON and the API; a rectified one was "Cancelado" everywhere but on
/verificar/. Now Dictamen.estado_en decides one of vigente, vencido, cancelado, rectificado or
no favorable, and templates/verificar/_estado_texto.html says it wherever a person reads it.
"""

import csv
import datetime
import io
import json
import zoneinfo

import frictionless
import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from frictionless.resources import TableResource
from lxml import html as lxml_html
from rest_framework.test import APIClient

from demo.solicitudes import SOLICITUDES
from dictamenes.emision.documentos import informe, largo_plazo
from dictamenes.emision.services import comprobacion, integridad, rectificacion
from dictamenes.models import Dictamen
from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from tests import demo_completa
from tests.conftest import entrar
from tests.dictamenes.emision.test_verificador import verificar
from tests.dictamenes.flujo_utils import credencial, en_firma, firmar, rectificar, usuario
from tests.dictamenes.tramite.test_pasos import pasos_en_pagina
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db

ZONA = zoneinfo.ZoneInfo(settings.TIME_ZONE)
MOTIVO = "La dependencia desistió de la compra."
ESTADOS = ["Vigente", "Vencido", "Cancelado", "Rectificado", "No favorable"]


def cancelar(dictamen, motivo=MOTIVO):
    return rectificacion.dictamen_cancelar(
        dictamen=dictamen, usuario=usuario("firmante"), credencial=credencial(), motivo=motivo
    )


def _cinco():
    """A dictamen in each status: vigente, vencido, cancelado, rectificado (with the one that
    replaced it, vigente) and no favorable."""
    no_favorable = firmar(en_firma(resultado="no_favorable", titulo="Telefonía IP aislada"))
    vigente = firmar(en_firma(titulo="Enlaces dedicados"))
    vencido = firmar(en_firma(titulo="Servidores de rack"))
    ayer = datetime.date.today() - datetime.timedelta(days=2)
    Dictamen.objects.filter(pk=vencido.pk).update(vigencia_hasta=ayer)
    cancelado = cancelar(firmar(en_firma(titulo="Licencias de correo")))
    rectificado = firmar(en_firma(titulo="Computadoras de catastro"))
    nuevo = rectificar(rectificado, motivo="Faltó la condición de baja.")
    return {
        "vigente": vigente,
        "vencido": vencido,
        "cancelado": cancelado,
        "rectificado": rectificado,
        "nuevo": nuevo,
        "no_favorable": no_favorable,
    }


cinco_del_modulo = por_modulo(_cinco)


@pytest.fixture
def cinco(demo, cinco_del_modulo):
    return de_nuevo(cinco_del_modulo)


@pytest.fixture
def no_favorable(cinco):
    return cinco["no_favorable"]


def caja(respuesta):
    """The status box: its classes, its headings and its words."""
    arbol = lxml_html.fromstring(respuesta.content.decode())
    (caja,) = arbol.xpath("//*[@role='status']")
    return (
        set(caja.get("class").split()),
        [" ".join(h.text_content().split()) for h in caja.xpath(".//h2|.//h3")],
        " ".join(caja.text_content().split()),
        " ".join(arbol.xpath("//main")[0].text_content().split()),
    )


def csv_del_registro(client) -> dict[str, dict]:
    cuerpo = b"".join(client.get(reverse("datos_csv")).streaming_content).decode("utf-8-sig")
    return {f["folio"]: f for f in csv.DictReader(io.StringIO(cuerpo))}


def json_del_registro(client) -> dict[str, dict]:
    datos = json.loads(b"".join(client.get(reverse("datos_json")).streaming_content))
    return {f["folio"]: f for f in datos["dictamenes"]}


# --- /verificar/ ----------------------------------------------------------------------------


def test_no_favorable_por_folio_no_dice_vigente_ni_es_verde(client, no_favorable):
    respuesta = client.get(reverse("verificar_folio", args=[no_favorable.folio]))
    assert respuesta.status_code == 200
    clases, titulos, texto_caja, pagina = caja(respuesta)
    assert titulos == ["Estado: No favorable"]
    assert texto_caja == (
        "Estado: No favorable El resultado es no favorable: no autoriza la contratación y no "
        "tiene vigencia."
    )
    assert "estado-caja--invalido" in clases
    assert "estado-caja--valido" not in clases
    assert "Vigente" not in pagina  # neither the box nor the ficha's "Vigente hasta"


def test_solo_lo_que_estuvo_vigente_por_si_mismo_muestra_hasta_cuando(client, cinco):
    """A cancelled or rectified dictamen ended on its cancellation: a "Vigente hasta" a year
    ahead beside it reads as if it still held."""
    for clave, muestra in [
        ("vigente", True),
        ("vencido", True),
        ("cancelado", False),
        ("rectificado", False),
        ("no_favorable", False),
    ]:
        _clases, _titulos, _caja, pagina = caja(
            client.get(reverse("verificar_folio", args=[cinco[clave].folio]))
        )
        assert ("Vigente hasta" in pagina) is muestra, clave


def test_no_favorable_subido_es_autentico_pero_no_vigente(client, no_favorable):
    datos = integridad.dictamen_pdf_leer(dictamen=no_favorable)
    respuesta = client.post(reverse("verificar"), {"pdf": SimpleUploadedFile("d.pdf", datos)})
    clases, titulos, texto_caja, _pagina = caja(respuesta)
    assert titulos == [
        "Documento auténtico: el dictamen es NO FAVORABLE.",
        "Estado: No favorable",
    ]
    assert f"Es exactamente el dictamen {no_favorable.folio}" in texto_caja
    assert "Vigente" not in texto_caja
    assert "estado-caja--invalido" in clases


# --- The register, its CSV, JSON, Table Schema and API ---------------------------------------


def test_el_registro_dice_cada_estado_con_las_mismas_palabras(client, cinco):
    arbol = lxml_html.fromstring(client.get(reverse("registro")).content.decode())
    celdas = {
        fila.xpath("./th")[0].text_content().strip(): fila
        for fila in arbol.xpath("//table[contains(@class, 'tabla')]/tbody/tr")
    }

    def estado(clave):
        (celda,) = celdas[cinco[clave].folio].xpath("./td[@data-etiqueta='Estado']")
        return " ".join(celda.text_content().split())

    hasta = cinco["vigente"].vigencia_hasta.strftime("%d/%m/%Y")
    assert estado("vigente") == f"Vigente. Vigente hasta el {hasta}."
    assert estado("vencido").startswith("Vencido. Vencido desde el ")
    assert estado("no_favorable") == (
        "No favorable. El resultado es no favorable: no autoriza la contratación y no tiene "
        "vigencia."
    )
    cancelado_el = cinco["cancelado"].cancelado_en.astimezone(ZONA)
    assert estado("cancelado").startswith(f"Cancelado. Cancelado el {cancelado_el:%d/%m/%Y %H:%M}")
    nuevo = cinco["nuevo"].folio
    assert estado("rectificado").endswith(
        f"Fue rectificado por el dictamen {nuevo}, que es el que cuenta ahora."
    )
    (enlace,) = celdas[cinco["rectificado"].folio].xpath("./td[@data-etiqueta='Estado']//a")
    assert enlace.get("href") == reverse("verificar_folio", args=[nuevo])
    assert estado("nuevo").startswith("Vigente. Vigente hasta el")


def test_csv_json_y_api_dicen_no_favorable_y_rectificado(client, cinco):
    por_folio = {clave: d.folio for clave, d in cinco.items()}
    esperado = {
        "vigente": "Vigente",
        "vencido": "Vencido",
        "cancelado": "Cancelado",
        "rectificado": "Rectificado",
        "nuevo": "Vigente",
        "no_favorable": "No favorable",
    }
    filas_csv, filas_json = csv_del_registro(client), json_del_registro(client)
    api = {f["folio"]: f for f in client.get("/api/v1/registro/").json()["results"]}
    for clave, palabra in esperado.items():
        folio = por_folio[clave]
        assert (filas_csv[folio]["estado"], filas_json[folio]["estado"]) == (palabra, palabra)
        assert api[folio]["estado"] == palabra
    # A no favorable dictamen has no validity to publish.
    folio = por_folio["no_favorable"]
    assert filas_csv[folio]["vigente_hasta"] == ""
    assert filas_json[folio]["vigente_hasta"] is None
    assert api[folio]["vigente_hasta"] is None
    vigente = cinco["vigente"]
    assert filas_csv[vigente.folio]["vigente_hasta"] == vigente.vigencia_hasta.isoformat()


def test_el_esquema_enumera_los_cinco_estados_y_los_datos_lo_cumplen(client, cinco):
    esquema = client.get(reverse("datos_esquema", args=["dictamenes"])).json()
    (estado,) = [c for c in esquema["fields"] if c["name"] == "estado"]
    assert estado["constraints"]["enum"] == ESTADOS
    (vigencia,) = [c for c in esquema["fields"] if c["name"] == "vigente_hasta"]
    assert "required" not in vigencia.get("constraints", {})
    filas = list(json_del_registro(client).values())
    assert {f["estado"] for f in filas} == set(ESTADOS)
    informe = TableResource(
        data=filas, schema=frictionless.Schema.from_descriptor(esquema)
    ).validate()
    assert informe.valid, informe.flatten(["type", "fieldName", "message"])
    assert informe.task.stats["rows"] == len(filas) == 6
    cuerpo = b"".join(client.get(reverse("datos_csv")).streaming_content)
    informe = TableResource(
        data=cuerpo, format="csv", schema=frictionless.Schema.from_descriptor(esquema)
    ).validate()
    assert informe.valid, informe.flatten(["type", "fieldName", "message"])


def test_la_api_de_dictamenes_da_el_estado_y_quien_lo_rectifico(
    cinco, django_assert_max_num_queries
):
    api = APIClient()
    api.force_authenticate(usuario("mesa"))
    # The user's groups, the count, the page's ids with the data's version, and (the page not
    # yet built at this version) the rows and their items with their decisions (issue 61).
    with django_assert_max_num_queries(5):
        filas = {f["folio"]: f for f in api.get("/api/v1/dictamenes/").json()["results"]}
    resumen = {
        clave: (filas[d.folio]["estado"], filas[d.folio]["rectificado_por"])
        for clave, d in cinco.items()
    }
    assert resumen == {
        "vigente": ("vigente", None),
        "vencido": ("vencido", None),
        "cancelado": ("cancelado", None),
        "rectificado": ("rectificado", cinco["nuevo"].folio),
        "nuevo": ("vigente", None),
        "no_favorable": ("no_favorable", None),
    }
    uno = api.get(f"/api/v1/dictamenes/{cinco['rectificado'].pk}/").json()
    assert (uno["estado"], uno["rectificado_por"]) == ("rectificado", cinco["nuevo"].folio)


def test_el_registro_lee_los_estados_sin_consultas_por_fila(
    client, cinco, django_assert_max_num_queries
):
    textos_vigentes_en_cache()  # warm, as on a running site: the header reads it from the cache
    # The rows and their items (issue 61), and what the page and its header read once.
    with django_assert_max_num_queries(5):
        assert client.get(reverse("registro")).status_code == 200


# --- The request's page ---------------------------------------------------------------------


def _pagina(client, dictamen):
    entrar(client, "requirente.sh")
    url = reverse("solicitudes:detalle", args=[dictamen.solicitud_id])
    html = client.get(url).content.decode()
    arbol = lxml_html.fromstring(html)
    resumen = " ".join(arbol.xpath("//p[@class='pasos__resumen']")[0].text_content().split())
    return html, resumen, pasos_en_pagina(html)


def test_los_pasos_dicen_la_cancelacion_del_dictamen(demo, client):
    dictamen = cancelar(firmar(en_firma(titulo="Licencias de correo")))
    html, resumen, pasos = _pagina(client, dictamen)
    el_dia = f"{dictamen.cancelado_en.astimezone(ZONA):%d/%m/%Y}"
    assert resumen == (
        f"Trámite concluido: el {el_dia} se canceló el dictamen {dictamen.folio}; la solicitud "
        "no tiene dictamen vigente."
    )
    assert "dictamen emitido" not in resumen
    ultimo = pasos[-1]
    assert (ultimo["data-paso"], ultimo["class"]) == (
        "dictamen_cancelado",
        "paso paso--hecho paso--final",
    )
    assert f"Cancelación del dictamen {dictamen.folio}" in ultimo["texto"]
    assert f"Dictamen {dictamen.folio} cancelado: ya no ampara la contratación" in ultimo["texto"]
    assert MOTIVO in ultimo["texto"]
    # The dictamen's own section says its status in the register's words.
    assert f"Cancelado. Cancelado el {el_dia}" in " ".join(
        lxml_html.fromstring(html)
        .xpath("//p[@class='estado-del-dictamen']")[0]
        .text_content()
        .split()
    )


def test_los_pasos_dicen_la_rectificacion(demo, client):
    dictamen = firmar(en_firma(titulo="Computadoras de catastro"))
    nuevo = rectificar(dictamen, motivo="Faltó la condición de baja.")
    html, resumen, pasos = _pagina(client, dictamen)
    el_dia = f"{nuevo.emitido_en.astimezone(ZONA):%d/%m/%Y}"
    assert resumen == (
        f"Trámite concluido: el {el_dia} se rectificó el dictamen {dictamen.folio}; el que "
        f"cuenta es el dictamen {nuevo.folio}."
    )
    ultimo = pasos[-1]
    assert (ultimo["data-paso"], ultimo["class"]) == ("rectificacion", "paso paso--hecho")
    assert f"Rectificación del dictamen {dictamen.folio}" in ultimo["texto"]
    assert (
        f"Dictamen {dictamen.folio} rectificado por el dictamen {nuevo.folio}, que es el que "
        "cuenta" in ultimo["texto"]
    )
    estados = [
        " ".join(p.text_content().split())
        for p in lxml_html.fromstring(html).xpath("//p[@class='estado-del-dictamen']")
    ]
    assert estados[0].startswith("Vigente. Vigente hasta el")  # the new one, listed first
    assert estados[1].startswith("Rectificado. Cancelado el")
    assert estados[1].endswith(
        f"Fue rectificado por el dictamen {nuevo.folio}, que es el que cuenta ahora."
    )


# --- A stored dictamen whose long-term proof expired -----------------------------------------


def test_una_copia_cuya_prueba_vencio_se_nombra_con_la_razon_y_que_hacer(demo, client):
    """Signed today and never renewed: once the certificate of its last document timestamp
    expires, nothing proves the signature any more. The page does not call it false: it names
    the dictamen, says why and what to do; `dictamen_verificar`'s report says the same."""
    dictamen = firmar(en_firma(titulo="Enlaces dedicados"))
    datos = integridad.dictamen_pdf_leer(dictamen=dictamen)
    vence = largo_plazo.vence_sello_archivo(datos)
    with time_machine.travel(vence + datetime.timedelta(days=30), tick=True):
        respuesta = client.post(reverse("verificar"), {"pdf": SimpleUploadedFile("d.pdf", datos)})
        verificacion = comprobacion.pdf_verificar(datos=datos)
        reporte = informe.informe_armar(datos=datos, verificacion=verificacion)
    clases, titulos, texto, pagina = caja(respuesta)
    folio = dictamen.folio
    assert titulos[0] == f"No se puede comprobar la firma de esta copia del dictamen {folio}."
    razon = (
        f"Es idéntico byte por byte al dictamen {folio} emitido por la Subsecretaría de Gobierno "
        "Digital, pero su "
        f"firma ya no puede comprobarse: su prueba a largo plazo venció el "
        f"{vence.astimezone(ZONA):%d/%m/%Y}."
    )
    que_hacer = (
        "Qué hacer: pida a la Subsecretaría de Gobierno Digital una copia actual del PDF, con su "
        f"sello de archivo renovado, y verifíquela aquí. Mientras tanto, la página del dictamen "
        f"{folio} da su estado, y su sello digital sobre la cadena original se sigue comprobando."
    )
    assert razon in texto and que_hacer in texto
    assert "Documento NO auténtico" not in pagina
    assert "no es válida o no es de confianza" not in pagina
    # Amber: neither proven (green) nor false (red); the dictamen itself expired long ago.
    assert "estado-caja--aviso" in clases
    assert not reporte.autentico
    (motivo,) = reporte.motivos
    assert motivo.startswith(razon) and motivo.endswith(que_hacer)


# --- The demo, as `make run` shows it ---------------------------------------------------------


def test_la_demostracion_dice_no_favorable_y_rectificado(demo, client):
    """As anonymous: the demo's no favorable dictamen is neither "Vigente" nor green on its
    verification page; the register's CSV and JSON say "No favorable" for it, and
    "Rectificado" for the demo's rectified one, whose replacement is "Vigente"."""
    demo_completa.cargar()
    no_favorable = Dictamen.objects.get(solicitud__titulo=SOLICITUDES["no_favorable"][0])
    rectificado, nuevo = Dictamen.objects.filter(
        solicitud__titulo=SOLICITUDES["rectificada"][0]
    ).order_by("emitido_en")
    assert nuevo.sustituye == rectificado

    clases, titulos, _texto, pagina = caja(
        client.get(reverse("verificar_folio", args=[no_favorable.folio]))
    )
    assert titulos == ["Estado: No favorable"]
    assert "Vigente" not in pagina
    assert "estado-caja--valido" not in clases
    _clases, titulos, texto, _pagina = caja(
        client.get(reverse("verificar_folio", args=[rectificado.folio]))
    )
    assert titulos == ["Estado: Rectificado"]
    assert f"Fue rectificado por el dictamen {nuevo.folio}" in texto

    filas_csv, filas_json = csv_del_registro(client), json_del_registro(client)
    for filas in (filas_csv, filas_json):
        assert filas[no_favorable.folio]["estado"] == "No favorable"
        assert filas[rectificado.folio]["estado"] == "Rectificado"
        assert filas[nuevo.folio]["estado"] == "Vigente"


def test_el_informe_de_dictamen_verificar_dice_el_mismo_estado(cinco, tmp_path):
    """`manage.py dictamen_verificar --json`: the status in the same words; a no favorable
    dictamen gives no last valid day."""

    def archivo(dictamen):
        codigo, salida = verificar(
            tmp_path, integridad.dictamen_pdf_leer(dictamen=dictamen), "--json"
        )
        assert codigo == 0
        return json.loads(salida)["archivo"]

    no_favorable = archivo(cinco["no_favorable"])
    assert (no_favorable["estado"], no_favorable["vigencia_hasta"]) == ("No favorable", None)
    rectificado = archivo(cinco["rectificado"])
    assert (rectificado["estado"], rectificado["rectificado_por"]) == (
        "Rectificado",
        cinco["nuevo"].folio,
    )
    assert (
        archivo(cinco["vigente"])["vigencia_hasta"] == cinco["vigente"].vigencia_hasta.isoformat()
    )
