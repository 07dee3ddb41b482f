"""The "Antecedentes" of a dictamen: what happened to the request before it was signed, read
from its audit events in the order they happened (presentation, prevención and what was
missing, subsanación, admission, requests for information and their answers, each area's
review and round, returns to an area, and the strategic decision with its conditions)."""

import datetime

from django.utils import timezone

from dictamenes.emision.documentos.pdf import fecha_larga
from dictamenes.models import Area, PeticionInformacion, Resultado, RevisionArea
from dictamenes.models.articulos import con_articulo
from dictamenes.seguimiento.selectors.condiciones import condiciones_sin_area

TIPOS = (
    "presentacion",
    "prevencion",
    "subsanacion",
    "admision",
    "peticion_informacion",
    "respuesta_informacion",
    "revision_area",
    "devolucion_area",
    "decision_estrategica",
)

# The steps whose sentence names the area that asked (PeticionInformacion).
_DE_PETICIONES = frozenset({"peticion_informacion", "respuesta_informacion"})


def _cita(texto: str) -> str:
    """Quoted in one line; the sentence's own period goes after the closing quote."""
    return f"«{' '.join((texto or '').split()).rstrip('.')}»"


def _fecha(valor) -> str:
    return fecha_larga(timezone.localdate(valor))


def antecedentes_de(*, solicitud, unidad: str, revisiones=None) -> tuple[str, ...]:
    """One sentence per step, dated. At most four queries whatever the length of the history,
    one less when the caller gives `revisiones` (the request's reviews with their area, which
    the dictamen's PDF reads anyway) and one less when no step is a request for information
    or its answer (the requests are read only to name their area). `unidad`: the deciding
    unit, as the dictamen's texts name it."""
    eventos = list(solicitud.eventos.filter(tipo__in=TIPOS).order_by("ocurrido_en", "numero"))
    areas = {a.clave: a.nombre for a in Area.objects.all()}
    peticiones = {}
    if any(e.tipo in _DE_PETICIONES for e in eventos):
        peticiones = {
            p.pk: p
            for p in PeticionInformacion.objects.filter(solicitud=solicitud).select_related("area")
        }
    if revisiones is None:
        revisiones = RevisionArea.objects.filter(solicitud=solicitud).select_related("area")
    revisiones = {(r.area.clave, r.ronda): r for r in revisiones}
    lineas = []
    for e in eventos:
        datos = e.datos or {}
        texto = _frase(
            e,
            datos,
            folio=solicitud.folio,
            areas=areas,
            peticiones=peticiones,
            revisiones=revisiones,
            unidad=unidad,
        )
        lineas.append(f"{_fecha(e.ocurrido_en)}: {texto}")
    if not any(e.tipo == "presentacion" for e in eventos) and solicitud.presentada_en:
        lineas.insert(
            0,
            f"{_fecha(solicitud.presentada_en)}: el ente presentó la solicitud {solicitud.folio}.",
        )
    return tuple(lineas)


def _frase(e, datos, *, folio, areas, peticiones, revisiones, unidad) -> str:  # noqa: C901 - one case a type
    tipo = e.tipo
    if tipo == "presentacion":
        return f"el ente presentó la solicitud {folio}."
    if tipo == "prevencion":
        texto = f"la mesa de control emitió una prevención; faltaba: {_cita(e.motivo)}."
        if datos.get("vence"):
            vence = datetime.datetime.fromisoformat(datos["vence"])
            texto += f" Plazo para subsanar: hasta el {_fecha(vence)}."
        return texto
    if tipo == "subsanacion":
        return f"el ente subsanó la prevención: {_cita(e.motivo)}."
    if tipo == "admision":
        nombres = [areas.get(c, c) for c in datos.get("areas", [])]
        if nombres:
            return "la mesa de control admitió la solicitud y la turnó a revisión técnica de: " + (
                ", ".join(nombres) + "."
            )
        return "la mesa de control admitió la solicitud."
    if tipo in ("peticion_informacion", "respuesta_informacion"):
        peticion = peticiones.get(datos.get("peticion"))
        area = f"área {peticion.area.nombre}" if peticion else "área técnica"
        if tipo == "peticion_informacion":
            return f"el {area} pidió información al ente: {_cita(e.motivo)}."
        return f"el ente respondió a la petición del {area}: {_cita(e.motivo)}."
    if tipo == "revision_area":
        ronda = datos.get("ronda", 1)
        revision = revisiones.get((datos.get("area"), ronda))
        area = revision.area.nombre if revision else areas.get(datos.get("area"), "")
        opinion = revision.get_opinion_display() if revision else ""
        texto = f"el área {area or 'técnica'} concluyó su revisión técnica (ronda {ronda})"
        if datos.get("via") == "rapida" and datos.get("areas"):
            # The fast track's single review covered every area of the items (issue 47).
            nombres = ", ".join(areas.get(c, c) for c in datos["areas"])
            texto = f"concluyó la revisión técnica única (vía rápida) de las áreas {nombres}"
        return texto + (f" con opinión {opinion}." if opinion else ".")
    if tipo == "devolucion_area":
        area = areas.get(datos.get("area"), "técnica")
        return (
            f"{con_articulo(unidad)} devolvió la solicitud al área {area} para una nueva "
            f"revisión: {_cita(e.motivo)}."
        )
    # decision_estrategica
    resultado = datos.get("resultado")
    etiqueta = Resultado(resultado).label if resultado in Resultado.values else ""
    texto = f"{con_articulo(unidad)} resolvió: {etiqueta}."
    if datos.get("condiciones"):
        # Without the prefixes that name the area verifying each, as the dictamen states them.
        condiciones = condiciones_sin_area(
            texto=datos["condiciones"], nombres=[*areas, *areas.values()]
        )
        texto += f" Condiciones: {_cita(condiciones)}."
    return texto
