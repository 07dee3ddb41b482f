"""Checking a contract against its document (issue 93, item 6), tried as the people who would
cut it short: the strategic reviewer who decided the request's prices may not check its
contract (the service, the verification page, the list, «Pendientes», and no API path), and
nobody checks a contract whose document the server never sent them: the verification page
shows the document itself, and the server records each time it sends it to a person who may
check it.

The request is decided by «estrategico» (its items' prices too) and signed; the agency records
a contract with its PDF. «estrategica.dos» is another strategic reviewer, who took no part."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dictamenes import exceptions
from dictamenes.models import Contrato, DecisionPartida, EventoAuditoria
from dictamenes.roles import Rol
from dictamenes.seguimiento.services import contratos
from tests.conftest import entrar
from tests.dictamenes.flujo_utils import en_firma, firmar, pdf_valido, persona, usuario
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db

ABIERTO = "contrato_documento_abierto"
dictamen_del_modulo = por_modulo(lambda: firmar(en_firma(areas=("redes",))))


@pytest.fixture
def contrato(demo, dictamen_del_modulo):
    dictamen = de_nuevo(dictamen_del_modulo)
    persona("estrategica.dos", roles=[Rol.REVISOR_ESTRATEGICO], rfc="ESDX800101AB1")
    return contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=usuario("requirente.sh"),
        numero="SH-093-006",
        proveedor="Redes del Pacífico, S.A. de C.V.",
        fecha=timezone.localdate(),
        monto=dictamen_aprobado(dictamen),
        archivo=SimpleUploadedFile("contrato.pdf", pdf_valido(), content_type="application/pdf"),
    )


def dictamen_aprobado(dictamen):
    """What the dictamen approved (the contract within it: no reason asked)."""
    from dictamenes.seguimiento.selectors.contratos import tope_del_dictamen

    return tope_del_dictamen(dictamen=dictamen).aprobado


def aperturas(contrato) -> list[tuple[str, int, str]]:
    """The recorded openings: who, of which contract, of which document."""
    return [
        (e.usuario.username, e.datos["contrato"], e.datos["documento"])
        for e in EventoAuditoria.objects.filter(tipo=ABIERTO).order_by("numero")
    ]


def sin_cambios(contrato) -> tuple:
    contrato.refresh_from_db()
    return (contrato.verificado_por_id, contrato.verificado_en, contrato.documento_abierto_en)


# --- Whoever decided the price does not check the contract ------------------------------------


def test_quien_decidio_el_precio_no_verifica_su_contrato_en_ninguna_puerta(contrato, client):
    solicitud = contrato.dictamen.solicitud
    # «estrategico» is who decided each item's price (the table's «decided it»).
    assert set(
        DecisionPartida.objects.filter(partida__solicitud=solicitud).values_list(
            "decidida_por__username", flat=True
        )
    ) == {"estrategico"}
    mensaje = str(exceptions.ERROR_CONTRATO_DECIDIDO)
    assert mensaje == (
        "Usted decidió esta solicitud, y con ella el precio de sus partidas: su contrato lo "
        "verifica contra su documento otra persona de la mesa de control o de la revisión "
        "estratégica."
    )
    # The service: refused with its reason, even with the document sent to them, which is not
    # recorded as an opening for the check (they may not make it).
    assert (
        contratos.contrato_documento_abierto(contrato=contrato, usuario=usuario("estrategico"))
        is False
    )
    with pytest.raises(PermissionDenied) as error:
        contratos.contrato_verificar(contrato=contrato, usuario=usuario("estrategico"))
    assert str(error.value) == mensaje
    assert sin_cambios(contrato) == (None, None, None)

    entrar(client, "estrategico")
    pagina_url = reverse("planeacion:contrato_verificar", args=[contrato.pk])
    documento_url = reverse("planeacion:contrato_documento", args=[contrato.pk])
    # The page: the document in view, the reason, and no button.
    html = client.get(pagina_url).content.decode()
    assert f'<p class="aviso" role="note" id="impedimento">{mensaje}</p>' in html
    assert f'<iframe src="{documento_url}"' in html
    assert "Coincide con su documento: verificar" not in html
    assert f'action="{pagina_url}"' not in html
    # Opening the document through the page's own address records nothing for them either.
    assert client.get(documento_url).status_code == 200
    assert aperturas(contrato) == []
    # The POST anyway: 403 with the reason, nothing changed.
    refusal = client.post(pagina_url)
    assert refusal.status_code == 403
    assert mensaje in refusal.content.decode()
    assert sin_cambios(contrato) == (None, None, None)
    # The list offers them no check of it, and their «Pendientes» does not ask for one.
    lista = client.get(reverse("planeacion:contratos")).content.decode()
    assert "Verificar el contrato SH-093-006" not in lista
    assert "Contrato SH-093-006: verifíquelo" not in client.get(reverse("inicio")).content.decode()
    client.logout()

    # Another strategic reviewer, who took no part: the list and «Pendientes» lead them to the
    # page; they open the document and check it.
    client.force_login(usuario("estrategica.dos"))  # a test person: no demo password
    assert f'<a href="{pagina_url}" class="boton">Verificar el contrato SH-093-006' in (
        client.get(reverse("planeacion:contratos")).content.decode()
    )
    inicio = client.get(reverse("inicio")).content.decode()
    assert f'href="{pagina_url}"' in inicio and "Contrato SH-093-006: verifíquelo" in inicio
    client.get(documento_url)
    assert client.post(pagina_url).status_code == 302
    contrato.refresh_from_db()
    assert contrato.verificado_por.username == "estrategica.dos"


def test_ninguna_operacion_de_la_api_escribe_un_contrato(contrato, client):
    """The API reads requests and dictámenes and writes none of them: no operation of its
    schema names a contract, and a write to the dictamen answers 405, nothing changed."""
    from tests.seguridad.recorrido import operaciones_del_esquema

    escrituras = [
        (metodo, ruta)
        for metodo, ruta in operaciones_del_esquema()
        if metodo in ("POST", "PUT", "PATCH", "DELETE")
    ]
    assert [o for o in escrituras if "contrat" in o[1] or "dictamen" in o[1]] == []
    entrar(client, "estrategico")
    url = f"/api/v1/dictamenes/{contrato.dictamen_id}/"
    for metodo in (client.post, client.put, client.patch):
        assert metodo(url, {"verificado": True}, content_type="application/json").status_code == 405
    assert sin_cambios(contrato) == (None, None, None)


# --- Nobody checks a document the server never sent them --------------------------------------


def test_verificar_pide_que_el_servidor_le_haya_enviado_el_documento(contrato, client):
    sha = contrato.anexo.sha256
    with pytest.raises(ValidationError) as error:
        contratos.contrato_verificar(contrato=contrato, usuario=usuario("mesa"))
    assert error.value.messages == [
        "Usted no ha abierto el documento del contrato: ábralo en la página de verificación y "
        "compárelo con los datos registrados antes de verificarlo. No se cambió nada."
    ]
    assert sin_cambios(contrato) == (None, None, None)

    entrar(client, "mesa")
    pagina_url = reverse("planeacion:contrato_verificar", args=[contrato.pk])
    documento_url = reverse("planeacion:contrato_documento", args=[contrato.pk])
    html = " ".join(client.get(pagina_url).content.decode().split())
    assert f'<iframe src="{documento_url}" class="documento-contrato"' in html
    assert f'href="{documento_url}" target="_blank"' in html
    assert (
        "El sistema registra que abrió el documento cuando se lo envía: al mostrarlo arriba o "
        "al abrirlo con el enlace." in html
    )
    # The POST before any opening: told beside the button, nothing changed.
    antes = client.post(pagina_url)
    assert antes.status_code == 400
    assert str(contratos.ERROR_VERIFICAR_SIN_ABRIR) in antes.content.decode()
    assert sin_cambios(contrato) == (None, None, None)

    # A HEAD sends no document: nothing recorded. The GET does.
    assert client.head(documento_url).status_code == 200
    assert aperturas(contrato) == []
    respuesta = client.get(documento_url)
    assert respuesta.status_code == 200
    assert b"".join(respuesta.streaming_content) == contrato.anexo.archivo.open("rb").read()
    # Shown inside this site's page only, by the browser's own PDF viewer.
    assert respuesta["Content-Type"] == "application/pdf"
    assert respuesta["Content-Disposition"] == 'inline; filename="contrato.pdf"'
    assert respuesta["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in respuesta["Content-Security-Policy"]
    assert aperturas(contrato) == [("mesa", contrato.pk, sha)]
    evento = EventoAuditoria.objects.get(tipo=ABIERTO)
    assert evento.solicitud_id == contrato.dictamen.solicitud_id
    abierto = timezone.localtime(evento.ocurrido_en)
    assert f"El sistema le envió este documento el {abierto:%d/%m/%Y %H:%M}." in " ".join(
        client.get(pagina_url).content.decode().split()
    )
    client.logout()

    # Whoever may see it but not check it opens it without a record: the auditor. The agency's
    # requester is not shown this page at all.
    entrar(client, "auditor")
    assert client.get(documento_url).status_code == 200
    client.logout()
    entrar(client, "requirente.sh")
    assert client.get(documento_url).status_code == 403
    assert client.get(pagina_url).status_code == 403
    client.logout()
    assert aperturas(contrato) == [("mesa", contrato.pk, sha)]

    entrar(client, "mesa")
    assert client.post(pagina_url).status_code == 302
    contrato.refresh_from_db()
    assert (contrato.verificado_por.username, contrato.documento_abierto_en) == (
        "mesa",
        evento.ocurrido_en,
    )
    verificado = EventoAuditoria.objects.get(tipo="contrato_verificado")
    assert verificado.datos["documento_abierto_en"] == evento.ocurrido_en.isoformat()
    assert verificado.descripcion.endswith(
        f"abierto por quien lo verificó el {abierto:%d/%m/%Y %H:%M}"
    )
    # Checked: the page says by whom and when the document was sent to them; another opening
    # records nothing more.
    html = " ".join(client.get(pagina_url).content.decode().split())
    assert f"El sistema le había enviado el documento el {abierto:%d/%m/%Y %H:%M}." in html
    client.get(documento_url)
    assert aperturas(contrato) == [("mesa", contrato.pk, sha)]
    assert Contrato.objects.get(pk=contrato.pk).verificado_por.username == "mesa"
