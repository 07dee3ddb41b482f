"""Dual control of accounts (issue 33). A change to someone's identity data (e-mail, RFC,
CURP, which sign-in with the state's identity uses to link an account) and a grant of a role
of the procedure are asked by one administrator and take effect only when a second one, active
and not the break-glass account, approves them. Asking, approving and rejecting each write an
audit event in their transaction, and the person affected is told by e-mail (both addresses
when the e-mail changes)."""

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes import exceptions
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import CURP, RFC_PERSONA_FISICA, Area, CambioPendiente, Ente, Perfil
from dictamenes.organizacion.selectors.usuarios import (
    administra_roles,
)
from dictamenes.organizacion.services.emergencia import es_cuenta_emergencia
from dictamenes.personas.services import acceso, personas
from dictamenes.personas.services.cambios_pendientes import (
    CAMPOS_IDENTIDAD,
    cambio_avisar,
    cambio_pedir,
    cambio_resuelto_avisar,
    describir,
    persona_nombre,
)
from dictamenes.roles import Rol
from estandares.motivos import motivo_leer

ERROR_NO_ES_ADMINISTRADOR = personas.ERROR_ROLES_SIN_PERMISO
ERROR_APRUEBA_SU_PROPIO_CAMBIO = _(
    "Nadie aprueba ni rechaza su propio cambio: lo resuelve otra persona administradora."
)
ERROR_APRUEBA_SU_CUENTA = _("Nadie aprueba ni rechaza un cambio de su propia cuenta.")
ERROR_APRUEBA_QUIEN_CREO = _(
    "Quien creó la cuenta no aprueba ni rechaza sus cambios: lo resuelve otra persona "
    "administradora."
)
ERROR_CUENTA_EMERGENCIA = _(
    "La cuenta de emergencia no aprueba ni rechaza cambios: es para entrar cuando falla la "
    "identidad del Estado, no para el control dual."
)
ERROR_CAMBIO_RESUELTO = _("Este cambio ya fue %(estado)s por %(persona)s.")
ERROR_AREA_RETIRADA = _(
    "El área «%(area)s» se retiró después de que se pidió este cambio: recháselo y pida el rol "
    "para el área que recibió sus categorías."
)
ERROR_NADA_CAMBIA = _("Los datos escritos son los que la cuenta ya tiene: no hay nada que cambiar.")
ERROR_SIN_MOTIVO = _("Escriba el motivo; queda en la auditoría.")
ERROR_CORREO_OCUPADO = _("Otra cuenta ya usa el correo %(valor)s.")
ERROR_RFC_OCUPADO = _("Otra cuenta ya tiene el RFC %(valor)s.")
ERROR_CURP_OCUPADA = _("Otra cuenta ya tiene la CURP %(valor)s.")
ERROR_IDENTIDAD_SIN_PERFIL = _(
    "%(persona)s no tiene perfil: registre primero su RFC y cargo en «Perfiles»."
)
ERROR_DATOS_CAMBIARON = _(
    "El %(campo)s de la cuenta cambió después de pedirse este cambio (era %(antes)s, ahora es "
    "%(ahora)s). Recházelo y pida uno nuevo."
)


def _motivo(motivo: str) -> str:
    """The reason of a change asked or refused: it says something (estandares.motivos)."""
    return motivo_leer(motivo, vacio=ERROR_SIN_MOTIVO)


def creadores_de(*, ids) -> dict[int, int]:
    """Who added each account in the admin (its log entry), by account id, in one query:
    accounts made by a command or by the demo have none."""
    tipo = ContentType.objects.get_for_model(get_user_model())
    filas = (
        LogEntry.objects.filter(
            content_type=tipo, object_id__in=[str(i) for i in ids], action_flag=ADDITION
        )
        .order_by("-action_time")
        .values_list("object_id", "user_id")
    )
    return {int(objeto): usuario for objeto, usuario in filas}


def _exigir_que_pida(*, persona, por) -> None:
    if not administra_roles(usuario=por):
        raise PermissionDenied(ERROR_NO_ES_ADMINISTRADOR)
    if persona.is_superuser and not por.is_superuser:
        raise ValidationError(personas.ERROR_CUENTA_SUPERUSUARIO, code="cuenta_superusuario")


NOMBRES = ("first_name", "last_name", "username")


def _normalizar(campo: str, valor: str | None) -> str:
    valor = (valor or "").strip()
    if campo in ("first_name", "last_name"):
        return " ".join(valor.split())
    if campo == "username":
        return valor
    return valor.lower() if campo == "email" else valor.upper()


def _actuales(persona) -> dict[str, str]:
    perfil = Perfil.objects.filter(usuario=persona).first()
    return {
        **{campo: getattr(persona, campo) or "" for campo in NOMBRES},
        "email": persona.email or "",
        "rfc": perfil.rfc if perfil else "",
        "curp": (perfil.curp or "") if perfil else "",
    }


ERROR_USUARIO_OCUPADO = _("Otra cuenta ya usa el usuario %(valor)s.")
ERROR_USUARIO_VACIO = _("El usuario no puede quedar vacío.")


def _validar_nombre(*, persona, campo: str, valor: str) -> None:
    modelo = get_user_model()
    campo_modelo = modelo._meta.get_field(campo)
    if len(valor) > campo_modelo.max_length:
        raise ValidationError(
            _("El %(campo)s mide más de %(n)s caracteres."),
            code="largo",
            params={"campo": CAMPOS_IDENTIDAD[campo], "n": campo_modelo.max_length},
        )
    if campo != "username":
        return
    if not valor:
        raise ValidationError(ERROR_USUARIO_VACIO, code="usuario_vacio")
    modelo.username_validator(valor)
    if modelo.objects.filter(username__iexact=valor).exclude(pk=persona.pk).exists():
        raise ValidationError(
            ERROR_USUARIO_OCUPADO, code="usuario_ocupado", params={"valor": valor}
        )


def _validar_identidad(*, persona, campo: str, valor: str) -> None:
    """The new value is well formed and no other account holds it (sign-in links accounts by
    e-mail and by CURP, signing checks the RFC)."""
    if campo in NOMBRES:
        _validar_nombre(persona=persona, campo=campo, valor=valor)
        return
    if campo == "email":
        if valor:
            validate_email(valor)
        otra = get_user_model().objects.filter(email__iexact=valor).exclude(pk=persona.pk)
        error = ERROR_CORREO_OCUPADO
    elif campo == "rfc":
        RFC_PERSONA_FISICA(valor)
        otra = Perfil.objects.filter(rfc=valor).exclude(usuario=persona)
        error = ERROR_RFC_OCUPADO
    else:
        if valor:
            CURP(valor)
        otra = Perfil.objects.filter(curp=valor).exclude(usuario=persona)
        error = ERROR_CURP_OCUPADA
    if valor and otra.exists():
        raise ValidationError(error, code=f"{campo}_ocupado", params={"valor": valor})


@transaction.atomic
def cambio_identidad_pedir(
    *,
    persona,
    por,
    motivo: str,
    email=None,
    rfc=None,
    curp=None,
    first_name=None,
    last_name=None,
    username=None,
) -> CambioPendiente:
    """Ask to change a person's names, username, e-mail, RFC or CURP (None: left as is; ""
    empties the CURP). Nothing changes until a second administrator approves."""
    _exigir_que_pida(persona=persona, por=por)
    motivo = _motivo(motivo)
    persona = get_user_model().objects.select_for_update().get(pk=persona.pk)
    actuales = _actuales(persona)
    pedidos = {
        "first_name": first_name,
        "last_name": last_name,
        "username": username,
        "email": email,
        "rfc": rfc,
        "curp": curp,
    }
    cambios = {}
    for campo, valor in pedidos.items():
        if valor is None:
            continue
        valor = _normalizar(campo, valor)
        if valor == actuales[campo]:
            continue
        if campo in ("rfc", "curp") and not Perfil.objects.filter(usuario=persona).exists():
            raise ValidationError(
                ERROR_IDENTIDAD_SIN_PERFIL,
                code="sin_perfil",
                params={"persona": persona_nombre(persona)},
            )
        _validar_identidad(persona=persona, campo=campo, valor=valor)
        cambios[campo] = [actuales[campo], valor]
    if not cambios:
        raise ValidationError(ERROR_NADA_CAMBIA, code="nada_cambia")
    return cambio_pedir(
        tipo=CambioPendiente.Tipo.IDENTIDAD,
        persona=persona,
        por=por,
        motivo=motivo,
        datos={"cambios": cambios},
    )


def exigir_quien_resuelve(*, cambio: CambioPendiente, por, creadores=None) -> None:
    """Who may approve or reject: an active administrator other than the one who asked, the
    person affected and the one who created that account, and never the break-glass account.
    `creadores`: creadores_de for a page of changes, read once."""
    if not administra_roles(usuario=por):
        raise PermissionDenied(ERROR_NO_ES_ADMINISTRADOR)
    if es_cuenta_emergencia(usuario=por):
        raise PermissionDenied(ERROR_CUENTA_EMERGENCIA)
    if cambio.pedido_por_id == por.pk:
        raise PermissionDenied(ERROR_APRUEBA_SU_PROPIO_CAMBIO)
    if cambio.persona_id is None:  # a change of the configuration (issue 48)
        return
    if cambio.persona_id == por.pk:
        raise PermissionDenied(ERROR_APRUEBA_SU_CUENTA)
    if creadores is None:
        creadores = creadores_de(ids=[cambio.persona_id])
    if creadores.get(cambio.persona_id) == por.pk:
        raise PermissionDenied(ERROR_APRUEBA_QUIEN_CREO)


def bloquear_pendiente(cambio: CambioPendiente) -> CambioPendiente:
    cambio = (
        CambioPendiente.objects.select_for_update(of=("self",))
        .select_related("persona", "pedido_por", "resuelto_por")
        .get(pk=cambio.pk)
    )
    if cambio.estado != CambioPendiente.Estado.PENDIENTE:
        raise exceptions.Conflicto(
            ERROR_CAMBIO_RESUELTO,
            code="cambio_resuelto",
            params={
                "estado": cambio.get_estado_display().lower(),
                "persona": persona_nombre(cambio.resuelto_por),
            },
        )
    return cambio


def _aplicar_identidad(*, cambio: CambioPendiente) -> None:
    persona = get_user_model().objects.select_for_update().get(pk=cambio.persona_id)
    actuales = _actuales(persona)
    for campo, (antes, despues) in cambio.datos["cambios"].items():
        if actuales[campo] != antes:
            raise exceptions.Conflicto(
                ERROR_DATOS_CAMBIARON,
                code="datos_cambiaron",
                params={
                    "campo": CAMPOS_IDENTIDAD[campo],
                    "antes": antes or "—",
                    "ahora": actuales[campo] or "—",
                },
            )
        _validar_identidad(persona=persona, campo=campo, valor=despues)
    cambios = cambio.datos["cambios"]
    de_la_cuenta = [c for c in (*NOMBRES, "email") if c in cambios]
    if de_la_cuenta:
        for campo in de_la_cuenta:
            setattr(persona, campo, cambios[campo][1])
        persona.full_clean()
        persona.save(update_fields=de_la_cuenta)
    if "rfc" in cambios or "curp" in cambios:
        perfil = Perfil.objects.select_for_update().get(usuario=persona)
        if "rfc" in cambios:
            perfil.rfc = cambios["rfc"][1]
        if "curp" in cambios:
            perfil.curp = cambios["curp"][1] or None
        perfil.full_clean()
        perfil.save(update_fields=[c for c in ("rfc", "curp") if c in cambios])


def _aplicar_retiro(*, cambio: CambioPendiente, por) -> None:
    """A role of the procedure taken away on approval: checked again now (the person still
    holds it; two administrators remain)."""
    try:
        personas.rol_retiro_aplicar(
            usuario=cambio.persona,
            rol=Rol(cambio.datos["rol"]),
            por=por,
            motivo=cambio.motivo,
            datos={"cambio": cambio.pk, "pedido_por": cambio.pedido_por_id},
        )
    except ValidationError as exc:
        raise exceptions.Conflicto(" ".join(exc.messages), code=exc.code) from exc


@transaction.atomic
def cambio_aprobar(*, cambio: CambioPendiente, por) -> CambioPendiente:
    """A second administrator approves: the change takes effect now, checked again as if it
    were asked now (the role still fits, the old data is still the data)."""
    exigir_quien_resuelve(cambio=cambio, por=por)
    cambio = bloquear_pendiente(cambio)
    if cambio.tipo == CambioPendiente.Tipo.ROL:
        retirada = Area.objects.filter(pk__in=cambio.datos["areas"], activa=False).first()
        if retirada is not None:
            raise exceptions.Conflicto(
                ERROR_AREA_RETIRADA, code="area_retirada", params={"area": retirada.nombre}
            )
        personas.rol_aplicar(
            usuario=cambio.persona,
            rol=Rol(cambio.datos["rol"]),
            por=por,
            motivo=cambio.motivo,
            ente=Ente.objects.filter(pk=cambio.datos["ente"]).first(),
            areas=Area.objects.filter(pk__in=cambio.datos["areas"]),
            datos={"cambio": cambio.pk, "pedido_por": cambio.pedido_por_id},
        )
    elif cambio.tipo == CambioPendiente.Tipo.RETIRO_ROL:
        _aplicar_retiro(cambio=cambio, por=por)
    elif cambio.tipo == CambioPendiente.Tipo.ACCESO:
        acceso.acceso_aplicar(cambio=cambio, por=por)
    else:
        _aplicar_identidad(cambio=cambio)
    cambio.estado = CambioPendiente.Estado.APROBADO
    cambio.resuelto_por = por
    cambio.resuelto_en = timezone.now()
    cambio.save(update_fields=["estado", "resuelto_por", "resuelto_en"])
    evento_registrar(
        tipo="cambio_aprobado",
        descripcion=f"{persona_nombre(por)} aprueba {describir(cambio=cambio)} a "
        f"{persona_nombre(cambio.persona)}, pedido por {persona_nombre(cambio.pedido_por)}",
        usuario=por,
        motivo=cambio.motivo,
        datos={"cambio": cambio.pk, "persona": cambio.persona_id, **cambio.datos},
    )
    cambio_avisar(
        cambio=cambio,
        asunto="Se aplicó un cambio en su cuenta",
        parrafo=(
            f"{persona_nombre(por)} aprobó el cambio de abajo en su cuenta de Dictámenes TIC, "
            "que ya tiene efecto."
        ),
    )
    cambio_resuelto_avisar(cambio=cambio)
    return cambio


@transaction.atomic
def cambio_rechazar(*, cambio: CambioPendiente, por, motivo: str) -> CambioPendiente:
    exigir_quien_resuelve(cambio=cambio, por=por)
    motivo = _motivo(motivo)
    cambio = bloquear_pendiente(cambio)
    cambio.estado = CambioPendiente.Estado.RECHAZADO
    cambio.resuelto_por = por
    cambio.resuelto_en = timezone.now()
    cambio.motivo_resolucion = motivo
    cambio.save(update_fields=["estado", "resuelto_por", "resuelto_en", "motivo_resolucion"])
    evento_registrar(
        tipo="cambio_rechazado",
        descripcion=f"{persona_nombre(por)} rechaza {describir(cambio=cambio)} a "
        f"{persona_nombre(cambio.persona)}, pedido por {persona_nombre(cambio.pedido_por)}",
        usuario=por,
        motivo=motivo,
        datos={"cambio": cambio.pk, "persona": cambio.persona_id, **cambio.datos},
    )
    cambio_avisar(
        cambio=cambio,
        asunto="Se rechazó un cambio en su cuenta",
        parrafo=(
            f"{persona_nombre(por)} rechazó el cambio de abajo en su cuenta de Dictámenes TIC: no "
            f"tuvo efecto. Motivo del rechazo: {motivo}"
        ),
    )
    cambio_resuelto_avisar(cambio=cambio)
    return cambio
