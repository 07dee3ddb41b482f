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


# The request's one item is 2 × $10,000.00, and its estimate their sum (flujo_utils.borrador;
# issue 59: it declared $250,000.00 before): the dictamen approves that item whole,
# $20,000.00, which is what a contract is compared with.
dictamen_del_modulo = por_modulo(lambda: firmar(en_firma(areas=("redes",))))


@pytest.fixture
def dictamen(demo, dictamen_del_modulo):
    return de_nuevo(dictamen_del_modulo)


MOTIVO = "El proveedor único subió su precio de lista."


def registrar(
    dictamen, *, numero="SH-001", monto="15000.00", fecha=None, quien="requirente.sh", motivo=""
):
    return contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=usuario(quien),
        numero=numero,
        proveedor="Cómputo del Noroeste, S.A. de C.V.",
        fecha=fecha or timezone.localdate(),
        monto=Decimal(monto),
        motivo_exceso=motivo,
    )


def test_un_contrato_dentro_de_lo_dictaminado_queda_registrado_y_auditado(dictamen):
    contrato = registrar(dictamen)
    assert not contrato.senalado
    evento = EventoAuditoria.objects.get(tipo="contrato_registrado")
    assert evento.solicitud_id == dictamen.solicitud_id
    assert evento.datos["numero"] == "SH-001"
    assert evento.datos["senales"] == []
    assert not Aviso.objects.filter(asunto__contains="Contrato señalado").exists()


def test_el_total_sobre_lo_aprobado_se_senala(dictamen):
    primero = registrar(dictamen, numero="SH-001", monto="15000.00")
    # total 21,000 > 20,000: saved only with its reason (issue 61)
    segundo = registrar(dictamen, numero="SH-002", monto="6000.00", motivo=MOTIVO)
    assert (primero.excede_monto, segundo.excede_monto) == (False, True)
    aviso = Aviso.objects.get(asunto__contains="Contrato señalado")
    assert "excede lo que aprobó el dictamen ($20,000.00)" in aviso.mensaje
    assert "$21,000.00" in aviso.mensaje
    estrategico = usuario("estrategico").email
    assert estrategico in aviso.destinatarios


def test_un_contrato_fuera_de_vigencia_o_anterior_al_dictamen_se_senala(dictamen):
    despues = registrar(
        dictamen, numero="A", monto="5000", fecha=dictamen.vigencia_hasta + datetime.timedelta(1)
    )
    antes = registrar(
        dictamen, numero="B", monto="5000", fecha=timezone.localdate() - datetime.timedelta(30)
    )
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
        "contrato-monto": "150000.00",
        "contrato-motivo_exceso": MOTIVO,
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
    assert "Total sobre lo aprobado" in html  # $300,000 > $20,000
    # The list of signalled contracts is the Subsecretaría's, not the agency's.
    assert client.get(reverse("planeacion:contratos")).status_code == 403
    client.logout()
    entrar(client, "estrategico")
    lista = client.get(reverse("planeacion:contratos")).content.decode()
    assert dictamen.folio in lista and "SH-2026-010 · Redes del Pacífico" in lista
    assert "Total sobre lo aprobado" in lista


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
    registrar(dictamen, numero="SH-001", monto="15000.00", motivo=MOTIVO)
    registrar(dictamen, numero="SH-002", monto="6000.50", motivo=MOTIVO)
    texto = b"".join(client.get(reverse("datos_csv")).streaming_content).decode("utf-8-sig")
    (fila,) = list(csv.DictReader(io.StringIO(texto)))
    assert fila["monto_contratado_mxn"] == "21000.50"
    assert fila["monto_estimado_mxn"] == "20000.00"
    (api,) = client.get("/api/v1/registro/").json()["results"]
    assert api["monto_contratado_mxn"] == "21000.50"
    assert "$21,000.50" in client.get(reverse("registro")).content.decode()


# --- Issue 47: what the dictamen approved, and the conditions to meet before contracting ----


def _parcial():
    """The issue's case: two items, one approved for less and one refused, signed."""
    from tests.dictamenes.flujo_utils import decidir, revisada

    solicitud = revisada(areas=("computo", "redes"), titulo="Aprobada en parte")
    computo, redes = solicitud.partidas.order_by("pk")
    decidir(
        solicitud,
        partidas={
            computo.pk: {
                "resultado": "reducida",
                "cantidad": 1,
                "motivo": "sobredimensionada",
            },
            redes.pk: {"resultado": "no_aprobada", "motivo": "duplicidad"},
        },
    )
    return firmar(solicitud)


def test_un_contrato_dentro_de_lo_pedido_pero_sobre_lo_aprobado_se_senala(demo):
    dictamen = _parcial()  # asked $40,000.00 (its items and its estimate), approved $10,000
    contrato = registrar(dictamen, monto="12000.00", motivo=MOTIVO)
    assert contrato.excede_monto
    aviso = Aviso.objects.get(asunto__contains="Contrato señalado")
    assert "excede lo que aprobó el dictamen ($10,000.00)" in aviso.mensaje
    evento = EventoAuditoria.objects.get(tipo="contrato_registrado")
    assert evento.datos["monto_aprobado"] == "10000.00"
    assert evento.datos["senales"] == ["excede_monto"]


def test_un_contrato_con_una_condicion_previa_sin_cumplir_se_senala(demo):
    solicitud = en_firma(
        areas=("redes",),
        resultado="condicionado",
        condiciones="Presentar el plan de migración antes de contratar.\n"
        "Entregar el acta de entrega-recepción en 30 días.",
    )
    dictamen = firmar(solicitud)
    previa, posterior = dictamen.obligaciones.order_by("numero")
    assert (previa.antes_de_contratar, posterior.antes_de_contratar) == (True, False)
    contrato = registrar(dictamen, monto="5000")
    assert contrato.condicion_pendiente and not contrato.excede_monto
    aviso = Aviso.objects.get(asunto__contains="Contrato señalado")
    assert (
        "se registró sin cumplir lo que el dictamen pide antes de contratar (condición 1: "
        "Presentar el plan de migración antes de contratar.)"
    ) in aviso.mensaje
    # Once the previous condition is met, the next contract is not signalled for it.
    previa.estado = previa.Estado.CUMPLIDA
    previa.save()
    assert not registrar(dictamen, numero="SH-002", monto="5000").senalado


@pytest.mark.parametrize(
    ("texto", "previa"),
    [
        ("Presentar el plan antes de contratar.", True),
        ("Previo a la contratación, acreditar la garantía.", True),
        ("ANTES DE LA CONTRATACION entregar el acta.", True),
        ("Entregar el acta de baja en 30 días.", False),
        ("Acreditar que lo contratado antes de 2020 se dio de baja.", False),
    ],
)
def test_que_condicion_se_cumple_antes_de_contratar(texto, previa):
    from dictamenes.seguimiento.services.condiciones import antes_de_contratar

    assert antes_de_contratar(texto) is previa


def test_el_formulario_dice_el_tope_aprobado_y_la_pagina_la_senal_previa(demo, client):
    dictamen = _parcial()
    entrar(client, "requirente.sh")
    html = client.get(reverse("solicitudes:detalle", args=[dictamen.solicitud_id])).content
    html = html.decode()
    assert "Si el total contratado pasa de $10,000.00, lo que aprobó el dictamen" in html
