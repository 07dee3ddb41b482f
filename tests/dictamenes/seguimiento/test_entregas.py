"""After the contract, to the delivery (issue 80, item 5): the requester records the acta de
entrega-recepción with its date and file, what was paid and the units received of each item
the dictamen approved; the request's page, its history (page and PDF) and the contract's
end date carry it (OCDS: tests/publico/test_ocds.py).

The request has three items of 2 × $10,000.00 (flujo_utils.borrador): the dictamen approves
«cómputo» whole (2), «redes» for 1 and not «seguridad». Its contract, of $25,000.00, is dated
today."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dictamenes.emision.documentos import expediente
from dictamenes.models import Anexo, CodigoSenal, Contrato, Entrega, EventoAuditoria, Senal
from dictamenes.seguimiento.services import contratos, entregas
from tests.conftest import entrar
from tests.dictamenes.emision.test_pdf_dictamen import texto_pdf
from tests.dictamenes.flujo_utils import decidir, detalle, firmar, pdf_valido, revisada, usuario
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db


def _construir():
    solicitud = revisada(areas=("computo", "redes", "seguridad"))
    computo, redes, seguridad = solicitud.partidas.order_by("pk")
    decidir(
        solicitud,
        partidas={
            computo.pk: {"resultado": "aprobada"},
            redes.pk: {"resultado": "reducida", "cantidad": 1, "motivo": "sobredimensionada"},
            seguridad.pk: {"resultado": "no_aprobada", "motivo": "duplicidad"},
        },
    )
    dictamen = firmar(solicitud)
    contrato = contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=usuario("requirente.sh"),
        numero="SH-CTO-7",
        proveedor="Cómputo del Noroeste, S.A. de C.V.",
        fecha=timezone.localdate(),
        termino=timezone.localdate() + datetime.timedelta(days=30),
        monto=Decimal("25000.00"),
    )
    return {"contrato": contrato, "partidas": [computo, redes, seguridad]}


estado_del_modulo = por_modulo(_construir)


@pytest.fixture
def estado(demo, estado_del_modulo):
    return de_nuevo(estado_del_modulo)


def acta(nombre="acta-entrega.pdf", contenido=None):
    return SimpleUploadedFile(nombre, contenido or pdf_valido(), content_type="application/pdf")


def completas(estado) -> dict:
    computo, redes, _seguridad = estado["partidas"]
    return {str(computo.pk): 2, str(redes.pk): 1}


def registrar(estado, *, quien="requirente.sh", fecha=None, pagado="25000.00", **cambios):
    datos = {
        "contrato": estado["contrato"],
        "usuario": usuario(quien),
        "fecha": fecha or timezone.localdate(),
        "archivo": acta(),
        "monto_pagado": Decimal(pagado),
        "cantidades": completas(estado),
    } | cambios
    return entregas.entrega_registrar(**datos)


def nada_guardado():
    assert not Entrega.objects.exists()
    assert not Anexo.objects.filter(tipo=Anexo.Tipo.ENTREGA).exists()
    assert not EventoAuditoria.objects.filter(tipo="entrega_registrada").exists()


# --- Who, and under which contract ------------------------------------------------------------


@pytest.mark.parametrize("quien", ["requirente.rc", "estrategico", "mesa"])
def test_solo_la_dependencia_de_la_solicitud_registra_su_entrega(estado, quien):
    with pytest.raises(PermissionDenied):
        registrar(estado, quien=quien)
    nada_guardado()


def test_un_contrato_que_espera_a_la_revision_estrategica_no_recibe_entregas(estado):
    Contrato.objects.filter(pk=estado["contrato"].pk).update(
        autorizacion=Contrato.Autorizacion.PENDIENTE
    )
    with pytest.raises(ValidationError) as error:
        registrar(estado)
    assert error.value.messages == [
        "El contrato SH-CTO-7 no cuenta como contratado (en espera de la revisión "
        "estratégica): no se registra su entrega."
    ]
    nada_guardado()
    # Authorised, it counts: the same delivery is recorded.
    Contrato.objects.filter(pk=estado["contrato"].pk).update(
        autorizacion=Contrato.Autorizacion.AUTORIZADA
    )
    assert registrar(estado).contrato_id == estado["contrato"].pk


# --- Dates, amounts, quantities -----------------------------------------------------------------


def test_el_acta_no_se_fecha_en_el_futuro_ni_antes_del_contrato(estado):
    hoy = timezone.localdate()
    manana, ayer = hoy + datetime.timedelta(days=1), hoy - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        registrar(estado, fecha=manana)
    assert error.value.message_dict == {
        "fecha": [
            f"La fecha del acta ({manana:%d/%m/%Y}) es posterior a hoy: registre la entrega "
            "cuando ocurra."
        ]
    }
    with pytest.raises(ValidationError) as error:
        registrar(estado, fecha=ayer)
    assert error.value.message_dict == {
        "fecha": [
            f"La fecha del acta ({ayer:%d/%m/%Y}) es anterior a la del contrato "
            f"({hoy:%d/%m/%Y}): revise la fecha."
        ]
    }
    nada_guardado()
    # The contract's own day is neither: recorded.
    assert registrar(estado, fecha=hoy).fecha == hoy


def test_lo_pagado_es_cero_o_mas(estado):
    with pytest.raises(ValidationError) as error:
        registrar(estado, pagado="-0.01")
    assert error.value.message_dict == {
        "monto_pagado": ["El monto pagado no puede ser negativo: escriba 0 si aún no se paga nada."]
    }
    nada_guardado()
    assert registrar(estado, pagado="0").monto_pagado == Decimal("0.00")


def test_una_cantidad_por_partida_aprobada_entera_y_no_negativa(estado):
    computo, redes, seguridad = estado["partidas"]
    casos = [
        # The item approved for less is asked too, and one missing is said by its name.
        ({str(computo.pk): 2}, f"cantidad_{redes.pk}", "Escriba la cantidad recibida de "
         "«Partida de redes» (0 si no llegó nada)."),
        ({str(computo.pk): -1, str(redes.pk): 1}, f"cantidad_{computo.pk}",
         "La cantidad recibida de «Partida de computo» debe ser un número entero, cero o mayor."),
        ({str(computo.pk): 1.5, str(redes.pk): 1}, f"cantidad_{computo.pk}",
         "La cantidad recibida de «Partida de computo» debe ser un número entero, cero o mayor."),
        # The item not approved is no delivery's.
        ({**completas(estado), str(seguridad.pk): 2}, f"cantidad_{seguridad.pk}",
         f"La partida {seguridad.pk} no es una de las que aprobó el dictamen: no se registra "
         "su cantidad."),
    ]  # fmt: skip
    for cantidades, campo, mensaje in casos:
        with pytest.raises(ValidationError) as error:
            registrar(estado, cantidades=cantidades)
        assert error.value.message_dict == {campo: [mensaje]}, cantidades
    nada_guardado()
    # Fewer than approved, or more, is recorded as received: the signs judge it, not this door.
    entrega = registrar(estado, cantidades={str(computo.pk): 0, str(redes.pk): 3})
    assert entrega.cantidades == {str(computo.pk): 0, str(redes.pk): 3}


def test_el_acta_se_revisa_como_todo_anexo(estado):
    with pytest.raises(ValidationError) as error:
        registrar(estado, archivo=acta("acta.pdf", b"MZ\x90\x00 esto no es un PDF"))
    assert list(error.value.message_dict) == ["archivo"]
    nada_guardado()


# --- The event, the signs, the transaction ---------------------------------------------------


def test_la_entrega_queda_con_su_acta_y_su_evento_y_recalcula_las_senales(estado):
    computo, redes, _seguridad = estado["partidas"]
    with mock.patch.object(entregas.senales, "senales_actualizar") as actualizar:
        entrega = registrar(estado, pagado="24000.50")
    actualizar.assert_called_once()
    assert actualizar.call_args.args[0].pk == estado["contrato"].dictamen.solicitud_id
    assert entrega.anexo.tipo == Anexo.Tipo.ENTREGA
    assert entrega.anexo.solicitud_id == estado["contrato"].dictamen.solicitud_id
    evento = EventoAuditoria.objects.get(tipo="entrega_registrada")
    assert evento.usuario.username == "requirente.sh"
    assert evento.descripcion == (
        f"Entrega del contrato SH-CTO-7 bajo el dictamen {estado['contrato'].dictamen.folio} "
        f"registrada: acta de entrega-recepción del {timezone.localdate():%d/%m/%Y}, "
        "pagado $24,000.50"
    )
    registro = EventoAuditoria.objects.get(tipo="contrato_registrado")
    assert evento.datos | {"recibido": None} == {
        "dictamen": estado["contrato"].dictamen.folio,
        "numero": "SH-CTO-7",
        "proveedor": "Cómputo del Noroeste, S.A. de C.V.",
        "proveedor_rfc": "",
        "evento_registro": registro.numero,
        "fecha": timezone.localdate().isoformat(),
        "monto_pagado": "24000.50",
        "monto_contrato": "25000.00",
        "recibido": None,
        "anexo": entrega.anexo.pk,
        "sha256": entrega.anexo.sha256,
        "formato": "application/pdf",
    }
    assert evento.datos["recibido"] == [
        {"partida": computo.pk, "descripcion": "Partida de computo", "cantidad": 2, "aprobada": 2},
        {"partida": redes.pk, "descripcion": "Partida de redes", "cantidad": 1, "aprobada": 1},
    ]


def test_si_las_senales_fallan_no_queda_ni_la_entrega_ni_su_acta_ni_su_evento(estado):
    with (
        mock.patch.object(entregas.senales, "senales_actualizar", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        registrar(estado)
    nada_guardado()


def test_registrar_y_resolver_un_contrato_recalcula_las_senales_de_la_solicitud_y_del_ente(estado):
    contrato = estado["contrato"]
    with (
        mock.patch.object(contratos.senales, "senales_actualizar") as actualizar,
        mock.patch.object(contratos.senales, "senales_del_ente_actualizar") as del_ente,
    ):
        otro = contratos.contrato_registrar(
            dictamen=contrato.dictamen,
            usuario=usuario("requirente.sh"),
            numero="SH-CTO-8",
            proveedor="Cómputo del Noroeste, S.A. de C.V.",
            fecha=datetime.date(timezone.localdate().year, 1, 2),
            monto=Decimal("9000.00"),
            motivo_exceso="Se agregó la instalación.",
        )
        assert otro.autorizacion == Contrato.Autorizacion.PENDIENTE
        contratos.contrato_autorizar(
            contrato=otro, usuario=usuario("estrategico"), autorizar=False, motivo="No procede."
        )
    assert actualizar.call_count == 2
    assert (
        del_ente.call_args_list
        == [mock.call(ente_id=contrato.dictamen.solicitud.ente_id, ejercicio=otro.fecha.year)] * 2
    )


# --- The contract's end date ---------------------------------------------------------------------


def test_el_termino_del_contrato_no_es_anterior_a_su_fecha(estado):
    contrato = estado["contrato"]
    assert contrato.termino == timezone.localdate() + datetime.timedelta(days=30)
    hoy = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        contratos.contrato_registrar(
            dictamen=contrato.dictamen,
            usuario=usuario("requirente.sh"),
            numero="SH-CTO-9",
            proveedor="Redes del Pacífico, S.A. de C.V.",
            fecha=hoy,
            termino=hoy - datetime.timedelta(days=1),
            monto=Decimal("100.00"),
        )
    assert error.value.message_dict == {
        "termino": [
            f"La fecha de término ({hoy - datetime.timedelta(days=1):%d/%m/%Y}) no puede ser "
            f"anterior a la fecha del contrato ({hoy:%d/%m/%Y})."
        ]
    }
    assert Contrato.objects.count() == 1
    evento = EventoAuditoria.objects.get(tipo="contrato_registrado")
    assert evento.datos["termino"] == contrato.termino.isoformat()


# --- The page, the history ------------------------------------------------------------------------


def _form(estado, **cambios) -> dict:
    computo, redes, _seguridad = estado["partidas"]
    return {
        "entrega-contrato": str(estado["contrato"].pk),
        "entrega-fecha": timezone.localdate().isoformat(),
        "entrega-monto_pagado": "24000.50",
        f"entrega-cantidad_{computo.pk}": "2",
        f"entrega-cantidad_{redes.pk}": "1",
        "entrega-archivo": acta(),
    } | cambios


def test_la_pagina_ofrece_la_entrega_a_la_dependencia_y_la_muestra_a_todos(estado, client):
    contrato = estado["contrato"]
    solicitud = contrato.dictamen.solicitud
    url = reverse("solicitudes:entrega", args=[solicitud.pk, contrato.dictamen_id])
    entrar(client, "requirente.sh")
    pagina = client.get(detalle(solicitud)).content.decode()
    assert f'action="{url}"' in pagina
    # The contract form asks its end date; the contracts' table shows it.
    assert 'name="contrato-termino"' in pagina
    assert f"<td>{contrato.termino:%d/%m/%Y}</td>" in pagina
    # One quantity per approved item, saying what was approved; none for the one not approved.
    computo, redes, seguridad = estado["partidas"]
    assert f'name="entrega-cantidad_{computo.pk}"' in pagina
    assert f'name="entrega-cantidad_{redes.pk}"' in pagina
    assert f'name="entrega-cantidad_{seguridad.pk}"' not in pagina
    assert "El dictamen aprobó 1. Escriba 0 si no llegó nada." in pagina

    respuesta = client.post(url, _form(estado))
    assert respuesta.status_code == 302
    entrega = Entrega.objects.get()
    client.logout()
    entrar(client, "estrategico")
    pagina = client.get(detalle(solicitud)).content.decode()
    assert f'action="{url}"' not in pagina  # not the Subsecretaría's to record
    tabla = pagina.split(f'id="entregas-{contrato.pk}"')[1].split("</table>")[0]
    assert "Entregas del contrato SH-CTO-7 (contratado: $25,000.00)" in tabla
    assert f'<th scope="row">{timezone.localdate():%d/%m/%Y}</th>' in tabla
    anexo = reverse("solicitudes:anexo", args=[solicitud.pk, entrega.anexo_id])
    assert f'<a href="{anexo}">acta-entrega.pdf</a>' in tabla
    assert "$24,000.50" in tabla
    assert "«Partida de computo»: 2 de 2 aprobadas" in tabla
    assert "«Partida de redes»: 1 de 1 aprobadas" in tabla
    assert "Partida de seguridad" not in tabla
    # The history says it, with what was received.
    historial = pagina.split('id="t-historial"')[1]
    assert "Entrega del contrato SH-CTO-7 bajo el dictamen" in historial
    assert "Recibido de «Partida de redes»: 1 de 1 aprobadas" in historial


def test_un_envio_con_errores_vuelve_con_lo_escrito_y_el_motivo_en_espanol(estado, client):
    contrato = estado["contrato"]
    solicitud = contrato.dictamen.solicitud
    url = reverse("solicitudes:entrega", args=[solicitud.pk, contrato.dictamen_id])
    entrar(client, "requirente.sh")
    manana = timezone.localdate() + datetime.timedelta(days=1)
    respuesta = client.post(url, _form(estado, **{"entrega-fecha": manana.isoformat()}))
    assert respuesta.status_code == 400
    pagina = respuesta.content.decode()
    assert (
        f"La fecha del acta ({manana:%d/%m/%Y}) es posterior a hoy: registre la entrega "
        "cuando ocurra."
    ) in pagina
    formulario = pagina.split('id="registrar-entrega"')[1].split("</form>")[0]
    assert " open>" in formulario.split("<summary>")[0]
    assert 'value="24000.50"' in formulario and 'value="2"' in formulario
    assert "elíjalo de nuevo" in formulario
    # A negative quantity is the form's own refusal, beside its field.
    computo = estado["partidas"][0]
    respuesta = client.post(url, _form(estado, **{f"entrega-cantidad_{computo.pk}": "-1"}))
    assert respuesta.status_code == 400
    assert f'id="id_entrega-cantidad_{computo.pk}_error"' in respuesta.content.decode()
    assert not Entrega.objects.exists()


def test_el_historial_pdf_lleva_la_entrega(estado, tmp_path):
    registrar(estado, pagado="24000.50")
    solicitud = estado["contrato"].dictamen.solicitud
    texto = " ".join(texto_pdf(expediente.historial_pdf(solicitud), tmp_path).split())
    assert "Entrega del contrato SH-CTO-7 bajo el dictamen" in texto
    assert "pagado $24,000.50" in texto
    assert "Recibido de «Partida de computo»: 2 de 2 aprobadas" in texto


def test_lo_pagado_sobre_el_contrato_y_lo_recibido_de_mas_quedan_como_senales(estado):
    """The door recomputes the request's signs (dictamenes.senales): within the contract and
    what was approved, none of the delivery's; past them, each with its sentence."""
    computo, redes, _seguridad = estado["partidas"]
    solicitud = estado["contrato"].dictamen.solicitud
    de_la_entrega = {CodigoSenal.PAGO_EXCEDE, CodigoSenal.ENTREGA_DISTINTA}

    def vigentes():
        return dict(
            Senal.objects.filter(
                solicitud=solicitud, vigente=True, codigo__in=de_la_entrega
            ).values_list("codigo", "texto")
        )

    registrar(estado, pagado="25000.00")
    assert vigentes() == {}
    registrar(estado, pagado="0.01", cantidades={str(computo.pk): 0, str(redes.pk): 1})
    senales = vigentes()
    assert set(senales) == de_la_entrega
    assert senales[CodigoSenal.PAGO_EXCEDE] == (
        "Bajo el contrato SH-CTO-7 se pagó $25,000.01 contra $25,000.00 contratados."
    )
    assert senales[CodigoSenal.ENTREGA_DISTINTA].endswith(": 1 aprobadas, 2 recibidas.")


def test_la_pagina_no_crece_en_consultas_con_las_entregas(estado, client):
    """The deliveries are read with the contracts (one query whatever their number), and what
    each shows of the approved items comes from the decisions the page already read."""
    solicitud = estado["contrato"].dictamen.solicitud
    entrar(client, "requirente.sh")

    def consultas_de_la_pagina() -> int:
        with CaptureQueriesContext(connection) as capturadas:
            assert client.get(detalle(solicitud)).status_code == 200
        return len(capturadas)

    registrar(estado)
    client.get(detalle(solicitud))  # what the first visit reads once (its caches), out
    registrar(estado, pagado="0")
    dos = consultas_de_la_pagina()
    for _vez in range(3):
        registrar(estado, pagado="0")
    assert Entrega.objects.count() == 5
    assert consultas_de_la_pagina() == dos
