"""What seguimiento shows and does on the request's page (dictamenes.expediente.registro lists
it): the contract form under the dictamen in force, and its effect, registering the contract;
the delivery form under a contract that counts (issue 80), and its effect, recording it."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from dictamenes.models import Contrato, Resultado
from dictamenes.models.contratos import TopeDeContratos
from dictamenes.seguimiento.forms.contrato import ContratoForm
from dictamenes.seguimiento.forms.entrega import EntregaForm, contratos_que_cuentan
from dictamenes.seguimiento.services import contratos, entregas
from dictamenes.tramite.selectors.decisiones import tope_de_contratos
from dictamenes.tramite.selectors.vias import vias_vigentes


def ofrecer_contrato(*, usuario, solicitud, dictamen, es_requirente):
    """The contract is the requester's to record, under a dictamen in force that is not "no
    favorable" (that one authorises no contract): that dictamen, or None."""
    if es_requirente and dictamen is not None and dictamen.resultado != Resultado.NO_FAVORABLE:
        return dictamen
    return None


def en_la_pagina(acciones, formularios, *, decisiones) -> dict:
    """The contract form under the dictamen in force (issue 61), where the request's page
    offers it (its section in expediente.registro): what the dictamen approved (`decisiones`) and
    what is already contracted under it (its contracts, read with the page), what the amount
    typed would make, and whether a contract is due (none yet, the dictamen valid): then the
    form is open."""
    if "contrato" not in acciones:
        return {}
    dictamen = acciones["contrato"]
    form = formularios.get("contrato") or ContratoForm(prefix="contrato")
    registrados = dictamen.contratos.all()
    escrito = form.cleaned_data.get("monto") if hasattr(form, "cleaned_data") else None
    tope = TopeDeContratos(
        aprobado=tope_de_contratos(decisiones, solicitud=dictamen.solicitud),
        # As tope_del_dictamen: a refused contract was never made.
        contratado=sum(
            (c.monto for c in registrados if c.autorizacion != Contrato.Autorizacion.RECHAZADA),
            Decimal(0),
        ),
        # Read only when an amount was typed: the page's first look reads no configuration.
        tolerancia_pct=vias_vigentes().contrato_tolerancia_pct if escrito else None,
    )
    return {
        "contrato_form": form,
        "contrato_tope": tope,
        "contrato_propuesta": tope.con(escrito),
        "contrato_debido": not registrados and dictamen.vigencia_hasta >= timezone.localdate(),
    }


def contrato_registrar(*, dictamen, usuario, datos) -> str:
    """Register the contract typed in the form (`datos`); the message that says it was."""
    contratos.contrato_registrar(dictamen=dictamen, usuario=usuario, **datos)
    return _("Contrato %(numero)s registrado bajo el dictamen %(folio)s.") % {
        "numero": datos["numero"],
        "folio": dictamen.folio,
    }


def ofrecer_entrega(*, usuario, solicitud, dictamen, es_requirente):
    """The delivery is the requester's to record, under a contract that counts (Contrato.cuenta)
    of the dictamen in force: that dictamen, or None."""
    if (
        es_requirente
        and dictamen is not None
        and dictamen.resultado != Resultado.NO_FAVORABLE
        and contratos_que_cuentan(dictamen)
    ):
        return dictamen
    return None


def en_la_pagina_entrega(acciones, formularios, *, decisiones) -> dict:
    """The delivery form (issue 80, item 5) where the page offers it: the contracts that count
    under the dictamen in force (read with the page) and one quantity per item it approved
    (`decisiones`, already read)."""
    if "entrega" not in acciones:
        return {}
    dictamen = acciones["entrega"]
    form = formularios.get("entrega") or EntregaForm(
        prefix="entrega",
        dictamen=dictamen,
        contratos=contratos_que_cuentan(dictamen),
        aprobadas=entregas.aprobadas(decisiones),
    )
    return {"entrega_form": form}


def entrega_registrar(*, dictamen, usuario, datos) -> str:
    """Record the delivery typed in the form (`datos`, its cleaned data); the message that says
    it was."""
    contrato = Contrato.objects.get(pk=datos["contrato"], dictamen=dictamen)
    entregas.entrega_registrar(
        contrato=contrato,
        usuario=usuario,
        fecha=datos["fecha"],
        archivo=datos["archivo"],
        monto_pagado=datos["monto_pagado"],
        cantidades={
            campo.removeprefix("cantidad_"): valor
            for campo, valor in datos.items()
            if campo.startswith("cantidad_")
        },
    )
    return _("Entrega del contrato %(numero)s registrada.") % {"numero": contrato.numero}
