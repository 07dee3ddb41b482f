"""The contracts recorded under dictámenes, as the Subsecretaría reads them."""

from django.db.models import Q

from dictamenes.models import Contrato
from dictamenes.tramite.selectors.decisiones import aprobado_sql


def contratos_senalados():
    """The signalled contracts, newest first (dictamenes.seguimiento.services.contratos says
    when)."""
    return (
        Contrato.objects.filter(
            Q(excede_monto=True)
            | Q(fuera_de_vigencia=True)
            | Q(antes_del_dictamen=True)
            | Q(condicion_pendiente=True)
        )
        .select_related("dictamen__solicitud__ente")
        # What the dictamen approved (the signal's comparison), in the same query.
        .annotate(aprobado=aprobado_sql("dictamen__solicitud_id"))
        .order_by("-registrado_en", "-id")
    )
