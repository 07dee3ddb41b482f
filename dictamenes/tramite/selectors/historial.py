"""A request's history as people read it: the audit events' data in words, for the request's
page and the expediente's historial.pdf (the data itself stays as recorded, in
historial.json)."""

from dictamenes.models import Area


def nombres_de_areas() -> dict[str, str]:
    """{clave: name} of every area, retired ones too (old events name them). One query."""
    return dict(Area.objects.values_list("clave", "nombre"))


def condiciones_legibles(valor, areas: dict[str, str]) -> str:
    """An event's conditions as text: the decision's (already a text) or the tracked ones (a
    list of {numero, texto, area}), one per line with the name of the area that verifies it.
    `areas`: nombres_de_areas()."""
    if isinstance(valor, str):
        return valor
    return "\n".join(
        f"{c.get('numero')}. {c.get('texto')}"
        + (f" (la verifica: {areas.get(c['area'], c['area'])})" if c.get("area") else "")
        for c in valor or ()
        if isinstance(c, dict)
    )
