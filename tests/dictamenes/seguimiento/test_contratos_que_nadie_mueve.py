"""Prices no interested party can move (issue 76, items 1–2), tried as the requester who
records the contract would: a contract far over the dictamen is refused, one over the
tolerance waits for the strategic reviewer and counts nowhere until authorised, and a
contract's price enters the state's reference only once someone who is not the requester
checked it against its document, never above the approved unit price plus the tolerance.

The dictamen approves one item of 2 × $10,000.00 (flujo_utils.borrador): $20,000.00 in all.
The office's tolerance is 10 % and the absurd multiple 10 (VIAS_INICIALES)."""

import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from dictamenes.models import Contrato, EventoAuditoria, PrecioObservado
from dictamenes.roles import Rol
from dictamenes.seguimiento.services import contratos
from estandares.motivos import ERROR_MOTIVO, PARAMETROS
from tests.conftest import entrar
from tests.dictamenes.flujo_utils import en_firma, firmar, pdf_valido, persona, usuario
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db

dictamen_del_modulo = por_modulo(lambda: firmar(en_firma(areas=("redes",))))
MOTIVO = "El proveedor único subió su precio de lista."
ABSURDO = (
    "Con este contrato el total contratado bajo el dictamen ({total}) sería más de 10 veces lo "
    "que aprobó ($20,000.00): revise el monto. Un contrato así pide un dictamen rectificado. "
    "No se guardó nada."
)


@pytest.fixture
def dictamen(demo, dictamen_del_modulo):
    return de_nuevo(dictamen_del_modulo)


def documento(nombre="contrato.pdf"):
    return SimpleUploadedFile(nombre, pdf_valido(), content_type="application/pdf")


def registrar(dictamen, monto, *, numero="SH-001", archivo=None, motivo=MOTIVO):
    return contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=usuario("requirente.sh"),
        numero=numero,
        proveedor="Redes del Pacífico, S.A. de C.V.",
        fecha=timezone.localdate(),
        monto=Decimal(monto),
        motivo_exceso=motivo,
        archivo=archivo,
    )


def observado(dictamen):
    return PrecioObservado.objects.get(solicitud=dictamen.solicitud)


def verificar(contrato, quien):
    """The check as a person makes it (issue 93, item 6): the server sends them the document
    (what its view records), then they check it."""
    assert contratos.contrato_documento_abierto(contrato=contrato, usuario=usuario(quien))
    return contratos.contrato_verificar(contrato=contrato, usuario=usuario(quien))


# --- Item 2: absurd, and over the tolerance ---------------------------------------------------


def test_un_contrato_absurdo_se_rechaza_y_diez_veces_justas_no(dictamen):
    with pytest.raises(ValidationError) as error:
        registrar(dictamen, "200000.01")
    assert error.value.message_dict == {"monto": [ABSURDO.format(total="$200,000.01")]}
    with pytest.raises(ValidationError):
        registrar(dictamen, "999999999999.99")
    assert not Contrato.objects.exists()
    # Ten times exactly is not more than ten times: recorded, and waiting.
    justo = registrar(dictamen, "200000.00")
    assert justo.autorizacion == Contrato.Autorizacion.PENDIENTE


def test_la_tolerancia_justa_no_espera_y_un_centavo_mas_si(dictamen):
    dentro = registrar(dictamen, "22000.00")  # +10 % exactly
    assert (dentro.excede_monto, dentro.autorizacion) == (True, "no_requerida")
    fuera = registrar(dictamen, "0.01", numero="SH-002")  # the running total: $22,000.01
    assert fuera.autorizacion == Contrato.Autorizacion.PENDIENTE
    evento = EventoAuditoria.objects.filter(tipo="contrato_registrado").latest("numero")
    assert evento.datos["autorizacion"] == "pendiente"
    assert evento.descripcion.endswith(": espera la revisión estratégica")


def test_el_pendiente_no_cuenta_en_cifras_ni_mueve_la_referencia_ni_se_publica_activo(
    dictamen, client
):
    antes = (observado(dictamen).precio, observado(dictamen).fuente)
    contrato = registrar(dictamen, "26000.00", archivo=documento())  # +30 %
    assert contrato.autorizacion == "pendiente"
    # Checked against its document while it waits: still no price of it anywhere.
    verificar(contrato, "mesa")
    assert (observado(dictamen).precio, observado(dictamen).fuente) == antes
    (api,) = client.get("/api/v1/registro/").json()["results"]
    assert api["monto_contratado_mxn"] in ("", None)
    # OCDS: the contract is published as pending, and once authorised as active.
    evento = EventoAuditoria.objects.get(tipo="contrato_registrado")
    assert _estados_ocds(client, dictamen) == {"pending"}
    contratos.contrato_autorizar(
        contrato=contrato,
        usuario=usuario("estrategico"),
        autorizar=True,
        motivo="Procede: cumple los estándares.",
    )
    # Authorised and checked: paid $26,000 for $20,000 approved is $13,000 a piece, kept at the
    # approved $10,000 plus the tolerance of 10 %: $11,000.
    assert (observado(dictamen).precio, observado(dictamen).fuente) == (
        Decimal("11000.0000"),
        "contratado",
    )
    (api,) = client.get("/api/v1/registro/").json()["results"]
    assert api["monto_contratado_mxn"] == "26000.00"
    autorizado = EventoAuditoria.objects.get(tipo="contrato_autorizado")
    assert autorizado.datos["evento_registro"] == evento.numero
    assert autorizado.motivo == "Procede: cumple los estándares."
    assert _estados_ocds(client, dictamen) == {"active"}


def _estados_ocds(client, dictamen) -> set[str]:
    """The statuses of the request's contracts in its compiled OCDS record."""
    ocid = f"{settings.OCDS_PREFIJO_OCID}-{dictamen.solicitud.folio}"
    respuesta = client.get(reverse("ocds_registro", args=[ocid]))
    assert respuesta.status_code == 200
    (registro,) = json.loads(
        b"".join(respuesta.streaming_content) if respuesta.streaming else respuesta.content
    )["records"]
    return {c["status"] for c in registro["compiledRelease"]["contracts"]}


def test_solo_la_revision_estrategica_de_otro_ente_autoriza_y_una_vez(dictamen):
    contrato = registrar(dictamen, "30000.00")
    for quien in ("requirente.sh", "mesa", "auditor", "admin"):
        with pytest.raises(PermissionDenied):
            contratos.contrato_autorizar(
                contrato=contrato,
                usuario=usuario(quien),
                autorizar=True,
                motivo="Procede: cumple los estándares.",
            )
    # A strategic reviewer of the contract's own agency may not either.
    estrategico = usuario("estrategico")
    perfil = estrategico.perfil
    ente_antes, perfil.ente_id = perfil.ente_id, dictamen.solicitud.ente_id
    perfil.save(update_fields=["ente"])
    with pytest.raises(PermissionDenied) as error:
        contratos.contrato_autorizar(
            contrato=contrato,
            usuario=usuario("estrategico"),
            autorizar=True,
            motivo="Sí procede la compra.",
        )
    assert (
        str(error.value) == "No puede revisar una solicitud de la dependencia a la que pertenece."
    )
    perfil.ente_id = ente_antes
    perfil.save(update_fields=["ente"])
    with pytest.raises(ValidationError) as error:
        contratos.contrato_autorizar(
            contrato=contrato, usuario=usuario("estrategico"), autorizar=False, motivo="  "
        )
    assert error.value.message_dict == {"motivo": [str(contratos.ERROR_AUTORIZAR_SIN_MOTIVO)]}
    contratos.contrato_autorizar(
        contrato=contrato,
        usuario=usuario("estrategico"),
        autorizar=False,
        motivo="Pida un dictamen rectificado.",
    )
    contrato.refresh_from_db()
    assert contrato.autorizacion == "rechazada"
    # A double click: the second one is told, and changes nothing.
    with pytest.raises(ValidationError) as error:
        contratos.contrato_autorizar(
            contrato=contrato,
            usuario=usuario("estrategico"),
            autorizar=True,
            motivo="Sí procede la compra.",
        )
    assert error.value.messages == [
        "Ese contrato ya no espera la revisión estratégica: no autorizado por la revisión "
        "estratégica. No se cambió nada."
    ]
    contrato.refresh_from_db()
    assert contrato.autorizacion == "rechazada"
    # Refused, it is not contracted: the next contract's running total leaves it out.
    siguiente = registrar(dictamen, "20000.00", numero="SH-002", motivo="")
    assert (siguiente.excede_monto, siguiente.autorizacion) == (False, "no_requerida")


# --- Item 1: the reference is the state's, not the requester's ----------------------------------


def test_el_contrato_del_requirente_no_es_precio_hasta_que_otro_lo_verifica(dictamen):
    contrato = registrar(dictamen, "21000.00", archivo=documento())
    # Recorded by the requester alone: the reference still reads the approved price.
    assert (observado(dictamen).precio, observado(dictamen).fuente) == (
        Decimal("10000.0000"),
        "aprobado",
    )
    with pytest.raises(PermissionDenied) as error:
        contratos.contrato_verificar(contrato=contrato, usuario=usuario("requirente.sh"))
    assert (
        str(error.value) == "No puede revisar una solicitud de la dependencia a la que pertenece."
    )
    for quien in ("auditor", "revisor.redes"):
        with pytest.raises(PermissionDenied) as error:
            contratos.contrato_verificar(contrato=contrato, usuario=usuario(quien))
        assert str(error.value) == str(contratos.ERROR_VERIFICAR_SIN_PERMISO)
    verificar(contrato, "mesa")
    fila = observado(dictamen)
    # $21,000 for 2 pieces approved at $10,000: $10,500 a piece, within the tolerance.
    assert (fila.precio, fila.fuente, fila.verificado_por.username) == (
        Decimal("10500.0000"),
        "contratado",
        "mesa",
    )
    with pytest.raises(ValidationError) as error:
        contratos.contrato_verificar(contrato=contrato, usuario=usuario("mesa"))
    assert error.value.code == "ya_verificado"


def test_sin_documento_no_hay_que_verificar(dictamen):
    contrato = registrar(dictamen, "18000.00", motivo="")
    with pytest.raises(ValidationError) as error:
        contratos.contrato_verificar(contrato=contrato, usuario=usuario("mesa"))
    assert error.value.messages == [str(contratos.ERROR_VERIFICAR_SIN_DOCUMENTO)]
    assert observado(dictamen).fuente == "aprobado"


def test_en_la_pagina_la_mesa_verifica_y_el_estrategico_autoriza(dictamen, client):
    entrar(client, "requirente.sh")
    url = reverse("solicitudes:contrato", args=[dictamen.solicitud_id, dictamen.pk])
    datos = {
        "contrato-numero": "SH-2026-076",
        "contrato-proveedor": "Redes del Pacífico",
        "contrato-fecha": timezone.localdate().isoformat(),
        "contrato-monto": "26000.00",
        "contrato-motivo_exceso": MOTIVO,
        "contrato-archivo": documento(),
    }
    respuesta = client.post(url, datos, follow=True)
    assert respuesta.status_code == 200
    contrato = Contrato.objects.get()
    assert (contrato.autorizacion, contrato.anexo.tipo) == ("pendiente", "contrato")
    # The document came through the attachments' door: hashed and audited as any other.
    evento = EventoAuditoria.objects.get(tipo="anexo", datos__anexo=contrato.anexo_id)
    assert evento.datos["sha256"] == contrato.anexo.sha256
    html = respuesta.content.decode()
    assert "En espera de la revisión estratégica" in html
    client.logout()

    entrar(client, "estrategico")
    lista = client.get(reverse("planeacion:contratos")).content.decode()
    assert 'id="contratos-pendientes"' in lista and "SH-2026-076" in lista
    texto = " ".join(lista.split())
    assert (
        "$26,000.00; con él, el total contratado bajo el dictamen es $26,000.00 contra "
        "$20,000.00 aprobados" in texto
    )
    assert 'value="no_autorizar" class="boton boton--claro">No autorizar</button>' in texto
    autorizar = reverse("planeacion:contrato_autorizar", args=[contrato.pk])
    sin_motivo = client.post(autorizar, {"decision": "autorizar", "motivo": ""})
    assert sin_motivo.status_code == 400
    assert str(contratos.ERROR_AUTORIZAR_SIN_MOTIVO) in sin_motivo.content.decode()
    # A reason that says nothing is refused beside its field, and what was typed stays there
    # (issue 93, item 4).
    corto = client.post(autorizar, {"decision": "autorizar", "motivo": "Sí, ok."})
    assert corto.status_code == 400
    html = corto.content.decode()
    assert f'aria-describedby="error-{contrato.pk}">Sí, ok.</textarea>' in html
    # Beside that field, not only in the page's message.
    (error,) = lxml_html.fromstring(html).xpath(f"//span[@id='error-{contrato.pk}']")
    assert " ".join(error.text_content().split()) == str(ERROR_MOTIVO % PARAMETROS)
    assert (
        client.post(
            autorizar, {"decision": "autorizar", "motivo": "Procede: cumple los estándares."}
        ).status_code
        == 302
    )
    client.logout()

    entrar(client, "mesa")
    lista = client.get(reverse("planeacion:contratos")).content.decode()
    verificar = reverse("planeacion:contrato_verificar", args=[contrato.pk])
    # The list leads to the contract's page, where its document is in view (issue 93).
    assert f'<a href="{verificar}" class="boton">Verificar el contrato SH-2026-076' in lista
    assert "Coincide con su documento: verificar" in client.get(verificar).content.decode()
    client.get(reverse("planeacion:contrato_documento", args=[contrato.pk]))
    assert client.post(verificar).status_code == 302
    contrato.refresh_from_db()
    assert (contrato.autorizacion, contrato.verificado_por.username) == ("autorizada", "mesa")
    pagina = client.get(reverse("solicitudes:detalle", args=[dictamen.solicitud_id])).content
    assert "Verificado contra su documento por" in pagina.decode()


def test_lo_pagado_es_todo_lo_contratado_y_cuenta_cuando_todo_esta_verificado(dictamen):
    uno = registrar(dictamen, "8000.00", archivo=documento("uno.pdf"), motivo="")
    otro = registrar(dictamen, "8000.00", numero="SH-002", archivo=documento("otro.pdf"), motivo="")
    verificar(uno, "mesa")
    # Half of what was paid, read as the whole, would be $4,000 a piece: it stays approved.
    assert (observado(dictamen).precio, observado(dictamen).fuente) == (
        Decimal("10000.0000"),
        "aprobado",
    )
    # A strategic reviewer who did not decide the request (issue 93: «estrategico» did).
    persona("estrategica.dos", roles=[Rol.REVISOR_ESTRATEGICO], rfc="ESDX800101AB1")
    verificar(otro, "estrategica.dos")
    fila = observado(dictamen)
    # $16,000 for 2 pieces: $8,000 each; the last to check it, the strategic reviewer.
    assert (fila.precio, fila.fuente, fila.verificado_por.username) == (
        Decimal("8000.0000"),
        "contratado",
        "estrategica.dos",
    )


def test_mientras_escribe_el_monto_sabe_si_esperara(dictamen, client):
    entrar(client, "requirente.sh")
    url = reverse("solicitudes:contrato_revisar", args=[dictamen.solicitud_id, dictamen.pk])
    espera = "Pasa lo aprobado por más de la tolerancia (10 %): el contrato esperará"
    justo = client.post(url, {"contrato-monto": "22000.00"}).content.decode()
    assert "Pasa de lo aprobado." in justo and espera not in justo
    fuera = client.post(url, {"contrato-monto": "22000.01"}).content.decode()
    assert espera in " ".join(fuera.split())
