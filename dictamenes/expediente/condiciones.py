"""The conditions of a condicionado dictamen as two actions of the request's page, declared in
expediente.registro like the contract and the delivery: the agency uploads evidence, the area
that proposed the condition verifies or rejects it (seguimiento's services, each audited in
its transaction and re-checked under the condition's lock). Their rows and forms are the
conditions' fragment (templates/solicitudes/_condiciones.html, from
seguimiento.selectors.condiciones.condiciones_de), which offers each form by the same
predicates the offers here ask: `impedimento_para_subir`, `impedimento_para_verificar`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from dictamenes.models import Condicion
from dictamenes.seguimiento.selectors.condiciones import (
    impedimento_para_subir,
    impedimento_para_verificar,
)
from dictamenes.seguimiento.services import condiciones


def condicion_de(solicitud, pk) -> Condicion:
    """The condition the POST names, of a dictamen of this request (404 otherwise)."""
    condicion = get_object_or_404(
        Condicion.objects.select_related("dictamen", "area"),
        pk=pk,
        dictamen__solicitud=solicitud,
    )
    condicion.dictamen.solicitud = solicitud
    return condicion


def ofrecer_evidencia(*, usuario, solicitud, dictamen, es_requirente):
    """Whether the page offers the person the upload of a condition's evidence: the
    fragment's `puede_subir`, asked of the condition the POST names."""
    return lambda condicion: impedimento_para_subir(usuario=usuario, condicion=condicion) is None


def ofrecer_verificacion(*, usuario, solicitud, dictamen, es_requirente):
    """Whether the page offers the person the verification of a condition's evidence: the
    fragment's `puede_verificar` (separation of duties first, access.impedimento)."""
    return lambda condicion: (
        impedimento_para_verificar(usuario=usuario, condicion=condicion) is None
    )


def cubre(oferta, condicion, vigente) -> bool:
    return oferta(condicion)


def _refutacion(exigir, usuario, condicion):
    """The capability's refusal: the wrong person (403) or the wrong state (400), in its
    words, before the form's own errors (nobody is told to attach a file they may not
    upload)."""
    try:
        exigir(condicion=condicion, usuario=usuario)
    except (PermissionDenied, ValidationError) as exc:
        return exc
    return None


def por_que_no_subir(*, usuario, solicitud, objeto):
    return _refutacion(condiciones.exigir_puede_subir, usuario, objeto)


def por_que_no_verificar(*, usuario, solicitud, objeto):
    return _refutacion(condiciones.exigir_puede_verificar, usuario, objeto)


def evidencia_subir(*, condicion, usuario, datos) -> str:
    """The agency's evidence (`datos`: the file and its note); the message that says so."""
    condiciones.condicion_evidencia_subir(condicion=condicion, usuario=usuario, **datos)
    return _("Evidencia de la condición %(n)s presentada; el área la verificará.") % {
        "n": condicion.numero
    }


def verificar(*, condicion, usuario, datos) -> str:
    """The area verifies the evidence, or rejects it with its reason; the message that says
    which."""
    if datos["accion"] == "verificar":
        condiciones.condicion_verificar(condicion=condicion, usuario=usuario)
        exito = _("Condición %(n)s verificada como cumplida.")
    else:
        condiciones.condicion_rechazar(condicion=condicion, usuario=usuario, motivo=datos["motivo"])
        exito = _("Evidencia de la condición %(n)s rechazada; el ente fue avisado.")
    return exito % {"n": condicion.numero}
