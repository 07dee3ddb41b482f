"""Separation of duties: one rule, the action as a parameter (issue 79, item 3; issue 92,
item 1). Who may not act on a request, whatever the action: a superuser (the account
administers the server and takes no part in the procedure), anyone of the request's agency
(nobody judges their own), and, for some actions, whoever took part earlier in its content
(who reviews does not decide, who decides does not review, neither signs). Each action says
only its words, the role it needs when the rule itself checks one, and which earlier part
bars it. docs/desarrollo/separacion.md states the rule; tests/dictamenes/tramite/
test_separacion.py holds its table of cases, checked against impedimento and its query form
alike. tramite.selectors.access re-exports it for the procedure's doors; senales, below
tramite, asks it directly for attending a sign."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dictamenes import exceptions
from dictamenes.separacion.implicados import (
    decididas_por,
    decisores_de,
    revisadas_por,
    revisores_de,
)

# Who may not act on a request, whatever the action: a superuser (the account administers the
# server and takes no part in the procedure), anyone of the request's agency (nobody judges
# their own), and, for some actions, whoever took part earlier in its content (who reviews
# does not decide, who decides does not review, neither signs). Each action says only its
# words, the role it needs when the rule itself checks one, and which earlier part bars it.
# docs/desarrollo/separacion.md states the rule; tests/dictamenes/tramite/test_separacion.py
# holds its table of cases, checked against impedimento and its query form alike.

ATENDER = "atender"  # a step of the Subsecretaría's with no earlier part barred (admission)
REVISAR = "revisar"  # an area's technical review, or a re-review
DECIDIR = "decidir"  # the strategic review
FIRMAR = "firmar"  # sign the dictamen
CANCELAR = "cancelar"  # cancel the dictamen in force
RECTIFICAR = "rectificar"  # sign a rectification of it
PROPONER = "proponer"  # the Dirección General proposes a rectification
CANCELAR_SOLICITUD = "cancelar_solicitud"  # the Dirección General cancels the request
VERIFICAR = "verificar"  # verify the evidence of a dictamen's condition
# Check a contract recorded under the dictamen against its document (issue 76): from then on
# its price enters the reference. Never whoever decided the request's items, their price
# among them (issue 93, item 6): they would confirm the price they approved.
VERIFICAR_CONTRATO = "verificar_contrato"
# The mesa de control moves a fast-track request to the full track (issue 36): not a flow
# step, so the rule checks its role (issue 92, item 1).
PASAR_A_COMPLETA = "pasar_a_completa"
# Record what was done about a red flag (issue 80; issue 92, item 1): senales checks the role
# that decides at the request's step (quien_decide) after this rule.
ATENDER_SENAL = "atender_senal"

REVISORES, DECISORES = "revisores", "decisores"
DECIDE = "dictamenes.decidir_solicitud"
ADMITE = "dictamenes.admitir_solicitud"
# What the door (tramite.services.vias.via_pasar_a_completa) and the page say.
ERROR_VIA_SIN_PERMISO = _("Solo la mesa de control pasa una solicitud a la vía completa.")
# What the page and the door of a sign say to someone of the request's agency.
ERROR_SENAL_DEL_ENTE = _(
    "Una persona del ente que solicita no atiende las señales de su solicitud."
)


@dataclass(frozen=True)
class Separacion:
    """What keeps a person from one action: the words for someone of the request's agency;
    which earlier part bars it (REVISORES, DECISORES) and the words for them; and the role
    the rule checks itself (`permiso`, with its words), when the action is not a flow step
    whose role viewflow checks."""

    mismo_ente: str
    implicados: frozenset = frozenset()
    implicado: str | None = None
    permiso: str | None = None
    sin_permiso: str | None = None


SEPARACION = {
    ATENDER: Separacion(exceptions.ERROR_MISMO_ENTE),
    REVISAR: Separacion(
        exceptions.ERROR_MISMO_ENTE,
        frozenset({DECISORES}),
        exceptions.ERROR_ESTRATEGICO_Y_REVISOR,
    ),
    DECIDIR: Separacion(
        exceptions.ERROR_MISMO_ENTE,
        frozenset({REVISORES}),
        exceptions.ERROR_REVISOR_Y_ESTRATEGICO,
    ),
    FIRMAR: Separacion(
        exceptions.ERROR_MISMO_ENTE,
        frozenset({REVISORES, DECISORES}),
        exceptions.ERROR_FIRMA_REVISOR,
    ),
    CANCELAR: Separacion(
        exceptions.ERROR_MISMO_ENTE,
        frozenset({REVISORES, DECISORES}),
        exceptions.ERROR_DICTAMEN_REVISOR,
    ),
    RECTIFICAR: Separacion(
        exceptions.ERROR_MISMO_ENTE,
        frozenset({REVISORES, DECISORES}),
        exceptions.ERROR_DICTAMEN_REVISOR,
    ),
    PROPONER: Separacion(
        exceptions.ERROR_MISMO_ENTE,
        frozenset({REVISORES}),
        exceptions.ERROR_PROPONE_REVISOR,
        DECIDE,
        exceptions.ERROR_NO_PROPONE,
    ),
    CANCELAR_SOLICITUD: Separacion(
        exceptions.ERROR_CANCELA_MISMO_ENTE,
        frozenset({REVISORES}),
        exceptions.ERROR_CANCELA_REVISOR,
        DECIDE,
        exceptions.ERROR_NO_CANCELA,
    ),
    VERIFICAR: Separacion(exceptions.ERROR_MISMO_ENTE),
    VERIFICAR_CONTRATO: Separacion(
        exceptions.ERROR_MISMO_ENTE,
        frozenset({DECISORES}),
        exceptions.ERROR_CONTRATO_DECIDIDO,
    ),
    PASAR_A_COMPLETA: Separacion(
        exceptions.ERROR_MISMO_ENTE, permiso=ADMITE, sin_permiso=ERROR_VIA_SIN_PERMISO
    ),
    ATENDER_SENAL: Separacion(ERROR_SENAL_DEL_ENTE),
}


def _del_ente(usuario, ente_id) -> bool:
    perfil = getattr(usuario, "perfil", None)
    return perfil is not None and perfil.ente_id is not None and perfil.ente_id == ente_id


def impedimento(*, usuario, solicitud, accion: str, revisores=None, decisores=None) -> str | None:
    """THE separation of duties, written once and called by every place that checks it (after
    saleor's Order.can_cancel): why the person may not take `accion` on the request, or None.
    In this order: a superuser never; without the action's role (when SEPARACION names one),
    not; anyone of the request's agency, never; then whoever took the earlier part the action
    names. The dictamen's or the condition's state, the e.firma and the flow step's role are
    the callers' to check. `revisores`, `decisores`: the ids of the request's technical
    reviewers and of who decided its content, when the caller read them (implicados)."""
    regla = SEPARACION[accion]
    if usuario.is_superuser:
        return exceptions.ERROR_SUPERUSUARIO
    if regla.permiso and not usuario.has_perm(regla.permiso):
        return regla.sin_permiso
    if _del_ente(usuario, solicitud.ente_id):
        return regla.mismo_ente
    if REVISORES in regla.implicados and usuario.pk in (
        revisores_de(solicitud=solicitud) if revisores is None else revisores
    ):
        return regla.implicado
    if DECISORES in regla.implicados and usuario.pk in (
        decisores_de(solicitud=solicitud) if decisores is None else decisores
    ):
        return regla.implicado
    return None


def sin_impedimento(*, usuario, accion: str, solicitud: str = "") -> Q:
    """impedimento as a query: the condition that keeps exactly the requests on which the
    person may take `accion`, for a list that shows only those (pendientes). `solicitud`: the
    lookup from the listed model to its request ("dictamen__solicitud"), "" for Solicitud
    itself. The table of cases (tests/dictamenes/tramite/test_separacion.py) checks both
    forms on every case."""
    regla = SEPARACION[accion]
    if usuario.is_superuser or (regla.permiso and not usuario.has_perm(regla.permiso)):
        return Q(pk__in=[])
    prefijo = f"{solicitud}__" if solicitud else ""
    condicion = Q()
    perfil = getattr(usuario, "perfil", None)
    if perfil is not None and perfil.ente_id is not None:
        condicion &= ~Q(**{f"{prefijo}ente_id": perfil.ente_id})
    if REVISORES in regla.implicados:
        condicion &= ~Q(**{f"{prefijo}pk__in": revisadas_por(usuario=usuario)})
    if DECISORES in regla.implicados:
        condicion &= ~Q(**{f"{prefijo}pk__in": decididas_por(usuario=usuario)})
    return condicion


def exigir_ajeno_al_ente(*, usuario, solicitud) -> None:
    """The agency's part of separation of duties alone (impedimento's second test), for the
    doors whose other checks come apart: admission, the track, a reassignment, a contract."""
    if _del_ente(usuario, solicitud.ente_id):
        raise PermissionDenied(exceptions.ERROR_MISMO_ENTE)
