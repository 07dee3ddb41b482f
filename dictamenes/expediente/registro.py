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

Adding an action after the dictamen: its form, its effect, its offer, its `en_la_pagina` and its
fragment in the capability, and one `Accion` here (docs/desarrollo/codigo.md shows it)."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms

from dictamenes.emision import acciones as emision
from dictamenes.emision.forms.firma import PropuestaRectificacionForm
from dictamenes.seguimiento import acciones as seguimiento
from dictamenes.seguimiento.forms.contrato import ContratoForm
from dictamenes.seguimiento.forms.entrega import EntregaForm
from dictamenes.senales import acciones as senales
from dictamenes.senales.forms import SenalAtencionForm


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


SECCIONES: tuple[Callable[..., dict], ...] = (emision.en_la_pagina,)

ACCIONES: tuple[Accion, ...] = (
    Accion(
        "proponer_rectificacion",
        "<int:pk>/dictamenes/<int:dictamen_pk>/proponer/",
        PropuestaRectificacionForm,
        "proponer",
        emision.rectificacion_proponer,
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
    ),
)
