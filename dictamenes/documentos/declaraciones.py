"""What the requester declared in writing for each item: the text of every requirement of kind
«declaración» («Licencia del sistema operativo: Windows 11 Pro…»), read from the item's stored
specifications. The engine only says that a declaration was presented; its content is for the
reviewing area, and the dictamen's PDF and the expediente carry it next to its item.

A reader of one item's declarations (`declaraciones_de(*, partida)`) is being added for the
review page as well; this one reads many items at once, in one query, for the documents.
"""

from estandares.models import Requisito


def declaraciones_por_partida(partidas) -> dict[int, tuple[tuple[str, str], ...]]:
    """{partida pk: ((requirement name, declared text), ...)} in the profile's order, for the
    items given (with `perfil_id` and `especificaciones`); an empty or blank declaration is
    left out. One query whatever the number of items."""
    partidas = list(partidas)
    requisitos: dict[int, list[Requisito]] = {}
    for requisito in Requisito.objects.filter(
        perfil_id__in={p.perfil_id for p in partidas}, tipo=Requisito.Tipo.DECLARACION
    ).order_by("orden", "pk"):
        requisitos.setdefault(requisito.perfil_id, []).append(requisito)
    resultado = {}
    for partida in partidas:
        especificaciones = (
            partida.especificaciones if isinstance(partida.especificaciones, dict) else {}
        )
        resultado[partida.pk] = tuple(
            (requisito.nombre, texto)
            for requisito in requisitos.get(partida.perfil_id, ())
            if isinstance(valor := especificaciones.get(requisito.clave), str)
            and (texto := valor.strip())
        )
    return resultado
