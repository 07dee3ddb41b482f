"""The track a request follows (issue 36): given by the rule when the request is presented and
again when the mesa admits it, and moved to the full track by the mesa, with a reason.

The rule itself is selectors.vias.via_que_corresponde. Nothing moves a request onto the fast
track but the rule: there is no door for it, and a request the mesa moved to the full track
stays there (via_movida) whatever the rule says later."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dictamenes.models import Solicitud
from dictamenes.models.vias import Via
from dictamenes.selectors.access import exigir_ajeno_al_ente
from dictamenes.selectors.vias import via_de_solicitud, vias_vigentes
from dictamenes.services.auditoria import evento_registrar

ERROR_VIA_SIN_PERMISO = _("Solo la mesa de control pasa una solicitud a la vía completa.")
ERROR_VIA_FUERA_DE_ADMISION = _(
    "Una solicitud pasa a la vía completa solo mientras está en admisión o prevenida; esta "
    "está en «%(estado)s»."
)
ERROR_VIA_SIN_MOTIVO = _("Escriba el motivo para pasar la solicitud a la vía completa.")
ERROR_VIA_YA_COMPLETA = _("La solicitud ya sigue la vía completa: no hay nada que cambiar.")

# The states in which the mesa may still change the track: the review tasks are made when it
# admits the request.
EN_ADMISION = (Solicitud.Estado.ADMISION, Solicitud.Estado.PREVENIDA)
MOVIDA = "La mesa de control la pasó a la vía completa: %(motivo)s"


def via_asignar(*, solicitud, usuario, al_admitir: bool = False) -> None:
    """Give the request the track the rule says, with the version in force, unless the mesa
    moved it to the full track, and say it in the history: an event `via` when presented, and
    when admitted if the track or its reasons changed meanwhile (a prevención corrected its
    items, a new version of the tracks). Called inside the presentation's or the admission's
    transaction."""
    if solicitud.via_movida:
        return
    config = vias_vigentes()
    antes = (solicitud.via, list(solicitud.via_razones))
    solicitud.via, solicitud.via_razones = via_de_solicitud(solicitud=solicitud, config=config)
    solicitud.via_config = config
    solicitud.save(update_fields=["via", "via_razones", "via_config"])
    if al_admitir and antes == (solicitud.via, solicitud.via_razones):
        return
    nombre = str(Via(solicitud.via).label).lower()
    evento_registrar(
        tipo="via",
        descripcion=f"Al admitirla, sigue la {nombre}" if al_admitir else f"Sigue la {nombre}",
        usuario=usuario,
        solicitud=solicitud,
        motivo=" ".join(solicitud.via_razones),
        datos={
            "via": solicitud.via,
            "via_razones": list(solicitud.via_razones),
            "via_config": config.version,
        },
    )


@transaction.atomic
def via_pasar_a_completa(*, solicitud, usuario, motivo: str) -> Solicitud:
    """The mesa de control moves a request to the full track, with a reason and an event."""
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    if usuario.is_superuser or not usuario.has_perm("dictamenes.admitir_solicitud"):
        raise PermissionDenied(ERROR_VIA_SIN_PERMISO)
    exigir_ajeno_al_ente(usuario=usuario, solicitud=solicitud)
    if solicitud.estado not in EN_ADMISION:
        raise ValidationError(
            ERROR_VIA_FUERA_DE_ADMISION,
            code="fuera_de_admision",
            params={"estado": solicitud.get_estado_display()},
        )
    if solicitud.via == Via.COMPLETA:
        raise ValidationError(ERROR_VIA_YA_COMPLETA, code="ya_completa")
    motivo = (motivo or "").strip()
    if not motivo:
        raise ValidationError(ERROR_VIA_SIN_MOTIVO, code="sin_motivo")
    anterior = solicitud.via
    solicitud.via = Via.COMPLETA
    solicitud.via_movida = True
    solicitud.via_razones = [*solicitud.via_razones, MOVIDA % {"motivo": motivo}]
    solicitud.save(update_fields=["via", "via_movida", "via_razones"])
    evento_registrar(
        tipo="via_completa",
        descripcion="La mesa de control pasó la solicitud a la vía completa",
        usuario=usuario,
        solicitud=solicitud,
        motivo=motivo,
        datos={"de": anterior, "via": Via.COMPLETA},
    )
    return solicitud
