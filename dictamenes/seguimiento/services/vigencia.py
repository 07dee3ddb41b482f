"""A favourable dictamen's validity (vigencia): the agency is reminded before it runs out.

At 30 and again at 10 business days before `Dictamen.vigencia_hasta`, the agency's requirentes
and the request's author get an e-mail, once each. Which reminders went out is recorded as an
audit event in the transaction that queues the e-mail: the event is both the trace ("who was
told what, when") and the record that keeps a second run, the same day or the next, from
sending it again. A cron run that missed days catches up with the nearest reminder only.
Run daily from cron: `manage.py recordar_vigencias`.
"""

import datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.avisos import services as avisos
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.comun.enlaces import url_verificacion
from dictamenes.models import Dictamen, EventoAuditoria, Resultado
from dictamenes.organizacion.selectors import calendario

# Business days before the last valid day, largest first.
UMBRALES = (30, 10)
# Only a favourable dictamen authorises a purchase, so only its validity matters to the agency.
FAVORABLES = (Resultado.FAVORABLE, Resultado.CONDICIONADO)
TIPO_EVENTO = "vigencia_recordatorio"

ASUNTO = _("Vigencia del dictamen %(folio)s: vence el %(fecha)s")
MENSAJE = _(
    "El dictamen %(folio)s (%(resultado)s) de la solicitud %(solicitud)s «%(titulo)s» está "
    "vigente hasta el %(fecha)s: faltan %(dias)s días hábiles.\n\n"
    "Si la contratación no se formaliza dentro de la vigencia, el dictamen deja de amparar la "
    "compra y será necesario solicitar uno nuevo. Registre en la solicitud los contratos "
    "que formalice."
)
DESCRIPCION = _("Recordatorio de vigencia del dictamen %(folio)s (%(umbral)s días hábiles)")


def umbral_de(*, faltan: int) -> int | None:
    """The reminder due with `faltan` business days left: the smallest threshold not below it
    (10 with 7 left, 30 with 25 left); None when none is due yet or the validity is over."""
    if faltan < 0:
        return None
    return min((u for u in UMBRALES if faltan <= u), default=None)


def _candidatos(*, hoy: datetime.date, cal: calendario.Calendario):
    """Favourable dictámenes in force whose last valid day is within the largest threshold.
    A cancelled one (withdrawn or replaced by a rectification) is left out."""
    return (
        Dictamen.objects.filter(
            resultado__in=FAVORABLES,
            cancelado_en__isnull=True,
            vigencia_hasta__gte=hoy,
            # Business days in (hoy, vigencia_hasta] <= 30 is a date before the 31st.
            vigencia_hasta__lt=cal.sumar(hoy, max(UMBRALES) + 1),
        )
        .order_by("vigencia_hasta", "pk")
        .values_list("pk", "vigencia_hasta")
    )


def _umbrales_enviados(*, dictamen: Dictamen) -> set[int]:
    return {
        datos.get("umbral")
        for datos in EventoAuditoria.objects.filter(
            tipo=TIPO_EVENTO, solicitud_id=dictamen.solicitud_id, datos__dictamen=dictamen.pk
        ).values_list("datos", flat=True)
    }


def _destinatarios(*, dictamen: Dictamen) -> list[str]:
    solicitud = dictamen.solicitud
    correos = avisos.correos_requirentes(solicitud=solicitud)
    if solicitud.creada_por.is_active:
        correos.append(solicitud.creada_por.email)
    return correos


@transaction.atomic
def vigencia_recordar(*, dictamen_id: int, umbral: int, faltan: int) -> bool:
    """Queue the `umbral` reminder of one dictamen, unless it (or a later one) was already
    sent; True if queued. The dictamen's row is locked while deciding, so two runs at once
    never send it twice."""
    dictamen = (
        Dictamen.objects.select_for_update(of=("self",))
        .select_related("solicitud__ente", "solicitud__creada_por")
        .filter(pk=dictamen_id, cancelado_en__isnull=True)
        .first()
    )
    if dictamen is None or any(u <= umbral for u in _umbrales_enviados(dictamen=dictamen) if u):
        return False
    solicitud = dictamen.solicitud
    destinatarios = _destinatarios(dictamen=dictamen)
    fecha = formats.date_format(dictamen.vigencia_hasta, "d/m/Y")
    evento_registrar(
        tipo=TIPO_EVENTO,
        descripcion=str(DESCRIPCION % {"folio": dictamen.folio, "umbral": umbral}),
        solicitud=solicitud,
        datos={
            "dictamen": dictamen.pk,
            "folio": dictamen.folio,
            "umbral": umbral,
            "faltan": faltan,
            "vigencia_hasta": dictamen.vigencia_hasta.isoformat(),
            "destinatarios": len(set(filter(None, destinatarios))),
        },
    )
    avisos.aviso_encolar(
        asunto=str(ASUNTO % {"folio": dictamen.folio, "fecha": fecha}),
        mensaje=str(
            MENSAJE
            % {
                "folio": dictamen.folio,
                "resultado": dictamen.get_resultado_display(),
                "solicitud": solicitud.folio,
                "titulo": solicitud.titulo,
                "fecha": fecha,
                "dias": faltan,
            }
        ),
        destinatarios=destinatarios,
        enlace=avisos.enlace_solicitud(solicitud=solicitud, ancla="t-dictamen"),
        accion="Ver el dictamen y registrar el contrato",
        motivo=avisos.motivo_requirente(solicitud=solicitud),
        otros_enlaces=[("Verificación pública del dictamen", url_verificacion(dictamen.folio))],
    )
    return True


def vigencias_recordar(*, hoy: datetime.date | None = None) -> int:
    """Send today's validity reminders; how many were queued."""
    hoy = hoy or timezone.localdate()
    cal = calendario.Calendario.cargar(hoy, hoy + datetime.timedelta(days=120))
    enviados = 0
    for pk, hasta in _candidatos(hoy=hoy, cal=cal):
        faltan = cal.habiles_entre(hoy, hasta)
        umbral = umbral_de(faltan=faltan)
        if umbral is not None:
            enviados += vigencia_recordar(dictamen_id=pk, umbral=umbral, faltan=faltan)
    return enviados
