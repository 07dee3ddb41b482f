"""A contract's supplier and number are published with it (the OCDS award, contract and
supplier party of the month's package and of the request's record), so they take no personal
data (issue 77, items 1-2 and 6). The outside probe typed each of PROBADOS as the supplier on
the request's page and found it verbatim in /datos-abiertos/ocds/entregas/<month>.json: each is
now refused there, with the Spanish message that names it, nothing is saved, and the month's
package and the record carry none of them. A company's RFC (persona moral) is not a person's:
the supplier with it is saved and published as typed.

The dictamen of this module approves 2 × $10,000.00 (tests.dictamenes.flujo_utils.borrador)."""

import datetime
import json

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import settings as ejemplos
from hypothesis import strategies as st
from rest_framework.test import APIClient

from dictamenes.models import Contrato, EventoAuditoria, Solicitud
from estandares.datos_personales import ERROR_DATOS_PERSONALES
from estandares.identidad import ERROR_RFC, ERROR_RFC_EN_EL_NOMBRE, MOTIVO_RFC_DIGITO
from tests import perfiles
from tests.conftest import entrar
from tests.datos_personales_mx import curp, escrita, rfc_fisica, rfc_moral
from tests.dictamenes.flujo_utils import en_firma, firmar, usuario
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db

dictamen_del_modulo = por_modulo(lambda: firmar(en_firma(areas=("redes",))))

# What the outside probe typed, how the message names it, and the datum as it reads (which no
# published file may carry in any form).
PROBADOS = {
    "rfc-con-letras-por-digitos": ("GATA7SOSO3SD1", "el RFC «GATA7SOSO3SD1»", "GATA750503SD1"),
    "curp-con-b-por-8": (
        "PELJB00101HSRRPN09",
        "la CURP «PELJB00101HSRRPN09»",
        "PELJ800101HSRRPN09",
    ),
    "rfc-con-diagonales": ("PELJ/800101/AB1", "el RFC «PELJ/800101/AB1»", "PELJ800101AB1"),
    "telefono-en-palabras": (
        "seis seis dos, dos trece, cuarenta y cinco, sesenta y dos",
        "el teléfono «seis seis dos, dos trece, cuarenta y cinco, sesenta y dos»",
        "6622134562",
    ),
    "telefono-con-s-por-5": ("662 213 4S67", "el teléfono «662 213 4S67»", "6622134567"),
    "correo-con-espacios": (
        "juan.perez @ gmail . com",
        "el correo «juan.perez @ gmail . com»",
        "juan.perez@gmail.com",
    ),
}
# A company's RFC, its check character the SAT's (tests.datos_personales_mx).
EMPRESA = "Redes del Pacífico, S.A. de C.V."
# Its RFC, in its own field (issue 88).
EMPRESA_RFC = rfc_moral("RPA", datetime.date(1985, 1, 1), "B3")
INICIO_DEL_MENSAJE = str(ERROR_DATOS_PERSONALES).split("%(datos)s")[0]


@pytest.fixture
def dictamen(demo, dictamen_del_modulo):
    return de_nuevo(dictamen_del_modulo)


def _mensaje(datos: str) -> str:
    return str(ERROR_DATOS_PERSONALES) % {"datos": datos}


def _mensajes(campo: str, escrito: str, nombrado: str) -> list[str]:
    """The page's errors for a probe in a field: its personal-data message and, for an RFC in
    the supplier's name (issue 88), the one that says where it goes."""
    en_el_nombre = campo == "proveedor" and nombrado.startswith("el RFC")
    return [_mensaje(nombrado)] + (
        [str(ERROR_RFC_EN_EL_NOMBRE) % {"rfc": escrito}] if en_el_nombre else []
    )


def _datos(**campos) -> dict:
    return {
        "contrato-numero": "SH-2026-077",
        "contrato-proveedor": "Redes del Pacífico, S.A. de C.V.",
        "contrato-fecha": timezone.localdate().isoformat(),
        "contrato-monto": "18000.00",
    } | {f"contrato-{campo}": valor for campo, valor in campos.items()}


def _registrar(client, dictamen, **campos):
    url = reverse("solicitudes:contrato", args=[dictamen.solicitud_id, dictamen.pk])
    return client.post(url, _datos(**campos))


def _cuerpo(respuesta) -> str:
    assert respuesta.status_code == 200
    contenido = b"".join(respuesta.streaming_content) if respuesta.streaming else respuesta.content
    # As a reader decodes it: «é», not «\u00e9».
    return json.dumps(json.loads(contenido), ensure_ascii=False)


def _publicado(client, dictamen) -> tuple[str, str]:
    """The month's release package and the request's record package, as anyone reads them."""
    mes = f"{timezone.localtime():%Y-%m}"
    ocid = f"{settings.OCDS_PREFIJO_OCID}-{dictamen.solicitud.folio}"
    client.logout()
    return (
        _cuerpo(client.get(reverse("ocds_entregas", args=[mes]))),
        _cuerpo(client.get(reverse("ocds_registro", args=[ocid]))),
    )


def _sin_contrato(dictamen) -> None:
    # The oracle reads the rows: no contract, and no event that the OCDS would publish.
    assert not Contrato.objects.filter(dictamen_id=dictamen.pk).exists()
    assert not EventoAuditoria.objects.filter(
        solicitud_id=dictamen.solicitud_id, tipo="contrato_registrado"
    ).exists()


def test_lo_que_la_sonda_publico_se_rechaza_en_la_pagina(dictamen, client):
    """Each probe as the supplier and as the contract's number (one test: the signed dictamen
    is the module's, and each case is a page's answer)."""
    for probado, (escrito, nombrado, leido) in PROBADOS.items():
        for campo in ("proveedor", "numero"):
            entrar(client, "requirente.sh")
            respuesta = _registrar(client, dictamen, **{campo: escrito})
            assert respuesta.status_code == 400, (probado, campo)
            errores = respuesta.context["acciones"]["contrato_form"].errors[campo]
            assert errores == _mensajes(campo, escrito, nombrado), (probado, campo)
            for mensaje in errores:
                assert escape(mensaje) in respuesta.content.decode()
            _sin_contrato(dictamen)
            for publicado in _publicado(client, dictamen):
                # The dictamen is published (not an empty package), and none of the datum.
                assert dictamen.folio in publicado
                assert escrito not in publicado, (probado, campo)
                assert leido not in publicado, (probado, campo)


def test_lo_que_la_sonda_publico_se_rechaza_en_un_borrador_de_la_api(demo):
    """The API's draft accepted them too: each probe as the title, as the justification and
    (issue 88) as the alignment, 400 with the message beside the field, and no draft."""
    api = APIClient()
    api.force_authenticate(usuario("requirente.sh"))
    antes = Solicitud.objects.count()
    for probado, (escrito, nombrado, _leido) in PROBADOS.items():
        for campo in ("titulo", "justificacion", "alineacion"):
            datos = {
                "tipo_operacion": "adquisicion",
                "titulo": "Renovación de switches",
                "justificacion": "Equipos sin soporte del fabricante.",
                "alineacion": "Eje 3: gobierno digital eficiente.",
                "monto_estimado": "20000.00",
                "ejercicio": timezone.localdate().year,
            } | {campo: escrito}
            if campo == "justificacion":
                # A justification says something (issue 93, item 4): the datum inside one that
                # would be accepted without it, so that only the personal data refuses it.
                datos[campo] = f"Entrega coordinada con el proveedor en {escrito} este mes."
            respuesta = api.post("/api/v1/solicitudes/", datos, format="json")
            assert respuesta.status_code == 400, (probado, campo)
            assert respuesta.json() == {campo: [_mensaje(nombrado)]}, (probado, campo)
    assert Solicitud.objects.count() == antes


def test_el_rfc_de_una_empresa_se_publica_como_su_identificador(dictamen, client):
    """Issue 88, item 3: the company's RFC, typed in its own field (lower case, with dashes),
    is stored compact and published as the supplier party's identifier (scheme MX-RFC), its id
    too; typed inside the name, the name is refused and nothing is saved."""
    entrar(client, "requirente.sh")
    respuesta = _registrar(client, dictamen, proveedor=f"{EMPRESA}, RFC {EMPRESA_RFC}")
    assert respuesta.status_code == 400
    assert "escríbalo en el campo «RFC del proveedor»" in respuesta.content.decode()
    assert not Contrato.objects.filter(dictamen_id=dictamen.pk).exists()
    escrito = f"{EMPRESA_RFC[:3].lower()}-{EMPRESA_RFC[3:9]}-{EMPRESA_RFC[9:]}"
    respuesta = _registrar(client, dictamen, proveedor=EMPRESA, proveedor_rfc=escrito)
    assert respuesta.status_code == 302
    contrato = Contrato.objects.get(dictamen_id=dictamen.pk)
    assert (contrato.proveedor, contrato.proveedor_rfc) == (EMPRESA, EMPRESA_RFC)
    paquete, registro = _publicado(client, dictamen)
    (registro,) = json.loads(registro)["records"]
    (parte,) = [p for p in registro["compiledRelease"]["parties"] if "supplier" in p["roles"]]
    assert parte == {
        "id": f"MX-RFC-{EMPRESA_RFC}",
        "name": EMPRESA,
        "identifier": {"scheme": "MX-RFC", "id": EMPRESA_RFC, "legalName": EMPRESA},
        "roles": ["supplier"],
    }
    (adjudicacion,) = registro["compiledRelease"]["awards"]
    assert adjudicacion["suppliers"] == [{"id": f"MX-RFC-{EMPRESA_RFC}", "name": EMPRESA}]
    assert f'"scheme": "MX-RFC", "id": "{EMPRESA_RFC}"' in paquete


def test_el_rfc_de_una_persona_se_guarda_y_nunca_se_publica(dictamen, client):
    """A supplier may be a person (persona física con actividad empresarial): her RFC is kept
    for the checks that tell one supplier from another, and no published file carries it."""
    rfc_persona = "GODE561231GR8"
    entrar(client, "requirente.sh")
    respuesta = _registrar(
        client, dictamen, proveedor="Diana Gómez Delgado", proveedor_rfc=rfc_persona
    )
    assert respuesta.status_code == 302
    assert Contrato.objects.get(dictamen_id=dictamen.pk).proveedor_rfc == rfc_persona
    paquete, registro = _publicado(client, dictamen)
    for publicado in (paquete, registro):
        assert rfc_persona not in publicado and "561231" not in publicado
    (registro,) = json.loads(registro)["records"]
    (parte,) = [p for p in registro["compiledRelease"]["parties"] if "supplier" in p["roles"]]
    assert parte["name"] == "Diana Gómez Delgado" and "identifier" not in parte
    assert parte["id"].startswith("MX-PROV-")


def test_un_rfc_que_no_es_valido_se_rechaza_en_su_campo_y_no_deja_nada(dictamen, client):
    entrar(client, "requirente.sh")
    malo = EMPRESA_RFC[:-1] + ("1" if EMPRESA_RFC[-1] != "1" else "2")
    respuesta = _registrar(client, dictamen, proveedor=EMPRESA, proveedor_rfc=malo)
    assert respuesta.status_code == 400
    assert respuesta.context["acciones"]["contrato_form"].errors["proveedor_rfc"] == [
        str(ERROR_RFC) % {"rfc": malo, "motivo": MOTIVO_RFC_DIGITO}
    ]
    assert not Contrato.objects.filter(dictamen_id=dictamen.pk).exists()


def test_cada_rfc_o_curp_generado_se_rechaza_como_proveedor_y_como_numero(dictamen, client):
    """Hypothesis: a person's RFC or CURP with valid check characters, written with letters
    for the digits of its date, its parts apart, in small or full-width letters, inside the
    supplier's name or as the contract's number: refused with the message that names it, and
    nothing saved."""
    entrar(client, "requirente.sh")
    clave = st.one_of(
        escrita(rfc_fisica(), una_linea=True).map(lambda e: (*e, "el RFC «")),
        escrita(curp(), una_linea=True).map(lambda e: (*e, "la CURP «")),
    )

    @ejemplos(
        max_examples=perfiles.ejemplos(10),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(dato=clave, campo=st.sampled_from(["proveedor", "numero"]))
    def caso(dato, campo):
        escrito, _entera, nombre = dato
        texto = f"Comercial {escrito}" if campo == "proveedor" else escrito
        respuesta = _registrar(client, dictamen, **{campo: texto})
        assert respuesta.status_code == 400, texto
        # First the message that names it; an RFC in the supplier's name, then where it goes.
        error, *despues = respuesta.context["acciones"]["contrato_form"].errors[campo]
        assert error.startswith(INICIO_DEL_MENSAJE + nombre), (texto, error)
        en_el_nombre = campo == "proveedor" and nombre == "el RFC «"
        assert [m.split("«")[0] for m in despues] == (
            [str(ERROR_RFC_EN_EL_NOMBRE).split("«")[0]] if en_el_nombre else []
        ), (texto, despues)
        _sin_contrato(dictamen)

    caso()
