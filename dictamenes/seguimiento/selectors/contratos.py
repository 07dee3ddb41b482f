"""The contracts recorded under dictámenes, as the Subsecretaría reads them."""

from django.db.models import Q

from dictamenes.models import Contrato


def contratos_senalados():
    """The signalled contracts, newest first (dictamenes.seguimiento.services.contratos says
    when)."""
    return (
        Contrato.objects.filter(
            Q(excede_monto=True) | Q(fuera_de_vigencia=True) | Q(antes_del_dictamen=True)
        )
        .select_related("dictamen__solicitud__ente")
        .order_by("-registrado_en", "-id")
    )
