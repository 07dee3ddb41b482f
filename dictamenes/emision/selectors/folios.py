"""Finding a dictamen by the folio a person typed: spaces and case as they come."""

from django.db.models import Value
from django.db.models.functions import Replace, Upper

from dictamenes.models import Dictamen


def folio_normalizar(folio: str) -> str:
    """The folio without spaces, in capitals: " sgd / dt/2026/7" → "SGD/DT/2026/7"."""
    return "".join((folio or "").split()).upper()


def dictamen_por_folio(*, folio: str) -> Dictamen | None:
    """The dictamen whose folio is `folio` once both are read without spaces and in capitals,
    or None. The folio as issued (the usual case, and what a QR carries) is found on the
    unique index; only a folio typed differently pays the comparison over the table."""
    buscado = folio_normalizar(folio)
    if not buscado:
        return None
    exacto = Dictamen.objects.filter(folio=buscado).first()
    if exacto is not None:
        return exacto
    return (
        Dictamen.objects.annotate(folio_normal=Replace(Upper("folio"), Value(" "), Value("")))
        .filter(folio_normal=buscado)
        .first()
    )
