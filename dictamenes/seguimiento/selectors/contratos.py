"""The contracts recorded under dictámenes: what a dictamen still allows, and the signalled
ones as the Subsecretaría reads them."""

import datetime
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery, Sum

from dictamenes.models import Contrato
from dictamenes.models.contratos import TopeDeContratos
from dictamenes.roles import Rol
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


def contratos_que_esperan_a(*, usuario, roles):
    """What contratos_por_resolver holds for this person to do (None: nothing may): the
    strategic reviewer authorises, the mesa and the strategic reviewer check documents;
    never a contract of their own agency, never the server's administrator account."""
    if usuario.is_superuser or not roles & VERIFICAN:
        return None
    alcance = Q(
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
