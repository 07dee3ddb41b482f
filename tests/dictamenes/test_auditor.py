"""Auditors read everything, download whole expedientes, and change nothing."""

import hashlib
import io
import json
import zipfile

import pytest
from django.urls import reverse

from dictamenes import tramite
from dictamenes.models import Area, EventoAuditoria, Solicitud
from dictamenes.urls import urlpatterns
from tests.dictamenes.flujo_utils import admitida, firmar, presentada, revisar, usuario

pytestmark = pytest.mark.django_db


@pytest.fixture
def dictaminada(demo):
    solicitud = admitida(areas=("redes", "computo"))
    tramite.informacion_pedir(
        solicitud=solicitud,
        usuario=usuario("revisor.redes"),
        area=Area.objects.get(clave="redes"),
        pregunta="¿PoE?",
    )
    peticion = solicitud.peticiones.get()
    tramite.informacion_responder(
        peticion=peticion, usuario=usuario("requirente.sh"), respuesta="Sí."
    )
    revisar(solicitud, "redes")
    revisar(solicitud, "computo")
    tramite.decision_estrategica(
        solicitud=solicitud,
        usuario=usuario("estrategico"),
        resultado="favorable",
        motivos="Procede.",
    )
    firmar(Solicitud.objects.get(pk=solicitud.pk))
    return Solicitud.objects.get(pk=solicitud.pk)


def test_el_zip_del_expediente_y_su_manifiesto(dictaminada, client):
    client.force_login(usuario("auditor"))
    respuesta = client.get(reverse("solicitudes:expediente", args=[dictaminada.pk]))
    assert respuesta.status_code == 200
    zf = zipfile.ZipFile(io.BytesIO(respuesta.content))
    nombres = set(zf.namelist())
    manifiesto = zf.read("MANIFIESTO.sha256").decode().splitlines()
    listados = {}
    for linea in manifiesto:
        huella, ruta = linea.split("  ", 1)
        listados[ruta] = huella
    assert set(listados) == nombres - {"MANIFIESTO.sha256"}
    for ruta, huella in listados.items():
        assert hashlib.sha256(zf.read(ruta)).hexdigest() == huella, ruta
    dictamen = dictaminada.dictamen_vigente
    pdf = next(n for n in nombres if n.startswith("dictamenes/"))
    assert hashlib.sha256(zf.read(pdf)).hexdigest() == dictamen.pdf_sha256
    assert any(n.startswith("anexos/") and n.endswith("oficio.pdf") for n in nombres)
    historial = json.loads(zf.read("historial.json"))
    assert [e["numero"] for e in historial["eventos"]] == list(
        dictaminada.eventos.order_by("numero").values_list("numero", flat=True)
    )
    assert zf.read("historial.pdf").startswith(b"%PDF-")
    # The agency's own staff and other agencies do not get it.
    client.force_login(usuario("requirente.sh"))
    assert client.get(reverse("solicitudes:expediente", args=[dictaminada.pk])).status_code == 404


def test_filtros_del_auditor(dictaminada, client):
    client.force_login(usuario("auditor"))
    lista = reverse("solicitudes:lista")

    def folios(**filtros):
        html = client.get(lista, filtros).content.decode()
        return dictaminada.folio in html

    assert folios(resultado="favorable", area="redes", monto_min="1000", monto_max="300000")
    assert not folios(resultado="no_favorable")
    assert not folios(area="seguridad")
    assert not folios(monto_min="300001")
    assert folios(monto_min="no-es-numero")  # ignored, not an error


LECTURAS = {"lista", "detalle", "anexo", "dictamen_pdf", "expediente"}


def test_el_auditor_no_puede_escribir_en_ningun_punto(dictaminada, client):
    """Every write endpoint of the request pages, tried as the auditor: all refused."""
    otra = presentada(titulo="Otra en admisión")
    client.force_login(usuario("auditor"))
    valores = {
        "pk": otra.pk,
        "area": "computo",
        "peticion": 1,
        "partida_pk": otra.partidas.first().pk,
        "anexo_pk": otra.anexos.first().pk,
        "dictamen_pk": dictaminada.dictamen_vigente.pk,
        "tarea_pk": otra.proceso.task_set.first().pk,
    }
    eventos_antes = EventoAuditoria.objects.count()
    probados = 0
    for patron in urlpatterns:
        if patron.name in LECTURAS:
            continue
        kwargs = {k: valores[k] for k in patron.pattern.converters}
        if patron.name in ("cancelar", "rectificar"):
            kwargs["pk"] = dictaminada.pk
        respuesta = client.post(reverse(f"solicitudes:{patron.name}", kwargs=kwargs), {})
        assert respuesta.status_code in (400, 403, 404, 405), (patron.name, respuesta.status_code)
        probados += 1
    assert probados >= 15
    assert EventoAuditoria.objects.count() == eventos_antes
    # Nor the admin, nor the standards.
    assert client.post(reverse("admin:dictamenes_ente_add"), {"nombre": "X"}).status_code in (
        302,
        403,
    )
    from dictamenes.models import Ente

    assert not Ente.objects.filter(nombre="X").exists()


def test_la_linea_de_tiempo_muestra_ajustes_y_versiones_de_archivo(demo, client):
    solicitud = admitida(areas=("computo",))
    revisar(
        solicitud,
        "computo",
        ajustes={"ram": {"resultado": "cumple", "motivo": "La cotización dice 16 GB."}},
    )
    client.force_login(usuario("auditor"))
    html = client.get(reverse("solicitudes:detalle", args=[solicitud.pk])).content.decode()
    assert "Ajuste en «Partida de computo», Memoria RAM: No cumple → Cumple" in html
    assert "La cotización dice 16 GB." in html
    assert f"SHA-256 {solicitud.anexos.get().sha256}" in html
