"""Substitutions: a person who attends steps names who stands in for them while away
(Sustitucion: titular, suplente, desde, hasta, motivo).

Issue 59: standing in for someone lends what they attend: their areas and the roles whose
steps they take. A substitute who reviews every area the titular reviews and holds every role
of theirs with steps (mesa de control, revisión técnica y estratégica, firma) is recorded at
once, as before. One who does not would get areas or roles they do not hold, as a loan to an
area or a grant of a role would (capacidad.services.registro.refuerzo_pedir,
personas.rol_otorgar): that substitution is a change a second person approves
(CambioPendiente.Tipo.SUSTITUCION, persona = the substitute), resolved in «Cambios por aprobar»
by operacion.services.configuracion through operacion.services.cambios.tipos_sustitucion,
which calls sustitucion_aplicar. Until then there is no Sustitucion row, so nothing that
reads substitutions (suplencias.selectors.titulares_suplidos: taking a step, acting on it,
the inbox and the queue, the request's page; tareas.asignacion_elegir; the capacity plan) gives
the substitute anything of the titular's.

Why not a loan (Refuerzo): a loan is asked by an administrator, for whole weeks, of one area,
and gives the area's whole queue; a substitution is asked by the titular, for their own dates,
covers every area and role of theirs and the steps they already hold (their inbox), and
nothing else. What it lends is what the approver is shown: who, which areas and roles, the
dates and the reason."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dictamenes import exceptions
from dictamenes.avisos.services import MOTIVO_ADMINISTRADOR, aviso_encolar, enlace
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import CambioPendiente, Sustitucion
from dictamenes.organizacion.selectors.usuarios import correos_de_administradores, roles_de
from dictamenes.suplencias.selectors import (
    ROLES_QUE_SE_SUPLEN,
    areas_que_faltan,
    roles_que_faltan,
)
from estandares.motivos import motivo_leer, vacio_del_campo

ACCION = "suplir"
ERROR_SUSTITUCION_YA_PEDIDA = _(
    "Ya pidió que %(suplente)s le supla del %(desde)s al %(hasta)s, y espera la aprobación de "
    "una persona administradora en «Cambios por aprobar»."
)
ERROR_SUPLENTE_INACTIVO = _("La cuenta de %(suplente)s está desactivada: no puede suplir a nadie.")
ERROR_SUSTITUCION_SE_PIDE_EN_SUPLENCIAS = _(
    "Una suplencia la pide quien se ausenta, en «Mis suplencias»."
)
AVISO_SUSTITUCION_POR_APROBAR = _(
    "%(suplente)s no tiene todo lo que usted atiende (%(falta)s): suplirle se lo presta, y eso "
    "lo aprueba una persona administradora en «Cambios por aprobar». Hasta que lo apruebe, "
    "%(suplente)s no toma ni atiende sus tareas."
)


def exigir_rol_con_tareas(*, usuario) -> None:
    """Substitutions are for people who attend steps (the roles a substitute stands in for);
    auditors and agencies change nothing."""
    if not set(roles_de(usuario=usuario)) & set(ROLES_QUE_SE_SUPLEN):
        raise PermissionDenied(exceptions.ERROR_SUPLENCIA_SIN_TAREAS)


def _fecha(fecha: datetime.date) -> str:
    return f"{fecha:%d/%m/%Y}"


def _nombre(usuario) -> str:
    return usuario.get_full_name() or usuario.username


def _entre_comillas(nombres) -> str:
    return ", ".join(f"«{n}»" for n in nombres)


def _falta(*, areas_nombres, roles_nombres) -> str:
    """What standing in lends, in words: «áreas: «A», «B»; roles: «Firmante»»."""
    partes = []
    if areas_nombres:
        partes.append(f"áreas: {_entre_comillas(areas_nombres)}")
    if roles_nombres:
        partes.append(f"roles: {_entre_comillas(roles_nombres)}")
    return "; ".join(partes)


def _prestamo(*, titular, suplente) -> dict:
    """What standing in for the titular lends the substitute, by name: empty lists when
    nothing (recorded at once)."""
    areas = areas_que_faltan(titular=titular, suplente=suplente)
    roles = roles_que_faltan(titular=titular, suplente=suplente)
    return {
        "areas_nombres": [a.nombre for a in areas],
        "roles_nombres": [str(r.label) for r in roles],
    }


def _validada(*, titular, suplente, desde, hasta, motivo) -> Sustitucion:
    """The substitution as it would be recorded, checked whole (not saved)."""
    exigir_rol_con_tareas(usuario=titular)
    if hasta < desde:
        raise ValidationError(exceptions.ERROR_FECHAS, code="fechas")
    if not suplente.is_active:  # the page offers active people only; so does every path
        raise ValidationError(
            ERROR_SUPLENTE_INACTIVO,
            code="suplente_inactivo",
            params={"suplente": _nombre(suplente)},
        )
    if not set(titular.groups.values_list("name", flat=True)) & set(
        suplente.groups.values_list("name", flat=True)
    ):
        raise ValidationError(exceptions.ERROR_SUPLENTE, code="suplente_sin_rol")
    sustitucion = Sustitucion(
        titular=titular, suplente=suplente, desde=desde, hasta=hasta, motivo=motivo
    )
    sustitucion.full_clean()
    return sustitucion


def _registrar(sustitucion: Sustitucion, *, prestamo: dict | None = None) -> Sustitucion:
    sustitucion.save()
    titular, suplente = sustitucion.titular, sustitucion.suplente
    evento_registrar(
        tipo="sustitucion",
        descripcion=f"{suplente.get_full_name()} suple a {titular.get_full_name()} del "
        f"{_fecha(sustitucion.desde)} al {_fecha(sustitucion.hasta)}"
        + (
            f"; con aprobación, se le presta lo que no tiene: {_falta(**prestamo)}"
            if prestamo
            else ""
        ),
        usuario=titular,
        motivo=sustitucion.motivo,
        datos={"sustitucion": sustitucion.pk, **(prestamo or {})},
    )
    return sustitucion


def _exigir_sin_pedido(*, titular, suplente, desde, hasta) -> None:
    """One pending request at a time for the same titular, substitute and days."""
    for cambio in CambioPendiente.objects.filter(
        tipo=CambioPendiente.Tipo.SUSTITUCION,
        estado=CambioPendiente.Estado.PENDIENTE,
        persona=suplente,
        pedido_por=titular,
    ):
        pedido = cambio.datos["pedido"]
        if pedido["desde"] <= hasta.isoformat() and pedido["hasta"] >= desde.isoformat():
            raise ValidationError(
                ERROR_SUSTITUCION_YA_PEDIDA,
                code="ya_pedido",
                params={
                    "suplente": _nombre(suplente),
                    "desde": _fecha(datetime.date.fromisoformat(pedido["desde"])),
                    "hasta": _fecha(datetime.date.fromisoformat(pedido["hasta"])),
                },
            )


def _filas(*, titular, suplente, desde, hasta, prestamo: dict) -> list[dict]:
    """The change's lines, as «Cambios por aprobar» and its e-mails show them."""
    return [
        {"campo": "Titular", "antes": "—", "despues": _nombre(titular), "cambia": False},
        {"campo": "Suplente", "antes": "—", "despues": _nombre(suplente), "cambia": False},
        {
            "campo": "Periodo",
            "antes": "—",
            "despues": f"del {_fecha(desde)} al {_fecha(hasta)}",
            "cambia": False,
        },
        *(
            {
                "campo": campo % {"suplente": _nombre(suplente)},
                "antes": "ninguno",
                "despues": ", ".join(nombres),
                "cambia": True,
            }
            for campo, nombres in (
                ("Áreas que %(suplente)s atiende sin revisarlas", prestamo["areas_nombres"]),
                ("Roles que %(suplente)s atiende sin tenerlos", prestamo["roles_nombres"]),
            )
            if nombres
        ),
    ]


@transaction.atomic
def sustitucion_crear(
    *, titular, suplente, desde: datetime.date, hasta: datetime.date, motivo: str
) -> Sustitucion | CambioPendiente:
    """Name who stands in for `titular` from `desde` to `hasta`. Returns the Sustitucion,
    recorded now, when the substitute reviews every area the titular reviews and holds every
    role of theirs with steps; otherwise the CambioPendiente that lends them what they lack
    once an administrator approves it (aviso_por_aprobar tells the titular)."""
    motivo = motivo_leer(motivo, campo="motivo", **vacio_del_campo(Sustitucion, "motivo"))
    # Two requests of one titular take turns (the duplicate check below reads, then writes).
    titular = get_user_model().objects.select_for_update().get(pk=titular.pk)
    sustitucion = _validada(
        titular=titular, suplente=suplente, desde=desde, hasta=hasta, motivo=motivo
    )
    prestamo = _prestamo(titular=titular, suplente=suplente)
    if not (prestamo["areas_nombres"] or prestamo["roles_nombres"]):
        return _registrar(sustitucion)
    _exigir_sin_pedido(titular=titular, suplente=suplente, desde=desde, hasta=hasta)
    pedido = {
        "titular": titular.pk,
        "suplente": suplente.pk,
        "desde": desde.isoformat(),
        "hasta": hasta.isoformat(),
    }
    periodo = f"del {_fecha(desde)} al {_fecha(hasta)}"
    cambio = CambioPendiente(
        tipo=CambioPendiente.Tipo.SUSTITUCION,
        persona=suplente,
        pedido_por=titular,
        motivo=sustitucion.motivo,
        datos={
            "accion": ACCION,
            "objeto": {"titular": titular.pk, "suplente": suplente.pk},
            "titulo": f"{_nombre(suplente)} suple a {_nombre(titular)} {periodo}",
            "pedido": pedido,
            **prestamo,
            "antes": sustitucion_estado(pedido=pedido),
            "filas": _filas(
                titular=titular, suplente=suplente, desde=desde, hasta=hasta, prestamo=prestamo
            ),
        },
    )
    cambio.full_clean()
    cambio.save()
    evento_registrar(
        tipo="cambio_pedido",
        descripcion=f"{_nombre(titular)} pide que {_nombre(suplente)} le supla {periodo}, con "
        f"lo que no tiene ({_falta(**prestamo)}); espera la aprobación de una persona "
        "administradora",
        usuario=titular,
        motivo=cambio.motivo,
        datos={"cambio": cambio.pk, "tipo": cambio.tipo, **cambio.datos},
    )
    aviso_encolar(
        asunto=f"Cambio por aprobar: {cambio.datos['titulo']}",
        # Neither who asked nor the substitute approves it (control_dual.exigir_quien_resuelve).
        destinatarios=[
            c for c in correos_de_administradores() if c not in (titular.email, suplente.email)
        ],
        mensaje=(
            f"{_nombre(titular)} nombró suplente a {_nombre(suplente)}, que no tiene todo lo "
            f"que atiende ({_falta(**prestamo)}). La suplencia no tiene efecto hasta que una "
            "persona administradora la apruebe; revísela y apruébela o recházela con su motivo."
        ),
        detalles=[
            *((f["campo"], f["despues"]) for f in cambio.datos["filas"]),
            ("Motivo", cambio.motivo),
        ],
        enlace=enlace("cuentas:cambios", ancla=f"cambio-{cambio.pk}"),
        accion="Aprobar o rechazar el cambio",
        motivo=MOTIVO_ADMINISTRADOR,
    )
    return cambio


def aviso_por_aprobar(*, cambio: CambioPendiente) -> str:
    """What the titular reads once the substitution waits for approval."""
    return AVISO_SUSTITUCION_POR_APROBAR % {
        "suplente": _nombre(cambio.persona),
        "falta": _falta(
            areas_nombres=cambio.datos["areas_nombres"],
            roles_nombres=cambio.datos["roles_nombres"],
        ),
    }


def _del_pedido(pedido: dict):
    personas = get_user_model().objects.in_bulk([pedido["titular"], pedido["suplente"]])
    return (
        personas[pedido["titular"]],
        personas[pedido["suplente"]],
        datetime.date.fromisoformat(pedido["desde"]),
        datetime.date.fromisoformat(pedido["hasta"]),
    )


def sustitucion_estado(*, pedido: dict) -> dict:
    """What the asked substitution was checked against, what it lends: approving it once that
    changed is a conflict (operacion.services.configuracion)."""
    titular, suplente, _desde, _hasta = _del_pedido(pedido)
    return _prestamo(titular=titular, suplente=suplente)


@transaction.atomic
def sustitucion_aplicar(*, pedido: dict, motivo: str) -> Sustitucion:
    """On an administrator's approval (operacion.services.configuracion), checked again as
    if it were asked now: the substitution is recorded, audited, and the titular is told."""
    titular, suplente, desde, hasta = _del_pedido(pedido)
    sustitucion = _validada(
        titular=titular, suplente=suplente, desde=desde, hasta=hasta, motivo=motivo
    )
    prestamo = _prestamo(titular=titular, suplente=suplente)
    _registrar(sustitucion, prestamo=prestamo)
    aviso_encolar(
        asunto=f"Suplencia aprobada: {_nombre(suplente)} le suple",
        destinatarios=[titular.email],
        mensaje=(
            f"Se aprobó que {_nombre(suplente)} le supla del {_fecha(desde)} al "
            f"{_fecha(hasta)}, con lo que no tenía ({_falta(**prestamo)}): ya puede tomar y "
            "atender sus tareas."
        ),
        enlace=enlace("solicitudes:suplencias"),
        accion="Ver mis suplencias",
        motivo="Recibe este aviso porque usted pidió esta suplencia.",
    )
    return sustitucion
