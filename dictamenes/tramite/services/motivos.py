"""The catalogue of reasons for not approving an item (issue 48): one audited door that adds a
reason or changes one. A reason already cited keeps its key (the open data count by it), and
it is retired (activo) rather than deleted. Reached only through a second administrator's
approval (operacion.services.configuracion)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import MotivoRechazo
from dictamenes.organizacion.selectors.usuarios import administra_roles

ERROR_MOTIVOS_SIN_PERMISO = _("Solo una persona administradora mantiene el catálogo de motivos.")
ERROR_MOTIVO_SIN_NOMBRE = _("Escriba el motivo.")
ERROR_MOTIVO_DUPLICADO = _("Ya existe el motivo «%(nombre)s».")
ERROR_MOTIVO_SIN_CAMBIOS = _("No cambió nada: el motivo ya es así.")

CAMPOS = ("nombre", "descripcion", "orden", "activo")


def valores(motivo: MotivoRechazo | None) -> dict:
    if motivo is None:
        return {"nombre": "", "descripcion": "", "orden": 0, "activo": False}
    return {campo: getattr(motivo, campo) for campo in CAMPOS}


def etiqueta(campo: str) -> str:
    return str(MotivoRechazo._meta.get_field(campo).verbose_name)


def _clave_nueva(nombre: str) -> str:
    largo = MotivoRechazo._meta.get_field("clave").max_length
    base = slugify(nombre)[: largo - 4].strip("-") or "motivo"
    clave, n = base, 2
    while MotivoRechazo.objects.filter(clave=clave).exists():
        clave, n = f"{base}-{n}", n + 1
    return clave


@transaction.atomic
def motivo_guardar(*, datos: dict, por, motivo_cambio: str, motivo=None) -> MotivoRechazo:
    """Add a reason (`motivo` None) or change one; `datos` states every field of CAMPOS."""
    if not administra_roles(usuario=por):
        raise PermissionDenied(ERROR_MOTIVOS_SIN_PERMISO)
    nombre = " ".join(str(datos["nombre"] or "").split())
    if not nombre:
        raise ValidationError({"nombre": ERROR_MOTIVO_SIN_NOMBRE})
    otros = MotivoRechazo.objects.filter(nombre__iexact=nombre)
    if motivo is not None:
        motivo = MotivoRechazo.objects.select_for_update().get(pk=motivo.pk)
        otros = otros.exclude(pk=motivo.pk)
    if otros.exists():
        raise ValidationError({"nombre": ERROR_MOTIVO_DUPLICADO % {"nombre": nombre}})
    antes = valores(motivo)
    if motivo is None:
        motivo = MotivoRechazo(clave=_clave_nueva(nombre))
    motivo.nombre = nombre
    motivo.descripcion = datos["descripcion"] or ""
    motivo.orden = datos["orden"]
    motivo.activo = datos["activo"]
    motivo.full_clean()
    despues = valores(motivo)
    if antes == despues:
        raise ValidationError(ERROR_MOTIVO_SIN_CAMBIOS, code="sin_cambios")
    nuevo = motivo.pk is None
    motivo.save()
    evento_registrar(
        tipo="motivo_agregado" if nuevo else "motivo_cambiado",
        descripcion=f"Motivo de no aprobación «{motivo.nombre}» "
        + ("agregado" if nuevo else "cambiado"),
        usuario=por,
        motivo=motivo_cambio,
        datos={"motivo": motivo.pk, "clave": motivo.clave, "antes": antes, "despues": despues},
    )
    return motivo
