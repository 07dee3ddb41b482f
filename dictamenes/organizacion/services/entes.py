"""An agency's name (issue 59): the one door that changes it. It is called on a second
administrator's approval (operacion.services.cambios.tipos_entes), never alone: the admin site
shows the name read-only. The name it replaces is kept with the last day it was in force
(EnteNombre), so what was published for a past year keeps calling the agency what it was
called then (organizacion.selectors.entes)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import Ente, EnteNombre
from dictamenes.organizacion.selectors.usuarios import administra_roles
from estandares.datos_personales import hallazgos

ERROR_ENTES_SIN_PERMISO = _("Solo una persona administradora pide cambiar el nombre de un ente.")
ERROR_ENTE_SIN_NOMBRE = _("Escriba el nuevo nombre del ente.")
ERROR_ENTE_MISMO_NOMBRE = _("El ente ya se llama «%(nombre)s».")
ERROR_ENTE_NOMBRE_DUPLICADO = _("Ya hay un ente llamado «%(nombre)s»; elija otro nombre.")
ERROR_ANTERIOR_CON_DATOS_PERSONALES = _(
    "El nombre vigente del ente tiene datos personales y los ejercicios pasados lo publicarían: "
    "marque «Es una corrección», para que se publiquen con el nombre nuevo."
)


def nombre_normalizar(nombre: str) -> str:
    """One line, single spaces: what the agency will be called."""
    return " ".join((nombre or "").split())


def ente_nombre_validar(*, ente: Ente, nombre: str) -> str:
    """The new name, checked as the door will save it (the model's own checks included)."""
    nombre = nombre_normalizar(nombre)
    if not nombre:
        raise ValidationError({"nombre": ERROR_ENTE_SIN_NOMBRE})
    if nombre == ente.nombre:
        raise ValidationError(
            {
                "nombre": ValidationError(
                    ERROR_ENTE_MISMO_NOMBRE, code="mismo_nombre", params={"nombre": nombre}
                )
            }
        )
    if Ente.objects.filter(nombre__iexact=nombre).exclude(pk=ente.pk).exists():
        raise ValidationError(
            {
                "nombre": ValidationError(
                    ERROR_ENTE_NOMBRE_DUPLICADO, code="duplicado", params={"nombre": nombre}
                )
            }
        )
    return nombre


@transaction.atomic
def ente_renombrar(
    *,
    ente: Ente,
    nombre: str,
    por,
    motivo: str = "",
    correccion: bool = False,
    hoy: datetime.date | None = None,
) -> Ente:
    """The agency is called `nombre` from today on; until yesterday it was called what it was.
    A `correccion` fixes a name that was wrong (misspelt, or with an e-mail or a telephone
    typed into it): the wrong one is not kept, so past years are published with the fixed one
    too."""
    if not administra_roles(usuario=por):
        raise PermissionDenied(ERROR_ENTES_SIN_PERMISO)
    ente = Ente.objects.select_for_update().get(pk=ente.pk)
    nombre = ente_nombre_validar(ente=ente, nombre=nombre)
    hoy = hoy or timezone.localdate()
    anterior = ente.nombre
    if not correccion and hallazgos(anterior):
        # Kept, it would be published for past years (EnteNombre refuses it as Ente.nombre
        # does, issue 77): a name typed with personal data is fixed, not kept.
        raise ValidationError(
            {
                "correccion": ValidationError(
                    ERROR_ANTERIOR_CON_DATOS_PERSONALES, code="anterior_con_datos_personales"
                )
            }
        )
    if not correccion:
        historia = EnteNombre(
            ente=ente, nombre=anterior, vigente_hasta=hoy - datetime.timedelta(days=1)
        )
        historia.full_clean()
        historia.save()
    ente.nombre = nombre
    ente.full_clean()
    ente.save(update_fields=["nombre"])
    verbo = "corregido a" if correccion else "renombrado"
    evento_registrar(
        tipo="ente_renombrado",
        descripcion=f"Ente {ente.siglas} «{anterior}» {verbo} «{ente.nombre}»",
        usuario=por,
        motivo=(motivo or "").strip(),
        datos={
            "ente": ente.pk,
            "siglas": ente.siglas,
            "de": anterior,
            "a": ente.nombre,
            "desde": hoy.isoformat(),
            "correccion": correccion,
        },
    )
    return ente
