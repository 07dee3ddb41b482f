"""The expediente ZIP an auditor downloads: the conditions' evidence files with their SHA-256 in
the manifest, the requester's written declarations, and the history's times in Hermosillo's
time with the zone said."""

import hashlib
import io
import json
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dictamenes.emision.documentos import expediente
from dictamenes.models import Condicion, TextosInstitucionales
from dictamenes.seguimiento.services import condiciones
from estandares.models import Requisito
from tests.dictamenes.emision.test_pdf_dictamen import texto_pdf
from tests.dictamenes.flujo_utils import en_firma, firmar, pdf_valido, usuario

pytestmark = pytest.mark.django_db

DECLARACION = "Windows 11 Pro, licencia por volumen"


@pytest.fixture
def dictamen(demo):
    """A condicionado dictamen whose first condition got evidence twice (the first rejected),
    and a request whose computer declared its operating system licence."""
    solicitud = en_firma(
        areas=("computo", "redes"),
        resultado="condicionado",
        condiciones="Cómputo: entregar el acta de baja.\nRedes: acreditar el enlace redundante.",
    )
    partida = solicitud.partidas.order_by("pk").first()
    requisito = Requisito.objects.filter(
        tipo=Requisito.Tipo.DECLARACION, perfil__categoria=partida.perfil.categoria
    ).first()
    partida.perfil = requisito.perfil
    partida.especificaciones = {requisito.clave: DECLARACION}
    partida.save()
    dictamen = firmar(solicitud)
    primera = dictamen.obligaciones.get(numero=1)
    subir(primera, "acta.pdf", pdf_valido())
    condiciones.condicion_rechazar(
        condicion=primera, usuario=usuario("revisor.computo"), motivo="Sin firmas."
    )
    subir(primera, "acta firmada.pdf", pdf_valido(b"<< /Firmada true >>"))
    return dictamen


def subir(condicion, nombre, contenido):
    return condiciones.condicion_evidencia_subir(
        condicion=Condicion.objects.get(pk=condicion.pk),
        usuario=usuario("requirente.sh"),
        archivo=SimpleUploadedFile(nombre, contenido, content_type="application/pdf"),
    )


def zip_de(client, solicitud) -> zipfile.ZipFile:
    client.force_login(usuario("auditor"))
    respuesta = client.get(reverse("solicitudes:expediente", args=[solicitud.pk]))
    assert respuesta.status_code == 200
    return zipfile.ZipFile(io.BytesIO(respuesta.content))


def manifiesto(zf) -> dict[str, str]:
    lineas = zf.read("MANIFIESTO.sha256").decode().splitlines()
    return {ruta: huella for huella, ruta in (linea.split("  ", 1) for linea in lineas)}


def test_el_expediente_lleva_cada_evidencia_con_su_sha256_en_el_manifiesto(dictamen, client):
    zf = zip_de(client, dictamen.solicitud)
    listado = manifiesto(zf)
    evidencias = list(dictamen.obligaciones.get(numero=1).evidencias.order_by("subida_en", "pk"))
    carpeta = f"condiciones/{dictamen.folio.replace('/', '-')}/1"
    esperadas = {
        f"{carpeta}/{evidencias[0].pk:06d}-acta.pdf": evidencias[0],
        f"{carpeta}/{evidencias[1].pk:06d}-acta firmada.pdf": evidencias[1],
    }
    assert sorted(n for n in zf.namelist() if n.startswith("condiciones/")) == sorted(esperadas)
    for ruta, evidencia in esperadas.items():
        with evidencia.archivo.open("rb") as f:
            assert zf.read(ruta) == f.read()
        # The manifest's hash is the one recorded at upload, and the file's own.
        assert listado[ruta] == evidencia.sha256 == hashlib.sha256(zf.read(ruta)).hexdigest()
    assert set(listado) == set(zf.namelist()) - {"MANIFIESTO.sha256"}


def test_una_evidencia_cambiada_en_el_almacenamiento_detiene_el_expediente(dictamen):
    evidencia = dictamen.obligaciones.get(numero=1).evidencias.first()
    with evidencia.archivo.open("wb") as f:
        f.write(b"%PDF-1.4 otro contenido")
    with pytest.raises(ValueError, match=f"La evidencia {evidencia.pk} no coincide"):
        expediente.expediente_zip(dictamen.solicitud)


def test_el_expediente_lleva_las_declaraciones_de_cada_partida(dictamen, client):
    zf = zip_de(client, dictamen.solicitud)
    partidas = list(dictamen.solicitud.partidas.order_by("pk"))
    nombre = Requisito.objects.get(
        perfil=partidas[0].perfil, tipo=Requisito.Tipo.DECLARACION
    ).nombre
    assert json.loads(zf.read("declaraciones.json")) == {
        "solicitud": dictamen.solicitud.folio,
        "partidas": [
            {
                "numero": 1,
                "partida": partidas[0].pk,
                "descripcion": "Partida de computo",
                "declaraciones": [{"requisito": nombre, "texto": DECLARACION}],
            },
            {
                "numero": 2,
                "partida": partidas[1].pk,
                "descripcion": "Partida de redes",
                "declaraciones": [],
            },
        ],
    }
    assert "declaraciones.json" in manifiesto(zf)


def test_el_historial_pdf_da_la_hora_de_hermosillo_con_su_zona(dictamen, client, tmp_path):
    zf = zip_de(client, dictamen.solicitud)
    texto = texto_pdf(zf.read("historial.pdf"), tmp_path)
    primero = dictamen.solicitud.eventos.order_by("numero").first()
    local = timezone.localtime(primero.ocurrido_en)
    assert (
        f"1. {local:%d/%m/%Y %H:%M} (UTC-07:00, America/Hermosillo) (n.º {primero.numero} de la "
        in (texto)
    )
    # No time is printed in UTC any more (the pages show Hermosillo's).
    assert not re.search(r"\d+\. \d{4}-\d\d-\d\d \d\d:\d\d:\d\d", texto)
    horas = re.findall(
        r"\d+\. (\d\d/\d\d/\d{4} \d\d:\d\d) \(UTC-07:00, America/Hermosillo\)", texto
    )
    assert len(horas) == dictamen.solicitud.eventos.count()


def test_el_historial_pdf_numera_por_solicitud_con_membrete_y_decisiones(
    dictamen, client, tmp_path
):
    """Issue 47: historial.pdf has the institution's letterhead, numbers the request's events
    1, 2, 3… with each one's number in the audit chain beside it and says why, and prints the
    decision on each item and the conditions in words, as historial.json records them."""
    solicitud = dictamen.solicitud
    zf = zip_de(client, solicitud)
    texto = " ".join(texto_pdf(zf.read("historial.pdf"), tmp_path).split())
    membrete = TextosInstitucionales.objects.vigentes().membrete_lineas
    assert texto.startswith(" ".join(membrete))
    assert f"Historial {solicitud.folio}" in texto  # at the top right of each page
    assert " ".join(expediente.NUMERACION.split()) in texto
    numeros = [int(n) for n in re.findall(r"(\d+)\. \d\d/\d\d/\d{4} \d\d:\d\d", texto)]
    assert numeros == list(range(1, solicitud.eventos.count() + 1))
    cadena = [int(n) for n in re.findall(r"\(n\.º (\d+) de la cadena\)", texto)]
    assert cadena == list(solicitud.eventos.order_by("numero").values_list("numero", flat=True))
    eventos = json.loads(zf.read("historial.json"))["eventos"]
    decididas = [d for e in eventos for d in (e["datos"] or {}).get("partidas", []) or []]
    assert decididas, "the fixture's decision records its items"
    for d in decididas:
        assert f"Partida «{d['descripcion']}»: {d['decision']}" in texto
    assert "[{" not in texto and "'numero'" not in texto
    assert (
        "Condiciones: 1. Entregar el acta de baja. (la verifica: Equipo de cómputo e impresión) "
        "2. Acreditar el enlace redundante. (la verifica: Redes y telecomunicaciones)"
    ) in texto


def test_el_historial_pdf_dice_la_zona_de_la_instalacion(dictamen, client, tmp_path, settings):
    """Another state's installation: its zone, never a city written in code (issue 61)."""
    settings.TIME_ZONE = "America/Mexico_City"
    zf = zip_de(client, dictamen.solicitud)
    texto = texto_pdf(zf.read("historial.pdf"), tmp_path)
    assert "(UTC-06:00, America/Mexico_City)" in texto
    assert "Hermosillo" not in texto
