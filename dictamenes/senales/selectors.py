"""What the pages read of the signs (issue 80, item 3): a request's, for the request's page;
the auditor's list, filtered and sorted; an agency's and a supplier's history. Each is a
bounded number of queries whatever the number of signs: the signs with their request's folio
and agency in one, and the suppliers they name in one more (only when there are signs).

Who may read them: the Subsecretaría's staff and the auditors see every agency's; anyone else
only the agencies whose requests they may see (organizacion.selectors.usuarios.entes_visibles).
The pages themselves are the internal roles' (senales.views)."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dictamenes.models import Senal, SenalProveedor
from dictamenes.organizacion.selectors import usuarios
from dictamenes.senales import catalogo
from estandares.identidad import nombre_canonico

# The auditor list's orders: the key the page's «Ordenar por» sends, its label and its
# ORDER BY (the newest first within each; the primary key last, so a page never repeats a row).
ORDENES = {
    "fecha": (_("Fecha (más recientes primero)"), ("-detectada_en", "-pk")),
    "ente": (_("Ente"), ("ente__siglas", "-detectada_en", "-pk")),
    "senal": (_("Señal"), ("codigo", "-detectada_en", "-pk")),
}
ORDEN_INICIAL = "fecha"

# «Vigencia» and «Atención» of the list's filters.
VIGENTES, RETIRADAS = "vigentes", "retiradas"
ATENDIDAS, SIN_ATENDER = "atendidas", "sin_atender"


def _con_lo_que_se_muestra(qs: QuerySet) -> QuerySet:
    """The request's folio and state and the agency's acronym joined in; who attended it; the
    suppliers in one more query (none without signs)."""
    return qs.select_related("solicitud", "ente", "atendida_por").prefetch_related("proveedores")


def senales_de(solicitud) -> list[Senal]:
    """A request's signs for its page: those still in force first, then those that no longer
    hold (kept for the history), each in the catalogue's order; with the suppliers they name.
    One query, and one more for the suppliers when there is a sign."""
    orden = {codigo: n for n, codigo in enumerate(catalogo.CATALOGO)}
    senales = list(
        Senal.objects.filter(solicitud_id=solicitud.pk)
        .select_related("atendida_por")
        .prefetch_related("proveedores")
    )
    para_la_solicitud = Senal._meta.get_field("solicitud")
    for senal in senales:
        para_la_solicitud.set_cached_value(senal, solicitud)
    return sorted(senales, key=lambda s: (not s.vigente, orden.get(s.codigo, 99)))


class _SinValor(dict):
    """A sign's thresholds as kept with it; one missing (a sign computed before the threshold
    existed) prints as «?», not as an error on the page."""

    def __missing__(self, clave):
        return "?"


def regla_de(senal: Senal) -> str:
    """The sign's rule in one sentence, with the thresholds it was computed with."""
    return catalogo.regla(senal.codigo, umbrales=_SinValor(senal.umbrales or {}))


def fuente_de(senal: Senal) -> str:
    definicion = catalogo.CATALOGO.get(senal.codigo)
    return definicion.fuente if definicion else ""


def evidencia_de(senal: Senal) -> list[dict]:
    """The sign's evidence as the page shows it: each item's text, and its link when it is an
    address of this site (a path): anything else is shown as text, never followed."""
    filas = []
    for item in senal.evidencia if isinstance(senal.evidencia, list) else ():
        if not isinstance(item, dict):
            continue
        enlace = str(item.get("enlace") or "")
        seguro = enlace.startswith("/") and not enlace.startswith("//")
        filas.append(
            {"texto": str(item.get("texto") or enlace), "enlace": enlace if seguro else ""}
        )
    return filas


def visibles(*, usuario) -> QuerySet:
    """Every sign the person may read: all for the Subsecretaría and the auditors, those of
    the agencies they may see for anyone else."""
    qs = Senal.objects.all()
    if not usuarios.es_interno(usuario=usuario):
        qs = qs.filter(ente__in=usuarios.entes_visibles(usuario=usuario))
    return qs


def senales_filtradas(
    *,
    usuario,
    codigo: str | None = None,
    ente: int | None = None,
    proveedor: str | None = None,
    ejercicio: int | None = None,
    vigencia: str | None = None,
    atencion: str | None = None,
    orden: str = ORDEN_INICIAL,
) -> QuerySet:
    """The auditor's list: the signs the person may read, by sign (its code), agency,
    supplier (any part of the name, in the canonical form every check reads:
    estandares.identidad.nombre_canonico), fiscal year, in force or not, attended or not; in `orden`
    (ORDENES). Unpaginated: the page paginates it, the CSV streams it whole."""
    qs = visibles(usuario=usuario)
    if codigo:
        qs = qs.filter(codigo=codigo)
    if ente:
        qs = qs.filter(ente_id=ente)
    if ejercicio:
        qs = qs.filter(ejercicio=ejercicio)
    if proveedor and (clave := nombre_canonico(proveedor)):
        qs = qs.filter(
            Exists(SenalProveedor.objects.filter(senal=OuterRef("pk"), clave__contains=clave))
        )
    if vigencia == VIGENTES:
        qs = qs.filter(vigente=True)
    elif vigencia == RETIRADAS:
        qs = qs.filter(vigente=False)
    if atencion == ATENDIDAS:
        qs = qs.exclude(atencion="")
    elif atencion == SIN_ATENDER:
        qs = qs.filter(atencion="")
    return _con_lo_que_se_muestra(qs).order_by(*ORDENES.get(orden, ORDENES[ORDEN_INICIAL])[1])


def del_ente(*, usuario, ente) -> QuerySet:
    """An agency's signs (unordered, without what the list shows: for `cuentas`)."""
    return visibles(usuario=usuario).filter(ente_id=ente.pk)


def del_proveedor(*, usuario, clave: str) -> QuerySet:
    """The signs that name a supplier (SenalProveedor.clave, exactly)."""
    return visibles(usuario=usuario).filter(
        Exists(SenalProveedor.objects.filter(senal=OuterRef("pk"), clave=clave))
    )


def en_lista(senales: QuerySet) -> QuerySet:
    """Signs as the lists show them, newest first."""
    return _con_lo_que_se_muestra(senales).order_by(*ORDENES[ORDEN_INICIAL][1])


def nombre_del_proveedor(clave: str) -> str | None:
    """The supplier's name as the latest sign that names it wrote it; None if none does."""
    return (
        SenalProveedor.objects.filter(clave=clave)
        .order_by("-senal__detectada_en", "-pk")
        .values_list("nombre", flat=True)
        .first()
    )


def cuentas(senales: QuerySet) -> list[dict]:
    """How many signs per fiscal year and code (newest year first, codes in the catalogue's
    order), how many still in force and how many attended: one query."""
    orden = {codigo: n for n, codigo in enumerate(catalogo.CATALOGO)}
    filas = (
        senales.order_by()
        .values("ejercicio", "codigo")
        .annotate(
            total=Count("pk"),
            vigentes=Count("pk", filter=Q(vigente=True)),
            atendidas=Count("pk", filter=~Q(atencion="")),
        )
    )
    filas = sorted(filas, key=lambda f: (-f["ejercicio"], orden.get(f["codigo"], 99)))
    for fila in filas:
        definicion = catalogo.CATALOGO.get(fila["codigo"])
        fila["nombre"] = definicion.nombre if definicion else fila["codigo"]
    return filas
