"""Issue 61, item 3: each unit's name is written after its own article. A state whose units are
«el Instituto…» and «el Comité…» reads «del Instituto», «El Comité… decide» on its pages, in
its e-mails and in its dictamen's PDF: never «la Instituto», «de el» or «a el». Version 1's
article is «la», so Sonora's texts read as before."""

import re

import pytest
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from dictamenes.models import Aviso
from dictamenes.models.articulos import Nombre, con_articulo
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.organizacion.services import textos as servicio
from dictamenes.tramite.services import cierre
from tests.dictamenes.flujo_utils import en_firma, firmar, presentada, usuario
from tests.dictamenes.organizacion.test_textos_institucionales import texto_pdf

pytestmark = pytest.mark.django_db

INSTITUCION = "Instituto Anahuacense de Gobierno Digital"
RESUELVE = "Comité de Dictaminación Tecnológica"
FIRMA = "Instituto de Innovación"
# What a sentence written for «la» reads with a masculine name, and an article written twice
# (the text's own before a name that already carries one: «la el Instituto»).
MAL = re.compile(
    r"\b[Ll]a (Instituto|Comité)|\bde el\b|\ba el\b|\b[Ll]a persona titular de la Instituto"
    r"|\b(la|el|las|los) (la|el|las|los) "
)


@pytest.mark.parametrize(
    ("articulo", "preposicion", "esperado"),
    [
        ("la", "", "la Agencia"),
        ("el", "", "el Instituto"),
        ("el", "de", "del Instituto"),
        ("el", "a", "al Instituto"),
        ("el", "por", "por el Instituto"),
        ("la", "de", "de la Agencia"),
        ("los", "de", "de los Servicios"),
    ],
)
def test_el_articulo_se_contrae_donde_el_espanol_lo_contrae(articulo, preposicion, esperado):
    nombre = {"la": "Agencia", "el": "Instituto", "los": "Servicios"}[articulo]
    assert con_articulo(Nombre(nombre, articulo), preposicion) == esperado


def masculino():
    vigentes = textos_vigentes()
    datos = {c: getattr(vigentes, c) for c in servicio.CAMPOS if c != "membrete_imagen_sha256"}
    servicio.textos_guardar(
        usuario=usuario("admin"),
        datos={
            **datos,
            "institucion": INSTITUCION,
            "institucion_articulo": "el",
            "unidad_resuelve": RESUELVE,
            "unidad_resuelve_articulo": "el",
            "unidad_firma": FIRMA,
            "unidad_firma_articulo": "el",
        },
    )


def test_la_version_1_dice_la_como_siempre(demo):
    textos = textos_vigentes()
    assert (
        textos.institucion_articulo,
        textos.unidad_resuelve_articulo,
        textos.unidad_firma_articulo,
    ) == ("la", "la", "la")
    pagina = Client().get(reverse("tramite")).content.decode()
    assert "La persona titular de la Subsecretaría de Gobierno Digital firma" in " ".join(
        pagina.split()
    )


def test_paginas_correos_y_pdf_con_una_unidad_masculina(demo, django_capture_on_commit_callbacks):
    marca = Aviso.objects.aggregate(m=Max("pk"))["m"] or 0
    masculino()
    anonimo = Client()
    paginas = {
        ruta: " ".join(anonimo.get(ruta).content.decode().split())
        for ruta in (reverse("tramite"), "/", reverse("login"))
    }
    assert "El Comité de Dictaminación Tecnológica decide cada partida" in paginas["/tramite/"]
    assert "La persona titular del Instituto de Innovación firma" in paginas["/tramite/"]
    assert f"obtiene un dictamen del {INSTITUCION}" in paginas["/"]

    # The request's page, as its agency reads it while it waits for the signature.
    firma = en_firma(areas=("redes",))
    requirente = Client()
    requirente.force_login(usuario("requirente.sh"))
    detalle = requirente.get(reverse("solicitudes:detalle", args=[firma.pk])).content.decode()
    paginas["detalle"] = " ".join(detalle.split())
    assert (
        "Falta la firma del dictamen por la persona titular del Instituto de Innovación"
        in paginas["detalle"]
    )

    # E-mails: the receipt of a request, and a cancellation by the institution.
    with django_capture_on_commit_callbacks(execute=True):
        cancelada = presentada(titulo="Equipos que ya no se compran")
        cierre.solicitud_cancelar(
            solicitud=cancelada, usuario=usuario("estrategico"), motivo="Sin presupuesto."
        )
    correos = " ".join(a.mensaje + a.html for a in Aviso.objects.filter(pk__gt=marca))
    assert f"El {INSTITUCION} recibió la solicitud" in correos
    assert f"El {INSTITUCION} canceló la solicitud {cancelada.folio}" in correos

    # The dictamen's PDF: its history says who resolved.
    pdf = texto_pdf(firmar(firma))
    assert f"el {RESUELVE} resolvió" in pdf
    # Issued, the request's page offers the contract form, which says who sees a signal.
    detalle = requirente.get(reverse("solicitudes:detalle", args=[firma.pk])).content.decode()
    paginas["contrato"] = " ".join(detalle.split())
    assert f"antes de contratar, el {INSTITUCION} lo verá señalado." in paginas["contrato"]

    for donde, texto in [*paginas.items(), ("correos", correos), ("pdf", pdf)]:
        assert not MAL.search(texto), (donde, MAL.search(texto))


def test_la_pagina_de_los_textos_pide_el_articulo_de_cada_nombre(demo, client):
    client.force_login(usuario("admin"))
    pagina = client.get("/cuentas/institucion/").content.decode()
    for campo in ("institucion_articulo", "unidad_resuelve_articulo", "unidad_firma_articulo"):
        assert f'name="{campo}"' in pagina
