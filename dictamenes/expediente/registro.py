"""What other capabilities put on the request's page, declared in one place (in the manner of
pretix's `order_info` signal, but read by imports the contracts can see): each capability
offers its part, and this module lists it. The page is above every capability, so it imports
them; none of them imports the page.

- `ACCIONES`: the actions on something of the request (its dictamen, unless told) that are a
  form and an effect: the capability's form (bound under `prefijo`, which is also the key the
  selector offers it by, acciones.solicitud_acciones) and its effect,
  `efecto(*, <clave>, usuario, datos) -> str` (a service call; the message that says it was
  done). Each is routed at `ruta` under /solicitudes/ with the URL name `nombre`
  (expediente.urls), to one view that binds, checks and runs it (views.dictamen.registrada).
  The route names what it acts on as `<int:<clave>_pk>`: the request's dictamen by default
  (`clave` "dictamen"), or what `objeto(solicitud, pk)` finds of the request (a sign, issue
  80). Done, the page opens at `ancla`. `en_la_pagina` makes its entries for the page, and
  `plantilla` is the fragment the page includes under its dictamen when they are not empty.
- `SECCIONES`: the other functions that make a capability's forms for the page (emisión's
  e.firma forms, whose POSTs are views.dictamen's own).

`ofrecer(*, usuario, solicitud, dictamen, es_requirente)`, when an action has it, says whether
the page offers it to this person: what its entries start from (the page keeps it under
`prefijo` in the actions, beside the ones tramite's selector offers), or None. So who may do
it, and in which state, is the capability's too; the service still refuses whoever it does not
allow (the API and the commands reach it without the page).

Each `en_la_pagina` gets the actions the selector offers (`acciones`, read only), the bound
forms of a refused POST by their key (`formularios`) and what the dictamen in force approved
(`decisiones`); it answers the page's entries for its actions (their forms, and what they show
beside them).

The POST of an action runs its effect only when the page offers it to this person
(`ofrecida`, issue 92, item 1): its offer (`ofrecer`, or what tramite's selector keeps under its
`prefijo` for an action without one) is there and covers what the POST names (`cubre`; by
default, the dictamen in force, under which its form sits). Otherwise the view refuses it with
the reason the capability's rule gives (`por_que_no`), or says the page does not offer it.

Adding an action after the dictamen: its form, its effect, its offer, its `en_la_pagina` and its
fragment in the capability, and one `Accion` here (docs/desarrollo/codigo.md shows it)."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from dictamenes.emision import acciones as emision
from dictamenes.emision.forms.firma import PropuestaRectificacionForm
from dictamenes.seguimiento import acciones as seguimiento
from dictamenes.seguimiento.forms.contrato import ContratoForm
from dictamenes.seguimiento.forms.entrega import EntregaForm
from dictamenes.senales import acciones as senales
from dictamenes.senales import services as senales_servicios
from dictamenes.senales.forms import SenalAtencionForm
from dictamenes.tramite.selectors import access
from dictamenes.tramite.selectors import acciones as tramite


@dataclass(frozen=True)
class Accion:
    nombre: str
    ruta: str
    formulario: type[forms.Form]
    prefijo: str
    efecto: Callable[..., str]
    en_la_pagina: Callable[..., dict] | None = None
    plantilla: str = ""
    ofrecer: Callable[..., object] | None = None
    # The form is built for the dictamen (`formulario(..., dictamen=dictamen)`): its fields
    # depend on it (the delivery's contracts and approved items).
    con_dictamen: bool = False
    clave: str = "dictamen"
    objeto: Callable[..., object] | None = None
    ancla: str = ""
    # Whether the offer covers the object the POST names, `cubre(oferta, objeto, vigente)`;
    # None: the object is the dictamen in force (`vigente`).
    cubre: Callable[..., bool] | None = None
    # The capability's reason for refusing the person, `por_que_no(*, usuario, solicitud)`
    # (None when its rule gives none): what an action the page does not offer is refused with.
    por_que_no: Callable[..., object] | None = None


def _proponer(*, usuario, solicitud):
    return access.impedimento(usuario=usuario, solicitud=solicitud, accion=access.PROPONER)


def _de_su_ente(*, usuario, solicitud):
    try:
        access.exigir_requirente(usuario=usuario, solicitud=solicitud)
    except PermissionDenied as exc:
        return str(exc)
    return None


def _atiende(oferta, objeto, vigente) -> bool:
    # Whether the sign still holds is the door's to say (senal_atender: «ya no se cumple»).
    return bool(oferta["atiende"])


SECCIONES: tuple[Callable[..., dict], ...] = (emision.en_la_pagina,)

ACCIONES: tuple[Accion, ...] = (
    Accion(
        "proponer_rectificacion",
        "<int:pk>/dictamenes/<int:dictamen_pk>/proponer/",
        PropuestaRectificacionForm,
        "proponer",
        emision.rectificacion_proponer,
        por_que_no=_proponer,
    ),
    Accion(
        "contrato",
        "<int:pk>/dictamenes/<int:dictamen_pk>/contratos/",
        ContratoForm,
        "contrato",
        seguimiento.contrato_registrar,
        seguimiento.en_la_pagina,
        "solicitudes/_contrato.html",
        seguimiento.ofrecer_contrato,
        por_que_no=_de_su_ente,
    ),
    Accion(
        "entrega",
        "<int:pk>/dictamenes/<int:dictamen_pk>/entregas/",
        EntregaForm,
        "entrega",
        seguimiento.entrega_registrar,
        seguimiento.en_la_pagina_entrega,
        "solicitudes/_entrega.html",
        seguimiento.ofrecer_entrega,
        con_dictamen=True,
        por_que_no=_de_su_ente,
    ),
    # What whoever decides at the request's step did about one of its signs (issue 80); the
    # signs' section of the page is detalle.html's own («Señales»).
    Accion(
        "senal_atender",
        "<int:pk>/senales/<int:senal_pk>/atender/",
        SenalAtencionForm,
        "senal",
        senales.senal_atender,
        senales.en_la_pagina,
        ofrecer=senales.ofrecer_senales,
        clave="senal",
        objeto=senales.senal_de,
        ancla="#senales",
        cubre=_atiende,
        por_que_no=senales_servicios.impedimento_atender,
    ),
)


ERROR_NO_OFRECIDA = _(
    "La página de esta solicitud no le ofrece esta acción: no se hizo ningún cambio."
)


def ofrecida(accion: Accion, *, usuario, solicitud, objeto) -> bool:
    """Whether the request's page offers `accion` on `objeto` to the person: what the page
    itself asks (tramite's selector, then the action's `ofrecer`)."""
    puede = tramite.solicitud_acciones(usuario=usuario, solicitud=solicitud)
    if accion.ofrecer is None:
        oferta = puede["acciones"].get(accion.prefijo)
    else:
        oferta = accion.ofrecer(
            usuario=usuario,
            solicitud=solicitud,
            dictamen=puede["dictamen"],
            es_requirente=puede["es_requirente"],
        )
    if oferta is None or oferta is False:
        return False
    if accion.cubre is not None:
        return accion.cubre(oferta, objeto, puede["dictamen"])
    return objeto is not None and objeto == puede["dictamen"]


def no_ofrecida(accion: Accion, *, usuario, solicitud) -> PermissionDenied:
    """The refusal of an action the page does not offer: the capability's reason, if its rule
    gives one, or that the page does not offer it."""
    motivo = accion.por_que_no and accion.por_que_no(usuario=usuario, solicitud=solicitud)
    return PermissionDenied(motivo or ERROR_NO_OFRECIDA)
