"""A change to an account that waits for a second administrator (issue 33): recorded here, with its
event and the e-mail to the person affected. Below personas (which asks for a role of the procedure
through cambio_rol_pedir) and personas.services.control_dual (which asks for identity changes,
approves and rejects), so that neither imports the other in a circle."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.avisos.services import MOTIVO_ADMINISTRADOR, MOTIVO_CUENTA, aviso_encolar, enlace
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import CambioPendiente, Ente
from dictamenes.models.articulos import con_articulo
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.organizacion.selectors.usuarios import correos_de_administradores
from dictamenes.roles import Rol
from estandares.motivos import motivo_leer, vacio_del_campo

CAMPOS_IDENTIDAD = {
    "first_name": _("nombre"),
    "last_name": _("apellido"),
    "username": _("usuario"),
    "email": _("correo"),
    "rfc": _("RFC"),
    "curp": _("CURP"),
}

ERROR_CAMBIO_YA_PEDIDO = _(
    "Ya hay un cambio pendiente igual para %(persona)s, pedido por %(quien)s el %(cuando)s: "
    "espere a que otra persona administradora lo resuelva."
)


def persona_nombre(usuario) -> str:
    return f"{usuario.get_full_name() or usuario.username} ({usuario.username})"


def describir(*, cambio: CambioPendiente) -> str:
    """What the change does, in words, for its page, its events and its e-mails."""
    if cambio.tipo == CambioPendiente.Tipo.ROL and cambio.datos.get("ampliar"):
        return (
            f"agregar al rol «{Rol(cambio.datos['rol']).label}» las áreas: "
            f"{', '.join(cambio.datos['areas_nombres'])}"
        )
    if cambio.tipo == CambioPendiente.Tipo.REFUERZO:  # a loan to an area (issue 50)
        return cambio.datos["descripcion"]
    if cambio.tipo == CambioPendiente.Tipo.RETIRO_ROL:
        return f"retirar el rol «{Rol(cambio.datos['rol']).label}»"
    if cambio.tipo == CambioPendiente.Tipo.ACCESO:
        return "reactivar la cuenta" if cambio.datos["activo"][1] else "desactivar la cuenta"
    if cambio.tipo == CambioPendiente.Tipo.ROL:
        texto = f"otorgar el rol «{Rol(cambio.datos['rol']).label}»"
        if cambio.datos.get("areas_nombres"):
            texto += f" (áreas: {', '.join(cambio.datos['areas_nombres'])})"
        return texto
    return "; ".join(
        f"cambiar el {CAMPOS_IDENTIDAD[campo]} de «{antes or '—'}» a «{despues or '—'}»"
        for campo, (antes, despues) in cambio.datos["cambios"].items()
    )


def _correos_afectados(*, cambio: CambioPendiente) -> list[str]:
    """The person's address; for an e-mail change, the old one and the new one."""
    correos = [cambio.persona.email]
    if cambio.tipo == CambioPendiente.Tipo.IDENTIDAD and "email" in cambio.datos["cambios"]:
        correos += cambio.datos["cambios"]["email"]
    return correos


def _detalles(*, cambio: CambioPendiente) -> list[tuple[str, str]]:
    return [
        ("Cuenta", cambio.persona.username),
        ("Cambio", describir(cambio=cambio)),
        (
            "Pedido por",
            f"{persona_nombre(cambio.pedido_por)}, el "
            f"{timezone.localtime(cambio.pedido_en):%d/%m/%Y a las %H:%M}",
        ),
        ("Motivo", cambio.motivo),
    ]


def cambio_avisar(*, cambio: CambioPendiente, asunto: str, parrafo: str) -> None:
    """The person affected (both addresses when the e-mail changes) hears of the change."""
    aviso_encolar(
        asunto=asunto,
        destinatarios=_correos_afectados(cambio=cambio),
        mensaje=(
            f"{parrafo}\n\nSi usted no esperaba este cambio, avise de inmediato "
            f"{con_articulo(textos_vigentes().institucion_nombre, 'a')} y al Órgano Interno de "
            "Control."
        ),
        detalles=_detalles(cambio=cambio),
        enlace=enlace("inicio"),
        accion="Entrar a Dictámenes TIC",
        motivo=MOTIVO_CUENTA,
    )


def cambio_por_aprobar_avisar(*, cambio: CambioPendiente) -> None:
    """The other administrators hear that a change waits for one of them: neither who asked
    it nor the person it changes may approve it."""
    excluidos = {cambio.pedido_por.email, cambio.persona.email}
    aviso_encolar(
        asunto=f"Cambio por aprobar: cuenta {cambio.persona.username}",
        destinatarios=[c for c in correos_de_administradores() if c not in excluidos],
        mensaje=(
            f"{persona_nombre(cambio.pedido_por)} pidió un cambio en la cuenta de "
            f"{persona_nombre(cambio.persona)}. No tiene efecto hasta que otra persona "
            "administradora lo apruebe; revíselo y apruébelo o recházelo con su motivo."
        ),
        detalles=_detalles(cambio=cambio),
        enlace=enlace("cuentas:cambios", ancla=f"cambio-{cambio.pk}"),
        accion="Aprobar o rechazar el cambio",
        motivo=MOTIVO_ADMINISTRADOR,
    )


def cambio_resuelto_avisar(*, cambio: CambioPendiente) -> None:
    """Who asked the change hears how it ended (the person affected is told apart)."""
    if cambio.pedido_por_id == cambio.persona_id:
        return
    resultado = "aprobó" if cambio.estado == CambioPendiente.Estado.APROBADO else "rechazó"
    mensaje = (
        f"{persona_nombre(cambio.resuelto_por)} {resultado} el cambio que usted pidió en la "
        f"cuenta de {persona_nombre(cambio.persona)}."
    )
    if cambio.motivo_resolucion:
        mensaje += f"\n\nMotivo del rechazo: {cambio.motivo_resolucion}"
    aviso_encolar(
        asunto=f"Cambio {cambio.get_estado_display().lower()}: cuenta {cambio.persona.username}",
        destinatarios=[cambio.pedido_por.email],
        mensaje=mensaje,
        detalles=_detalles(cambio=cambio),
        enlace=enlace("cuentas:cambios", ancla="t-resueltos"),
        accion="Ver los cambios resueltos",
        motivo="Recibe este aviso porque usted pidió este cambio.",
    )


def cambio_pedir(*, tipo, persona, por, motivo: str, datos: dict) -> CambioPendiente:
    # Every asker checked it already; this is the one door of every change's reason.
    motivo = motivo_leer(motivo, campo="motivo", **vacio_del_campo(CambioPendiente, "motivo"))
    igual = (
        CambioPendiente.objects.filter(
            tipo=tipo, persona=persona, estado=CambioPendiente.Estado.PENDIENTE
        )
        .select_related("pedido_por")
        .order_by("pedido_en")
    )
    if tipo in (CambioPendiente.Tipo.ROL, CambioPendiente.Tipo.RETIRO_ROL):
        igual = igual.filter(datos__rol=datos["rol"])
    if (previo := igual.first()) is not None:
        raise ValidationError(
            ERROR_CAMBIO_YA_PEDIDO,
            code="ya_pedido",
            params={
                "persona": persona_nombre(persona),
                "quien": persona_nombre(previo.pedido_por),
                "cuando": f"{timezone.localtime(previo.pedido_en):%d/%m/%Y %H:%M}",
            },
        )
    cambio = CambioPendiente(tipo=tipo, persona=persona, pedido_por=por, motivo=motivo, datos=datos)
    cambio.full_clean()
    cambio.save()
    evento_registrar(
        tipo="cambio_pedido",
        descripcion=f"{persona_nombre(por)} pide {describir(cambio=cambio)} a "
        f"{persona_nombre(persona)}; espera la aprobación de otra persona administradora",
        usuario=por,
        motivo=motivo,
        datos={"cambio": cambio.pk, "persona": persona.pk, "tipo": tipo, **datos},
    )
    cambio_avisar(
        cambio=cambio,
        asunto="Se pidió un cambio en su cuenta",
        parrafo=(
            "Se pidió el cambio de abajo en su cuenta de Dictámenes TIC. Aún no tiene efecto: "
            "lo tendrá solo si otra persona administradora lo aprueba."
        ),
    )
    cambio_por_aprobar_avisar(cambio=cambio)
    return cambio


def cambio_rol_pedir(
    *, persona, rol: Rol, por, motivo: str, ente: Ente | None, areas, ampliar: bool = False
) -> CambioPendiente:
    """Called by personas.rol_otorgar (which checked who asks and that the role fits) for a
    role of the procedure: the grant waits for a second administrator. `ampliar`: a reviewer
    who already is one gets `areas` added to theirs, on approval, like a new role."""
    return cambio_pedir(
        tipo=CambioPendiente.Tipo.ROL,
        persona=persona,
        por=por,
        motivo=motivo,
        datos={
            "rol": Rol(rol).value,
            "ente": ente.pk if ente else None,
            "areas": sorted(a.pk for a in areas),
            # For reading the change without a query per row.
            "areas_nombres": sorted(a.nombre for a in areas),
            **({"ampliar": True} if ampliar else {}),
        },
    )


def cambio_retiro_pedir(*, persona, rol: Rol, por, motivo: str) -> CambioPendiente:
    """Called by personas.rol_retirar (which checked who asks and that the person holds the
    role) for a role of the procedure: its removal waits for a second administrator."""
    return cambio_pedir(
        tipo=CambioPendiente.Tipo.RETIRO_ROL,
        persona=persona,
        por=por,
        motivo=motivo,
        datos={"rol": Rol(rol).value},
    )
