"""Four eyes on the rules (issue 48). A change of the configuration the procedure runs on (the
review tracks, the institution's texts, the stage deadlines, the areas, publishing a standards
edition, the reasons catalogue, a state's profile) is asked by one administrator and takes
effect only when a second one approves it, with the rules of the changes to accounts
(personas.services.control_dual): nobody resolves their own, the break-glass account never
does, approving what changed since it was asked is a conflict, and every step is audited in
its transaction and told by e-mail (the other administrators when asked; who asked and the
people who work under that rule when resolved).

A change is checked whole when asked, by rehearsing the door that will apply it
(operacion.services.cambios.tipos), so what waits for approval is what can be applied; and it
states every value it sets, which the page of changes shows, before → after."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dictamenes import exceptions
from dictamenes.avisos.services import MOTIVO_ADMINISTRADOR, aviso_encolar, enlace
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import CambioPendiente
from dictamenes.operacion.services.cambios.tipos import TIPOS
from dictamenes.organizacion.selectors.usuarios import (
    administra_roles,
    correos_de_administradores,
    correos_de_roles,
)
from dictamenes.organizacion.services.emergencia import administradores_activos
from dictamenes.personas.services import control_dual
from dictamenes.personas.services.cambios_pendientes import persona_nombre
from estandares.motivos import motivo_leer

ERROR_CONFIGURACION_CAMBIO = _(
    "La configuración cambió después de pedirse este cambio: %(que)s. Recházelo y pida uno "
    "nuevo sobre lo vigente."
)
ERROR_YA_PEDIDO = _(
    "Ya hay un cambio pendiente de «%(titulo)s», pedido por %(quien)s el %(cuando)s: "
    "espere a que otra persona administradora lo resuelva, o pida que lo rechace."
)


def hay_segundo_administrador() -> bool:
    """Dual control can work: two active administrators who can approve."""
    return administradores_activos().count() >= 2


def _objeto(tipo: str, accion: str, pedido: dict) -> dict:
    """What two pending changes would both change (one at a time for each)."""
    if (objeto := getattr(TIPOS[tipo], "objeto", None)) is not None:
        return objeto(accion, pedido)
    if tipo == CambioPendiente.Tipo.AREA:
        return {"accion": accion, "area": pedido.get("area"), "nombre": pedido.get("nombre")}
    if tipo == CambioPendiente.Tipo.MOTIVO:
        return {"motivo": pedido.get("motivo"), "nombre": pedido.get("nombre")}
    if tipo == CambioPendiente.Tipo.EDICION:
        return {"publicacion": pedido.get("publicacion")}
    if tipo == CambioPendiente.Tipo.DIAS_INHABILES:
        return {"fecha": pedido.get("fecha")}
    return {}


def _exigir_sin_otro_pendiente(*, tipo, objeto: dict, titulo: str) -> None:
    igual = CambioPendiente.objects.filter(tipo=tipo, estado=CambioPendiente.Estado.PENDIENTE)
    for clave, valor in objeto.items():
        if valor is not None:
            igual = igual.filter(**{f"datos__objeto__{clave}": valor})
    previo = igual.select_related("pedido_por").order_by("pedido_en").first()
    if previo is not None:
        raise ValidationError(
            ERROR_YA_PEDIDO,
            code="ya_pedido",
            params={
                "titulo": previo.datos.get("titulo", titulo),
                "quien": persona_nombre(previo.pedido_por),
                "cuando": f"{timezone.localtime(previo.pedido_en):%d/%m/%Y %H:%M}",
            },
        )


def _linea(valor) -> str:
    """A multi-line text (the legal basis, the letterhead) on one line, as events keep it."""
    return " ".join(str(valor).split())


def describir(*, cambio: CambioPendiente) -> str:
    """What the change does, in one line: the changed values, before → after."""
    if not cambio.es_de_configuracion:
        return control_dual.describir(cambio=cambio)
    cambios = [f for f in cambio.datos["filas"] if f["cambia"]]
    return f"{cambio.datos['titulo']}: " + "; ".join(
        f"{f['campo']}: «{_linea(f['antes'])}» → «{_linea(f['despues'])}»" for f in cambios
    )


def _detalles(cambio: CambioPendiente) -> list[tuple[str, str]]:
    return [
        ("Cambio", cambio.datos["titulo"]),
        *[
            (f["campo"], f"{f['antes']} → {f['despues']}" if f["cambia"] else f["despues"])
            for f in cambio.datos["filas"]
        ],
        (
            "Pedido por",
            f"{persona_nombre(cambio.pedido_por)}, el "
            f"{timezone.localtime(cambio.pedido_en):%d/%m/%Y a las %H:%M}",
        ),
        ("Motivo", cambio.motivo),
    ]


@transaction.atomic
def configuracion_pedir(
    *, tipo: str, pedido: dict, por, motivo: str, accion: str = "guardar", archivo=None
) -> CambioPendiente:
    """Ask for a change of the configuration. Checked now as if it were applied now; nothing
    takes effect until another administrator approves. ValidationError in Spanish (a dict by
    field when it is the door's)."""
    if not administra_roles(usuario=por):
        raise PermissionDenied(control_dual.ERROR_NO_ES_ADMINISTRADOR)
    motivo = motivo_leer(motivo, campo="motivo", vacio=control_dual.ERROR_SIN_MOTIVO)
    clase = TIPOS[tipo]
    preparado = clase.preparar(accion=accion, pedido=pedido, por=por, archivo=archivo)
    objeto = _objeto(tipo, accion, preparado["pedido"])
    _exigir_sin_otro_pendiente(tipo=tipo, objeto=objeto, titulo=preparado["titulo"])
    cambio = CambioPendiente(
        tipo=tipo,
        # A change about someone (their cargo, issue 59): they do not approve it.
        persona=getattr(clase, "persona", lambda pedido: None)(preparado["pedido"]),
        pedido_por=por,
        motivo=motivo,
        datos={"accion": accion, "objeto": objeto, **preparado},
    )
    cambio.full_clean()
    cambio.save()
    evento_registrar(
        tipo="cambio_pedido",
        descripcion=f"{persona_nombre(por)} pide {describir(cambio=cambio)}; espera la "
        "aprobación de otra persona administradora",
        usuario=por,
        motivo=motivo,
        datos={"cambio": cambio.pk, "tipo": tipo, **cambio.datos},
    )
    aviso_encolar(
        asunto=f"Cambio por aprobar: {cambio.datos['titulo']}",
        destinatarios=[c for c in correos_de_administradores() if c != por.email],
        mensaje=(
            f"{persona_nombre(por)} pidió el cambio de abajo. No tiene efecto hasta que otra "
            "persona administradora lo apruebe; revíselo y apruébelo o recházelo con su motivo."
        ),
        detalles=_detalles(cambio),
        enlace=enlace("cuentas:cambios", ancla=f"cambio-{cambio.pk}"),
        accion="Aprobar o rechazar el cambio",
        motivo=MOTIVO_ADMINISTRADOR,
    )
    return cambio


def _avisar_resuelto(*, cambio: CambioPendiente, por) -> None:
    aprobado = cambio.estado == CambioPendiente.Estado.APROBADO
    titulo = cambio.datos["titulo"]
    # A change about someone (a loan to an area, issue 50): they hear how it ended too.
    persona = [cambio.persona.email] if cambio.persona_id else []
    if aprobado:
        destinatarios = {
            *correos_de_administradores(),
            *correos_de_roles(roles=TIPOS[cambio.tipo].roles),
            *persona,
        }
        mensaje = (
            f"{persona_nombre(por)} aprobó el cambio de abajo, que pidió "
            f"{persona_nombre(cambio.pedido_por)}: ya tiene efecto."
        )
    else:
        destinatarios = {cambio.pedido_por.email, *correos_de_administradores(), *persona}
        mensaje = (
            f"{persona_nombre(por)} rechazó el cambio de abajo, que pidió "
            f"{persona_nombre(cambio.pedido_por)}: no tuvo efecto. Motivo del rechazo: "
            f"{cambio.motivo_resolucion}"
        )
    aviso_encolar(
        asunto=f"Cambio {cambio.get_estado_display().lower()}: {titulo}",
        destinatarios=sorted(c for c in destinatarios if c),
        mensaje=mensaje,
        detalles=_detalles(cambio),
        enlace=enlace("cuentas:cambios", ancla="t-resueltos") if not aprobado else enlace("inicio"),
        accion="Ver los cambios resueltos" if not aprobado else "Entrar a Dictámenes TIC",
        motivo=(
            "Recibe este aviso porque administra Dictámenes TIC o trabaja con la regla que cambió."
        ),
    )


def _resolver(*, cambio: CambioPendiente, por, estado, motivo_resolucion: str = ""):
    cambio.estado = estado
    cambio.resuelto_por = por
    cambio.resuelto_en = timezone.now()
    cambio.motivo_resolucion = motivo_resolucion
    cambio.save(update_fields=["estado", "resuelto_por", "resuelto_en", "motivo_resolucion"])
    verbo = "aprueba" if estado == CambioPendiente.Estado.APROBADO else "rechaza"
    evento_registrar(
        tipo=f"cambio_{'aprobado' if verbo == 'aprueba' else 'rechazado'}",
        descripcion=f"{persona_nombre(por)} {verbo} {describir(cambio=cambio)}, pedido por "
        f"{persona_nombre(cambio.pedido_por)}",
        usuario=por,
        motivo=motivo_resolucion or cambio.motivo,
        datos={"cambio": cambio.pk, "tipo": cambio.tipo, "pedido": cambio.datos["pedido"]},
    )
    _avisar_resuelto(cambio=cambio, por=por)


@transaction.atomic
def cambio_aprobar(*, cambio: CambioPendiente, por) -> CambioPendiente:
    """A second administrator approves: the change takes effect now, through its door, as the
    one who asked it, provided what it was asked against is still what is in force."""
    if not cambio.es_de_configuracion:
        return control_dual.cambio_aprobar(cambio=cambio, por=por)
    control_dual.exigir_quien_resuelve(cambio=cambio, por=por)
    cambio = control_dual.bloquear_pendiente(cambio)
    clase, accion, pedido = TIPOS[cambio.tipo], cambio.datos["accion"], cambio.datos["pedido"]
    ahora = clase.estado(accion=accion, pedido=pedido, por=cambio.pedido_por)
    if ahora != cambio.datos["antes"]:
        raise exceptions.Conflicto(
            ERROR_CONFIGURACION_CAMBIO,
            code="configuracion_cambio",
            params={"que": cambio.datos["titulo"]},
        )
    try:
        clase.aplicar(accion=accion, pedido=pedido, por=cambio.pedido_por, motivo=cambio.motivo)
    except PermissionDenied as exc:  # who asked is no longer an administrator
        raise exceptions.Conflicto(str(exc), code="ya_no_administra") from exc
    except ValidationError as exc:
        raise exceptions.Conflicto(" ".join(exc.messages), code="ya_no_aplica") from exc
    _resolver(cambio=cambio, por=por, estado=CambioPendiente.Estado.APROBADO)
    return cambio


@transaction.atomic
def cambio_rechazar(*, cambio: CambioPendiente, por, motivo: str) -> CambioPendiente:
    if not cambio.es_de_configuracion:
        return control_dual.cambio_rechazar(cambio=cambio, por=por, motivo=motivo)
    control_dual.exigir_quien_resuelve(cambio=cambio, por=por)
    motivo = motivo_leer(motivo, vacio=control_dual.ERROR_SIN_MOTIVO)
    cambio = control_dual.bloquear_pendiente(cambio)
    _resolver(
        cambio=cambio, por=por, estado=CambioPendiente.Estado.RECHAZADO, motivo_resolucion=motivo
    )
    return cambio
