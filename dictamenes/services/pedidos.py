"""A change to an account that waits for a second administrator (issue 33): recorded here,
with its event and the e-mail to the person affected. Below personas (which asks for a role of
the procedure through cambio_rol_pedir) and services.cambios (which asks for identity changes,
approves and rejects), so that neither imports the other in a circle."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.models import CambioPendiente, Ente
from dictamenes.roles import Rol
from dictamenes.services.auditoria import evento_registrar
from dictamenes.services.avisos import aviso_encolar

CAMPOS_IDENTIDAD = {"email": _("correo"), "rfc": _("RFC"), "curp": _("CURP")}

ERROR_CAMBIO_YA_PEDIDO = _(
    "Ya hay un cambio pendiente igual para %(persona)s, pedido por %(quien)s el %(cuando)s: "
    "espere a que otra persona administradora lo resuelva."
)


def persona_nombre(usuario) -> str:
    return f"{usuario.get_full_name() or usuario.username} ({usuario.username})"


def describir(*, cambio: CambioPendiente) -> str:
    """What the change does, in words, for its page, its events and its e-mails."""
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


def cambio_avisar(*, cambio: CambioPendiente, asunto: str, parrafo: str) -> None:
    aviso_encolar(
        asunto=asunto,
        destinatarios=_correos_afectados(cambio=cambio),
        mensaje=(
            f"{parrafo}\n\n"
            f"Cuenta: {cambio.persona.username}\n"
            f"Cambio: {describir(cambio=cambio)}\n"
            f"Pedido por: {persona_nombre(cambio.pedido_por)}, el "
            f"{timezone.localtime(cambio.pedido_en):%d/%m/%Y a las %H:%M}\n"
            f"Motivo: {cambio.motivo}\n\n"
            "Si usted no esperaba este cambio, avise de inmediato a la Subsecretaría de "
            "Gobierno Digital y al Órgano Interno de Control."
        ),
    )


def cambio_pedir(*, tipo, persona, por, motivo: str, datos: dict) -> CambioPendiente:
    igual = (
        CambioPendiente.objects.filter(
            tipo=tipo, persona=persona, estado=CambioPendiente.Estado.PENDIENTE
        )
        .select_related("pedido_por")
        .order_by("pedido_en")
    )
    if tipo == CambioPendiente.Tipo.ROL:
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
    return cambio


def cambio_rol_pedir(
    *, persona, rol: Rol, por, motivo: str, ente: Ente | None, areas
) -> CambioPendiente:
    """Called by personas.rol_otorgar (which checked who asks and that the role fits) for a
    role of the procedure: the grant waits for a second administrator."""
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
        },
    )
