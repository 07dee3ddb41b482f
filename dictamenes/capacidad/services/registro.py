"""Recording the review areas' capacity (issue 50, item 1): administrators record who will be
away (vacations, leave, a commission) and lend a person to a review area for whole weeks.
Every write is audited in its transaction.

A reinforcement that gives the person nothing they lack (a technical reviewer lent to an area
they already review) is recorded at once. One that grants the Revisor técnico role or the
area's permission is a change that a second administrator approves (dual control, issue 48:
asked here through personas.services.cambios_pendientes, so that the person is told and
neither they nor the creator of their account may approve it; approved and rejected in
«Cambios por aprobar» by operacion.services.configuracion, which calls refuerzo_aplicar).
When the loan ends, refuerzos_concluir takes away what it granted, and only that."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.capacidad.selectors.registro import ROLES_DEL_TRAMITE, refuerzos_por_concluir
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import Area, Ausencia, CambioPendiente, Perfil, Refuerzo
from dictamenes.models.capacidad import ERROR_FECHAS
from dictamenes.organizacion.selectors.usuarios import administra_roles, roles_de
from dictamenes.personas.services import personas
from dictamenes.personas.services.cambios_pendientes import cambio_pedir, persona_nombre
from dictamenes.roles import Rol
from estandares.motivos import motivo_leer

ERROR_SIN_PERMISO = _("Solo una persona administradora registra ausencias y refuerzos.")
ERROR_NO_ES_DEL_TRAMITE = _(
    "%(persona)s no tiene un rol del trámite (mesa de control, revisión técnica, revisión "
    "estratégica o firma): su ausencia no cambia la capacidad."
)
ERROR_AUSENCIA_TRASLAPA = _(
    "%(persona)s ya tiene una ausencia del %(desde)s al %(hasta)s (%(motivo)s) que se "
    "traslapa con esas fechas: cancélela primero o elija otras."
)
ERROR_SIN_MOTIVO = _("Escriba el motivo; queda en la auditoría.")
ERROR_AREA_RETIRADA = _("El área «%(area)s» está retirada: nadie se presta a ella.")
ERROR_REFUERZO_PASADO = _(
    "Esas semanas ya pasaron: un refuerzo termina hoy o después (el último domingo es el "
    "%(hasta)s)."
)
ERROR_REFUERZO_TRASLAPA = _(
    "%(persona)s ya está prestada al área «%(area)s» del %(desde)s al %(hasta)s: una persona "
    "se presta a un área a la vez."
)
ERROR_REFUERZO_PEDIDO_TRASLAPA = _(
    "Ya se pidió prestar a %(persona)s del %(desde)s al %(hasta)s, y espera la aprobación de "
    "otra persona administradora en «Cambios por aprobar»."
)
ERROR_REFUERZO_PROPIO = _(
    "Nadie se presta a sí mismo un rol del trámite: pida el refuerzo a otra persona administradora."
)
ERROR_REFUERZO_SIN_PERFIL = personas.ERROR_SIN_PERFIL
ACCION = "prestar"


def _fecha(fecha: datetime.date) -> str:
    return f"{fecha:%d/%m/%Y}"


def _exigir_administrador(por) -> None:
    if not administra_roles(usuario=por):
        raise PermissionDenied(ERROR_SIN_PERMISO)


def _bloquear_del_tramite(persona):
    """The person's row, locked (two administrators recording one person take turns), once
    checked to be active staff of the procedure."""
    persona = get_user_model().objects.select_for_update().get(pk=persona.pk)
    if not persona.is_active or not set(roles_de(usuario=persona)) & set(ROLES_DEL_TRAMITE):
        raise ValidationError(
            {"persona": ERROR_NO_ES_DEL_TRAMITE % {"persona": persona_nombre(persona)}},
            code="no_es_del_tramite",
        )
    return persona


# --- Absences ---------------------------------------------------------------------------------


@transaction.atomic
def ausencia_registrar(
    *, persona, desde: datetime.date, hasta: datetime.date, motivo: str, nota: str = "", por
) -> Ausencia:
    """Record that a person of the procedure will not review from `desde` to `hasta` (both
    included). Refused: dates backwards, or overlapping another absence of theirs."""
    _exigir_administrador(por)
    persona = _bloquear_del_tramite(persona)
    ausencia = Ausencia(
        persona=persona,
        desde=desde,
        hasta=hasta,
        motivo=motivo,
        nota=(nota or "").strip(),
        registrada_por=por,
    )
    ausencia.full_clean()
    otra = (
        Ausencia.objects.filter(persona=persona, desde__lte=hasta, hasta__gte=desde)
        .order_by("desde")
        .first()
    )
    if otra is not None:
        raise ValidationError(
            {
                "desde": ERROR_AUSENCIA_TRASLAPA
                % {
                    "persona": persona_nombre(persona),
                    "desde": _fecha(otra.desde),
                    "hasta": _fecha(otra.hasta),
                    "motivo": otra.get_motivo_display().lower(),
                }
            },
            code="traslapa",
        )
    ausencia.save()
    evento_registrar(
        tipo="ausencia_registrada",
        descripcion=f"{ausencia.get_motivo_display()} de {persona_nombre(persona)} del "
        f"{_fecha(desde)} al {_fecha(hasta)}",
        usuario=por,
        motivo=ausencia.nota,
        datos=_datos_ausencia(ausencia),
    )
    return ausencia


def _datos_ausencia(ausencia: Ausencia) -> dict:
    return {
        "ausencia": ausencia.pk,
        "persona": ausencia.persona_id,
        "desde": ausencia.desde.isoformat(),
        "hasta": ausencia.hasta.isoformat(),
        "motivo": ausencia.motivo,
    }


@transaction.atomic
def ausencia_cancelar(*, ausencia: Ausencia, por, motivo: str) -> None:
    """Remove a recorded absence (it will not happen, or was recorded by mistake): the event
    keeps what it was and why it was cancelled."""
    _exigir_administrador(por)
    motivo = motivo_leer(motivo, campo="motivo", vacio=ERROR_SIN_MOTIVO)
    ausencia = Ausencia.objects.select_for_update().select_related("persona").get(pk=ausencia.pk)
    datos = _datos_ausencia(ausencia)
    evento_registrar(
        tipo="ausencia_cancelada",
        descripcion=f"Se cancela la ausencia ({ausencia.get_motivo_display().lower()}) de "
        f"{persona_nombre(ausencia.persona)} del {_fecha(ausencia.desde)} al "
        f"{_fecha(ausencia.hasta)}",
        usuario=por,
        motivo=motivo,
        datos=datos,
    )
    ausencia.delete()


# --- Reinforcements ---------------------------------------------------------------------------


def semanas_completas(desde: datetime.date, hasta: datetime.date):
    """The whole weeks that hold the dates: from the Monday of `desde`'s week to the Sunday of
    `hasta`'s."""
    return (
        desde - datetime.timedelta(days=desde.weekday()),
        hasta + datetime.timedelta(days=6 - hasta.weekday()),
    )


def _tiene(persona, area) -> tuple[bool, bool]:
    """Whether the person holds the Revisor técnico role, and the area among theirs."""
    rol = Rol.REVISOR_TECNICO in roles_de(usuario=persona)
    perfil = Perfil.objects.filter(usuario=persona).first()
    return rol, rol and perfil is not None and perfil.areas.filter(pk=area.pk).exists()


def _prestado(persona, area) -> tuple[bool, bool]:
    """What open loans of the person granted, the role and this area: a new loan that relies
    on them must grant them too, or the first one's end would take them from it."""
    abiertos = Refuerzo.objects.filter(persona=persona, concluido_en__isnull=True)
    return (
        abiertos.filter(otorga_rol=True).exists(),
        abiertos.filter(area=area, otorga_area=True).exists(),
    )


def _lo_que_otorga(persona, area) -> dict:
    """What lending the person to the area grants: what they do not hold on their own."""
    rol, tiene_area = _tiene(persona, area)
    rol_prestado, area_prestada = _prestado(persona, area)
    # Without the role, no area of theirs is reviewed (_tiene): the area is granted too.
    return {"rol": not rol or rol_prestado, "area": not tiene_area or area_prestada}


def _validar_refuerzo(*, persona, area, desde, hasta, hoy) -> None:
    if hasta < desde:
        raise ValidationError({"hasta": ERROR_FECHAS}, code="fechas")
    if hasta < hoy:
        raise ValidationError(
            {"desde": ERROR_REFUERZO_PASADO % {"hasta": _fecha(hasta)}}, code="pasado"
        )
    if not area.activa:
        raise ValidationError(
            {"area": ERROR_AREA_RETIRADA % {"area": area.nombre}}, code="area_retirada"
        )
    if not Perfil.objects.filter(usuario=persona).exists():
        raise ValidationError(
            {"persona": ERROR_REFUERZO_SIN_PERFIL % {"persona": persona_nombre(persona)}},
            code="sin_perfil",
        )
    otro = (
        Refuerzo.objects.filter(
            persona=persona, concluido_en__isnull=True, desde__lte=hasta, hasta__gte=desde
        )
        .select_related("area")
        .first()
    )
    if otro is not None:
        raise ValidationError(
            {
                "desde": ERROR_REFUERZO_TRASLAPA
                % {
                    "persona": persona_nombre(persona),
                    "area": otro.area.nombre,
                    "desde": _fecha(otro.desde),
                    "hasta": _fecha(otro.hasta),
                }
            },
            code="traslapa",
        )


def _exigir_sin_pedido(*, persona, desde, hasta) -> None:
    for cambio in CambioPendiente.objects.filter(
        tipo=CambioPendiente.Tipo.REFUERZO,
        estado=CambioPendiente.Estado.PENDIENTE,
        persona=persona,
    ):
        pedido = cambio.datos["pedido"]
        if pedido["desde"] <= hasta.isoformat() and pedido["hasta"] >= desde.isoformat():
            raise ValidationError(
                {
                    "desde": ERROR_REFUERZO_PEDIDO_TRASLAPA
                    % {
                        "persona": persona_nombre(persona),
                        "desde": _fecha(datetime.date.fromisoformat(pedido["desde"])),
                        "hasta": _fecha(datetime.date.fromisoformat(pedido["hasta"])),
                    }
                },
                code="ya_pedido",
            )


def _refuerzo_crear(*, persona, area, desde, hasta, motivo, por, otorga: dict) -> Refuerzo:
    refuerzo = Refuerzo(
        persona=persona,
        area=area,
        desde=desde,
        hasta=hasta,
        motivo=motivo,
        otorga_rol=otorga["rol"],
        otorga_area=otorga["area"],
        registrado_por=por,
    )
    refuerzo.full_clean()
    refuerzo.save()
    otorga_texto = _otorga_texto(otorga)
    evento_registrar(
        tipo="refuerzo_registrado",
        descripcion=f"{persona_nombre(persona)} se presta al área «{area.nombre}» del "
        f"{_fecha(desde)} al {_fecha(hasta)}" + (f"; {otorga_texto}" if otorga_texto else ""),
        usuario=por,
        motivo=motivo,
        datos={
            "refuerzo": refuerzo.pk,
            "persona": persona.pk,
            "area": area.clave,
            "desde": desde.isoformat(),
            "hasta": hasta.isoformat(),
            "otorga_rol": refuerzo.otorga_rol,
            "otorga_area": refuerzo.otorga_area,
        },
    )
    return refuerzo


def _otorga_texto(otorga: dict) -> str:
    if otorga["rol"]:
        return "otorga el rol de Revisor técnico en el área mientras dure"
    if otorga["area"]:
        return "agrega el área a las que revisa mientras dure"
    return ""


def _filas(*, persona, area, desde, hasta, otorga: dict) -> list[dict]:
    """The change's lines, before → after, as «Cambios por aprobar» shows them."""
    rol, tiene_area = _tiene(persona, area)
    periodo = f"del {_fecha(desde)} al {_fecha(hasta)}"
    filas = [
        {"campo": "Persona", "antes": "—", "despues": persona_nombre(persona), "cambia": False},
        {"campo": "Semanas", "antes": "—", "despues": periodo, "cambia": False},
    ]
    if otorga["rol"]:
        filas.append(
            {
                "campo": "Rol de Revisor técnico",
                "antes": "sí (otro préstamo)" if rol else "no",
                "despues": f"sí, {periodo}",
                "cambia": True,
            }
        )
    filas.append(
        {
            "campo": f"Revisa el área «{area.nombre}»",
            "antes": "sí (otro préstamo)" if tiene_area else "no",
            "despues": f"sí, {periodo}",
            "cambia": True,
        }
    )
    return filas


@transaction.atomic
def refuerzo_pedir(
    *, persona, area: Area, desde: datetime.date, hasta: datetime.date, motivo: str, por
) -> Refuerzo | CambioPendiente:
    """Lend a person of the procedure to a review area for whole weeks (the dates are taken
    to the Monday and the Sunday of their weeks). Returns the Refuerzo when it grants nothing
    (recorded now), or the CambioPendiente that waits for a second administrator when it
    grants the Revisor técnico role or the area."""
    _exigir_administrador(por)
    motivo = motivo_leer(motivo, campo="motivo", vacio=ERROR_SIN_MOTIVO)
    persona = _bloquear_del_tramite(persona)
    desde, hasta = semanas_completas(desde, hasta)
    hoy = timezone.localdate()
    _validar_refuerzo(persona=persona, area=area, desde=desde, hasta=hasta, hoy=hoy)
    _exigir_sin_pedido(persona=persona, desde=desde, hasta=hasta)
    otorga = _lo_que_otorga(persona, area)
    if not (otorga["rol"] or otorga["area"]):
        return _refuerzo_crear(
            persona=persona,
            area=area,
            desde=desde,
            hasta=hasta,
            motivo=motivo,
            por=por,
            otorga=otorga,
        )
    if persona.pk == por.pk:
        raise ValidationError({"persona": ERROR_REFUERZO_PROPIO}, code="refuerzo_propio")
    pedido = {
        "persona": persona.pk,
        "area": area.pk,
        "desde": desde.isoformat(),
        "hasta": hasta.isoformat(),
    }
    return cambio_pedir(
        tipo=CambioPendiente.Tipo.REFUERZO,
        persona=persona,
        por=por,
        motivo=motivo,
        datos={
            "accion": ACCION,
            "objeto": {"persona": persona.pk, "area": area.pk},
            "titulo": f"Prestar a {persona_nombre(persona)} al área «{area.nombre}» del "
            f"{_fecha(desde)} al {_fecha(hasta)}",
            # For the account's e-mails and events (personas.services.cambios_pendientes).
            "descripcion": f"el préstamo al área «{area.nombre}» del {_fecha(desde)} al "
            f"{_fecha(hasta)} ({_otorga_texto(otorga)})",
            "pedido": pedido,
            "antes": refuerzo_estado(pedido=pedido),
            "filas": _filas(persona=persona, area=area, desde=desde, hasta=hasta, otorga=otorga),
        },
    )


def _del_pedido(pedido: dict):
    return (
        get_user_model().objects.get(pk=pedido["persona"]),
        Area.objects.get(pk=pedido["area"]),
        datetime.date.fromisoformat(pedido["desde"]),
        datetime.date.fromisoformat(pedido["hasta"]),
    )


def refuerzo_estado(*, pedido: dict) -> dict:
    """What the asked reinforcement was checked against: approving it once this changed is a
    conflict (operacion.services.configuracion)."""
    persona, area, _desde, _hasta = _del_pedido(pedido)
    otorga = _lo_que_otorga(persona, area)
    return {"otorga_rol": otorga["rol"], "otorga_area": otorga["area"], "activa": area.activa}


@transaction.atomic
def refuerzo_aplicar(*, pedido: dict, por, motivo: str) -> Refuerzo:
    """On a second administrator's approval (operacion.services.configuracion), as the one
    who asked: the loan is recorded with what it grants, and the grant takes effect as an
    approved role grant does (the area's reviewers' group, the profile's areas)."""
    _exigir_administrador(por)
    persona, area, desde, hasta = _del_pedido(pedido)
    persona = _bloquear_del_tramite(persona)
    _validar_refuerzo(
        persona=persona, area=area, desde=desde, hasta=hasta, hoy=timezone.localdate()
    )
    otorga = _lo_que_otorga(persona, area)
    _rol, tiene_area = _tiene(persona, area)
    refuerzo = _refuerzo_crear(
        persona=persona, area=area, desde=desde, hasta=hasta, motivo=motivo, por=por, otorga=otorga
    )
    if not tiene_area:  # held already only when another open loan granted it
        personas.rol_aplicar(
            usuario=persona,
            rol=Rol.REVISOR_TECNICO,
            por=por,
            motivo=motivo,
            ente=None,
            areas=[area],
            datos={"refuerzo": refuerzo.pk, "hasta": hasta.isoformat()},
        )
    return refuerzo


def refuerzos_concluir(*, hoy: datetime.date) -> list[Refuerzo]:
    """End the loans whose last day is before `hoy`: take away what each granted (the area,
    the role), unless another open loan of the person still needs it. Each loan in its own
    transaction, audited. Returns the loans concluded."""
    concluidos = []
    for pk in list(refuerzos_por_concluir(hoy=hoy).values_list("pk", flat=True)):
        refuerzo = _refuerzo_concluir(pk=pk, hoy=hoy)
        if refuerzo is not None:
            concluidos.append(refuerzo)
    return concluidos


@transaction.atomic
def _refuerzo_concluir(*, pk: int, hoy: datetime.date) -> Refuerzo | None:
    refuerzo = (
        Refuerzo.objects.select_for_update(of=("self",))
        .select_related("persona", "area")
        .get(pk=pk)
    )
    if refuerzo.concluido_en is not None:
        return None  # another run ended it first
    otros = Refuerzo.objects.filter(
        persona=refuerzo.persona_id, concluido_en__isnull=True, hasta__gte=hoy
    ).exclude(pk=refuerzo.pk)
    quitar_rol = refuerzo.otorga_rol and not otros.filter(otorga_rol=True).exists()
    quitar_area = (
        refuerzo.otorga_area and not otros.filter(area=refuerzo.area, otorga_area=True).exists()
    )
    motivo = (
        f"Concluyó el préstamo al área «{refuerzo.area.nombre}» del {_fecha(refuerzo.desde)} "
        f"al {_fecha(refuerzo.hasta)}."
    )
    quitado = (quitar_rol or quitar_area) and personas.prestamo_retirar(
        usuario=refuerzo.persona,
        area=refuerzo.area if quitar_area else None,
        rol=quitar_rol,
        motivo=motivo,
        datos={"refuerzo": refuerzo.pk},
    )
    refuerzo.concluido_en = timezone.now()
    refuerzo.save(update_fields=["concluido_en"])
    evento_registrar(
        tipo="refuerzo_concluido",
        descripcion=f"Concluye el préstamo de {persona_nombre(refuerzo.persona)} al área "
        f"«{refuerzo.area.nombre}» (hasta el {_fecha(refuerzo.hasta)})"
        + ("; se retira lo que otorgó" if quitado else ""),
        motivo=motivo,
        datos={
            "refuerzo": refuerzo.pk,
            "persona": refuerzo.persona_id,
            "area": refuerzo.area.clave,
            "quita_rol": bool(quitado and quitar_rol),
            "quita_area": bool(quitado and quitar_area),
        },
    )
    return refuerzo
