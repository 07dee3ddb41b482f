"""The contracts recorded under dictámenes: what a dictamen still allows, and the signalled
ones as the Subsecretaría reads them."""

import datetime
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from dictamenes.models import Contrato, EventoAuditoria
from dictamenes.models.contratos import TopeDeContratos
from dictamenes.organizacion.selectors.usuarios import roles_de
from dictamenes.roles import Rol
from dictamenes.tramite.selectors import access
from dictamenes.tramite.selectors.decisiones import (
    aprobado_sql,
    decisiones_de_solicitud,
    tope_de_contratos,
)
from dictamenes.tramite.selectors.vias import vias_vigentes

SENALADO = (
    Q(excede_monto=True)
    | Q(fuera_de_vigencia=True)
    | Q(antes_del_dictamen=True)
    | Q(condicion_pendiente=True)
)


def tope_del_dictamen(*, dictamen) -> TopeDeContratos:
    """What the dictamen approved (tramite.selectors.decisiones.tope_de_contratos) and what
    its contracts already add up to."""
    solicitud = dictamen.solicitud
    aprobado = tope_de_contratos(
        decisiones_de_solicitud(solicitud=solicitud, resultado=dictamen.resultado),
        solicitud=solicitud,
    )
    # A refused contract was never made; one waiting still weighs on the next.
    contratado = dictamen.contratos.no_rechazados().aggregate(total=Sum("monto"))[
        "total"
    ] or Decimal(0)
    return TopeDeContratos(
        aprobado=aprobado,
        contratado=contratado,
        tolerancia_pct=vias_vigentes().contrato_tolerancia_pct,
    )


def contratos_senalados():
    """The signalled contracts, newest first (dictamenes.seguimiento.services.contratos says
    when)."""
    return (
        Contrato.objects.filter(SENALADO)
        .select_related("dictamen__solicitud__ente")
        # What the dictamen approved (the signal's comparison), in the same query.
        .annotate(aprobado=aprobado_sql("dictamen__solicitud_id"))
        .order_by("-registrado_en", "-id")
    )


def contratos_por_resolver():
    """What people who are not the requester still owe a contract (issue 76): the strategic
    reviewer's word on one that waits, or the check of a counting one against its document,
    oldest first."""
    return (
        Contrato.objects.filter(
            Q(autorizacion=Contrato.Autorizacion.PENDIENTE)
            | Q(
                verificado_por__isnull=True,
                anexo__isnull=False,
                autorizacion__in=[
                    Contrato.Autorizacion.NO_REQUERIDA,
                    Contrato.Autorizacion.AUTORIZADA,
                ],
            )
        )
        .filter(dictamen__cancelado_en__isnull=True)
        .select_related("dictamen__solicitud__ente", "anexo", "registrado_por")
        .annotate(
            aprobado=aprobado_sql("dictamen__solicitud_id"),
            # The running total under its dictamen, every contract but the refused.
            contratado=Subquery(
                Contrato.objects.no_rechazados()
                .filter(dictamen_id=OuterRef("dictamen_id"))
                .order_by()
                .values("dictamen_id")
                .annotate(total=Sum("monto"))
                .values("total")
            ),
        )
        .order_by("registrado_en", "id")
    )


# Who checks a contract against its document: people who handle documents and decide, never
# the agency's (issue 76, item 1).
VERIFICAN = frozenset({Rol.MESA_CONTROL, Rol.REVISOR_ESTRATEGICO})
ERROR_VERIFICAR_SIN_PERMISO = _(
    "Solo la mesa de control o la revisión estratégica verifica un contrato contra su documento."
)


def impedimento_para_verificar(*, usuario, contrato, roles=None, decisores=None) -> str | None:
    """Why the person may not check this contract against its document, or None: separation
    of duties (access.impedimento with VERIFICAR_CONTRATO: never a superuser, nobody of the
    request's agency, never whoever decided the request, its prices among it), then the role
    (the mesa de control or the strategic review). The one predicate the service, the pages
    (list, verification page, the document's view that records its opening) and the home's
    «Pendientes» (its query form, contratos_que_esperan_a) read. The contract's state (already
    checked, without its document, its document not opened) is the service's to say.
    `roles`, `decisores`: what the caller already read (roles_de; implicados.decisores_de)."""
    motivo = access.impedimento(
        usuario=usuario,
        solicitud=contrato.dictamen.solicitud,
        accion=access.VERIFICAR_CONTRATO,
        decisores=decisores,
    )
    if motivo is not None:
        return motivo
    if not set(roles_de(usuario=usuario) if roles is None else roles) & VERIFICAN:
        return ERROR_VERIFICAR_SIN_PERMISO
    return None


# Issue 93, item 6: the server records that it sent a contract's document to a person who may
# check it (seguimiento.services.contratos.contrato_documento_abierto), as an audit event of
# this type; checking it asks for that event.
ABIERTO = "contrato_documento_abierto"


def documento_abierto_en(*, contrato, usuario) -> datetime.datetime | None:
    """When the server first sent this contract's document, as it is now (its SHA-256), to
    this person while they could check it; None if it never did. One query."""
    if contrato.anexo_id is None or not usuario.is_authenticated:
        return None
    return (
        EventoAuditoria.objects.filter(
            tipo=ABIERTO,
            usuario_id=usuario.pk,
            solicitud_id=contrato.dictamen.solicitud_id,
            datos__contrato=contrato.pk,
            datos__documento=contrato.anexo.sha256,
        )
        .order_by("numero")
        .values_list("ocurrido_en", flat=True)
        .first()
    )


def contratos_que_esperan_a(*, usuario, roles):
    """What contratos_por_resolver holds for this person to do (None: nothing may): the
    strategic reviewer authorises, the mesa and the strategic reviewer check documents;
    never a contract of their own agency, never the server's administrator account."""
    if usuario.is_superuser or not roles & VERIFICAN:
        return None
    # The checks this person may make: impedimento_para_verificar's query form.
    alcance = Q(
        access.sin_impedimento(
            usuario=usuario, accion=access.VERIFICAR_CONTRATO, solicitud="dictamen__solicitud"
        ),
        verificado_por__isnull=True,
        anexo__isnull=False,
        autorizacion__in=[Contrato.Autorizacion.NO_REQUERIDA, Contrato.Autorizacion.AUTORIZADA],
    )
    if usuario.has_perm("dictamenes.decidir_solicitud"):
        alcance |= Q(autorizacion=Contrato.Autorizacion.PENDIENTE)
    consulta = contratos_por_resolver().filter(alcance)
    perfil = getattr(usuario, "perfil", None)
    if perfil is not None and perfil.ente_id is not None:
        consulta = consulta.exclude(dictamen__solicitud__ente_id=perfil.ente_id)
    return consulta


def senalados_recientes(*, desde: datetime.datetime, limite: int = 5) -> dict:
    """The home's panel: how many contracts were signalled since `desde`, and the newest
    `limite` of them; two queries whatever their number."""
    recientes = contratos_senalados().filter(registrado_en__gte=desde)
    return {"total": recientes.count(), "filas": list(recientes[:limite])}
