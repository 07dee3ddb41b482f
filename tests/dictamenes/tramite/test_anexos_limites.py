"""Issue 59, item 7: a request carries at most DICTAMENES_ANEXOS_MAX_POR_SOLICITUD attachments
and DICTAMENES_ANEXOS_MAX_MB_POR_SOLICITUD in all. The limits live in the one door that adds an
attachment (tramite.services.solicitudes.anexo_agregar), so every path that adds one meets
them: the draft's page, the page while the request is prevenida (the correction), the page
while a reviewer's question waits for its answer, and the callers of the service (the demo
loader, the tests' helpers). The API and the imports add no attachments (checked below)."""

import html
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import get_resolver, reverse

from dictamenes.models import Area
from dictamenes.tramite.services import etapas, solicitudes
from tests.dictamenes.flujo_utils import PDF_MINIMO, admitida, borrador, presentada, usuario

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
CUANTOS = (
    "La solicitud ya tiene {cuantos} anexos y el máximo es {maximo} por solicitud; «{nombre}» "
    "no se agregó. Reúna varios documentos en un solo PDF."
)
TOTAL = (
    "Los anexos de la solicitud ya suman {total}; con «{nombre}» ({tamano}) pasarían del máximo "
    "de {maximo} MB por solicitud, y no se agregó."
)


def pdf_de(tamano: int, nombre: str = "cotizacion.pdf") -> SimpleUploadedFile:
    """A PDF (its header is what the check reads) of exactly `tamano` bytes."""
    relleno = tamano - len(PDF_MINIMO) - 2
    assert relleno >= 0
    return SimpleUploadedFile(
        nombre, PDF_MINIMO + b"%" + b"x" * relleno + b"\n", content_type="application/pdf"
    )


def anexos_en_bd(solicitud) -> list[tuple]:
    """The request's attachments straight from the table (an oracle apart from the ORM code
    under test): name, size and digest, in the order they were added."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nombre, tamano, sha256 FROM dictamenes_anexo WHERE solicitud_id = %s "
            "ORDER BY id",
            [solicitud.pk],
        )
        return cursor.fetchall()


def archivos_guardados(solicitud) -> int:
    """Files in the request's folder of the storage (expedientes/<year>/<folio or draft>/);
    the folder outlives a test (a later draft may reuse the number), so compare, not count."""
    solicitud.refresh_from_db()
    carpeta = (solicitud.folio or f"borrador-{solicitud.pk}").replace("/", "-")
    raiz = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    raiz = raiz / "expedientes" / str(solicitud.ejercicio) / carpeta
    return sum(1 for ruta in raiz.rglob("*") if ruta.is_file())


def subir(cliente, solicitud, archivo, tipo="cotizacion"):
    return cliente.post(
        reverse("solicitudes:anexo_subir", args=[solicitud.pk]), {"tipo": tipo, "archivo": archivo}
    )


def texto(respuesta) -> str:
    return html.unescape(respuesta.content.decode())


@pytest.fixture
def limites(settings):
    settings.DICTAMENES_ANEXOS_MAX_POR_SOLICITUD = 3
    settings.DICTAMENES_ANEXOS_MAX_MB_POR_SOLICITUD = 1


def test_en_el_borrador_el_anexo_de_mas_se_rechaza_con_400_y_nada_se_pierde(demo, como, limites):
    solicitud = borrador()  # carries its oficio: 1 of 3
    cliente = como("requirente.sh")
    for nombre in ("cot1.pdf", "cot2.pdf"):
        assert subir(cliente, solicitud, pdf_de(1000, nombre)).status_code == 302
    antes, guardados = anexos_en_bd(solicitud), archivos_guardados(solicitud)
    assert len(antes) == 3

    respuesta = subir(cliente, solicitud, pdf_de(1000, "cot3.pdf"))

    assert respuesta.status_code == 400
    assert CUANTOS.format(cuantos=3, maximo=3, nombre="cot3.pdf") in texto(respuesta)
    assert anexos_en_bd(solicitud) == antes
    assert archivos_guardados(solicitud) == guardados


def test_en_el_borrador_el_total_se_cuenta_hasta_el_ultimo_byte(demo, como, limites):
    solicitud = borrador()
    oficio = anexos_en_bd(solicitud)[0][1]
    cliente = como("requirente.sh")
    # Exactly the limit: accepted.
    assert subir(cliente, solicitud, pdf_de(MB - oficio - 200, "grande.pdf")).status_code == 302
    antes, guardados = anexos_en_bd(solicitud), archivos_guardados(solicitud)
    assert sum(t for _n, t, _h in antes) == MB - 200

    respuesta = subir(cliente, solicitud, pdf_de(201, "chico.pdf"))  # one byte over

    assert respuesta.status_code == 400
    assert TOTAL.format(total="1.0 MB", nombre="chico.pdf", tamano="0.1 MB", maximo=1) in texto(
        respuesta
    )
    assert anexos_en_bd(solicitud) == antes
    assert archivos_guardados(solicitud) == guardados
    # 200 bytes exactly fill it.
    assert subir(cliente, solicitud, pdf_de(200, "justo.pdf")).status_code == 302
    assert sum(t for _n, t, _h in anexos_en_bd(solicitud)) == MB


def test_en_la_prevencion_la_correccion_tambien_tiene_los_limites(demo, como, limites):
    solicitud = presentada()
    etapas.admision_resolver(
        solicitud=solicitud,
        usuario=usuario("mesa"),
        admitir=False,
        faltantes="Falta el oficio firmado.",
    )
    cliente = como("requirente.sh")
    assert subir(cliente, solicitud, pdf_de(1000, "cot1.pdf")).status_code == 302
    assert subir(cliente, solicitud, pdf_de(1000, "cot2.pdf")).status_code == 302
    antes = anexos_en_bd(solicitud)

    respuesta = subir(cliente, solicitud, pdf_de(1000, "cot3.pdf"))

    assert respuesta.status_code == 400
    assert CUANTOS.format(cuantos=3, maximo=3, nombre="cot3.pdf") in texto(respuesta)
    assert anexos_en_bd(solicitud) == antes

    solicitud_2 = presentada(titulo="Otra")
    etapas.admision_resolver(
        solicitud=solicitud_2,
        usuario=usuario("mesa"),
        admitir=False,
        faltantes="Falta el oficio firmado.",
    )
    antes_2 = anexos_en_bd(solicitud_2)
    grande = pdf_de(MB - antes_2[0][1] + 1, "grande.pdf")  # one byte over the total
    respuesta = subir(cliente, solicitud_2, grande)
    assert respuesta.status_code == 400
    assert "pasarían del máximo de 1 MB por solicitud" in texto(respuesta)
    assert anexos_en_bd(solicitud_2) == antes_2


def test_al_responder_una_peticion_de_informacion_tambien(demo, como, limites):
    solicitud = admitida(areas=("computo",))
    etapas.informacion_pedir(
        solicitud=solicitud,
        usuario=usuario("revisor.computo"),
        area=Area.objects.get(clave="computo"),
        pregunta="¿Cuántos equipos?",
    )
    cliente = como("requirente.sh")
    assert subir(cliente, solicitud, pdf_de(1000, "r1.pdf"), "informacion").status_code == 302
    assert subir(cliente, solicitud, pdf_de(1000, "r2.pdf"), "informacion").status_code == 302
    antes = anexos_en_bd(solicitud)

    respuesta = subir(cliente, solicitud, pdf_de(1000, "r3.pdf"), "informacion")

    assert respuesta.status_code == 400
    assert CUANTOS.format(cuantos=3, maximo=3, nombre="r3.pdf") in texto(respuesta)
    assert anexos_en_bd(solicitud) == antes


def test_el_servicio_es_la_puerta_para_todo_llamador(demo, limites):
    """What the demo loader and any command call: the same refusal, with its code."""
    solicitud = borrador()
    autor = usuario("requirente.sh")
    solicitudes.anexo_agregar(
        solicitud=solicitud, usuario=autor, tipo="cotizacion", archivo=pdf_de(MB // 2, "a.pdf")
    )
    antes = anexos_en_bd(solicitud)
    with pytest.raises(ValidationError) as error:
        solicitudes.anexo_agregar(
            solicitud=solicitud, usuario=autor, tipo="cotizacion", archivo=pdf_de(MB // 2, "b.pdf")
        )
    assert error.value.code == "anexos_total"
    assert error.value.messages == [
        # The oficio (a few hundred bytes) and half a MB: 0.6 MB rounded up.
        TOTAL.format(total="0.6 MB", nombre="b.pdf", tamano="0.5 MB", maximo=1)
    ]
    assert anexos_en_bd(solicitud) == antes
    solicitudes.anexo_agregar(
        solicitud=solicitud, usuario=autor, tipo="cotizacion", archivo=pdf_de(200, "c.pdf")
    )
    with pytest.raises(ValidationError) as error:
        solicitudes.anexo_agregar(
            solicitud=solicitud, usuario=autor, tipo="cotizacion", archivo=pdf_de(200, "d.pdf")
        )
    assert error.value.code == "anexos_cuantos"
    assert len(anexos_en_bd(solicitud)) == 3


def test_los_limites_por_omision_valen_30_anexos_y_100_mb():
    assert settings.DICTAMENES_ANEXOS_MAX_POR_SOLICITUD == 30
    assert settings.DICTAMENES_ANEXOS_MAX_MB_POR_SOLICITUD == 100


def test_ni_el_admin_ni_la_api_agregan_anexos():
    """The other doors a writer could use: the Django admin does not register attachments, and
    no operation of the API takes a file (an upload is `format: binary` in its schema)."""
    import json

    from django.contrib import admin
    from drf_spectacular.generators import SchemaGenerator

    from dictamenes.models import Anexo

    assert not admin.site.is_registered(Anexo)
    esquema = SchemaGenerator().get_schema(request=None, public=True)
    componentes = json.dumps(esquema.get("components", {}).get("schemas", {}), default=str)
    cuerpos = {
        f"{metodo.upper()} {ruta}": json.dumps(operacion["requestBody"], default=str)
        for ruta, operaciones in esquema["paths"].items()
        for metodo, operacion in operaciones.items()
        if isinstance(operacion, dict) and "requestBody" in operacion
    }
    assert cuerpos  # the API does take bodies: the check below reads them
    con_archivo = sorted(
        quien
        for quien, cuerpo in cuerpos.items()
        if '"format": "binary"' in cuerpo
        or any(
            f'"#/components/schemas/{nombre}"' in cuerpo
            for nombre, definicion in json.loads(componentes).items()
            if '"format": "binary"' in json.dumps(definicion)
        )
    )
    assert con_archivo == []


def test_ninguna_otra_ruta_agrega_anexos():
    """Every URL whose view may store an attachment is the one page above: the API and the
    imports have none (if one is added, it must call anexo_agregar and be tested here)."""
    rutas = []

    def recorrer(patrones, prefijo=""):
        for patron in patrones:
            if hasattr(patron, "url_patterns"):
                recorrer(patron.url_patterns, prefijo + str(patron.pattern))
            else:
                rutas.append((prefijo + str(patron.pattern), patron.lookup_str))

    recorrer(get_resolver().url_patterns)
    con_anexo = sorted(
        ruta for ruta, vista in rutas if "anexo" in ruta.lower() and "descargar" not in vista
    )
    assert con_anexo == ["solicitudes/<int:pk>/anexos/"]


def test_la_pagina_dice_los_limites_antes_de_subir(demo, como, limites):
    solicitud = borrador()
    pagina = texto(como("requirente.sh").get(reverse("solicitudes:detalle", args=[solicitud.pk])))
    assert (
        "PDF o documento de oficina (Word, Excel, PowerPoint, OpenDocument), de 20 MB a lo más; "
        "la solicitud lleva hasta 3 anexos y 1 MB en total."
    ) in pagina
