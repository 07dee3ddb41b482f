"""What the pages read of price (issue 62), in queries bounded whatever the history: one
query for the references of a page's items, one for the purchases of other agencies of one
profile (at most OTROS_MAXIMO rows), the quotes prefetched with the items."""

import datetime
import functools
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import CharField, Count, F, Max, Min, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from dictamenes.comun import cache
from dictamenes.models import (
    Anexo,
    ConfiguracionVias,
    Cotizacion,
    Ente,
    PrecioObservado,
    ReferenciaPrecio,
)
from dictamenes.precios import ley as ley_de_precios
from dictamenes.precios import reglas
from estandares import identidad

OTROS_MAXIMO = 5


def clave_de(partida) -> tuple[str, str, str]:
    return (partida.perfil.categoria.clave, partida.perfil.clave, partida.unidad)


def _version_consulta():
    texto = functools.partial(Cast, output_field=CharField())
    return (
        ReferenciaPrecio.objects.order_by()
        .annotate(todas=Value(1))
        .values("todas")
        .annotate(
            version=Concat(
                texto(Count("pk")),
                Value("|"),
                texto(Min("calculada_el")),
                Value("|"),
                texto(Max("calculada_el")),
                output_field=CharField(),
            )
        )
        .values("version")
    )


def version_en_sql():
    """The references' own version, to read with a page's query (as cache.version_en_sql):
    how many there are and their oldest and newest `calculada_el`. The daily run
    (referencias_recalcular) writes no event: it moves every reference's date to the day, and
    drops those left without observations, so its run changes this; a second run the same day
    writes the same figures (none of the observations changed without an event). Any other
    write of a reference happens in the same transaction as an event (emisión, rectificación,
    contracts), which the data's version sees. While a daily run is under way (one reference
    at a time, outside a transaction) a page may keep what it read until the run's last
    reference moves the oldest date, as a page read without the cache would show it then."""
    return cache.subconsulta_fija(_version_consulta, CharField())


def referencias_de(partidas, *, versiones: tuple | None = None) -> dict[tuple, ReferenciaPrecio]:
    """The references of these items' profiles and units, by clave_de: one query (none for
    no items). Items must come with perfil__categoria. `versiones`: the data's version and the
    references' (version_en_sql), read with the page's own query: no query while they hold,
    and without what only an item's price page prints (SOLO_EN_SU_PAGINA)."""
    claves = {clave_de(p) for p in partidas}
    if not claves:
        return {}
    if versiones is None:
        return _referencias(claves)
    datos, referencias = versiones
    return cache.memorizar_en(
        datos,
        "referencias",
        referencias,
        sorted(claves),
        calcular=lambda: _referencias(claves, diferidos=SOLO_EN_SU_PAGINA),
    )


# What a reference keeps for the price page of an item (its chart and the purchases it left
# out, solicitudes/precio_partida.html) and the request's page never prints: with `versiones`
# (the request's page) they are not read. At K=10 they were ~95 KB of JSON for the ten items'
# eight references, decoded and kept in the cache after every change, read back on every
# visit.
SOLO_EN_SU_PAGINA = ("serie", "excluidas")


def _referencias(claves, *, diferidos=()) -> dict[tuple, ReferenciaPrecio]:
    # One IN per column rather than an OR of the claves: the same rows once those that are not
    # one of `claves` are left out here, and half the CPU to build and read (an OR of ten
    # items' three columns, compiled again on every first visit after a change).
    filas = ReferenciaPrecio.objects.defer(*diferidos).filter(
        categoria_clave__in=sorted({categoria for categoria, _, _ in claves}),
        perfil_clave__in=sorted({perfil for _, perfil, _ in claves}),
        unidad__in=sorted({unidad for _, _, unidad in claves}),
    )
    return {
        clave: r
        for r in filas
        if (clave := (r.categoria_clave, r.perfil_clave, r.unidad)) in claves
    }


def referencia_de(*, categoria_clave: str, perfil_clave: str, unidad: str):
    return ReferenciaPrecio.objects.filter(
        categoria_clave=categoria_clave, perfil_clave=perfil_clave, unidad=unidad
    ).first()


def compras_de_otros(
    *, categoria_clave, perfil_clave, unidad, ente_id, hoy: datetime.date | None = None
) -> list[PrecioObservado]:
    """The latest purchases of the same profile by other agencies in the last 12 months:
    a chance to consolidate, or to reuse their approved specifications. One query."""
    hoy = hoy or timezone.localdate()
    return list(
        PrecioObservado.objects.filter(
            categoria_clave=categoria_clave,
            perfil_clave=perfil_clave,
            unidad=unidad,
            fecha__gte=hoy - relativedelta(months=reglas.MESES_OTROS_ENTES),
        )
        .exclude(ente_id=ente_id)
        # Who checked a contracted price against its document (issue 76, item 1).
        .select_related("ente", "solicitud", "verificado_por")
        .only(
            "fecha",
            "cantidad",
            "precio",
            "fuente",
            "ente__siglas",
            "ente__nombre",
            "solicitud__folio",
            "solicitud__titulo",
            "verificado_por__first_name",
            "verificado_por__last_name",
            "verificado_por__username",
        )
        .order_by("-fecha", "-id")[:OTROS_MAXIMO]
    )


@dataclass(frozen=True)
class PrecioDePartida:
    """Where one item's price stands: typed, market (from its quotes) and reference, each in
    the item's own unit, and the position of the typed price against the reference."""

    partida: object
    referencia: ReferenciaPrecio | None  # None, or below the minimum (see `suficiente`)
    mercado: reglas.Mercado
    posicion: reglas.Posicion | None
    # The law's price tests of the typed price against the market research's central value
    # (issue 76, item 5): None without a valid quote.
    ley: ley_de_precios.Prueba | None = None

    @property
    def suficiente(self) -> bool:
        return self.referencia is not None and self.referencia.suficiente

    def en_unidad(self, valor):
        p = self.partida
        return None if valor is None else reglas.en_unidad_de(valor, p.unidad, p.meses)

    @property
    def referencia_unitaria(self):
        return self.en_unidad(self.referencia.mediana) if self.suficiente else None

    @property
    def unidad_normal(self) -> str:
        return str(reglas.UNIDAD_NORMAL[self.partida.unidad])

    @property
    def senalada(self) -> bool:
        return bool(self.posicion and self.posicion.senalada)

    @property
    def no_aceptable(self) -> bool:
        """The typed price is *no aceptable* by the law's test (more than the profile's
        percentage above the market research's central value): approving it needs the item's
        own reason (issue 76, items 5 and 6)."""
        return bool(self.ley and self.ley.no_aceptable)

    def base(self) -> dict:
        """The price basis as the decision keeps it and the dictamen prints it."""
        r = self.referencia
        m = self.mercado
        return {
            "tecleado": str(self.partida.precio_unitario),
            "unidad": self.partida.unidad,
            "meses": self.partida.meses,
            "referencia": {
                "mediana": str(self.referencia_unitaria),
                "cuartil_1": str(self.en_unidad(r.cuartil_1)),
                "cuartil_3": str(self.en_unidad(r.cuartil_3)),
                "minimo": str(self.en_unidad(r.minimo)),
                "compras": r.compras,
                "entes": r.entes,
                "desde": r.desde.isoformat(),
                "hasta": r.calculada_el.isoformat(),
                # Issue 93: each agency counted once (the median of the agencies' medians);
                # a decision kept before says nothing, and is printed as it was computed.
                "por_ente": True,
            }
            if self.suficiente
            else None,
            "mercado": {
                "precio": str(m.precio),
                "metodo": m.metodo,
                "cotizaciones": len(m.cotizaciones),
                "validas": len(m.validas),
                # Issue 76, item 4: the method applied («según la dispersión» applies the
                # mean or the median) and the valid quotes' coefficient of variation.
                "aplicado": m.aplicado,
                "cv": None if m.cv is None else str(m.cv),
                "cv_pct": m.cv_pct,
                "lejanas": m.lejanas,
            }
            if m.precio is not None
            else None,
            # Issue 76, item 5: the law's price tests and the article the state cites.
            "ley": self.ley.base() if self.ley else None,
        }


def posicion_de(precio, unidad: str, meses, *, referencia, senal_pct: int):
    """Where a unit price in an item's unit stands against a reference: None without a
    sufficient one."""
    if referencia is None or not referencia.suficiente:
        return None
    return reglas.posicion(
        reglas.normalizar(precio, unidad, meses),
        mediana=referencia.mediana,
        cuartil_1=referencia.cuartil_1,
        cuartil_3=referencia.cuartil_3,
        minimo=referencia.minimo,
        senal_pct=senal_pct,
    )


def entes_por_clave(*, version: int | None = None) -> dict[str, int]:
    """Every agency's name, acronym and former name as a supplier's name is compared with
    them (estandares.identidad.claves_de_ente) -> its id: a public agency is not a supplier.
    One query on the small tables of agencies and their former names; none while the
    data's `version` (read by the caller) holds: creating or renaming an agency writes an
    event."""
    if version is not None:
        return cache.memorizar_en(version, "entes-por-clave", calcular=entes_por_clave)
    claves, anteriores = {}, {}
    filas = Ente.objects.order_by().values_list(
        "pk", "nombre", "siglas", "nombres_anteriores__nombre"
    )
    for pk, nombre, siglas, anterior in filas:
        for texto in (nombre, siglas):
            claves.update(dict.fromkeys(identidad.claves_de_ente(texto), pk))
        anteriores.update(dict.fromkeys(identidad.claves_de_ente(anterior or ""), pk))
    return {**anteriores, **claves}


def cotizaciones_con_huella():
    """The quotes with their file's SHA-256 (`anexo_sha256`) in the same query: what
    huellas_de would read of them, without their whole attachment (a page that keeps its
    items in the cache keeps the hash, not the attachment's row)."""
    return Cotizacion.objects.annotate(anexo_sha256=F("anexo__sha256"))


def _huella_leida(cotizacion) -> str | None:
    if Cotizacion.anexo.is_cached(cotizacion):
        return cotizacion.anexo.sha256
    return getattr(cotizacion, "anexo_sha256", None)


def huellas_de(partidas) -> dict[int, str]:
    """The SHA-256 of each quote's file, by the quote's attachment id, for the quotes whose
    hash was not read with them (with their attachment or cotizaciones_con_huella): one
    query (none when all were)."""
    faltan = {
        c.anexo_id for p in partidas for c in p.cotizaciones.all() if _huella_leida(c) is None
    }
    if not faltan:
        return {}
    # Without the default ordering, which joins the request to sort: the hashes only.
    return dict(Anexo.objects.filter(pk__in=faltan).order_by().values_list("pk", "sha256"))


def _cotizadas(partida, hoy, huellas) -> list[reglas.Cotizada]:
    return [
        reglas.Cotizada(
            pk=c.pk,
            proveedor=c.proveedor,
            proveedor_rfc=c.proveedor_rfc,
            precio=c.precio_unitario,
            vigente=c.vigencia >= hoy,
            fecha=c.fecha,
            archivo=huella
            if (huella := _huella_leida(c)) is not None
            else huellas.get(c.anexo_id, ""),
        )
        for c in partida.cotizaciones.all()
    ]


def metodo_de(partida, config: ConfiguracionVias) -> str:
    """The market price's method for an item: its category's, else the office's."""
    return reglas.metodo_de(
        partida.perfil.categoria.clave,
        metodos_categoria=config.precio_metodos_categoria,
        metodo=config.precio_metodo,
    )


def mercado_de(
    partida, *, referencia, config: ConfiguracionVias, hoy, entes=None, huellas=None
) -> reglas.Mercado:
    """The market research of an item judged on `hoy` (issue 76, items 3 and 4): its quotes,
    each counted once, and the price by its category's method. `entes`, `huellas`: as
    entes_por_clave and huellas_de (read here when not given)."""
    cotizaciones = partida.cotizaciones.all()
    ente_propio = None
    if cotizaciones:
        entes = entes_por_clave() if entes is None else entes
        huellas = huellas_de([partida]) if huellas is None else huellas
        ente_propio = partida.solicitud.ente_id
    suficiente = referencia is not None and referencia.suficiente
    return reglas.mercado(
        _cotizadas(partida, hoy, huellas or {}),
        metodo=metodo_de(partida, config),
        atipico_pct=config.precio_atipico_pct,
        hoy=hoy,
        antiguedad_dias=config.cotizacion_antiguedad_dias,
        entes=entes,
        ente_propio=ente_propio,
        cv_pct=config.precio_cv_pct,
        referencia=reglas.en_unidad_de(referencia.mediana, partida.unidad, partida.meses)
        if suficiente
        else None,
    )


def ley_de(precio, mercado: reglas.Mercado, config: ConfiguracionVias):
    """The law's price tests of `precio` against the market research `mercado`."""
    return ley_de_precios.prueba(
        precio,
        [c.precio for c in mercado.validas],
        centro=config.ley_centro,
        no_aceptable_pct=config.ley_no_aceptable_pct,
        no_conveniente_pct=config.ley_no_conveniente_pct,
        articulo=config.ley_articulo,
    )


def precio_de(
    partida,
    *,
    referencia,
    config: ConfiguracionVias,
    hoy: datetime.date | None = None,
    entes: dict | None = None,
    huellas: dict | None = None,
) -> PrecioDePartida:
    """One item's price view. `referencia`: from referencias_de. Quotes are judged on `hoy`
    (the day the request was presented, for a presented request)."""
    hoy = hoy or timezone.localdate()
    mercado = mercado_de(
        partida, referencia=referencia, config=config, hoy=hoy, entes=entes, huellas=huellas
    )
    posicion = posicion_de(
        partida.precio_unitario,
        partida.unidad,
        partida.meses,
        referencia=referencia,
        senal_pct=config.precio_senal_pct,
    )
    return PrecioDePartida(
        partida=partida,
        referencia=referencia,
        mercado=mercado,
        posicion=posicion,
        ley=ley_de(partida.precio_unitario, mercado, config),
    )


def precios_de(
    partidas, *, config: ConfiguracionVias, hoy=None, versiones: tuple | None = None
) -> dict[int, PrecioDePartida]:
    """Each item's price view, by pk: one query for the references (the items come with
    perfil__categoria and their quotes prefetched), one for the agencies' names (neither with
    `versiones`: referencias_de, entes_por_clave) and, unless the quotes came with their
    files' hashes (cotizaciones_con_huella) or attachments, one for those hashes."""
    referencias = referencias_de(partidas, versiones=versiones)
    entes = (
        entes_por_clave(version=versiones[0] if versiones else None)
        if any(p.cotizaciones.all() for p in partidas)
        else {}
    )
    huellas = huellas_de(partidas)
    return {
        p.pk: precio_de(
            p,
            referencia=referencias.get(clave_de(p)),
            config=config,
            hoy=hoy,
            entes=entes,
            huellas=huellas,
        )
        for p in partidas
    }
