"""Cancelling and rectifying a dictamen keep the separation of duties that signing has, and a
rectification's content is the Dirección General's: it proposes, a firmante signs.

The finding: a reviewer who also held the signer role rectified the dictamen of a request
they had reviewed, with new reasons and conditions; signing refused that person, cancelling
and rectifying checked only the role and the e.firma."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dictamenes import exceptions
from dictamenes.emision.services import rectificacion
from dictamenes.models import Area, Consecutivo, Dictamen, EventoAuditoria
from dictamenes.roles import Rol
from tests.dictamenes.flujo_utils import (
    admitida,
    archivos_efirma,
    archivos_efirma_de,
    credencial,
    credencial_de,
    decidir,
    detalle,
    doble_rol,
    en_firma,
    firmar,
    proponer,
    revisar,
    usuario,
)

pytestmark = pytest.mark.django_db


def foto(solicitud) -> dict:
    """What cancelling or rectifying would change: the dictámenes, the folios, the chain."""
    return {
        "dictamenes": list(
            Dictamen.objects.filter(solicitud=solicitud).values_list("pk", "cancelado_en")
        ),
        "folios": list(Consecutivo.objects.filter(serie="dictamen").values_list("ultimo")),
        "eventos": EventoAuditoria.objects.count(),
        "resultado": type(solicitud).objects.get(pk=solicitud.pk).resultado,
    }


@pytest.fixture
def revisor_y_firmante(demo):
    """A reviewer of cómputo who also holds the signer role, with an e.firma of their own."""
    return doble_rol(
        Rol.REVISOR_TECNICO,
        Rol.FIRMANTE,
        areas=[Area.objects.get(clave="computo")],
        cargo="Directora de Infraestructura",
    )


@pytest.fixture
def dictaminada_por_otros(revisor_y_firmante):
    """Reviewed by `revisor_y_firmante`, decided by the estratégico, signed by the firmante;
    the Dirección General then proposed a rectification."""
    solicitud = admitida(areas=("computo",))
    revisar(solicitud, "computo", revisor=revisor_y_firmante)
    solicitud.refresh_from_db()
    decidir(solicitud)
    dictamen = firmar(solicitud)
    proponer(dictamen, motivo="La vigencia citada es otra.", motivos="Procede, con otra cita.")
    return dictamen


def test_quien_reviso_no_rectifica_ni_cancela_el_dictamen(
    dictaminada_por_otros, revisor_y_firmante
):
    dictamen = dictaminada_por_otros
    solicitud = dictamen.solicitud
    antes = foto(solicitud)
    suya = credencial_de(revisor_y_firmante)
    mensaje = re.escape(str(exceptions.ERROR_DICTAMEN_REVISOR))
    with pytest.raises(PermissionDenied, match=mensaje):
        rectificacion.dictamen_rectificar(
            dictamen=dictamen, usuario=revisor_y_firmante, credencial=suya
        )
    with pytest.raises(PermissionDenied, match=mensaje):
        rectificacion.dictamen_cancelar(
            dictamen=dictamen,
            usuario=revisor_y_firmante,
            credencial=suya,
            motivo="Error en las condiciones.",
        )
    assert foto(solicitud) == antes  # nothing cancelled, no folio used, nothing in the chain


def test_quien_reviso_no_rectifica_ni_cancela_desde_la_pagina(
    dictaminada_por_otros, revisor_y_firmante, client
):
    dictamen = dictaminada_por_otros
    solicitud = dictamen.solicitud
    client.force_login(revisor_y_firmante)
    html = client.get(detalle(solicitud)).content.decode()
    assert "Cancelar el dictamen" not in html
    assert "Firmar la rectificación con mi e.firma" not in html
    antes = foto(solicitud)
    propuesta = solicitud.eventos.get(tipo="propuesta_rectificacion")
    # What the old form sent (new reasons and conditions) and what the new one sends.
    rectificar = {
        "motivo": "Error en las condiciones.",
        "motivos": "Otros motivos.",
        "condiciones": "Otras.",
    } | {"propuesta": propuesta.pk}
    for accion, datos in (
        ("rectificar", rectificar),
        ("cancelar", {"motivo": "Se emitió con otro folio."}),
    ):
        respuesta = client.post(
            reverse(f"solicitudes:{accion}", args=[solicitud.pk, dictamen.pk]),
            {
                f"{accion}-{k}": v
                for k, v in (archivos_efirma_de(revisor_y_firmante) | datos).items()
            },
        )
        assert respuesta.status_code == 403
        assert str(exceptions.ERROR_DICTAMEN_REVISOR) in respuesta.content.decode()
    assert foto(solicitud) == antes


def test_la_direccion_propone_y_otro_firmante_firma_lo_propuesto(demo, client):
    solicitud = en_firma(areas=("computo",))
    original = firmar(solicitud)
    evento = proponer(
        original,
        motivo="Faltó la condición de consolidar.",
        resultado="condicionado",
        motivos="Procede si se consolida.",
        condiciones="Consolidar con la Secretaría de Salud.",
    )
    assert evento.usuario == usuario("estrategico")
    assert Dictamen.objects.count() == 1  # proposing signs nothing

    nuevo = rectificacion.dictamen_rectificar(
        dictamen=original, usuario=usuario("firmante"), credencial=credencial(), propuesta=evento.pk
    )
    assert (nuevo.resultado, nuevo.motivos, nuevo.condiciones) == (
        "condicionado",
        "Procede si se consolida.",
        "Consolidar con la Secretaría de Salud.",
    )
    assert nuevo.firmado_por == usuario("firmante") and nuevo.sustituye == original
    # Its condition is tracked as an obligation of the new dictamen (issue 21, item 2).
    assert [c.texto for c in nuevo.obligaciones.all()] == ["Consolidar con la Secretaría de Salud."]
    original.refresh_from_db()
    assert original.motivo_cancelacion == "Rectificación: Faltó la condición de consolidar."
    solicitud.refresh_from_db()
    assert solicitud.resultado == "condicionado"
    registro = solicitud.eventos.get(tipo="rectificacion")
    assert registro.datos["propuesta"] == evento.pk
    assert registro.datos["propuesta_por"] == usuario("estrategico").pk
    # The proposal is spent: the new dictamen has none pending.
    client.force_login(usuario("firmante"))
    html = client.get(detalle(solicitud)).content.decode()
    assert f"Para corregir el dictamen {nuevo.folio} en vez de cancelarlo" in html


def test_el_firmante_no_cambia_el_contenido(demo, client):
    solicitud = en_firma(areas=("computo",))
    original = firmar(solicitud)
    evento = proponer(original, motivos="Lo que decidió la Dirección General.")
    client.force_login(usuario("firmante"))
    html = client.get(detalle(solicitud)).content.decode()
    formulario = html[html.index('id="propuesta-rectificacion"') :]
    formulario = formulario[: formulario.index("</form>")]
    assert "Lo que decidió la Dirección General." in formulario
    assert "<textarea" not in formulario and "rectificar-motivos" not in formulario
    datos = archivos_efirma() | {
        "propuesta": evento.pk,
        "motivos": "Lo que quiere el firmante.",
        "condiciones": "Una condición del firmante.",
        "resultado": "no_favorable",
    }
    respuesta = client.post(
        reverse("solicitudes:rectificar", args=[solicitud.pk, original.pk]),
        {f"rectificar-{k}": v for k, v in datos.items()},
    )
    assert respuesta.status_code == 302
    nuevo = solicitud.dictamenes.get(sustituye=original)
    assert nuevo.motivos == "Lo que decidió la Dirección General."
    assert nuevo.condiciones == original.condiciones and nuevo.resultado == original.resultado


def test_sin_propuesta_no_se_rectifica(demo, client):
    solicitud = en_firma(areas=("computo",))
    original = firmar(solicitud)
    antes = foto(solicitud)
    client.force_login(usuario("firmante"))
    html = client.get(detalle(solicitud)).content.decode()
    assert "Firmar la rectificación" not in html
    assert (
        f"Para corregir el dictamen {original.folio} en vez de cancelarlo, la Dirección General "
        "propone"
    ) in html
    respuesta = client.post(
        reverse("solicitudes:rectificar", args=[solicitud.pk, original.pk]),
        {f"rectificar-{k}": v for k, v in (archivos_efirma() | {"propuesta": 1}).items()},
    )
    assert respuesta.status_code == 400
    assert str(exceptions.ERROR_SIN_PROPUESTA) % {"folio": original.folio} in (
        respuesta.content.decode()
    )
    assert foto(solicitud) == antes


def test_solo_la_direccion_propone_y_no_quien_reviso(demo):
    solicitud = admitida(areas=("redes",))
    doble = doble_rol(
        Rol.REVISOR_TECNICO, Rol.REVISOR_ESTRATEGICO, areas=[Area.objects.get(clave="redes")]
    )
    revisar(solicitud, "redes", revisor=doble)
    solicitud.refresh_from_db()
    dictamen = firmar(decidir(solicitud))
    for persona, error in (
        ("firmante", exceptions.ERROR_NO_PROPONE),
        ("mesa", exceptions.ERROR_NO_PROPONE),
        ("requirente.sh", exceptions.ERROR_NO_PROPONE),
    ):
        with pytest.raises(PermissionDenied, match=re.escape(str(error))):
            proponer(dictamen, estrategico=persona)
    with pytest.raises(PermissionDenied, match=re.escape(str(exceptions.ERROR_PROPONE_REVISOR))):
        proponer(dictamen, estrategico=doble.username)
    with pytest.raises(ValidationError, match="Escriba por qué se rectifica"):
        proponer(dictamen, motivo=" ")
    with pytest.raises(ValidationError, match=re.escape(str(exceptions.ERROR_CONDICIONES))):
        proponer(dictamen, resultado="condicionado", condiciones="")
    assert not solicitud.eventos.filter(tipo="propuesta_rectificacion").exists()


def test_quien_propone_no_firma_su_propuesta(demo):
    solicitud = en_firma(areas=("computo",))
    dictamen = firmar(solicitud)
    doble = doble_rol(Rol.REVISOR_ESTRATEGICO, Rol.FIRMANTE)
    evento = proponer(dictamen, estrategico=doble.username)
    with pytest.raises(PermissionDenied, match=re.escape(str(exceptions.ERROR_DICTAMEN_REVISOR))):
        rectificacion.dictamen_rectificar(
            dictamen=dictamen, usuario=doble, credencial=credencial_de(doble), propuesta=evento.pk
        )
    # Another firmante signs it.
    nuevo = rectificacion.dictamen_rectificar(
        dictamen=dictamen, usuario=usuario("firmante"), credencial=credencial(), propuesta=evento.pk
    )
    assert nuevo.sustituye == dictamen


def test_si_la_propuesta_cambia_mientras_se_firma_no_se_firma(demo):
    solicitud = en_firma(areas=("computo",))
    dictamen = firmar(solicitud)
    leida = proponer(dictamen, motivos="Primera versión.")
    proponer(dictamen, motivos="Segunda versión.")
    antes = foto(solicitud)
    with pytest.raises(exceptions.Conflicto):
        rectificacion.dictamen_rectificar(
            dictamen=dictamen,
            usuario=usuario("firmante"),
            credencial=credencial(),
            propuesta=leida.pk,
        )
    assert foto(solicitud) == antes
