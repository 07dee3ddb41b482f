"""What senales shows and does on the request's page (dictamenes.expediente.registro lists
it): the request's signs, for the Subsecretaría's staff and the auditors, each with its
sentence, its rule with the thresholds it was computed with, its evidence, its source and
what was done about it; and, for whoever decides at the request's current step, a form per
sign in force to record what they did (its effect, senales.services.senal_atender)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from dictamenes.models import Senal
from dictamenes.organizacion.selectors import usuarios
from dictamenes.senales import selectors, services
from dictamenes.senales.forms import SenalAtencionForm


def ofrecer_senales(*, usuario, solicitud, dictamen, es_requirente) -> dict | None:
    """The request's signs, for the Subsecretaría's staff and the auditors (one query, and one
    more for the suppliers when there is a sign), and whether this person records what was
    done about them: whoever holds the role that decides at the request's step
    (services.puede_atender, the door's own rule). None for the agency's staff, who do not
    read them."""
    if es_requirente or not usuarios.es_interno(usuario=usuario):
        return None
    return {
        "senales": selectors.senales_de(solicitud),
        "atiende": services.puede_atender(usuario=usuario, solicitud=solicitud),
    }


def _formulario(senal, enviado):
    """The sign's form: the one sent and refused for this sign, or a fresh one; each sign's
    fields with their own ids (the forms share the prefix their POST is bound with)."""
    if enviado is not None and getattr(enviado, "objeto", None) == senal:
        form = enviado
    else:
        form = SenalAtencionForm(prefix="senal")
    form.auto_id = f"senal{senal.pk}-%s"
    return form


def en_la_pagina(acciones, formularios, *, decisiones) -> dict:
    """The signs' entries for the page (its «Señales» section): each sign with its rule,
    evidence and source, and its form when the person decides at the current step and the
    sign still holds."""
    ofrecidas = acciones.get("senal")
    if ofrecidas is None:
        return {}
    enviado = formularios.get("senal")
    return {
        "senal": [
            {
                "senal": senal,
                "regla": selectors.regla_de(senal),
                "evidencia": selectors.evidencia_de(senal),
                "fuente": selectors.fuente_de(senal),
                "form": _formulario(senal, enviado)
                if ofrecidas["atiende"] and senal.vigente
                else None,
            }
            for senal in ofrecidas["senales"]
        ]
    }


def senal_de(solicitud, pk) -> Senal:
    """The sign the POST names, of this request (404 otherwise)."""
    return get_object_or_404(Senal, pk=pk, solicitud=solicitud)


def senal_atender(*, senal, usuario, datos) -> str:
    """Record what the person did about the sign; the message that says it was."""
    services.senal_atender(
        senal=senal, usuario=usuario, atencion=datos["atencion"], nota=datos["atencion_nota"]
    )
    return _("Quedó registrado qué se hizo con la señal «%(senal)s».") % {
        "senal": senal.get_codigo_display()
    }
