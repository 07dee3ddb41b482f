"""What emisión shows and does on the request's page (dictamenes.expediente.registro lists it):
the forms of the dictamen's actions (signing, cancelling, rectifying with the e.firma, and the
Dirección General's proposal of a rectification), and the proposal's effect."""

from django.utils.translation import gettext as _

from dictamenes.emision.forms.firma import (
    CancelacionForm,
    EfirmaForm,
    PropuestaRectificacionForm,
    RectificacionForm,
)
from dictamenes.emision.services import rectificacion


def en_la_pagina(acciones, formularios, *, decisiones) -> dict:
    """The forms of the dictamen's actions where the request's page offers them (emisión's
    section in expediente.registro): the e.firma to sign, cancel or rectify it (the proposal
    read), and the Dirección General's proposal of a rectification, filled with the content
    in force or the pending proposal. `formularios`: the bound ones of a refused POST."""
    formas = {}
    if "firma" in acciones:
        formas["firma_form"] = formularios.get("firma") or EfirmaForm()
    if "cancelar" in acciones:
        formas["cancelar"] = formularios.get("cancelar") or CancelacionForm(prefix="cancelar")
    if "rectificar" in acciones:
        formas["rectificar_form"] = formularios.get("rectificar") or RectificacionForm(
            prefix="rectificar", initial={"propuesta": acciones["rectificar"].pk}
        )
    if "proponer" in acciones:
        formas["proponer"] = formularios.get("proponer") or PropuestaRectificacionForm(
            prefix="proponer", initial=acciones["proponer"]
        )
    return formas


def rectificacion_proponer(*, dictamen, usuario, datos) -> str:
    """The Dirección General proposes a rectification's content (`datos`, the form's); a
    firmante signs it later. The message that says so."""
    rectificacion.rectificacion_proponer(dictamen=dictamen, usuario=usuario, **datos)
    return _("Rectificación del dictamen %(folio)s propuesta: queda para la firma.") % {
        "folio": dictamen.folio
    }
