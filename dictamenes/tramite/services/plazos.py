"""The stages' deadlines (PlazoEtapa), in business days: one audited door that sets one."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import PlazoEtapa
from dictamenes.organizacion.selectors.usuarios import administra_roles
from dictamenes.tramite.selectors.plazos import plazo_dias

ERROR_PLAZOS_SIN_PERMISO = _("Solo una persona administradora cambia los plazos de las etapas.")
ERROR_ETAPA_DESCONOCIDA = _("La etapa «%(etapa)s» no existe; las etapas son: %(etapas)s.")
ERROR_DIAS_FUERA = _(
    "El plazo de «%(etapa)s» debe ser un número entero de días hábiles entre 1 y 120."
)


@transaction.atomic
def plazo_fijar(*, etapa: str, dias: int, por, motivo: str = "") -> bool:
    """The stage's deadline becomes `dias` business days. False, and no event, when it already
    was; open tasks keep the due date they were given."""
    if not administra_roles(usuario=por):
        raise PermissionDenied(ERROR_PLAZOS_SIN_PERMISO)
    if etapa not in PlazoEtapa.Etapa.values:
        raise ValidationError(
            ERROR_ETAPA_DESCONOCIDA,
            code="etapa",
            params={"etapa": etapa, "etapas": ", ".join(PlazoEtapa.Etapa.values)},
        )
    nombre = PlazoEtapa.Etapa(etapa).label
    if isinstance(dias, bool) or not isinstance(dias, int) or not 1 <= dias <= 120:
        raise ValidationError(ERROR_DIAS_FUERA, code="dias", params={"etapa": nombre})
    anterior = plazo_dias(etapa=etapa)
    fila = PlazoEtapa.objects.select_for_update().filter(etapa=etapa).first()
    if fila is not None and fila.dias_habiles == dias:
        return False
    PlazoEtapa.objects.update_or_create(etapa=etapa, defaults={"dias_habiles": dias})
    evento_registrar(
        tipo="plazo_etapa",
        descripcion=f"Plazo de «{nombre}»: {dias} días hábiles (antes {anterior})",
        usuario=por,
        motivo=(motivo or "").strip(),
        datos={"etapa": etapa, "de": anterior, "a": dias},
    )
    return True
