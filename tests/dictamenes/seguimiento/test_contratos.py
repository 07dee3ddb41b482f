"""The purchase made under a dictamen (issue 21, item 4): the agency records its contract, the
Subsecretaría sees the ones that do not match the dictamen, and the register publishes the
amount contracted."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from dictamenes.models import Aviso, Contrato, Dictamen, EventoAuditoria
from dictamenes.seguimiento.services import contratos
from tests.conftest import entrar
from tests.dictamenes.flujo_utils import en_firma, firmar, usuario
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db


# The request's estimated amount is $250,000.00 (flujo_utils.borrador).
dictamen_del_modulo = por_modulo(lambda: firmar(en_firma(areas=("redes",))))


@pytest.fixture
def dictamen(demo, dictamen_del_modulo):
    return de_nuevo(dictamen_del_modulo)


def registrar(dictamen, *, numero="SH-001", monto="100000.00", fecha=None, quien="requirente.sh"):
    return contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=usuario(quien),
        numero=numero,
        proveedor="Cómputo del Noroeste, S.A. de C.V.",
        fecha=fecha or timezone.localdate(),
        monto=Decimal(monto),
    )


def test_un_contrato_dentro_de_lo_dictaminado_queda_registrado_y_auditado(dictamen):
    contrato = registrar(dictamen)
    assert not contrato.senalado
    evento = EventoAuditoria.objects.get(tipo="contrato_registrado")
    assert evento.solicitud_id == dictamen.solicitud_id
    assert evento.datos["numero"] == "SH-001"
    assert evento.datos["senales"] == []
    assert not Aviso.objects.filter(asunto__contains="Contrato señalado").exists()


def test_el_total_sobre_el_monto_del_dictamen_se_senala(dictamen):
    primero = registrar(dictamen, numero="SH-001", monto="200000.00")
    segundo = registrar(dictamen, numero="SH-002", monto="60000.00")  # total 260,000 > 250,000
    assert (primero.excede_monto, segundo.excede_monto) == (False, True)
    aviso = Aviso.objects.get(asunto__contains="Contrato señalado")
    assert "excede el monto del dictamen ($250,000.00)" in aviso.mensaje
    assert "$260,000.00" in aviso.mensaje
    estrategico = usuario("estrategico").email
    assert estrategico in aviso.destinatarios


def test_un_contrato_fuera_de_vigencia_o_anterior_al_dictamen_se_senala(dictamen):
    despues = registrar(dictamen, numero="A", fecha=dictamen.vigencia_hasta + datetime.timedelta(1))
    antes = registrar(dictamen, numero="B", fecha=timezone.localdate() - datetime.timedelta(30))
    assert (despues.fuera_de_vigencia, despues.antes_del_dictamen) == (True, False)
    assert (antes.fuera_de_vigencia, antes.antes_del_dictamen) == (False, True)
    senales = EventoAuditoria.objects.filter(tipo="contrato_registrado").values_list(
        "datos__senales", flat=True
    )
    assert sorted(map(tuple, senales)) == [("antes_del_dictamen",), ("fuera_de_vigencia",)]


@pytest.mark.parametrize("quien", ["requirente.rc", "revisor.redes", "estrategico", "auditor"])
def test_solo_el_requirente_del_ente_registra(dictamen, quien):
    with pytest.raises(PermissionDenied):
        registrar(dictamen, quien=quien)
    assert not Contrato.objects.exists()


def test_bajo_un_dictamen_cancelado_no_se_registra(dictamen):
    # Cancelling goes through the firmante's e.firma (tests/dictamenes/emision/test_emision.py);
    # here only its mark matters.
    Dictamen.objects.filter(pk=dictamen.pk).update(cancelado_en=timezone.now())
    dictamen.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        registrar(dictamen)
    assert str(contratos.ERROR_NO_FAVORABLE) in error.value.messages
    assert not Contrato.objects.exists()


def test_el_mismo_numero_dos_veces_se_rechaza(dictamen):
    registrar(dictamen)
    with pytest.raises(ValidationError) as error:
        registrar(dictamen)
    assert "El contrato SH-001 ya está registrado bajo este dictamen." in error.value.messages
    assert Contrato.objects.count() == 1


def _datos(**cambios):
    return {
        "contrato-numero": "SH-2026-010",
        "contrato-proveedor": "Redes del Pacífico",
        "contrato-fecha": timezone.localdate().isoformat(),
        "contrato-monto": "300000.00",
    } | cambios


def test_el_requirente_registra_desde_la_pagina_y_la_subsecretaria_lo_ve_senalado(dictamen, client):
    solicitud = dictamen.solicitud
    entrar(client, "requirente.sh")
    pagina = client.get(reverse("solicitudes:detalle", args=[solicitud.pk]))
    assert "Registrar un contrato bajo el dictamen" in pagina.content.decode()
    url = reverse("solicitudes:contrato", args=[solicitud.pk, dictamen.pk])
    respuesta = client.post(url, _datos(), follow=True)
    html = respuesta.content.decode()
    assert f"Contrato SH-2026-010 registrado bajo el dictamen {dictamen.folio}." in html
    assert "Total sobre el monto del dictamen" in html  # $300,000 > $250,000
    # The list of signalled contracts is the Subsecretaría's, not the agency's.
    assert client.get(reverse("planeacion:contratos")).status_code == 403
    client.logout()
    entrar(client, "estrategico")
    lista = client.get(reverse("planeacion:contratos")).content.decode()
    assert dictamen.folio in lista and "SH-2026-010 · Redes del Pacífico" in lista
    assert "Total sobre el monto" in lista


@pytest.mark.parametrize(
    ("campo", "valor", "mensaje"),
    [
        ("contrato-monto", "0", "El monto debe ser mayor que cero."),
        ("contrato-monto", "-5", "El monto debe ser mayor que cero."),
        ("contrato-fecha", "31/02/2026", "Introduzca una fecha válida."),
        ("contrato-numero", "", "Este campo es requerido."),
    ],
)
def test_un_contrato_mal_escrito_se_rechaza_en_espanol_sin_perder_lo_escrito(
    dictamen, client, campo, valor, mensaje
):
    entrar(client, "requirente.sh")
    url = reverse("solicitudes:contrato", args=[dictamen.solicitud_id, dictamen.pk])
    respuesta = client.post(url, _datos(**{campo: valor}))
    html = respuesta.content.decode()
    assert respuesta.status_code == 400
    assert mensaje in html
    assert 'value="Redes del Pacífico"' in html  # what was typed is still there
    assert not Contrato.objects.exists()


def test_el_registro_publica_lo_contratado(dictamen, client):
    registrar(dictamen, numero="SH-001", monto="100000.00")
    registrar(dictamen, numero="SH-002", monto="20000.50")
    texto = b"".join(client.get(reverse("datos_csv")).streaming_content).decode("utf-8-sig")
    (fila,) = list(csv.DictReader(io.StringIO(texto)))
    assert fila["monto_contratado_mxn"] == "120000.50"
    assert fila["monto_estimado_mxn"] == "250000.00"
    (api,) = client.get("/api/v1/registro/").json()["results"]
    assert api["monto_contratado_mxn"] == "120000.50"
    assert "$120,000.50" in client.get(reverse("registro")).content.decode()
