"""The track a request follows (issue 36): given by the rule when the request is presented,
again whenever its amount or items are corrected during a prevención (issue 47) and when the
mesa admits it, and moved to the full track by the mesa, with a reason.

The rule itself is reglas.vias.via_evaluar. Nothing moves a request onto the fast
track but the rule: there is no door for it, and a request the mesa moved to the full track
stays there (via_movida) whatever the rule says later. The office's configuration of the
tracks (its rules, thresholds and service standard) is edited in the console, through
operacion.services.vias; a request keeps pointing to the version its track was given under
(Solicitud.via_config)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import Solicitud
from dictamenes.models.vias import Via
from dictamenes.senales.services import senales_actualizar
from dictamenes.tramite.selectors import access
from dictamenes.tramite.selectors.vias import via_de_solicitud, vias_vigentes
from estandares.motivos import motivo_leer

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


REEXAMINADA = "Con %(folio)s, presentada después, es un posible fraccionamiento: sigue la %(via)s"
EN_REVISION_AVISADA = (
    "Con %(folio)s, presentada después, es un posible fraccionamiento; su revisión única ya "
    "empezó y sigue la vía rápida: la revisión estratégica lo ve en esta página"
)
# Undecided, past admission: the track no longer changes (its reviews exist).
EN_REVISION = (Solicitud.Estado.REVISION_TECNICA, Solicitud.Estado.REVISION_ESTRATEGICA)


def via_asignar(
    *,
    solicitud,
    usuario,
    al_admitir: bool = False,
    al_corregir: bool = False,
    por_posterior: str = "",
):
    """Give the request the track the rule says, with the version in force, unless the mesa
    moved it to the full track, and say it in the history: an event `via` when presented;
    when admitted or corrected during a prevención (`al_corregir`: its amount or items
    changed), only if the track or its reasons changed. The possible split purchases the
    rule found (issue 48) are kept apart too (Solicitud.via_fraccion), for the request's page
    and the indicators; a request the mesa moved keeps its track and reasons, but its split
    purchases are looked for all the same. Then the earlier requests this one may be split
    from are re-examined (_hermanas_reexaminar; `por_posterior`: the later request's folio,
    when this is one of them). Called inside the presentation's, the admission's or the
    correction's transaction."""
    _via_dar(
        solicitud=solicitud,
        usuario=usuario,
        al_admitir=al_admitir,
        al_corregir=al_corregir,
        por_posterior=por_posterior,
    )
    if not por_posterior and solicitud.folio:
        _hermanas_reexaminar(solicitud=solicitud)
    # Issue 80: what the track read (the items, their quotes, the split purchases, the day it
    # was presented) is what most signs read: computed here, for this request and for each
    # earlier one re-examined (called again with por_posterior).
    senales_actualizar(solicitud)


def _via_dar(*, solicitud, usuario, al_admitir, al_corregir, por_posterior) -> None:
    config = vias_vigentes()
    decidida = via_de_solicitud(solicitud=solicitud, config=config)
    solicitud.via_fraccion = [f.como_dato() for f in decidida.fracciones]
    if solicitud.via_movida:
        solicitud.save(update_fields=["via_fraccion"])
        return
    antes = (solicitud.via, list(solicitud.via_razones))
    solicitud.via, solicitud.via_razones = decidida.via, decidida.razones
    solicitud.via_config = config
    solicitud.save(update_fields=["via", "via_razones", "via_config", "via_fraccion"])
    if (al_admitir or al_corregir or por_posterior) and antes == (
        solicitud.via,
        solicitud.via_razones,
    ):
        return
    nombre = str(Via(solicitud.via).label).lower()
    if por_posterior:
        descripcion = REEXAMINADA % {"folio": por_posterior, "via": nombre}
    elif al_admitir:
        descripcion = f"Al admitirla, sigue la {nombre}"
    elif al_corregir:
        descripcion = f"Con la corrección, sigue la {nombre}"
    else:
        descripcion = f"Sigue la {nombre}"
    evento_registrar(
        tipo="via",
        descripcion=descripcion,
        usuario=usuario,
        solicitud=solicitud,
        motivo=" ".join(solicitud.via_razones),
        datos={
            "via": solicitud.via,
            "via_razones": list(solicitud.via_razones),
            "via_config": config.version,
            **({"via_fraccion": solicitud.via_fraccion} if solicitud.via_fraccion else {}),
            **({"por_posterior": por_posterior} if por_posterior else {}),
        },
    )


def _hermanas_reexaminar(*, solicitud) -> None:
    """A later request re-examines the earlier ones it may be split from (issue 59, item 5):
    each of the same agency that is still on the fast track, not moved by the mesa and
    undecided is evaluated again by the rule, which now sees this one, whatever this one's own
    track (a later request over the threshold by itself still adds its items to an earlier
    one's category). Only those whose possible split purchases now name this request change:
    with their track still open to change (in admission or prevented) they are given their
    track again, audited, and its reasons, shown on its page, name this request; one already
    in review (technical or strategic) keeps its track, whose single review has begun (moving
    it would need the flow to add the areas' reviews), but its possible split purchases are
    given again and audited, so that its page warns the strategic reviewer before the
    decision. The agency's open fast requests are few: one query for them, and the rule's for
    each."""
    anteriores = (
        Solicitud.objects.select_for_update()
        .filter(
            ente_id=solicitud.ente_id,
            via=Via.RAPIDA,
            via_movida=False,
            estado__in=EN_ADMISION + EN_REVISION,
        )
        .exclude(pk=solicitud.pk)
        .order_by("pk")
    )
    for anterior in anteriores:
        decidida = via_de_solicitud(solicitud=anterior)
        if not any(solicitud.folio in f.folios for f in decidida.fracciones):
            continue
        if anterior.estado in EN_ADMISION:
            via_asignar(solicitud=anterior, usuario=None, por_posterior=solicitud.folio)
        else:
            _fracciones_avisar(solicitud=anterior, por_posterior=solicitud.folio, decidida=decidida)


def _fracciones_avisar(*, solicitud, por_posterior: str, decidida) -> None:
    """An earlier request in review on the fast track: its possible split purchases, as the
    rule gives them again (`decidida`), with an event when they change; its track and reasons
    stay."""
    fracciones = [f.como_dato() for f in decidida.fracciones]
    if fracciones == solicitud.via_fraccion:
        return
    solicitud.via_fraccion = fracciones
    solicitud.save(update_fields=["via_fraccion"])
    evento_registrar(
        tipo="via",
        descripcion=EN_REVISION_AVISADA % {"folio": por_posterior},
        usuario=None,
        solicitud=solicitud,
        motivo=" ".join(decidida.razones_fraccion),
        datos={"via": solicitud.via, "via_fraccion": fracciones, "por_posterior": por_posterior},
    )


def via_tras_corregir(*, solicitud, usuario) -> None:
    """During a prevención the track the mesa reads follows the corrected amount and items
    (it is given again at admission). Called by the services that change them, in their
    transaction; a draft has no track yet, and a request past admission keeps its own."""
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    if solicitud.estado == Solicitud.Estado.PREVENIDA:
        via_asignar(solicitud=solicitud, usuario=usuario, al_corregir=True)


@transaction.atomic
def via_pasar_a_completa(*, solicitud, usuario, motivo: str) -> Solicitud:
    """The mesa de control moves a request to the full track, with a reason and an event."""
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    # Separation of duties' one rule (issue 92): no superuser, the mesa's permission, not of
    # the request's agency.
    if razon := access.impedimento(
        usuario=usuario, solicitud=solicitud, accion=access.PASAR_A_COMPLETA
    ):
        raise PermissionDenied(razon)
    if solicitud.estado not in EN_ADMISION:
        raise ValidationError(
            ERROR_VIA_FUERA_DE_ADMISION,
            code="fuera_de_admision",
            params={"estado": solicitud.get_estado_display()},
        )
    if solicitud.via == Via.COMPLETA:
        raise ValidationError(ERROR_VIA_YA_COMPLETA, code="ya_completa")
    motivo = motivo_leer(motivo, vacio=ERROR_VIA_SIN_MOTIVO)
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
