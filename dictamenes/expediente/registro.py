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
default, the dictamen in force, under which its form sits). Otherwise the view refuses it,
before reading the form, with the reason the capability's rule gives (`por_que_no`), or says
the page does not offer it.

Every route of the page (expediente.urls) is either one of `ACCIONES` or in `SIN_REGISTRO`
with the reason the registry's shape does not fit it (issue 92, item 2): the URL conf refuses
to start with a route that is neither.

Adding an action after the dictamen: its form, its effect, its offer, its `en_la_pagina` and its
fragment in the capability, and one `Accion` here (docs/desarrollo/codigo.md shows it)."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from dictamenes.emision import acciones as emision
from dictamenes.emision.forms.firma import PropuestaRectificacionForm
from dictamenes.expediente import condiciones
from dictamenes.seguimiento import acciones as seguimiento
from dictamenes.seguimiento.forms.condiciones import EvidenciaForm, VerificacionForm
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
    # The capability's reason for refusing the person, `por_que_no(*, usuario, solicitud,
    # objeto)` (None when its rule gives none): what an action the page does not offer is
    # refused with. A text is a 403; an exception is raised as the capability built it (a
    # condition's state is a 400, seguimiento.services.condiciones).
    por_que_no: Callable[..., object] | None = None
    # The page draws this form's fields by hand, without its errors beside them (the
    # conditions' fragment): a form refused is refused with its errors as the message.
    errores_en_el_mensaje: bool = False


def _proponer(*, usuario, solicitud, objeto):
    return access.impedimento(usuario=usuario, solicitud=solicitud, accion=access.PROPONER)


def _de_su_ente(*, usuario, solicitud, objeto):
    try:
        access.exigir_requirente(usuario=usuario, solicitud=solicitud)
    except PermissionDenied as exc:
        return str(exc)
    return None


def _no_atiende(*, usuario, solicitud, objeto):
    return senales_servicios.impedimento_atender(usuario=usuario, solicitud=solicitud)


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
        por_que_no=_no_atiende,
    ),
    # The conditions of a condicionado dictamen (issue 21): the agency's evidence, the area's
    # verification. Their rows are the conditions' fragment (_condiciones.html, read by its
    # template tag), so the page asks their offers only of the POST.
    Accion(
        "condicion_evidencia",
        "<int:pk>/condiciones/<int:condicion_pk>/evidencia/",
        EvidenciaForm,
        "condicion",
        condiciones.evidencia_subir,
        ofrecer=condiciones.ofrecer_evidencia,
        clave="condicion",
        objeto=condiciones.condicion_de,
        cubre=condiciones.cubre,
        por_que_no=condiciones.por_que_no_subir,
        errores_en_el_mensaje=True,
    ),
    Accion(
        "condicion_verificar",
        "<int:pk>/condiciones/<int:condicion_pk>/verificar/",
        VerificacionForm,
        "verificar",
        condiciones.verificar,
        ofrecer=condiciones.ofrecer_verificacion,
        clave="condicion",
        objeto=condiciones.condicion_de,
        cubre=condiciones.cubre,
        por_que_no=condiciones.por_que_no_verificar,
        errores_en_el_mensaje=True,
    ),
)


# The page's routes that are not `ACCIONES`, by URL name, each with why the registry's shape
# (a POST that binds a form under its prefix, asks the offer of the object its route names
# as `<clave>_pk`, runs `efecto` and goes back to the page) does not fit it. expediente.urls
# refuses to start with a route that is in neither (tests/dictamenes/expediente: walks them).
_EFIRMA = (
    "signed with the e.firma (emisión's services): its password and files never reach error "
    "reports (sensitive_post_parameters), are never kept, and a refusal is answered to "
    "static/js/efirma.js as JSON, which keeps the chosen files; the registry's view only "
    "renders the page again"
)
_PASO = (
    "an action of tramite's procedure on the request itself, offered by tramite's selector "
    "(acciones.solicitud_acciones) and refused by tramite's service: the route names no "
    "object of the request (`<clave>_pk`) for an offer to cover"
)
SIN_REGISTRO: dict[str, str] = {
    "detalle": "the page itself: a GET, which every action comes back to",
    "expediente": "a download (GET): the whole expediente as a ZIP, for the Subsecretaría "
    "and the auditors (404 to anyone else)",
    "historial_pdf": "a download (GET): the request's history as a PDF on the letterhead, "
    "for the Subsecretaría and the auditors (404 to anyone else)",
    "partida_eliminar": "an edit of the draft's items, no form: refused by the draft's "
    "editing rule (tramite.views.editable.fuera_de_su_paso, a redirect to the agency's step) "
    "that the items' own pages share, not by an offer of the page",
    "anexo_subir": "the draft's attachments box: "
    + _PASO
    + "; its form is bound without a prefix (the template names its fields `tipo`, "
    "`archivo`)",
    "presentar": _PASO + "; no form, and a refusal carries what is missing (`faltantes`) "
    "for the page to show without asking the service again",
    "admision": _PASO + "; its form is bound without a prefix (`decision`, `faltantes`)",
    "via_completa": _PASO + " (the mesa moves it to the full track, issue 36)",
    "subsanar": _PASO + "; reads its `texto` without a prefix",
    "revision_area": _PASO + "; routed by the area's key (a slug, not a pk), one form per "
    "area with that key as its prefix",
    "pedir_informacion": _PASO + "; routed by the area's key, whose form may ask as another "
    "area the person reviews (issue 61)",
    "responder": "the agency answers a question of an area: answers 404, not 403, to "
    "anyone but the requester, so that questions are not probed one by one; reads `texto` "
    "without a prefix",
    "estrategica": _PASO + "; a two-step form: «Reducir a la referencia» renders the page "
    "again with an item's fields set and saves nothing, «Registrar» decides (issue 62)",
    "firma": _EFIRMA + "; the dictamen it signs is the request's one in firma, not named by "
    "the route",
    "cancelar": _EFIRMA,
    "rectificar": _EFIRMA,
    "desistir": _PASO + " (the agency closes it early)",
    "cancelar_solicitud": _PASO + " (the Dirección General closes it early)",
    "tomar": "takes a viewflow task of the request (not an object the page offers a form "
    "for): its door is viewflow's assignment, and a task of another process is a 404",
    "reasignar": "reassigns a viewflow task: a task of another role answers 404 like one "
    "that does not exist, and it reads the new person and the reason without a form",
}


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


def no_ofrecida(accion: Accion, *, usuario, solicitud, objeto) -> Exception:
    """The refusal of an action the page does not offer: the capability's reason, if its rule
    gives one (its exception as it built it), or that the page does not offer it (403)."""
    motivo = accion.por_que_no and accion.por_que_no(
        usuario=usuario, solicitud=solicitud, objeto=objeto
    )
    if isinstance(motivo, Exception):
        return motivo
    return PermissionDenied(motivo or ERROR_NO_OFRECIDA)
