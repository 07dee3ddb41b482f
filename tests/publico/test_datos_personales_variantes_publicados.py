"""Issue 59, item 6: the open data of a month carries no personal data in any form people
type it, whatever was stored before the fields refused it.

Each published field, the agency's name and the signer's cargo among them, gets personal data
written straight into the database (as legacy or imported text would be), each in a form the
plain patterns missed: an RFC with Cyrillic letters and dashes, a CURP with spaces, full-width
characters, zero-width joiners, an e-mail address with "(at)", a telephone number in words or
with O for 0; and (issue 88) a telephone in a WhatsApp link or with words between its groups,
an e-mail with its "@" as an HTML reference, a person's RFC without its homoclave, a CURP's
first 16 characters with O and I for its digits. Then the month's OCDS release package, the
register's CSV and JSON, the data set by agency and the verification page are fetched as
anyone, and each shows the datum masked as worked out here, and none shows it as stored.
"""

import json

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dictamenes.models import Ente, Partida, Perfil, Solicitud
from publico.ocds import estandar
from tests.dictamenes.flujo_utils import en_firma, firmar

pytestmark = pytest.mark.django_db

# field -> (stored, what the outputs that publish it show, what no output may show)
CAMPOS = {
    "titulo": (
        "Laptops para \u0422\u0406\u0422U-800101-\u0410\u04121 y ana.lopez(at)sonora.gob.mx"
        " (wa.me/526442134567)",
        ["TITU*********", "[correo oculto]", "[teléfono oculto]"],
        ["\u0422\u0406\u0422U-800101-\u0410\u04121", "ana.lopez(at)sonora.gob.mx", "2134567"],
    ),
    "justificacion": (
        "Responsable JUST 800101 AB1, tel. seis seis dos uno dos tres cuatro cinco seis siete."
        " Suplente lada 631, número 213 4568, pepe&#64;correo.com.mx.",
        ["JUST*********", "[teléfono oculto]", "lada [teléfono oculto]", "[correo oculto]"],
        ["JUST 800101 AB1", "seis seis dos uno dos tres cuatro cinco seis siete", "213 4568"]
        + ["pepe&#64;correo", "pepe@correo"],
    ),
    "descripcion": (
        "Laptop \uff24\uff25\uff33\uff23\uff18\uff10\uff10\uff11\uff10\uff11\uff21\uff22\uff11"
        " para PEGJ800101 (homoclave XY5)",
        ["DESC*********", "PEGJ******"],
        ["\uff24\uff25\uff33\uff23\uff18\uff10\uff10\uff11\uff10\uff11\uff21\uff22\uff11"]
        + ["PEGJ800101"],
    ),
    "ente": (
        "Secretaría de Hacienda, enlace ENTE\u200b800101\u200dAB1 al 66O l23 4567",
        ["ENTE*********", "[teléfono oculto]"],
        ["ENTE\u200b800101\u200dAB1", "ENTE800101AB1", "66O l23 4567"],
    ),
    "cargo": (
        "Subsecretaria (CARG 800101 HSR RPN 09, carg\uff20sonora.gob.mx, CURP CUEG8OOIOIMSRLPN)",
        ["CARG**************", "[correo oculto]", "CUEG************"],
        ["CARG 800101 HSR RPN 09", "carg\uff20sonora.gob.mx", "CUEG8OOIOIMSRLPN"],
    ),
}

# Where each field is published.
SALIDAS = {
    "titulo": ["ocds", "csv", "json", "verificar"],
    "justificacion": ["ocds"],
    "descripcion": ["ocds", "verificar"],
    "ente": ["ocds", "csv", "json", "por_ente", "verificar"],
    "cargo": ["verificar"],
}


def _texto(cliente: Client, url: str) -> str:
    respuesta = cliente.get(url)
    assert respuesta.status_code == 200, url
    contenido = getattr(respuesta, "streaming_content", None)
    datos = b"".join(contenido) if contenido is not None else respuesta.content
    return datos.decode("utf-8-sig")


def _json(texto: str) -> str:
    # As the reader decodes it: "é", not "\u00e9".
    return json.dumps(json.loads(texto), ensure_ascii=False)


@pytest.fixture(scope="module")
def salidas(django_db_setup, django_db_blocker) -> dict[str, str]:
    from publico.ocds import publicacion

    with django_db_blocker.unblock(), transaction.atomic():
        # Stored before the rule: the firmante's cargo, copied into what she signs.
        Perfil.objects.filter(usuario__username="firmante").update(cargo=CAMPOS["cargo"][0])
        solicitud = en_firma(areas=("computo",), titulo="Renovación de laptops")
        Solicitud.objects.filter(pk=solicitud.pk).update(
            titulo=CAMPOS["titulo"][0], justificacion=CAMPOS["justificacion"][0]
        )
        Partida.objects.filter(solicitud=solicitud).update(descripcion=CAMPOS["descripcion"][0])
        Ente.objects.filter(pk=solicitud.ente_id).update(nombre=CAMPOS["ente"][0])
        dictamen = firmar(Solicitud.objects.get(pk=solicitud.pk))
        mes = timezone.localdate().strftime("%Y-%m")
        (paquete,) = [m for m in publicacion.meses() if m["mes"] == mes]
        cliente = Client()
        textos = {
            "ocds": _json(
                _texto(
                    cliente,
                    paquete["url"].removeprefix(
                        estandar.settings.DICTAMENES_URL_PUBLICA.rstrip("/")
                    ),
                )
            ),
            "csv": _texto(cliente, reverse("datos_csv")),
            "json": _json(_texto(cliente, reverse("datos_json"))),
            "por_ente": _texto(
                cliente, reverse("datos_conjunto", args=["indicador-anual-por-ente-y-tipo"])
            ),
            "verificar": _texto(cliente, reverse("verificar_folio", args=[dictamen.folio])),
        }
        transaction.set_rollback(True)
    return textos


def test_el_paquete_del_mes_trae_la_solicitud(salidas):
    assert "Renovación de laptops" not in salidas["ocds"]
    assert "Laptops para TITU*********" in salidas["ocds"]


@pytest.mark.parametrize("campo", list(CAMPOS))
def test_cada_campo_sale_enmascarado_en_cada_salida(salidas, campo):
    _guardado, mascaras, prohibidos = CAMPOS[campo]
    for salida in SALIDAS[campo]:
        for mascara in mascaras:
            assert mascara in salidas[salida], (campo, salida, mascara)
    for salida, texto in salidas.items():
        for dato in prohibidos:
            assert dato not in texto, (campo, salida, dato)
