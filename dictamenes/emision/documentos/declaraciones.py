"""What the requester declared in writing for each item, for the documents: the dictamen's PDF
and the expediente carry it next to its item. The rule of what counts as a declaration is
`estandares.selectors.declaraciones_de`, the same one the request's page uses."""

from django.db.models import prefetch_related_objects

from estandares.selectors import declaraciones_de


def declaraciones_por_partida(partidas) -> dict[int, tuple[tuple[str, str], ...]]:
    """{partida pk: ((requirement name, declared text), ...)} in the profile's order, for the
    items given; an empty or blank declaration is left out. The profiles' requirements are
    read in one prefetch whatever the number of items."""
    partidas = list(partidas)
    prefetch_related_objects(partidas, "perfil__requisitos")
    return {partida.pk: tuple(declaraciones_de(partida=partida)) for partida in partidas}
