"""Who gets in through the state's identity (OpenID Connect, Llave): the rules, with no
protocol in them. cuentas.provider turns what a provider asserted into an `Identidad`; this
module links it to an existing account by CURP or institutional e-mail, or leaves the person
pending for an administrator. No account is ever created here, with a role or without one.
Every sign-in, link and refusal is an audit event."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.avisos.services import MOTIVO_ADMINISTRADOR, aviso_encolar, enlace
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import AccesoPendiente
from dictamenes.organizacion.selectors.usuarios import correos_de_administradores
from estandares.entradas import texto_limpiar

ERROR_CUENTA_INACTIVA = _(
    "Su cuenta en el sistema está dada de baja. Si debe volver a tener acceso, pídalo a la "
    "persona administradora del sistema."
)
ERROR_IDENTIDAD_AMBIGUA = _(
    "Su correo coincide con más de una cuenta del sistema, así que no se vinculó ninguna. "
    "Pida a la persona administradora que deje el correo en una sola cuenta, o que registre "
    "su CURP en su perfil."
)
ERROR_SIN_IDENTIDAD = _(
    "El proveedor de identidad no envió su CURP ni un correo verificado; sin ellos no se "
    "puede saber qué cuenta es la suya."
)


@dataclass(frozen=True)
class Identidad:
    """What a provider asserted about the person who just signed in with it."""

    proveedor: str  # the provider's name shown to people (the state's «Llave …»)
    clave: str  # the provider's id in the system ("openid_connect/estatal", "llave")
    uid: str
    correo: str = ""
    correo_verificado: bool = False
    curp: str = ""
    nombre: str = ""
    # The provider's own assertion of a second factor ("amr: pwd otp"), when the
    # configuration trusts it; empty otherwise.
    mfa: str = ""

    def resumen(self) -> dict:
        """What the audit keeps: who the provider said it was, never a token."""
        return {
            "proveedor": self.clave,
            "uid": self.uid,
            "correo": self.correo,
            "curp": self.curp,
            "mfa": self.mfa,
        }


class EntradaRechazada(Exception):
    """The provider vouched for someone who may not get in; the message is for them."""

    def __init__(self, mensaje):
        super().__init__(str(mensaje))
        self.mensaje = mensaje


class AccesoEnEspera(Exception):
    """Nobody here matches; an administrator has been told."""

    def __init__(self, pendiente: AccesoPendiente):
        super().__init__(str(pendiente))
        self.pendiente = pendiente


def _nombre(usuario) -> str:
    return usuario.get_full_name() or usuario.get_username()


def cuenta_de(identidad: Identidad):
    """The account this identity belongs to: by CURP first (it is the person's), then by a
    verified e-mail. None when nothing matches; refused when the e-mail is ambiguous."""
    correo = identidad.correo if identidad.correo_verificado else ""
    if not identidad.curp and not correo:
        raise EntradaRechazada(ERROR_SIN_IDENTIDAD)
    User = get_user_model()
    if identidad.curp:
        por_curp = User.objects.filter(perfil__curp=identidad.curp.upper()).first()
        if por_curp is not None:
            return por_curp
    por_correo = list(User.objects.filter(email__iexact=correo)[:2]) if correo else []
    if len(por_correo) > 1:
        raise EntradaRechazada(ERROR_IDENTIDAD_AMBIGUA)
    return por_correo[0] if por_correo else None


def entrada_resolver(*, identidad: Identidad, vinculada_a=None):
    """The account the person enters with. `vinculada_a` is the account an earlier sign-in
    already linked to this identity; otherwise one is looked up (and the caller links it).
    Raises EntradaRechazada or AccesoEnEspera, both audited."""
    try:
        usuario = vinculada_a if vinculada_a is not None else cuenta_de(identidad)
        if usuario is not None and not usuario.is_active:
            raise EntradaRechazada(ERROR_CUENTA_INACTIVA)
    except EntradaRechazada as rechazo:
        entrada_rechazar(identidad=identidad, motivo=str(rechazo.mensaje))
        raise
    if usuario is None:
        raise AccesoEnEspera(acceso_pendiente_registrar(identidad=identidad))
    return usuario


@transaction.atomic
def entrada_rechazar(*, identidad: Identidad | None, motivo: str, proveedor: str = "") -> None:
    """A refused sign-in through a provider: a wrong state or nonce, a replayed code, an
    expired token, an inactive account."""
    nombre = identidad.proveedor if identidad else proveedor
    evento_registrar(
        tipo="entrada_rechazada",
        descripcion=f"Entrada rechazada con {nombre}",
        motivo=motivo[:500],
        datos=identidad.resumen() if identidad else {"proveedor": proveedor},
    )


@transaction.atomic
def vinculacion_registrar(*, identidad: Identidad, usuario) -> None:
    """The first sign-in of an existing account through this provider: the link."""
    evento_registrar(
        tipo="cuenta_vinculada",
        descripcion=f"{_nombre(usuario)} vinculó su cuenta con {identidad.proveedor}",
        usuario=usuario,
        datos=identidad.resumen(),
    )
    AccesoPendiente.objects.filter(
        Q(proveedor=identidad.clave, uid=identidad.uid), atendido_en__isnull=True
    ).update(atendido_en=timezone.now(), cuenta=usuario)


@transaction.atomic
def entrada_registrar(*, identidad: Identidad, usuario) -> None:
    evento_registrar(
        tipo="entrada_proveedor",
        descripcion=f"{_nombre(usuario)} entró con {identidad.proveedor}",
        usuario=usuario,
        datos=identidad.resumen(),
    )


@transaction.atomic
def acceso_pendiente_registrar(*, identidad: Identidad) -> AccesoPendiente:
    """Keep (or refresh) the person in the list of pending access, audit it, and tell the
    administrators the first time."""
    ahora = timezone.now()
    pendiente, nuevo = AccesoPendiente.objects.select_for_update().get_or_create(
        proveedor=identidad.clave,
        uid=identidad.uid[:255],
        defaults={
            "proveedor_nombre": identidad.proveedor[:100],
            "correo": identidad.correo[:254],
            "curp": identidad.curp[:18].upper(),
            # Shown to the administrators and in their e-mail: without the invisible
            # characters a provider may have let through (estandares.entradas).
            "nombre": texto_limpiar(identidad.nombre)[:200],
            "ultima_vez": ahora,
        },
    )
    if not nuevo:
        pendiente.intentos += 1
        pendiente.ultima_vez = ahora
        pendiente.atendido_en = None
        pendiente.save(update_fields=["intentos", "ultima_vez", "atendido_en"])
    evento_registrar(
        tipo="acceso_pendiente",
        descripcion=f"{pendiente} entró con {identidad.proveedor} y no tiene cuenta",
        datos=identidad.resumen(),
    )
    if nuevo:
        aviso_encolar(
            asunto=f"Acceso pendiente: {pendiente}",
            mensaje=(
                f"{pendiente} entró con {identidad.proveedor} y ninguna cuenta del sistema "
                f"tiene su CURP ({identidad.curp or 'no la envió'}) ni su correo "
                f"({identidad.correo or 'no lo envió'}).\n\n"
                "Si debe tener acceso, registre su cuenta con ese correo o esa CURP en la "
                "administración y otórguele su rol en «Personas y roles»; en su siguiente "
                "entrada la cuenta se vincula."
            ),
            destinatarios=correos_de_administradores(),
            enlace=enlace("cuentas:roles"),
            accion="Abrir «Personas y roles»",
            motivo=MOTIVO_ADMINISTRADOR,
        )
    return pendiente
