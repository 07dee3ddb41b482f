"""The signed dictamen as a reader meets it: its dates, its antecedentes, the conditions in
the history, who signed it on /verificar/, and where its QR and link lead."""

import dataclasses
import io
import json
import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime, timedelta, timezone

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dictamenes.emision.documentos import expediente
from dictamenes.emision.documentos.pdf import DatosDictamen, dictamen_pdf, fecha_larga
from dictamenes.emision.services import integridad
from dictamenes.models import Area
from dictamenes.tramite.services import etapas
from tests.backends.plugin import skip_backend
from tests.config.test_settings import ROOT, SECRET, run_python
from tests.dictamenes import flujo_utils
from tests.dictamenes.flujo_utils import admitida, firmar, presentada, revisar, usuario
from tests.pdf import pdftotext

CONDICIONES = "Consolidar la compra con la Secretaría de Salud."


def texto_pdf(pdf: bytes, tmp_path) -> str:
    """The PDF's text in drawing order (poppler, -raw), with whitespace collapsed."""
    archivo = tmp_path / "documento.pdf"
    archivo.write_bytes(pdf)
    return " ".join(pdftotext(archivo, "-raw").split())


def decidir(solicitud, resultado="condicionado", condiciones=CONDICIONES):
    return flujo_utils.decidir(
        solicitud,
        resultado=resultado,
        motivos="Procede; se alinea con el programa anual.",
        condiciones=condiciones,
    )


@pytest.fixture
def con_historia(demo):
    """Presented, sent back for what was missing, corrected, admitted, asked for more
    information, answered, reviewed and decided with conditions."""
    solicitud = presentada(areas=("computo",))
    etapas.admision_resolver(
        solicitud=solicitud,
        usuario=usuario("mesa"),
        admitir=False,
        faltantes="Falta la cotización del proveedor.",
    )
    etapas.solicitud_subsanar(
        solicitud=solicitud,
        usuario=usuario("requirente.sh"),
        respuesta="Se adjunta la cotización firmada.",
    )
    etapas.admision_resolver(solicitud=solicitud, usuario=usuario("mesa"), admitir=True)
    peticion = etapas.informacion_pedir(
        solicitud=solicitud,
        usuario=usuario("revisor.computo"),
        area=Area.objects.get(clave="computo"),
        pregunta="¿Cuántas ventanillas atenderán los equipos?",
    )
    etapas.informacion_responder(
        peticion=peticion, usuario=usuario("requirente.sh"), respuesta="Doce ventanillas."
    )
    solicitud.refresh_from_db()
    revisar(solicitud, "computo", opinion="observaciones")
    return decidir(solicitud)


# --- a. The PDF's dates are the signing time ----------------------------------------------


def fechas_del_pdf(pdf: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    meta = PdfFileReader(io.BytesIO(pdf)).document_meta_view
    return meta.created, meta.last_modified


def test_la_fecha_de_creacion_del_pdf_es_la_de_la_firma(demo):
    solicitud = admitida()
    revisar(solicitud, "computo")
    dictamen = firmar(decidir(solicitud))
    creado, modificado = fechas_del_pdf(integridad.dictamen_pdf_leer(dictamen=dictamen))
    firmado = dictamen.emitido_en.replace(microsecond=0)
    assert creado == firmado
    assert creado.utcoffset() == timedelta(hours=-7)  # Hermosillo's time, as it is printed
    # The signature is the last change: the ModDate is when it was embedded, not 2000.
    assert modificado >= firmado


def datos_de_prueba(**cambios) -> DatosDictamen:
    datos = DatosDictamen(
        folio="SGD/DGPDGT/DT/2026/0007",
        fecha=date(2026, 3, 9),
        emitido_en=datetime(2026, 3, 9, 10, 15, 30, tzinfo=timezone(timedelta(hours=-7))),
        lugar="Hermosillo, Sonora",
        institucion=("Gobierno del Estado de Sonora",),
        ente="Registro Civil",
        asunto="Renovación de equipo",
        tipo_operacion="Adquisición",
        folio_solicitud="SOL/2026/0001",
        monto="$1.00 MXN",
        edicion_estandares="versión 2025.1",
        antecedentes=("9 de marzo de 2026: el ente presentó la solicitud SOL/2026/0001.",),
        partidas=(),
        opiniones=(),
        analisis="Procede: cumple los estándares.",
        resultado="FAVORABLE",
        condiciones=(),
        vigencia_hasta=date(2027, 3, 9),
        firmante_nombre="Persona Firmante",
        firmante_cargo="Subsecretaria",
        cadena_original="||a|b||",
        sello="c2VsbG8=",
        certificado_numero="30001000000000000001",
        url_verificacion="https://dictamenes.sonora.gob.mx/verificar/x/",
    )
    return dataclasses.replace(datos, **cambios)


def test_el_mismo_dictamen_da_los_mismos_bytes_y_la_fecha_que_se_le_da():
    datos = datos_de_prueba()
    assert dictamen_pdf(datos) == dictamen_pdf(datos)  # an auditor can render it again
    assert fechas_del_pdf(dictamen_pdf(datos))[0] == datos.emitido_en
    otro_momento = datos.emitido_en + timedelta(days=1, seconds=7)
    creado, modificado = fechas_del_pdf(dictamen_pdf(datos_de_prueba(emitido_en=otro_momento)))
    assert creado == modificado == otro_momento


# --- b and c. Antecedentes, and the conditions wherever the decision is told --------------


def test_los_antecedentes_cuentan_todo_el_tramite_en_orden(con_historia, tmp_path):
    texto = texto_pdf(integridad.dictamen_pdf_leer(dictamen=firmar(con_historia)), tmp_path)
    antecedentes = texto[texto.index("Antecedentes") : texto.index("Partidas revisadas")]
    esperados = [
        f"el ente presentó la solicitud {con_historia.folio}.",
        "la mesa de control emitió una prevención; faltaba: «Falta la cotización del "
        "proveedor». Plazo para subsanar: hasta el",
        "el ente subsanó la prevención: «Se adjunta la cotización firmada».",
        "la mesa de control admitió la solicitud y la turnó a revisión técnica de: "
        "Equipo de cómputo",
        "el área Equipo de cómputo",
        "pidió información al ente: «¿Cuántas ventanillas atenderán los equipos?».",
        "el ente respondió a la petición del área Equipo de cómputo e impresión: «Doce "
        "ventanillas».",
        "concluyó su revisión técnica (ronda 1) con opinión Favorable con observaciones.",
        "la Dirección General resolvió: Favorable condicionado. Condiciones: «Consolidar la "
        "compra con la Secretaría de Salud».",
    ]
    posicion = 0
    for esperado in esperados:
        encontrado = antecedentes.find(esperado, posicion)
        assert encontrado >= 0, f"falta, o fuera de orden: {esperado!r}\n{antecedentes}"
        posicion = encontrado + len(esperado)
    numerados = re.findall(r"(\d+)\. \d+ de \w+ de \d{4}:", antecedentes)
    assert numerados == [str(n) for n in range(1, 9)]


def test_la_revision_de_cada_ronda_aparece_en_los_antecedentes(demo, tmp_path):
    solicitud = admitida(areas=("computo", "redes"))
    revisar(solicitud, "computo")
    revisar(solicitud, "redes", opinion="no_favorable")
    etapas.solicitud_decidir(
        solicitud=solicitud,
        usuario=usuario("estrategico"),
        motivos="Aclarar la compatibilidad del switch.",
        devolver_a=Area.objects.get(clave="redes"),
    )
    revisar(solicitud, "redes")
    texto = texto_pdf(
        integridad.dictamen_pdf_leer(dictamen=firmar(decidir(solicitud, "favorable", ""))), tmp_path
    )
    antecedentes = texto[texto.index("Antecedentes") : texto.index("Partidas revisadas")]
    for esperado in [
        "(ronda 1) con opinión No favorable.",
        "devolvió la solicitud al área Redes y telecomunicaciones para una nueva revisión: "
        "«Aclarar la compatibilidad del switch».",
        "(ronda 2) con opinión Favorable.",
    ]:
        assert esperado in antecedentes
    assert "Condiciones" not in antecedentes  # a plain favorable decision has none


def test_el_historial_de_la_solicitud_muestra_las_condiciones(con_historia, client):
    client.force_login(usuario("requirente.sh"))
    html = client.get(reverse("solicitudes:detalle", args=[con_historia.pk])).content.decode()
    historial = html[html.index('id="t-historial"') :]
    decision = historial[historial.index("Decisión estratégica: Favorable condicionado") :]
    decision = decision[: decision.index("</li>")]
    assert f"Condiciones: {CONDICIONES}" in decision


def test_el_historial_en_pdf_del_expediente_muestra_las_condiciones(con_historia, tmp_path):
    with zipfile.ZipFile(io.BytesIO(expediente.expediente_zip(con_historia))) as z:
        texto = texto_pdf(z.read("historial.pdf"), tmp_path)
    decision = texto[texto.index("Decisión estratégica: Favorable condicionado") :]
    assert f"Condiciones: {CONDICIONES}" in decision[:400]


# --- d. Who signed, on /verificar/ --------------------------------------------------------


def test_verificar_muestra_firmante_rfc_y_numero_de_certificado_sin_partes_vacias(demo, client):
    solicitud = admitida()
    revisar(solicitud, "computo")
    dictamen = firmar(decidir(solicitud))
    html = client.post(
        reverse("verificar"),
        {"pdf": SimpleUploadedFile("d.pdf", integridad.dictamen_pdf_leer(dictamen=dictamen))},
    ).content.decode()
    assert "Documento auténtico." in html
    resultado = html[html.index('id="resultado"') :]
    assert f"Firmante: {dictamen.firmante_nombre.upper()}</li>" in resultado
    # The RFC is personal data: only its four initials are shown (docs/sistema/paginas-publicas.md,
    # «Datos personales en las páginas públicas»).
    rfc = dictamen.certificado_rfc
    assert f"RFC del firmante (enmascarado): {rfc[:4]}{'*' * (len(rfc) - 4)}</li>" in resultado
    assert rfc not in resultado
    assert f"Número de certificado: {dictamen.certificado_numero}</li>" in resultado
    assert " / " not in resultado  # no "RFC / CURP" nor " / CURP" pieces
    assert "Serial Number" not in resultado


# --- e. Where the QR and the printed link lead --------------------------------------------

IMPRIMIR_URL = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({"url": settings.DICTAMENES_URL_PUBLICA, "hosts": settings.ALLOWED_HOSTS}))
"""


def entorno_de_make_run(host: str) -> dict:
    """The variables `make run HOST=...` puts before runserver (read with make -n)."""
    if not shutil.which("make"):
        skip_backend("falta make")
    salida = subprocess.run(
        ["make", "-n", "run", f"HOST={host}"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    (linea,) = [linea for linea in salida.splitlines() if "runserver" in linea]
    assert linea.endswith(f"manage.py runserver {host}")
    return dict(re.findall(r"(DJANGO_\w+)=(\S+)", linea))


def configuracion_local(tmp_path, **variables) -> dict:
    resultado = run_python(
        IMPRIMIR_URL, "config.settings.local", DJANGO_VAR_DIR=str(tmp_path), **variables
    )
    assert resultado.returncode == 0, resultado.stderr
    return json.loads(resultado.stdout.strip().splitlines()[-1])


def test_make_run_en_otra_direccion_lleva_el_qr_alli(tmp_path):
    config = configuracion_local(tmp_path, **entorno_de_make_run("192.168.1.5:8080"))
    assert config["url"] == "http://192.168.1.5:8080"
    assert "192.168.1.5" in config["hosts"]  # and the page the QR opens answers there


def test_make_run_en_todas_las_interfaces_usa_la_direccion_de_la_red(tmp_path):
    config = configuracion_local(tmp_path, **entorno_de_make_run("0.0.0.0:9000"))
    assert config["url"].startswith("http://") and config["url"].endswith(":9000")
    assert "0.0.0.0" not in config["url"]  # noqa: S104 - a URL, not a bind
    anfitrion = config["url"].removeprefix("http://").removesuffix(":9000")
    assert anfitrion in config["hosts"]


def test_make_run_sin_host_sigue_en_127_0_0_1(tmp_path):
    assert configuracion_local(tmp_path, **entorno_de_make_run("127.0.0.1:8000"))["url"] == (
        "http://127.0.0.1:8000"
    )


def test_la_url_publica_explicita_manda_sobre_la_direccion_de_make_run(tmp_path):
    config = configuracion_local(
        tmp_path,
        DJANGO_DIRECCION_LOCAL="0.0.0.0:9000",
        DJANGO_URL_PUBLICA="https://dictamenes.example",
    )
    assert config["url"] == "https://dictamenes.example"


def test_produccion_exige_la_url_publica(tmp_path):
    base = {
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "dictamenes.sonora.gob.mx",
        "DJANGO_VAR_DIR": str(tmp_path),
    }
    resultado = run_python("import django; django.setup()", "config.settings.production", **base)
    assert resultado.returncode != 0
    assert "Falta DJANGO_URL_PUBLICA" in resultado.stderr
    resultado = run_python(
        IMPRIMIR_URL,
        "config.settings.production",
        DJANGO_URL_PUBLICA="https://dictamenes.sonora.gob.mx",
        **base,
    )
    assert resultado.returncode == 0, resultado.stderr
    assert json.loads(resultado.stdout)["url"] == "https://dictamenes.sonora.gob.mx"


def test_el_pdf_imprime_la_url_publica_configurada(demo, settings, tmp_path):
    settings.DICTAMENES_URL_PUBLICA = "http://192.168.1.5:8080/"
    solicitud = admitida()
    revisar(solicitud, "computo")
    dictamen = firmar(decidir(solicitud))
    texto = texto_pdf(integridad.dictamen_pdf_leer(dictamen=dictamen), tmp_path)
    assert f"Verifique este documento en http://192.168.1.5:8080/verificar/{dictamen.folio}/" in (
        texto
    )


def test_el_pdf_de_un_no_favorable_no_le_da_vigencia(demo, tmp_path):
    """A rejection authorises nothing: its PDF says so instead of "Vigencia: hasta el …",
    which a supplier could read as a validity."""
    solicitud = admitida()
    revisar(solicitud, "computo")
    negado = firmar(decidir(solicitud, resultado="no_favorable", condiciones=""))
    texto = texto_pdf(integridad.dictamen_pdf_leer(dictamen=negado), tmp_path)
    assert "Se emite dictamen NO FAVORABLE" in texto
    assert "Vigencia" not in texto
    assert "no autoriza la contratación; no tiene vigencia." in texto

    otra = admitida()
    revisar(otra, "computo")
    favorable = firmar(decidir(otra, resultado="favorable", condiciones=""))
    fecha = fecha_larga(favorable.vigencia_hasta)
    assert f"Vigencia: hasta el {fecha}." in texto_pdf(
        integridad.dictamen_pdf_leer(dictamen=favorable), tmp_path
    )


# --- Issue 34: the result on page 1, each condition's deadline, no area prefix, declarations


def texto_de_pagina(pdf: bytes, tmp_path, pagina: int) -> str:
    archivo = tmp_path / "pagina.pdf"
    archivo.write_bytes(pdf)
    return " ".join(pdftotext(archivo, "-raw", "-f", str(pagina), "-l", str(pagina)).split())


CON_AREAS = (
    "Cómputo: entregar el acta de baja de los equipos sustituidos.\n"
    "- redes: acreditar el enlace redundante."
)


@pytest.fixture
def condicionado_por_areas(demo):
    solicitud = admitida(areas=("computo", "redes"))
    revisar(solicitud, "computo")
    revisar(solicitud, "redes")
    return firmar(decidir(solicitud, condiciones=CON_AREAS))


def test_el_resultado_y_la_vigencia_estan_en_la_primera_pagina(condicionado_por_areas, tmp_path):
    pdf = integridad.dictamen_pdf_leer(dictamen=condicionado_por_areas)
    primera = texto_de_pagina(pdf, tmp_path, 1)
    vigencia = fecha_larga(condicionado_por_areas.vigencia_hasta)
    assert (
        "Monto estimado $40,000.00 MXN Resultado FAVORABLE CONDICIONADO (2 condiciones; véase "
        f"el resolutivo) Vigencia Hasta el {vigencia} Fundamento legal"
    ) in primera
    assert "Página 1 de 2" in primera


def test_cada_condicion_lleva_su_plazo_y_ninguna_el_prefijo_de_su_area(
    condicionado_por_areas, client, tmp_path
):
    dictamen = condicionado_por_areas
    # The signed text says what to do; who verifies it is the condition's data.
    assert dictamen.condiciones == (
        "Entregar el acta de baja de los equipos sustituidos.\n- Acreditar el enlace redundante."
    )
    obligaciones = list(dictamen.obligaciones.order_by("numero"))
    assert [(c.numero, c.texto, c.area.clave) for c in obligaciones] == [
        (1, "Entregar el acta de baja de los equipos sustituidos.", "computo"),
        (2, "Acreditar el enlace redundante.", "redes"),
    ]
    vence = fecha_larga(obligaciones[0].vence)
    texto = texto_pdf(integridad.dictamen_pdf_leer(dictamen=dictamen), tmp_path)
    resolutivo = texto[texto.index("Resolutivo") : texto.index("Atentamente")]
    assert resolutivo == (
        "Resolutivo Se emite dictamen FAVORABLE CONDICIONADO Condiciones: "
        f"1. Entregar el acta de baja de los equipos sustituidos. Plazo: hasta el {vence} "
        "(20 días hábiles a partir de la emisión). "
        f"2. Acreditar el enlace redundante. Plazo: hasta el {vence} "
        "(20 días hábiles a partir de la emisión). "
        f"Vigencia: hasta el {fecha_larga(dictamen.vigencia_hasta)}. "
    )
    antecedentes = texto[texto.index("Antecedentes") : texto.index("Partidas revisadas")]
    assert (
        "Condiciones: «Entregar el acta de baja de los equipos sustituidos. - Acreditar el "
        "enlace redundante»."
    ) in antecedentes
    for prefijo in ("Cómputo:", "cómputo:", "redes:", "Redes:"):
        assert prefijo not in texto
    client.force_login(usuario("requirente.sh"))
    html = client.get(reverse("solicitudes:detalle", args=[dictamen.solicitud_id])).content
    html = html.decode()
    seccion = html[
        html.index('id="t-dictamen"') : html.index("</section>", html.index('id="t-dictamen"'))
    ]
    assert (
        "<strong>Condiciones:</strong> Entregar el acta de baja de los equipos sustituidos.<br>- "
        "Acreditar el enlace redundante."
    ) in seccion
    # The history keeps the decision as the Dirección General wrote it, prefixes and all.


def test_una_rectificacion_tampoco_lleva_el_prefijo_y_su_condicion_guarda_el_area(
    condicionado_por_areas,
):
    nuevo = flujo_utils.rectificar(
        condicionado_por_areas,
        resultado="condicionado",
        motivos="Corrige el plazo.",
        condiciones="Seguridad informática: presentar el análisis de vulnerabilidades.",
    )
    assert nuevo.condiciones == "Presentar el análisis de vulnerabilidades."
    condicion = nuevo.obligaciones.get()
    assert (condicion.texto, condicion.area.clave) == (
        "Presentar el análisis de vulnerabilidades.",
        "seguridad",
    )


def test_las_declaraciones_del_ente_van_con_su_partida(demo, tmp_path):
    from estandares.models import Requisito

    solicitud = admitida(areas=("computo", "redes"))
    computo = solicitud.partidas.get(descripcion="Partida de computo")
    requisito = Requisito.objects.filter(
        tipo=Requisito.Tipo.DECLARACION, perfil__categoria=computo.perfil.categoria
    ).first()
    computo.perfil = requisito.perfil
    computo.especificaciones = {requisito.clave: "  Windows 11 Pro, licencia por volumen  "}
    computo.save()
    revisar(solicitud, "computo")
    revisar(solicitud, "redes")
    dictamen = firmar(decidir(solicitud, resultado="favorable", condiciones=""))
    texto = texto_pdf(integridad.dictamen_pdf_leer(dictamen=dictamen), tmp_path)
    seccion = texto[texto.index("Declaraciones del ente por partida") : texto.index("Opinión")]
    # Item 1 is the computer (items print in the order they were added); item 2 declared none.
    assert seccion == (
        "Declaraciones del ente por partida • Partida 1, "
        f"{requisito.nombre}: «Windows 11 Pro, licencia por volumen» "
    )


def test_sin_declaraciones_no_hay_seccion(demo, tmp_path):
    solicitud = admitida()
    revisar(solicitud, "computo")
    dictamen = firmar(decidir(solicitud, resultado="favorable", condiciones=""))
    texto = texto_pdf(integridad.dictamen_pdf_leer(dictamen=dictamen), tmp_path)
    assert "Declaraciones" not in texto
